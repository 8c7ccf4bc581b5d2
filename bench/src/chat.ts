/**
 * `npm run bench:chat`: chat delivery with many connected clients. Switchboard and a raw `ws`
 * broadcast baseline each run as a child process and get the same clients, threads and load:
 * an open-loop latency phase at a fixed rate, then a closed-loop throughput phase. The last line of
 * the output is one JSON object with the headline figures.
 */

import type { ServerProcess } from "./child-process.js";
import { type PhaseResult, runLatencyPhase, runThroughputPhase, type Target } from "./load.js";
import { progressPrinter } from "./parallel.js";
import { RawWsTarget } from "./raw-ws-target.js";
import { readSettings, type Settings } from "./settings.js";
import { ClientSockets } from "./sockets.js";
import { formatMiB, formatMs, formatRate, round } from "./stats.js";
import { type Population, SwitchboardTarget } from "./switchboard-target.js";

const CONNECT_PARALLELISM = 64;

const print = (line: string) => console.log(line);

interface TargetResult {
  readonly setupSeconds: number;
  readonly connectSeconds: number;
  readonly connected: number;
  readonly latency: PhaseResult;
  readonly throughput: PhaseResult;
}

const elapsedSeconds = (since: number) => (performance.now() - since) / 1000;

/** Runs one phase, and prints it with the CPU the server and this process used meanwhile. */
async function measured(label: string, server: ServerProcess, run: () => Promise<PhaseResult>): Promise<PhaseResult> {
  const startedAt = performance.now();
  const serverCpuBefore = server.cpuSeconds();
  const ownCpuBefore = process.cpuUsage();
  const result = await run();
  const wall = elapsedSeconds(startedAt);
  const serverCpuAfter = server.cpuSeconds();
  const ownCpu = process.cpuUsage(ownCpuBefore);
  server.assertAlive();
  const serverCpu =
    serverCpuBefore === undefined || serverCpuAfter === undefined
      ? "n/a"
      : `${Math.round(((serverCpuAfter - serverCpuBefore) / wall) * 100)}%`;
  const ownCpuPercent = Math.round(((ownCpu.user + ownCpu.system) / 1e6 / wall) * 100);
  const l = result.latency;
  print(`  ${label}`);
  print(
    `    persisted ${formatRate(result.persistedPerSecond)}, delivered ${formatRate(result.deliveredPerSecond)} ` +
      `(${result.sent.toLocaleString("en-US")} sent, ${result.delivered.toLocaleString("en-US")} delivered, ` +
      `${result.lost} lost, ${result.failed} failed)`,
  );
  print(`    latency p50 ${formatMs(l.p50)}, p90 ${formatMs(l.p90)}, p99 ${formatMs(l.p99)}, max ${formatMs(l.max)}`);
  print(`    CPU while it ran: server ${serverCpu}, load generator ${ownCpuPercent}% (of one core)`);
  if (result.firstFailure) print(`    first failure: ${result.firstFailure.slice(0, 300)}`);
  return result;
}

async function runPhases(target: Target, server: ServerProcess, sockets: ClientSockets, settings: Settings, firstPhase: number) {
  const latency = await measured(
    `phase 1, latency: open loop, ${formatRate(settings.rate)} offered for ${settings.seconds} s`,
    server,
    () => runLatencyPhase(target, sockets, { phase: firstPhase, rate: settings.rate, seconds: settings.seconds }),
  );
  const throughput = await measured(
    `phase 2, throughput: closed loop, ${settings.concurrency} sends in flight for ${settings.seconds} s`,
    server,
    () =>
      runThroughputPhase(target, sockets, {
        phase: firstPhase + 1,
        concurrency: settings.concurrency,
        seconds: settings.seconds,
      }),
  );
  print(
    `  server RSS after the phases: ${formatMiB(server.rssBytes())}, load generator RSS ${formatMiB(process.memoryUsage.rss())}`,
  );
  if (sockets.unexpectedCloses > 0) print(`  sockets closed unexpectedly: ${sockets.unexpectedCloses}`);
  if (sockets.errorFrames > 0) print(`  error frames: ${sockets.errorFrames}, first: ${sockets.firstErrorFrame?.slice(0, 300)}`);
  return { latency, throughput };
}

async function connect(count: number, url: (index: number) => string, server: ServerProcess) {
  const startedAt = performance.now();
  const sockets = await ClientSockets.connect({
    count,
    url,
    parallelism: CONNECT_PARALLELISM,
    onProgress: progressPrinter("connected", count, print),
  });
  const connectSeconds = elapsedSeconds(startedAt);
  const connected = sockets.connected;
  print(
    `  ${connected.toLocaleString("en-US")} clients connected in ${connectSeconds.toFixed(1)} s; ` +
      `server RSS ${formatMiB(server.rssBytes())}`,
  );
  return { sockets, connectSeconds, connected };
}

