import { describe, expect, it } from "vitest";
import { MediaClock } from "./media-clock.js";

/** A fake event loop whose timers fire `lateBy` ms late, like a busy Node process. */
function fakeLoop(lateBy: (n: number) => number) {
  let time = 0;
  let pending: { at: number; task: () => void } | undefined;
  let n = 0;
  return {
    now: () => time,
    setTimer: (task: () => void, delay: number) => {
      pending = { at: time + delay + lateBy(n++), task };
      return () => {
        pending = undefined;
      };
    },
    /** Time spent inside a listener (the media work of a tick). */
    spend(ms: number) {
      time += ms;
    },
    runUntil(end: number) {
      while (pending && pending.at <= end) {
        const { at, task } = pending;
        pending = undefined;
        time = at;
        task();
      }
      time = end;
    },
  };
}

describe("MediaClock", () => {
  it("tells its listeners when the tick they run for was due, also for catch-up ticks, and nothing between ticks", () => {
    const loop = fakeLoop((n) => (n === 2 ? 45 : 1));
    const clock = new MediaClock({ now: loop.now, setTimer: loop.setTimer });
    const seen: [number, number | undefined][] = [];
    clock.subscribe(() => seen.push([loop.now(), clock.tickDueAt()]));
    loop.runUntil(130);
    // The third timer fires 45 ms late (at 105): ticks 3, 4 and 5 run back to back, each with its own due time.
    expect(seen).toEqual([
      [21, 20],
      [41, 40],
      [105, 60],
      [105, 80],
      [105, 100],
      [121, 120],
    ]);
    expect(clock.tickDueAt()).toBeUndefined();
    clock.stop();
  });

  it("measures how long each tick's listeners take", () => {
    const loop = fakeLoop(() => 0);
    const clock = new MediaClock({ now: loop.now, setTimer: loop.setTimer });
    let n = 0;
    clock.subscribe(() => loop.spend(n++ % 10 === 9 ? 12 : 2));
    loop.runUntil(2_000);
    const stats = clock.stats();
    expect(stats.workP50Ms).toBe(2);
    expect(stats.workP99Ms).toBe(12);
    clock.stop();
  });

  it("does not drift when every timer fires late: ticks stay on the absolute schedule", () => {
    const loop = fakeLoop(() => 3);
    const clock = new MediaClock({ now: loop.now, setTimer: loop.setTimer });
    const fired: number[] = [];
    clock.subscribe(() => fired.push(loop.now()));
    loop.runUntil(10_000);
    // 500 ticks in 10 s, each 3 ms late but never later: a chained setTimeout would have done 434.
    expect(fired.length).toBe(499);
    expect(fired[fired.length - 1]).toBe(9_983);
    const stats = clock.stats();
    expect(stats.jitterMaxMs).toBe(0);
    expect(stats.meanIntervalMs).toBe(20);
    expect(stats.latenessP99Ms).toBe(3);
  });

  it("catches up on a short stall with back-to-back ticks and skips ahead after a long one", () => {
    const loop = fakeLoop((n) => (n === 10 ? 75 : n === 20 ? 1_000 : 0));
    const clock = new MediaClock({ now: loop.now, setTimer: loop.setTimer, maxCatchUpTicks: 5 });
    const ticks: number[] = [];
    clock.subscribe((tick) => ticks.push(tick));
    loop.runUntil(2_000);
    expect(ticks.slice(9, 16)).toEqual([10, 11, 12, 13, 14, 15, 16]);
    expect(new Set(ticks).size).toBe(ticks.length);
    expect(clock.stats().skipped).toBeGreaterThan(40);
  });

  it("stops when the last listener leaves, and survives a throwing listener", () => {
    const loop = fakeLoop(() => 0);
    const clock = new MediaClock({ now: loop.now, setTimer: loop.setTimer });
    let calls = 0;
    const bad = clock.subscribe(() => {
      throw new Error("broken stream");
    });
    const good = clock.subscribe(() => calls++);
    loop.runUntil(100);
    expect(calls).toBe(5);
    bad();
    good();
    expect(clock.running).toBe(false);
  });
});
