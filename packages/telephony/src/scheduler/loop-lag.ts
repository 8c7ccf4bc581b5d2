import { type Scheduler, systemScheduler, type TimerHandle } from "./scheduler.js";

export interface LoopLagOptions {
  readonly scheduler?: Scheduler;
  /** How often the loop is sampled (default 100 ms). */
  readonly intervalMs?: number;
  /** Samples in the window the verdict is taken over (default 10: a second at the default interval). */
  readonly window?: number;
  /** The window's median lag from which the process counts as overloaded (default 150 ms). */
  readonly overloadedFromMs?: number;
}

/**
 * How late the event loop runs its timers, and whether that means the process is overloaded: a timer asked
 * for every `intervalMs` fires late by however long the loop was busy. The verdict is the window's median, so
 * one long pause (a garbage collection, a large batch) does not count, while a loop that stays behind does,
 * as it does when calls arrive faster than the process can set them up. The user agent then answers new
 * calls 503 with Retry-After (`InboundAccess`), so that a carrier tries another server at once instead of
 * waiting on answers that would come seconds late, and the calls in progress keep their share of the loop.
 */
export class LoopLag {
  private readonly scheduler: Scheduler;
  private readonly intervalMs: number;
  private readonly window: number;
  private readonly threshold: number;
  private readonly samples: number[] = [];
  private timer: TimerHandle | undefined;
  private expected = 0;

  constructor(options: LoopLagOptions = {}) {
    this.scheduler = options.scheduler ?? systemScheduler;
    this.intervalMs = options.intervalMs ?? 100;
    this.window = options.window ?? 10;
    this.threshold = options.overloadedFromMs ?? 150;
  }

  start(): this {
    if (this.timer) return this;
    this.expected = this.scheduler.now() + this.intervalMs;
    this.timer = this.scheduler.schedule(this.intervalMs, () => this.sample());
    return this;
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** The median lag over the window, in ms (0 before the first sample). */
  get medianMs(): number {
    if (this.samples.length === 0) return 0;
    const sorted = [...this.samples].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] ?? 0;
  }

  /** Overloaded: the seconds a caller should wait before trying again (Retry-After); else undefined. */
  retryAfterSeconds(): number | undefined {
    if (this.samples.length < this.window) return undefined;
    const median = this.medianMs;
    if (median < this.threshold) return undefined;
    // The further behind, the longer the pause asked for: 1 s per 500 ms of lag, from 2 s to 30 s.
    return Math.min(30, Math.max(2, Math.ceil(median / 500)));
  }

  private sample(): void {
    const now = this.scheduler.now();
    this.samples.push(Math.max(0, now - this.expected));
    if (this.samples.length > this.window) this.samples.shift();
    this.expected = now + this.intervalMs;
    this.timer = this.scheduler.schedule(this.intervalMs, () => this.sample());
  }
}
