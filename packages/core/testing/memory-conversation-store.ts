import {
  type Conversation,
  type ConversationChange,
  type ConversationEvent,
  type ConversationEventOf,
  type ConversationEventType,
  type ConversationFilter,
  type ConversationStore,
  DomainError,
  type Page,
  type WidgetSession,
} from "../src/index.js";
import { copyDate, copyDateOrNull, jsonCopy, type MemoryStoreOptions, requireNewId, requireTenant } from "./memory-rows.js";
import { pageOf } from "./paging.js";

interface ConversationState {
  conversation: Conversation;
  /** Sequence of the latest timeline event. */
  lastSequence: number;
  /** In sequence order. */
  readonly events: ConversationEvent[];
}

/** A copy as the SQL store would return it: JSON columns round-tripped, a missing bot state as null. */
const copyConversation = (c: Conversation): Conversation => ({
  id: c.id,
  tenantId: c.tenantId,
  threadId: c.threadId,
  channel: c.channel,
  entryPointId: c.entryPointId,
  customerIdentityId: c.customerIdentityId,
  customerId: c.customerId,
  verified: c.verified,
  status: c.status,
  intent: c.intent,
  queue: c.queue,
  handoff: c.handoff === null ? null : jsonCopy(c.handoff),
  agentId: c.agentId,
  wrapUpCode: c.wrapUpCode,
  botState: jsonCopy(c.botState),
  createdAt: copyDate(c.createdAt),
  updatedAt: copyDate(c.updatedAt),
  awaitingSince: copyDateOrNull(c.awaitingSince),
  resolvedAt: copyDateOrNull(c.resolvedAt),
});

const copyEvent = (e: ConversationEvent): ConversationEvent =>
  ({ ...e, data: jsonCopy(e.data), createdAt: copyDate(e.createdAt) }) as ConversationEvent;

const copySession = (s: WidgetSession): WidgetSession => ({ ...s, createdAt: copyDate(s.createdAt) });

type Patch = ConversationChange<ConversationEventType>["patch"];

// A record, so that a field the core makes patchable fails to compile here until it is listed.
const PATCHABLE: Readonly<Record<keyof Patch, true>> = {
  customerId: true,
  verified: true,
  status: true,
  intent: true,
  queue: true,
  handoff: true,
  botState: true,
  awaitingSince: true,
  resolvedAt: true,
  agentId: true,
  wrapUpCode: true,
};

/** The fields a change's patch names (an `undefined` value names none), as the SQL store's `patchColumns`. */
function patched(c: Conversation, patch: Patch, at: Date): Conversation {
  const keys = Object.keys(PATCHABLE) as (keyof Patch)[];
  const named = Object.fromEntries(keys.filter((key) => patch[key] !== undefined).map((key) => [key, patch[key]]));
  return copyConversation({ ...c, ...named, updatedAt: at });
}

const matches = (c: Conversation, f: ConversationFilter): boolean =>
  (f.status === undefined || c.status === f.status) &&
  (f.entryPointId === undefined || c.entryPointId === f.entryPointId) &&
  (f.customerIdentityId === undefined || c.customerIdentityId === f.customerIdentityId) &&
  (f.customerId === undefined || c.customerId === f.customerId) &&
  (f.queue === undefined || c.queue === f.queue) &&
  (f.agentId === undefined || c.agentId === f.agentId);

/**
 * An in-memory `ConversationStore` with the same semantics as the SQL one, for unit tests. Every
 * method changes state without awaiting in between (after the tenant check), so each change is as
 * atomic as a transaction.
 */
export class MemoryConversationStore implements ConversationStore {
  private readonly conversations = new Map<string, ConversationState>();
  private readonly sessions = new Map<string, WidgetSession>();

  constructor(private readonly options: MemoryStoreOptions = {}) {}

  async createConversation(conversation: Conversation): Promise<{ conversation: Conversation; event: ConversationEvent }> {
    await requireTenant(this.options, conversation.tenantId);
    requireNewId(this.conversations, conversation.id);
    // A conversation owns its thread (a unique index in SQL): a second one is a bug in the caller.
    if ([...this.conversations.values()].some((s) => s.conversation.threadId === conversation.threadId)) {
      throw new Error(`The thread ${conversation.threadId} has a conversation already.`);
    }
    const state: ConversationState = { conversation: copyConversation(conversation), lastSequence: 0, events: [] };
    const data = { entryPointId: conversation.entryPointId, channel: conversation.channel, status: conversation.status };
    const event = this.append(state, "conversation.created", data, conversation.createdAt);
    this.conversations.set(conversation.id, state);
    return { conversation: copyConversation(state.conversation), event: copyEvent(event) };
  }

