import type { Migration } from "kysely";

/**
 * Registered phones' bindings, so that a restart (or another node) still reaches them: one row per contact of
 * an address of record, keyed by both (the key's first column serves the registrar's read of one AOR).
 * `expires_at` and `registered_at` are numbers on the registrar's clock (epoch milliseconds in the server),
 * as double precision: exact for those, and for `q`, on both dialects (PostgreSQL hands bigint back as text).
 * Not tenant-scoped: an AOR names a username, and usernames are unique across tenants. Every statement may
 * run again after a crash on SQLite, which runs migrations outside a transaction.
 */
export const sipRegistrations: Migration = {
  async up(db) {
    await db.schema
      .createTable("sip_bindings")
      .ifNotExists()
      .addColumn("aor", "text", (c) => c.notNull())
      .addColumn("contact", "text", (c) => c.notNull())
      .addColumn("position", "integer", (c) => c.notNull())
      .addColumn("call_id", "text", (c) => c.notNull())
      .addColumn("cseq", "integer", (c) => c.notNull())
      .addColumn("expires_at", "double precision", (c) => c.notNull())
      .addColumn("registered_at", "double precision", (c) => c.notNull())
      .addColumn("q", "double precision")
      .addColumn("source_protocol", "text", (c) => c.notNull())
      .addColumn("source_address", "text", (c) => c.notNull())
      .addColumn("source_port", "integer", (c) => c.notNull())
      .addColumn("username", "text")
      .addColumn("instance", "text")
      .addColumn("user_agent", "text")
      .addPrimaryKeyConstraint("sip_bindings_pkey", ["aor", "contact"])
      .execute();
  },
};
