import { z } from "zod";
import { Id, pageOf, Timestamp } from "./common.js";

export const BusinessHours = z
  .object({
    timeZone: z.string().min(1).max(64).describe("IANA time zone, e.g. Europe/Berlin"),
    weekly: z
      .record(z.string(), z.array(z.tuple([z.string(), z.string()])))
      .describe('Per weekday ("0" = Sunday … "6"), opening intervals as ["09:00", "17:30"]'),
  })
  .meta({ id: "BusinessHours" });
export type BusinessHours = z.infer<typeof BusinessHours>;

export const EntryPoint = z
  .object({
    id: Id,
    name: z.string(),
    channel: z.literal("web_chat"),
    botIdentityId: Id.nullable(),
    greeting: z.string(),
    businessHours: BusinessHours.nullable(),
    afterHoursMessage: z.string(),
    handoffQueue: z.string(),
    allowedOrigins: z.array(z.string()),
    enabled: z.boolean(),
    embedCode: z.string().describe("The script tag to paste into a page"),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: "EntryPoint" });
export type EntryPoint = z.infer<typeof EntryPoint>;

export const EntryPointInput = z.object({
  name: z.string().min(1).max(200),
  botIdentityId: Id.nullable().optional().describe("The bot that answers first; null: straight to the queue"),
  greeting: z.string().max(1000).optional(),
  businessHours: BusinessHours.nullable().optional(),
  afterHoursMessage: z.string().max(1000).optional(),
  handoffQueue: z.string().min(1).max(100).optional(),
  allowedOrigins: z
    .array(z.string().max(300))
    .max(50)
    .optional()
    .describe("scheme://host[:port] of pages that may embed it, or *"),
  enabled: z.boolean().optional(),
});
export type EntryPointInput = z.infer<typeof EntryPointInput>;
export const EntryPointPatch = EntryPointInput.partial();
export type EntryPointPatch = z.infer<typeof EntryPointPatch>;

export const ConversationStatus = z.enum(["bot", "awaiting_agent", "with_agent", "follow_up", "resolved"]);
export type ConversationStatus = z.infer<typeof ConversationStatus>;

export const Handoff = z
  .object({
    reason: z.enum(["customer_request", "not_understood", "intent_requires_agent", "no_bot"]),
    intent: z.string().nullable(),
    queue: z.string(),
    customer: z.object({
      identityId: Id,
      customerId: Id.nullable(),
      name: z.string().nullable(),
      email: z.string().nullable(),
      verified: z.boolean(),
    }),
    summary: z.string(),
    at: Timestamp,
  })
  .meta({ id: "Handoff" });
export type Handoff = z.infer<typeof Handoff>;

export const Conversation = z
  .object({
    id: Id,
    threadId: Id,
    channel: z.literal("web_chat"),
    entryPointId: Id,
    customerIdentityId: Id,
    customerId: Id.nullable(),
    verified: z.boolean(),
    status: ConversationStatus,
    intent: z.string().nullable(),
    queue: z.string(),
    handoff: Handoff.nullable(),
    agentId: Id.nullable().describe("The agent handling it, once one accepted it"),
    wrapUpCode: z.string().nullable(),
    queuePosition: z.number().int().nullable().describe("1 = next, while awaiting an agent"),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    awaitingSince: Timestamp.nullable(),
    resolvedAt: Timestamp.nullable(),
  })
  .meta({ id: "Conversation" });
export type Conversation = z.infer<typeof Conversation>;
export const ConversationPage = pageOf(Conversation);
export type ConversationPage = z.infer<typeof ConversationPage>;

export const ConversationQuery = z.object({
  status: ConversationStatus.optional(),
  agentId: Id.optional(),
  entryPointId: Id.optional(),
  customerId: Id.optional(),
  queue: z.string().max(100).optional(),
  after: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const ConversationEvent = z
  .object({
    type: z.string().describe("conversation.created, conversation.intent_detected, conversation.handed_off, …"),
    sequence: z.number().int(),
    createdAt: Timestamp,
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: "ConversationEvent" });
export type ConversationEvent = z.infer<typeof ConversationEvent>;

/** The widget's public call (no credential; the page's Origin must be allowed by the entry point). */
export const WidgetSessionRequest = z.object({
  entryPointId: Id,
  sessionSecret: z.string().max(200).optional().describe("From an earlier session in this browser: resume it"),
  newConversation: z.boolean().optional().describe("Start over even if the last conversation is open"),
});
export type WidgetSessionRequest = z.infer<typeof WidgetSessionRequest>;

export const WidgetSession = z
  .object({
    identityId: Id,
    token: z.string().describe("Access token (scope chat) for the chat API and the real-time socket"),
    expiresAt: Timestamp,
    sessionSecret: z.string().describe("Keep it (localStorage) to resume; renew the token with it"),
    resumed: z.boolean(),
    conversation: Conversation,
    entryPoint: z.object({ id: Id, name: z.string(), greeting: z.string(), open: z.boolean(), afterHoursMessage: z.string() }),
    limits: z.object({
      attachmentMaxBytes: z.number().int(),
      attachmentTypes: z.array(z.string()),
      messageMaxLength: z.number().int(),
    }),
  })
  .meta({ id: "WidgetSession" });
export type WidgetSession = z.infer<typeof WidgetSession>;
