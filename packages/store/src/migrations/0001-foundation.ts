import type { Migration } from "kysely";

/**
 * Tenants, identities, users, API keys, chat threads with their event log, and settings. Kysely runs
 * SQLite migrations outside a transaction, so every statement is `if not exists`: a migration cut
 * short by a crash runs again cleanly. Like every migration, it sees an untyped database (`Migration`
 * gives `Kysely<any>`): it must not depend on today's `Database` types.
 */
export const foundation: Migration = {
  async up(db) {
    await db.schema
      .createTable("tenants")
      .ifNotExists()
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("slug", "text", (c) => c.notNull())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("tenants_slug_key").ifNotExists().on("tenants").column("slug").unique().execute();

    await db.schema
      .createTable("identities")
      .ifNotExists()
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("display_name", "text", (c) => c.notNull())
      .addColumn("external_id", "text")
      .addColumn("metadata", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    // NULLs are distinct in a unique index on both dialects: many identities may lack an external id.
    await db.schema
      .createIndex("identities_tenant_external_id_key")
      .ifNotExists()
      .on("identities")
      .columns(["tenant_id", "external_id"])
      .unique()
      .execute();
    await db.schema
      .createIndex("identities_tenant_created_idx")
      .ifNotExists()
      .on("identities")
      .columns(["tenant_id", "created_at", "id"])
      .execute();

    await db.schema
      .createTable("users")
      .ifNotExists()
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
      .addColumn("email", "text", (c) => c.notNull())
      .addColumn("display_name", "text", (c) => c.notNull())
      .addColumn("role", "text", (c) => c.notNull())
      .addColumn("password_hash", "text", (c) => c.notNull())
      .addColumn("identity_id", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("users_tenant_email_key")
      .ifNotExists()
      .on("users")
      .columns(["tenant_id", "email"])
      .unique()
      .execute();

    await db.schema
      .createTable("api_keys")
      .ifNotExists()
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("prefix", "text", (c) => c.notNull())
      .addColumn("secret_hash", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("revoked_at", "text")
      .execute();
    await db.schema.createIndex("api_keys_secret_hash_key").ifNotExists().on("api_keys").column("secret_hash").unique().execute();
    await db.schema
      .createIndex("api_keys_tenant_created_idx")
      .ifNotExists()
      .on("api_keys")
      .columns(["tenant_id", "created_at"])
      .execute();

    await db.schema
      .createTable("threads")
      .ifNotExists()
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
      .addColumn("topic", "text", (c) => c.notNull())
      .addColumn("metadata", "text", (c) => c.notNull())
      .addColumn("created_by", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("last_sequence", "integer", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("threads_tenant_created_idx")
      .ifNotExists()
      .on("threads")
      .columns(["tenant_id", "created_at", "id"])
      .execute();

    await db.schema
      .createTable("thread_participants")
      .ifNotExists()
      .addColumn("tenant_id", "text", (c) => c.notNull())
      .addColumn("thread_id", "text", (c) => c.notNull().references("threads.id"))
      .addColumn("identity_id", "text", (c) => c.notNull())
      .addColumn("display_name", "text", (c) => c.notNull())
      .addColumn("joined_sequence", "integer", (c) => c.notNull())
      .addColumn("last_read_sequence", "integer", (c) => c.notNull())
      .addPrimaryKeyConstraint("thread_participants_pkey", ["thread_id", "identity_id"])
      .execute();
    await db.schema
      .createIndex("thread_participants_identity_idx")
      .ifNotExists()
      .on("thread_participants")
      .columns(["tenant_id", "identity_id"])
      .execute();

    await db.schema
      .createTable("messages")
      .ifNotExists()
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("tenant_id", "text", (c) => c.notNull())
      .addColumn("thread_id", "text", (c) => c.notNull().references("threads.id"))
      .addColumn("sequence", "integer", (c) => c.notNull())
      .addColumn("sender_id", "text", (c) => c.notNull())
      .addColumn("sender_display_name", "text", (c) => c.notNull())
      .addColumn("content", "text", (c) => c.notNull())
      .addColumn("metadata", "text", (c) => c.notNull())
      .addColumn("idempotency_key", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("edited_at", "text")
      .addColumn("deleted_at", "text")
      .execute();
    await db.schema
      .createIndex("messages_thread_sequence_key")
      .ifNotExists()
      .on("messages")
      .columns(["thread_id", "sequence"])
      .unique()
      .execute();
    await db.schema
      .createIndex("messages_thread_sender_idempotency_key")
      .ifNotExists()
      .on("messages")
      .columns(["thread_id", "sender_id", "idempotency_key"])
      .unique()
      .execute();

    await db.schema
      .createTable("thread_events")
      .ifNotExists()
      .addColumn("tenant_id", "text", (c) => c.notNull())
      .addColumn("thread_id", "text", (c) => c.notNull().references("threads.id"))
      .addColumn("sequence", "integer", (c) => c.notNull())
      .addColumn("type", "text", (c) => c.notNull())
      .addColumn("data", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("thread_events_pkey", ["thread_id", "sequence"])
      .execute();

    await db.schema
      .createTable("settings")
      .ifNotExists()
      .addColumn("name", "text", (c) => c.primaryKey())
      .addColumn("value", "text", (c) => c.notNull())
      .execute();
  },
};
