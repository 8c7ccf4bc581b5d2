import { type Audio, DomainError, SAMPLE_RATE } from "@switchboard/core";

/** The longest tone or silence a prompt may ask for: hold music and ring-back loop, they are not long. */
export const MAX_GENERATED_MS = 60_000;
/** Up to eight frequencies: enough for any call-progress tone or chord, few enough to keep the level sane. */
export const MAX_TONE_FREQUENCIES = 8;
/** Peak of each frequency, about -13 dBFS: the level of a dial tone, well below clipping for a pair. */
const TONE_AMPLITUDE = 7_000;
/** The sum of all frequencies stays under this peak, however many there are. */
const MAX_TOTAL_AMPLITUDE = 28_000;
/** Ramps at both ends: a tone that starts or stops at full level clicks. */
const FADE_MS = 10;

/** A sum of sines at `frequencies` Hz, faded in and out over 10 ms (less for very short tones). */
export function renderTone(frequencies: readonly number[], durationMs: number): Audio {
  if (!Array.isArray(frequencies) || frequencies.length === 0 || frequencies.length > MAX_TONE_FREQUENCIES) {
    throw invalidTone(`A tone has 1 to ${MAX_TONE_FREQUENCIES} frequencies.`);
  }
  for (const frequency of frequencies) {
    if (typeof frequency !== "number" || !(frequency > 0 && frequency < SAMPLE_RATE / 2)) {
      throw invalidTone(`A tone's frequencies are between 0 and ${SAMPLE_RATE / 2} Hz (exclusive), not ${String(frequency)}.`);
    }
  }
  const samples = sampleCount(durationMs);
  const amplitude = Math.min(TONE_AMPLITUDE, MAX_TOTAL_AMPLITUDE / frequencies.length);
  const steps = frequencies.map((frequency) => (2 * Math.PI * frequency) / SAMPLE_RATE);
  const fade = Math.min(Math.round((FADE_MS * SAMPLE_RATE) / 1000), Math.floor(samples / 2));
  const out = new Int16Array(samples);
  for (let i = 0; i < samples; i++) {
    let sum = 0;
    for (const step of steps) sum += Math.sin(step * i);
    const edge = Math.min(i, samples - 1 - i);
    // Raised cosine: no corner at the start or the end of the ramp.
    const gain = edge >= fade ? 1 : 0.5 - 0.5 * Math.cos((Math.PI * edge) / fade);
    out[i] = Math.round(amplitude * gain * sum);
  }
  return out;
}

export function renderSilence(durationMs: number): Audio {
  return new Int16Array(sampleCount(durationMs));
}

function sampleCount(durationMs: number): number {
  if (typeof durationMs !== "number" || !(durationMs >= 0 && durationMs <= MAX_GENERATED_MS)) {
    const message = `A duration is 0 to ${MAX_GENERATED_MS} ms, not ${String(durationMs)}.`;
    throw new DomainError("prompt.invalid_duration", "invalid", message, [{ field: "durationMs", message }]);
  }
  return Math.round((durationMs * SAMPLE_RATE) / 1000);
}

const invalidTone = (message: string) =>
  new DomainError("prompt.invalid_tone", "invalid", message, [{ field: "frequencies", message }]);
