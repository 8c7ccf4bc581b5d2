import {
  type AppendMessageResult,
  type ChatStore,
  DomainError,
  type Membership,
  type Message,
  type MessageData,
  type MessageExtras,
  type Metadata,
  messageData,
  type NewMessage,
  type NewThread,
  NO_EXTRAS,
  notFound,
  type Page,
  type Participant,
  type ParticipantData,
  type StoredThreadEvent,
  type StoredThreadEventType,
  type Thread,
  type ThreadEventDataByType,
  type ThreadEventOf,
} from "@switchboard/core";
import type { Kysely, Nullable, Selectable, Transaction } from "kysely";
import { guard, isForeignKeyViolation, StoreError, storeFailure, uniqueViolation } from "./errors.js";
import { metadataFromJson, metadataToJson } from "./metadata.js";
import { decodeCursor, pageFrom, pageLimit } from "./paging.js";
import { PreparedStatement } from "./prepared-statement.js";
import type { Database, MessagesTable, ThreadEventsTable, ThreadParticipantsTable, ThreadsTable } from "./schema.js";

type Db = Kysely<Database> | Transaction<Database>;

const toThread = (r: Selectable<ThreadsTable>): Thread => ({
  id: r.id,
  tenantId: r.tenant_id,
  topic: r.topic,
  metadata: metadataFromJson(r.metadata),
  createdBy: r.created_by,
  createdAt: new Date(r.created_at),
  lastSequence: r.last_sequence,
});

const toParticipant = (r: Selectable<ThreadParticipantsTable>): Participant => ({
  threadId: r.thread_id,
  identityId: r.identity_id,
  displayName: r.display_name,
  joinedSequence: r.joined_sequence,
  lastReadSequence: r.last_read_sequence,
});

/** Extras as stored: null when the message carries none, so most rows need no JSON. */
const extrasToJson = (e: MessageExtras): string | null =>
  e.attachments.length === 0 && e.quickReplies.length === 0 && e.card === null
    ? null
    : JSON.stringify({ attachments: e.attachments, quickReplies: e.quickReplies, card: e.card });

function extrasFromJson(json: string | null): MessageExtras {
  if (json === null) return { attachments: [], quickReplies: [], card: null };
  const e = JSON.parse(json) as Partial<MessageExtras>;
  return { attachments: e.attachments ?? [], quickReplies: e.quickReplies ?? [], card: e.card ?? null };
}

const toMessage = (r: Selectable<MessagesTable>): Message => ({
  id: r.id,
  threadId: r.thread_id,
  sequence: r.sequence,
  senderId: r.sender_id,
  senderDisplayName: r.sender_display_name,
  content: r.content,
  metadata: metadataFromJson(r.metadata),
  createdAt: new Date(r.created_at),
  editedAt: r.edited_at === null ? null : new Date(r.edited_at),
  deletedAt: r.deleted_at === null ? null : new Date(r.deleted_at),
  ...extrasFromJson(r.extras),
});

const STORED_EVENT_TYPES: ReadonlySet<string> = new Set<StoredThreadEventType>([
  "chat.message.received",
  "chat.message.edited",
  "chat.message.deleted",
  "chat.participants.added",
  "chat.participants.removed",
  "chat.read",
  "chat.thread.updated",
]);

function toEvent(r: Selectable<ThreadEventsTable>): StoredThreadEvent {
  if (!STORED_EVENT_TYPES.has(r.type)) {
    throw new StoreError(`Thread ${r.thread_id} has an event of unknown type ${r.type} at sequence ${r.sequence}.`);
  }
  const data = JSON.parse(r.data);
  // Messages in events written before messages had extras read as messages without any.
  if (r.type === "chat.message.received" || r.type === "chat.message.edited") {
    data.message = { ...NO_EXTRAS, ...(data.message as MessageData) };
  }
  return {
    tenantId: r.tenant_id,
    threadId: r.thread_id,
    sequence: r.sequence,
    type: r.type,
    data,
    createdAt: new Date(r.created_at),
  } as StoredThreadEvent;
}

