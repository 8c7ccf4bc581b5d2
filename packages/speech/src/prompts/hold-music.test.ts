import { SAMPLE_RATE } from "@switchboard/core";
import { describe, expect, it } from "vitest";
import { holdMusic } from "./hold-music.js";

describe("the default hold music", () => {
  const music = holdMusic();

  it("is ten seconds at 8 kHz, loud enough to hear and never clipping", () => {
    expect(music.length / SAMPLE_RATE).toBeCloseTo(10, 0);
    let peak = 0;
    let energy = 0;
    for (const s of music) {
      peak = Math.max(peak, Math.abs(s));
      energy += s * s;
    }
    expect(peak).toBeLessThanOrEqual(13_000);
    expect(peak).toBeGreaterThan(12_000);
    // Music throughout, not a beep in silence: the RMS of every half second is well above silence.
    for (let start = 0; start + 4_000 <= music.length; start += 4_000) {
      let part = 0;
      for (let i = start; i < start + 4_000; i++) part += (music[i] as number) ** 2;
      expect(Math.sqrt(part / 4_000)).toBeGreaterThan(500);
    }
    expect(Math.sqrt(energy / music.length)).toBeGreaterThan(1_500);
  });

  it("loops without a click: the step from the last sample to the first is like any other step", () => {
    let largest = 0;
    for (let i = 1; i < music.length; i++) largest = Math.max(largest, Math.abs((music[i] as number) - (music[i - 1] as number)));
    const seam = Math.abs((music[0] as number) - (music.at(-1) as number));
    expect(seam).toBeLessThanOrEqual(largest);
  });
});
