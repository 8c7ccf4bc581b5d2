import { describe, expect, it } from "vitest";
import { formatDate, formatRelative } from "./time.js";

const now = Date.parse("2025-06-10T12:00:00.000Z");
const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();

describe("formatRelative", () => {
  it("says how long ago, coarser as it gets older", () => {
    expect(formatRelative(ago(10), now)).toBe("just now");
    expect(formatRelative(ago(5 * 60), now)).toBe("5 min ago");
    expect(formatRelative(ago(3 * 3600), now)).toBe("3 h ago");
    expect(formatRelative(ago(30 * 3600), now)).toBe("yesterday");
    expect(formatRelative(ago(4 * 86400), now)).toBe("4 days ago");
    expect(formatRelative(ago(30 * 86400), now)).toBe(formatDate(ago(30 * 86400)));
  });

  it("shows nothing for a date it cannot read", () => {
    expect(formatRelative("yesterday-ish", now)).toBe("");
    expect(formatDate("nope")).toBe("");
  });
});
