import { type BusinessHours, type EntryPoint, type EntryPointStore, notFound } from "@switchboard/core";
import type { Kysely, Selectable } from "kysely";
import { guard, isForeignKeyViolation } from "./errors.js";
import type { Database, EntryPointsTable } from "./schema.js";

const toEntryPoint = (r: Selectable<EntryPointsTable>): EntryPoint => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  channel: r.channel as EntryPoint["channel"],
  botIdentityId: r.bot_identity_id,
  greeting: r.greeting,
  businessHours: r.business_hours === null ? null : (JSON.parse(r.business_hours) as BusinessHours),
  afterHoursMessage: r.after_hours_message,
  handoffQueue: r.handoff_queue,
  allowedOrigins: JSON.parse(r.allowed_origins) as string[],
  enabled: r.enabled !== 0,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

const entryPointRow = (e: EntryPoint): Selectable<EntryPointsTable> => ({
  id: e.id,
  tenant_id: e.tenantId,
  name: e.name,
  channel: e.channel,
  bot_identity_id: e.botIdentityId,
  greeting: e.greeting,
  business_hours: e.businessHours === null ? null : JSON.stringify(e.businessHours),
  after_hours_message: e.afterHoursMessage,
  handoff_queue: e.handoffQueue,
  allowed_origins: JSON.stringify(e.allowedOrigins),
  enabled: e.enabled ? 1 : 0,
  created_at: e.createdAt.toISOString(),
  updated_at: e.updatedAt.toISOString(),
});

/** `EntryPointStore` on SQLite or PostgreSQL. */
export class SqlEntryPointStore implements EntryPointStore {
  constructor(private readonly db: Kysely<Database>) {}

  createEntryPoint(entryPoint: EntryPoint): Promise<EntryPoint> {
    return guard("create the entry point", async () => {
      const row = entryPointRow(entryPoint);
      try {
        await this.db.insertInto("entry_points").values(row).execute();
      } catch (error) {
        if (isForeignKeyViolation(error)) throw notFound("tenant", entryPoint.tenantId);
        throw error;
      }
      return toEntryPoint(row);
    });
  }

  updateEntryPoint(entryPoint: EntryPoint): Promise<EntryPoint> {
    return guard("update the entry point", async () => {
      const { id, tenant_id, created_at, ...fields } = entryPointRow(entryPoint);
      const row = await this.db
        .updateTable("entry_points")
        .set(fields)
        .where("tenant_id", "=", tenant_id)
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw notFound("entry_point", id);
      return toEntryPoint(row);
    });
  }

  deleteEntryPoint(tenantId: string, id: string): Promise<boolean> {
    return guard("delete the entry point", async () => {
      const result = await this.db
        .deleteFrom("entry_points")
        .where("tenant_id", "=", tenantId)
        .where("id", "=", id)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    });
  }

  getEntryPoint(tenantId: string, id: string): Promise<EntryPoint | undefined> {
    return guard("read the entry point", async () => {
      const row = await this.db
        .selectFrom("entry_points")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where("id", "=", id)
        .executeTakeFirst();
      return row && toEntryPoint(row);
    });
  }

  findEntryPoint(id: string): Promise<EntryPoint | undefined> {
    return guard("read the entry point", async () => {
      // Across tenants on purpose: the widget names only the entry point, and the entry point names its tenant.
      const row = await this.db.selectFrom("entry_points").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toEntryPoint(row);
    });
  }

  listEntryPoints(tenantId: string): Promise<readonly EntryPoint[]> {
    return guard("list entry points", async () => {
      const rows = await this.db
        .selectFrom("entry_points")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .orderBy("created_at")
        .orderBy("id")
        .execute();
      return rows.map(toEntryPoint);
    });
  }
}
