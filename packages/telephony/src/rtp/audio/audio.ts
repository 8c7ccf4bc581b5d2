/** Narrowband telephone audio: 8 kHz, 16-bit signed, mono; 160 samples make one 20 ms frame. */
export const SAMPLE_RATE = 8000;
export const FRAME_SAMPLES = 160;
export const FRAME_MS = 20;

/** A sine at `frequency` Hz; `amplitude` is the peak on the 16-bit scale (8000 ≈ -12 dBFS). */
export function sineTone(frequency: number, durationMs: number, amplitude = 8000, phaseOffset = 0): Int16Array {
  const count = Math.round((durationMs * SAMPLE_RATE) / 1000);
  const out = new Int16Array(count);
  const step = (2 * Math.PI * frequency) / SAMPLE_RATE;
  for (let i = 0; i < count; i++) out[i] = Math.round(amplitude * Math.sin(step * (i + phaseOffset)));
  return out;
}

/** Sums signals sample by sample (the shortest length wins), clipping to 16 bits. */
export function mix(...signals: Int16Array[]): Int16Array {
  const length = Math.min(...signals.map((s) => s.length));
  const out = new Int16Array(length);
  for (let i = 0; i < length; i++) {
    let sum = 0;
    for (const signal of signals) sum += signal[i] as number;
    out[i] = Math.max(-32768, Math.min(32767, sum));
  }
  return out;
}

export function silence(durationMs: number): Int16Array {
  return new Int16Array(Math.round((durationMs * SAMPLE_RATE) / 1000));
}

export function concat(...signals: Int16Array[]): Int16Array {
  const out = new Int16Array(signals.reduce((n, s) => n + s.length, 0));
  let offset = 0;
  for (const signal of signals) {
    out.set(signal, offset);
    offset += signal.length;
  }
  return out;
}

/** Uniform white noise from a seeded generator (deterministic tests). */
export function whiteNoise(durationMs: number, amplitude: number, seed = 1): Int16Array {
  const out = new Int16Array(Math.round((durationMs * SAMPLE_RATE) / 1000));
  let state = seed >>> 0 || 1;
  for (let i = 0; i < out.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[i] = Math.round((((state >>> 0) / 0xffffffff) * 2 - 1) * amplitude);
  }
  return out;
}

/** Root mean square on the 16-bit scale. */
export function rms(samples: Int16Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  return Math.sqrt(sum / samples.length);
}

/** Level relative to a full-scale sine (0 dBFS); -Infinity for digital silence. */
export function dbfs(samples: Int16Array): number {
  const value = rms(samples);
  return value === 0 ? Number.NEGATIVE_INFINITY : 20 * Math.log10(value / (32767 / Math.SQRT2));
}

/** Power of one frequency in `samples` (Goertzel), normalized so a sine of peak A gives about A²/2. */
export function tonePower(samples: Int16Array, frequency: number): number {
  const coefficient = 2 * Math.cos((2 * Math.PI * frequency) / SAMPLE_RATE);
  let s1 = 0;
  let s2 = 0;
  for (const sample of samples) {
    const s0 = sample + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
  return (2 * power) / (samples.length * samples.length);
}

/** Splits a signal into 20 ms frames, the last one padded with silence. */
export function* frames(samples: Int16Array): Generator<Int16Array> {
  for (let offset = 0; offset < samples.length; offset += FRAME_SAMPLES) {
    const frame = samples.subarray(offset, offset + FRAME_SAMPLES);
    if (frame.length === FRAME_SAMPLES) yield frame;
    else {
      const padded = new Int16Array(FRAME_SAMPLES);
      padded.set(frame);
      yield padded;
    }
  }
}
