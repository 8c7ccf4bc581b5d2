import { FRAME_SAMPLES, rms, tonePower } from "../src/index.js";

/**
 * Share of the power of `samples` at `frequency`, summed frame by frame: a tone switched on and off (a beep,
 * music with pauses, a window that starts before the tone arrives) still counts whole, which a single Goertzel
 * over the window would not.
 */
export function toneShare(samples: Int16Array, frequency: number): number {
  let tone = 0;
  let total = 0;
  for (let offset = 0; offset + FRAME_SAMPLES <= samples.length; offset += FRAME_SAMPLES) {
    const frame = samples.subarray(offset, offset + FRAME_SAMPLES);
    tone += tonePower(frame, frequency);
    total += rms(frame) ** 2;
  }
  return total === 0 ? 0 : tone / total;
}

/** How long `samples` is louder than `minRms` (default 1,000, about -27 dBFS), in whole 20 ms frames. */
export function loudMs(samples: Int16Array, minRms = 1_000): number {
  let frames = 0;
  for (let offset = 0; offset + FRAME_SAMPLES <= samples.length; offset += FRAME_SAMPLES) {
    if (rms(samples.subarray(offset, offset + FRAME_SAMPLES)) > minRms) frames++;
  }
  return frames * 20;
}
