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

/** A file attached to a message, as the message carries it. */
export interface AttachmentRef {
  readonly id: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
}

/** A suggested answer the customer can tap; its value is sent back as the message text. */
export interface QuickReply {
  readonly label: string;
  readonly value: string;
}

export interface CardButton {
  readonly label: string;
  /** Sent back as a message when tapped. */
  readonly value?: string;
  /** Opened in a new tab when tapped. */
  readonly url?: string;
}

/** A rich block a bot or agent sends: a title, text and buttons. */
export interface Card {
  readonly title: string;
  readonly text?: string;
  readonly imageUrl?: string;
  readonly buttons?: readonly CardButton[];
}

/** What a message carries besides its text. */
export interface MessageExtras {
  readonly attachments: readonly AttachmentRef[];
  readonly quickReplies: readonly QuickReply[];
  readonly card: Card | null;
}

export const NO_EXTRAS: MessageExtras = { attachments: [], quickReplies: [], card: null };

export interface Message extends MessageExtras {
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
export interface MessageData extends MessageExtras {
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
  attachments: m.attachments,
  quickReplies: m.quickReplies,
  card: m.card,
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
  attachmentsPerMessage: 10,
  quickRepliesPerMessage: 10,
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
