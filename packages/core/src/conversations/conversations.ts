import { createThread } from "../chat/threads.js";
import { isTenantAdmin, requireScope, requireSupervisor, type TenantPrincipal } from "../identity/authorize.js";
import type { Principal } from "../identity/model.js";
import { systemPrincipal } from "../identity/model.js";
import type { Page } from "../identity/ports.js";
import { DomainError, notFound } from "../kernel/domain-error.js";
import { organizationOf, queueAssignedTo } from "../organizations/visibility.js";
import type { ConversationDeps } from "./deps.js";
import type { Conversation, ConversationEvent, ConversationEventType, EntryPoint, Handoff, HandoffReason } from "./model.js";
import type { ConversationChange, ConversationFilter } from "./ports.js";

/** Opens a conversation for a customer identity at an entry point: a thread with the customer and the bot. */
export async function openConversation(
  deps: ConversationDeps,
  entryPoint: EntryPoint,
  customerIdentityId: string,
): Promise<Conversation> {
  const system = systemPrincipal(entryPoint.tenantId);
  const participants = [{ id: customerIdentityId }, ...(entryPoint.botIdentityId ? [{ id: entryPoint.botIdentityId }] : [])];
  const thread = await createThread(deps.chat, system, { topic: entryPoint.name, participants });
  const now = deps.chat.clock.now();
  const withBot = entryPoint.botIdentityId !== null;
  const { conversation, event } = await deps.conversations.createConversation({
    id: deps.chat.ids.next(),
    tenantId: entryPoint.tenantId,
    threadId: thread.id,
    channel: entryPoint.channel,
    entryPointId: entryPoint.id,
    customerIdentityId,
    customerId: null,
    verified: false,
    status: withBot ? "bot" : "awaiting_agent",
    intent: null,
    queue: entryPoint.handoffQueue,
    handoff: null,
    agentId: null,
    wrapUpCode: null,
    botState: null,
    createdAt: now,
    updatedAt: now,
    awaitingSince: withBot ? null : now,
    resolvedAt: null,
  });
  deps.events.publishConversationEvent(event, conversation);
  return conversation;
}

const isOwn = (conversation: Conversation, actor: TenantPrincipal): boolean =>
  actor.kind === "identity" &&
  (conversation.customerIdentityId === actor.identityId || conversation.agentId === actor.identityId);

/**
 * What a principal's agent organization lets them see of conversations: for a user of one, those of
 * the queues assigned to it and their own (assigned to them); for everyone else, no limit (undefined).
 */
async function organizationLimit(
  deps: ConversationDeps,
  actor: TenantPrincipal,
): Promise<((conversation: Conversation) => boolean) | undefined> {
  const organizationId = organizationOf(actor);
  if (organizationId === null) return undefined;
  const names = new Set(
    (await deps.queues.listQueues(actor.tenantId)).filter((q) => queueAssignedTo(q, organizationId)).map((q) => q.name),
  );
  return (conversation) => names.has(conversation.queue) || isOwn(conversation, actor);
}

/**
 * Who may see a conversation: its customer, its agent, and the tenant's admins; a user of an agent
 * organization, moreover, only one of its queues or their own.
 */
export async function accessConversation(
  deps: ConversationDeps,
  principal: Principal,
  id: string,
): Promise<{ actor: TenantPrincipal; conversation: Conversation }> {
  const actor = requireScope(principal, "chat");
  const conversation = await deps.conversations.getConversation(actor.tenantId, id);
  if (!conversation || !(isOwn(conversation, actor) || isTenantAdmin(actor))) throw notFound("conversation", id);
  const limit = await organizationLimit(deps, actor);
  if (limit && !limit(conversation)) throw notFound("conversation", id);
  return { actor, conversation };
}

/**
 * A conversation as the tenant's staff look into it (what routing did with it): supervisors and admins;
 * a supervisor of an agent organization only one of its queues or their own, else `conversation.not_found`.
 */
export async function superviseConversation(deps: ConversationDeps, principal: Principal, id: string): Promise<Conversation> {
  const actor = requireSupervisor(principal);
  const conversation = await deps.conversations.getConversation(actor.tenantId, id);
  const limit = await organizationLimit(deps, actor);
  if (!conversation || (limit && !limit(conversation))) throw notFound("conversation", id);
  return conversation;
}

export async function getConversation(deps: ConversationDeps, principal: Principal, id: string): Promise<Conversation> {
  return (await accessConversation(deps, principal, id)).conversation;
}

/**
 * An admin lists every conversation of the tenant; a customer lists their own. A user of an agent
 * organization never gets one outside its queues, unless it is their own (the page may then be short).
 */
