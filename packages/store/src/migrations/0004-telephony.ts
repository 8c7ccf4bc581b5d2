import type { Migration } from "kysely";

/**
 * Telephony: the tenants' phone numbers, SIP trunks and agents' SIP accounts, and call records with their
 * legs and timelines. Only new tables and indexes, each `if not exists`, so the migration may run again
 * after a crash on SQLite (which runs migrations outside a transaction); it sees an untyped database.
 */
export const telephony: Migration = {
  async up(db) {
    await db.schema
      .createTable("phone_numbers")
      .ifNotExists()
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
      .addColumn("e164", "text", (c) => c.notNull())
      .addColumn("label", "text", (c) => c.notNull())
      .addColumn("entry", "text", (c) => c.notNull())
      .addColumn("trunk_id", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    // One number, one tenant, in the whole deployment; also the lookup of an incoming call.
    await db.schema.createIndex("phone_numbers_e164_key").ifNotExists().on("phone_numbers").column("e164").unique().execute();
    // The tenant's list, by number.
    await db.schema
      .createIndex("phone_numbers_tenant_e164_idx")
      .ifNotExists()
      .on("phone_numbers")
      .columns(["tenant_id", "e164"])
      .execute();

    await db.schema
      .createTable("trunks")
      .ifNotExists()
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("inbound", "text", (c) => c.notNull())
      .addColumn("outbound", "text")
      .addColumn("byoc", "integer", (c) => c.notNull())
      .addColumn("enabled", "integer", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    // Also the list's order (by name).
    await db.schema
      .createIndex("trunks_tenant_name_key")
      .ifNotExists()
      .on("trunks")
      .columns(["tenant_id", "name"])
      .unique()
      .execute();

    await db.schema
      .createTable("sip_accounts")
      .ifNotExists()
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
      .addColumn("username", "text", (c) => c.notNull())
      .addColumn("extension", "text", (c) => c.notNull())
      .addColumn("display_name", "text", (c) => c.notNull())
      .addColumn("user_id", "text")
      .addColumn("ha1", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("sip_accounts_username_key")
      .ifNotExists()
      .on("sip_accounts")
      .column("username")
      .unique()
      .execute();
    await db.schema
      .createIndex("sip_accounts_tenant_extension_key")
      .ifNotExists()
      .on("sip_accounts")
      .columns(["tenant_id", "extension"])
      .unique()
      .execute();

    await db.schema
      .createTable("call_records")
      .ifNotExists()
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
      .addColumn("direction", "text", (c) => c.notNull())
      .addColumn("from_party", "text", (c) => c.notNull())
      .addColumn("to_party", "text", (c) => c.notNull())
      .addColumn("number_id", "text")
      .addColumn("trunk_id", "text")
      .addColumn("entry", "text")
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("result", "text")
      .addColumn("hangup_cause", "text")
      .addColumn("started_at", "text", (c) => c.notNull())
      .addColumn("answered_at", "text")
      .addColumn("ended_at", "text")
      .addColumn("duration_ms", "integer")
      .addColumn("recording_ids", "text", (c) => c.notNull())
      .addColumn("last_sequence", "integer", (c) => c.notNull())
      .execute();
    // The list, newest first, and its filters by direction and by result.
    await db.schema
      .createIndex("call_records_tenant_started_idx")
      .ifNotExists()
      .on("call_records")
      .columns(["tenant_id", "started_at", "id"])
      .execute();
    await db.schema
      .createIndex("call_records_tenant_direction_started_idx")
      .ifNotExists()
      .on("call_records")
      .columns(["tenant_id", "direction", "started_at", "id"])
      .execute();
    await db.schema
      .createIndex("call_records_tenant_result_started_idx")
      .ifNotExists()
      .on("call_records")
      .columns(["tenant_id", "result", "started_at", "id"])
      .execute();

    await db.schema
      .createTable("call_legs")
      .ifNotExists()
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("tenant_id", "text", (c) => c.notNull())
      .addColumn("call_id", "text", (c) => c.notNull().references("call_records.id"))
      .addColumn("role", "text", (c) => c.notNull())
      .addColumn("party", "text", (c) => c.notNull())
      .addColumn("sip_call_id", "text", (c) => c.notNull())
      .addColumn("protocol", "text", (c) => c.notNull())
      .addColumn("started_at", "text", (c) => c.notNull())
      .addColumn("answered_at", "text")
      .addColumn("ended_at", "text")
      .addColumn("end_reason", "text")
      .execute();
    await db.schema
      .createIndex("call_legs_call_started_idx")
      .ifNotExists()
      .on("call_legs")
      .columns(["call_id", "started_at", "id"])
      .execute();

    await db.schema
      .createTable("call_events")
      .ifNotExists()
      .addColumn("tenant_id", "text", (c) => c.notNull())
      .addColumn("call_id", "text", (c) => c.notNull().references("call_records.id"))
      .addColumn("sequence", "integer", (c) => c.notNull())
      .addColumn("type", "text", (c) => c.notNull())
      .addColumn("data", "text", (c) => c.notNull())
      .addColumn("at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("call_events_pkey", ["call_id", "sequence"])
      .execute();
  },
};
