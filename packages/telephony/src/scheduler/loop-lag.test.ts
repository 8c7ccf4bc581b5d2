import { describe, expect, it } from "vitest";
import { LoopLag } from "./loop-lag.js";
import type { Scheduler } from "./scheduler.js";

/** An event loop run by hand: `run(late)` fires the pending timer `late` ms after it was due. */
function handLoop() {
  let time = 0;
  let pending: { at: number; task: () => void } | undefined;
  const scheduler: Scheduler = {
    now: () => time,
    schedule(delayMs, task) {
      const timer = { at: time + delayMs, task };
      pending = timer;
      return {
        cancel: () => {
          if (pending === timer) pending = undefined;
        },
      };
    },
  };
  return {
    scheduler,
    run(late: number) {
      const timer = pending;
      if (!timer) throw new Error("no timer pending");
      pending = undefined;
      time = timer.at + late;
      timer.task();
    },
    get pending() {
      return pending !== undefined;
    },
  };
}

describe("LoopLag", () => {
  it("says nothing before a full window, nor for a loop that is on time but for a few long pauses", () => {
    const loop = handLoop();
    const lag = new LoopLag({ scheduler: loop.scheduler }).start();
    for (let i = 0; i < 9; i++) loop.run(500);
    // Nine very late samples, but the window (ten) is not full yet.
    expect(lag.retryAfterSeconds()).toBeUndefined();
    for (let i = 0; i < 10; i++) loop.run(i % 3 === 0 ? 900 : 2);
    // Four pauses of 900 ms in ten samples: the median is 2 ms.
    expect(lag.medianMs).toBe(2);
    expect(lag.retryAfterSeconds()).toBeUndefined();
  });

  it("calls a loop that stays behind overloaded, asks for a longer pause the further behind, and recovers", () => {
    const loop = handLoop();
    const lag = new LoopLag({ scheduler: loop.scheduler }).start();
    for (let i = 0; i < 10; i++) loop.run(200);
    expect(lag.medianMs).toBe(200);
    expect(lag.retryAfterSeconds()).toBe(2);
    for (let i = 0; i < 10; i++) loop.run(4_000);
    expect(lag.retryAfterSeconds()).toBe(8);
    for (let i = 0; i < 10; i++) loop.run(60_000);
    expect(lag.retryAfterSeconds()).toBe(30);
    for (let i = 0; i < 6; i++) loop.run(1);
    expect(lag.retryAfterSeconds()).toBeUndefined();
    lag.stop();
    expect(loop.pending).toBe(false);
  });
});
