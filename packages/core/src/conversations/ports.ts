import type { Page } from "../identity/ports.js";
import type {
  Conversation,
  ConversationEvent,
  ConversationEventDataByType,
  ConversationEventType,
  ConversationStatus,
  EntryPoint,
  WidgetSession,
} from "./model.js";

export interface EntryPointStore {
  createEntryPoint(entryPoint: EntryPoint): Promise<EntryPoint>;
  updateEntryPoint(entryPoint: EntryPoint): Promise<EntryPoint>;
  deleteEntryPoint(tenantId: string, id: string): Promise<boolean>;
  getEntryPoint(tenantId: string, id: string): Promise<EntryPoint | undefined>;
  /** An entry point by id alone: the widget names only the entry point, which names the tenant. */
  findEntryPoint(id: string): Promise<EntryPoint | undefined>;
  listEntryPoints(tenantId: string): Promise<readonly EntryPoint[]>;
}

export interface ConversationFilter {
  readonly status?: ConversationStatus;
  readonly entryPointId?: string;
  readonly customerIdentityId?: string;
  readonly customerId?: string;
  readonly queue?: string;
  readonly agentId?: string;
}

/** A change to a conversation and the timeline event that records it, applied together. */
export interface ConversationChange<T extends ConversationEventType> {
  readonly patch: Partial<
    Pick<
      Conversation,
      | "customerId"
      | "verified"
      | "status"
      | "intent"
      | "queue"
      | "handoff"
      | "botState"
      | "awaitingSince"
      | "resolvedAt"
      | "agentId"
      | "wrapUpCode"
    >
  >;
  readonly event?: { readonly type: T; readonly data: ConversationEventDataByType[T] };
  readonly at: Date;
}

/**
 * Conversations and their timelines. Each change that records an event appends it with the
 * conversation's next timeline sequence, in the transaction of the change (the timeline is an outbox).
 */
export interface ConversationStore {
  /** Creates the conversation and its `conversation.created` event (sequence 1). */
  createConversation(conversation: Conversation): Promise<{ conversation: Conversation; event: ConversationEvent }>;
  getConversation(tenantId: string, id: string): Promise<Conversation | undefined>;
  getConversationByThread(tenantId: string, threadId: string): Promise<Conversation | undefined>;
  /** Newest first. */
  listConversations(
    tenantId: string,
    filter: ConversationFilter,
    options: { after?: string; limit: number },
  ): Promise<Page<Conversation>>;
  /** Applies the patch (and appends the event, when given); undefined when there is no such conversation. */
  changeConversation<T extends ConversationEventType>(
    tenantId: string,
    id: string,
    change: ConversationChange<T>,
  ): Promise<{ conversation: Conversation; event: ConversationEvent | undefined } | undefined>;
  listConversationEvents(
    tenantId: string,
    id: string,
    afterSequence: number,
    limit: number,
  ): Promise<readonly ConversationEvent[]>;
  /** How many conversations of the queue have waited longer than `since` (for the queue position). */
  countAwaitingBefore(tenantId: string, queue: string, since: Date): Promise<number>;

  createWidgetSession(session: WidgetSession): Promise<WidgetSession>;
  findWidgetSession(secretDigest: string): Promise<WidgetSession | undefined>;
}

/** Tells the interested parts (the bot, later the router and the agents' desktops) what happened. */
export interface ConversationEventPublisher {
  publishConversationEvent(event: ConversationEvent, conversation: Conversation): void;
}
