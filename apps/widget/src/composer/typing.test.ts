import { describe, expect, it } from "vitest";
import { TypingThrottle } from "./typing.js";

describe("TypingThrottle", () => {
  it("lets one signal through per interval", () => {
    const throttle = new TypingThrottle(3000);
    const sent = [0, 500, 2999, 3000, 4000, 6100, 6200].filter((t) => throttle.shouldSend(t));
    expect(sent).toEqual([0, 3000, 6100]);
  });

  it("signals again at once after a reset (a message was sent)", () => {
    const throttle = new TypingThrottle(3000);
    expect(throttle.shouldSend(1000)).toBe(true);
    throttle.reset();
    expect(throttle.shouldSend(1200)).toBe(true);
    expect(throttle.shouldSend(1300)).toBe(false);
  });
});
