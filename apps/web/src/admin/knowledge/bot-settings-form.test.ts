import type { BotSettings } from "@switchboard/protocol";
import { describe, expect, it } from "vitest";
import {
  formFromSettings,
  newIntent,
  routingFromForm,
  routingSummary,
  settingsFromForm,
  validateBotSettings,
} from "./bot-settings-form.js";

const settings: BotSettings = {
  synonyms: [
    ["bike", "bicycle"],
    ["refund", "money back", "reimbursement"],
  ],
  intents: [
    { name: "order_status", examples: ["where is my order", "track my parcel"], requiresAgent: true, needsVerification: true },
    { name: "opening_hours", examples: ["when are you open"], requiresAgent: false, needsVerification: false, reply: "9 to 6." },
  ],
  answerThreshold: 0.5,
  suggestThreshold: 0.25,
  maxMisunderstandings: 2,
};

describe("the bot settings form", () => {
  it("edits lists as lines of text and gives back the same settings", () => {
    const form = formFromSettings(settings);
    expect(form.synonyms).toBe("bike, bicycle\nrefund, money back, reimbursement");
    expect(form.intents[0]?.examples).toBe("where is my order\ntrack my parcel");
    expect(settingsFromForm(form)).toEqual(settings);
    expect(validateBotSettings(form)).toEqual({});
  });

  it("drops blank lines and spaces around words", () => {
    const form = { ...formFromSettings(settings), synonyms: " bike ,bicycle,, \n\n refund, money back \n" };
    expect(settingsFromForm(form).synonyms).toEqual([
      ["bike", "bicycle"],
      ["refund", "money back"],
    ]);
  });

  it("finds what the server would refuse", () => {
    const form = formFromSettings(settings);
    const errors = validateBotSettings({
      ...form,
      intents: [
        ...form.intents,
        { ...newIntent(), name: "Order Status" },
        { ...newIntent(), name: "order_status", examples: "x" },
        newIntent(),
      ],
      synonyms: "bike, bicycle\nlonely",
      answerThreshold: 1.5,
      suggestThreshold: 0.3,
      maxMisunderstandings: 0,
    });
    expect(errors["intents.2"]).toContain("lower-case");
    expect(errors["intents.3"]).toContain("another intent");
    expect(errors["intents.4"]).toContain("lower-case");
    expect(errors.synonyms).toContain("Line 2");
    expect(errors.answerThreshold).toBeDefined();
    expect(errors.maxMisunderstandings).toBeDefined();
    expect(validateBotSettings({ ...form, suggestThreshold: 0.6 }).suggestThreshold).toContain("less confidence");
    expect(validateBotSettings({ ...form, intents: [{ ...newIntent(), name: "billing" }] })["intents.0"]).toContain("example");
  });

  it("keeps an intent's routing through the editor, and saves only what was filled in", () => {
    const routed: BotSettings = {
      ...settings,
      intents: [
        {
          name: "billing",
          examples: ["my invoice is wrong"],
          requiresAgent: true,
          needsVerification: false,
          routing: { queue: "billing", priority: 2, requiredSkills: [{ skill: "billing", minLevel: 2 }] },
        },
        { name: "vip", examples: ["gold member"], requiresAgent: true, needsVerification: false, routing: { priority: 5 } },
      ],
    };
    const form = formFromSettings(routed);
    expect(form.intents[0]?.routing).toEqual({
      queue: "billing",
      priority: "2",
      requiredSkills: [{ skill: "billing", minLevel: "2" }],
    });
    expect(settingsFromForm(form)).toEqual(routed);
    expect(routingSummary(form.intents[0]?.routing ?? newIntent().routing)).toBe("→ billing · priority 2 · billing ≥ 2");

    // Blank rows and fields are dropped; nothing filled in is no routing at all.
    expect(routingFromForm({ queue: " ", priority: "", requiredSkills: [{ skill: " ", minLevel: "" }] })).toBeUndefined();
    expect(routingFromForm({ queue: " sales ", priority: "", requiredSkills: [] })).toEqual({ queue: "sales" });
    expect(routingSummary(newIntent().routing)).toBeUndefined();
  });

  it("finds routing the server would refuse", () => {
    const intent = { ...newIntent(), name: "billing", examples: "invoice" };
    const errorOf = (routing: Partial<typeof intent.routing>) =>
      validateBotSettings({
        ...formFromSettings(settings),
        intents: [{ ...intent, routing: { ...intent.routing, ...routing } }],
      })["intents.0.routing"];
    expect(errorOf({ priority: "11" })).toContain("Priority");
    expect(errorOf({ priority: "two" })).toContain("Priority");
    expect(errorOf({ requiredSkills: [{ skill: "", minLevel: "2" }] })).toContain("Skill 1");
    expect(errorOf({ requiredSkills: [{ skill: "billing", minLevel: "11" }] })).toContain("level");
    expect(
      errorOf({
        requiredSkills: [
          { skill: "billing", minLevel: "1" },
          { skill: "billing", minLevel: "2" },
        ],
      }),
    ).toContain("twice");
    expect(errorOf({ queue: "billing", priority: "10", requiredSkills: [{ skill: "billing", minLevel: "0" }] })).toBeUndefined();
  });
});
