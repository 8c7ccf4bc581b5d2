import type { PostResult } from "./http-post.js";
import { type LatencySummary, summarize } from "./stats.js";

/**
 * A chat system under load: `pairs` threads of two participants, participant `2 * pair + side` on
 * socket `2 * pair + side`. `send` posts one message into a pair's thread as one side and resolves
 * with the answer (201: accepted).
 */
export interface Target {
  readonly name: string;
  readonly pairs: number;
  send(pair: number, side: 0 | 1, content: string): Promise<PostResult>;
}

/** Where the client sockets report the messages they receive. */
export interface DeliverySink {
  deliver(socketIndex: number, content: string, now: number): void;
}

/** The sockets of the clients, which report to whichever phase is running. */
export interface DeliverySource {
  sink: DeliverySink | undefined;
}

export interface PhaseResult {
  readonly seconds: number;
  readonly sent: number;
  /** Answered 201 (for Switchboard: persisted) before the phase's window ended. */
  readonly ackedInWindow: number;
  readonly acked: number;
  readonly failed: number;
  readonly firstFailure: string | undefined;
  /** Received by the other participant of the thread. */
  readonly delivered: number;
  /** Accepted but not received by the other participant within the drain time after the phase. */
  readonly lost: number;
  readonly persistedPerSecond: number;
  /** Deliveries over the time from the first send to the last delivery (at least the window). */
  readonly deliveredPerSecond: number;
  readonly latency: LatencySummary;
}

const ACKED = 1;
const DELIVERED = 2;
const FAILED = 4;
const INITIAL_CAPACITY = 16_384;
/** A message not received this long after its phase ended is lost. */
export const DRAIN_MS = 5_000;

/**
 * Everything about the messages of one phase, indexed by message number. A message's content is
 * `<prefix><number>`, so the receiving socket finds its record without a map.
 */
class PhaseRecorder implements DeliverySink {
  readonly prefix: string;
  sent = 0;
  acked = 0;
  ackedInWindow = 0;
  failed = 0;
  delivered = 0;
  firstFailure: string | undefined;
  lastDeliveryAt = 0;
  windowEnd = Number.POSITIVE_INFINITY;
  #sentAt = new Float64Array(INITIAL_CAPACITY);
  #latency = new Float64Array(INITIAL_CAPACITY);
  #receiver = new Int32Array(INITIAL_CAPACITY);
  #state = new Uint8Array(INITIAL_CAPACITY);

  constructor(phase: number) {
    this.prefix = `bench message ${phase}:`;
  }

