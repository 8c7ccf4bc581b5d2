import { concat, mix, silence, sineTone } from "../audio/audio.js";
import { type DtmfDigit, frequenciesOf } from "./digits.js";

export interface DtmfToneOptions {
  readonly durationMs?: number;
  readonly gapMs?: number;
  /** Peak per frequency on the 16-bit scale (default 6000, about -17 dBFS each). */
  readonly amplitude?: number;
  /** High group level relative to the low group, in dB (twist). */
  readonly twistDb?: number;
}

/** In-band DTMF: each key's two sines for `durationMs` (default 100), then `gapMs` (default 100) of silence. */
export function dtmfTones(digits: readonly DtmfDigit[] | string, options: DtmfToneOptions = {}): Int16Array {
  const duration = options.durationMs ?? 100;
  const gap = options.gapMs ?? 100;
  const amplitude = options.amplitude ?? 6000;
  const high = amplitude * 10 ** ((options.twistDb ?? 0) / 20);
  const parts: Int16Array[] = [];
  for (const digit of digits as readonly DtmfDigit[]) {
    const [low, hi] = frequenciesOf(digit);
    parts.push(mix(sineTone(low, duration, amplitude), sineTone(hi, duration, high)), silence(gap));
  }
  return concat(...parts);
}
