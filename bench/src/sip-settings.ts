/** The SIP benchmark's settings, from `BENCH_SIP_*` environment variables. */
export interface SipSettings {
  /** Which phases run: A (call rate), B (concurrent calls with media), or both. */
  readonly phases: { readonly a: boolean; readonly b: boolean };
  /** Phase A: the call rates tried, rising; each target stops at its first step with a failure. */
  readonly rates: readonly number[];
  /** Phase A: seconds of calls started at each rate. */
  readonly stepSeconds: number;
  /** Phase A: how long each call stays up between ACK and BYE. */
  readonly callMs: number;
  /** Phase A: skip sipp's own UAS (no `sippUasRatio`). */
  readonly skipBaseline: boolean;
  /** Phase B: the numbers of concurrent calls tried, rising; stops at the first step that fails. */
  readonly concurrency: readonly number[];
  /**
   * Phase B: seconds all the step's calls are up together. The server's jitter figure covers its last 3,000
   * ticks (60 s): 62 s makes it cover only time when every call of the step was up.
   */
  readonly holdSeconds: number;
  /** Phase B: calls per second at which the step's calls are set up. */
  readonly rampRate: number;
  /** Phase B: whether the callers talk (sipp plays `g711a.pcap` toward the server). */
  readonly callerAudio: boolean;
  /** Phase B: calls whose audio the benchmark receives itself, to time every packet's arrival. */
  readonly probes: number;
  /** A call that waits longer than this for an expected message fails (sipp `-recv_timeout`). */
  readonly recvTimeoutMs: number;
  /** Write CPU profiles of the server (`node --cpu-prof`) into this directory. */
  readonly cpuProfileDir: string | undefined;
  /** The server's RTP sockets on its I/O thread with paced sends (`SWITCHBOARD_RTP_IO_THREAD`), or on its main thread. */
  readonly rtpIoThread: boolean;
  /**
   * The server's RTP I/O thread's nice value (`SWITCHBOARD_RTP_IO_NICE`): -10 by default, as a media server
   * is deployed (it takes root or CAP_SYS_NICE); `none` leaves the thread at the process's.
   */
  readonly rtpIoNice: number | undefined;
}

/** Targets of the issue, on the 2-core development machine. */
export const JITTER_LIMIT_MS = 5;

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer of at least ${min}, not "${raw}".`);
  return value;
}

/** A rising list `a,b,c`, cut at `max`. */
function rising(env: NodeJS.ProcessEnv, name: string, fallback: readonly number[], max: number): number[] {
  const raw = env[name];
  const values =
    raw === undefined || raw === ""
      ? [...fallback]
      : raw.split(",").map((part) => {
          const value = Number(part.trim());
          if (!Number.isInteger(value) || value < 1)
            throw new Error(`${name} must be a list of positive integers, not "${raw}".`);
          return value;
        });
  const sorted = [...new Set(values)].sort((a, b) => a - b).filter((v) => v <= max);
  if (sorted.length === 0) throw new Error(`${name} has no value at or below the maximum ${max}.`);
  return sorted;
}

const flag = (env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean => {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (raw === "1" || raw === "true") return true;
  if (raw === "0" || raw === "false") return false;
  throw new Error(`${name} must be 1 or 0, not "${raw}".`);
};

function nice(raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < -20 || value > 19)
    throw new Error(`BENCH_SIP_RTP_IO_NICE must be -20 to 19, not "${raw}".`);
  return value;
}

export function readSipSettings(env: NodeJS.ProcessEnv = process.env): SipSettings {
  const phases = (env.BENCH_SIP_PHASES ?? "AB").toUpperCase();
  if (!/^[AB]+$/.test(phases)) throw new Error(`BENCH_SIP_PHASES must be A, B or AB, not "${phases}".`);
  return {
    phases: { a: phases.includes("A"), b: phases.includes("B") },
    rates: rising(
      env,
      "BENCH_SIP_RATES",
      [25, 50, 100, 150, 200, 300, 400, 600, 800, 1000, 1500, 2000],
      integer(env, "BENCH_SIP_MAX_RATE", 2000, 1),
    ),
    stepSeconds: integer(env, "BENCH_SIP_STEP_SECONDS", 10, 1),
    callMs: integer(env, "BENCH_SIP_CALL_MS", 1500, 0),
    skipBaseline: flag(env, "BENCH_SIP_SKIP_BASELINE", false),
    concurrency: rising(
      env,
      "BENCH_SIP_CONCURRENCY",
      [100, 250, 500, 750, 1000],
      integer(env, "BENCH_SIP_MAX_CONCURRENT", 1000, 1),
    ),
    holdSeconds: integer(env, "BENCH_SIP_HOLD_SECONDS", 62, 3),
    rampRate: integer(env, "BENCH_SIP_RAMP_RATE", 50, 1),
    callerAudio: flag(env, "BENCH_SIP_CALLER_AUDIO", true),
    probes: integer(env, "BENCH_SIP_PROBES", 4, 0),
    recvTimeoutMs: integer(env, "BENCH_SIP_RECV_TIMEOUT_MS", 10_000, 100),
    cpuProfileDir: env.BENCH_SIP_CPU_PROFILE_DIR || undefined,
    rtpIoThread: flag(env, "BENCH_SIP_RTP_IO_THREAD", true),
    rtpIoNice: env.BENCH_SIP_RTP_IO_NICE === "none" ? undefined : nice(env.BENCH_SIP_RTP_IO_NICE || "-10"),
  };
}
