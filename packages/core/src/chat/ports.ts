import type { Page } from "../identity/ports.js";
import type {
  Message,
  MessageExtras,
  Metadata,
  Participant,
  ParticipantData,
  StoredThreadEvent,
  Thread,
  ThreadEvent,
} from "./model.js";

export interface NewThread {
  readonly id: string;
  readonly tenantId: string;
  readonly topic: string;
  readonly metadata: Metadata;
  readonly createdBy: string | null;
  readonly participants: readonly ParticipantData[];
  readonly createdAt: Date;
}

export interface NewMessage extends MessageExtras {
  readonly id: string;
  readonly tenantId: string;
  readonly threadId: string;
  readonly senderId: string;
  readonly content: string;
  readonly metadata: Metadata;
  /** A retried send with the same key from the same sender returns the first message. */
  readonly idempotencyKey: string | null;
  readonly createdAt: Date;
}

export type AppendMessageResult =
  | { readonly kind: "created"; readonly message: Message; readonly event: StoredThreadEvent }
  | { readonly kind: "duplicate"; readonly message: Message };

/** A thread the identity is in, and where its part of the thread began. */
export interface Membership {
  readonly threadId: string;
  readonly joinedSequence: number;
}

/**
 * Persistence of threads. Each method that changes a thread appends its event (with the thread's
 * next sequence) in the same transaction as the change, so the event log is the outbox.
 * Every method is scoped by tenant: another tenant's thread is as good as absent.
 */
export interface ChatStore {
  /** Creates the thread and its first event, `chat.participants.added` with the initial participants. */
  createThread(thread: NewThread): Promise<{ thread: Thread; event: StoredThreadEvent }>;
  getThread(tenantId: string, threadId: string): Promise<Thread | undefined>;
  /** Threads newest first; only those the identity is in when `identityId` is given. */
  listThreads(tenantId: string, options: { identityId?: string; after?: string; limit: number }): Promise<Page<Thread>>;
  updateThread(
    tenantId: string,
    threadId: string,
    patch: { topic: string; metadata: Metadata },
    at: Date,
  ): Promise<{ thread: Thread; event: StoredThreadEvent } | undefined>;

  getParticipant(tenantId: string, threadId: string, identityId: string): Promise<Participant | undefined>;
  listParticipants(tenantId: string, threadId: string): Promise<readonly Participant[]>;
  /** Adds those not yet in the thread (and renames those who are); no event when nothing changed. */
  addParticipants(
    tenantId: string,
    threadId: string,
    participants: readonly ParticipantData[],
    addedBy: string | null,
    at: Date,
  ): Promise<StoredThreadEvent | undefined>;
  removeParticipant(
    tenantId: string,
    threadId: string,
    identityId: string,
    removedBy: string | null,
    at: Date,
  ): Promise<StoredThreadEvent | undefined>;

  appendMessage(message: NewMessage): Promise<AppendMessageResult>;
  getMessage(tenantId: string, threadId: string, messageId: string): Promise<Message | undefined>;
  editMessage(
    tenantId: string,
    threadId: string,
    messageId: string,
    patch: { content: string; metadata: Metadata },
    at: Date,
  ): Promise<{ message: Message; event: StoredThreadEvent }>;
  deleteMessage(
    tenantId: string,
    threadId: string,
    messageId: string,
    at: Date,
  ): Promise<{ message: Message; event: StoredThreadEvent }>;
  /** Messages with a sequence above `afterSequence`, in order. */
  listMessages(tenantId: string, threadId: string, afterSequence: number, limit: number): Promise<readonly Message[]>;

  /** Moves the participant's read marker forward; no event when it would not move. */
  markRead(
    tenantId: string,
    threadId: string,
    identityId: string,
    readUpTo: number,
    at: Date,
  ): Promise<StoredThreadEvent | undefined>;

  /** Stored events with a sequence above `afterSequence`, in order. */
  listEvents(tenantId: string, threadId: string, afterSequence: number, limit: number): Promise<readonly StoredThreadEvent[]>;
  /** Every thread the identity is in. */
  membershipsOf(tenantId: string, identityId: string): Promise<readonly Membership[]>;
}

/** Delivers thread events to whoever is connected (in-process hub, or Redis across nodes). */
export interface ThreadEventPublisher {
  publish(event: ThreadEvent): void;
}
