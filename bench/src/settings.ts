/** The benchmark's settings, from `BENCH_*` environment variables. */
export interface Settings {
  /** Connected clients (identities, one WebSocket each); every two share a thread. */
  readonly clients: number;
  /** Messages per second offered in the latency phase. */
  readonly rate: number;
  /** Length of each phase. */
  readonly seconds: number;
  /** Sends in flight in the throughput phase. */
  readonly concurrency: number;
  /** PostgreSQL for the server; unset: SQLite in a temporary data directory. */
  readonly databaseUrl: string | undefined;
  /** Write a CPU profile of the Switchboard server into this directory (`node --cpu-prof`). */
  readonly cpuProfileDir: string | undefined;
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer of at least ${min}, not "${raw}".`);
  return value;
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  return {
    clients: positiveInteger(env, "BENCH_CLIENTS", 5000, 2) & ~1,
    rate: positiveInteger(env, "BENCH_RATE", 1000, 1),
    seconds: positiveInteger(env, "BENCH_SECONDS", 10, 1),
    concurrency: positiveInteger(env, "BENCH_CONCURRENCY", 64, 1),
    databaseUrl: env.BENCH_DATABASE_URL || undefined,
    cpuProfileDir: env.BENCH_CPU_PROFILE_DIR || undefined,
  };
}