function threadEvent<T extends StoredThreadEventType>(
  tenantId: string,
  threadId: string,
  sequence: number,
  type: T,
  data: ThreadEventDataByType[T],
  at: Date,
): ThreadEventOf<T> {
  return { tenantId, threadId, sequence, type, data, createdAt: new Date(at) };
}

/** The statements every change (or every send) runs, compiled once per store. */
class Statements {
  readonly insertEvent: PreparedStatement<Selectable<ThreadEventsTable>, unknown>;
  readonly nextSequence: PreparedStatement<{ tenantId: string; threadId: string }, { last_sequence: number }>;
  readonly senderName: PreparedStatement<{ tenantId: string; threadId: string; identityId: string }, { display_name: string }>;
  /** The sender's name and the message it already sent with the key, if any: the two reads of a send in one. */
  readonly senderAndFirst: PreparedStatement<
    { tenantId: string; threadId: string; identityId: string; idempotencyKey: string },
    { display_name: string } & Nullable<Selectable<MessagesTable>>
  >;
  readonly messageByKey: PreparedStatement<
    { tenantId: string; threadId: string; senderId: string; idempotencyKey: string },
    Selectable<MessagesTable>
  >;
  readonly insertMessage: PreparedStatement<Selectable<MessagesTable>, unknown>;

  constructor(db: Kysely<Database>) {
    this.insertEvent = new PreparedStatement((p) =>
      db.insertInto("thread_events").values({
        tenant_id: p("tenant_id"),
        thread_id: p("thread_id"),
        sequence: p("sequence"),
        type: p("type"),
        data: p("data"),
        created_at: p("created_at"),
      }),
    );
    this.nextSequence = new PreparedStatement((p) =>
      db
        .updateTable("threads")
        .set((eb) => ({ last_sequence: eb("last_sequence", "+", 1) }))
        .where("tenant_id", "=", p("tenantId"))
        .where("id", "=", p("threadId"))
        .returning("last_sequence"),
    );
    this.senderName = new PreparedStatement((p) =>
      db
        .selectFrom("thread_participants")
        .select("display_name")
        .where("tenant_id", "=", p("tenantId"))
        .where("thread_id", "=", p("threadId"))
        .where("identity_id", "=", p("identityId")),
    );
    this.senderAndFirst = new PreparedStatement((p) =>
      db
        .selectFrom("thread_participants as p")
        .leftJoin("messages as m", (join) =>
          join
            .onRef("m.thread_id", "=", "p.thread_id")
            .onRef("m.sender_id", "=", "p.identity_id")
            .on("m.tenant_id", "=", p("tenantId"))
            .on("m.idempotency_key", "=", p("idempotencyKey")),
        )
        .select("p.display_name")
        .selectAll("m")
        .where("p.tenant_id", "=", p("tenantId"))
        .where("p.thread_id", "=", p("threadId"))
        .where("p.identity_id", "=", p("identityId")),
    );
    this.messageByKey = new PreparedStatement((p) =>
      db
        .selectFrom("messages")
        .selectAll()
        .where("tenant_id", "=", p("tenantId"))
        .where("thread_id", "=", p("threadId"))
        .where("sender_id", "=", p("senderId"))
        .where("idempotency_key", "=", p("idempotencyKey")),
    );
    this.insertMessage = new PreparedStatement((p) =>
      db.insertInto("messages").values({
        id: p("id"),
        tenant_id: p("tenant_id"),
        thread_id: p("thread_id"),
        sequence: p("sequence"),
        sender_id: p("sender_id"),
        sender_display_name: p("sender_display_name"),
        content: p("content"),
        metadata: p("metadata"),
        idempotency_key: p("idempotency_key"),
        created_at: p("created_at"),
        edited_at: p("edited_at"),
        deleted_at: p("deleted_at"),
        extras: p("extras"),
      }),
    );
  }
}

