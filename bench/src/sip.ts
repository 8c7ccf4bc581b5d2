/**
 * `npm run bench:sip`: sipp drives Switchboard's demo number (`+15550100`, the demo flow: greeting and menu
 * played to the caller) over SIP on loopback. Phase A raises the call rate until calls fail, and measures
 * sipp's own UAS the same way in the same run; phase B holds rising numbers of concurrent calls with audio
 * both ways and reads the server's RTP pacing. Switchboard runs as a child process; the last line of the
 * output is one JSON object with the headline figures.
 */

import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { atExit, endedChildrenCpuSeconds, type MachineCpu, machineCpuSeconds } from "./child-process.js";
import { type ProbeResult, RtpProbe } from "./rtp-probe.js";
import { DEMO_NUMBER, freeSipPort, freeUdpPort, SipServer, type TelephonyMetrics } from "./sip-server.js";
import { JITTER_LIMIT_MS, readSipSettings, type SipSettings } from "./sip-settings.js";
import { SippCalls, type SippResult, sippInstalled } from "./sipp.js";
import { formatMiB, formatMs, round } from "./stats.js";

/** 5,000 RTP/RTCP pairs: more calls than any step holds. */
const RTP_PORTS = "20000-29999";
/** sipp's `[auto_media_port]` runs from here over 10,000 ports: above the server's range and the tests'. */
const CALLER_MEDIA_PORT_BASE = 50_000;
/**
 * Phase B's callers press a key every 7.3 s (after 7.05 s of `g711a.pcap`, or of silence): the demo flow
 * reads it back, and never hangs up for want of input (it does after about a minute of silence).
 */
const KEY_PERIOD_MS = 7_300;
/** A rest between steps, so that one step's tail (records being written, sockets closing) does not load the next. */
const SETTLE_MS = 2_000;
/** Calls left after a step end by RFC 3261's timers: a 2xx never ACKed (32 s), then a BYE never answered (32 s). */
const IDLE_TIMEOUT_MS = 90_000;
/** A step keeps up when its 200 OKs come back at this share of the offered rate, or more. */
const KEEP_UP = 0.95;
/** sipp's `-l` at most: with more, sipp warns that it may run out of file descriptors (its default limit is 20,000). */
const MAX_OPEN_CALLS = 15_000;
const PROGRESS_EVERY_MS = 5_000;
/** How long phase B's window waits for calls still being set up after the ramp. */
const MAX_SETUP_LAG_MS = 10_000;

const print = (line: string) => console.log(line);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const until = (at: number) => sleep(at - performance.now());
const count = (n: number) => n.toLocaleString("en-US");
const percent = (cpuSeconds: number | undefined, wallSeconds: number) =>
  cpuSeconds === undefined || !Number.isFinite(cpuSeconds) ? "n/a" : `${Math.round((cpuSeconds / wallSeconds) * 100)}%`;
const cpuDelta = (before: number | undefined, after: number | undefined) =>
  before === undefined || after === undefined ? undefined : after - before;

interface RateStep {
  readonly rate: number;
  readonly calls: number;
  readonly result: SippResult;
  /** No call failed. */
  readonly failedNone: boolean;
  /** No call failed and the 200s came back at the offered rate (at least `KEEP_UP` of it). */
  readonly clean: boolean;
  readonly wallSeconds: number;
  readonly serverCpuSeconds: number | undefined;
  readonly sippCpuSeconds: number;
  /** CPU the rest of the machine used meanwhile. */
  readonly othersCpu: OtherCpu | undefined;
}

interface RatePhase {
  readonly steps: readonly RateStep[];
  /** The highest rate with zero failed calls whose answers kept up; 0 when even the first did not. */
  readonly callsPerSecond: number;
  /** The highest rate with zero failed calls, kept up or not. */
  readonly noFailureRate: number;
  readonly failedCalls: number;
  /** Whether the last rate tried still had no failure (the figure is then a lower bound). */
  readonly neverFailed: boolean;
}