async function benchSwitchboard(settings: Settings): Promise<{ result: TargetResult; population: Population }> {
  print(`Switchboard (${settings.databaseUrl ? "PostgreSQL" : "SQLite in a temporary directory"}), a child process`);
  const startedAt = performance.now();
  const target = await SwitchboardTarget.start(settings);
  try {
    print(
      `  server ready (pid ${target.server.pid}) in ${elapsedSeconds(startedAt).toFixed(1)} s, RSS ${formatMiB(target.server.rssBytes())}`,
    );
    const setupStartedAt = performance.now();
    const population = await target.populate(settings.clients, print);
    const setupSeconds = elapsedSeconds(setupStartedAt);
    print(
      `  set up ${settings.clients.toLocaleString("en-US")} identities with tokens and ` +
        `${population.threadIds.length.toLocaleString("en-US")} threads in ${setupSeconds.toFixed(1)} s`,
    );
    const tokens = population.tokens;
    const { sockets, connectSeconds, connected } = await connect(
      settings.clients,
      (i) => target.realtimeUrl(tokens[i] ?? ""),
      target.server,
    );
    try {
      const phases = await runPhases(target, target.server, sockets, settings, 1);
      return { result: { setupSeconds, connectSeconds, connected, ...phases }, population };
    } finally {
      await sockets.close();
    }
  } finally {
    await target.stop();
  }
}

async function benchRawWs(settings: Settings, population: Population): Promise<TargetResult> {
  print("raw ws broadcast baseline (same clients and threads, in memory), a child process");
  const startedAt = performance.now();
  const target = await RawWsTarget.start(settings.concurrency);
  try {
    await target.populate(population);
    const setupSeconds = elapsedSeconds(startedAt);
    print(`  server ready (pid ${target.server.pid}) and threads registered in ${setupSeconds.toFixed(1)} s`);
    const ids = population.identityIds;
    const { sockets, connectSeconds, connected } = await connect(
      settings.clients,
      (i) => target.realtimeUrl(ids[i] ?? ""),
      target.server,
    );
    try {
      const phases = await runPhases(target, target.server, sockets, settings, 3);
      return { setupSeconds, connectSeconds, connected, ...phases };
    } finally {
      await sockets.close();
    }
  } finally {
    await target.stop();
  }
}

async function main(): Promise<void> {
  const settings = readSettings();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    // Exiting runs the exit hook, which kills the servers and removes the data directory.
    process.on(signal, () => {
      console.error(`\n${signal}: stopping`);
      process.exit(130);
    });
  }
  print(
    `Chat delivery benchmark: ${settings.clients.toLocaleString("en-US")} clients in ` +
      `${(settings.clients / 2).toLocaleString("en-US")} threads of two; phase 1 offers ${formatRate(settings.rate)} ` +
      `for ${settings.seconds} s, phase 2 keeps ${settings.concurrency} sends in flight for ${settings.seconds} s. ` +
      "Latency: from the POST to the other participant's socket.",
  );
  const { result: sb, population } = await benchSwitchboard(settings);
  const raw = await benchRawWs(settings, population);

  const ratio = sb.throughput.deliveredPerSecond / raw.throughput.deliveredPerSecond;
  const lost = sb.latency.lost + sb.throughput.lost;
  print("Summary");
  print(
    `  Switchboard: ${formatRate(sb.latency.persistedPerSecond)} persisted at ${formatRate(settings.rate)} offered, ` +
      `p50 ${formatMs(sb.latency.latency.p50)}, p99 ${formatMs(sb.latency.latency.p99)}, ${lost} lost; ` +
      `throughput ${formatRate(sb.throughput.deliveredPerSecond)} delivered`,
  );
  print(
    `  raw ws:      p50 ${formatMs(raw.latency.latency.p50)}, p99 ${formatMs(raw.latency.latency.p99)}; ` +
      `throughput ${formatRate(raw.throughput.deliveredPerSecond)} delivered`,
  );
  print(`  Switchboard delivers ${round(ratio, 3)} of the raw ws throughput`);
  print(
    JSON.stringify({
      bench: "chat",
      clients: sb.connected,
      messagesPerSecond: round(sb.latency.persistedPerSecond, 1),
      p50Ms: round(sb.latency.latency.p50, 2),
      p99Ms: round(sb.latency.latency.p99, 2),
      rawWsRatio: round(ratio, 3),
      maxMessagesPerSecond: round(sb.throughput.deliveredPerSecond, 1),
      rawMessagesPerSecond: round(raw.throughput.deliveredPerSecond, 1),
      lost,
      failed: sb.latency.failed + sb.throughput.failed,
    }),
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