/** One entry per identity: the last display name given wins, the first position stays. */
function dedupe(participants: readonly ParticipantData[]): ParticipantData[] {
  const byId = new Map<string, ParticipantData>();
  for (const p of participants) byId.set(p.id, { id: p.id, displayName: p.displayName });
  return [...byId.values()];
}

/** Thrown inside a transaction to undo it when, once the row is locked, there is nothing to change. */
class Unchanged extends Error {}

const notParticipant = () =>
  new DomainError("thread.not_participant", "forbidden", "Only a participant of the thread may do this.");
const messageDeleted = () => new DomainError("message.deleted", "conflict", "The message has been deleted.");

/** A send waiting for its batch. */
interface PendingAppend {
  readonly input: NewMessage;
  readonly resolve: (result: AppendMessageResult) => void;
  readonly reject: (error: unknown) => void;
}

type BatchOutcome =
  | { readonly pending: PendingAppend; readonly result: AppendMessageResult }
  | { readonly pending: PendingAppend; readonly error: DomainError };

export interface SqlChatStoreOptions {
  /** Most batches of sends written at once (each in its own transaction); more sends wait and join the next batch. */
  readonly batchesInFlight?: number;
  /** Most sends written in one transaction. */
  readonly maxBatchSize?: number;
}

const byThread = (a: PendingAppend, b: PendingAppend): number => {
  const x = a.input;
  const y = b.input;
  if (x.tenantId !== y.tenantId) return x.tenantId < y.tenantId ? -1 : 1;
  if (x.threadId !== y.threadId) return x.threadId < y.threadId ? -1 : 1;
  return 0;
};

/**
 * `ChatStore` on SQLite or PostgreSQL through Kysely; `thread_events` is the outbox.
 *
 * Sends are written by group commit: the sends that arrive in one turn of the event loop (and, while
 * `batchesInFlight` batches are being written, all that arrive meanwhile) share one transaction,
 * each with its own sequence, and each is answered once that transaction has committed. A send the
 * store refuses (not a participant, no such thread) is refused alone, before it writes anything;
 * if the transaction itself fails, each of its sends is written again in a transaction of its own,
 * so one send's failure is never another's.
 */
export class SqlChatStore implements ChatStore {
  private readonly statements: Statements;
  private readonly batchesInFlight: number;
  private readonly maxBatchSize: number;
  private readonly queue: PendingAppend[] = [];
  private running = 0;
  private flushScheduled = false;

  constructor(
    private readonly db: Kysely<Database>,
    options: SqlChatStoreOptions = {},
  ) {
    this.statements = new Statements(db);
    this.batchesInFlight = Math.max(1, options.batchesInFlight ?? 4);
    this.maxBatchSize = Math.max(1, options.maxBatchSize ?? 256);
  }

  createThread(input: NewThread): Promise<{ thread: Thread; event: StoredThreadEvent }> {
    return guard("create the thread", async () => {
      const participants = dedupe(input.participants);
      const row: Selectable<ThreadsTable> = {
        id: input.id,
        tenant_id: input.tenantId,
        topic: input.topic,
        metadata: metadataToJson(input.metadata),
        created_by: input.createdBy,
        created_at: input.createdAt.toISOString(),
        last_sequence: 1,
      };
      const event = threadEvent(
        input.tenantId,
        input.id,
        1,
        "chat.participants.added",
        { participants, addedBy: input.createdBy },
        input.createdAt,
      );
      try {
        await this.db.transaction().execute(async (trx) => {
          await trx.insertInto("threads").values(row).execute();
          if (participants.length > 0) {
            await trx
              .insertInto("thread_participants")
              .values(participants.map((p) => this.participantRow(input.tenantId, input.id, p, 1)))
              .execute();
          }
          await this.insertEvent(trx, event);
        });
      } catch (error) {
        // The thread's only foreign key outside the transaction is its tenant.
        if (isForeignKeyViolation(error)) throw notFound("tenant", input.tenantId);
        throw error;
      }
      return { thread: toThread(row), event };
    });
  }