  /** Registers a message about to be sent to `receiver`'s socket; returns its number. */
  begin(receiver: number): number {
    const id = this.sent;
    if (id === this.#sentAt.length) this.#grow();
    this.sent = id + 1;
    this.#receiver[id] = receiver;
    this.#sentAt[id] = performance.now();
    return id;
  }

  settle(id: number, result: PostResult): void {
    if (result.status === 201) {
      this.#state[id] = (this.#state[id] ?? 0) | ACKED;
      this.acked += 1;
      if (performance.now() <= this.windowEnd) this.ackedInWindow += 1;
    } else {
      this.fail(id, `HTTP ${result.status} ${result.detail}`);
    }
  }

  fail(id: number, reason: string): void {
    this.#state[id] = (this.#state[id] ?? 0) | FAILED;
    this.failed += 1;
    this.firstFailure ??= reason;
  }

  deliver(socketIndex: number, content: string, now: number): void {
    if (!content.startsWith(this.prefix)) return;
    const id = Number(content.slice(this.prefix.length));
    // The sender's own socket gets the message too: only the other participant's copy counts.
    if (!(id >= 0 && id < this.sent) || this.#receiver[id] !== socketIndex) return;
    const state = this.#state[id] ?? 0;
    if (state & DELIVERED) return;
    this.#state[id] = state | DELIVERED;
    this.#latency[id] = now - (this.#sentAt[id] ?? now);
    this.delivered += 1;
    this.lastDeliveryAt = now;
  }

  get settled(): boolean {
    return this.acked + this.failed === this.sent;
  }

  /** Every accepted message has reached its receiver. */
  get complete(): boolean {
    return this.settled && this.delivered >= this.acked;
  }

  result(startedAt: number, seconds: number): PhaseResult {
    const latencies = new Float64Array(this.delivered);
    let n = 0;
    let lost = 0;
    for (let id = 0; id < this.sent; id++) {
      const state = this.#state[id] ?? 0;
      if (state & DELIVERED) latencies[n++] = this.#latency[id] ?? 0;
      else if (state & ACKED) lost += 1;
    }
    const span = Math.max(seconds * 1000, this.lastDeliveryAt - startedAt) / 1000;
    return {
      seconds,
      sent: this.sent,
      ackedInWindow: this.ackedInWindow,
      acked: this.acked,
      failed: this.failed,
      firstFailure: this.firstFailure,
      delivered: this.delivered,
      lost,
      persistedPerSecond: this.ackedInWindow / seconds,
      deliveredPerSecond: this.delivered / span,
      latency: summarize(latencies.subarray(0, n)),
    };
  }

  #grow(): void {
    const size = this.#sentAt.length * 2;
    const sentAt = new Float64Array(size);
    sentAt.set(this.#sentAt);
    this.#sentAt = sentAt;
    const latency = new Float64Array(size);
    latency.set(this.#latency);
    this.#latency = latency;
    const receiver = new Int32Array(size);
    receiver.set(this.#receiver);
    this.#receiver = receiver;
    const state = new Uint8Array(size);
    state.set(this.#state);
    this.#state = state;
  }
}

/** Sends message number `n` of a phase: threads in turn, and within a thread the two sides in turn. */
function sendNth(target: Target, recorder: PhaseRecorder, n: number): Promise<void> {
  const pair = n % target.pairs;
  const side = Math.floor(n / target.pairs) % 2 === 0 ? 0 : 1;
  const id = recorder.begin(2 * pair + (1 - side));
  return target.send(pair, side, recorder.prefix + id).then(
    (result) => recorder.settle(id, result),
    (error: unknown) => recorder.fail(id, error instanceof Error ? error.message : String(error)),
  );
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function drain(recorder: PhaseRecorder): Promise<void> {
  const deadline = performance.now() + DRAIN_MS;
  while (!recorder.complete && performance.now() < deadline) await sleep(10);
  // Answers still missing after the drain would resolve into a finished phase: wait for them, not for deliveries.
  while (!recorder.settled) await sleep(10);
}

export interface LatencyPhaseOptions {
  readonly phase: number;
  readonly rate: number;
  readonly seconds: number;
}

/**
 * Open loop: sends at `rate` messages per second for `seconds`, whatever the answers (every 10 ms,
 * whatever is due by then), so a slow server shows as latency rather than as a lower send rate.
 */
export async function runLatencyPhase(
  target: Target,
  sockets: DeliverySource,
  options: LatencyPhaseOptions,
): Promise<PhaseResult> {
  const recorder = new PhaseRecorder(options.phase);
  sockets.sink = recorder;
  const total = Math.round(options.rate * options.seconds);
  const startedAt = performance.now();
  recorder.windowEnd = startedAt + options.seconds * 1000;
  let n = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - startedAt) * options.rate) / 1000));
      while (n < due) void sendNth(target, recorder, n++);
      if (n >= total) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(tick, 10);
  });
  await drain(recorder);
  sockets.sink = undefined;
  return recorder.result(startedAt, options.seconds);
}

export interface ThroughputPhaseOptions {
  readonly phase: number;
  readonly concurrency: number;
  readonly seconds: number;
}

/** Closed loop: `concurrency` senders, each sending its next message when the previous one is answered. */
export async function runThroughputPhase(
  target: Target,
  sockets: DeliverySource,
  options: ThroughputPhaseOptions,
): Promise<PhaseResult> {
  const recorder = new PhaseRecorder(options.phase);
  sockets.sink = recorder;
  const startedAt = performance.now();
  const endAt = startedAt + options.seconds * 1000;
  recorder.windowEnd = endAt;
  let n = 0;
  const sender = async () => {
    while (performance.now() < endAt) {
      const failedBefore = recorder.failed;
      await sendNth(target, recorder, n++);
      // A refused connection fails at once: don't spin on it.
      if (recorder.failed > failedBefore) await sleep(10);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, sender));
  await drain(recorder);
  sockets.sink = undefined;
  return recorder.result(startedAt, options.seconds);
}
