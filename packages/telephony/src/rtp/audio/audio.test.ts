import { describe, expect, it } from "vitest";
import { concat, dbfs, frames, mix, rms, silence, sineTone, tonePower, whiteNoise } from "./audio.js";

describe("audio helpers", () => {
  it("measures the level and the power at one frequency", () => {
    const tone = sineTone(440, 1000, 8000);
    expect(tone.length).toBe(8000);
    expect(rms(tone)).toBeCloseTo(8000 / Math.SQRT2, -1);
    expect(dbfs(tone)).toBeCloseTo(-12.2, 0);
    expect(dbfs(silence(20))).toBe(Number.NEGATIVE_INFINITY);
    expect(tonePower(tone, 440) / (8000 ** 2 / 2)).toBeCloseTo(1, 1);
    expect(tonePower(tone, 1000) / (8000 ** 2 / 2)).toBeLessThan(0.001);
  });

  it("mixes, concatenates, makes noise and cuts frames", () => {
    expect([...mix(new Int16Array([30000, -5]), new Int16Array([30000, 5, 9]))]).toEqual([32767, 0]);
    expect(concat(silence(20), sineTone(100, 20)).length).toBe(320);
    expect(whiteNoise(20, 1000, 3)).toEqual(whiteNoise(20, 1000, 3));
    expect([...frames(new Int16Array(330))].map((f) => f.length)).toEqual([160, 160, 160]);
  });
});
