import type { BusinessHours } from "@switchboard/protocol";
import { describe, expect, it } from "vitest";
import {
  defaultBusinessHours,
  isOpenAt,
  isValidTimeZone,
  normalizeBusinessHours,
  summarizeBusinessHours,
  validateBusinessHours,
} from "./business-hours.js";

const weekdays: BusinessHours = defaultBusinessHours("Europe/Berlin");

describe("business hours", () => {
  it("starts from Monday to Friday, nine to five", () => {
    expect(weekdays.weekly).toEqual({
      1: [["09:00", "17:00"]],
      2: [["09:00", "17:00"]],
      3: [["09:00", "17:00"]],
      4: [["09:00", "17:00"]],
      5: [["09:00", "17:00"]],
    });
    expect(validateBusinessHours(weekdays)).toEqual({});
  });

  it("finds intervals that end before they start, overlap, or are not times, and unknown zones", () => {
    const errors = validateBusinessHours({
      timeZone: "Mars/Olympus",
      weekly: {
        1: [["17:00", "09:00"]],
        2: [
          ["12:00", "18:00"],
          ["09:00", "13:00"],
        ],
        3: [["9am", "5pm"]],
        4: [
          ["09:00", "12:00"],
          ["12:00", "17:00"],
        ],
      },
    });
    expect(Object.keys(errors).sort()).toEqual(["1", "2", "3", "timeZone"]);
    expect(errors[1]).toContain("ends before it starts");
    expect(errors[2]).toContain("overlap");
    expect(errors[3]).toContain("24-hour");
    expect(isValidTimeZone("America/New_York")).toBe(true);
  });

  it("saves intervals in order and leaves closed days out", () => {
    expect(
      normalizeBusinessHours({
        timeZone: " UTC ",
        weekly: {
          0: [],
          1: [
            ["13:00", "17:00"],
            ["08:00", "12:00"],
          ],
        },
      }),
    ).toEqual({
      timeZone: "UTC",
      weekly: {
        1: [
          ["08:00", "12:00"],
          ["13:00", "17:00"],
        ],
      },
    });
  });

  it("tells whether it is open at an instant, in the hours' own time zone", () => {
    // Monday 2025-06-02 07:30 UTC is 09:30 in Berlin (summer time).
    expect(isOpenAt(weekdays, new Date("2025-06-02T07:30:00Z"))).toBe(true);
    expect(isOpenAt(weekdays, new Date("2025-06-02T06:30:00Z"))).toBe(false);
    // 17:00 closes: the end is not included.
    expect(isOpenAt(weekdays, new Date("2025-06-02T15:00:00Z"))).toBe(false);
    // Saturday.
    expect(isOpenAt(weekdays, new Date("2025-06-07T10:00:00Z"))).toBe(false);
    expect(isOpenAt(null, new Date())).toBe(true);
    expect(isOpenAt({ timeZone: "Nowhere/Land", weekly: {} }, new Date())).toBeUndefined();
  });

  it("summarizes a week for a list", () => {
    expect(summarizeBusinessHours(null)).toBe("Always open");
    expect(summarizeBusinessHours(weekdays)).toBe("Mon–Fri 09:00–17:00");
    expect(
      summarizeBusinessHours({
        timeZone: "UTC",
        weekly: { 1: [["09:00", "17:00"]], 2: [["09:00", "17:00"]], 6: [["10:00", "14:00"]], 0: [["10:00", "14:00"]] },
      }),
    ).toBe("Mon–Tue 09:00–17:00; Sat–Sun 10:00–14:00");
    expect(summarizeBusinessHours({ timeZone: "UTC", weekly: {} })).toBe("Always closed");
  });
});
