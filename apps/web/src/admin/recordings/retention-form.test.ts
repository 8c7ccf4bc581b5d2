import { describe, expect, it } from "vitest";
import { formFromRetention, retentionFromForm, retentionLabel, validateRetention } from "./retention-form.js";

describe("the retention form", () => {
  it("starts from the setting: for ever (a year suggested), or the days kept", () => {
    expect(formFromRetention(null)).toEqual({ keep: "forever", days: "365" });
    expect(formFromRetention(30)).toEqual({ keep: "days", days: "30" });
  });

  it("sends null for ever, else the number typed, range left to the server", () => {
    expect(retentionFromForm({ keep: "forever", days: "abc" })).toEqual({ retentionDays: null });
    expect(retentionFromForm({ keep: "days", days: " 90 " })).toEqual({ retentionDays: 90 });
    // 0 and 1.5 go out: the server answers which numbers it takes, at the field.
    expect(retentionFromForm({ keep: "days", days: "0" })).toEqual({ retentionDays: 0 });
    expect(retentionFromForm({ keep: "days", days: "1.5" })).toEqual({ retentionDays: 1.5 });
  });

  it("stops text that is no number: it would go out as null, keeping recordings for ever", () => {
    for (const days of ["", "  ", "ten", "1e3", "30d"]) {
      expect(retentionFromForm({ keep: "days", days })).toEqual({ error: "Enter a number of days." });
      expect(validateRetention({ keep: "days", days })).toEqual({ retentionDays: "Enter a number of days." });
    }
    expect(validateRetention({ keep: "forever", days: "" })).toEqual({});
    expect(validateRetention({ keep: "days", days: "7" })).toEqual({});
  });

  it("says the setting in words", () => {
    expect(retentionLabel(null)).toBe("Kept for ever");
    expect(retentionLabel(1)).toBe("Kept 1 day");
    expect(retentionLabel(30)).toBe("Kept 30 days");
  });
});
