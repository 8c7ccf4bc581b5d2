import { describe, expect, it } from "vitest";
import { recordMessage, shorten } from "./state.js";
import { handoffSummary, SUMMARY_LENGTH } from "./summary.js";

describe("handoffSummary", () => {
  it("says who, whether verified, the intent, why, and what the customer said", () => {
    expect(
      handoffSummary({
        reason: "intent_requires_agent",
        intent: "order_status",
        verified: true,
        customerName: "Ada Lovelace",
        transcript: ["Where is my bike?", "It was due on Monday"],
      }),
    ).toBe(
      'Ada Lovelace (verified). Intent: order status. Handoff: needs an agent. Said: "Where is my bike?" / "It was due on Monday"',
    );
    expect(
      handoffSummary({ reason: "customer_request", intent: null, verified: false, customerName: null, transcript: [] }),
    ).toBe("Customer (not verified). Intent: unknown. Handoff: asked for a person.");
    expect(
      handoffSummary({ reason: "not_understood", intent: null, verified: true, customerName: null, transcript: ["?"] }),
    ).toBe('Customer (verified). Intent: unknown. Handoff: the bot did not understand. Said: "?"');
  });

  it("stays within 300 characters, keeping the first and the latest messages", () => {
    const transcript = [
      "My e-bike's battery stopped charging after two weeks and the display shows error 21",
      "I already tried another charger and another socket",
      "It was bought in your shop in March",
      "I need it for commuting, this is urgent",
      "Can someone call me back today?",
    ];
    const summary = handoffSummary({
      reason: "customer_request",
      intent: "complaint",
      verified: false,
      customerName: null,
      transcript,
    });
    expect(summary.length).toBeLessThanOrEqual(SUMMARY_LENGTH);
    expect(summary).toBe(
      'Customer (not verified). Intent: complaint. Handoff: asked for a person. Said: "My e-bike\'s battery stopped charging after two weeks and the display shows error 21" / … / "It was bought in your shop in March" / "I need it for commuting, this is urgent" / "Can someone call me back today?"',
    );
  });

  it("shortens very long messages", () => {
    const summary = handoffSummary({
      reason: "not_understood",
      intent: null,
      verified: false,
      customerName: null,
      transcript: ["x".repeat(500), "y ".repeat(300)],
    });
    expect(summary.length).toBeLessThanOrEqual(SUMMARY_LENGTH);
    expect(summary).toContain("…");
  });
});

describe("transcript helpers", () => {
  it("shortens at a word boundary with an ellipsis", () => {
    expect(shorten("  hello   world  ", 20)).toBe("hello world");
    expect(shorten("the quick brown fox jumps", 12)).toBe("the quick…");
    expect(shorten("abcdefghij", 5)).toBe("abcd…");
  });

  it("keeps the first message and the latest five", () => {
    let transcript: string[] = [];
    for (let i = 1; i <= 8; i++) transcript = recordMessage(transcript, `m${i}`);
    expect(transcript).toEqual(["m1", "m4", "m5", "m6", "m7", "m8"]);
    expect(recordMessage(["a"], "   ")).toEqual(["a"]);
  });
});
