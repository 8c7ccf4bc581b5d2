import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type {
  AttachmentStore,
  AutoAttendantStore,
  CallRecordStore,
  ChatStore,
  ConversationStore,
  CustomerStore,
  EntryPointStore,
  IdentityStore,
  KnowledgeStore,
  OrganizationStore,
  PhoneNumberStore,
  QueueStore,
  RecordingCatalog,
  RoutingStateStore,
  SipAccountStore,
  SipLocationStore,
  TrunkStore,
  VerificationStore,
  VoicemailStore,
  WorkerStore,
} from "@switchboard/core";
import SqliteDatabase from "better-sqlite3";
import { Kysely, type LogEvent, Migrator, SqliteDialect, type SqliteDialectConfig, sql } from "kysely";
import pg from "pg";
import { guard, StoreError } from "./errors.js";
import { migrationProvider } from "./migrations/index.js";
import { CurrentSchemaPostgresDialect } from "./postgres-introspector.js";
import type { Database } from "./schema.js";
import { SqlAttachmentStore } from "./sql-attachment-store.js";
import { SqlAutoAttendantStore } from "./sql-auto-attendant-store.js";
import { SqlCallRecordStore } from "./sql-call-record-store.js";
import { SqlChatStore } from "./sql-chat-store.js";
import { SqlConversationStore } from "./sql-conversation-store.js";
import { SqlCustomerStore } from "./sql-customer-store.js";
import { SqlEntryPointStore } from "./sql-entry-point-store.js";
import { SqlIdentityStore } from "./sql-identity-store.js";
import { SqlKnowledgeStore } from "./sql-knowledge-store.js";
import { SqlOrganizationStore } from "./sql-organization-store.js";
import { SqlPhoneNumberStore } from "./sql-phone-number-store.js";
import { SqlQueueStore } from "./sql-queue-store.js";
import { SqlRecordingCatalog } from "./sql-recording-catalog.js";
import { SqlRoutingStateStore } from "./sql-routing-state-store.js";
import { type SecretStore, SqlSecretStore } from "./sql-secret-store.js";
import { SqlSipAccountStore } from "./sql-sip-account-store.js";
import { SqlSipLocationStore } from "./sql-sip-location-store.js";
import { SqlTrunkStore } from "./sql-trunk-store.js";
import { SqlVerificationStore } from "./sql-verification-store.js";
import { SqlVoicemailStore } from "./sql-voicemail-store.js";
import { SqlWorkerStore } from "./sql-worker-store.js";

/** The part of a pino logger the store uses. */
export interface StoreLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface OpenStoreOptions {
  /** A `postgres://` or `postgresql://` url selects PostgreSQL; `sqlite:PATH` or `file:PATH` names a SQLite file. */
  readonly url?: string | undefined;
  /** The SQLite database file (its directory is created), or `:memory:`. */
  readonly sqlitePath?: string | undefined;
  readonly logger?: StoreLogger | undefined;
  /** Statements slower than this are logged as warnings (default 250 ms). */
  readonly slowQueryMs?: number | undefined;
  /** Most connections the PostgreSQL pool opens (default 10). */
  readonly poolSize?: number | undefined;
}

export type Dialect = "sqlite" | "postgres";

