export interface MediaClockOptions {
  /** Tick period (default 20 ms: one G.711 frame). */
  readonly intervalMs?: number;
  /** Monotonic milliseconds (default `performance.now`). */
  readonly now?: () => number;
  /** One-shot timer (default `setTimeout`); injected by tests. */
  readonly setTimer?: (task: () => void, delayMs: number) => () => void;
  /** Ticks fired back to back to catch up after a stall before the clock skips ahead instead (default 5). */
  readonly maxCatchUpTicks?: number;
  /** Send intervals kept for the jitter figures (default the last 3,000: one minute). */
  readonly window?: number;
}

export interface MediaClockStats {
  readonly ticks: number;
  /** Ticks dropped after a stall longer than the catch-up budget. */
  readonly skipped: number;
  /** |interval between consecutive ticks − period|, over the window, in ms. */
  readonly jitterP50Ms: number;
  readonly jitterP99Ms: number;
  readonly jitterMaxMs: number;
  /** How late ticks fired against their schedule, in ms. */
  readonly latenessP99Ms: number;
  /** How long the listeners of one tick took (the media plane's work per tick), in ms. */
  readonly workP50Ms: number;
  readonly workP99Ms: number;
  readonly meanIntervalMs: number;
}

/**
 * The 20 ms heartbeat of the media plane: ticks are scheduled by absolute time (`start + n × period`), not
 * by chaining relative timeouts, so that timer lateness never accumulates into drift. After a stall the missed
 * ticks fire back to back (a receiver's jitter buffer absorbs the burst, and RTP timestamps stay right), up to
 * a budget past which the clock skips ahead. One clock serves every stream of a process or worker.
 */
export class MediaClock {
  private readonly listeners = new Set<(tick: number) => void>();
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly setTimer: (task: () => void, delayMs: number) => () => void;
  private readonly maxCatchUp: number;
  private readonly window: number;
  private cancel: (() => void) | undefined;
  private origin = 0;
  private tick = 0;
  private lastFired: number | undefined;
  private firing: number | undefined;
  private skipped = 0;
  private ticks = 0;
  private readonly intervals: number[] = [];
  private readonly lateness: number[] = [];
  private readonly work: number[] = [];

  constructor(options: MediaClockOptions = {}) {
    this.intervalMs = options.intervalMs ?? 20;
    this.now = options.now ?? (() => performance.now());
    this.setTimer =
      options.setTimer ??
      ((task, delay) => {
        const timer = setTimeout(task, delay);
        return () => clearTimeout(timer);
      });
    this.maxCatchUp = options.maxCatchUpTicks ?? 5;
    this.window = options.window ?? 3_000;
  }

  /** Calls `listener` on every tick until the returned function is called; the clock runs while anyone listens. */
  subscribe(listener: (tick: number) => void): () => void {
    this.listeners.add(listener);
    if (this.cancel === undefined) this.start();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  get running(): boolean {
    return this.cancel !== undefined;
  }

  private start(): void {
    this.origin = this.now();
    this.tick = 0;
    this.lastFired = undefined;
    this.schedule();
  }

  stop(): void {
    this.cancel?.();
    this.cancel = undefined;
  }

  private schedule(): void {
    const due = this.origin + (this.tick + 1) * this.intervalMs;
    this.cancel = this.setTimer(() => this.fire(), Math.max(0, due - this.now()));
  }

  private fire(): void {
    let now = this.now();
    let behind = Math.floor((now - this.origin) / this.intervalMs) - this.tick;
    if (behind > this.maxCatchUp) {
      this.skipped += behind - 1;
      this.tick += behind - 1;
      this.lastFired = undefined;
      behind = 1;
    }
    for (let i = 0; i < behind && this.listeners.size > 0; i++) {
      this.tick++;
      this.firing = this.origin + this.tick * this.intervalMs;
      this.record(now, this.firing);
      for (const listener of this.listeners) {
        try {
          listener(this.tick);
        } catch {
          // One broken stream must not silence the others.
        }
      }
      const started = now;
      now = this.now();
      push(this.work, now - started, this.window);
    }
    this.firing = undefined;
    if (this.listeners.size > 0) this.schedule();
    else this.cancel = undefined;
  }

  private record(now: number, due: number): void {
    this.ticks++;
    if (this.lastFired !== undefined) push(this.intervals, now - this.lastFired, this.window);
    push(this.lateness, now - due, this.window);
    this.lastFired = now;
  }

  /**
   * While a tick's listeners run, the time that tick was due (on the clock's time base: `performance.now()`
   * by default), else undefined: what lets a sender pace a tick's packets by when they were due rather than
   * by when the tick got to run (`ThreadedDatagramIo`'s pacing).
   */
  tickDueAt(): number | undefined {
    return this.firing;
  }

  stats(): MediaClockStats {
    const deviations = this.intervals.map((interval) => Math.abs(interval - this.intervalMs)).sort((a, b) => a - b);
    const late = [...this.lateness].sort((a, b) => a - b);
    const work = [...this.work].sort((a, b) => a - b);
    const mean = this.intervals.length === 0 ? 0 : this.intervals.reduce((a, b) => a + b, 0) / this.intervals.length;
    return {
      ticks: this.ticks,
      skipped: this.skipped,
      jitterP50Ms: percentile(deviations, 0.5),
      jitterP99Ms: percentile(deviations, 0.99),
      jitterMaxMs: deviations[deviations.length - 1] ?? 0,
      latenessP99Ms: percentile(late, 0.99),
      workP50Ms: percentile(work, 0.5),
      workP99Ms: percentile(work, 0.99),
      meanIntervalMs: mean,
    };
  }
}

function push(values: number[], value: number, window: number): void {
  values.push(value);
  if (values.length > window) values.shift();
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}
