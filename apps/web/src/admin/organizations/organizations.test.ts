import type { AgentOrganization, Queue, User } from "@switchboard/protocol";
import { describe, expect, it } from "vitest";
import { organizationName, organizationNameError, organizationRows } from "./organizations.js";

const at = "2025-06-01T12:00:00.000Z";
const org = (id: string, name: string): AgentOrganization => ({ id, name, createdAt: at });
const queue = (id: string, name: string, organizationIds: string[]): Queue =>
  ({ id, name, organizationIds, createdAt: at, updatedAt: at }) as unknown as Queue;
const user = (id: string, organizationId: string | null): User => ({
  id,
  email: `${id}@example.com`,
  displayName: id,
  role: "agent",
  identityId: `idn-${id}`,
  organizationId,
  createdAt: at,
});

describe("the organizations list", () => {
  it("lists organizations by name with their queues by name and how many users each has", () => {
    const rows = organizationRows(
      [org("o2", "Teleperfect"), org("o1", "Callworks")],
      [queue("q1", "support", ["o2"]), queue("q2", "billing", ["o1", "o2"]), queue("q3", "vip", [])],
      [user("ann", "o2"), user("ben", "o2"), user("cy", null), user("di", "o1")],
    );
    expect(rows.map((r) => [r.organization.name, r.queues.map((q) => q.name), r.users])).toEqual([
      ["Callworks", ["billing"], 1],
      ["Teleperfect", ["billing", "support"], 2],
    ]);
  });

  it("names in-house users and organizations it does not know", () => {
    const known = [org("o1", "Callworks")];
    expect(organizationName(null, known)).toBe("In-house");
    expect(organizationName(undefined, known)).toBe("In-house");
    expect(organizationName("o1", known)).toBe("Callworks");
    expect(organizationName("o9", known)).toBe("o9");
  });

  it("checks a name as the server would", () => {
    expect(organizationNameError("  ")).toBeDefined();
    expect(organizationNameError("x".repeat(101))).toBeDefined();
    expect(organizationNameError("  Teleperfect ")).toBeUndefined();
  });
});
