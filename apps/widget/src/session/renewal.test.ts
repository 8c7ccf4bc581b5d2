import { describe, expect, it } from "vitest";
import { isStale, renewalDelay } from "./renewal.js";

describe("renewalDelay", () => {
  const now = Date.parse("2025-03-12T10:00:00Z");
  const inMinutes = (m: number) => new Date(now + m * 60_000).toISOString();

  it("renews a minute before expiry", () => {
    expect(renewalDelay(inMinutes(60), now)).toBe(59 * 60_000);
  });

  it("renews a short-lived token at 80% of its life", () => {
    expect(renewalDelay(inMinutes(2), now)).toBe(96_000);
    expect(renewalDelay(inMinutes(1), now)).toBe(48_000);
  });

  it("never schedules sooner than five seconds (an expired or malformed time)", () => {
    expect(renewalDelay(inMinutes(-5), now)).toBe(5000);
    expect(renewalDelay("soon", now)).toBe(5000);
  });
});

describe("isStale", () => {
  it("is true within 15 s of expiry", () => {
    const now = Date.parse("2025-03-12T10:00:00Z");
    expect(isStale("2025-03-12T10:00:20Z", now)).toBe(false);
    expect(isStale("2025-03-12T10:00:10Z", now)).toBe(true);
  });
});
