/**
 * Chat threads. Everything that happens in a thread is a thread event with the next number of the
 * thread's sequence; a message carries the sequence of the event that created it. Clients page and
 * resume by that sequence.
 */

export type Metadata = Readonly<Record<string, string>>;

export interface Thread {
  readonly id: string;
  readonly tenantId: string;
  readonly topic: string;
  readonly metadata: Metadata;
  /** The identity that created the thread, or null when an API key did. */
  readonly createdBy: string | null;
  readonly createdAt: Date;
  /** Sequence of the thread's latest event. */
  readonly lastSequence: number;
}

export interface Participant {
  readonly threadId: string;
  readonly identityId: string;
  readonly displayName: string;
  /** Sequence of the event that added this participant. */
  readonly joinedSequence: number;
  /** Highest sequence this participant has marked read (0 for none). */
  readonly lastReadSequence: number;
}

export interface Message {
  readonly id: string;
  readonly threadId: string;
  readonly sequence: number;
  readonly senderId: string;
  readonly senderDisplayName: string;
  /** Empty once the message is deleted. */
  readonly content: string;
  readonly metadata: Metadata;
  readonly createdAt: Date;
  readonly editedAt: Date | null;
  readonly deletedAt: Date | null;
}

/** A message as it travels inside events and over the wire: plain JSON. */
export interface MessageData {
  readonly id: string;
  readonly sequence: number;
  readonly senderId: string;
  readonly senderDisplayName: string;
  readonly content: string;
  readonly metadata: Metadata;
  readonly createdAt: string;
  readonly editedAt: string | null;
  readonly deletedAt: string | null;
}

export const messageData = (m: Message): MessageData => ({
  id: m.id,
  sequence: m.sequence,
  senderId: m.senderId,
  senderDisplayName: m.senderDisplayName,
  content: m.content,
  metadata: m.metadata,
  createdAt: m.createdAt.toISOString(),
  editedAt: m.editedAt?.toISOString() ?? null,
  deletedAt: m.deletedAt?.toISOString() ?? null,
});

export interface ParticipantData {
  readonly id: string;
  readonly displayName: string;
}

/** The data of each thread event type. Typing is the one event that is not stored. */
export interface ThreadEventDataByType {
  "chat.message.received": { readonly message: MessageData };
  "chat.message.edited": { readonly message: MessageData };
  "chat.message.deleted": { readonly messageId: string; readonly deletedAt: string };
  "chat.participants.added": { readonly participants: readonly ParticipantData[]; readonly addedBy: string | null };
  "chat.participants.removed": { readonly participants: readonly ParticipantData[]; readonly removedBy: string | null };
  "chat.read": { readonly identityId: string; readonly readUpTo: number };
  "chat.thread.updated": { readonly topic: string; readonly metadata: Metadata };
  "chat.typing": { readonly identityId: string; readonly displayName: string };
}

export type ThreadEventType = keyof ThreadEventDataByType;
export type StoredThreadEventType = Exclude<ThreadEventType, "chat.typing">;

export type ThreadEventOf<T extends ThreadEventType> = {
  readonly tenantId: string;
  readonly threadId: string;
  /**
   * The event's place in the thread. Typing events are not stored: they carry the thread's
   * current sequence, so a client's resume point never moves past a stored event it has not seen.
   */
  readonly sequence: number;
  readonly type: T;
  readonly data: ThreadEventDataByType[T];
  readonly createdAt: Date;
};

export type ThreadEvent = { [T in ThreadEventType]: ThreadEventOf<T> }[ThreadEventType];
export type StoredThreadEvent = { [T in StoredThreadEventType]: ThreadEventOf<T> }[StoredThreadEventType];

/** Limits that keep one client from filling the store. */
export const CHAT_LIMITS = {
  contentMaxLength: 8000,
  topicMaxLength: 256,
  displayNameMaxLength: 128,
  metadataMaxEntries: 32,
  metadataValueMaxLength: 1024,
  participantsPerRequest: 100,
  idempotencyKeyMaxLength: 128,
  pageMaxSize: 200,
} as const;

/** A page size within 1 and the largest page. */
export const clampPageSize = (limit: number): number => Math.min(Math.max(Math.trunc(limit), 1), CHAT_LIMITS.pageMaxSize);
