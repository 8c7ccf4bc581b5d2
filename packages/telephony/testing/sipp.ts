import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export const SIPP = "/usr/bin/sipp";
/** Where Debian's sip-tester keeps the RTP and RFC 2833 captures its pcap scenarios play. */
export const SIPP_CAPTURES = "/usr/share/sip-tester";

export const sippAvailable = (): boolean => existsSync(SIPP);

export interface SippRun {
  /** 0 when every call succeeded (sipp's own verdict). */
  readonly exitCode: number | null;
  readonly successfulCalls: number;
  readonly failedCalls: number;
  readonly output: string;
  readonly millis: number;
}

export interface SippOptions {
  /** Built-in scenario name (`uac`, `uac_pcap`, `uas`), or the path of a scenario file. */
  readonly scenario: string;
  /** `host:port` to call; empty for a server scenario. */
  readonly target: string;
  readonly calls?: number;
  readonly rate?: number;
  /** Length of the scenario's `<pause/>` in ms (`-d`). */
  readonly pauseMs?: number;
  readonly transport?: "u1" | "t1";
  readonly timeoutSeconds?: number;
  readonly mediaPort?: number;
  readonly extraArgs?: readonly string[];
}

/**
 * Runs sipp against a target and returns its verdict: the exit code and the cumulative successful and failed
 * call counts from its statistics file. Runs in a scratch directory where `./pcap/` holds the captures, as the
 * pcap scenarios expect.
 */
export async function runSipp(options: SippOptions): Promise<SippRun> {
  const dir = mkdtempSync(path.join(tmpdir(), "sipp-"));
  symlinkSync(SIPP_CAPTURES, path.join(dir, "pcap"));
  const stats = path.join(dir, "stats.csv");
  const scenario = options.scenario.endsWith(".xml") ? ["-sf", options.scenario] : ["-sn", options.scenario];
  const args = [
    ...scenario,
    ...(options.target === "" ? [] : [options.target]),
    "-i",
    "127.0.0.1",
    "-mi",
    "127.0.0.1",
    "-mp",
    String(options.mediaPort ?? 16000 + 2 * Math.floor(Math.random() * 8000)),
    "-m",
    String(options.calls ?? 1),
    "-r",
    String(options.rate ?? 10),
    "-d",
    String(options.pauseMs ?? 100),
    "-t",
    options.transport ?? "u1",
    "-timeout",
    `${options.timeoutSeconds ?? 30}s`,
    "-timeout_error",
    "-nostdin",
    "-trace_stat",
    "-stf",
    stats,
    ...(options.extraArgs ?? []),
  ];
  const started = performance.now();
  const child = spawn(SIPP, args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString("latin1");
    if (output.length > 200_000) output = output.slice(-100_000);
  });
  child.stderr.on("data", (chunk: Buffer) => {
    output += chunk.toString("latin1");
  });
  const exitCode = await new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  const millis = performance.now() - started;
  const counts = readCounts(stats);
  rmSync(dir, { recursive: true, force: true });
  return { exitCode, ...counts, output, millis };
}

function readCounts(file: string): { successfulCalls: number; failedCalls: number } {
  if (!existsSync(file)) return { successfulCalls: 0, failedCalls: -1 };
  const lines = readFileSync(file, "utf8").trim().split("\n");
  const header = (lines[0] ?? "").split(";");
  const last = (lines[lines.length - 1] ?? "").split(";");
  const column = (name: string) => Number(last[header.indexOf(name)] ?? Number.NaN);
  return { successfulCalls: column("SuccessfulCall(C)"), failedCalls: column("FailedCall(C)") };
}
