import { describe, expect, it } from "vitest";
import { type ClassificationRule, classify, validateRules } from "./classify.js";

const rules: ClassificationRule[] = [
  {
    name: "Billing, verified",
    when: { intent: "billing", verified: true },
    queueId: "billing",
    priority: 3,
    requiredSkills: [{ skill: "billing", minLevel: 2 }],
  },
  {
    name: "Billing",
    when: { intent: ["billing", "refund"] },
    queueId: "billing",
    priority: 2,
    requiredSkills: [{ skill: "billing", minLevel: 2 }],
  },
  { name: "Calls from the shop", when: { entryQueue: "shop", channel: "voice" }, priority: 1 },
];

describe("routing: classification", () => {
  it("the first matching rule decides the queue, priority and skills", () => {
    expect(classify({ entryQueue: "general", intent: "billing", verified: true, channel: "chat" }, rules)).toEqual({
      queueId: "billing",
      priority: 3,
      requiredSkills: [{ skill: "billing", minLevel: 2 }],
      rule: "Billing, verified",
      reason: "classified by rule Billing, verified, intent billing, verified customer: priority 3, needs billing >= 2",
    });
    expect(classify({ entryQueue: "general", intent: "refund", verified: false, channel: "chat" }, rules)).toMatchObject({
      queueId: "billing",
      priority: 2,
      rule: "Billing",
    });
  });

  it("what a rule leaves out stays: the entry queue, the default priority", () => {
    expect(
      classify({ entryQueue: "shop", intent: null, verified: false, channel: "voice" }, rules, { priority: 0 }),
    ).toMatchObject({
      queueId: "shop",
      priority: 1,
      requiredSkills: [],
    });
    expect(classify({ entryQueue: "shop", intent: "hello", verified: false, channel: "chat" }, rules, { priority: -1 })).toEqual({
      queueId: "shop",
      priority: -1,
      requiredSkills: [],
      rule: null,
      reason: "no classification rule matched intent hello: the entry point's queue",
    });
  });

  it("validates rules before an admin saves them", () => {
    expect(() => validateRules(rules, (id) => id === "billing")).not.toThrow();
    expect(() =>
      validateRules(
        [
          {
            name: "",
            when: { channel: "fax" as never },
            queueId: "nope",
            priority: 1.5,
            requiredSkills: [{ skill: "", minLevel: -1 }],
          },
        ],
        () => false,
      ),
    ).toThrow(
      expect.objectContaining({
        code: "routing.rules_invalid",
        fields: [
          { field: "rules.0.name", message: "must not be empty" },
          { field: "rules.0.when.channel", message: "chat or voice" },
          { field: "rules.0.queueId", message: "no such queue" },
          { field: "rules.0.priority", message: "an integer, -1000 to 1000" },
          { field: "rules.0.requiredSkills.0.skill", message: "a skill label" },
          { field: "rules.0.requiredSkills.0.minLevel", message: "an integer, 0 to 100" },
        ],
      }),
    );
  });
});
