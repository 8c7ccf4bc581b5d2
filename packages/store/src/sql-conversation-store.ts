import {
  type Conversation,
  type ConversationChange,
  type ConversationEvent,
  type ConversationEventDataByType,
  type ConversationEventOf,
  type ConversationEventType,
  type ConversationFilter,
  type ConversationStatus,
  type ConversationStore,
  DomainError,
  type Handoff,
  notFound,
  type Page,
  type WidgetSession,
} from "@switchboard/core";
import type { Kysely, Selectable, Transaction, Updateable } from "kysely";
import { guard, isForeignKeyViolation, StoreError, uniqueViolation } from "./errors.js";
import { decodeCursor, pageFrom, pageLimit } from "./paging.js";
import type { ConversationEventsTable, ConversationsTable, Database, WidgetSessionsTable } from "./schema.js";

const date = (text: string | null): Date | null => (text === null ? null : new Date(text));

const toConversation = (r: Selectable<ConversationsTable>): Conversation => ({
  id: r.id,
  tenantId: r.tenant_id,
  threadId: r.thread_id,
  channel: r.channel as Conversation["channel"],
  entryPointId: r.entry_point_id,
  customerIdentityId: r.customer_identity_id,
  customerId: r.customer_id,
  verified: r.verified !== 0,
  status: r.status as ConversationStatus,
  intent: r.intent,
  queue: r.queue,
  handoff: r.handoff === null ? null : (JSON.parse(r.handoff) as Handoff),
  agentId: r.agent_id,
  wrapUpCode: r.wrap_up_code,
  botState: JSON.parse(r.bot_state),
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
  awaitingSince: date(r.awaiting_since),
  resolvedAt: date(r.resolved_at),
});

/** The bot's state as JSON; `undefined` (which JSON cannot say) is stored as `null`. */
const botStateJson = (state: unknown): string => JSON.stringify(state ?? null);

const conversationRow = (c: Conversation, lastSequence: number): Selectable<ConversationsTable> => ({
  id: c.id,
  tenant_id: c.tenantId,
  thread_id: c.threadId,
  channel: c.channel,
  entry_point_id: c.entryPointId,
  customer_identity_id: c.customerIdentityId,
  customer_id: c.customerId,
  verified: c.verified ? 1 : 0,
  status: c.status,
  intent: c.intent,
  queue: c.queue,
  handoff: c.handoff === null ? null : JSON.stringify(c.handoff),
  agent_id: c.agentId,
  wrap_up_code: c.wrapUpCode,
  bot_state: botStateJson(c.botState),
  created_at: c.createdAt.toISOString(),
  updated_at: c.updatedAt.toISOString(),
  awaiting_since: c.awaitingSince?.toISOString() ?? null,
  resolved_at: c.resolvedAt?.toISOString() ?? null,
  last_sequence: lastSequence,
});

type Patch = ConversationChange<ConversationEventType>["patch"];

/**
 * The columns of each patchable field. A record, so that a field the core makes patchable fails to
 * compile here until it is mapped.
 */
const PATCH_COLUMNS: { readonly [K in keyof Patch]-?: (value: Exclude<Patch[K], undefined>) => Updateable<ConversationsTable> } =
  {
    customerId: (v) => ({ customer_id: v }),
    verified: (v) => ({ verified: v ? 1 : 0 }),
    status: (v) => ({ status: v }),
    intent: (v) => ({ intent: v }),
    queue: (v) => ({ queue: v }),
    handoff: (v) => ({ handoff: v === null ? null : JSON.stringify(v) }),
    botState: (v) => ({ bot_state: botStateJson(v) }),
    awaitingSince: (v) => ({ awaiting_since: v?.toISOString() ?? null }),
    resolvedAt: (v) => ({ resolved_at: v?.toISOString() ?? null }),
    agentId: (v) => ({ agent_id: v }),
    wrapUpCode: (v) => ({ wrap_up_code: v }),
  };

/** The columns a change's patch sets: only the fields it names (an `undefined` value names none). */
function patchColumns(patch: Patch): Updateable<ConversationsTable> {
  const columns: Updateable<ConversationsTable> = {};
  for (const key of Object.keys(PATCH_COLUMNS) as (keyof Patch)[]) {
    const value = patch[key];
    if (value !== undefined)
      Object.assign(columns, (PATCH_COLUMNS[key] as (v: unknown) => Updateable<ConversationsTable>)(value));
  }
  return columns;
}

