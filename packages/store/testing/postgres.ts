import { randomBytes } from "node:crypto";
import pg from "pg";

/** The PostgreSQL the integration tests use: `SWITCHBOARD_TEST_POSTGRES_URL`, or the local one. */
export const testPostgresUrl = (): string =>
  process.env.SWITCHBOARD_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

const withoutPassword = (url: string): string => url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");

let availability: Promise<boolean> | undefined;

/**
 * Whether the test PostgreSQL answers. When it does not: under `CI=true` this rejects, so the test
 * file fails instead of skipping; elsewhere it warns once and resolves false, for `describe.skipIf`.
 */
export function postgresAvailable(): Promise<boolean> {
  availability ??= (async () => {
    const url = testPostgresUrl();
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query("select 1");
      return true;
    } catch (error) {
      if (process.env.CI === "true") {
        throw new Error(`PostgreSQL at ${withoutPassword(url)} is unreachable, and CI=true forbids skipping its tests.`, {
          cause: error,
        });
      }
      console.warn(
        `\n[switchboard] SKIPPING PostgreSQL tests: ${withoutPassword(url)} is unreachable (${String(error)}).` +
          " Start PostgreSQL or set SWITCHBOARD_TEST_POSTGRES_URL.\n",
      );
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return availability;
}

export interface TestSchema {
  /** `sb_test_<random>`: created empty, dropped by `drop()`. */
  readonly schema: string;
  /** The test url whose connections use the schema (through `search_path`). */
  readonly url: string;
  /** Drops the schema and everything in it. Close the pools that use it first. */
  drop(): Promise<void>;
}

/** Creates a fresh schema in the test PostgreSQL, so test files running in parallel never meet. */
export async function createTestSchema(): Promise<TestSchema> {
  const base = testPostgresUrl();
  const schema = `sb_test_${randomBytes(6).toString("hex")}`;
  await adminQuery(base, `create schema ${schema}`);
  const url = new URL(base);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return {
    schema,
    url: url.toString(),
    drop: () => adminQuery(base, `drop schema if exists ${schema} cascade`),
  };
}

async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
