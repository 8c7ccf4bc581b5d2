import {
  type AppendMessageResult,
  type ChatStore,
  DomainError,
  type Membership,
  type Message,
  type MessageExtras,
  type Metadata,
  messageData,
  type NewMessage,
  type NewThread,
  notFound,
  type Page,
  type Participant,
  type ParticipantData,
  type StoredThreadEvent,
  type StoredThreadEventType,
  type Thread,
  type ThreadEventDataByType,
  type ThreadEventOf,
} from "../src/index.js";
import { pageOf } from "./paging.js";

interface ThreadState {
  thread: Thread;
  /** By identity id, in the order they joined. */
  readonly participants: Map<string, Participant>;
  /** In sequence order. */
  readonly messages: Message[];
  readonly events: StoredThreadEvent[];
  /** `senderId \u0000 key` to message id. */
  readonly idempotency: Map<string, string>;
}

const sortedMetadata = (m: Metadata): Metadata =>
  Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

const sameMetadata = (a: Metadata, b: Metadata): boolean =>
  JSON.stringify(sortedMetadata(a)) === JSON.stringify(sortedMetadata(b));

// Callers get copies, as they would from a database.
const copyThread = (t: Thread): Thread => ({ ...t, metadata: { ...t.metadata }, createdAt: new Date(t.createdAt) });
const copyParticipant = (p: Participant): Participant => ({ ...p });
/** Extras as the SQL store keeps them: JSON, so a copy is a JSON round-trip. */
const copyExtras = (e: MessageExtras): MessageExtras => ({
  attachments: JSON.parse(JSON.stringify(e.attachments)),
  quickReplies: JSON.parse(JSON.stringify(e.quickReplies)),
  card: e.card === null ? null : JSON.parse(JSON.stringify(e.card)),
});
const copyMessage = (m: Message): Message => ({
  ...m,
  ...copyExtras(m),
  metadata: { ...m.metadata },
  createdAt: new Date(m.createdAt),
  editedAt: m.editedAt && new Date(m.editedAt),
  deletedAt: m.deletedAt && new Date(m.deletedAt),
});
const copyEvent = (e: StoredThreadEvent): StoredThreadEvent =>
  ({ ...e, data: JSON.parse(JSON.stringify(e.data)), createdAt: new Date(e.createdAt) }) as StoredThreadEvent;

/**
 * An in-memory `ChatStore` with the same semantics as the SQL one, for unit tests. Every method
 * changes state without awaiting in between, so each change is as atomic as a transaction.
 */
export class MemoryChatStore implements ChatStore {
  private readonly threads = new Map<string, ThreadState>();

  async createThread(input: NewThread): Promise<{ thread: Thread; event: StoredThreadEvent }> {
    if (this.threads.has(input.id)) throw new Error(`Duplicate id ${input.id}.`);
    const participants = dedupe(input.participants);
    const thread: Thread = {
      id: input.id,
      tenantId: input.tenantId,
      topic: input.topic,
      metadata: sortedMetadata(input.metadata),
      createdBy: input.createdBy,
      createdAt: new Date(input.createdAt),
      lastSequence: 0,
    };
    const state: ThreadState = { thread, participants: new Map(), messages: [], events: [], idempotency: new Map() };
    this.threads.set(thread.id, state);
    const event = this.append(state, "chat.participants.added", { participants, addedBy: input.createdBy }, input.createdAt);
    for (const p of participants) state.participants.set(p.id, participant(thread.id, p, event.sequence));
    return { thread: copyThread(state.thread), event: copyEvent(event) };
  }

  async getThread(tenantId: string, threadId: string): Promise<Thread | undefined> {
    const state = this.state(tenantId, threadId);
    return state && copyThread(state.thread);
  }

  async listThreads(tenantId: string, options: { identityId?: string; after?: string; limit: number }): Promise<Page<Thread>> {
    const { identityId } = options;
    const mine = [...this.threads.values()]
      .filter((s) => s.thread.tenantId === tenantId && (identityId === undefined || s.participants.has(identityId)))
      .map((s) => s.thread);
    const page = pageOf(mine, (t) => ({ createdAt: t.createdAt.toISOString(), id: t.id }), {
      after: options.after,
      limit: options.limit,
      newestFirst: true,
    });
    return { items: page.items.map(copyThread), next: page.next };
  }

