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
  const config = loadConfig(
    {},
    {
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
    },
  );
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
    async close() {
      await server.close();
      await postgres?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A server on SQLite with telephony on: SIP on a free port of 127.0.0.1, and `rtpPortCount` RTP ports from a
 * random even base (test files run in parallel, each with a server of its own).
 */
export function startSipServer(
  overrides: Partial<Record<keyof Config, unknown>> = {},
  rtpPortCount = 200,
): Promise<RunningServer> {
  const base = 40_000 + 2 * Math.floor(Math.random() * 5_000);
  return startServer("sqlite", {
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
