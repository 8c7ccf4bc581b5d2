import {
  type CallDirection,
  type CallEndCause,
  type CallEvent,
  type CallFilter,
  type CallPatch,
  type CallRecord,
  type CallRecordStore,
  type CallResult,
  type CallState,
  type LegPatch,
  type LegProtocol,
  type LegRecord,
  type LegRole,
  notFound,
  type Page,
} from "@switchboard/core";
import type { Kysely, Selectable, Transaction, Updateable } from "kysely";
import { guard, isForeignKeyViolation } from "./errors.js";
import { decodeCursor, encodeCursor, pageBy, pageLimit } from "./paging.js";
import type { CallEventsTable, CallLegsTable, CallRecordsTable, Database } from "./schema.js";

const isoOrNull = (d: Date | null): string | null => (d === null ? null : d.toISOString());
const dateOrNull = (text: string | null): Date | null => (text === null ? null : new Date(text));
const causeOrNull = (text: string | null): CallEndCause | null => (text === null ? null : (JSON.parse(text) as CallEndCause));
const causeJson = (cause: CallEndCause | null): string | null => (cause === null ? null : JSON.stringify(cause));

const toLeg = (r: Selectable<CallLegsTable>): LegRecord => ({
  id: r.id,
  callId: r.call_id,
  role: r.role as LegRole,
  party: r.party,
  sipCallId: r.sip_call_id,
  protocol: r.protocol as LegProtocol,
  startedAt: new Date(r.started_at),
  answeredAt: dateOrNull(r.answered_at),
  endedAt: dateOrNull(r.ended_at),
  endReason: causeOrNull(r.end_reason),
});

const legRow = (tenantId: string, l: LegRecord): Selectable<CallLegsTable> => ({
  id: l.id,
  tenant_id: tenantId,
  call_id: l.callId,
  role: l.role,
  party: l.party,
  sip_call_id: l.sipCallId,
  protocol: l.protocol,
  started_at: l.startedAt.toISOString(),
  answered_at: isoOrNull(l.answeredAt),
  ended_at: isoOrNull(l.endedAt),
  end_reason: causeJson(l.endReason),
});

const toCall = (r: Selectable<CallRecordsTable>, legs: readonly LegRecord[]): CallRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  direction: r.direction as CallDirection,
  from: r.from_party,
  to: r.to_party,
  numberId: r.number_id,
  trunkId: r.trunk_id,
  entry: r.entry,
  state: r.state as CallState,
  result: r.result as CallResult | null,
  hangupCause: causeOrNull(r.hangup_cause),
  startedAt: new Date(r.started_at),
  answeredAt: dateOrNull(r.answered_at),
  endedAt: dateOrNull(r.ended_at),
  durationMs: r.duration_ms,
  recordingIds: JSON.parse(r.recording_ids) as string[],
  legs,
});

const callRow = (c: CallRecord): Selectable<CallRecordsTable> => ({
  id: c.id,
  tenant_id: c.tenantId,
  direction: c.direction,
  from_party: c.from,
  to_party: c.to,
  number_id: c.numberId,
  trunk_id: c.trunkId,
  entry: c.entry,
  state: c.state,
  result: c.result,
  hangup_cause: causeJson(c.hangupCause),
  started_at: c.startedAt.toISOString(),
  answered_at: isoOrNull(c.answeredAt),
  ended_at: isoOrNull(c.endedAt),
  duration_ms: c.durationMs,
  recording_ids: JSON.stringify(c.recordingIds),
  last_sequence: 0,
});

/** The columns a patch names (and only those). */
function callColumns(p: CallPatch): Updateable<CallRecordsTable> {
  return {
    ...(p.to !== undefined ? { to_party: p.to } : {}),
    ...(p.numberId !== undefined ? { number_id: p.numberId } : {}),
    ...(p.trunkId !== undefined ? { trunk_id: p.trunkId } : {}),
    ...(p.entry !== undefined ? { entry: p.entry } : {}),
    ...(p.state !== undefined ? { state: p.state } : {}),
    ...(p.result !== undefined ? { result: p.result } : {}),
    ...(p.hangupCause !== undefined ? { hangup_cause: causeJson(p.hangupCause) } : {}),
    ...(p.answeredAt !== undefined ? { answered_at: isoOrNull(p.answeredAt) } : {}),
    ...(p.endedAt !== undefined ? { ended_at: isoOrNull(p.endedAt) } : {}),
    ...(p.durationMs !== undefined ? { duration_ms: p.durationMs } : {}),
    ...(p.recordingIds !== undefined ? { recording_ids: JSON.stringify(p.recordingIds) } : {}),
  };
}

