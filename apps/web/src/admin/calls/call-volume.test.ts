import { describe, expect, it } from "vitest";
import { bucketLabel, callVolume, scale } from "./call-volume.js";

const at = (h: number, m = 0) => new Date(2025, 2, 3, h, m).toISOString();
const call = (startedAt: string, answered = true) => ({ startedAt, answeredAt: answered ? startedAt : null });

describe("callVolume", () => {
  it("counts calls per local hour, empty hours included, answered apart from not answered", () => {
    const volume = callVolume([call(at(9, 5)), call(at(9, 59), false), call(at(12, 30)), call(at(12, 31))], { minBars: 1 });
    expect(volume.hours).toBe(1);
    expect(volume.bars.map((b) => new Date(b.start).getHours())).toEqual([9, 10, 11, 12]);
    expect(volume.bars.map((b) => [b.answered, b.unanswered])).toEqual([
      [1, 1],
      [0, 0],
      [0, 0],
      [2, 0],
    ]);
    expect(volume.max).toBe(2);
  });

  it("is empty without calls; a page within a few hours shows the hours before it too", () => {
    expect(callVolume([])).toEqual({ hours: 1, bars: [], max: 0 });
    const volume = callVolume([call(at(14, 1)), call(at(14, 2))], { minBars: 6 });
    expect(volume.bars.map((b) => new Date(b.start).getHours())).toEqual([9, 10, 11, 12, 13, 14]);
    expect(volume.bars.at(-1)).toMatchObject({ answered: 2, unanswered: 0 });
  });

  it("widens the buckets when the page spans days, keeping them on the clock", () => {
    const calls = [call(new Date(2025, 2, 1, 7).toISOString()), call(new Date(2025, 2, 4, 22).toISOString())];
    const volume = callVolume(calls);
    expect(volume.hours).toBe(2);
    expect(volume.bars.length).toBeLessThanOrEqual(48);
    expect(new Date(volume.bars[0]?.start ?? 0).getHours()).toBe(6);
    const week = callVolume([call(new Date(2025, 0, 1).toISOString()), call(new Date(2025, 5, 1).toISOString())]);
    expect(week.hours).toBe(168);
    expect(week.bars.reduce((n, b) => n + b.answered, 0)).toBe(2);
  });
});

describe("scale", () => {
  it("counts one by one up to four, then in round steps", () => {
    expect(scale(0)).toEqual({ top: 1, ticks: [0, 1] });
    expect(scale(3)).toEqual({ top: 3, ticks: [0, 1, 2, 3] });
    expect(scale(7)).toEqual({ top: 8, ticks: [0, 2, 4, 6, 8] });
    expect(scale(37)).toEqual({ top: 40, ticks: [0, 10, 20, 30, 40] });
  });
});

describe("bucketLabel", () => {
  it("names the bucket size", () => {
    expect(bucketLabel(1)).toBe("per hour");
    expect(bucketLabel(6)).toBe("per 6 hours");
    expect(bucketLabel(24)).toBe("per day");
    expect(bucketLabel(48)).toBe("per 2 days");
    expect(bucketLabel(168)).toBe("per week");
  });
});