  async updateThread(
    tenantId: string,
    threadId: string,
    patch: { topic: string; metadata: Metadata },
    at: Date,
  ): Promise<{ thread: Thread; event: StoredThreadEvent } | undefined> {
    const state = this.state(tenantId, threadId);
    if (!state) return undefined;
    if (state.thread.topic === patch.topic && sameMetadata(state.thread.metadata, patch.metadata)) return undefined;
    const metadata = sortedMetadata(patch.metadata);
    state.thread = { ...state.thread, topic: patch.topic, metadata };
    const event = this.append(state, "chat.thread.updated", { topic: patch.topic, metadata }, at);
    return { thread: copyThread(state.thread), event: copyEvent(event) };
  }

  async getParticipant(tenantId: string, threadId: string, identityId: string): Promise<Participant | undefined> {
    const p = this.state(tenantId, threadId)?.participants.get(identityId);
    return p && copyParticipant(p);
  }

  async listParticipants(tenantId: string, threadId: string): Promise<readonly Participant[]> {
    const state = this.state(tenantId, threadId);
    if (!state) return [];
    return [...state.participants.values()]
      .sort((a, b) => a.joinedSequence - b.joinedSequence || (a.identityId < b.identityId ? -1 : 1))
      .map(copyParticipant);
  }

  async addParticipants(
    tenantId: string,
    threadId: string,
    participants: readonly ParticipantData[],
    addedBy: string | null,
    at: Date,
  ): Promise<StoredThreadEvent | undefined> {
    const state = this.state(tenantId, threadId);
    if (!state) return undefined;
    const changed = dedupe(participants).filter((p) => state.participants.get(p.id)?.displayName !== p.displayName);
    if (changed.length === 0) return undefined;
    const event = this.append(state, "chat.participants.added", { participants: changed, addedBy }, at);
    for (const p of changed) {
      const existing = state.participants.get(p.id);
      state.participants.set(
        p.id,
        existing ? { ...existing, displayName: p.displayName } : participant(threadId, p, event.sequence),
      );
    }
    return copyEvent(event);
  }

  async removeParticipant(
    tenantId: string,
    threadId: string,
    identityId: string,
    removedBy: string | null,
    at: Date,
  ): Promise<StoredThreadEvent | undefined> {
    const state = this.state(tenantId, threadId);
    const existing = state?.participants.get(identityId);
    if (!state || !existing) return undefined;
    state.participants.delete(identityId);
    const removed = [{ id: identityId, displayName: existing.displayName }];
    return copyEvent(this.append(state, "chat.participants.removed", { participants: removed, removedBy }, at));
  }

  async appendMessage(input: NewMessage): Promise<AppendMessageResult> {
    const state = this.state(input.tenantId, input.threadId);
    if (!state) throw notFound("thread", input.threadId);
    const key = input.idempotencyKey === null ? undefined : `${input.senderId}\u0000${input.idempotencyKey}`;
    const firstId = key === undefined ? undefined : state.idempotency.get(key);
    const first = firstId === undefined ? undefined : state.messages.find((m) => m.id === firstId);
    if (first) return { kind: "duplicate", message: copyMessage(first) };
    const sender = state.participants.get(input.senderId);
    if (!sender) throw notParticipant();
    if (this.hasMessage(input.id)) throw new Error(`Duplicate id ${input.id}.`);
    const message: Message = {
      id: input.id,
      threadId: input.threadId,
      sequence: state.thread.lastSequence + 1,
      senderId: input.senderId,
      senderDisplayName: sender.displayName,
      content: input.content,
      metadata: sortedMetadata(input.metadata),
      createdAt: new Date(input.createdAt),
      editedAt: null,
      deletedAt: null,
      ...copyExtras(input),
    };
    const event = this.append(state, "chat.message.received", { message: messageData(message) }, input.createdAt);
    state.messages.push(message);
    if (key !== undefined) state.idempotency.set(key, message.id);
    return { kind: "created", message: copyMessage(message), event: copyEvent(event) };
  }

  async getMessage(tenantId: string, threadId: string, messageId: string): Promise<Message | undefined> {
    const m = this.state(tenantId, threadId)?.messages.find((x) => x.id === messageId);
    return m && copyMessage(m);
  }

  async editMessage(
    tenantId: string,
    threadId: string,
    messageId: string,
    patch: { content: string; metadata: Metadata },
    at: Date,
  ): Promise<{ message: Message; event: StoredThreadEvent }> {
    const { state, index, message } = this.liveMessage(tenantId, threadId, messageId);
    const edited: Message = {
      ...message,
      content: patch.content,
      metadata: sortedMetadata(patch.metadata),
      editedAt: new Date(at),
    };
    state.messages[index] = edited;
    const event = this.append(state, "chat.message.edited", { message: messageData(edited) }, at);
    return { message: copyMessage(edited), event: copyEvent(event) };
  }

