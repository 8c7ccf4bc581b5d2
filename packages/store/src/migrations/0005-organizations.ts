import { type Kysely, type Migration, SqliteAdapter, sql } from "kysely";

/**
 * Agent organizations: the teams a tenant outsources agents to, the organization of each user (null for
 * every user written before: in-house), and the organizations assigned to each queue (none for every
 * queue written before: in-house only). Like 0003, every statement may run again after a crash on
 * SQLite, which runs migrations outside a transaction, and it sees an untyped database.
 */
export const organizations: Migration = {
  async up(db) {
    await db.schema
      .createTable("organizations")
      .ifNotExists()
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    // Also the list's order (by name).
    await db.schema
      .createIndex("organizations_tenant_name_key")
      .ifNotExists()
      .on("organizations")
      .columns(["tenant_id", "name"])
      .unique()
      .execute();

    // No cascade: an organization someone belongs to cannot be deleted (`organization.in_use`).
    if (!(await hasColumn(db, "users", "organization_id"))) {
      await db.schema
        .alterTable("users")
        .addColumn("organization_id", "text", (c) => c.references("organizations.id"))
        .execute();
    }
    // The foreign key's check when an organization is deleted.
    await db.schema.createIndex("users_organization_id_idx").ifNotExists().on("users").column("organization_id").execute();

    // A queue's organizations go with it, and an organization leaves its queues when it goes.
    await db.schema
      .createTable("queue_organizations")
      .ifNotExists()
      .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
      .addColumn("queue_id", "text", (c) => c.notNull().references("queues.id").onDelete("cascade"))
      .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id").onDelete("cascade"))
      .addPrimaryKeyConstraint("queue_organizations_pkey", ["queue_id", "organization_id"])
      .execute();
    // A tenant's assignments at once (the queue list), and the cascade from an organization.
    await db.schema
      .createIndex("queue_organizations_tenant_queue_idx")
      .ifNotExists()
      .on("queue_organizations")
      .columns(["tenant_id", "queue_id"])
      .execute();
    await db.schema
      .createIndex("queue_organizations_organization_idx")
      .ifNotExists()
      .on("queue_organizations")
      .column("organization_id")
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
