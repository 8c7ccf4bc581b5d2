import { describe, expect, it } from "vitest";
import { FRAME_SAMPLES } from "../rtp/audio/audio.js";
import { PlayoutBuffer } from "./playout-buffer.js";

/** Samples numbered from `start`, so that a test can see exactly which ones came out. */
const ramp = (start: number, length: number) => Int16Array.from({ length }, (_, i) => start + i);

describe("PlayoutBuffer", () => {
  it("gives one 20 ms frame per take, in order, and nothing while less than a frame waits", () => {
    const buffer = new PlayoutBuffer();
    expect(buffer.take()).toBeUndefined();
    buffer.push(ramp(0, 100));
    expect(buffer.take()).toBeUndefined();
    buffer.push(ramp(100, 300));
    expect([...(buffer.take() ?? [])]).toEqual([...ramp(0, FRAME_SAMPLES)]);
    expect(buffer.take()?.[0]).toBe(160);
    expect(buffer.buffered).toBe(80);
    expect(buffer.stats.underruns).toBe(1);
  });

  it("keeps every sample in order across many turns of its ring, whatever the packet sizes", () => {
    const buffer = new PlayoutBuffer({ maxFrames: 3 });
    let next = 0;
    let expected = 0;
    for (const size of [70, 230, 160, 90, 250, 30, 160, 199, 121, 80, 240, 160, 33, 287].flatMap((n) => [n, n])) {
      buffer.push(ramp(next, size));
      next += size;
      for (let frame = buffer.take(); frame; frame = buffer.take()) {
        expect([...frame]).toEqual([...ramp(expected, FRAME_SAMPLES)]);
        expected += FRAME_SAMPLES;
      }
    }
    expect(buffer.stats.overflowed).toBe(0);
    expect(expected).toBeGreaterThan(10 * FRAME_SAMPLES);
  });

  it("settles into a steady flow with 30 ms packets after a single underrun", () => {
    const buffer = new PlayoutBuffer();
    const heard: boolean[] = [];
    let next = 0;
    // Packets of 240 samples at 0, 30, 60 … ms; ticks at 0, 20, 40 … ms; over 1.2 s.
    for (let ms = 0; ms < 1_200; ms += 10) {
      if (ms % 30 === 0) {
        buffer.push(ramp(next, 240));
        next += 240;
      }
      if (ms % 20 === 0) heard.push(buffer.take() !== undefined);
    }
    expect(heard.filter((h) => !h)).toHaveLength(1);
    expect(buffer.stats.trimmed).toBe(0);
  });

  it("drops the oldest audio beyond its capacity, and trims a standing delay after a burst", () => {
    const buffer = new PlayoutBuffer({ maxFrames: 4, trimWindowTicks: 10 });
    buffer.push(ramp(0, 6 * FRAME_SAMPLES));
    expect(buffer.stats.overflowed).toBe(2 * FRAME_SAMPLES);
    expect(buffer.take()?.[0]).toBe(2 * FRAME_SAMPLES);

    const steady = new PlayoutBuffer({ trimWindowTicks: 10 });
    // A burst of five frames, then one frame per tick: the delay stands at five frames until the tenth tick.
    steady.push(ramp(0, 5 * FRAME_SAMPLES));
    let sample = 5 * FRAME_SAMPLES;
    for (let tick = 0; tick < 9; tick++) {
      expect(steady.take()).toBeDefined();
      steady.push(ramp(sample, FRAME_SAMPLES));
      sample += FRAME_SAMPLES;
    }
    expect(steady.stats.trimmed).toBe(0);
    steady.take();
    // Trimmed back to two frames waiting (one to play, one spare).
    expect(steady.stats.trimmed).toBe(3 * FRAME_SAMPLES);
    expect(steady.buffered).toBe(FRAME_SAMPLES);
  });
});
