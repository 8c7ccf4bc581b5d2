import { notFound, type RoutingEventRecord, type RoutingStateStore } from "@switchboard/core";
import type { Kysely, Selectable } from "kysely";
import { guard, isForeignKeyViolation } from "./errors.js";
import type { Database, RoutingEventsTable } from "./schema.js";

/** Any JSON value; `undefined` (which JSON cannot say) is stored as `null`. */
const json = (value: unknown): string => JSON.stringify(value ?? null);

/** Rows per insert: well under either dialect's limit of bound parameters (SQLite's is 32766). */
const INSERT_BATCH = 500;

const toEvent = (r: Selectable<RoutingEventsTable>): RoutingEventRecord & { readonly position: number } => ({
  position: r.position,
  type: r.type,
  subject: r.subject,
  data: JSON.parse(r.data),
  at: new Date(r.at),
});

/**
 * `RoutingStateStore` on SQLite or PostgreSQL. `routing_state` has a row per tenant with its snapshot and
 * `last_position`, the position of its latest routing event. An append bumps `last_position` by the
 * batch's size in one upsert (`INSERT ... ON CONFLICT DO UPDATE ... RETURNING`) and inserts the events
 * in the same transaction: on PostgreSQL the upsert holds the row's lock until commit, so concurrent
 * appends of a tenant take turns and get consecutive positions; SQLite runs one write transaction at a
 * time, and since the first statement writes, no transaction ever has to upgrade a read lock.
 */
export class SqlRoutingStateStore implements RoutingStateStore {
  constructor(private readonly db: Kysely<Database>) {}

  saveSnapshot(tenantId: string, snapshot: unknown, at: Date): Promise<void> {
    return guard("save the routing snapshot", async () => {
      const values = { snapshot: json(snapshot), updated_at: at.toISOString() };
      try {
        await this.db
          .insertInto("routing_state")
          .values({ tenant_id: tenantId, ...values, last_position: 0 })
          .onConflict((oc) => oc.column("tenant_id").doUpdateSet(values))
          .execute();
      } catch (error) {
        if (isForeignKeyViolation(error)) throw notFound("tenant", tenantId);
        throw error;
      }
    });
  }

  loadSnapshots(): Promise<readonly { readonly tenantId: string; readonly snapshot: unknown }[]> {
    return guard("load the routing snapshots", async () => {
      // Across tenants on purpose: the routing engine loads every tenant's state at start.
      const rows = await this.db
        .selectFrom("routing_state")
        .select(["tenant_id", "snapshot"])
        .where("snapshot", "is not", null)
        .orderBy("tenant_id")
        .execute();
      return rows.map((r) => ({ tenantId: r.tenant_id, snapshot: JSON.parse(r.snapshot ?? "null") }));
    });
  }

  appendEvents(tenantId: string, events: readonly RoutingEventRecord[]): Promise<void> {
    return guard("append routing events", async () => {
      if (events.length === 0) return;
      try {
        await this.db.transaction().execute(async (trx) => {
          const { last_position } = await trx
            .insertInto("routing_state")
            .values({ tenant_id: tenantId, snapshot: null, updated_at: null, last_position: events.length })
            .onConflict((oc) =>
              oc
                .column("tenant_id")
                .doUpdateSet((eb) => ({ last_position: eb("routing_state.last_position", "+", events.length) })),
            )
            .returning("last_position")
            .executeTakeFirstOrThrow();
          const first = last_position - events.length + 1;
          const rows = events.map((e, i) => ({
            tenant_id: tenantId,
            position: first + i,
            type: e.type,
            subject: e.subject ?? null,
            data: json(e.data),
            at: e.at.toISOString(),
          }));
          for (let i = 0; i < rows.length; i += INSERT_BATCH) {
            await trx
              .insertInto("routing_events")
              .values(rows.slice(i, i + INSERT_BATCH))
              .execute();
          }
        });
      } catch (error) {
        if (isForeignKeyViolation(error)) throw notFound("tenant", tenantId);
        throw error;
      }
    });
  }

  listEvents(
    tenantId: string,
    afterPosition: number,
    limit: number,
  ): Promise<readonly (RoutingEventRecord & { readonly position: number })[]> {
    return guard("list routing events", async () => {
      const rows = await this.db
        .selectFrom("routing_events")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where("position", ">", afterPosition)
        .orderBy("position")
        .limit(Math.max(0, Math.floor(limit)))
        .execute();
      return rows.map(toEvent);
    });
  }

  listEventsAbout(
    tenantId: string,
    subject: string,
    limit: number,
  ): Promise<readonly (RoutingEventRecord & { readonly position: number })[]> {
    return guard("list routing events about a subject", async () => {
      const rows = await this.db
        .selectFrom("routing_events")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where("subject", "=", subject)
        .orderBy("position")
        .limit(Math.max(0, Math.floor(limit)))
        .execute();
      return rows.map(toEvent);
    });
  }
}