interface ConcurrencyStep {
  readonly calls: number;
  readonly probes: number;
  readonly rampSeconds: number;
  readonly holdSeconds: number;
  readonly failedCalls: number;
  readonly failures: string;
  readonly activeAtStart: number;
  readonly activeAtEnd: number;
  readonly metrics: TelephonyMetrics;
  readonly probe: ProbeResult | undefined;
  readonly answerP99Ms: number;
  readonly windowSeconds: number;
  readonly serverCpuSeconds: number | undefined;
  readonly sippCpuSeconds: number | undefined;
  readonly othersCpu: OtherCpu | undefined;
  readonly leftover: number;
  /** Zero failed calls and every call up through the window: the server held the calls. */
  readonly held: boolean;
  /** Held, and the server's jitter p99 under the limit. */
  readonly pass: boolean;
}

/** What else used the machine meanwhile, in CPU seconds. */
interface OtherCpu {
  /** Other processes: the machine's busy time less this process, the measured ones, softirq and steal. */
  readonly processes: number;
  readonly softirq: number;
  readonly steal: number;
}

/** The machine's CPU since `machineBefore`, less this process's and the `measured` processes'. */
function others(
  machineBefore: MachineCpu | undefined,
  ownBefore: NodeJS.CpuUsage,
  measured: readonly (number | undefined)[],
): OtherCpu | undefined {
  const now = machineCpuSeconds();
  if (machineBefore === undefined || now === undefined || measured.some((v) => v === undefined)) return undefined;
  const own = process.cpuUsage(ownBefore);
  const softirq = now.softirq - machineBefore.softirq;
  const steal = now.steal - machineBefore.steal;
  const processes =
    now.busy -
    machineBefore.busy -
    softirq -
    steal -
    (own.user + own.system) / 1e6 -
    measured.reduce<number>((sum, v) => sum + (v ?? 0), 0);
  return { processes: Math.max(0, processes), softirq, steal };
}

const describeOthers = (o: OtherCpu | undefined, wallSeconds: number) =>
  o === undefined
    ? "n/a"
    : `other processes ${percent(o.processes, wallSeconds)}, kernel softirq ${percent(o.softirq, wallSeconds)}, steal ${percent(o.steal, wallSeconds)}`;

/** One sipp run of the call scenario against `target`; the server's (or the UAS's) CPU is read around it. */
async function rateStep(
  target: string,
  rate: number,
  settings: SipSettings,
  serverCpu: () => number | undefined,
): Promise<RateStep> {
  const calls = rate * settings.stepSeconds;
  const callSeconds = settings.callMs / 1000;
  const startedAt = performance.now();
  const serverBefore = serverCpu();
  const sippBefore = endedChildrenCpuSeconds();
  const machineBefore = machineCpuSeconds();
  const ownBefore = process.cpuUsage();
  const run = SippCalls.start({
    scenario: "call.xml",
    target,
    service: DEMO_NUMBER,
    calls,
    rate,
    pauseMs: settings.callMs,
    // Never the limit: a slow server must show as slow answers or failures, not as sipp holding back.
    limit: Math.min(MAX_OPEN_CALLS, Math.ceil(rate * (callSeconds + settings.recvTimeoutMs / 1000 + 5))),
    localPort: await freeUdpPort(),
    mediaPort: await freeUdpPort(),
    recvTimeoutMs: settings.recvTimeoutMs,
    timeoutSeconds: settings.stepSeconds + Math.ceil(callSeconds) + 120,
  });
  const result = await run.done;
  const wallSeconds = (performance.now() - startedAt) / 1000;
  const serverCpuSeconds = cpuDelta(serverBefore, serverCpu());
  const sippCpuSeconds = endedChildrenCpuSeconds() - sippBefore;
  return {
    rate,
    calls,
    result,
    // Zero failed calls, and the answers kept up with the offered rate: a server falling behind still
    // answers a short step within the timeout, and would fail calls in a longer one.
    failedNone: result.failed === 0 && result.successful === calls,
    clean: result.failed === 0 && result.successful === calls && result.answeredPerSecond >= KEEP_UP * rate,
    wallSeconds,
    serverCpuSeconds,
    sippCpuSeconds,
    othersCpu: others(machineBefore, ownBefore, [serverCpuSeconds, sippCpuSeconds]),
  };
}

