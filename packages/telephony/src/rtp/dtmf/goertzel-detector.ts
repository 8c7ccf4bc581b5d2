import { SAMPLE_RATE } from "../audio/audio.js";
import { DTMF_COLUMN_FREQUENCIES, DTMF_ROW_FREQUENCIES, type DtmfDigit, digitAt } from "./digits.js";

export interface DtmfDetectorOptions {
  /** Weakest tone accepted, per frequency, in dBFS of a sine (default -36). */
  readonly minLevelDb?: number;
  /** How much louder the high group may be than the low one (default 8 dB, "normal twist"). */
  readonly maxNormalTwistDb?: number;
  /** How much louder the low group may be than the high one (default 8 dB, "reverse twist"). */
  readonly maxReverseTwistDb?: number;
  /** The strongest row (column) must exceed the others of its group by this much (default 6 dB). */
  readonly minRelativePeakDb?: number;
  /** Share of the block's energy the two tones must carry (default 0.6): rejects speech, music and noise. */
  readonly minToneShare?: number;
}

const BLOCK = 205;
const HOP = 102;
const FREQUENCIES = [...DTMF_ROW_FREQUENCIES, ...DTMF_COLUMN_FREQUENCIES];
const COEFFICIENTS = FREQUENCIES.map((f) => 2 * Math.cos((2 * Math.PI * f) / SAMPLE_RATE));
const [C0, C1, C2, C3, C4, C5, C6, C7] = COEFFICIENTS as [number, number, number, number, number, number, number, number];
const FULL_SCALE_SINE_POWER = 32767 ** 2 / 2;
const db = (value: number) => 10 ** (value / 10);

/**
 * In-band DTMF detection for 8 kHz audio (trunks that send keys as tones): Goertzel filters at the eight DTMF
 * frequencies over 205-sample blocks every 102 samples; a block votes for a key when both tones are loud enough,
 * the twist between them is within bounds, each dominates its group and they carry most of the energy. A key is
 * reported once when two consecutive blocks agree (about 38 ms of tone) and again only after a pause.
 */
export class DtmfDetector {
  private readonly buffer = new Float64Array(BLOCK);
  private readonly powers = new Float64Array(8);
  private filled = 0;
  private candidate: DtmfDigit | undefined;
  private reported: DtmfDigit | undefined;
  private quietBlocks = 0;
  private readonly minPower: number;
  private readonly normalTwist: number;
  private readonly reverseTwist: number;
  private readonly relativePeak: number;
  private readonly toneShare: number;

  constructor(options: DtmfDetectorOptions = {}) {
    this.minPower = FULL_SCALE_SINE_POWER * db(options.minLevelDb ?? -36);
    this.normalTwist = db(options.maxNormalTwistDb ?? 8);
    this.reverseTwist = db(options.maxReverseTwistDb ?? 8);
    this.relativePeak = db(options.minRelativePeakDb ?? 6);
    this.toneShare = options.minToneShare ?? 0.6;
  }

  /** Feeds samples in order, in chunks of any size; returns the keys that started in them. */
  process(samples: Int16Array): DtmfDigit[] {
    const found: DtmfDigit[] = [];
    for (let i = 0; i < samples.length; i++) {
      this.buffer[this.filled++] = samples[i] as number;
      if (this.filled === BLOCK) {
        const digit = this.analyze();
        const started = this.vote(digit);
        if (started) found.push(started);
        this.buffer.copyWithin(0, HOP, BLOCK);
        this.filled = BLOCK - HOP;
      }
    }
    return found;
  }

  reset(): void {
    this.filled = 0;
    this.candidate = undefined;
    this.reported = undefined;
    this.quietBlocks = 0;
  }

  private vote(digit: DtmfDigit | undefined): DtmfDigit | undefined {
    if (digit === undefined) {
      this.candidate = undefined;
      if (++this.quietBlocks >= 2) this.reported = undefined;
      return undefined;
    }
    this.quietBlocks = 0;
    const confirmed = digit === this.candidate;
    this.candidate = digit;
    if (confirmed && digit !== this.reported) {
      this.reported = digit;
      return digit;
    }
    return undefined;
  }

  private analyze(): DtmfDigit | undefined {
    const buffer = this.buffer;
    let energy = 0;
    for (let i = 0; i < BLOCK; i++) {
      const x = buffer[i] as number;
      energy += x * x;
    }
    const meanPower = energy / BLOCK;
    // No single frequency can hold more than twice the block's mean power (Cauchy–Schwarz on the DFT sum), so a
    // block too quiet for the weakest tone accepted needs no filter at all: silence and background noise, about
    // half of every call, cost one pass instead of nine.
    if (2 * meanPower * (1 + 1e-9) < this.minPower) return undefined;
    const powers = this.powers;
    // Four filters per pass over the block (rows, then columns): each sample read twice rather than eight times,
    // the recurrences side by side; about three times faster than a filter at a time, with the same arithmetic.
    goertzel4(buffer, powers, 0, C0, C1, C2, C3);
    goertzel4(buffer, powers, 4, C4, C5, C6, C7);

    const row = strongest(powers, 0);
    const column = strongest(powers, 4);
    const rowPower = powers[row] as number;
    const columnPower = powers[4 + column] as number;
    if (rowPower < this.minPower || columnPower < this.minPower) return undefined;
    if (columnPower > rowPower * this.normalTwist || rowPower > columnPower * this.reverseTwist) return undefined;
    for (let i = 0; i < 4; i++) {
      if (i !== row && (powers[i] as number) * this.relativePeak > rowPower) return undefined;
      if (i !== column && (powers[4 + i] as number) * this.relativePeak > columnPower) return undefined;
    }
    if (rowPower + columnPower < this.toneShare * meanPower) return undefined;
    return digitAt(row, column);
  }
}

/** Four Goertzel filters over a block; powers normalized so that a sine of peak A gives about A²/2. */
function goertzel4(block: Float64Array, powers: Float64Array, at: number, k0: number, k1: number, k2: number, k3: number): void {
  let a1 = 0;
  let a2 = 0;
  let b1 = 0;
  let b2 = 0;
  let c1 = 0;
  let c2 = 0;
  let d1 = 0;
  let d2 = 0;
  for (let i = 0; i < BLOCK; i++) {
    const x = block[i] as number;
    let s = x + k0 * a1 - a2;
    a2 = a1;
    a1 = s;
    s = x + k1 * b1 - b2;
    b2 = b1;
    b1 = s;
    s = x + k2 * c1 - c2;
    c2 = c1;
    c1 = s;
    s = x + k3 * d1 - d2;
    d2 = d1;
    d1 = s;
  }
  powers[at] = (2 * (a1 * a1 + a2 * a2 - k0 * a1 * a2)) / (BLOCK * BLOCK);
  powers[at + 1] = (2 * (b1 * b1 + b2 * b2 - k1 * b1 * b2)) / (BLOCK * BLOCK);
  powers[at + 2] = (2 * (c1 * c1 + c2 * c2 - k2 * c1 * c2)) / (BLOCK * BLOCK);
  powers[at + 3] = (2 * (d1 * d1 + d2 * d2 - k3 * d1 * d2)) / (BLOCK * BLOCK);
}

function strongest(powers: Float64Array, from: number): number {
  let best = 0;
  for (let i = 1; i < 4; i++) if ((powers[from + i] as number) > (powers[from + best] as number)) best = i;
  return best;
}