function legColumns(p: LegPatch): Updateable<CallLegsTable> {
  return {
    ...(p.party !== undefined ? { party: p.party } : {}),
    ...(p.sipCallId !== undefined ? { sip_call_id: p.sipCallId } : {}),
    ...(p.answeredAt !== undefined ? { answered_at: isoOrNull(p.answeredAt) } : {}),
    ...(p.endedAt !== undefined ? { ended_at: isoOrNull(p.endedAt) } : {}),
    ...(p.endReason !== undefined ? { end_reason: causeJson(p.endReason) } : {}),
  };
}

const toEvent = (r: Selectable<CallEventsTable>): CallEvent => ({
  tenantId: r.tenant_id,
  callId: r.call_id,
  sequence: r.sequence,
  type: r.type,
  data: JSON.parse(r.data) as unknown,
  at: new Date(r.at),
});

type Db = Kysely<Database> | Transaction<Database>;

/**
 * `CallRecordStore` on SQLite or PostgreSQL: a call's row, its legs (`call_legs`) and its timeline
 * (`call_events`, numbered by bumping `call_records.last_sequence` in the append's transaction).
 */
export class SqlCallRecordStore implements CallRecordStore {
  constructor(private readonly db: Kysely<Database>) {}

  createCall(call: CallRecord): Promise<CallRecord> {
    return guard("create the call record", async () => {
      try {
        await this.db.transaction().execute(async (trx) => {
          await trx.insertInto("call_records").values(callRow(call)).execute();
          if (call.legs.length > 0) {
            await trx
              .insertInto("call_legs")
              .values(call.legs.map((l) => legRow(call.tenantId, { ...l, callId: call.id })))
              .execute();
          }
        });
      } catch (error) {
        if (isForeignKeyViolation(error)) throw notFound("tenant", call.tenantId);
        throw error;
      }
      return (await this.read(this.db, call.tenantId, call.id)) as CallRecord;
    });
  }

  updateCall(tenantId: string, id: string, patch: CallPatch): Promise<CallRecord | undefined> {
    return guard("update the call record", async () => {
      const columns = callColumns(patch);
      if (Object.keys(columns).length > 0) {
        const result = await this.db
          .updateTable("call_records")
          .set(columns)
          .where("tenant_id", "=", tenantId)
          .where("id", "=", id)
          .executeTakeFirst();
        if (result.numUpdatedRows === 0n) return undefined;
      }
      return this.read(this.db, tenantId, id);
    });
  }

  addLeg(tenantId: string, leg: LegRecord): Promise<LegRecord | undefined> {
    return guard("add the call leg", () =>
      this.db.transaction().execute(async (trx) => {
        const call = await trx
          .selectFrom("call_records")
          .select("id")
          .where("tenant_id", "=", tenantId)
          .where("id", "=", leg.callId)
          .executeTakeFirst();
        if (!call) return undefined;
        const row = legRow(tenantId, leg);
        await trx.insertInto("call_legs").values(row).execute();
        return toLeg(row);
      }),
    );
  }

  updateLeg(tenantId: string, callId: string, legId: string, patch: LegPatch): Promise<LegRecord | undefined> {
    return guard("update the call leg", async () => {
      const columns = legColumns(patch);
      const row =
        Object.keys(columns).length > 0
          ? await this.db
              .updateTable("call_legs")
              .set(columns)
              .where("tenant_id", "=", tenantId)
              .where("call_id", "=", callId)
              .where("id", "=", legId)
              .returningAll()
              .executeTakeFirst()
          : await this.db
              .selectFrom("call_legs")
              .selectAll()
              .where("tenant_id", "=", tenantId)
              .where("call_id", "=", callId)
              .where("id", "=", legId)
              .executeTakeFirst();
      return row && toLeg(row);
    });
  }

