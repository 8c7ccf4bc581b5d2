import type { SupervisorLive } from "@switchboard/protocol";
import { describe, expect, it } from "vitest";
import { canPickOrganization, longestWaitNow, niceCeiling, serviceLevel, sortAgents, ticks, totals, waitTone } from "./live.js";

const at = "2025-06-01T12:00:00.000Z";
const t0 = Date.parse(at);
const none = { available: 0, busy: 0, away: 0, wrap_up: 0, offline: 0 };

const live: SupervisorLive = {
  at,
  queues: [
    {
      id: "q1",
      name: "support",
      waiting: 3,
      longestWaitSeconds: 40,
      serviceLevel: 0.9,
      agents: { ...none, available: 1, busy: 1 },
    },
    { id: "q2", name: "billing", waiting: 0, longestWaitSeconds: 0, serviceLevel: 0.5, agents: { ...none, away: 1 } },
    { id: "q3", name: "returns", waiting: 1, longestWaitSeconds: 5, serviceLevel: null, agents: none },
  ],
  agents: [
    { id: "a1", name: "Grace", presence: "busy", load: 2, capacity: 4 },
    { id: "a2", name: "Alan", presence: "available", load: 1, capacity: 4 },
    { id: "a3", name: "Ada", presence: "offline", load: 0, capacity: 4 },
    { id: "a4", name: "Barbara", presence: "available", load: 0, capacity: 2 },
  ],
};

describe("the supervisor's live view", () => {
  it("keeps the longest wait running between snapshots, and at zero for an empty queue", () => {
    const [support, billing] = live.queues;
    if (!support || !billing) throw new Error("fixture");
    expect(longestWaitNow(support, at, t0)).toBe(40);
    expect(longestWaitNow(support, at, t0 + 7500)).toBe(47.5);
    expect(longestWaitNow(support, at, t0 - 1000)).toBe(40);
    expect(longestWaitNow(billing, at, t0 + 7500)).toBe(0);
  });

  it("adds up queues and agents; offline agents bring no capacity", () => {
    expect(totals(live, t0 + 2000)).toEqual({
      waiting: 4,
      longestWaitSeconds: 42,
      serviceLevel: 0.7,
      agents: { available: 2, busy: 1, away: 0, wrap_up: 0, offline: 1 },
      load: 3,
      capacity: 10,
    });
    expect(totals({ at, queues: [], agents: [] }, t0)).toMatchObject({
      waiting: 0,
      longestWaitSeconds: 0,
      serviceLevel: null,
      capacity: 0,
    });
  });

  it("reads service levels and waits against their targets", () => {
    expect(serviceLevel(0.856)).toEqual({ label: "86%", tone: "success" });
    expect(serviceLevel(0.65)).toEqual({ label: "65%", tone: "warning" });
    expect(serviceLevel(0.2).tone).toBe("danger");
    expect(serviceLevel(null)).toEqual({ label: "—", tone: "neutral" });
    expect([10, 45, 300].map(waitTone)).toEqual(["neutral", "warning", "danger"]);
  });

  it("scales a chart to a round number", () => {
    expect([0, 3, 5, 6, 11, 20, 21, 99, 140].map(niceCeiling)).toEqual([5, 5, 5, 10, 20, 20, 50, 100, 200]);
    expect(ticks(0)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(ticks(7)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(ticks(18)).toEqual([0, 4, 8, 12, 16, 20]);
    expect(ticks(33)).toEqual([0, 10, 20, 30, 40, 50]);
    expect(ticks(150)).toEqual([0, 40, 80, 120, 160, 200]);
  });

  it("lists agents who can take work first", () => {
    expect(sortAgents(live.agents).map((a) => a.name)).toEqual(["Alan", "Barbara", "Grace", "Ada"]);
  });

  it("lets admins and in-house supervisors pick an organization's view, and an outsourced supervisor not", () => {
    expect(canPickOrganization({ role: "admin", organizationId: null })).toBe(true);
    expect(canPickOrganization({ role: "supervisor", organizationId: null })).toBe(true);
    expect(canPickOrganization({ role: "supervisor" })).toBe(true);
    expect(canPickOrganization({ role: "supervisor", organizationId: "org-1" })).toBe(false);
    expect(canPickOrganization({ role: "agent", organizationId: null })).toBe(false);
  });
});