  getThread(tenantId: string, threadId: string): Promise<Thread | undefined> {
    return guard("read the thread", async () => {
      const row = await this.db
        .selectFrom("threads")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where("id", "=", threadId)
        .executeTakeFirst();
      return row && toThread(row);
    });
  }

  listThreads(tenantId: string, options: { identityId?: string; after?: string; limit: number }): Promise<Page<Thread>> {
    return guard("list threads", async () => {
      const limit = pageLimit(options.limit);
      let query = this.db.selectFrom("threads").selectAll("threads").where("threads.tenant_id", "=", tenantId);
      if (options.identityId !== undefined) {
        // Driven by the participants' (tenant_id, identity_id) index: an identity is in few of the tenant's threads.
        query = query
          .innerJoin("thread_participants as p", (join) => join.onRef("p.thread_id", "=", "threads.id"))
          .where("p.tenant_id", "=", tenantId)
          .where("p.identity_id", "=", options.identityId);
      }
      if (options.after !== undefined) {
        const after = decodeCursor(options.after);
        query = query.where((eb) =>
          eb.or([
            eb("threads.created_at", "<", after.createdAt),
            eb.and([eb("threads.created_at", "=", after.createdAt), eb("threads.id", "<", after.id)]),
          ]),
        );
      }
      const rows = await query
        .orderBy("threads.created_at", "desc")
        .orderBy("threads.id", "desc")
        .limit(limit + 1)
        .execute();
      return pageFrom(rows, limit, toThread);
    });
  }

  updateThread(
    tenantId: string,
    threadId: string,
    patch: { topic: string; metadata: Metadata },
    at: Date,
  ): Promise<{ thread: Thread; event: StoredThreadEvent } | undefined> {
    return guard("update the thread", () =>
      this.change(async (trx) => {
        const metadata = metadataToJson(patch.metadata);
        // Metadata is stored as canonical JSON, so comparing the text compares the metadata.
        const row = await trx
          .updateTable("threads")
          .set((eb) => ({ topic: patch.topic, metadata, last_sequence: eb("last_sequence", "+", 1) }))
          .where("tenant_id", "=", tenantId)
          .where("id", "=", threadId)
          .where((eb) => eb.or([eb("topic", "<>", patch.topic), eb("metadata", "<>", metadata)]))
          .returningAll()
          .executeTakeFirst();
        if (!row) throw new Unchanged();
        const thread = toThread(row);
        const data = { topic: thread.topic, metadata: thread.metadata };
        const event = threadEvent(tenantId, threadId, row.last_sequence, "chat.thread.updated", data, at);
        await this.insertEvent(trx, event);
        return { thread, event };
      }),
    );
  }

  getParticipant(tenantId: string, threadId: string, identityId: string): Promise<Participant | undefined> {
    return guard("read the participant", async () => {
      const row = await this.db
        .selectFrom("thread_participants")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where("thread_id", "=", threadId)
        .where("identity_id", "=", identityId)
        .executeTakeFirst();
      return row && toParticipant(row);
    });
  }

  listParticipants(tenantId: string, threadId: string): Promise<readonly Participant[]> {
    return guard("list participants", async () => {
      const rows = await this.db
        .selectFrom("thread_participants")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where("thread_id", "=", threadId)
        .orderBy("joined_sequence")
        .orderBy("identity_id")
        .execute();
      return rows.map(toParticipant);
    });
  }