  async getConversation(tenantId: string, id: string): Promise<Conversation | undefined> {
    const state = this.state(tenantId, id);
    return state && copyConversation(state.conversation);
  }

  async getConversationByThread(tenantId: string, threadId: string): Promise<Conversation | undefined> {
    const state = [...this.conversations.values()].find(
      (s) => s.conversation.tenantId === tenantId && s.conversation.threadId === threadId,
    );
    return state && copyConversation(state.conversation);
  }

  async listConversations(
    tenantId: string,
    filter: ConversationFilter,
    options: { after?: string; limit: number },
  ): Promise<Page<Conversation>> {
    const mine = [...this.conversations.values()]
      .map((s) => s.conversation)
      .filter((c) => c.tenantId === tenantId && matches(c, filter));
    const page = pageOf(mine, (c) => ({ createdAt: c.createdAt.toISOString(), id: c.id }), {
      after: options.after,
      limit: options.limit,
      newestFirst: true,
    });
    return { items: page.items.map(copyConversation), next: page.next };
  }

  async changeConversation<T extends ConversationEventType>(
    tenantId: string,
    id: string,
    change: ConversationChange<T>,
  ): Promise<{ conversation: Conversation; event: ConversationEvent | undefined } | undefined> {
    const state = this.state(tenantId, id);
    if (!state) return undefined;
    state.conversation = patched(state.conversation, change.patch, change.at);
    const event = change.event && this.append(state, change.event.type, change.event.data, change.at);
    return { conversation: copyConversation(state.conversation), event: event && copyEvent(event) };
  }

  async listConversationEvents(
    tenantId: string,
    id: string,
    afterSequence: number,
    limit: number,
  ): Promise<readonly ConversationEvent[]> {
    const state = this.state(tenantId, id);
    if (!state) return [];
    return state.events
      .filter((e) => e.sequence > afterSequence)
      .slice(0, Math.max(0, limit))
      .map(copyEvent);
  }

  async countAwaitingBefore(tenantId: string, queue: string, since: Date): Promise<number> {
    let count = 0;
    for (const { conversation: c } of this.conversations.values()) {
      const waiting = c.tenantId === tenantId && c.queue === queue && c.status === "awaiting_agent";
      if (waiting && c.awaitingSince !== null && c.awaitingSince.getTime() < since.getTime()) count += 1;
    }
    return count;
  }

  async createWidgetSession(session: WidgetSession): Promise<WidgetSession> {
    await requireTenant(this.options, session.tenantId);
    requireNewId(this.sessions, session.id);
    if ([...this.sessions.values()].some((s) => s.secretDigest === session.secretDigest)) {
      throw new DomainError("widget_session.secret_taken", "conflict", "A widget session with this secret exists already.");
    }
    const stored = copySession(session);
    this.sessions.set(stored.id, stored);
    return copySession(stored);
  }

  async findWidgetSession(secretDigest: string): Promise<WidgetSession | undefined> {
    // Across tenants on purpose, as in the SQL store: the secret is all the browser has.
    const s = [...this.sessions.values()].find((x) => x.secretDigest === secretDigest);
    return s && copySession(s);
  }

  private state(tenantId: string, id: string): ConversationState | undefined {
    const state = this.conversations.get(id);
    return state && state.conversation.tenantId === tenantId ? state : undefined;
  }

  /** Appends the conversation's next timeline event. */
  private append<T extends ConversationEventType>(
    state: ConversationState,
    type: T,
    data: ConversationEventOf<T>["data"],
    at: Date,
  ): ConversationEvent {
    state.lastSequence += 1;
    const event: ConversationEventOf<T> = {
      tenantId: state.conversation.tenantId,
      conversationId: state.conversation.id,
      sequence: state.lastSequence,
      type,
      data: jsonCopy(data),
      createdAt: copyDate(at),
    };
    state.events.push(event as ConversationEvent);
    return event as ConversationEvent;
  }
}
