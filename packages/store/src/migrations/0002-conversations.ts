import { type Kysely, type Migration, SqliteAdapter, sql } from "kysely";

/**
 * What a message carries besides its text, and the tables of conversations: attachments, the customer
 * directory, the bot's knowledge, entry points, conversations with their timelines (an outbox like
 * `thread_events`), widget sessions and verification challenges. Like 0001, every statement may run
 * again after a crash on SQLite, which runs migrations outside a transaction.
 */
export const conversations: Migration = {
  async up(db) {
    // Null for messages without extras, and for every message written before this migration.
    if (!(await hasColumn(db, "messages", "extras"))) {
      await db.schema.alterTable("messages").addColumn("extras", "text").execute();
    }

    await db.schema
      .createTable("attachments")
      .ifNotExists()
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
      .addColumn("thread_id", "text", (c) => c.notNull())
      .addColumn("uploader_id", "text", (c) => c.notNull())
      .addColumn("file_name", "text", (c) => c.notNull())
      .addColumn("content_type", "text", (c) => c.notNull())
      .addColumn("size", "integer", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("customers")
      .ifNotExists()
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("email", "text")
      .addColumn("phone", "text")
      .addColumn("external_id", "text")
      .addColumn("attributes", "text", (c) => c.notNull())
      .addColumn("search_text", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    // NULLs are distinct in a unique index on both dialects: many customers may lack an email or an external id.
    await db.schema
      .createIndex("customers_tenant_email_key")
      .ifNotExists()
      .on("customers")
      .columns(["tenant_id", "email"])
      .unique()
      .execute();
    await db.schema
      .createIndex("customers_tenant_external_id_key")
      .ifNotExists()
      .on("customers")
      .columns(["tenant_id", "external_id"])
      .unique()
      .execute();
    await db.schema
      .createIndex("customers_tenant_name_idx")
      .ifNotExists()
      .on("customers")
      .columns(["tenant_id", "name", "id"])
      .execute();

    await db.schema
      .createTable("faq_entries")
      .ifNotExists()
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
      .addColumn("question", "text", (c) => c.notNull())
      .addColumn("answer", "text", (c) => c.notNull())
      .addColumn("alternatives", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("faq_entries_tenant_created_idx")
      .ifNotExists()
      .on("faq_entries")
      .columns(["tenant_id", "created_at", "id"])
      .execute();

    await db.schema
      .createTable("bot_settings")
      .ifNotExists()
      .addColumn("tenant_id", "text", (c) => c.primaryKey().references("tenants.id"))
      .addColumn("settings", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("entry_points")
      .ifNotExists()
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("channel", "text", (c) => c.notNull())
      .addColumn("bot_identity_id", "text")
      .addColumn("greeting", "text", (c) => c.notNull())
      .addColumn("business_hours", "text")
      .addColumn("after_hours_message", "text", (c) => c.notNull())
      .addColumn("handoff_queue", "text", (c) => c.notNull())
      .addColumn("allowed_origins", "text", (c) => c.notNull())
      .addColumn("enabled", "integer", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("entry_points_tenant_created_idx")
      .ifNotExists()
      .on("entry_points")
      .columns(["tenant_id", "created_at", "id"])
      .execute();

    await db.schema
      .createTable("conversations")
      .ifNotExists()
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
      .addColumn("thread_id", "text", (c) => c.notNull())
      .addColumn("channel", "text", (c) => c.notNull())
      .addColumn("entry_point_id", "text", (c) => c.notNull())
      .addColumn("customer_identity_id", "text", (c) => c.notNull())
      .addColumn("customer_id", "text")
      .addColumn("verified", "integer", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("intent", "text")
      .addColumn("queue", "text", (c) => c.notNull())
      .addColumn("handoff", "text")
      .addColumn("bot_state", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .addColumn("awaiting_since", "text")
      .addColumn("resolved_at", "text")
      .addColumn("last_sequence", "integer", (c) => c.notNull())
      .execute();
    // A conversation owns its thread: one conversation per thread.
    await db.schema
      .createIndex("conversations_thread_key")
      .ifNotExists()
      .on("conversations")
      .columns(["thread_id"])
      .unique()
      .execute();
    // The list is newest first within the tenant, optionally narrowed by one of these columns.
    for (const column of [undefined, "status", "entry_point_id", "customer_identity_id", "customer_id"] as const) {
      await db.schema
        .createIndex(column === undefined ? "conversations_tenant_created_idx" : `conversations_tenant_${column}_created_idx`)
        .ifNotExists()
        .on("conversations")
        .columns(column === undefined ? ["tenant_id", "created_at", "id"] : ["tenant_id", column, "created_at", "id"])
        .execute();
    }
    // Queue positions (countAwaitingBefore); also serves the list filtered by queue.
    await db.schema
      .createIndex("conversations_tenant_queue_status_awaiting_idx")
      .ifNotExists()
      .on("conversations")
      .columns(["tenant_id", "queue", "status", "awaiting_since"])
      .execute();

    await db.schema
      .createTable("conversation_events")
      .ifNotExists()
      .addColumn("tenant_id", "text", (c) => c.notNull())
      .addColumn("conversation_id", "text", (c) => c.notNull().references("conversations.id"))
      .addColumn("sequence", "integer", (c) => c.notNull())
      .addColumn("type", "text", (c) => c.notNull())
      .addColumn("data", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("conversation_events_pkey", ["conversation_id", "sequence"])
      .execute();

    await db.schema
      .createTable("widget_sessions")
      .ifNotExists()
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
      .addColumn("entry_point_id", "text", (c) => c.notNull())
      .addColumn("identity_id", "text", (c) => c.notNull())
      .addColumn("secret_digest", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("widget_sessions_secret_digest_key")
      .ifNotExists()
      .on("widget_sessions")
      .column("secret_digest")
      .unique()
      .execute();

    await db.schema
      .createTable("verification_challenges")
      .ifNotExists()
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
      .addColumn("conversation_id", "text", (c) => c.notNull())
      .addColumn("customer_id", "text", (c) => c.notNull())
      .addColumn("code_digest", "text", (c) => c.notNull())
      .addColumn("attempts", "integer", (c) => c.notNull())
      .addColumn("expires_at", "text", (c) => c.notNull())
      .addColumn("locked_until", "text")
      .addColumn("verified_at", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("verification_challenges_conversation_idx")
      .ifNotExists()
      .on("verification_challenges")
      .columns(["tenant_id", "conversation_id", "created_at", "id"])
      .execute();
  },
};

/**
 * Whether a column exists already. PostgreSQL runs a migration in one transaction, so there it never
 * does; SQLite may have added it in a run that a crash cut short (and has no `add column if not exists`).
 */
async function hasColumn(db: Kysely<unknown>, table: string, column: string): Promise<boolean> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return false;
  const { rows } = await sql<{ name: string }>`select name from pragma_table_info(${table}) where name = ${column}`.execute(db);
  return rows.length > 0;
}
