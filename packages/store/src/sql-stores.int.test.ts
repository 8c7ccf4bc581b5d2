import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DomainError } from "@switchboard/core";
import { type StoreFixture, storeContracts } from "@switchboard/core/testing";
import { createTestSchema, postgresAvailable } from "@switchboard/store/testing";
import { type Kysely, Migrator, sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { openStore, type Store, StoreError } from "./index.js";
import { foundation } from "./migrations/0001-foundation.js";

const hasPostgres = await postgresAvailable();

const fixtureOf = (store: Store, cleanup: () => Promise<void> = async () => {}): StoreFixture => ({
  identities: store.identities,
  chat: store.chat,
  attachments: store.attachments,
  customers: store.customers,
  knowledge: store.knowledge,
  entryPoints: store.entryPoints,
  conversations: store.conversations,
  verifications: store.verifications,
  close: async () => {
    await store.close();
    await cleanup();
  },
});

async function tableNames(store: Store): Promise<string[]> {
  const tables = await store.db.introspection.getTables();
  return tables.map((t) => t.name).sort();
}

const TABLES = [
  "api_keys",
  "attachments",
  "bot_settings",
  "conversation_events",
  "conversations",
  "customers",
  "entry_points",
  "faq_entries",
  "identities",
  "messages",
  "settings",
  "tenants",
  "thread_events",
  "thread_participants",
  "threads",
  "users",
  "verification_challenges",
  "widget_sessions",
];

/** Brings a database to the first migration only, as a deployment of the previous release left it. */
async function migrateToFoundation(db: Kysely<unknown>, schema?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => ({ "0001-foundation": foundation }) },
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) throw error;
}

/**
 * Writes a thread with a message and its event the way the first release did (no `extras` column,
 * no extras in the event data), then migrates, and reads both back.
 */
async function readsMessagesOfTheFirstRelease(store: Store, schema?: string): Promise<void> {
  await migrateToFoundation(store.db as unknown as Kysely<unknown>, schema);
  const at = "2026-01-01T00:00:00.000Z";
  await store.identities.createTenant({ id: "t1", slug: "acme", name: "Acme", createdAt: new Date(at) });
  const old = {
    id: "m1",
    sequence: 1,
    senderId: "i1",
    senderDisplayName: "Ada",
    content: "written before extras",
    metadata: {},
    createdAt: at,
    editedAt: null,
    deletedAt: null,
  };
  await sql`insert into threads (id, tenant_id, topic, metadata, created_by, created_at, last_sequence)
    values ('th1', 't1', 'Old', '{}', null, ${at}, 1)`.execute(store.db);
  await sql`insert into thread_participants (tenant_id, thread_id, identity_id, display_name, joined_sequence, last_read_sequence)
    values ('t1', 'th1', 'i1', 'Ada', 0, 0)`.execute(store.db);
  await sql`insert into messages (id, tenant_id, thread_id, sequence, sender_id, sender_display_name, content, metadata, idempotency_key, created_at, edited_at, deleted_at)
    values ('m1', 't1', 'th1', 1, 'i1', 'Ada', ${old.content}, '{}', null, ${at}, null, null)`.execute(store.db);
  await sql`insert into thread_events (tenant_id, thread_id, sequence, type, data, created_at)
    values ('t1', 'th1', 1, 'chat.message.received', ${JSON.stringify({ message: old })}, ${at})`.execute(store.db);

  await store.migrate();
  const message = await store.chat.getMessage("t1", "th1", "m1");
  expect(message).toMatchObject({ content: "written before extras", attachments: [], quickReplies: [], card: null });
  const [event] = await store.chat.listEvents("t1", "th1", 0, 10);
  expect(event?.data).toEqual({ message: { ...old, attachments: [], quickReplies: [], card: null } });
  // And the old message takes part in new changes like any other.
  const edited = await store.chat.editMessage("t1", "th1", "m1", { content: "edited", metadata: {} }, new Date(at));
  expect(edited.message).toMatchObject({ content: "edited", sequence: 1, attachments: [], quickReplies: [], card: null });
}

