import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DomainError, defaultCallQueueSettings, type SipBinding } from "@switchboard/core";
import { type StoreFixture, storeContracts } from "@switchboard/core/testing";
import { createTestSchema, postgresAvailable } from "@switchboard/store/testing";
import { type Kysely, Migrator, sql } from "kysely";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore, type Store, StoreError } from "./index.js";
import { foundation } from "./migrations/0001-foundation.js";
import { conversations } from "./migrations/0002-conversations.js";
import { routing } from "./migrations/0003-routing.js";
import { telephony } from "./migrations/0004-telephony.js";
import { organizations } from "./migrations/0005-organizations.js";

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
  queues: store.queues,
  workers: store.workers,
  organizations: store.organizations,
  routing: store.routing,
  phoneNumbers: store.phoneNumbers,
  trunks: store.trunks,
  sipAccounts: store.sipAccounts,
  callRecords: store.callRecords,
  autoAttendants: store.autoAttendants,
  voicemail: store.voicemail,
  recordingCatalog: store.recordingCatalog,
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
  "auto_attendant_versions",
  "auto_attendants",
  "bot_settings",
  "call_events",
  "call_legs",
  "call_records",
  "conversation_events",
  "conversations",
  "customers",
  "entry_points",
  "faq_entries",
  "identities",
  "mailboxes",
  "messages",
  "organizations",
  "phone_numbers",
  "queue_organizations",
  "queues",
  "recording_retentions",
  "recordings",
  "routing_events",
  "routing_state",
  "settings",
  "sip_accounts",
  "sip_bindings",
  "tenants",
  "thread_events",
  "thread_participants",
  "threads",
  "trunks",
  "users",
  "verification_challenges",
  "voicemail_messages",
  "widget_sessions",
  "workers",
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

/** Brings a database to migration 0002, as a deployment of the release before routing left it. */
async function migrateToConversations(db: Kysely<unknown>, schema?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => ({ "0001-foundation": foundation, "0002-conversations": conversations }) },
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) throw error;
}

/** Brings a database to migration 0004, as a deployment of the release before agent organizations left it. */
async function migrateToTelephony(db: Kysely<unknown>, schema?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: {
      getMigrations: async () => ({
        "0001-foundation": foundation,
        "0002-conversations": conversations,
        "0003-routing": routing,
        "0004-telephony": telephony,
      }),
    },
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) throw error;
}

/** Brings a database to migration 0005, as a deployment of the release before call flows left it. */
async function migrateToOrganizations(db: Kysely<unknown>, schema?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: {
      getMigrations: async () => ({
        "0001-foundation": foundation,
        "0002-conversations": conversations,
        "0003-routing": routing,
        "0004-telephony": telephony,
        "0005-organizations": organizations,
      }),
    },
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) throw error;
}

/**
 * Writes a queue the way the release before call flows did, then migrates: it reads back with the default
 * call settings, and keeps new ones afterwards.
 */
async function readsQueuesOfTheReleaseBeforeCallFlows(store: Store, schema?: string): Promise<void> {
  await migrateToOrganizations(store.db as unknown as Kysely<unknown>, schema);
  const at = "2026-01-01T00:00:00.000Z";
  await store.identities.createTenant({ id: "t1", slug: "acme", name: "Acme", createdAt: new Date(at) });
  await sql`insert into queues (id, tenant_id, name, distribution, alert_seconds, wrap_up_seconds, serial_order, overflow,
      timeout, no_agents, wrap_up_codes, service_level_seconds, created_at, updated_at)
    values ('q1', 't1', 'support', 'longest_idle', 30, 30, '[]', null, null, null, '[]', 60, ${at}, ${at})`.execute(store.db);

  await store.migrate();
  const queue = await store.queues.getQueue("t1", "q1");
  if (!queue) throw new Error("the queue is gone");
  expect(queue.call).toEqual(defaultCallQueueSettings());
  const call = { ...queue.call, announceEverySeconds: 60, greeting: { kind: "speech" as const, text: "Please hold." } };
  expect(await store.queues.updateQueue({ ...queue, call })).toMatchObject({ call });
  expect((await store.queues.getQueue("t1", "q1"))?.call).toEqual(call);
}

/**
 * Writes a user and a queue the way the release before agent organizations did, then migrates: both read
 * back as in-house (no organization), and take one afterwards.
 */
