import { type Audio, SAMPLE_RATE } from "@switchboard/core";

export interface SilenceMarginOptions {
  /** Silence before the first and after the last sound (default 100 ms). */
  readonly marginMs?: number;
  /** A 10 ms frame whose RMS is below this is silence (default -50 dBFS). */
  readonly thresholdDbfs?: number;
}

const FRAME_SAMPLES = SAMPLE_RATE / 100;

/**
 * Leaves exactly `marginMs` of silence before the first sound and after the last one: trims what is
 * longer, pads what is shorter. espeak-ng starts speaking at its first sample and ends with a
 * sentence-final pause of about 300 ms; prompts are played back to back (a greeting, then a menu; digits
 * one by one), so uneven margins become dead air or words run together. Audio with no sound at all
 * becomes empty.
 */
export function withSilenceMargins(audio: Audio, options: SilenceMarginOptions = {}): Audio {
  const margin = Math.round(((options.marginMs ?? 100) * SAMPLE_RATE) / 1000);
  const threshold = 32768 * 10 ** ((options.thresholdDbfs ?? -50) / 20);

  const loud = (frameStart: number) => {
    const end = Math.min(audio.length, frameStart + FRAME_SAMPLES);
    let sum = 0;
    for (let i = frameStart; i < end; i++) sum += (audio[i] as number) ** 2;
    return sum > threshold * threshold * (end - frameStart);
  };

  let first = -1;
  for (let start = 0; start < audio.length; start += FRAME_SAMPLES) {
    if (loud(start)) {
      first = start;
      break;
    }
  }
  if (first < 0) return new Int16Array(0);
  let last = first;
  for (let start = Math.floor((audio.length - 1) / FRAME_SAMPLES) * FRAME_SAMPLES; start > first; start -= FRAME_SAMPLES) {
    if (loud(start)) {
      last = start;
      break;
    }
  }
  const soundEnd = Math.min(audio.length, last + FRAME_SAMPLES);
  const from = Math.max(0, first - margin);
  const to = Math.min(audio.length, soundEnd + margin);
  const out = new Int16Array(margin + (soundEnd - first) + margin);
  out.set(audio.subarray(from, to), margin - (first - from));
  return out;
}