  addParticipants(
    tenantId: string,
    threadId: string,
    participants: readonly ParticipantData[],
    addedBy: string | null,
    at: Date,
  ): Promise<StoredThreadEvent | undefined> {
    const wanted = dedupe(participants);
    if (wanted.length === 0) return Promise.resolve(undefined);
    return guard("add participants", () =>
      this.change(async (trx) => {
        const sequence = await this.nextSequence(trx, tenantId, threadId);
        if (sequence === undefined) throw new Unchanged();
        // Read under the thread's lock: nobody else changes its participants meanwhile.
        const existing = await trx
          .selectFrom("thread_participants")
          .select(["identity_id", "display_name"])
          .where("tenant_id", "=", tenantId)
          .where("thread_id", "=", threadId)
          .where(
            "identity_id",
            "in",
            wanted.map((p) => p.id),
          )
          .execute();
        const names = new Map(existing.map((r) => [r.identity_id, r.display_name]));
        const changed = wanted.filter((p) => names.get(p.id) !== p.displayName);
        if (changed.length === 0) throw new Unchanged();
        const added = changed.filter((p) => !names.has(p.id));
        if (added.length > 0) {
          await trx
            .insertInto("thread_participants")
            .values(added.map((p) => this.participantRow(tenantId, threadId, p, sequence)))
            .execute();
        }
        for (const p of changed.filter((x) => names.has(x.id))) {
          await trx
            .updateTable("thread_participants")
            .set({ display_name: p.displayName })
            .where("tenant_id", "=", tenantId)
            .where("thread_id", "=", threadId)
            .where("identity_id", "=", p.id)
            .execute();
        }
        const event = threadEvent(
          tenantId,
          threadId,
          sequence,
          "chat.participants.added",
          { participants: changed, addedBy },
          at,
        );
        await this.insertEvent(trx, event);
        return event;
      }),
    );
  }

  removeParticipant(
    tenantId: string,
    threadId: string,
    identityId: string,
    removedBy: string | null,
    at: Date,
  ): Promise<StoredThreadEvent | undefined> {
    return guard("remove the participant", () =>
      this.change(async (trx) => {
        const sequence = await this.nextSequence(trx, tenantId, threadId);
        if (sequence === undefined) throw new Unchanged();
        const removed = await trx
          .deleteFrom("thread_participants")
          .where("tenant_id", "=", tenantId)
          .where("thread_id", "=", threadId)
          .where("identity_id", "=", identityId)
          .returning("display_name")
          .executeTakeFirst();
        if (!removed) throw new Unchanged();
        const data = { participants: [{ id: identityId, displayName: removed.display_name }], removedBy };
        const event = threadEvent(tenantId, threadId, sequence, "chat.participants.removed", data, at);
        await this.insertEvent(trx, event);
        return event;
      }),
    );
  }

