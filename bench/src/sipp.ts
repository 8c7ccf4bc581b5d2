import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { killOnExit, processCpuSeconds } from "./child-process.js";
import { type LatencySummary, summarize } from "./stats.js";

/** Debian's sip-tester. */
export const SIPP = "/usr/bin/sipp";
/** Where sip-tester keeps the RTP and RFC 2833 captures its pcap scenarios play (they expect them under `./pcap/`). */
const SIPP_CAPTURES = "/usr/share/sip-tester";
/** The benchmark's scenarios (`bench/sipp/*.xml`), from `bench/dist/`. */
const SCENARIOS = fileURLToPath(new URL("../sipp/", import.meta.url));
const OUTPUT_TAIL = 20_000;

export const sippInstalled = (): boolean => existsSync(SIPP);

export interface SippCallsOptions {
  /** A scenario file of `bench/sipp/`. */
  readonly scenario: string;
  /** `host:port` of the server called. */
  readonly target: string;
  /** The user part of the Request-URI (`-s`). */
  readonly service: string;
  readonly calls: number;
  /** Calls started per second (`-r`). */
  readonly rate: number;
  /** Length of the scenario's `<pause/>` (`-d`). */
  readonly pauseMs: number;
  /** Calls open at most (`-l`): beyond it sipp starts fewer calls rather than failing any. */
  readonly limit: number;
  /** sipp's SIP port (`-p`). */
  readonly localPort: number;
  /** sipp's media port (`-mp`): `[media_port]`, and the base of `[auto_media_port]`. */
  readonly mediaPort: number;
  readonly recvTimeoutMs: number;
  /** The whole run fails after this (`-timeout`), so that nothing hangs. */
  readonly timeoutSeconds: number;
  /** Scenario keywords (`-key name value`). */
  readonly keys?: Readonly<Record<string, string>>;
  /** Scenario global variables (`-set name value`). */
  readonly globals?: Readonly<Record<string, string>>;
}

export interface SippResult {
  /** sipp's verdict: 0 when every call succeeded. */
  readonly exitCode: number | null;
  readonly outgoing: number;
  readonly successful: number;
  readonly failed: number;
  /** The non-zero `Failed…` counters of sipp's statistics, e.g. `FailedTimeoutOnRecv 3`. */
  readonly failureKinds: string;
  readonly retransmissions: number;
  /** sipp's own overload signals: its scheduler fell behind (major: > 2 s). */
  readonly watchdogMajor: number;
  readonly watchdogMinor: number;
  /** INVITE to 200 OK, per call. */
  readonly answerTime: LatencySummary;
  /** BYE to 200 OK, per call. */
  readonly byeTime: LatencySummary;
  /** 200 OKs to INVITEs per second, from the first to the last (what the server actually sustained). */
  readonly answeredPerSecond: number;
  readonly wallSeconds: number;
  /** The first lines of sipp's error log, when it has one. */
  readonly errors: string;
  /** The end of what sipp printed, for a run that went wrong. */
  readonly output: string;
}

/** One sipp process: placing calls (`SippCalls.start`) or answering them (`SippCalls.uas`). */
export class SippCalls {
  readonly done: Promise<SippResult>;
  readonly #child: ChildProcess;
  #output = "";