function printRateStep(step: RateStep, serverLabel: string, extra: string): void {
  const r = step.result;
  print(
    `    ${count(step.rate)}/s: ${count(step.calls)} calls, ${count(r.successful)} completed, ${r.failed} failed` +
      `${r.failureKinds ? ` (${r.failureKinds})` : ""}; answered ${Number.isFinite(r.answeredPerSecond) ? r.answeredPerSecond.toFixed(0) : "n/a"}/s; ` +
      `INVITE→200 p50 ${formatMs(r.answerTime.p50)}, p99 ${formatMs(r.answerTime.p99)}, max ${formatMs(r.answerTime.max)}; ` +
      `BYE→200 p99 ${formatMs(r.byeTime.p99)}; ${count(r.retransmissions)} retransmissions`,
  );
  print(
    `      CPU: ${serverLabel} ${percent(step.serverCpuSeconds, step.wallSeconds)}, sipp (UAC) ${percent(step.sippCpuSeconds, step.wallSeconds)} ` +
      `of one core over ${step.wallSeconds.toFixed(1)} s; ${describeOthers(step.othersCpu, step.wallSeconds)}` +
      `${r.watchdogMajor + r.watchdogMinor > 0 ? `; sipp's watchdog fired ${r.watchdogMajor + r.watchdogMinor} times (sipp behind)` : ""}${extra}`,
  );
  if (step.failedNone && !step.clean)
    print(`      no call failed, but the answers fell behind the offered rate (under ${KEEP_UP * 100}% of it): not counted`);
  if (!step.clean && r.errors) print(`      sipp's errors: ${r.errors.split("\n").slice(0, 3).join(" | ").slice(0, 600)}`);
  if (r.failed < 0) print(`      sipp wrote no statistics (exit ${r.exitCode}): ${r.output.slice(-600)}`);
}

/** Rising rates against one target until a step has a failed call. */
async function ratePhase(
  settings: SipSettings,
  target: string,
  serverLabel: string,
  serverCpu: () => number | undefined,
  afterStep: (step: RateStep) => Promise<string>,
): Promise<RatePhase> {
  const steps: RateStep[] = [];
  for (const rate of settings.rates) {
    const step = await rateStep(target, rate, settings, serverCpu);
    steps.push(step);
    printRateStep(step, serverLabel, await afterStep(step));
    // Falling behind is the first sign; failed calls are where it breaks.
    if (!step.failedNone) break;
    await sleep(SETTLE_MS);
  }
  // The rates kept up with from the lowest on: one that kept up after one that did not is luck.
  const firstBehind = steps.findIndex((s) => !s.clean);
  const clean = firstBehind < 0 ? steps : steps.slice(0, firstBehind);
  return {
    steps,
    callsPerSecond: clean.length > 0 ? Math.max(...clean.map((s) => s.rate)) : 0,
    noFailureRate: Math.max(0, ...steps.filter((s) => s.failedNone).map((s) => s.rate)),
    failedCalls: steps.reduce((sum, s) => sum + (s.calls - s.result.successful), 0),
    neverFailed: steps.length === settings.rates.length && steps.every((s) => s.clean),
  };
}