// A record, so that a new event type in the core fails to compile here until it is listed.
const EVENT_TYPES: Readonly<Record<ConversationEventType, true>> = {
  "conversation.created": true,
  "conversation.intent_detected": true,
  "conversation.verification_started": true,
  "conversation.verification_failed": true,
  "conversation.customer_verified": true,
  "conversation.handed_off": true,
  "conversation.assigned": true,
  "conversation.transferred": true,
  "conversation.left_for_follow_up": true,
  "conversation.resolved": true,
};

function toEvent(r: Selectable<ConversationEventsTable>): ConversationEvent {
  if (!Object.hasOwn(EVENT_TYPES, r.type)) {
    throw new StoreError(`Conversation ${r.conversation_id} has an event of unknown type ${r.type} at sequence ${r.sequence}.`);
  }
  const data = JSON.parse(r.data);
  // A resolution recorded before migration 0003 has no wrap-up code: it reads as none.
  if (r.type === "conversation.resolved" && data.wrapUpCode === undefined) data.wrapUpCode = null;
  return {
    tenantId: r.tenant_id,
    conversationId: r.conversation_id,
    sequence: r.sequence,
    type: r.type,
    data,
    createdAt: new Date(r.created_at),
  } as ConversationEvent;
}

const eventRow = (e: ConversationEvent): Selectable<ConversationEventsTable> => ({
  tenant_id: e.tenantId,
  conversation_id: e.conversationId,
  sequence: e.sequence,
  type: e.type,
  data: JSON.stringify(e.data),
  created_at: e.createdAt.toISOString(),
});

function conversationEvent<T extends ConversationEventType>(
  c: Pick<Conversation, "tenantId" | "id">,
  sequence: number,
  type: T,
  data: ConversationEventDataByType[T],
  at: Date,
): ConversationEvent {
  const event: ConversationEventOf<T> = {
    tenantId: c.tenantId,
    conversationId: c.id,
    sequence,
    type,
    data,
    createdAt: new Date(at),
  };
  return event as ConversationEvent;
}

const toWidgetSession = (r: Selectable<WidgetSessionsTable>): WidgetSession => ({
  id: r.id,
  tenantId: r.tenant_id,
  entryPointId: r.entry_point_id,
  identityId: r.identity_id,
  secretDigest: r.secret_digest,
  createdAt: new Date(r.created_at),
});

const widgetSessionRow = (s: WidgetSession): Selectable<WidgetSessionsTable> => ({
  id: s.id,
  tenant_id: s.tenantId,
  entry_point_id: s.entryPointId,
  identity_id: s.identityId,
  secret_digest: s.secretDigest,
  created_at: s.createdAt.toISOString(),
});

const insertEvent = (db: Transaction<Database>, e: ConversationEvent) =>
  db.insertInto("conversation_events").values(eventRow(e)).execute();

/**
 * `ConversationStore` on SQLite or PostgreSQL. `conversation_events` is the timeline's outbox: a change
 * that records an event bumps `conversations.last_sequence` (`UPDATE ... RETURNING`, which on PostgreSQL
 * also serializes the conversation's writers) and inserts the event in the same transaction.
 */
export class SqlConversationStore implements ConversationStore {
  constructor(private readonly db: Kysely<Database>) {}

  createConversation(conversation: Conversation): Promise<{ conversation: Conversation; event: ConversationEvent }> {
    return guard("create the conversation", async () => {
      const row = conversationRow(conversation, 1);
      const data = { entryPointId: conversation.entryPointId, channel: conversation.channel, status: conversation.status };
      const event = conversationEvent(conversation, 1, "conversation.created", data, conversation.createdAt);
      try {
        await this.db.transaction().execute(async (trx) => {
          await trx.insertInto("conversations").values(row).execute();
          await insertEvent(trx, event);
        });
      } catch (error) {
        if (isForeignKeyViolation(error)) throw notFound("tenant", conversation.tenantId);
        throw error;
      }
      return { conversation: toConversation(row), event };
    });
  }

  getConversation(tenantId: string, id: string): Promise<Conversation | undefined> {
    return this.findBy(tenantId, "id", id);
  }

  getConversationByThread(tenantId: string, threadId: string): Promise<Conversation | undefined> {
    return this.findBy(tenantId, "thread_id", threadId);
  }

