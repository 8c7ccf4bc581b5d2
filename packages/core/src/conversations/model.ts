/**
 * Conversations: one customer's contact, from the first message to its resolution, across the bot and
 * the agents. A conversation owns a chat thread (what was said) and a timeline (what happened).
 */

/** A weekly schedule in a time zone: per weekday (0 = Sunday), opening intervals as "HH:MM" pairs. */
export interface BusinessHours {
  readonly timeZone: string;
  readonly weekly: Readonly<Record<string, readonly (readonly [string, string])[]>>;
}

/** Where customers come in: a website's widget, an app. Each has a bot, a greeting and a queue. */
export interface EntryPoint {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly channel: "web_chat";
  /** The bot identity that answers first; null sends customers straight to the queue. */
  readonly botIdentityId: string | null;
  readonly greeting: string;
  /** Null: always open. */
  readonly businessHours: BusinessHours | null;
  readonly afterHoursMessage: string;
  /** The queue a handoff goes to. */
  readonly handoffQueue: string;
  /** Origins (scheme://host[:port]) whose pages may embed the widget; empty allows none. `*` allows any. */
  readonly allowedOrigins: readonly string[];
  readonly enabled: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** `follow_up`: nobody could take it; the customer was asked to leave a message, out of routing until someone picks it up. */
export const CONVERSATION_STATUSES = ["bot", "awaiting_agent", "with_agent", "follow_up", "resolved"] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

export type HandoffReason = "customer_request" | "not_understood" | "intent_requires_agent" | "no_bot";

/** What the agent gets when the bot hands over: who, verified or not, what they want, what was said. */
export interface Handoff {
  readonly reason: HandoffReason;
  readonly intent: string | null;
  readonly queue: string;
  readonly customer: {
    readonly identityId: string;
    readonly customerId: string | null;
    readonly name: string | null;
    readonly email: string | null;
    readonly verified: boolean;
  };
  readonly summary: string;
  readonly at: string;
}

export interface Conversation {
  readonly id: string;
  readonly tenantId: string;
  readonly threadId: string;
  readonly channel: "web_chat";
  readonly entryPointId: string;
  /** The customer's chat identity. */
  readonly customerIdentityId: string;
  /** The directory record, once the customer proved who they are. */
  readonly customerId: string | null;
  readonly verified: boolean;
  readonly status: ConversationStatus;
  readonly intent: string | null;
  readonly queue: string;
  readonly handoff: Handoff | null;
  /** The agent (identity) handling it now, once one accepted it. */
  readonly agentId: string | null;
  /** How the agent closed it (from the queue's wrap-up codes). */
  readonly wrapUpCode: string | null;
  /** The bot's dialog state (its own JSON). */
  readonly botState: unknown;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** When it started waiting for an agent (its place in the queue). */
  readonly awaitingSince: Date | null;
  readonly resolvedAt: Date | null;
}

/** The timeline: what happened in a conversation, in order. */
export interface ConversationEventDataByType {
  "conversation.created": { readonly entryPointId: string; readonly channel: string; readonly status: ConversationStatus };
  "conversation.intent_detected": { readonly intent: string; readonly confidence: number };
  "conversation.verification_started": { readonly maskedEmail: string };
  "conversation.verification_failed": { readonly reason: "wrong_code" | "expired" | "locked" | "unknown_email" };
  "conversation.customer_verified": { readonly customerId: string; readonly name: string };
  "conversation.handed_off": { readonly handoff: Handoff };
  "conversation.assigned": { readonly agentId: string; readonly agentName: string; readonly queue: string };
  "conversation.transferred": {
    readonly from: string | null;
    readonly to: { readonly kind: "queue" | "worker"; readonly id: string; readonly name: string };
    readonly note: string | null;
  };
  "conversation.left_for_follow_up": { readonly queue: string; readonly reason: string };
  "conversation.resolved": { readonly by: string | null; readonly wrapUpCode: string | null };
}

export type ConversationEventType = keyof ConversationEventDataByType;

export type ConversationEventOf<T extends ConversationEventType> = {
  readonly tenantId: string;
  readonly conversationId: string;
  readonly sequence: number;
  readonly type: T;
  readonly data: ConversationEventDataByType[T];
  readonly createdAt: Date;
};

export type ConversationEvent = { [T in ConversationEventType]: ConversationEventOf<T> }[ConversationEventType];

/** A widget visitor's long-lived session: lets a reload or a new tab find the same conversation. */
export interface WidgetSession {
  readonly id: string;
  readonly tenantId: string;
  readonly entryPointId: string;
  readonly identityId: string;
  readonly secretDigest: string;
  readonly createdAt: Date;
}
