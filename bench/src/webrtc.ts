/**
 * `npm run bench:webrtc`: how many concurrent browser-style audio legs one node bridges. This process is the
 * node under test: `WebRtcLeg`s (werift, DTLS-SRTP, PCMU) on one `MediaClock`, wrapped in `SipLegMedia` and
 * bridged in pairs through `RtpMediaMixer`. The "browsers" are werift peers in a child process of their own
 * (`webrtc-peers.ts`), so each side gets a core: they offer, speak a tone in 20 ms packets and time every packet
 * that comes back across the bridge. Steps of rising numbers of legs, each on a fresh set; the last line of the
 * output is one JSON object with the headline figures.
 */

import { type ChildProcess, fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { networkInterfaces } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { PromptRenderer, RecordingStore } from "@switchboard/core";
import { MediaClock, RtpMediaMixer, SipLegMedia, systemScheduler, WebRtcLeg } from "@switchboard/telephony";
import { killOnExit, processCpuSeconds } from "./child-process.js";
import { formatMiB, formatMs, round } from "./stats.js";
import type { FromPeers, PeersReport, ToPeers } from "./webrtc-peers.js";

/** A step passes with arrival jitter p99 under this and less than `LOSS_LIMIT` of the packets missing. */
const JITTER_LIMIT_MS = 10;
const LOSS_LIMIT = 0.01;
/** Sending before the window opens: the first packets after DTLS, and the jitter buffers filling. */
const WARMUP_MS = 2_000;
const SETTLE_MS = 2_000;
/**
 * The machine's first non-loopback IPv4 address: werift announces an interface's address as its host candidate
 * even when bound to 127.0.0.1 (and a browser gathers nothing on loopback), so both sides bind to it. Packets to
 * one's own address still go through the kernel's loopback path.
 */
const BIND_ADDRESS =
  Object.values(networkInterfaces())
    .flat()
    .find((address) => address !== undefined && address.family === "IPv4" && !address.internal)?.address ?? "127.0.0.1";

interface WebRtcSettings {
  readonly legs: readonly number[];
  readonly holdSeconds: number;
}

function readWebRtcSettings(env: NodeJS.ProcessEnv = process.env): WebRtcSettings {
  const raw = env.BENCH_WEBRTC_LEGS || "20,50,100,150";
  const legs = raw.split(",").map((part) => {
    const value = Number(part.trim());
    if (!Number.isInteger(value) || value < 2) throw new Error(`BENCH_WEBRTC_LEGS: "${part}" is not an integer of at least 2.`);
    return value & ~1;
  });
  const hold = env.BENCH_WEBRTC_HOLD_SECONDS || "20";
  const holdSeconds = Number(hold);
  if (!Number.isInteger(holdSeconds) || holdSeconds < 1) {
    throw new Error(`BENCH_WEBRTC_HOLD_SECONDS must be an integer of at least 1, not "${hold}".`);
  }
  return { legs: [...legs].sort((a, b) => a - b), holdSeconds };
}

const print = (line: string) => console.log(line);
const seconds = (value: number | undefined) => (value === undefined ? "n/a" : `${value.toFixed(1)} s`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const percent = (cpuSeconds: number | undefined, wallSeconds: number) =>
  cpuSeconds === undefined || !Number.isFinite(cpuSeconds) ? "n/a" : `${Math.round((cpuSeconds / wallSeconds) * 100)}%`;

/** The legs never play prompts nor record: a renderer and a store that say so if they are asked. */
const noRenderer: PromptRenderer = { render: () => Promise.reject(new Error("the benchmark plays no prompts")) };
const noRecordings: RecordingStore = {
  save: () => Promise.reject(new Error("the benchmark records nothing")),
  audio: () => Promise.resolve(undefined),
  delete: () => Promise.resolve(),
};

/** The peers' process, spoken to one request and answer at a time. */
class Peers {
  readonly #child: ChildProcess;
  readonly #waiting: ((message: FromPeers) => void)[] = [];
  #exited = false;

  constructor() {
    const script = path.join(path.dirname(fileURLToPath(import.meta.url)), "webrtc-peers.js");
    this.#child = fork(script, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    killOnExit(this.#child);
    this.#child.on("message", (message: FromPeers) => {
      if (message.type === "error") {
        print(`peers: ${message.message}`);
        return;
      }
      this.#waiting.shift()?.(message);
    });
    this.#child.once("exit", () => {
      this.#exited = true;
    });
  }

  get pid(): number {
    return this.#child.pid ?? -1;
  }

  cpuSeconds(): number | undefined {
    return processCpuSeconds(this.pid);
  }

  rssBytes(): number | undefined {
    return rssOf(this.pid);
  }

  /** Sends `message` and resolves with the next message of `type`. */
  request<T extends FromPeers["type"]>(
    message: ToPeers | undefined,
    type: T,
    timeoutMs = 120_000,
  ): Promise<Extract<FromPeers, { type: T }>> {
    if (this.#exited) return Promise.reject(new Error("the peers' process exited"));
    const answer = new Promise<Extract<FromPeers, { type: T }>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${type}" from the peers after ${timeoutMs} ms`)), timeoutMs);
      this.#waiting.push((reply) => {
        clearTimeout(timer);
        if (reply.type === type) resolve(reply as Extract<FromPeers, { type: T }>);
        else reject(new Error(`the peers answered "${reply.type}", not "${type}"`));
      });
    });
    if (message !== undefined) this.#child.send(message);
    return answer;
  }

  stop(): void {
    if (!this.#exited) this.#child.kill("SIGTERM");
  }
}