  appendCallEvents(
    tenantId: string,
    callId: string,
    events: readonly { readonly type: string; readonly data: unknown; readonly at: Date }[],
  ): Promise<readonly CallEvent[] | undefined> {
    return guard("append the call events", () =>
      this.db.transaction().execute(async (trx) => {
        // Takes the timeline's next sequences, and on PostgreSQL the call row's lock until the insert.
        const bumped = await trx
          .updateTable("call_records")
          .set((eb) => ({ last_sequence: eb("last_sequence", "+", events.length) }))
          .where("tenant_id", "=", tenantId)
          .where("id", "=", callId)
          .returning("last_sequence")
          .executeTakeFirst();
        if (!bumped) return undefined;
        if (events.length === 0) return [];
        const first = bumped.last_sequence - events.length + 1;
        const rows = events.map(
          (event, i): Selectable<CallEventsTable> => ({
            tenant_id: tenantId,
            call_id: callId,
            sequence: first + i,
            type: event.type,
            data: JSON.stringify(event.data ?? null),
            at: event.at.toISOString(),
          }),
        );
        await trx.insertInto("call_events").values(rows).execute();
        return rows.map(toEvent);
      }),
    );
  }

  getCall(tenantId: string, id: string): Promise<CallRecord | undefined> {
    return guard("read the call record", () => this.read(this.db, tenantId, id));
  }

  listCalls(tenantId: string, filter: CallFilter, options: { after?: string; limit: number }): Promise<Page<CallRecord>> {
    return guard("list call records", async () => {
      const limit = pageLimit(options.limit);
      let query = this.db.selectFrom("call_records").selectAll().where("tenant_id", "=", tenantId);
      if (filter.direction !== undefined) query = query.where("direction", "=", filter.direction);
      if (filter.result !== undefined) query = query.where("result", "=", filter.result);
      if (filter.state !== undefined) query = query.where("state", "=", filter.state);
      if (filter.numberId !== undefined) query = query.where("number_id", "=", filter.numberId);
      if (filter.since !== undefined) query = query.where("started_at", ">=", filter.since.toISOString());
      if (filter.until !== undefined) query = query.where("started_at", "<", filter.until.toISOString());
      if (options.after !== undefined) {
        const after = decodeCursor(options.after);
        query = query.where((eb) =>
          eb.or([
            eb("started_at", "<", after.createdAt),
            eb.and([eb("started_at", "=", after.createdAt), eb("id", "<", after.id)]),
          ]),
        );
      }
      const rows = await query
        .orderBy("started_at", "desc")
        .orderBy("id", "desc")
        .limit(limit + 1)
        .execute();
      const legs = await this.legsOf(
        this.db,
        tenantId,
        rows.slice(0, limit).map((r) => r.id),
      );
      return pageBy(
        rows,
        limit,
        (r) => toCall(r, legs.get(r.id) ?? []),
        (r) => encodeCursor({ createdAt: r.started_at, id: r.id }),
      );
    });
  }

  listCallEvents(tenantId: string, callId: string, afterSequence: number, limit: number): Promise<readonly CallEvent[]> {
    return guard("list call events", async () => {
      const rows = await this.db
        .selectFrom("call_events")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where("call_id", "=", callId)
        .where("sequence", ">", afterSequence)
        .orderBy("sequence")
        .limit(Math.max(0, limit))
        .execute();
      return rows.map(toEvent);
    });
  }

  private async read(db: Db, tenantId: string, id: string): Promise<CallRecord | undefined> {
    const row = await db
      .selectFrom("call_records")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("id", "=", id)
      .executeTakeFirst();
    if (!row) return undefined;
    return toCall(row, (await this.legsOf(db, tenantId, [id])).get(id) ?? []);
  }

  /** The legs of the calls, each call's by start. */
  private async legsOf(db: Db, tenantId: string, callIds: readonly string[]): Promise<Map<string, LegRecord[]>> {
    const legs = new Map<string, LegRecord[]>();
    if (callIds.length === 0) return legs;
    const rows = await db
      .selectFrom("call_legs")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("call_id", "in", callIds)
      .orderBy("call_id")
      .orderBy("started_at")
      .orderBy("id")
      .execute();
    for (const row of rows) {
      const list = legs.get(row.call_id) ?? [];
      list.push(toLeg(row));
      legs.set(row.call_id, list);
    }
    return legs;
  }
}
