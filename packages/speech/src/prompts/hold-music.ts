import { type Audio, SAMPLE_RATE } from "@switchboard/core";

/**
 * The hold music shipped with Switchboard, generated rather than recorded (so it is royalty-free by
 * construction and costs no file): a calm I–vi–IV–V progression in C at 96 beats a minute, each bar an
 * arpeggio of eighth notes over a soft bass, every note a plucked tone (a sine with two harmonics and an
 * exponential decay). Ten seconds that loop seamlessly: the tails of the last notes are wrapped onto the
 * start. Kept in the telephone band's comfort: notes from 110 to 700 Hz, peak about -8 dBFS.
 */

const BEAT_S = 60 / 96;
const EIGHTH_S = BEAT_S / 2;
const BAR_S = 4 * BEAT_S;
const PEAK = 13_000;

/** MIDI note number to Hz. */
const hz = (note: number) => 440 * 2 ** ((note - 69) / 12);

/** C major, A minor, F major, G major: root position triads from C4, A3, F3, G3 (MIDI numbers). */
const BARS: readonly (readonly [number, number, number])[] = [
  [60, 64, 67],
  [57, 60, 64],
  [53, 57, 60],
  [55, 59, 62],
];

/** Which chord tone each eighth note of a bar plays: up and back down, the octave on top. */
const PATTERN = [0, 1, 2, 3, 2, 1, 2, 1] as const;

let cached: Audio | undefined;

export function holdMusic(): Audio {
  cached ??= compose();
  return cached;
}

function compose(): Audio {
  const length = Math.round(BARS.length * BAR_S * SAMPLE_RATE);
  const mix = new Float64Array(length);
  BARS.forEach((chord, bar) => {
    const start = bar * BAR_S;
    // The bass: the chord's root an octave down, held through the bar.
    pluck(mix, start, hz(chord[0] - 12), 0.5, 1.6);
    PATTERN.forEach((degree, i) => {
      const note = degree === 3 ? chord[0] + 12 : chord[degree];
      pluck(mix, start + i * EIGHTH_S, hz(note as number), 0.32, 0.55);
    });
  });
  let peak = 0;
  for (const sample of mix) peak = Math.max(peak, Math.abs(sample));
  const gain = peak === 0 ? 0 : PEAK / peak;
  return Int16Array.from(mix, (sample) => Math.round(sample * gain));
}

/** Adds a plucked note at `startS`, wrapping its tail to the start so the loop has no seam. */
function pluck(mix: Float64Array, startS: number, frequency: number, level: number, decayS: number): void {
  const first = Math.round(startS * SAMPLE_RATE);
  const samples = Math.round(decayS * 5 * SAMPLE_RATE);
  const attack = Math.round(0.008 * SAMPLE_RATE);
  const step = (2 * Math.PI * frequency) / SAMPLE_RATE;
  for (let i = 0; i < samples; i++) {
    const envelope = (i < attack ? i / attack : 1) * Math.exp(-i / (decayS * SAMPLE_RATE));
    const phase = step * i;
    const tone = Math.sin(phase) + 0.3 * Math.sin(2 * phase) + 0.1 * Math.sin(3 * phase);
    const at = (first + i) % mix.length;
    mix[at] = (mix[at] ?? 0) + level * envelope * tone;
  }
}
