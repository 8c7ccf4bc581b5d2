/**
 * A windowed-sinc polyphase resampler between any two integer sample rates.
 *
 * Why not drop or repeat samples: text-to-speech renders at 22,050 Hz and uploaded recordings come at
 * 44.1 or 48 kHz. Everything above 4 kHz in those would fold back into the telephone band (a 6 kHz
 * sibilant becomes a 2 kHz whistle). So the signal goes through a low-pass with its cutoff just under the
 * lower of the two Nyquist frequencies before it is sampled at the new rate.
 *
 * How: the ratio is reduced to `up / down` (22,050 → 8,000 is 160 / 441). Output sample `n` sits at
 * input position `n · down / up`; its fractional part is one of `up` phases, and each phase has its own
 * precomputed set of taps (a Kaiser-windowed sinc sampled at that offset). One output sample then costs one
 * short dot product, about 200 multiply-adds for speech to telephone audio.
 */

/** Where the pass band ends, as a share of the lower Nyquist frequency: 3.6 kHz for telephone audio. */
const ROLLOFF = 0.9;
/** Zero crossings of the sinc on each side: sets the transition width (about 0.6 kHz at 22,050 Hz in). */
const ZERO_CROSSINGS = 32;
/** Kaiser window shape: with the above, more than 100 dB down from 4 kHz on the way to 8 kHz (measured). */
const KAISER_BETA = 9;
/**
 * Rates whose reduced ratio needs more phases than this (22,051 → 8,000 would need 8,000) round each
 * output position to the nearest of this many phases instead: a timing error under 1/2,000 of an input
 * sample, far below what 16-bit telephone audio can show, and a table that stays small.
 */
const MAX_PHASES = 1024;
/** Upper bound on the coefficients a table holds (4 MiB of float32), whatever the rates. */
const MAX_TABLE_SIZE = 1 << 20;

export class Resampler {
  readonly fromRate: number;
  readonly toRate: number;
  /** Input samples per output sample, as the reduced fraction `down / up`. */
  readonly #up: number;
  readonly #down: number;
  /** Phases actually tabulated: `up`, or fewer when `up` is large (see MAX_PHASES). */
  readonly #phases: number;
  /** Taps per phase; tap `k` of a phase weighs input sample `floor(position) - halfTaps + 1 + k`. */
  readonly #taps: number;
  readonly #table: Float32Array;

  constructor(fromRate: number, toRate: number) {
    for (const rate of [fromRate, toRate]) {
      if (!Number.isSafeInteger(rate) || rate <= 0) throw new RangeError(`Sample rates are positive integers, got ${rate}.`);
    }
    this.fromRate = fromRate;
    this.toRate = toRate;
    const divisor = gcd(fromRate, toRate);
    this.#up = toRate / divisor;
    this.#down = fromRate / divisor;

    // Cutoff in cycles per input sample, below both Nyquist frequencies.
    const cutoff = (ROLLOFF * Math.min(fromRate, toRate)) / 2 / fromRate;
    const halfWidth = ZERO_CROSSINGS / (2 * cutoff); // in input samples
    const halfTaps = Math.ceil(halfWidth);
    this.#taps = 2 * halfTaps;
    this.#phases = Math.max(1, Math.min(this.#up, MAX_PHASES, Math.floor(MAX_TABLE_SIZE / this.#taps)));
    this.#table = new Float32Array(this.#phases * this.#taps);

    const besselOfBeta = besselI0(KAISER_BETA);
    for (let phase = 0; phase < this.#phases; phase++) {
      const fraction = phase / this.#phases;
      const row = phase * this.#taps;
      let sum = 0;
      for (let k = 0; k < this.#taps; k++) {
        // Distance from the output position to input sample `k - halfTaps + 1`, in input samples.
        const distance = fraction - (k - halfTaps + 1);
        const x = distance / halfWidth;
        const window = Math.abs(x) >= 1 ? 0 : besselI0(KAISER_BETA * Math.sqrt(1 - x * x)) / besselOfBeta;
        const weight = 2 * cutoff * sinc(2 * cutoff * distance) * window;
        this.#table[row + k] = weight;
        sum += weight;
      }
      // Unity gain at DC for every phase, so that no phase is louder than another (no ripple at `up` Hz).
      for (let k = 0; k < this.#taps; k++) this.#table[row + k] = (this.#table[row + k] as number) / sum;
    }
  }

  /** Resamples a whole signal; samples outside it count as zeros. The output covers the same duration. */
  process(input: Float32Array): Float32Array {
    if (this.fromRate === this.toRate) return input.slice();
    const length = Math.ceil((input.length * this.#up) / this.#down);
    const output = new Float32Array(length);
    const halfTaps = this.#taps / 2;
    const table = this.#table;
    const taps = this.#taps;
    for (let n = 0; n < length; n++) {
      const position = n * this.#down; // in units of 1/up input samples
      let index = Math.floor(position / this.#up);
      let phase = position - index * this.#up;
      if (this.#phases !== this.#up) {
        phase = Math.round((phase * this.#phases) / this.#up);
        if (phase === this.#phases) {
          phase = 0;
          index += 1;
        }
      }
      const first = index - halfTaps + 1;
      const row = phase * taps;
      let sum = 0;
      if (first >= 0 && first + taps <= input.length) {
        for (let k = 0; k < taps; k++) sum += (input[first + k] as number) * (table[row + k] as number);
      } else {
        const from = Math.max(0, -first);
        const to = Math.min(taps, input.length - first);
        for (let k = from; k < to; k++) sum += (input[first + k] as number) * (table[row + k] as number);
      }
      output[n] = sum;
    }
    return output;
  }
}

/**
 * Resamples with a filter built once per pair of rates. A handful of pairs is all a server meets (speech,
 * a few upload formats), so the last few are kept.
 */
export function resample(input: Float32Array, fromRate: number, toRate: number): Float32Array {
  const key = `${fromRate}/${toRate}`;
  let resampler = recent.get(key);
  if (resampler) recent.delete(key);
  else resampler = new Resampler(fromRate, toRate);
  recent.set(key, resampler);
  if (recent.size > RECENT_RESAMPLERS) {
    const oldest = recent.keys().next().value;
    if (oldest !== undefined) recent.delete(oldest);
  }
  return resampler.process(input);
}

const RECENT_RESAMPLERS = 8;
const recent = new Map<string, Resampler>();

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

/** Modified Bessel function of the first kind, order 0, by its power series (converges fast for β ≤ 20). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const quarterSquare = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= quarterSquare / (k * k);
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
