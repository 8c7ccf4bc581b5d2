import { notFound, type WorkerRecord, type WorkerSettings, type WorkerStore } from "@switchboard/core";
import type { Kysely, Selectable } from "kysely";
import { guard, isForeignKeyViolation } from "./errors.js";
import type { Database, WorkersTable } from "./schema.js";

const toWorker = (r: Selectable<WorkersTable>): WorkerRecord => ({
  tenantId: r.tenant_id,
  identityId: r.identity_id,
  userId: r.user_id,
  settings: JSON.parse(r.settings) as WorkerSettings,
  presence: r.presence as WorkerRecord["presence"],
  presenceSince: new Date(r.presence_since),
  updatedAt: new Date(r.updated_at),
});

const workerRow = (w: WorkerRecord): Selectable<WorkersTable> => ({
  tenant_id: w.tenantId,
  identity_id: w.identityId,
  user_id: w.userId,
  settings: JSON.stringify(w.settings),
  presence: w.presence,
  presence_since: w.presenceSince.toISOString(),
  updated_at: w.updatedAt.toISOString(),
});

/** `WorkerStore` on SQLite or PostgreSQL: one record per agent, keyed by (tenant, identity). */
export class SqlWorkerStore implements WorkerStore {
  constructor(private readonly db: Kysely<Database>) {}

  putWorker(worker: WorkerRecord): Promise<WorkerRecord> {
    return guard("store the worker", async () => {
      const row = workerRow(worker);
      const { tenant_id, identity_id, ...fields } = row;
      try {
        // One statement, so concurrent puts of a new worker cannot both insert.
        await this.db
          .insertInto("workers")
          .values(row)
          .onConflict((oc) => oc.columns(["tenant_id", "identity_id"]).doUpdateSet(fields))
          .execute();
      } catch (error) {
        if (isForeignKeyViolation(error)) throw notFound("tenant", worker.tenantId);
        throw error;
      }
      return toWorker(row);
    });
  }

  getWorker(tenantId: string, identityId: string): Promise<WorkerRecord | undefined> {
    return guard("read the worker", async () => {
      const row = await this.db
        .selectFrom("workers")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where("identity_id", "=", identityId)
        .executeTakeFirst();
      return row && toWorker(row);
    });
  }

  listWorkers(tenantId: string): Promise<readonly WorkerRecord[]> {
    return guard("list workers", async () => {
      const rows = await this.db
        .selectFrom("workers")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .orderBy("identity_id")
        .execute();
      return rows.map(toWorker);
    });
  }

  listAllWorkers(): Promise<readonly WorkerRecord[]> {
    return guard("list workers", async () => {
      // Across tenants on purpose: the routing engine loads every tenant's workers at start.
      const rows = await this.db.selectFrom("workers").selectAll().orderBy("tenant_id").orderBy("identity_id").execute();
      return rows.map(toWorker);
    });
  }
}
