/** A pending timer; cancelling twice, or after it fired, does nothing. */
export interface TimerHandle {
  cancel(): void;
}

/**
 * Where protocol timers come from (SIP timers A to K, the 2xx retransmission of a UAS, dialog expiries).
 * Injected so that tests drive time by hand instead of waiting; media pacing uses its own clock.
 */
export interface Scheduler {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  schedule(delayMs: number, task: () => void): TimerHandle;
}

/** Timers of the Node event loop, on the monotonic `performance.now()` clock. */
export const systemScheduler: Scheduler = {
  now: () => performance.now(),
  schedule(delayMs, task) {
    const timer = setTimeout(task, Math.max(0, delayMs));
    return { cancel: () => clearTimeout(timer) };
  },
};

interface ManualTimer {
  readonly at: number;
  readonly order: number;
  readonly task: () => void;
  cancelled: boolean;
}

/** Time that moves only when told to: `advance(32_000)` fires every timer due, in order, without waiting. */
export class ManualScheduler implements Scheduler {
  private current = 0;
  private order = 0;
  private timers: ManualTimer[] = [];

  now(): number {
    return this.current;
  }

  schedule(delayMs: number, task: () => void): TimerHandle {
    const timer: ManualTimer = { at: this.current + Math.max(0, delayMs), order: this.order++, task, cancelled: false };
    this.timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  /** Moves time forward, firing due timers one by one (timers they schedule fire too when due). */
  advance(ms: number): void {
    const until = this.current + ms;
    for (;;) {
      this.timers = this.timers.filter((t) => !t.cancelled);
      let next: ManualTimer | undefined;
      for (const timer of this.timers) {
        if (
          timer.at <= until &&
          (next === undefined || timer.at < next.at || (timer.at === next.at && timer.order < next.order))
        ) {
          next = timer;
        }
      }
      if (next === undefined) break;
      this.current = Math.max(this.current, next.at);
      next.cancelled = true;
      next.task();
    }
    this.current = until;
  }

  /** Timers still waiting to fire. */
  get pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }
}