export async function listConversations(
  deps: ConversationDeps,
  principal: Principal,
  filter: ConversationFilter,
  options: { after?: string; limit: number },
): Promise<Page<Conversation>> {
  const actor = requireScope(principal, "chat");
  const own = isTenantAdmin(actor)
    ? filter
    : { ...filter, customerIdentityId: actor.kind === "identity" ? actor.identityId : "" };
  const page = await deps.conversations.listConversations(actor.tenantId, own, options);
  const limit = await organizationLimit(deps, actor);
  return limit ? { items: page.items.filter(limit), next: page.next } : page;
}

export async function conversationTimeline(
  deps: ConversationDeps,
  principal: Principal,
  id: string,
  options: { after: number; limit: number },
): Promise<readonly ConversationEvent[]> {
  const { actor, conversation } = await accessConversation(deps, principal, id);
  const agent = actor.kind === "identity" && conversation.agentId === actor.identityId;
  if (!isTenantAdmin(actor) && !agent) {
    throw new DomainError("auth.admin_required", "forbidden", "The timeline is for the tenant's staff.");
  }
  return deps.conversations.listConversationEvents(actor.tenantId, id, options.after, options.limit);
}

/** Applies a change with its timeline event and tells the listeners. */
export async function changeConversation<T extends ConversationEventType>(
  deps: ConversationDeps,
  tenantId: string,
  id: string,
  change: Omit<ConversationChange<T>, "at">,
): Promise<Conversation> {
  const result = await deps.conversations.changeConversation(tenantId, id, { ...change, at: deps.chat.clock.now() });
  if (!result) throw notFound("conversation", id);
  if (result.event) deps.events.publishConversationEvent(result.event, result.conversation);
  return result.conversation;
}

export interface HandoffInput {
  readonly reason: HandoffReason;
  readonly intent: string | null;
  readonly summary: string;
}

/**
 * The bot hands the conversation to the humans: it waits for an agent in its queue with the handoff
 * record, and the bot stops answering. Handing off twice keeps the first handoff.
 */
export async function handOff(deps: ConversationDeps, conversation: Conversation, input: HandoffInput): Promise<Conversation> {
  if (conversation.status !== "bot") return conversation;
  const customer = conversation.customerId
    ? await deps.customers.getCustomer(conversation.tenantId, conversation.customerId)
    : undefined;
  const now = deps.chat.clock.now();
  const handoff: Handoff = {
    reason: input.reason,
    intent: input.intent ?? conversation.intent,
    queue: conversation.queue,
    customer: {
      identityId: conversation.customerIdentityId,
      customerId: conversation.customerId,
      name: customer?.name ?? null,
      email: customer?.email ?? null,
      verified: conversation.verified,
    },
    summary: input.summary,
    at: now.toISOString(),
  };
  return changeConversation(deps, conversation.tenantId, conversation.id, {
    patch: { status: "awaiting_agent", handoff, awaitingSince: now },
    event: { type: "conversation.handed_off", data: { handoff } },
  });
}

/** The customer's place in the queue (1 = next), while the conversation waits for an agent. */
export async function queuePosition(deps: ConversationDeps, conversation: Conversation): Promise<number | null> {
  if (conversation.status !== "awaiting_agent" || !conversation.awaitingSince) return null;
  return (
    (await deps.conversations.countAwaitingBefore(conversation.tenantId, conversation.queue, conversation.awaitingSince)) + 1
  );
}

/**
 * Nobody could take a waiting conversation (its queue's redirect says "leave a message"): it leaves routing
 * and waits, with the customer's message, for someone to pick it up (by transferring it to a queue or a
 * person). Only routing does this, for a conversation still waiting.
 */
export async function leaveForFollowUp(
  deps: ConversationDeps,
  tenantId: string,
  id: string,
  reason: string,
): Promise<Conversation | undefined> {
  const conversation = await deps.conversations.getConversation(tenantId, id);
  if (conversation?.status !== "awaiting_agent") return conversation;
  return changeConversation(deps, tenantId, id, {
    patch: { status: "follow_up" },
    event: { type: "conversation.left_for_follow_up", data: { queue: conversation.queue, reason } },
  });
}

/** Ends a conversation: its customer closing the chat, its agent (with a wrap-up code), or an admin. */
export async function resolveConversation(
  deps: ConversationDeps,
  principal: Principal,
  id: string,
  options: { wrapUpCode?: string } = {},
): Promise<Conversation> {
  const { actor, conversation } = await accessConversation(deps, principal, id);
  if (conversation.status === "resolved") return conversation;
  const wrapUpCode = options.wrapUpCode ?? null;
  return changeConversation(deps, actor.tenantId, id, {
    patch: { status: "resolved", resolvedAt: deps.chat.clock.now(), wrapUpCode },
    event: { type: "conversation.resolved", data: { by: actor.kind === "identity" ? actor.identityId : null, wrapUpCode } },
  });
}
