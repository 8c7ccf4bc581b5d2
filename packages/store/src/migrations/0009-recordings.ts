import type { Migration } from "kysely";

/**
 * The recording library: what each recording is (`call`, `message`, `upload`), of which call, how long,
 * when (its audio stays in the blob store); and each tenant's retention of call recordings. Recordings
 * made before this migration have no row: they stay downloadable but are neither listed nor expired.
 * Every statement may run again after a crash on SQLite, which runs migrations outside a transaction.
 */
export const recordings: Migration = {
  async up(db) {
    await db.schema
      .createTable("recordings")
      .ifNotExists()
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("call_id", "text")
      .addColumn("duration_ms", "integer", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    // The library's order (newest first), by kind: what retention sweeps.
    await db.schema
      .createIndex("recordings_tenant_kind_created_idx")
      .ifNotExists()
      .on("recordings")
      .columns(["tenant_id", "kind", "created_at", "id"])
      .execute();
    await db.schema
      .createIndex("recordings_tenant_call_idx")
      .ifNotExists()
      .on("recordings")
      .columns(["tenant_id", "call_id"])
      .execute();
    await db.schema
      .createTable("recording_retentions")
      .ifNotExists()
      .addColumn("tenant_id", "text", (c) => c.primaryKey().references("tenants.id"))
      .addColumn("days", "integer", (c) => c.notNull())
      .execute();
  },
};