  listConversations(
    tenantId: string,
    filter: ConversationFilter,
    options: { after?: string; limit: number },
  ): Promise<Page<Conversation>> {
    return guard("list conversations", async () => {
      const limit = pageLimit(options.limit);
      let query = this.db.selectFrom("conversations").selectAll().where("tenant_id", "=", tenantId);
      if (filter.status !== undefined) query = query.where("status", "=", filter.status);
      if (filter.entryPointId !== undefined) query = query.where("entry_point_id", "=", filter.entryPointId);
      if (filter.customerIdentityId !== undefined) query = query.where("customer_identity_id", "=", filter.customerIdentityId);
      if (filter.customerId !== undefined) query = query.where("customer_id", "=", filter.customerId);
      if (filter.queue !== undefined) query = query.where("queue", "=", filter.queue);
      if (filter.agentId !== undefined) query = query.where("agent_id", "=", filter.agentId);
      if (options.after !== undefined) {
        const after = decodeCursor(options.after);
        query = query.where((eb) =>
          eb.or([
            eb("created_at", "<", after.createdAt),
            eb.and([eb("created_at", "=", after.createdAt), eb("id", "<", after.id)]),
          ]),
        );
      }
      const rows = await query
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .limit(limit + 1)
        .execute();
      return pageFrom(rows, limit, toConversation);
    });
  }

  changeConversation<T extends ConversationEventType>(
    tenantId: string,
    id: string,
    change: ConversationChange<T>,
  ): Promise<{ conversation: Conversation; event: ConversationEvent | undefined } | undefined> {
    return guard("change the conversation", () =>
      this.db.transaction().execute(async (trx) => {
        // With an event this takes the timeline's next sequence, and on PostgreSQL the row's lock.
        const row = await trx
          .updateTable("conversations")
          .set((eb) => ({
            ...patchColumns(change.patch),
            updated_at: change.at.toISOString(),
            ...(change.event ? { last_sequence: eb("last_sequence", "+", 1) } : {}),
          }))
          .where("tenant_id", "=", tenantId)
          .where("id", "=", id)
          .returningAll()
          .executeTakeFirst();
        if (!row) return undefined;
        const conversation = toConversation(row);
        if (!change.event) return { conversation, event: undefined };
        const event = conversationEvent(conversation, row.last_sequence, change.event.type, change.event.data, change.at);
        await insertEvent(trx, event);
        return { conversation, event };
      }),
    );
  }

  listConversationEvents(
    tenantId: string,
    id: string,
    afterSequence: number,
    limit: number,
  ): Promise<readonly ConversationEvent[]> {
    return guard("list conversation events", async () => {
      const rows = await this.db
        .selectFrom("conversation_events")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where("conversation_id", "=", id)
        .where("sequence", ">", afterSequence)
        .orderBy("sequence")
        .limit(Math.max(0, limit))
        .execute();
      return rows.map(toEvent);
    });
  }

  countAwaitingBefore(tenantId: string, queue: string, since: Date): Promise<number> {
    return guard("count the waiting conversations", async () => {
      const row = await this.db
        .selectFrom("conversations")
        .select((eb) => eb.fn.countAll<number | string | bigint>().as("count"))
        .where("tenant_id", "=", tenantId)
        .where("queue", "=", queue)
        .where("status", "=", "awaiting_agent")
        .where("awaiting_since", "<", since.toISOString())
        .executeTakeFirst();
      // PostgreSQL counts in bigint, which pg returns as text.
      return Number(row?.count ?? 0);
    });
  }

  createWidgetSession(session: WidgetSession): Promise<WidgetSession> {
    return guard("create the widget session", async () => {
      const row = widgetSessionRow(session);
      try {
        await this.db.insertInto("widget_sessions").values(row).execute();
      } catch (error) {
        if (uniqueViolation(error) === "widget_sessions(secret_digest)") {
          throw new DomainError(
            "widget_session.secret_taken",
            "conflict",
            "A widget session with this secret exists already.",
            [],
            {
              cause: error,
            },
          );
        }
        if (isForeignKeyViolation(error)) throw notFound("tenant", session.tenantId);
        throw error;
      }
      return toWidgetSession(row);
    });
  }

  findWidgetSession(secretDigest: string): Promise<WidgetSession | undefined> {
    return guard("read the widget session", async () => {
      // Across tenants on purpose: the secret is all the browser has, and the session names its tenant.
      const row = await this.db
        .selectFrom("widget_sessions")
        .selectAll()
        .where("secret_digest", "=", secretDigest)
        .executeTakeFirst();
      return row && toWidgetSession(row);
    });
  }

  private findBy(tenantId: string, column: "id" | "thread_id", value: string): Promise<Conversation | undefined> {
    return guard("read the conversation", async () => {
      const row = await this.db
        .selectFrom("conversations")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where(column, "=", value)
        .executeTakeFirst();
      return row && toConversation(row);
    });
  }
}
