import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SwitchboardClient } from "@switchboard/sdk";
import { createTestSchema, postgresAvailable } from "@switchboard/store/testing";
import { buildServer, type Server } from "../src/app.js";
import { type Config, loadConfig } from "../src/config.js";

export const PLATFORM_KEY = "sk_platform_test_key_0123456789";
export const BOOTSTRAP_KEY = "sk_bootstrap_test_key_0123456789";
export const ADMIN_PASSWORD = "correct horse battery";

export type DatabaseKind = "sqlite" | "postgres";

export interface RunningServer {
  readonly server: Server;
  readonly baseUrl: string;
  /** The demo tenant's admin API key. */
  readonly apiKey: string;
  readonly admin: SwitchboardClient;
  readonly platform: SwitchboardClient;
  client(credential: string): SwitchboardClient;
  /**
   * Stops this server and starts a new one on the same data directory and database, as after a restart
   * (`changes` override the settings); the new server owns the data from then on: close that one, not this.
   */
  restart(changes?: Partial<Record<keyof Config, unknown>>): Promise<RunningServer>;
  close(): Promise<void>;
}

/**
 * Starts a real server on a free port over a fresh database: a temporary SQLite file, or a fresh schema
 * in the local PostgreSQL (required when CI=true; see @switchboard/store/testing).
 */
export async function startServer(
  kind: DatabaseKind,
  overrides: Partial<Record<keyof Config, unknown>> = {},
): Promise<RunningServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "switchboard-test-"));
  const postgres = kind === "postgres" ? await createTestSchema() : undefined;
  const settings = {
    host: "127.0.0.1",
    port: 0,
    dataDir,
    logLevel: "warn",
    bootstrapApiKey: BOOTSTRAP_KEY,
    platformApiKey: PLATFORM_KEY,
    // Telephony binds SIP and RTP ports: only the tests of calls turn it on.
    sipEnabled: "false",
    ...(postgres ? { databaseUrl: postgres.url } : {}),
    ...overrides,
  };
  return launch(settings, async () => {
    await postgres?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });
}

/** A server on `settings`; `removeData` deletes its data directory and database when it closes for good. */
async function launch(settings: Partial<Record<keyof Config, unknown>>, removeData: () => Promise<void>): Promise<RunningServer> {
  const config = loadConfig({}, settings);
  const server = await buildServer(config, { passwordCost: 2 ** 10, adminPassword: ADMIN_PASSWORD });
  const address = await server.app.listen({ host: config.host, port: 0 });
  const client = (credential: string) => new SwitchboardClient({ baseUrl: address, credential });
  return {
    server,
    baseUrl: address,
    apiKey: BOOTSTRAP_KEY,
    admin: client(BOOTSTRAP_KEY),
    platform: client(PLATFORM_KEY),
    client,
    async restart(changes = {}) {
      await server.close();
      return launch({ ...settings, ...changes }, removeData);
    },
    async close() {
      await server.close();
      await removeData();
    },
  };
}

/**
 * A server with telephony on (on SQLite unless told): SIP on a free port of 127.0.0.1, and `rtpPortCount` RTP
 * ports from a random even base (test files run in parallel, each with a server of its own).
 */
export function startSipServer(
  overrides: Partial<Record<keyof Config, unknown>> = {},
  rtpPortCount = 200,
  kind: DatabaseKind = "sqlite",
): Promise<RunningServer> {
  const base = 40_000 + 2 * Math.floor(Math.random() * 5_000);
  return startServer(kind, {
    sipEnabled: "true",
    sipPort: 0,
    sipHost: "127.0.0.1",
    rtpPorts: `${base}-${base + rtpPortCount - 1}`,
    ...overrides,
  });
}

/**
 * The databases every integration suite runs on. PostgreSQL is left out only outside CI when it is
 * unreachable (with a warning); under CI=true an unreachable PostgreSQL fails the test file.
 */
export const DATABASES: readonly DatabaseKind[] = (await postgresAvailable()) ? ["sqlite", "postgres"] : ["sqlite"];

/** A customer identity with a chat token, as the tests use them. */
export async function customer(running: RunningServer, displayName: string, admin = running.admin) {
  const identity = await admin.identities.create({ displayName });
  const { token } = await admin.identities.issueToken(identity.id, { scopes: ["chat"] });
  return { id: identity.id, token, client: running.client(token) };
}