async function readsUsersAndQueuesOfTheReleaseBeforeOrganizations(store: Store, schema?: string): Promise<void> {
  await migrateToTelephony(store.db as unknown as Kysely<unknown>, schema);
  const at = "2026-01-01T00:00:00.000Z";
  await store.identities.createTenant({ id: "t1", slug: "acme", name: "Acme", createdAt: new Date(at) });
  await sql`insert into identities (id, tenant_id, kind, display_name, external_id, metadata, created_at)
    values ('i1', 't1', 'agent', 'Ada', null, '{}', ${at})`.execute(store.db);
  await sql`insert into users (id, tenant_id, email, display_name, role, password_hash, identity_id, created_at)
    values ('u1', 't1', 'ada@acme.test', 'Ada', 'agent', 'scrypt$x', 'i1', ${at})`.execute(store.db);
  await sql`insert into queues (id, tenant_id, name, distribution, alert_seconds, wrap_up_seconds, serial_order, overflow,
      timeout, no_agents, wrap_up_codes, service_level_seconds, created_at, updated_at)
    values ('q1', 't1', 'support', 'longest_idle', 30, 30, '[]', null, null, null, '[]', 60, ${at}, ${at})`.execute(store.db);

  await store.migrate();
  expect(await store.identities.getUser("t1", "u1")).toMatchObject({ email: "ada@acme.test", organizationId: null });
  expect(await store.queues.getQueue("t1", "q1")).toMatchObject({ name: "support", organizationIds: [] });
  await store.organizations.createOrganization({ id: "o1", tenantId: "t1", name: "Teleperfect", createdAt: new Date(at) });
  expect(await store.identities.updateUser("t1", "u1", { organizationId: "o1" })).toMatchObject({ organizationId: "o1" });
  const queue = await store.queues.getQueue("t1", "q1");
  if (!queue) throw new Error("the queue is gone");
  expect(await store.queues.updateQueue({ ...queue, organizationIds: ["o1"] })).toMatchObject({ organizationIds: ["o1"] });
}

/**
 * Writes a conversation with its timeline the way the release before routing did (no agent, no wrap-up
 * code, a `conversation.resolved` event without one), then migrates, and reads them back.
 */
async function readsConversationsOfTheReleaseBeforeRouting(store: Store, schema?: string): Promise<void> {
  await migrateToConversations(store.db as unknown as Kysely<unknown>, schema);
  const at = "2026-01-01T00:00:00.000Z";
  await store.identities.createTenant({ id: "t1", slug: "acme", name: "Acme", createdAt: new Date(at) });
  await sql`insert into conversations (id, tenant_id, thread_id, channel, entry_point_id, customer_identity_id, customer_id,
      verified, status, intent, queue, handoff, bot_state, created_at, updated_at, awaiting_since, resolved_at, last_sequence)
    values ('c1', 't1', 'th1', 'web_chat', 'e1', 'i1', null, 0, 'resolved', null, 'general', null, 'null', ${at}, ${at}, null, ${at}, 2)`.execute(
    store.db,
  );
  await sql`insert into conversation_events (tenant_id, conversation_id, sequence, type, data, created_at)
    values ('t1', 'c1', 2, 'conversation.resolved', '{"by":null}', ${at})`.execute(store.db);

  await store.migrate();
  const conversation = await store.conversations.getConversation("t1", "c1");
  expect(conversation).toMatchObject({ status: "resolved", queue: "general", agentId: null, wrapUpCode: null });
  const [event] = await store.conversations.listConversationEvents("t1", "c1", 1, 10);
  expect(event).toMatchObject({ sequence: 2, type: "conversation.resolved" });
  expect(event?.data).toEqual({ by: null, wrapUpCode: null });
  const changed = await store.conversations.changeConversation("t1", "c1", {
    patch: { agentId: "agent-1", wrapUpCode: "resolved" },
    at: new Date(at),
  });
  expect(changed?.conversation).toMatchObject({ agentId: "agent-1", wrapUpCode: "resolved" });
  expect((await store.conversations.listConversations("t1", { agentId: "agent-1" }, { limit: 10 })).items).toHaveLength(1);
}