  async deleteMessage(
    tenantId: string,
    threadId: string,
    messageId: string,
    at: Date,
  ): Promise<{ message: Message; event: StoredThreadEvent }> {
    const { state, index, message } = this.liveMessage(tenantId, threadId, messageId);
    // Deleting forgets what was said: the content, metadata and extras go, the place in the thread stays.
    const deleted: Message = {
      ...message,
      content: "",
      metadata: {},
      attachments: [],
      quickReplies: [],
      card: null,
      deletedAt: new Date(at),
    };
    state.messages[index] = deleted;
    const event = this.append(state, "chat.message.deleted", { messageId, deletedAt: at.toISOString() }, at);
    return { message: copyMessage(deleted), event: copyEvent(event) };
  }

  async listMessages(tenantId: string, threadId: string, afterSequence: number, limit: number): Promise<readonly Message[]> {
    const state = this.state(tenantId, threadId);
    if (!state) return [];
    return state.messages
      .filter((m) => m.sequence > afterSequence)
      .slice(0, Math.max(0, limit))
      .map(copyMessage);
  }

  async markRead(
    tenantId: string,
    threadId: string,
    identityId: string,
    readUpTo: number,
    at: Date,
  ): Promise<StoredThreadEvent | undefined> {
    const state = this.state(tenantId, threadId);
    const p = state?.participants.get(identityId);
    if (!state || !p || readUpTo <= p.lastReadSequence) return undefined;
    state.participants.set(identityId, { ...p, lastReadSequence: readUpTo });
    return copyEvent(this.append(state, "chat.read", { identityId, readUpTo }, at));
  }

  async listEvents(
    tenantId: string,
    threadId: string,
    afterSequence: number,
    limit: number,
  ): Promise<readonly StoredThreadEvent[]> {
    const state = this.state(tenantId, threadId);
    if (!state) return [];
    return state.events
      .filter((e) => e.sequence > afterSequence)
      .slice(0, Math.max(0, limit))
      .map(copyEvent);
  }

  async membershipsOf(tenantId: string, identityId: string): Promise<readonly Membership[]> {
    const memberships: Membership[] = [];
    for (const state of this.threads.values()) {
      const p = state.thread.tenantId === tenantId ? state.participants.get(identityId) : undefined;
      if (p) memberships.push({ threadId: state.thread.id, joinedSequence: p.joinedSequence });
    }
    return memberships.sort((a, b) => (a.threadId < b.threadId ? -1 : a.threadId > b.threadId ? 1 : 0));
  }

  private state(tenantId: string, threadId: string): ThreadState | undefined {
    const state = this.threads.get(threadId);
    return state && state.thread.tenantId === tenantId ? state : undefined;
  }

  private hasMessage(id: string): boolean {
    for (const state of this.threads.values()) if (state.messages.some((m) => m.id === id)) return true;
    return false;
  }

  private liveMessage(tenantId: string, threadId: string, messageId: string) {
    const state = this.state(tenantId, threadId);
    const index = state ? state.messages.findIndex((m) => m.id === messageId) : -1;
    const message = state?.messages[index];
    if (!state || !message) throw notFound("message", messageId);
    if (message.deletedAt) throw new DomainError("message.deleted", "conflict", "The message has been deleted.");
    return { state, index, message };
  }

  /** Appends the thread's next event; the caller applies the change it describes. */
  private append<T extends StoredThreadEventType>(
    state: ThreadState,
    type: T,
    data: ThreadEventDataByType[T],
    at: Date,
  ): ThreadEventOf<T> {
    const sequence = state.thread.lastSequence + 1;
    state.thread = { ...state.thread, lastSequence: sequence };
    const event: ThreadEventOf<T> = {
      tenantId: state.thread.tenantId,
      threadId: state.thread.id,
      sequence,
      type,
      data: JSON.parse(JSON.stringify(data)),
      createdAt: new Date(at),
    };
    state.events.push(event as StoredThreadEvent);
    return event;
  }
}

const participant = (threadId: string, p: ParticipantData, joinedSequence: number): Participant => ({
  threadId,
  identityId: p.id,
  displayName: p.displayName,
  joinedSequence,
  lastReadSequence: 0,
});

/** One entry per identity: the last display name given wins, the first position stays. */
function dedupe(participants: readonly ParticipantData[]): ParticipantData[] {
  const byId = new Map<string, ParticipantData>();
  for (const p of participants) byId.set(p.id, { id: p.id, displayName: p.displayName });
  return [...byId.values()];
}

const notParticipant = () =>
  new DomainError("thread.not_participant", "forbidden", "Only a participant of the thread may do this.");