/** A few calls before measuring: the prompts get rendered (espeak-ng) and cached, the code warm. */
async function warmUp(server: SipServer, settings: SipSettings): Promise<void> {
  const run = SippCalls.start({
    scenario: "call.xml",
    target: server.sipTarget,
    service: DEMO_NUMBER,
    calls: 4,
    rate: 4,
    pauseMs: 500,
    limit: 10,
    localPort: await freeUdpPort(),
    mediaPort: await freeUdpPort(),
    recvTimeoutMs: settings.recvTimeoutMs,
    timeoutSeconds: 60,
  });
  const result = await run.done;
  if (result.failed !== 0 || result.successful !== 4)
    throw new Error(
      `warm-up calls failed (${result.failureKinds || `exit ${result.exitCode}`}):\n${result.errors}\n${result.output.slice(-2000)}`,
    );
  await server.waitIdle(IDLE_TIMEOUT_MS);
}

async function phaseA(settings: SipSettings, dataDir: string): Promise<{ ours: RatePhase; sipp: RatePhase | undefined }> {
  print(
    `Phase A, call rate: rising rates (${settings.rates.join(", ")}/s), ${settings.stepSeconds} s of calls at each, ` +
      `each call INVITE, 200, ACK, ${settings.callMs} ms up, BYE, 200; a step counts with zero failed calls ` +
      `(no answer within ${settings.recvTimeoutMs} ms is a failure) and 200 OKs coming back at ${KEEP_UP * 100}% of the rate or more; ` +
      "rising until calls fail",
  );
  const server = await SipServer.start({
    dataDir,
    sipPort: await freeSipPort(),
    rtpPorts: RTP_PORTS,
    cpuProfileDir: settings.cpuProfileDir,
    env: {
      SWITCHBOARD_RTP_IO_THREAD: String(settings.rtpIoThread),
      ...(settings.rtpIoNice === undefined ? {} : { SWITCHBOARD_RTP_IO_NICE: String(settings.rtpIoNice) }),
    },
  });
  let ours: RatePhase;
  try {
    print(
      `  Switchboard (pid ${server.pid}, SIP on ${server.sipTarget}, RTP ${RTP_PORTS}); the demo flow plays its greeting to every call`,
    );
    await warmUp(server, settings);
    ours = await ratePhase(
      settings,
      server.sipTarget,
      "server",
      () => server.process.cpuSeconds(),
      async () => {
        const atEnd = await server.metrics();
        const leftover = await server.waitIdle(IDLE_TIMEOUT_MS);
        return (
          `; server jitter p99 ${formatMs(atEnd.jitterP99Ms)} (its last minute), ${count(atEnd.ticksSkipped)} ticks skipped since start, ` +
          `RSS ${formatMiB(server.process.rssBytes())}` +
          (leftover > 0 ? `; ${leftover} calls still active ${IDLE_TIMEOUT_MS / 1000} s after the step` : "")
        );
      },
    );
  } finally {
    await server.stop();
  }
  if (settings.skipBaseline) return { ours, sipp: undefined };

  const port = await freeUdpPort();
  const uas = SippCalls.uas(port, await freeUdpPort());
  let sipp: RatePhase;
  try {
    await sleep(500);
    if (!uas.running) throw new Error(`sipp -sn uas did not start:\n${uas.output}`);
    print(`  sipp's own UAS (sipp -sn uas, pid ${uas.pid}, on 127.0.0.1:${port}): the same scenario, no media, no records`);
    sipp = await ratePhase(
      settings,
      `127.0.0.1:${port}`,
      "sipp (UAS)",
      () => uas.cpuSeconds(),
      async () => "",
    );
  } finally {
    await uas.stop();
  }
  return { ours, sipp };
}