  private constructor(args: readonly string[], dir: string) {
    const startedAt = performance.now();
    this.#child = spawn(SIPP, args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    killOnExit(this.#child);
    for (const stream of [this.#child.stdout, this.#child.stderr]) {
      stream?.on("data", (chunk: Buffer) => {
        this.#output += chunk.toString("latin1");
        if (this.#output.length > 2 * OUTPUT_TAIL) this.#output = this.#output.slice(-OUTPUT_TAIL);
      });
    }
    this.done = new Promise<number | null>((resolve, reject) => {
      this.#child.once("error", reject);
      this.#child.once("close", (code) => resolve(code));
    }).then((exitCode) => {
      const wallSeconds = (performance.now() - startedAt) / 1000;
      try {
        return readResult(dir, exitCode, wallSeconds, this.#output.slice(-OUTPUT_TAIL));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  /** Starts sipp placing calls with a scenario of `bench/sipp/`, in a scratch directory where `./pcap/` holds the captures. */
  static start(options: SippCallsOptions): SippCalls {
    const { dir, scenarioFile } = scratch(options.scenario);
    const args = [
      "-sf",
      scenarioFile,
      "-s",
      options.service,
      options.target,
      ...common(options.localPort, options.mediaPort),
      "-m",
      String(options.calls),
      "-r",
      String(options.rate),
      "-l",
      String(options.limit),
      "-d",
      String(options.pauseMs),
      "-recv_timeout",
      String(options.recvTimeoutMs),
      "-timeout",
      `${options.timeoutSeconds}s`,
      "-timeout_error",
      "-trace_stat",
      "-stf",
      "stats.csv",
      "-fd",
      "1",
      "-trace_rtt",
      "-rtt_freq",
      "1",
      "-trace_err",
      ...Object.entries(options.keys ?? {}).flatMap(([name, value]) => ["-key", name, value]),
      ...Object.entries(options.globals ?? {}).flatMap(([name, value]) => ["-set", name, value]),
    ];
    return new SippCalls(args, dir);
  }

  /** sipp's own UAS (`-sn uas`): answers every INVITE with 180 and 200, and every BYE with 200, until stopped. */
  static uas(localPort: number, mediaPort: number): SippCalls {
    const { dir } = scratch(undefined);
    return new SippCalls(["-sn", "uas", ...common(localPort, mediaPort)], dir);
  }

  get pid(): number {
    return this.#child.pid ?? -1;
  }

  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** CPU time sipp has used so far, in seconds; undefined once it has ended. */
  cpuSeconds(): number | undefined {
    return processCpuSeconds(this.pid);
  }

  /** The end of what sipp printed so far. */
  get output(): string {
    return this.#output.slice(-OUTPUT_TAIL);
  }

  /** Stops sipp (a UAS runs until stopped). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.#child.kill("SIGTERM");
    const timer = setTimeout(() => this.#child.kill("SIGKILL"), 5_000);
    await this.done.catch(() => undefined);
    clearTimeout(timer);
  }
}

function common(localPort: number, mediaPort: number): string[] {
  return ["-i", "127.0.0.1", "-p", String(localPort), "-mi", "127.0.0.1", "-mp", String(mediaPort), "-t", "u1", "-nostdin"];
}

/** A scratch directory with the scenario copied in and `./pcap/` next to it, where sipp 3.6 looks first. */
function scratch(scenario: string | undefined): { dir: string; scenarioFile: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "bench-sipp-"));
  symlinkSync(SIPP_CAPTURES, path.join(dir, "pcap"));
  if (scenario === undefined) return { dir, scenarioFile: "" };
  const scenarioFile = path.join(dir, scenario);
  copyFileSync(path.join(SCENARIOS, scenario), scenarioFile);
  return { dir, scenarioFile };
}

function readResult(dir: string, exitCode: number | null, wallSeconds: number, output: string): SippResult {
  const stats = readStats(path.join(dir, "stats.csv"));
  const count = (name: string) => {
    const value = Number(stats.get(name));
    return Number.isFinite(value) ? value : 0;
  };
  const failureKinds = [...stats.keys()]
    .filter((name) => name.startsWith("Failed") && name.endsWith("(C)") && name !== "FailedCall(C)" && count(name) > 0)
    .map((name) => `${name.slice(0, -3)} ${count(name)}`)
    .join(", ");
  const files = readdirSync(dir);
  const rtt = files.find((f) => f.endsWith("_rtt.csv"));
  const errorLog = files.find((f) => f.endsWith("_errors.log"));
  const times = rtt ? readResponseTimes(path.join(dir, rtt)) : { answers: [], answeredAt: [], byes: [] };
  const answeredAt = times.answeredAt.sort((a, b) => a - b);
  const first = answeredAt[0] ?? 0;
  const last = answeredAt[answeredAt.length - 1] ?? 0;
  const errors = errorLog
    ? readFileSync(path.join(dir, errorLog), "latin1")
        .split("\n")
        .filter((line) => line.trim() !== "" && !line.startsWith("The following events occurred"))
        .slice(0, 6)
        .map((line) => line.slice(0, 300))
        .join("\n")
    : "";
  return {
    exitCode,
    outgoing: count("OutgoingCall(C)"),
    successful: count("SuccessfulCall(C)"),
    failed: stats.size === 0 ? -1 : count("FailedCall(C)"),
    failureKinds,
    retransmissions: count("Retransmissions(C)"),
    watchdogMajor: count("WatchdogMajor(C)"),
    watchdogMinor: count("WatchdogMinor(C)"),
    answerTime: summarize(Float64Array.from(times.answers)),
    byeTime: summarize(Float64Array.from(times.byes)),
    answeredPerSecond: answeredAt.length > 1 && last > first ? ((answeredAt.length - 1) * 1000) / (last - first) : Number.NaN,
    wallSeconds,
    errors,
    output,
  };
}

/** The last row of sipp's `-trace_stat` file, by column name. */
function readStats(file: string): Map<string, string> {
  if (!existsSync(file)) return new Map();
  const lines = readFileSync(file, "utf8").trim().split("\n");
  const header = (lines[0] ?? "").split(";");
  const last = (lines[lines.length - 1] ?? "").split(";");
  return new Map(header.map((name, i) => [name, last[i] ?? ""]));
}

/** `-trace_rtt` lines `date_ms;response_time_ms;rtd`: rtd 1 is INVITE → 200, rtd 2 BYE → 200 (see the scenarios). */
function readResponseTimes(file: string): { answers: number[]; answeredAt: number[]; byes: number[] } {
  const answers: number[] = [];
  const answeredAt: number[] = [];
  const byes: number[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const [date, time, rtd] = line.split(";");
    const at = Number(date);
    const ms = Number(time);
    if (!Number.isFinite(at) || !Number.isFinite(ms)) continue;
    if (rtd?.trim() === "1") {
      answers.push(ms);
      answeredAt.push(at);
    } else if (rtd?.trim() === "2") byes.push(ms);
  }
  return { answers, answeredAt, byes };
}
