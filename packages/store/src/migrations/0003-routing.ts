import { type Kysely, type Migration, SqliteAdapter, sql } from "kysely";

/**
 * Routing: the agent handling a conversation and its wrap-up code, the tenants' queues, the agents'
 * worker records, and the routing engine's saved state (a snapshot per tenant) and event log. Like
 * 0001 and 0002, every statement may run again after a crash on SQLite, which runs migrations outside
 * a transaction, and it sees an untyped database.
 */
export const routing: Migration = {
  async up(db) {
    // Null for every conversation written before this migration: no agent has it, nobody wrapped it up.
    if (!(await hasColumn(db, "conversations", "agent_id"))) {
      await db.schema.alterTable("conversations").addColumn("agent_id", "text").execute();
    }
    if (!(await hasColumn(db, "conversations", "wrap_up_code"))) {
      await db.schema.alterTable("conversations").addColumn("wrap_up_code", "text").execute();
    }
    // An agent's conversations, newest first, like the list's other filters.
    await db.schema
      .createIndex("conversations_tenant_agent_id_created_idx")
      .ifNotExists()
      .on("conversations")
      .columns(["tenant_id", "agent_id", "created_at", "id"])
      .execute();

    await db.schema
      .createTable("queues")
      .ifNotExists()
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("distribution", "text", (c) => c.notNull())
      .addColumn("alert_seconds", "integer", (c) => c.notNull())
      .addColumn("wrap_up_seconds", "integer", (c) => c.notNull())
      .addColumn("serial_order", "text", (c) => c.notNull())
      .addColumn("overflow", "text")
      .addColumn("timeout", "text")
      .addColumn("no_agents", "text")
      .addColumn("wrap_up_codes", "text", (c) => c.notNull())
      .addColumn("service_level_seconds", "integer", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    // Also the list's order (by name).
    await db.schema
      .createIndex("queues_tenant_name_key")
      .ifNotExists()
      .on("queues")
      .columns(["tenant_id", "name"])
      .unique()
      .execute();

    await db.schema
      .createTable("workers")
      .ifNotExists()
      .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
      .addColumn("identity_id", "text", (c) => c.notNull())
      .addColumn("user_id", "text", (c) => c.notNull())
      .addColumn("settings", "text", (c) => c.notNull())
      .addColumn("presence", "text", (c) => c.notNull())
      .addColumn("presence_since", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("workers_pkey", ["tenant_id", "identity_id"])
      .execute();

    // One row per tenant: its snapshot (null until the first save) and the last position of its log,
    // which every append bumps in its transaction (and on PostgreSQL, thereby locks).
    await db.schema
      .createTable("routing_state")
      .ifNotExists()
      .addColumn("tenant_id", "text", (c) => c.primaryKey().references("tenants.id"))
      .addColumn("snapshot", "text")
      .addColumn("updated_at", "text")
      .addColumn("last_position", "integer", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("routing_events")
      .ifNotExists()
      .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
      .addColumn("position", "integer", (c) => c.notNull())
      .addColumn("type", "text", (c) => c.notNull())
      .addColumn("subject", "text")
      .addColumn("data", "text", (c) => c.notNull())
      .addColumn("at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("routing_events_pkey", ["tenant_id", "position"])
      .execute();
    await db.schema
      .createIndex("routing_events_subject")
      .ifNotExists()
      .on("routing_events")
      .columns(["tenant_id", "subject", "position"])
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