/** One step of phase B on a fresh server process, so that its jitter window holds this step only. */
async function concurrencyStep(calls: number, settings: SipSettings, dataDir: string, probe: RtpProbe): Promise<ConcurrencyStep> {
  const server = await SipServer.start({
    dataDir,
    sipPort: await freeSipPort(),
    rtpPorts: RTP_PORTS,
    cpuProfileDir: settings.cpuProfileDir,
    env: {
      SWITCHBOARD_RTP_IO_THREAD: String(settings.rtpIoThread),
      ...(settings.rtpIoNice === undefined ? {} : { SWITCHBOARD_RTP_IO_NICE: String(settings.rtpIoNice) }),
    },
  });
  try {
    await warmUp(server, settings);
    const probes = Math.min(settings.probes, calls);
    const main = calls - probes;
    const rampMs = main > 1 ? ((main - 1) / settings.rampRate) * 1000 : 0;
    // A call's length is whole key periods and a pause: at least one period.
    const wantedMs = rampMs + settings.holdSeconds * 1000;
    const loops = Math.max(1, Math.floor(wantedMs / KEY_PERIOD_MS));
    const pauseMs = Math.max(0, Math.round(wantedMs - loops * KEY_PERIOD_MS));
    const callMs = loops * KEY_PERIOD_MS + pauseMs;
    const holdMs = callMs - rampMs;
    print(
      `    ${count(calls)} calls${probes > 0 ? ` (${count(main)} + ${probes} probes)` : ""}: set up at ${settings.rampRate}/s ` +
        `over ${(rampMs / 1000).toFixed(1)} s, all up together for ${(holdMs / 1000).toFixed(1)} s (server pid ${server.pid})`,
    );
    const timeoutSeconds = Math.ceil(callMs / 1000) + 180;
    const probeRun =
      probes > 0
        ? SippCalls.start({
            scenario: "silent-call.xml",
            target: server.sipTarget,
            service: DEMO_NUMBER,
            calls: probes,
            rate: probes,
            // Up from a second before the first main call until after the last window closed.
            pauseMs: Math.max(0, callMs + 2_000 - (loops + 1) * KEY_PERIOD_MS),
            limit: probes,
            localPort: await freeUdpPort(),
            mediaPort: await freeUdpPort(),
            recvTimeoutMs: settings.recvTimeoutMs,
            timeoutSeconds,
            keys: { audio_port: String(probe.port) },
            globals: { loops: String(loops + 1) },
          })
        : undefined;
    await sleep(1_000);
    const startedAt = performance.now();
    // Silent callers have the server's audio sent to sipp's media port, which sipp binds and never reads.
    const mediaPort = settings.callerAudio ? CALLER_MEDIA_PORT_BASE : await freeUdpPort();
    const mainRun =
      main > 0
        ? SippCalls.start({
            scenario: settings.callerAudio ? "talking-call.xml" : "silent-call.xml",
            target: server.sipTarget,
            service: DEMO_NUMBER,
            calls: main,
            rate: settings.rampRate,
            pauseMs,
            limit: main,
            localPort: await freeUdpPort(),
            mediaPort,
            recvTimeoutMs: settings.recvTimeoutMs,
            timeoutSeconds,
            globals: { loops: String(loops) },
            ...(settings.callerAudio ? {} : { keys: { audio_port: String(mediaPort) } }),
          })
        : undefined;
    const sippCpu = () => {
      const values = [mainRun?.cpuSeconds(), probeRun?.cpuSeconds()];
      return values.some((v, i) => v === undefined && [mainRun, probeRun][i] !== undefined)
        ? undefined
        : values.reduce<number>((sum, v) => sum + (v ?? 0), 0);
    };
    // Measured while every call is up: from a second after the last call was set up until just before the first hangs up.
    const windowStart = startedAt + rampMs + 1_000;
    const windowEnd = startedAt + callMs - 500;
    for (let at = startedAt + PROGRESS_EVERY_MS; at < windowStart; at += PROGRESS_EVERY_MS) {
      await until(at);
      const m = await server.metrics();
      print(`      ${((at - startedAt) / 1000).toFixed(0)} s: ${count(m.callsActive)} calls active`);
    }
    await until(windowStart);
    let atStart = await server.metrics();
    // Setup lagging behind the ramp (a slow server): the window opens once every call is up, if that comes soon.
    const latestStart = Math.min(windowStart + MAX_SETUP_LAG_MS, windowEnd - 5_000);
    while (atStart.callsActive < calls && performance.now() < latestStart) {
      await sleep(1_000);
      atStart = await server.metrics();
    }
    const serverBefore = server.process.cpuSeconds();
    const sippBefore = sippCpu();
    const machineBefore = machineCpuSeconds();
    const ownBefore = process.cpuUsage();
    const windowStartedAt = performance.now();
    probe.start();
    print(
      `      window open: ${count(atStart.callsActive)} calls active; next reading in ${((windowEnd - performance.now()) / 1000).toFixed(0)} s ` +
        "(no scrape of /metrics meanwhile: each one stalls the server's event loop for milliseconds)",
    );
    await until(windowEnd);
    const probeResult = probes > 0 ? probe.stop() : undefined;
    const atEnd = await server.metrics();
    const windowSeconds = (performance.now() - windowStartedAt) / 1000;
    const serverCpuSeconds = cpuDelta(serverBefore, server.process.cpuSeconds());
    const sippCpuSeconds = cpuDelta(sippBefore, sippCpu());
    const othersCpu = others(machineBefore, ownBefore, [serverCpuSeconds, sippCpuSeconds]);
    const rss = server.process.rssBytes();
    const results = (await Promise.all([mainRun?.done, probeRun?.done])).filter((r): r is SippResult => r !== undefined);
    // Every call not completed failed, whatever sipp made of it (a sipp that died counts no failures).
    const failedCalls = calls - results.reduce((sum, r) => sum + r.successful, 0);
    const failures = results
      .map((r) => r.failureKinds)
      .filter((f) => f !== "")
      .join(", ");
    const answers = results.map((r) => r.answerTime.p99).filter(Number.isFinite);
    const leftover = await server.waitIdle(IDLE_TIMEOUT_MS);
    const held = failedCalls === 0 && Math.min(atStart.callsActive, atEnd.callsActive) >= calls;
    const step: ConcurrencyStep = {
      calls,
      probes,
      rampSeconds: rampMs / 1000,
      holdSeconds: holdMs / 1000,
      failedCalls,
      failures,
      activeAtStart: atStart.callsActive,
      activeAtEnd: atEnd.callsActive,
      metrics: atEnd,
      probe: probeResult,
      answerP99Ms: answers.length > 0 ? Math.max(...answers) : Number.NaN,
      windowSeconds,
      serverCpuSeconds,
      sippCpuSeconds,
      othersCpu,
      leftover,
      held,
      pass: held && atEnd.jitterP99Ms < JITTER_LIMIT_MS,
    };
    print(
      `      calls active: ${count(step.activeAtStart)} when the window opened, ${count(step.activeAtEnd)} when it closed ` +
        `(${windowSeconds.toFixed(1)} s); ${failedCalls} failed${failures ? ` (${failures})` : ""}; INVITE→200 p99 ${formatMs(step.answerP99Ms)}`,
    );
    print(
      `      server: RTP send-interval jitter p99 ${formatMs(atEnd.jitterP99Ms)} (over the step's ticks), media ticks late p99 ` +
        `${formatMs(atEnd.tickLatenessP99Ms)} (their work p99 ${formatMs(atEnd.tickWorkP99Ms)}), ${count(atEnd.ticksSkipped)} ticks skipped; ` +
        `CPU in the window: server ${percent(serverCpuSeconds, windowSeconds)}, sipp ${percent(sippCpuSeconds, windowSeconds)}, ` +
        `${describeOthers(othersCpu, windowSeconds)}; server RSS ${formatMiB(rss)}`,
    );
    if (probeResult)
      print(
        `      probes (arrivals at the benchmark, window only): ${probeResult.streams} streams, ${count(probeResult.packets)} packets, ` +
          `|interval − 20 ms| p99 ${formatMs(probeResult.jitterP99Ms)}, max ${formatMs(probeResult.jitterMaxMs)}, ${probeResult.lost} lost`,
      );
    if (leftover > 0) print(`      ${leftover} calls still active ${IDLE_TIMEOUT_MS / 1000} s after the step`);
    const firstErrors = results.map((r) => r.errors).find((e) => e !== "");
    if (failedCalls > 0 && firstErrors)
      print(`      sipp's errors: ${firstErrors.split("\n").slice(0, 3).join(" | ").slice(0, 600)}`);
    print(
      `      ${step.pass ? "pass" : "FAIL"}: ${held ? "zero failures and every call up" : "calls failed or were not all up"}, ` +
        `server jitter p99 ${atEnd.jitterP99Ms < JITTER_LIMIT_MS ? "under" : "not under"} ${JITTER_LIMIT_MS} ms`,
    );
    return step;
  } finally {
    await server.stop();
  }
}