export interface Store {
  readonly dialect: Dialect;
  /** For adapters of this package and for tests; the rest of the code goes through the ports. */
  readonly db: Kysely<Database>;
  readonly identities: IdentityStore;
  readonly chat: ChatStore;
  readonly attachments: AttachmentStore;
  readonly customers: CustomerStore;
  readonly knowledge: KnowledgeStore;
  readonly entryPoints: EntryPointStore;
  readonly conversations: ConversationStore;
  readonly verifications: VerificationStore;
  readonly queues: QueueStore;
  readonly workers: WorkerStore;
  /** Agent organizations (outsourced teams): users and queues name them. */
  readonly organizations: OrganizationStore;
  /** The routing engine's snapshots and event log. */
  readonly routing: RoutingStateStore;
  /** Telephony configuration: numbers, trunks, agents' SIP phone accounts. */
  readonly phoneNumbers: PhoneNumberStore;
  readonly trunks: TrunkStore;
  readonly sipAccounts: SipAccountStore;
  /** Registered phones' bindings: the registrar's location service, so registrations survive restarts. */
  readonly sipLocations: SipLocationStore;
  /** Calls with their legs and timelines. */
  readonly callRecords: CallRecordStore;
  /** Call flows: auto attendants with every published version; voicemail boxes and their messages. */
  readonly autoAttendants: AutoAttendantStore;
  readonly voicemail: VoicemailStore;
  /** What each recording is (its audio is in the blob store), and each tenant's retention. */
  readonly recordingCatalog: RecordingCatalog;
  readonly secrets: SecretStore;
  /** Brings the schema up to date; safe to run at every start and from several processes at once. */
  migrate(): Promise<void>;
  /** Resolves when the database answers; rejects with `store.unavailable` otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const isPostgresUrl = (url: string | undefined): url is string => url !== undefined && /^postgres(ql)?:\/\//i.test(url);

/**
 * Opens the database: PostgreSQL for a `postgres://` url, else the embedded SQLite file. Nothing
 * connects until the first query; call `migrate()` before using the stores.
 */
export function openStore(options: OpenStoreOptions): Store {
  const url = options.url || undefined;
  const dialect: Dialect = isPostgresUrl(url) ? "postgres" : "sqlite";
  const sqlitePath = dialect === "sqlite" ? sqlitePathOf(url, options.sqlitePath) : undefined;
  const db = new Kysely<Database>({
    dialect: sqlitePath === undefined ? postgresDialect(url, options) : sqliteDialect(sqlitePath),
    ...(options.logger ? { log: slowQueryLog(options.logger, options.slowQueryMs ?? 250) } : {}),
  });
  let closed: Promise<void> | undefined;

  return {
    dialect,
    db,
    identities: new SqlIdentityStore(db),
    chat: new SqlChatStore(db),
    attachments: new SqlAttachmentStore(db),
    customers: new SqlCustomerStore(db),
    knowledge: new SqlKnowledgeStore(db),
    entryPoints: new SqlEntryPointStore(db),
    conversations: new SqlConversationStore(db),
    verifications: new SqlVerificationStore(db),
    queues: new SqlQueueStore(db),
    workers: new SqlWorkerStore(db),
    organizations: new SqlOrganizationStore(db),
    routing: new SqlRoutingStateStore(db),
    phoneNumbers: new SqlPhoneNumberStore(db),
    trunks: new SqlTrunkStore(db),
    sipAccounts: new SqlSipAccountStore(db),
    sipLocations: new SqlSipLocationStore(db),
    callRecords: new SqlCallRecordStore(db),
    autoAttendants: new SqlAutoAttendantStore(db),
    voicemail: new SqlVoicemailStore(db),
    recordingCatalog: new SqlRecordingCatalog(db),
    secrets: new SqlSecretStore(db),
    async migrate() {
      const migrator = new Migrator({
        db,
        provider: migrationProvider,
        // Without a schema Kysely looks for its bookkeeping tables in every schema of the database.
        ...(dialect === "postgres" ? { migrationTableSchema: await currentSchema(db) } : {}),
      });
      const { error, results } = await migrator.migrateToLatest();
      for (const r of results ?? []) {
        if (r.status === "Success") options.logger?.info({ migration: r.migrationName, dialect }, "database migrated");
      }
      if (error !== undefined) {
        const failed = results?.find((r) => r.status === "Error")?.migrationName;
        throw new StoreError(failed ? `The migration ${failed} failed.` : "The database could not be migrated.", {
          cause: error,
        });
      }
    },
    ping: () =>
      guard("reach the database", async () => {
        await sql`select 1`.execute(db);
      }),
    close() {
      closed ??= db.destroy();
      return closed;
    },
  };
}

/** SQLite's file: `sqlitePath`, or the path of a `sqlite:` or `file:` url. */
function sqlitePathOf(url: string | undefined, sqlitePath: string | undefined): string {
  if (url !== undefined) {
    const path = /^(?:sqlite|file):(?:\/\/)?(.+)$/i.exec(url)?.[1];
    if (path === undefined) {
      throw new StoreError("The database url must start with postgres://, postgresql://, sqlite: or file:.");
    }
    return path;
  }
  if (sqlitePath === undefined || sqlitePath === "") throw new StoreError("openStore needs a database url or a sqlitePath.");
  return sqlitePath;
}

function sqliteDialect(path: string): SqliteDialect {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const database = new SqliteDatabase(path);
  database.pragma("journal_mode = WAL");
  database.pragma("synchronous = NORMAL");
  database.pragma("foreign_keys = ON");
  database.pragma("busy_timeout = 5000");
  return new SqliteDialect({ database: withStatementCache(database) });
}

/**
 * Kysely prepares every statement anew; preparing costs about as much as running a short statement,
 * so the few hundred distinct statements the stores issue are kept prepared. Kysely runs one
 * statement at a time on its single SQLite connection, so a cached statement is never used twice at once.
 */
function withStatementCache(database: SqliteDatabase.Database, size = 500): SqliteDialectConfig["database"] {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => database.close(),
    prepare(text: string) {
      let statement = statements.get(text);
      if (statement) {
        // Most recently used last, so the first entry is the one to evict.
        statements.delete(text);
      } else {
        statement = database.prepare(text);
        if (statements.size >= size) statements.delete(statements.keys().next().value as string);
      }
      statements.set(text, statement);
      return statement;
    },
  };
}

function postgresDialect(url: string | undefined, options: OpenStoreOptions): CurrentSchemaPostgresDialect {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, connectionTimeoutMillis: 10_000 });
  // An idle connection that breaks (server restart) must not crash the process; the pool replaces it.
  pool.on("error", (error) => options.logger?.warn({ err: error }, "an idle PostgreSQL connection failed"));
  return new CurrentSchemaPostgresDialect({ pool });
}

async function currentSchema(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (!schema) throw new StoreError("PostgreSQL has no current schema: check the search_path of the database url.");
  return schema;
}

function slowQueryLog(logger: StoreLogger, slowQueryMs: number) {
  return (event: LogEvent): void => {
    // Errors are not logged here: the caller gets them, and some (a duplicate send) are expected.
    if (event.level === "query" && event.queryDurationMillis >= slowQueryMs) {
      logger.warn({ sql: event.query.sql, durationMs: Math.round(event.queryDurationMillis) }, "slow database query");
    }
  };
}
