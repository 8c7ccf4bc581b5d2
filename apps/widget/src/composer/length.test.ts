import { describe, expect, it } from "vitest";
import { canSend, lengthFeedback } from "./length.js";

describe("lengthFeedback", () => {
  it("stays quiet well below the limit", () => {
    expect(lengthFeedback("hello", 100)).toEqual({ length: 5, max: 100, showCounter: false, over: false, message: undefined });
  });

  it("shows the counter from 80% of the limit", () => {
    expect(lengthFeedback("x".repeat(79), 100).showCounter).toBe(false);
    expect(lengthFeedback("x".repeat(80), 100).showCounter).toBe(true);
    expect(lengthFeedback("x".repeat(100), 100).over).toBe(false);
  });

  it("says how much too long a draft is", () => {
    expect(lengthFeedback("x".repeat(101), 100).message).toBe("Your message is 1 character too long (the limit is 100).");
    expect(lengthFeedback("x".repeat(130), 100)).toMatchObject({
      over: true,
      message: "Your message is 30 characters too long (the limit is 100).",
    });
  });
});

describe("canSend", () => {
  it("needs text or a file, within the limit", () => {
    expect(canSend("  \n ", 0, 100)).toBe(false);
    expect(canSend("hi", 0, 100)).toBe(true);
    expect(canSend("", 1, 100)).toBe(true);
    expect(canSend("x".repeat(101), 1, 100)).toBe(false);
  });
});
