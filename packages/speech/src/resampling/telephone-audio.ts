import { type Audio, SAMPLE_RATE } from "@switchboard/core";
import { resample } from "./resampler.js";

/**
 * Brings any decoded audio to what the media ports carry: 8 kHz, mono, 16-bit. Samples come in as floats
 * on a -1 … 1 scale so that every source format (8-bit, 24-bit, float, G.711) meets the resampler the same
 * way and is rounded to 16 bits only once, at the end.
 */
export function toTelephoneAudio(channels: readonly Float32Array[], sampleRate: number): Audio {
  return floatToPcm16(resample(downmix(channels), sampleRate, SAMPLE_RATE));
}

/** The average of the channels: a phone has one ear, and averaging cannot clip. */
export function downmix(channels: readonly Float32Array[]): Float32Array {
  const [first, ...others] = channels;
  if (!first) return new Float32Array(0);
  if (others.length === 0) return first;
  const mono = first.slice();
  for (const channel of others) {
    for (let i = 0; i < mono.length; i++) mono[i] = (mono[i] as number) + (channel[i] ?? 0);
  }
  const scale = 1 / channels.length;
  for (let i = 0; i < mono.length; i++) mono[i] = (mono[i] as number) * scale;
  return mono;
}

/** -1 … 1 floats to 16-bit samples, clipping what the filter's overshoot pushed past full scale. */
export function floatToPcm16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    // An Int16Array wraps out-of-range values around; clipping is the lesser distortion.
    out[i] = Math.max(-32768, Math.min(32767, Math.round((samples[i] as number) * 32768)));
  }
  return out;
}

export function pcm16ToFloat(samples: Int16Array): Float32Array {
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = (samples[i] as number) / 32768;
  return out;
}
