import type { RoutingLogEntry } from "@switchboard/protocol";
import { describe, expect, it } from "vitest";
import { describeRoutingEntry, describeTarget, type RoutingNames } from "./routing-log.js";

const names: RoutingNames = {
  queues: new Map([
    ["q1", "support"],
    ["q2", "billing"],
  ]),
  workers: new Map([["w1", "Ann"]]),
};

let position = 0;
const entry = (type: string, data: Record<string, unknown>, reason = "because"): RoutingLogEntry => ({
  position: ++position,
  type,
  at: "2025-06-01T12:00:00.000Z",
  reason,
  data,
});

describe("the routing log in words", () => {
  it("tells what happened, with the engine's reason", () => {
    const queued = describeRoutingEntry(
      entry(
        "job.queued",
        { queueId: "q2", priority: 2, requiredSkills: [{ skill: "billing", minLevel: 2 }], previousQueueId: null },
        "handed off by the bot (intent requires agent); no available agent in billing has billing >= 2",
      ),
      names,
    );
    expect(queued).toEqual({
      title: "Queued in billing at priority 2",
      reason: "handed off by the bot (intent requires agent); no available agent in billing has billing >= 2",
      detail: "Needs billing ≥ 2.",
      tone: "accent",
    });
    expect(describeRoutingEntry(entry("job.queued", { queueId: "q1", priority: 0, previousQueueId: "q2" }), names).title).toBe(
      "Moved to support",
    );
    expect(describeRoutingEntry(entry("offer.issued", { workerId: "w1", directed: false }), names).title).toBe("Offered to Ann");
    expect(describeRoutingEntry(entry("offer.issued", { workerId: "w1", directed: true }), names).title).toBe(
      "Offered to Ann by name",
    );
    expect(describeRoutingEntry(entry("offer.declined", { workerId: "w1" }), names)).toMatchObject({
      title: "Ann declined",
      tone: "warning",
    });
    expect(describeRoutingEntry(entry("offer.expired", { workerId: "w9" }), names).title).toBe("Offer to w9 expired");
    expect(describeRoutingEntry(entry("job.assigned", { workerId: "w1", waitedMs: 83_000 }), names)).toMatchObject({
      title: "Assigned to Ann",
      detail: "Waited 1 min 23 s.",
      tone: "success",
    });
    expect(
      describeRoutingEntry(
        entry("job.exception", { queueId: "q1", kind: "no_agents", target: { kind: "leave_message" } }),
        names,
      ),
    ).toMatchObject({ title: "No agents exception in support", detail: undefined, tone: "danger" });
    expect(describeRoutingEntry(entry("job.exception", { queueId: "q1", kind: "no_agents", target: null }), names).tone).toBe(
      "warning",
    );
    expect(
      describeRoutingEntry(entry("job.redirected", { queueId: "q1", target: { kind: "end", message: "Sorry." } }), names).title,
    ).toBe("Redirected: end the conversation: “Sorry.”");
    expect(describeRoutingEntry(entry("job.reclassified", { to: { queueId: "q2" } }), names).title).toBe(
      "Reclassified to billing",
    );
    expect(describeRoutingEntry(entry("job.transferred", { target: { kind: "worker", workerId: "w1" } }), names).title).toBe(
      "Transferred to Ann",
    );
    expect(describeRoutingEntry(entry("worker.something_new", {}), names).title).toBe("worker.something_new");
  });

  it("names every kind of target, and kinds it does not know yet by their name", () => {
    expect(describeTarget(null, names)).toBe("stay in the queue");
    expect(describeTarget({ kind: "queue", queueId: "q9" }, names)).toBe("queue q9");
    expect(describeTarget({ kind: "external_number", number: "+15550100" }, names)).toBe("the number +15550100");
    expect(describeTarget({ kind: "auto_attendant", autoAttendantId: "a1" }, names)).toBe("auto attendant");
  });
});
