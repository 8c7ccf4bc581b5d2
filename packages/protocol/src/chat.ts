import { z } from "zod";
import { Id, Metadata, pageOf, Timestamp } from "./common.js";

export const Thread = z
  .object({
    id: Id,
    topic: z.string(),
    metadata: Metadata,
    createdBy: Id.nullable(),
    createdAt: Timestamp,
    lastSequence: z.number().int().describe("Sequence of the thread's latest event"),
  })
  .meta({ id: "Thread" });
export type Thread = z.infer<typeof Thread>;
export const ThreadPage = pageOf(Thread);
export type ThreadPage = z.infer<typeof ThreadPage>;

export const ParticipantInput = z.object({ id: Id, displayName: z.string().max(128).optional() });
export type ParticipantInput = z.infer<typeof ParticipantInput>;

export const CreateThreadRequest = z.object({
  topic: z.string().max(256).default(""),
  metadata: Metadata.optional(),
  participants: z.array(ParticipantInput).max(100).default([]),
});
export type CreateThreadRequest = z.input<typeof CreateThreadRequest>;

export const UpdateThreadRequest = z.object({ topic: z.string().max(256).optional(), metadata: Metadata.optional() });
export type UpdateThreadRequest = z.infer<typeof UpdateThreadRequest>;

export const Participant = z
  .object({
    id: Id,
    displayName: z.string(),
    joinedSequence: z.number().int(),
    lastReadSequence: z.number().int(),
  })
  .meta({ id: "Participant" });
export type Participant = z.infer<typeof Participant>;

export const AddParticipantsRequest = z.object({ participants: z.array(ParticipantInput).min(1).max(100) });
export type AddParticipantsRequest = z.infer<typeof AddParticipantsRequest>;

export const AttachmentRef = z
  .object({
    id: Id,
    fileName: z.string(),
    contentType: z.string(),
    size: z.number().int().describe("Bytes"),
  })
  .meta({ id: "AttachmentRef" });
export type AttachmentRef = z.infer<typeof AttachmentRef>;

export const QuickReply = z
  .object({ label: z.string().min(1).max(80), value: z.string().min(1).max(500).describe("Sent back as the message text") })
  .meta({ id: "QuickReply" });
export type QuickReply = z.infer<typeof QuickReply>;

export const Card = z
  .object({
    title: z.string().min(1).max(200),
    text: z.string().max(2000).optional(),
    imageUrl: z.url().max(2000).optional(),
    buttons: z
      .array(
        z.object({
          label: z.string().min(1).max(80),
          value: z.string().max(500).optional().describe("Sent back as a message when tapped"),
          url: z.url().max(2000).optional().describe("Opened when tapped"),
        }),
      )
      .max(5)
      .optional(),
  })
  .meta({ id: "Card" });
export type Card = z.infer<typeof Card>;

export const Message = z
  .object({
    id: Id,
    sequence: z.number().int(),
    senderId: Id,
    senderDisplayName: z.string(),
    content: z.string().describe("Empty once deleted"),
    metadata: Metadata,
    createdAt: Timestamp,
    editedAt: Timestamp.nullable(),
    deletedAt: Timestamp.nullable(),
    attachments: z.array(AttachmentRef).describe("Download with GET /v1/attachments/{id}"),
    quickReplies: z.array(QuickReply),
    card: Card.nullable(),
  })
  .meta({ id: "Message" });
export type Message = z.infer<typeof Message>;

export const MessagePage = z.object({
  items: z.array(Message),
  next: z.number().int().nullable().describe("Pass as `after` for the next page; null at the end"),
});
export type MessagePage = z.infer<typeof MessagePage>;

export const SequenceQuery = z.object({
  after: z.coerce.number().int().min(0).default(0).describe("Return items with a higher sequence"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const SendMessageRequest = z.object({
  content: z.string().max(8000).describe("May be empty when the message carries attachments or a card"),
  metadata: Metadata.optional(),
  idempotencyKey: z.string().min(1).max(128).optional().describe("A retry with the same key returns the first message"),
  attachmentIds: z.array(Id).max(10).optional().describe("Files uploaded to this thread by the sender"),
  quickReplies: z.array(QuickReply).max(10).optional(),
  card: Card.optional(),
});
export type SendMessageRequest = z.infer<typeof SendMessageRequest>;

export const EditMessageRequest = z.object({ content: z.string().min(1).max(8000), metadata: Metadata.optional() });
export type EditMessageRequest = z.infer<typeof EditMessageRequest>;

export const ReadRequest = z.object({ sequence: z.number().int().min(0).describe("Everything up to this sequence is read") });
export type ReadRequest = z.infer<typeof ReadRequest>;

const ParticipantData = z.object({ id: Id, displayName: z.string() });

/** The data of each thread event, by type. */
export const ThreadEventData = {
  "chat.message.received": z.object({ message: Message }),
  "chat.message.edited": z.object({ message: Message }),
  "chat.message.deleted": z.object({ messageId: Id, deletedAt: Timestamp }),
  "chat.participants.added": z.object({ participants: z.array(ParticipantData), addedBy: Id.nullable() }),
  "chat.participants.removed": z.object({ participants: z.array(ParticipantData), removedBy: Id.nullable() }),
  "chat.read": z.object({ identityId: Id, readUpTo: z.number().int() }),
  "chat.thread.updated": z.object({ topic: z.string(), metadata: Metadata }),
  "chat.typing": z.object({ identityId: Id, displayName: z.string() }),
} as const;
export type ThreadEventType = keyof typeof ThreadEventData;
export const THREAD_EVENT_TYPES = Object.keys(ThreadEventData) as ThreadEventType[];

const eventOf = <T extends ThreadEventType>(type: T) =>
  z.object({
    type: z.literal(type),
    threadId: Id,
    sequence: z.number().int().describe("The event's place in its thread (typing: the thread's current sequence)"),
    createdAt: Timestamp,
    data: ThreadEventData[type],
  });

export const ThreadEvent = z
  .discriminatedUnion("type", [
    eventOf("chat.message.received"),
    eventOf("chat.message.edited"),
    eventOf("chat.message.deleted"),
    eventOf("chat.participants.added"),
    eventOf("chat.participants.removed"),
    eventOf("chat.read"),
    eventOf("chat.thread.updated"),
    eventOf("chat.typing"),
  ])
  .meta({ id: "ThreadEvent" });
export type ThreadEvent = z.infer<typeof ThreadEvent>;
export type ThreadEventOf<T extends ThreadEventType> = Extract<ThreadEvent, { type: T }>;

export const ThreadEventPage = z.object({ items: z.array(ThreadEvent), next: z.number().int().nullable() });
export type ThreadEventPage = z.infer<typeof ThreadEventPage>;

export const Attachment = z
  .object({
    id: Id,
    threadId: Id,
    uploaderId: Id,
    fileName: z.string(),
    contentType: z.string(),
    size: z.number().int(),
    createdAt: Timestamp,
  })
  .meta({ id: "Attachment" });
export type Attachment = z.infer<typeof Attachment>;