  appendMessage(input: NewMessage): Promise<AppendMessageResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.scheduleFlush();
    });
  }

  /** Writes what is queued once this turn of the event loop has queued all it will. */
  private scheduleFlush(): void {
    if (this.flushScheduled || this.queue.length === 0 || this.running >= this.batchesInFlight) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      while (this.queue.length > 0 && this.running < this.batchesInFlight) {
        const batch = this.queue.splice(0, this.maxBatchSize);
        this.running += 1;
        void this.writeBatch(batch)
          // Settling twice changes nothing, so this answers only the sends nothing answered yet.
          .catch((error: unknown) => {
            for (const pending of batch) pending.reject(storeFailure(error, "append the message"));
          })
          .finally(() => {
            this.running -= 1;
            this.scheduleFlush();
          });
      }
    });
  }

  private async writeBatch(batch: readonly PendingAppend[]): Promise<void> {
    // Threads are locked in one order by every batch, so two batches on PostgreSQL cannot deadlock;
    // the sort is stable, so one thread's sends keep the order they came in.
    const ordered = [...batch].sort(byThread);
    let outcomes: BatchOutcome[];
    try {
      outcomes = await this.db.transaction().execute(async (trx) => {
        const written: BatchOutcome[] = [];
        for (const pending of ordered) {
          try {
            written.push({ pending, result: await this.appendIn(trx, pending.input) });
          } catch (error) {
            // Refusals come before the send's first write (and from reads alone), so the transaction goes on.
            if (!(error instanceof DomainError)) throw error;
            written.push({ pending, error });
          }
        }
        return written;
      });
    } catch (error) {
      const [only] = ordered;
      if (ordered.length === 1 && only) {
        await this.settle(only, this.afterFailure(only.input, error));
        return;
      }
      for (const pending of ordered) await this.settle(pending, this.appendAlone(pending.input));
      return;
    }
    for (const o of outcomes) {
      if ("result" in o) o.pending.resolve(o.result);
      else o.pending.reject(o.error);
    }
  }

  private settle(pending: PendingAppend, outcome: Promise<AppendMessageResult>): Promise<void> {
    return outcome.then(pending.resolve, (error: unknown) => pending.reject(storeFailure(error, "append the message")));
  }

  /**
   * The sender's display name, or the first message when the sender already sent one with this key.
   * A retry is answered before the sender is checked, as for a sender who has left the thread since.
   */
  private async senderOf(
    trx: Transaction<Database>,
    input: NewMessage,
  ): Promise<{ kind: "sender"; displayName: string } | { kind: "duplicate"; message: Message }> {
    const where = { tenantId: input.tenantId, threadId: input.threadId, identityId: input.senderId };
    if (input.idempotencyKey !== null) {
      const row = await this.statements.senderAndFirst.first(trx, { ...where, idempotencyKey: input.idempotencyKey });
      if (row) {
        if (row.id !== null) return { kind: "duplicate", message: toMessage(row as Selectable<MessagesTable>) };
        return { kind: "sender", displayName: row.display_name };
      }
      // Not (or no longer) in the thread: a message it sent with the key still answers the retry.
      const first = await this.findByIdempotencyKey(trx, input);
      if (first) return { kind: "duplicate", message: first };
    } else {
      const row = await this.statements.senderName.first(trx, where);
      if (row) return { kind: "sender", displayName: row.display_name };
    }
    throw await this.absentThreadOr(trx, input.tenantId, input.threadId, notParticipant());
  }

  /** One send in a transaction of its own (after its batch failed). */
  private async appendAlone(input: NewMessage): Promise<AppendMessageResult> {
    try {
      return await this.db.transaction().execute((trx) => this.appendIn(trx, input));
    } catch (error) {
      return await this.afterFailure(input, error);
    }
  }

  private async afterFailure(input: NewMessage, error: unknown): Promise<AppendMessageResult> {
    // A concurrent send with the same key committed between our lookup and our insert.
    if (uniqueViolation(error) === "messages(thread_id,sender_id,idempotency_key)") {
      const first = await this.findByIdempotencyKey(this.db, input);
      if (first) return { kind: "duplicate", message: first };
    }
    throw error;
  }

  /** Appends one message inside the transaction; throws a `DomainError` only before writing anything. */
  private async appendIn(trx: Transaction<Database>, input: NewMessage): Promise<AppendMessageResult> {
    const sender = await this.senderOf(trx, input);
    if (sender.kind === "duplicate") return sender;
    const sequence = await this.nextSequence(trx, input.tenantId, input.threadId);
    if (sequence === undefined) throw notFound("thread", input.threadId);
    const row: Selectable<MessagesTable> = {
      id: input.id,
      tenant_id: input.tenantId,
      thread_id: input.threadId,
      sequence,
      sender_id: input.senderId,
      sender_display_name: sender.displayName,
      content: input.content,
      metadata: metadataToJson(input.metadata),
      idempotency_key: input.idempotencyKey,
      created_at: input.createdAt.toISOString(),
      edited_at: null,
      deleted_at: null,
      extras: extrasToJson(input),
    };
    await this.statements.insertMessage.execute(trx, row);
    const message = toMessage(row);
    const event = threadEvent(
      input.tenantId,
      input.threadId,
      sequence,
      "chat.message.received",
      { message: messageData(message) },
      input.createdAt,
    );
    await this.insertEvent(trx, event);
    return { kind: "created", message, event };
  }

  getMessage(tenantId: string, threadId: string, messageId: string): Promise<Message | undefined> {
    return guard("read the message", async () => {
      const row = await this.db
        .selectFrom("messages")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where("thread_id", "=", threadId)
        .where("id", "=", messageId)
        .executeTakeFirst();
      return row && toMessage(row);
    });
  }

  editMessage(
    tenantId: string,
    threadId: string,
    messageId: string,
    patch: { content: string; metadata: Metadata },
    at: Date,
  ): Promise<{ message: Message; event: StoredThreadEvent }> {
    return guard("edit the message", () =>
      this.db.transaction().execute(async (trx) => {
        const { sequence, row } = await this.lockedLiveMessage(trx, tenantId, threadId, messageId);
        const changes = { content: patch.content, metadata: metadataToJson(patch.metadata), edited_at: at.toISOString() };
        await trx.updateTable("messages").set(changes).where("tenant_id", "=", tenantId).where("id", "=", messageId).execute();
        const message = toMessage({ ...row, ...changes });
        const event = threadEvent(tenantId, threadId, sequence, "chat.message.edited", { message: messageData(message) }, at);
        await this.insertEvent(trx, event);
        return { message, event };
      }),
    );
  }

  deleteMessage(
    tenantId: string,
    threadId: string,
    messageId: string,
    at: Date,
  ): Promise<{ message: Message; event: StoredThreadEvent }> {
    return guard("delete the message", () =>
      this.db.transaction().execute(async (trx) => {
        const { sequence, row } = await this.lockedLiveMessage(trx, tenantId, threadId, messageId);
        // Deleting forgets what was said: the content, metadata and extras go, the place in the thread stays.
        const changes = { content: "", metadata: metadataToJson({}), extras: null, deleted_at: at.toISOString() };
        await trx.updateTable("messages").set(changes).where("tenant_id", "=", tenantId).where("id", "=", messageId).execute();
        const message = toMessage({ ...row, ...changes });
        const data = { messageId, deletedAt: changes.deleted_at };
        const event = threadEvent(tenantId, threadId, sequence, "chat.message.deleted", data, at);
        await this.insertEvent(trx, event);
        return { message, event };
      }),
    );
  }

  listMessages(tenantId: string, threadId: string, afterSequence: number, limit: number): Promise<readonly Message[]> {
    return guard("list messages", async () => {
      const rows = await this.db
        .selectFrom("messages")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where("thread_id", "=", threadId)
        .where("sequence", ">", afterSequence)
        .orderBy("sequence")
        .limit(Math.max(0, limit))
        .execute();
      return rows.map(toMessage);
    });
  }

  markRead(
    tenantId: string,
    threadId: string,
    identityId: string,
    readUpTo: number,
    at: Date,
  ): Promise<StoredThreadEvent | undefined> {
    return guard("mark the thread read", () =>
      this.change(async (trx) => {
        const sequence = await this.nextSequence(trx, tenantId, threadId);
        if (sequence === undefined) throw new Unchanged();
        const moved = await trx
          .updateTable("thread_participants")
          .set({ last_read_sequence: readUpTo })
          .where("tenant_id", "=", tenantId)
          .where("thread_id", "=", threadId)
          .where("identity_id", "=", identityId)
          .where("last_read_sequence", "<", readUpTo)
          .executeTakeFirst();
        if (moved.numUpdatedRows === 0n) throw new Unchanged();
        const event = threadEvent(tenantId, threadId, sequence, "chat.read", { identityId, readUpTo }, at);
        await this.insertEvent(trx, event);
        return event;
      }),
    );
  }

  listEvents(tenantId: string, threadId: string, afterSequence: number, limit: number): Promise<readonly StoredThreadEvent[]> {
    return guard("list thread events", async () => {
      const rows = await this.db
        .selectFrom("thread_events")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where("thread_id", "=", threadId)
        .where("sequence", ">", afterSequence)
        .orderBy("sequence")
        .limit(Math.max(0, limit))
        .execute();
      return rows.map(toEvent);
    });
  }

  membershipsOf(tenantId: string, identityId: string): Promise<readonly Membership[]> {
    return guard("list memberships", async () => {
      const rows = await this.db
        .selectFrom("thread_participants")
        .select(["thread_id", "joined_sequence"])
        .where("tenant_id", "=", tenantId)
        .where("identity_id", "=", identityId)
        .orderBy("thread_id")
        .execute();
      return rows.map((r) => ({ threadId: r.thread_id, joinedSequence: r.joined_sequence }));
    });
  }

  /** Runs a change in a transaction; `Unchanged` rolls it back and makes the result undefined. */
  private async change<T>(run: (trx: Transaction<Database>) => Promise<T>): Promise<T | undefined> {
    try {
      return await this.db.transaction().execute(run);
    } catch (error) {
      if (error instanceof Unchanged) return undefined;
      throw error;
    }
  }

  private participantRow(
    tenantId: string,
    threadId: string,
    p: ParticipantData,
    sequence: number,
  ): Selectable<ThreadParticipantsTable> {
    return {
      tenant_id: tenantId,
      thread_id: threadId,
      identity_id: p.id,
      display_name: p.displayName,
      joined_sequence: sequence,
      last_read_sequence: 0,
    };
  }

  private async findByIdempotencyKey(db: Db, m: NewMessage): Promise<Message | undefined> {
    if (m.idempotencyKey === null) return undefined;
    const row = await this.statements.messageByKey.first(db, {
      tenantId: m.tenantId,
      threadId: m.threadId,
      senderId: m.senderId,
      idempotencyKey: m.idempotencyKey,
    });
    return row && toMessage(row);
  }

  private insertEvent(db: Db, e: StoredThreadEvent) {
    return this.statements.insertEvent.execute(db, {
      tenant_id: e.tenantId,
      thread_id: e.threadId,
      sequence: e.sequence,
      type: e.type,
      data: JSON.stringify(e.data),
      created_at: e.createdAt.toISOString(),
    });
  }

  /**
   * Takes the thread's next sequence. The first statement of every change: on PostgreSQL the row lock
   * it takes serializes writers of one thread (and always in this order, so they cannot deadlock).
   * Undefined when the tenant has no such thread.
   */
  private async nextSequence(db: Db, tenantId: string, threadId: string): Promise<number | undefined> {
    const row = await this.statements.nextSequence.first(db, { tenantId, threadId });
    return row?.last_sequence;
  }

  /** `thread.not_found` when the tenant has no such thread, otherwise the given error. */
  private async absentThreadOr(db: Db, tenantId: string, threadId: string, error: DomainError): Promise<DomainError> {
    const thread = await db
      .selectFrom("threads")
      .select("id")
      .where("tenant_id", "=", tenantId)
      .where("id", "=", threadId)
      .executeTakeFirst();
    return thread ? error : notFound("thread", threadId);
  }

  /** Takes the thread's next sequence, then reads the message, which must exist and not be deleted. */
  private async lockedLiveMessage(trx: Transaction<Database>, tenantId: string, threadId: string, messageId: string) {
    const sequence = await this.nextSequence(trx, tenantId, threadId);
    if (sequence === undefined) throw notFound("message", messageId);
    const row = await trx
      .selectFrom("messages")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("thread_id", "=", threadId)
      .where("id", "=", messageId)
      .executeTakeFirst();
    if (!row) throw notFound("message", messageId);
    if (row.deleted_at !== null) throw messageDeleted();
    return { sequence, row };
  }
}
