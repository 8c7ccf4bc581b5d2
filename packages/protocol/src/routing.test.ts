import { describe, expect, it } from "vitest";
import { QueueInput, QueuePatch } from "./routing.js";

describe("queue schemas", () => {
  it("fills in a new queue's defaults, among them no organizations (in-house only)", () => {
    expect(QueueInput.parse({ name: "support" })).toMatchObject({ alertSeconds: 30, wrapUpSeconds: 30, organizationIds: [] });
  });

  it("leaves out of a patch what it does not name, so the queue keeps it", () => {
    // zod's partial() keeps defaults: a patch of one field would have reset every other to its default.
    expect(QueuePatch.parse({ wrapUpSeconds: 0 })).toEqual({ wrapUpSeconds: 0 });
    expect(QueuePatch.parse({ organizationIds: ["org-1"] })).toEqual({ organizationIds: ["org-1"] });
    expect(QueuePatch.parse({})).toEqual({});
    expect(QueuePatch.safeParse({ alertSeconds: 5 }).success).toBe(false);
    expect(QueuePatch.shape.alertSeconds.description).toBe(QueueInput.shape.alertSeconds.description);
  });
});