async function phaseB(settings: SipSettings, dataDir: string): Promise<ConcurrencyStep[]> {
  print(
    `Phase B, concurrent calls with media: ${settings.concurrency.join(", ")} calls, each step on a fresh server process; ` +
      `the server plays the demo's prompts to every caller${settings.callerAudio ? ", every caller plays g711a.pcap (PCMA speech) back" : ""}; ` +
      `rising until calls fail; a step passes with zero failures and jitter p99 under ${JITTER_LIMIT_MS} ms; ` +
      (settings.rtpIoThread
        ? "the server's RTP sockets on its I/O thread, each tick's packets sent there 20 ms after the tick was due" +
          (settings.rtpIoNice === undefined ? "" : ` (that thread at nice ${settings.rtpIoNice})`)
        : "the server's RTP sockets on its main thread (BENCH_SIP_RTP_IO_THREAD=0)"),
  );
  const probe = await RtpProbe.open();
  const steps: ConcurrencyStep[] = [];
  try {
    for (const calls of settings.concurrency) {
      const step = await concurrencyStep(calls, settings, dataDir, probe);
      steps.push(step);
      // Jitter over the limit is a figure; failed calls are where it breaks.
      if (!step.held) break;
      await sleep(SETTLE_MS);
    }
  } finally {
    await probe.close();
  }
  return steps;
}

