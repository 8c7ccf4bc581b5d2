import { describe, expect, it } from "vitest";
import { ManualScheduler, systemScheduler } from "./scheduler.js";

describe("ManualScheduler", () => {
  it("fires due timers in time order, including timers scheduled while advancing", () => {
    const scheduler = new ManualScheduler();
    const fired: string[] = [];
    scheduler.schedule(500, () => {
      fired.push(`a@${scheduler.now()}`);
      scheduler.schedule(500, () => fired.push(`c@${scheduler.now()}`));
    });
    scheduler.schedule(700, () => fired.push(`b@${scheduler.now()}`));
    const cancelled = scheduler.schedule(600, () => fired.push("never"));
    cancelled.cancel();
    scheduler.advance(999);
    expect(fired).toEqual(["a@500", "b@700"]);
    scheduler.advance(1);
    expect(fired).toEqual(["a@500", "b@700", "c@1000"]);
    expect(scheduler.pending).toBe(0);
  });

  it("the system scheduler runs tasks on the event loop", async () => {
    const done = await new Promise<boolean>((resolve) => systemScheduler.schedule(1, () => resolve(true)));
    expect(done).toBe(true);
    const handle = systemScheduler.schedule(1, () => {
      throw new Error("cancelled timers do not fire");
    });
    handle.cancel();
  });
});
