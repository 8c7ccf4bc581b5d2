import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DomainError } from "@switchboard/core";
import { type ChatStoreFixture, chatStoreContract, identityStoreContract } from "@switchboard/core/testing";
import { createTestSchema, postgresAvailable } from "@switchboard/store/testing";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { openStore, type Store, StoreError } from "./index.js";

const hasPostgres = await postgresAvailable();

const fixtureOf = (store: Store, cleanup: () => Promise<void> = async () => {}): ChatStoreFixture => ({
  identities: store.identities,
  chat: store.chat,
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
  "identities",
  "messages",
  "settings",
  "tenants",
  "thread_events",
  "thread_participants",
  "threads",
  "users",
];

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

  identityStoreContract("sqlite", make);
  chatStoreContract("sqlite", make);

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

  identityStoreContract("postgres", make);
  chatStoreContract("postgres", make);

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
