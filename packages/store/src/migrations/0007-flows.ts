import { type Kysely, type Migration, SqliteAdapter, sql } from "kysely";

/**
 * Call flows: auto attendants (the current version of each, and every published version, configuration as
 * JSON), voicemail boxes and their messages, and what a phone caller waiting in each queue hears (the
 * queue's `call_settings`, JSON; queues written before read as the defaults below). Like 0005, every
 * statement may run again after a crash on SQLite, which runs migrations outside a transaction, and it
 * sees an untyped database.
 */
export const flows: Migration = {
  async up(db) {
    await db.schema
      .createTable("auto_attendants")
      .ifNotExists()
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("version", "integer", (c) => c.notNull())
      .addColumn("config", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    // Also the list's order (by name).
    await db.schema
      .createIndex("auto_attendants_tenant_name_key")
      .ifNotExists()
      .on("auto_attendants")
      .columns(["tenant_id", "name"])
      .unique()
      .execute();

    // Every published version, the current one included: a call keeps the version it started on.
    await db.schema
      .createTable("auto_attendant_versions")
      .ifNotExists()
      .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
      .addColumn("auto_attendant_id", "text", (c) => c.notNull().references("auto_attendants.id").onDelete("cascade"))
      .addColumn("version", "integer", (c) => c.notNull())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("config", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("auto_attendant_versions_pkey", ["auto_attendant_id", "version"])
      .execute();

    await db.schema
      .createTable("mailboxes")
      .ifNotExists()
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("owner_user_id", "text")
      .addColumn("greeting", "text")
      .addColumn("max_message_seconds", "integer", (c) => c.notNull())
      .addColumn("pin_hash", "text")
      .addColumn("notify_emails", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    // Also the list's order (by name).
    await db.schema
      .createIndex("mailboxes_tenant_name_key")
      .ifNotExists()
      .on("mailboxes")
      .columns(["tenant_id", "name"])
      .unique()
      .execute();
    // One personal mailbox per user; shared mailboxes (no owner) are not counted: NULLs are distinct.
    await db.schema
      .createIndex("mailboxes_tenant_owner_key")
      .ifNotExists()
      .on("mailboxes")
      .columns(["tenant_id", "owner_user_id"])
      .unique()
      .execute();

    await db.schema
      .createTable("voicemail_messages")
      .ifNotExists()
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
      .addColumn("mailbox_id", "text", (c) => c.notNull().references("mailboxes.id").onDelete("cascade"))
      .addColumn("call_id", "text", (c) => c.notNull())
      .addColumn("caller", "text", (c) => c.notNull())
      .addColumn("recording_id", "text", (c) => c.notNull())
      .addColumn("duration_ms", "integer", (c) => c.notNull())
      .addColumn("transcript", "text")
      .addColumn("heard", "integer", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    // A mailbox's messages, oldest first; also the cascade from a mailbox.
    await db.schema
      .createIndex("voicemail_messages_mailbox_created_idx")
      .ifNotExists()
      .on("voicemail_messages")
      .columns(["mailbox_id", "created_at", "id"])
      .execute();

    if (!(await hasColumn(db, "queues", "call_settings"))) {
      await db.schema
        .alterTable("queues")
        .addColumn("call_settings", "text", (c) => c.notNull().defaultTo(DEFAULT_CALL_SETTINGS))
        .execute();
    }
  },
};

/**
 * What a queue of an earlier release plays to a caller: `defaultCallQueueSettings()` as it was when this
 * migration was written (a released migration never changes, so it is spelled out).
 */
const DEFAULT_CALL_SETTINGS = JSON.stringify({
  greeting: null,
  music: null,
  announceEverySeconds: 30,
  announcePosition: true,
  announceExpectedWait: true,
  conferenceMode: false,
  recording: { enabled: false, consent: null },
});

/**
 * Whether a column exists already. PostgreSQL runs a migration in one transaction, so there it never
 * does; SQLite may have added it in a run that a crash cut short (and has no `add column if not exists`).
 */
async function hasColumn(db: Kysely<unknown>, table: string, column: string): Promise<boolean> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return false;
  const { rows } = await sql<{ name: string }>`select name from pragma_table_info(${table}) where name = ${column}`.execute(db);
  return rows.length > 0;
}
