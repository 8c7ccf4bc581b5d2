import { isTenantAdmin, requireScope } from "../identity/authorize.js";
import type { Principal } from "../identity/model.js";
import type { Page } from "../identity/ports.js";
import { DomainError } from "../kernel/domain-error.js";
import { accessThread, actingIdentity, checkMetadata } from "./access.js";
import type { ChatDeps } from "./deps.js";
import { CHAT_LIMITS, type Metadata, type Thread } from "./model.js";
import { type ParticipantInput, resolveParticipants } from "./participants.js";

export interface CreateThreadInput {
  readonly topic: string;
  readonly metadata?: Metadata;
  readonly participants?: readonly ParticipantInput[];
}

function checkTopic(topic: string): void {
  if (topic.length > CHAT_LIMITS.topicMaxLength) {
    throw new DomainError("thread.topic_too_long", "invalid", `A topic has at most ${CHAT_LIMITS.topicMaxLength} characters.`, [
      { field: "topic", message: `at most ${CHAT_LIMITS.topicMaxLength} characters` },
    ]);
  }
}

/**
 * Creates a thread. An identity that creates a thread is always one of its participants; an API key
 * or admin may create a thread among others.
 */
export async function createThread(deps: ChatDeps, principal: Principal, input: CreateThreadInput): Promise<Thread> {
  const actor = requireScope(principal, "chat");
  checkTopic(input.topic);
  const metadata = input.metadata ?? {};
  checkMetadata(metadata);
  const requested = [...(input.participants ?? [])];
  const creator = actingIdentity(actor);
  if (creator !== null && !requested.some((p) => p.id === creator)) requested.unshift({ id: creator });
  if (requested.length === 0) {
    throw new DomainError("thread.no_participants", "invalid", "A thread needs at least one participant.", [
      { field: "participants", message: "at least one" },
    ]);
  }
  const participants = await resolveParticipants(deps, actor.tenantId, requested);
  const { thread, event } = await deps.chat.createThread({
    id: deps.ids.next(),
    tenantId: actor.tenantId,
    topic: input.topic,
    metadata,
    createdBy: creator,
    participants,
    createdAt: deps.clock.now(),
  });
  deps.publisher.publish(event);
  return thread;
}

export async function getThread(deps: ChatDeps, principal: Principal, threadId: string): Promise<Thread> {
  return (await accessThread(deps, principal, threadId)).thread;
}

/** An identity lists the threads it is in; an admin lists every thread of the tenant. */
export function listThreads(
  deps: ChatDeps,
  principal: Principal,
  options: { after?: string; limit: number },
): Promise<Page<Thread>> {
  const actor = requireScope(principal, "chat");
  const identityId = isTenantAdmin(actor) ? undefined : actingIdentity(actor);
  return deps.chat.listThreads(actor.tenantId, { ...options, ...(identityId ? { identityId } : {}) });
}

export async function updateThread(
  deps: ChatDeps,
  principal: Principal,
  threadId: string,
  patch: { topic?: string; metadata?: Metadata },
): Promise<Thread> {
  const { actor, thread } = await accessThread(deps, principal, threadId);
  const topic = patch.topic ?? thread.topic;
  const metadata = patch.metadata ?? thread.metadata;
  checkTopic(topic);
  checkMetadata(metadata);
  const updated = await deps.chat.updateThread(actor.tenantId, threadId, { topic, metadata }, deps.clock.now());
  if (!updated) return thread;
  deps.publisher.publish(updated.event);
  return updated.thread;
}