function rssOf(pid: number | "self"): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match?.[1] ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

interface Step {
  readonly legs: number;
  readonly connected: number;
  readonly setupSeconds: number;
  /** The peers' offers, the legs' answers, then until both sides are connected (DTLS done), in seconds. */
  readonly setupParts: readonly number[];
  readonly clock: ReturnType<MediaClock["stats"]>;
  readonly report: PeersReport;
  /** Missing packets (expected by time − received) over expected. */
  readonly loss: number;
  readonly legsCpu: number;
  readonly peersCpu: number | undefined;
  readonly wallSeconds: number;
  readonly legsRss: number | undefined;
  readonly peersRss: number | undefined;
  readonly passed: boolean;
  /** Audio crossed every bridge and less than 1% was missing: the ramp goes on. */
  readonly healthy: boolean;
}

async function runStep(peers: Peers, count: number, holdSeconds: number): Promise<Step> {
  const clock = new MediaClock({ window: holdSeconds * 50 });
  const mixer = new RtpMediaMixer();
  const setupStarted = performance.now();
  const { sdps: offers } = await peers.request({ type: "create", count, bindAddress: BIND_ADDRESS }, "offers");
  const offered = performance.now();
  const legs = offers.map(() => new WebRtcLeg({ clock, bindAddress: BIND_ADDRESS }));
  const answers = await Promise.all(
    legs.map(async (leg, index) => {
      const outcome = await leg.answer(offers[index] ?? "");
      if (!outcome.ok) throw new Error(`leg ${index} refused the offer: ${outcome.reason}`);
      return outcome.sdp;
    }),
  );
  const medias = legs.map(
    (leg, index) =>
      new SipLegMedia({
        call: leg,
        legId: `web-${count}-${index}`,
        tenantId: "bench",
        renderer: noRenderer,
        recordings: noRecordings,
        scheduler: systemScheduler,
      }),
  );
  for (let index = 0; index + 1 < medias.length; index += 2) {
    mixer.bridge(medias[index] as SipLegMedia, medias[index + 1] as SipLegMedia);
  }
  const answered = performance.now();
  const connected = await peers.request({ type: "answers", sdps: answers }, "connected");
  const deadline = performance.now() + 10_000;
  while (legs.some((leg) => leg.state !== "connected") && performance.now() < deadline) await sleep(20);
  const legsConnected = legs.filter((leg) => leg.state === "connected").length;
  const setupSeconds = (performance.now() - setupStarted) / 1000;
  const setupParts = [offered - setupStarted, answered - offered, performance.now() - answered].map((ms) => ms / 1000);
  if (connected.failed > 0 || legsConnected < count) {
    print(`  ${connected.failed} peers and ${count - legsConnected} legs did not connect`);
  }

  const window = peers.request({ type: "start", warmupMs: WARMUP_MS, holdMs: holdSeconds * 1000 }, "window");
  await window;
  const report = peers.request(undefined, "report", holdSeconds * 1000 + 60_000);
  const cpuBefore = process.cpuUsage();
  const peersCpuBefore = peers.cpuSeconds();
  const wallBefore = performance.now();
  const { report: figures } = await report;
  const wallSeconds = (performance.now() - wallBefore) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const peersCpuAfter = peers.cpuSeconds();
  const clockStats = clock.stats();
  const legsRss = rssOf("self");
  const peersRss = peers.rssBytes();

  await peers.request({ type: "close" }, "closed");
  await Promise.all(medias.map((media) => media.hangup("done").catch(() => undefined)));
  clock.stop();

  const expected = figures.expectedPerStream * figures.streams;
  const loss = expected === 0 ? 1 : figures.missing / expected;
  const healthy = loss < LOSS_LIMIT && figures.silentStreams === 0 && legsConnected === count;
  return {
    legs: count,
    connected: legsConnected,
    setupSeconds,
    setupParts,
    clock: clockStats,
    report: figures,
    loss,
    legsCpu: (cpu.user + cpu.system) / 1e6,
    peersCpu: peersCpuBefore === undefined || peersCpuAfter === undefined ? undefined : peersCpuAfter - peersCpuBefore,
    wallSeconds,
    legsRss,
    peersRss,
    passed: healthy && figures.jitterP99Ms < JITTER_LIMIT_MS,
    healthy,
  };
}

