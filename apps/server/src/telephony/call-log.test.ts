import { type CallRecordStore, ManualClock, SequentialIds } from "@switchboard/core";
import { MemoryCallRecordStore } from "@switchboard/core/testing";
import { describe, expect, it } from "vitest";
import { CallLog } from "./call-log.js";

/** A store whose every write takes a few milliseconds, as a database's does. */
function slowStore(): CallRecordStore {
  const store = new MemoryCallRecordStore();
  const later = () => new Promise((resolve) => setTimeout(resolve, 5));
  return new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        if (!String(name).startsWith("get") && !String(name).startsWith("list")) await later();
        return value.apply(target, args);
      };
    },
  });
}

describe("CallLog", () => {
  it("drains: every write reported, those of calls that just ended included, is done when drain resolves", async () => {
    const calls = slowStore();
    const errors: unknown[] = [];
    const log = new CallLog({ calls, clock: new ManualClock(new Date("2026-11-27T10:00:00Z")), ids: new SequentialIds() }, (e) =>
      errors.push(e),
    );
    const ringing = log.start({ id: "call-1", tenantId: "t1", direction: "inbound", from: "+15550111", to: "+15550100" });
    ringing.answered();
    ringing.note("flow.started", { flow: "demo" });
    void ringing.ended("completed", { by: "caller", reason: "bye" });
    const going = log.start({ id: "call-2", tenantId: "t1", direction: "inbound", from: "+15550112", to: "+15550100" });
    going.note("flow.started", { flow: "demo" });
    // Nothing is written yet: the writes wait for the slow store.
    expect(await calls.getCall("t1", "call-1")).toBeUndefined();
    await log.drain();
    expect(await calls.getCall("t1", "call-1")).toMatchObject({ result: "completed" });
    expect((await calls.listCallEvents("t1", "call-1", 0, 10)).map((e) => e.type)).toContain("flow.started");
    expect(await calls.getCall("t1", "call-2")).toMatchObject({ result: null });
    expect((await calls.listCallEvents("t1", "call-2", 0, 10)).map((e) => e.type)).toContain("flow.started");
    expect(errors).toEqual([]);
    expect(log.activeCalls).toBe(1);
  });
});
