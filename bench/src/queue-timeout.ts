/**
 * `npm run bench:queue-timeout`: how close to its configured time a call queue's timeout fires (the issue
 * asks for within one second). Switchboard runs as a child process on a fresh embedded default; the
 * benchmark gives it a call queue whose timeout (5 s) sends calls to a hang-up, and a number answered by
 * that queue; sipp then places calls that wait there until the server hangs up, at a light and a heavy
 * load. Each call's record says how long it waited (`flow.call_queue` → `waitedMs`); lateness is that
 * minus the configured timeout. The baseline, measured in the same run, is the lateness of plain
 * `setTimeout`s of the same length in this process while the calls run. The last line is one JSON object.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { atExit } from "./child-process.js";
import { freeSipPort, freeUdpPort, SipServer } from "./sip-server.js";
import { SippCalls, sippInstalled } from "./sipp.js";
import { formatMs, type LatencySummary, round, summarize } from "./stats.js";

const TIMEOUT_SECONDS = 5;
const NUMBER = "+15550199";
const API_KEY = `sk_bench_${"q".repeat(32)}`;
/** The timeout must fire within this much of its configured time. */
const ALLOWED_MS = 1_000;
const STEPS = [
  { name: "light", calls: 20, rate: 10 },
  { name: "heavy", calls: 300, rate: 60 },
] as const;

const print = (line: string) => console.log(line);

async function api<T>(baseUrl: string, method: string, route: string, body?: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}${route}`, {
    method,
    headers: { authorization: `Bearer ${API_KEY}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Plain timers of the timeout's length, one per call, started as the calls are: this process's own lateness. */
function baselineTimers(calls: number, rate: number): Promise<Float64Array> {
  return new Promise((resolve) => {
    const lateness = new Float64Array(calls);
    let done = 0;
    for (let i = 0; i < calls; i++) {
      setTimeout(
        () => {
          const started = performance.now();
          setTimeout(() => {
            lateness[i] = performance.now() - started - TIMEOUT_SECONDS * 1000;
            if (++done === calls) resolve(lateness);
          }, TIMEOUT_SECONDS * 1000);
        },
        (i * 1000) / rate,
      );
    }
  });
}

interface StepResult {
  readonly name: string;
  readonly calls: number;
  readonly timedOut: number;
  readonly lateness: LatencySummary;
  readonly baseline: LatencySummary;
}

async function main(): Promise<void> {
  if (!sippInstalled()) throw new Error("sipp is required (/usr/bin/sipp; Debian package sip-tester)");
  const dataDir = mkdtempSync(path.join(tmpdir(), "bench-queue-timeout-"));
  atExit(() => rmSync(dataDir, { recursive: true, force: true }));
  const server = await SipServer.start({
    dataDir,
    sipPort: await freeSipPort(),
    rtpPorts: "20000-21999",
    cpuProfileDir: undefined,
    env: { SWITCHBOARD_BOOTSTRAP_API_KEY: API_KEY },
  });
  const baseUrl = server.process.baseUrl;
  const queue = await api<{ id: string }>(baseUrl, "POST", "/v1/queues", {
    name: "Timeout bench",
    timeout: { seconds: TIMEOUT_SECONDS, target: { kind: "disconnect" } },
    call: { greeting: null, music: null, announceEverySeconds: 0, announcePosition: false, announceExpectedWait: false },
  });
  await api(baseUrl, "POST", "/v1/phone-numbers", { e164: NUMBER, entry: { kind: "queue", queueId: queue.id } });
  print(`queue timeout ${TIMEOUT_SECONDS} s; nobody answers; each call is hung up when it fires`);

  const results: StepResult[] = [];
  let seen = new Set<string>();
  for (const step of STEPS) {
    const started = performance.now();
    const baseline = baselineTimers(step.calls, step.rate);
    const sipp = SippCalls.start({
      scenario: "queued-call.xml",
      target: server.sipTarget,
      service: NUMBER,
      calls: step.calls,
      rate: step.rate,
      pauseMs: 0,
      limit: step.calls,
      localPort: await freeUdpPort(),
      mediaPort: 40_000,
      recvTimeoutMs: (TIMEOUT_SECONDS + 30) * 1000,
      timeoutSeconds: TIMEOUT_SECONDS + 120,
    });
    const sippResult = await sipp.done;
    const wait = await waitedMs(baseUrl, seen);
    seen = new Set([...seen, ...wait.ids]);
    const lateness = Float64Array.from(wait.waited, (ms) => ms - TIMEOUT_SECONDS * 1000);
    const result: StepResult = {
      name: step.name,
      calls: step.calls,
      timedOut: wait.waited.length,
      lateness: summarize(lateness),
      baseline: summarize(await baseline),
    };
    results.push(result);
    print(
      `${step.name}: ${step.calls} calls at ${step.rate}/s (sipp: ${sippResult.successful} ok, ${sippResult.failed} failed) in ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s; ${result.timedOut} timed out; ` +
        `lateness p50 ${formatMs(result.lateness.p50)}, p99 ${formatMs(result.lateness.p99)}, max ${formatMs(result.lateness.max)}; ` +
        `baseline setTimeout p99 ${formatMs(result.baseline.p99)}`,
    );
  }
  await server.process.stop();
  const heavy = results.at(-1) as StepResult;
  print(
    JSON.stringify({
      bench: "queue-timeout",
      timeoutSeconds: TIMEOUT_SECONDS,
      steps: results.map((r) => ({
        name: r.name,
        calls: r.calls,
        timedOut: r.timedOut,
        latenessP50Ms: round(r.lateness.p50, 1),
        latenessP99Ms: round(r.lateness.p99, 1),
        latenessMaxMs: round(r.lateness.max, 1),
        baselineP99Ms: round(r.baseline.p99, 1),
      })),
      // The target: p99 within the allowed second (below 1 is met).
      targetRatio: round(heavy.lateness.p99 / ALLOWED_MS, 3),
      baselineRatio: round(heavy.lateness.p99 / Math.max(1, heavy.baseline.p99), 2),
    }),
  );
}

/** Every new call's wait in the queue before its timeout fired, from the call records. */
async function waitedMs(baseUrl: string, seen: ReadonlySet<string>): Promise<{ ids: string[]; waited: number[] }> {
  const ids: string[] = [];
  const waited: number[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await api<{ items: { id: string; state: string }[]; next: string | null }>(
      baseUrl,
      "GET",
      `/v1/calls?limit=200${after ? `&after=${after}` : ""}`,
    );
    for (const call of page.items) {
      if (seen.has(call.id)) continue;
      ids.push(call.id);
      const events = await api<{ items: { type: string; data: { result?: string; waitedMs?: number } }[] }>(
        baseUrl,
        "GET",
        `/v1/calls/${call.id}/events`,
      );
      const queue = events.items.find((e) => e.type === "flow.call_queue" && e.data.result === "timed_out");
      if (queue?.data.waitedMs !== undefined) waited.push(queue.data.waitedMs);
    }
    if (!page.next) break;
    after = page.next;
  }
  return { ids, waited };
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