/**
 * Two stores on one PostgreSQL database (two processes, or two nodes) append to one tenant's routing log at once:
 * every event gets its own position, 1..n without a gap, each batch together. (Not on SQLite: two
 * better-sqlite3 connections in one thread wait for each other's locks synchronously, so they deadlock
 * until the busy timeout; separate processes would not.)
 */
async function appendsFromTwoStores(a: Store, b: Store): Promise<void> {
  await a.migrate();
  await b.migrate();
  await a.identities.createTenant({ id: "t1", slug: "acme", name: "Acme", createdAt: new Date("2026-01-01T00:00:00Z") });
  const batch = (store: string, n: number) =>
    Array.from({ length: 1 + (n % 3) }, (_, i) => ({
      type: `${store}-${n}`,
      data: { i },
      at: new Date(Date.UTC(2026, 0, 1, 0, n, i)),
    }));
  await Promise.all(
    Array.from({ length: 20 }, (_, n) => [
      a.routing.appendEvents("t1", batch("a", n)),
      b.routing.appendEvents("t1", batch("b", n)),
    ]).flat(),
  );
  const all = await a.routing.listEvents("t1", 0, 1000);
  const total = 2 * Array.from({ length: 20 }, (_, n) => 1 + (n % 3)).reduce((x, y) => x + y, 0);
  expect(all.map((e) => e.position)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  for (const type of new Set(all.map((e) => e.type))) {
    const mine = all.filter((e) => e.type === type);
    const first = mine[0]?.position ?? 0;
    expect(mine.map((e) => [e.position, (e.data as { i: number }).i])).toEqual(mine.map((_, i) => [first + i, i]));
  }
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

interface SipLocationFixture {
  readonly store: Store;
  /** Another store on the same, migrated database: the server after a restart, or a second node. */
  openAgain(): Store;
  /**
   * Whether two stores may write at once (PostgreSQL). Not two SQLite stores in one thread: better-sqlite3
   * waits for the other's lock synchronously, so they deadlock until the busy timeout.
   */
  readonly concurrentStores: boolean;
  cleanup(): Promise<void>;
}

/**
 * What the registrar relies on from a `SipLocationStore` (`MemoryLocationService` does the same in memory):
 * an AOR's bindings read back as written, in order and with every field; a replace changes one AOR's set
 * whole; and another store on the database (a restart, another node) sees them.
 */
function sipLocationStoreContract(make: () => Promise<SipLocationFixture>): void {
  const WALL = 1_767_225_600_123;
  const full: SipBinding = {
    aor: "sip:1001@switchboard",
    contact: "sip:1001@192.168.1.30:5060;transport=udp",
    callId: "a84b4c76e66710@pc33",
    cseq: 314159,
    expiresAt: WALL + 3_600_000,
    // Any clock's reading comes back exactly, fractions too (the scheduler's default is performance.now()).
    registeredAt: 81_234.567_891,
    q: 0.7,
    source: { protocol: "tcp", address: "203.0.113.50", port: 40123 },
    username: "1001",
    instance: '"<urn:uuid:00000000-0000-1000-8000-000a95a0e128>"',
    userAgent: "Snom D785",
  };
  const bare: SipBinding = {
    aor: "sip:1001@switchboard",
    contact: "sip:1001@[2001:db8::1]",
    callId: "c2",
    cseq: 1,
    expiresAt: WALL + 60_000,
    registeredAt: WALL,
    source: { protocol: "udp", address: "2001:db8::1", port: 5060 },
  };

  describe("SipLocationStore", () => {
    let fixture: SipLocationFixture;
    let opened: Store[] = [];
    const openAgain = () => {
      const store = fixture.openAgain();
      opened.push(store);
      return store;
    };

    beforeEach(async () => {
      fixture = await make();
      opened = [];
    });
    afterEach(async () => {
      for (const store of opened) await store.close();
      await fixture.cleanup();
    });

    it("knows nothing at first", async () => {
      const locations = fixture.store.sipLocations;
      expect(await locations.bindings("sip:1001@switchboard")).toEqual([]);
      expect(await locations.addresses()).toEqual([]);
    });

    it("reads an AOR's bindings back as written: in order, every field, no field it was not given", async () => {
      const locations = fixture.store.sipLocations;
      await locations.replace(full.aor, [full, bare]);
      expect(await locations.bindings(full.aor)).toStrictEqual([full, bare]);
      await locations.replace(full.aor, [bare, full]);
      expect(await locations.bindings(full.aor)).toStrictEqual([bare, full]);
      expect(await locations.addresses()).toEqual([full.aor]);
    });

    it("replaces one AOR's set whole and leaves the others; an empty set removes the AOR", async () => {
      const locations = fixture.store.sipLocations;
      const other: SipBinding = { ...bare, aor: "sip:1002@switchboard", contact: "sip:1002@10.0.0.2" };
      await locations.replace(full.aor, [full, bare]);
      await locations.replace(other.aor, [other]);
      const refreshed: SipBinding = { ...full, cseq: full.cseq + 1, expiresAt: full.expiresAt + 600_000, q: 0.1 };
      await locations.replace(full.aor, [refreshed]);
      expect(await locations.bindings(full.aor)).toStrictEqual([refreshed]);
      expect(await locations.bindings(other.aor)).toStrictEqual([other]);
      expect([...(await locations.addresses())].sort()).toEqual([full.aor, other.aor]);
      await locations.replace(full.aor, []);
      expect(await locations.bindings(full.aor)).toEqual([]);
      expect(await locations.addresses()).toEqual([other.aor]);
    });

    it("keeps expired bindings until they are replaced: the registrar filters and removes them", async () => {
      const locations = fixture.store.sipLocations;
      const expired: SipBinding = { ...bare, expiresAt: 1 };
      await locations.replace(bare.aor, [expired]);
      expect(await locations.bindings(bare.aor)).toStrictEqual([expired]);
      expect(await locations.addresses()).toEqual([bare.aor]);
    });

    it("shows the bindings to a store opened later on the same database (a restart, another node)", async () => {
      await fixture.store.sipLocations.replace(full.aor, [full, bare]);
      const again = openAgain();
      expect(await again.sipLocations.bindings(full.aor)).toStrictEqual([full, bare]);
      expect(await again.sipLocations.addresses()).toEqual([full.aor]);
    });

    it("takes concurrent replaces of one AOR without failing, each contact the last writer's", async () => {
      const locations = fixture.store.sipLocations;
      const a = fixture.store.sipLocations;
      const b = fixture.concurrentStores ? openAgain().sipLocations : a;
      await locations.replace(full.aor, [full]);
      const refreshed = (n: number): SipBinding => ({ ...full, cseq: full.cseq + n, expiresAt: full.expiresAt + n });
      await Promise.all(Array.from({ length: 10 }, (_, n) => (n % 2 === 0 ? a : b).replace(full.aor, [refreshed(n + 1)])));
      const after = await locations.bindings(full.aor);
      expect(after).toHaveLength(1);
      expect(after[0]?.cseq).toBeGreaterThan(full.cseq);
    });
  });
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

  sipLocationStoreContract(async () => {
    const path = newPath();
    const store = openStore({ sqlitePath: path });
    await store.migrate();
    return {
      store,
      openAgain: () => openStore({ sqlitePath: path }),
      concurrentStores: false,
      cleanup: () => store.close(),
    };
  });

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

  it("reads conversations written before routing as having no agent and no wrap-up code", async () => {
    const store = openStore({ sqlitePath: newPath() });
    try {
      await readsConversationsOfTheReleaseBeforeRouting(store);
    } finally {
      await store.close();
    }
  });

  it("finishes a migration that a crash cut short after it added the agent column", async () => {
    const store = openStore({ sqlitePath: newPath() });
    await migrateToConversations(store.db as unknown as Kysely<unknown>);
    await sql`alter table conversations add column agent_id text`.execute(store.db);
    await store.migrate();
    expect(await tableNames(store)).toEqual(TABLES);
    const columns = await sql<{ name: string }>`select name from pragma_table_info('conversations')`.execute(store.db);
    expect(columns.rows.map((c) => c.name)).toEqual(expect.arrayContaining(["agent_id", "wrap_up_code"]));
    await store.close();
  });

  it("reads users and queues written before agent organizations as in-house", async () => {
    const store = openStore({ sqlitePath: newPath() });
    try {
      await readsUsersAndQueuesOfTheReleaseBeforeOrganizations(store);
    } finally {
      await store.close();
    }
  });

  it("finishes a migration that a crash cut short after it added the organization column", async () => {
    const store = openStore({ sqlitePath: newPath() });
    await migrateToTelephony(store.db as unknown as Kysely<unknown>);
    await sql`alter table users add column organization_id text`.execute(store.db);
    await store.migrate();
    expect(await tableNames(store)).toEqual(TABLES);
    const columns = await sql<{ name: string }>`select name from pragma_table_info('users')`.execute(store.db);
    expect(columns.rows.filter((c) => c.name === "organization_id")).toHaveLength(1);
    await store.close();
  });

  it("reads queues written before call flows with the default call settings", async () => {
    const store = openStore({ sqlitePath: newPath() });
    try {
      await readsQueuesOfTheReleaseBeforeCallFlows(store);
    } finally {
      await store.close();
    }
  });

  it("finishes a migration that a crash cut short after it added the call settings column", async () => {
    const store = openStore({ sqlitePath: newPath() });
    await migrateToOrganizations(store.db as unknown as Kysely<unknown>);
    await sql`alter table queues add column call_settings text not null default '{}'`.execute(store.db);
    await store.migrate();
    expect(await tableNames(store)).toEqual(TABLES);
    const columns = await sql<{ name: string }>`select name from pragma_table_info('queues')`.execute(store.db);
    expect(columns.rows.filter((c) => c.name === "call_settings")).toHaveLength(1);
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

  sipLocationStoreContract(async () => {
    const schema = await createTestSchema();
    const store = openStore({ url: schema.url, poolSize: 5 });
    await store.migrate();
    return {
      store,
      openAgain: () => openStore({ url: schema.url, poolSize: 5 }),
      concurrentStores: true,
      cleanup: async () => {
        await store.close();
        await schema.drop();
      },
    };
  });

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

  it("reads conversations written before routing as having no agent and no wrap-up code", async () => {
    const schema = await createTestSchema();
    const store = openStore({ url: schema.url });
    try {
      await readsConversationsOfTheReleaseBeforeRouting(store, schema.schema);
    } finally {
      await store.close();
      await schema.drop();
    }
  });

  it("reads users and queues written before agent organizations as in-house", async () => {
    const schema = await createTestSchema();
    const store = openStore({ url: schema.url });
    try {
      await readsUsersAndQueuesOfTheReleaseBeforeOrganizations(store, schema.schema);
    } finally {
      await store.close();
      await schema.drop();
    }
  });

  it("reads queues written before call flows with the default call settings", async () => {
    const schema = await createTestSchema();
    const store = openStore({ url: schema.url });
    try {
      await readsQueuesOfTheReleaseBeforeCallFlows(store, schema.schema);
    } finally {
      await store.close();
      await schema.drop();
    }
  });

  it("numbers routing events from two pools to one database without a gap", async () => {
    const schema = await createTestSchema();
    const a = openStore({ url: schema.url, poolSize: 5 });
    const b = openStore({ url: schema.url, poolSize: 5 });
    try {
      await appendsFromTwoStores(a, b);
    } finally {
      await a.close();
      await b.close();
      await schema.drop();
    }
  });

  it("introspects its own schema only (Kysely's default reads every schema and trips over one being dropped)", async () => {
    const own = await createTestSchema();
    const other = await createTestSchema();
    const a = openStore({ url: own.url });
    const b = openStore({ url: other.url });
    try {
      await Promise.all([a.migrate(), b.migrate()]);
      const tables = await a.db.introspection.getTables();
      expect(tables.map((t) => t.name).sort()).toEqual(TABLES);
      expect(new Set(tables.map((t) => t.schema))).toEqual(new Set([own.schema]));
      const withKysely = await a.db.introspection.getTables({ withInternalKyselyTables: true });
      expect(withKysely.map((t) => t.name).sort()).toEqual([...TABLES, "kysely_migration", "kysely_migration_lock"].sort());
      const tenants = tables.find((t) => t.name === "tenants");
      expect(tenants?.columns.slice(0, 3).map((c) => [c.name, c.dataType, c.isNullable])).toEqual([
        ["id", "text", false],
        ["slug", "text", false],
        ["name", "text", false],
      ]);
      expect(await a.db.introspection.getSchemas()).toEqual([{ name: own.schema }]);
      // Another schema dropped while this one migrates again: nothing of it is read.
      await b.close();
      await Promise.all([a.migrate(), other.drop()]);
    } finally {
      await a.close();
      await b.close().catch(() => {});
      await own.drop();
      await other.drop();
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