describe("SQLite", () => {
  const dir = mkdtempSync(join(tmpdir(), "switchboard-store-"));
  let files = 0;
  const newPath = () => join(dir, `store-${++files}.db`);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const make = async () => {
    const store = openStore({ sqlitePath: newPath() });
    await store.migrate();
    return fixtureOf(store);
  };

  storeContracts("sqlite", make);

  it("reads messages and events written before messages had extras as having none", async () => {
    const store = openStore({ sqlitePath: newPath() });
    try {
      await readsMessagesOfTheFirstRelease(store);
    } finally {
      await store.close();
    }
  });

  it("finishes a migration that a crash cut short after it added the extras column", async () => {
    const path = newPath();
    const store = openStore({ sqlitePath: path });
    await migrateToFoundation(store.db as unknown as Kysely<unknown>);
    await sql`alter table messages add column extras text`.execute(store.db);
    await store.migrate();
    expect(await tableNames(store)).toEqual(TABLES);
    await store.close();
  });

  it("creates the file's directory and sets WAL, NORMAL sync, foreign keys and a busy timeout", async () => {
    const store = openStore({ sqlitePath: join(dir, "nested", "deeper", "switchboard.db") });
    try {
      expect(store.dialect).toBe("sqlite");
      const pragma = async (name: string) =>
        Object.values((await sql.raw(`pragma ${name}`).execute(store.db)).rows[0] as object)[0];
      expect(await pragma("journal_mode")).toBe("wal");
      expect(await pragma("synchronous")).toBe(1);
      expect(await pragma("foreign_keys")).toBe(1);
      expect(await pragma("busy_timeout")).toBe(5000);
      await store.ping();
    } finally {
      await store.close();
    }
  });

  it("migrates twice, and again after reopening, without harm", async () => {
    const path = newPath();
    const store = openStore({ sqlitePath: path });
    await store.migrate();
    await store.migrate();
    expect(await tableNames(store)).toEqual(TABLES);
    await store.identities.createTenant({ id: "t1", slug: "acme", name: "Acme", createdAt: new Date("2026-01-01T00:00:00Z") });
    await store.close();

    const reopened = openStore({ sqlitePath: path });
    await reopened.migrate();
    expect((await reopened.identities.getTenantBySlug("acme"))?.id).toBe("t1");
    await reopened.close();
  });

  it("keeps a secret: the same value on the second call and after reopening", async () => {
    const path = newPath();
    const store = openStore({ sqlitePath: path });
    await store.migrate();
    let created = 0;
    const create = () => `secret-${++created}`;
    expect(await store.secrets.getOrCreate("token-key", create)).toBe("secret-1");
    expect(await store.secrets.getOrCreate("token-key", create)).toBe("secret-1");
    expect(await store.secrets.getOrCreate("other-key", create)).toBe("secret-2");
    await store.close();

    const reopened = openStore({ sqlitePath: path });
    await reopened.migrate();
    expect(await reopened.secrets.getOrCreate("token-key", create)).toBe("secret-1");
    expect(created).toBe(2);
    await reopened.close();
  });

  it("wraps a driver error it does not expect in a StoreError with the cause", async () => {
    const store = openStore({ sqlitePath: newPath() });
    await store.migrate();
    try {
      const tenant = { id: "t1", slug: "acme", name: "Acme", createdAt: new Date("2026-01-01T00:00:00Z") };
      await store.identities.createTenant(tenant);
      const error = await store.identities.createTenant({ ...tenant, slug: "other" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).message).toBe("Could not create the tenant.");
      expect((error as StoreError).cause).toMatchObject({ code: "SQLITE_CONSTRAINT_PRIMARYKEY" });
    } finally {
      await store.close();
    }
  });

  it("refuses a database url it does not know, and a missing path", () => {
    expect(() => openStore({ url: "mysql://localhost/db" })).toThrow(StoreError);
    expect(() => openStore({})).toThrow(StoreError);
  });

  it("accepts a sqlite: url", async () => {
    const store = openStore({ url: `sqlite:${newPath()}` });
    expect(store.dialect).toBe("sqlite");
    await store.migrate();
    expect(await tableNames(store)).toEqual(TABLES);
    await store.close();
  });
});

describe.skipIf(!hasPostgres)("PostgreSQL", () => {
  const make = async () => {
    const schema = await createTestSchema();
    const store = openStore({ url: schema.url, poolSize: 5 });
    await store.migrate();
    return fixtureOf(store, schema.drop);
  };

  storeContracts("postgres", make);

  it("reads messages and events written before messages had extras as having none", async () => {
    const schema = await createTestSchema();
    const store = openStore({ url: schema.url });
    try {
      await readsMessagesOfTheFirstRelease(store, schema.schema);
    } finally {
      await store.close();
      await schema.drop();
    }
  });

  it("works inside its own schema and migrates twice, even concurrently, without harm", async () => {
    const schema = await createTestSchema();
    const a = openStore({ url: schema.url });
    const b = openStore({ url: schema.url });
    try {
      expect(a.dialect).toBe("postgres");
      await Promise.all([a.migrate(), b.migrate()]);
      await a.migrate();
      const tables = await sql<{ name: string }>`
        select table_name as name from information_schema.tables where table_schema = ${schema.schema} order by table_name`.execute(
        a.db,
      );
      expect(tables.rows.map((r) => r.name)).toEqual([...TABLES, "kysely_migration", "kysely_migration_lock"].sort());
      await a.ping();
    } finally {
      await a.close();
      await b.close();
      await schema.drop();
    }
  });

  it("agrees on one secret among concurrent first uses", async () => {
    const schema = await createTestSchema();
    const store = openStore({ url: schema.url });
    try {
      await store.migrate();
      const values = await Promise.all(
        Array.from({ length: 5 }, (_, i) => store.secrets.getOrCreate("token-key", () => `secret-${i}`)),
      );
      expect(new Set(values).size).toBe(1);
      expect(await store.secrets.getOrCreate("token-key", () => "late")).toBe(values[0]);
    } finally {
      await store.close();
      await schema.drop();
    }
  });

  it("reports an unreachable database as store.unavailable", async () => {
    const store = openStore({ url: "postgres://postgres@127.0.0.1:1/test" });
    try {
      const error = await store.ping().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: "store.unavailable", kind: "unavailable" });
    } finally {
      await store.close();
    }
  });
});