async function main(): Promise<void> {
  const settings = readSipSettings();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    // Exiting runs the exit hook, which kills the server and sipp and removes the data directory.
    process.on(signal, () => {
      console.error(`\n${signal}: stopping`);
      process.exit(130);
    });
  }
  if (!sippInstalled()) throw new Error("sipp is not installed: apt-get install -y sip-tester");
  const entry = fileURLToPath(new URL("../../apps/server/dist/main.js", import.meta.url));
  if (!existsSync(entry)) throw new Error(`${entry} is missing: build first (npx tsc -b)`);
  const dataDir = mkdtempSync(path.join(tmpdir(), "switchboard-bench-sip-"));
  const removeDataDir = atExit(() => rmSync(dataDir, { recursive: true, force: true }));
  print(
    `SIP benchmark: sipp calls the demo number ${DEMO_NUMBER} of Switchboard (SQLite in a temporary directory) over UDP on 127.0.0.1. ` +
      `CPU figures are shares of one core; this machine has ${availableParallelism()} cores, shared by the server, sipp and this process.`,
  );
  try {
    const a = settings.phases.a ? await phaseA(settings, dataDir) : undefined;
    const b = settings.phases.b ? await phaseB(settings, dataDir) : [];

    print("Summary");
    let ratio: number | null = null;
    if (a) {
      print(`  phase A, call rate (${settings.stepSeconds} s steps, calls ${settings.callMs} ms long):`);
      const line = (name: string, phase: RatePhase, cpu: (step: RateStep) => string) => {
        const at = phase.steps.find((s) => s.clean && s.rate === phase.callsPerSecond);
        const last = phase.steps[phase.steps.length - 1];
        const limit = phase.neverFailed
          ? " (no failure up to the highest rate tried)"
          : last && !last.failedNone
            ? `; calls failed at ${count(last.rate)}/s`
            : "";
        const behind =
          phase.noFailureRate > phase.callsPerSecond
            ? ` (no failed call up to ${count(phase.noFailureRate)}/s, but the answers fell behind above ${count(phase.callsPerSecond)}/s)`
            : "";
        print(
          `    ${name}: ${count(phase.callsPerSecond)} calls/s with zero failures, answers keeping up${behind}${limit}` +
            (at
              ? `; at ${count(at.rate)}/s INVITE→200 p50 ${formatMs(at.result.answerTime.p50)}, p99 ${formatMs(at.result.answerTime.p99)}, ${cpu(at)}`
              : ""),
        );
      };
      line(
        "Switchboard",
        a.ours,
        (step) =>
          `CPU server ${percent(step.serverCpuSeconds, step.wallSeconds)}, sipp (UAC) ${percent(step.sippCpuSeconds, step.wallSeconds)}`,
      );
      if (a.sipp) {
        line(
          "sipp's UAS ",
          a.sipp,
          (step) =>
            `CPU sipp (UAS) ${percent(step.serverCpuSeconds, step.wallSeconds)}, sipp (UAC) ${percent(step.sippCpuSeconds, step.wallSeconds)}`,
        );
        ratio = a.sipp.callsPerSecond > 0 ? round(a.ours.callsPerSecond / a.sipp.callsPerSecond, 3) : null;
        print(`    sippUasRatio ${ratio ?? "n/a"}${a.sipp.neverFailed ? " (an upper bound: sipp's UAS never failed)" : ""}`);
      }
    }
    const passed = b.filter((s) => s.pass);
    const best = passed.reduce<ConcurrencyStep | undefined>((a, s) => (a === undefined || s.calls > a.calls ? s : a), undefined);
    if (b.length > 0) {
      print(`  phase B, concurrent calls with media (each step's calls all up for ${b[0]?.holdSeconds.toFixed(0)} s):`);
      print("    calls  failed  server jitter p99  skipped ticks  probes' p99  CPU server  CPU sipp  other processes");
      for (const step of b)
        print(
          `    ${count(step.calls).padStart(5)}  ${String(step.failedCalls).padStart(6)}  ${formatMs(step.metrics.jitterP99Ms).padStart(17)}  ` +
            `${count(step.metrics.ticksSkipped).padStart(13)}  ${formatMs(step.probe?.jitterP99Ms ?? Number.NaN).padStart(11)}  ` +
            `${percent(step.serverCpuSeconds, step.windowSeconds).padStart(10)}  ${percent(step.sippCpuSeconds, step.windowSeconds).padStart(8)}  ` +
            `${percent(step.othersCpu?.processes, step.windowSeconds).padStart(15)}`,
        );
      print(
        `    concurrent calls with jitter p99 under ${JITTER_LIMIT_MS} ms and zero failures: ${best ? count(best.calls) : "none of the steps"}`,
      );
    }
    const failedCalls = (a?.ours.failedCalls ?? 0) + b.reduce((sum, s) => sum + s.failedCalls, 0);
    print(`  failed calls at Switchboard, every step of both phases (the step past each limit included): ${count(failedCalls)}`);
    const jitter = best ?? b[0];
    print(
      JSON.stringify({
        bench: "sip",
        callsPerSecond: a ? a.ours.callsPerSecond : null,
        concurrentCalls: b.length > 0 ? (best?.calls ?? 0) : null,
        jitterP99Ms: jitter ? round(jitter.metrics.jitterP99Ms, 2) : null,
        failedCalls,
        sippUasRatio: ratio,
      }),
    );
  } finally {
    removeDataDir();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
