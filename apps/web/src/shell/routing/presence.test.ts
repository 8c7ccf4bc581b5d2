import { describe, expect, it } from "vitest";
import { formatDuration, presenceInfo, SETTABLE_PRESENCES } from "./presence.js";

describe("presence", () => {
  it("names every presence, and lets agents choose all but wrap-up", () => {
    expect(presenceInfo("wrap_up")).toMatchObject({ label: "Wrap-up", tone: "accent" });
    expect(presenceInfo("available").tone).toBe("success");
    expect(SETTABLE_PRESENCES.map((p) => p.value)).toEqual(["available", "busy", "away", "offline"]);
  });

  it("formats durations to the second", () => {
    expect(formatDuration(0)).toBe("0:00");
    expect(formatDuration(42.9)).toBe("0:42");
    expect(formatDuration(725)).toBe("12:05");
    expect(formatDuration(3723)).toBe("1:02:03");
    expect(formatDuration(-5)).toBe("0:00");
  });
});