function printStep(step: Step): void {
  const r = step.report;
  print(
    `${step.legs} legs (${step.legs / 2} bridges), ${step.connected} connected, set up in ${step.setupSeconds.toFixed(1)} s ` +
      `(offers ${seconds(step.setupParts[0])}, answers ${seconds(step.setupParts[1])}, connected ${seconds(step.setupParts[2])}): ` +
      (step.passed ? "passed" : "FAILED"),
  );
  print(
    `  legs' clock (server send): jitter p50 ${formatMs(step.clock.jitterP50Ms)}, p99 ${formatMs(step.clock.jitterP99Ms)}, ` +
      `max ${formatMs(step.clock.jitterMaxMs)}; ticks late p99 ${formatMs(step.clock.latenessP99Ms)}, ` +
      `tick work p50/p99 ${formatMs(step.clock.workP50Ms)} / ${formatMs(step.clock.workP99Ms)}, skipped ${step.clock.skipped}`,
  );
  print(
    `  arrival at the peers (|interval − 20 ms|, ${r.streams} streams): p50 ${formatMs(r.jitterP50Ms)}, ` +
      `p99 ${formatMs(r.jitterP99Ms)}, max ${formatMs(r.jitterMaxMs)}, worst stream's p99 ${formatMs(r.worstStreamP99Ms)}; ` +
      `peers' own send jitter p99 ${formatMs(r.sendJitterP99Ms)}`,
  );
  print(
    `  packets: ${r.received.toLocaleString("en-US")} received of ${(r.expectedPerStream * r.streams).toLocaleString("en-US")} ` +
      `expected in ${(r.windowMs / 1000).toFixed(1)} s (missing ${(step.loss * 100).toFixed(2)}%, sequence gaps ${r.sequenceLost}); ` +
      `loud ${(r.loudShare * 100).toFixed(1)}%, silent streams ${r.silentStreams}`,
  );
  print(
    `  CPU: legs' process ${percent(step.legsCpu, step.wallSeconds)}, peers' process ${percent(step.peersCpu, step.wallSeconds)}; ` +
      `RSS legs ${formatMiB(step.legsRss)}, peers ${formatMiB(step.peersRss)}`,
  );
}

async function main(): Promise<void> {
  const settings = readWebRtcSettings();
  print(
    `bench:webrtc: steps of ${settings.legs.join(", ")} legs, each held ${settings.holdSeconds} s ` +
      `(after ${WARMUP_MS / 1000} s of warm-up) on ${BIND_ADDRESS}; pass: arrival jitter p99 < ${JITTER_LIMIT_MS} ms, missing < ${LOSS_LIMIT * 100}%`,
  );
  const peers = new Peers();
  const steps: Step[] = [];
  try {
    for (const count of settings.legs) {
      const step = await runStep(peers, count, settings.holdSeconds);
      steps.push(step);
      printStep(step);
      if (!step.healthy) {
        print("  (lost more than 1%, a leg did not connect or a stream heard no audio: the ramp stops)");
        break;
      }
      await sleep(SETTLE_MS);
    }
  } finally {
    peers.stop();
  }
  const best = [...steps].reverse().find((step) => step.passed);
  const headline = best ?? steps[0];
  print("");
  print(
    best
      ? `concurrent bridged legs with arrival jitter p99 < ${JITTER_LIMIT_MS} ms: ${best.legs}`
      : `no step passed (arrival jitter p99 < ${JITTER_LIMIT_MS} ms, missing < 1%)`,
  );
  print(
    JSON.stringify({
      bench: "webrtc",
      concurrentLegs: best?.legs ?? 0,
      jitterP99Ms: headline === undefined ? null : round(headline.report.jitterP99Ms, 2),
    }),
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
