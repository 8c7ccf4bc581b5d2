import { type Audio, SAMPLE_RATE } from "@switchboard/core";
import { resample } from "../resampling/index.js";

/**
 * What the decoder hears: the caller's 8 kHz audio cut to the speech in it, at 16 kHz, over a faint noise
 * floor. Each choice here was measured (packages/speech/README.md, "Speech recognition").
 *
 * Why 16 kHz: the only English acoustic model in Debian (`pocketsphinx-en-us`) was trained on 16 kHz
 * speech, with its mel filters up to 6.8 kHz. Computing its features from the 8 kHz audio itself
 * (`-samprate 8000 -nfft 256`, the filters squeezed under 3.5–3.8 kHz) gives it cepstra it has never seen:
 * 35–49% of menu options right. Upsampled telephone audio keeps the filters where the model expects them;
 * the ones above 4 kHz see nothing, which it tolerates far better (87%).
 *
 * Why the noise floor: G.711 codes silence as exact zeros, which no training recording had: the log
 * energies fall to the floor and drag the utterance's cepstral mean with them. White noise at about
 * -70 dBFS, far below any line noise, took clean synthetic speech from 61% to 94% of menu options (espeak-ng
 * voices) and changed nothing on noisy audio. It is seeded, so a recognition is repeatable.
 *
 * Why trim: the decoder's silence model swallows quiet speech ("voicemail" heard as "billing" followed by
 * silence); cutting the audio to the speech with a 200 ms margin leaves it less silence to hide speech in.
 */

export const DECODER_SAMPLE_RATE = 16_000;

export interface DecoderAudioOptions {
  /** Audio whose loudest 10 ms is quieter than this holds no speech (default -55 dBFS). */
  readonly speechFloorDbfs?: number;
  /** Speech is every 10 ms frame within this many decibels of the loudest one (default 30). */
  readonly speechRangeDb?: number;
  /** Kept before the first and after the last speech frame (default 200 ms). */
  readonly marginMs?: number;
  /** Standard deviation of the added noise, in 16-bit steps (default 10, about -70 dBFS). */
  readonly noiseFloor?: number;
}

const FRAME = SAMPLE_RATE / 100;

/** The 16 kHz samples to decode, or null when the audio holds no speech at all (silence, a line hum). */
export function toDecoderAudio(audio: Audio, options: DecoderAudioOptions = {}): Int16Array | null {
  const speech = findSpeech(audio, options);
  if (!speech) return null;
  const floats = new Float32Array(speech.to - speech.from);
  for (let i = 0; i < floats.length; i++) floats[i] = (audio[speech.from + i] as number) / 32768;
  const upsampled = resample(floats, SAMPLE_RATE, DECODER_SAMPLE_RATE);
  const noise = gaussian(0x5eed);
  const level = options.noiseFloor ?? 10;
  const out = new Int16Array(upsampled.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = Math.max(-32768, Math.min(32767, Math.round((upsampled[i] as number) * 32768 + level * noise())));
  }
  return out;
}

/** Where the speech is, in samples, margins included; null when nothing is loud enough to be speech. */
export function findSpeech(audio: Audio, options: DecoderAudioOptions = {}): { from: number; to: number } | null {
  const energies = frameEnergies(audio);
  const frames = energies.length;
  if (frames === 0) return null;
  const peak = loudest(energies);
  const floor = (32768 * 10 ** ((options.speechFloorDbfs ?? -55) / 20)) ** 2;
  if (peak < floor) return null;
  const threshold = peak * 10 ** (-(options.speechRangeDb ?? 30) / 10);
  let first = 0;
  while ((energies[first] as number) < threshold) first++;
  let last = frames - 1;
  while ((energies[last] as number) < threshold) last--;
  const margin = Math.round(((options.marginMs ?? 200) * SAMPLE_RATE) / 1000);
  return { from: Math.max(0, first * FRAME - margin), to: Math.min(audio.length, (last + 1) * FRAME + margin) };
}

export interface PauseOptions {
  /** The longest piece (default 10 s): longer speech is cut at a pause, or at its quietest 10 ms. */
  readonly maxPieceSeconds?: number;
  /** A pause is at least this long (default 300 ms) ... */
  readonly minPauseMs?: number;
  /** ... of 10 ms frames more than this many decibels under the loudest one (default 30). */
  readonly speechRangeDb?: number;
}

/**
 * Where to cut a long recording (a voicemail message) into the pieces the dictation decoder takes one at a
 * time: ranges in samples, in order, covering the whole audio, none longer than `maxPieceSeconds`. Each cut
 * is at the longest pause in the second half of the piece it ends (else in its first half, else at its
 * quietest 10 ms), so that a piece is a sentence or two rather than half a word. Why cut: bringing a piece
 * to 16 kHz runs on the event loop (about 3.5 ms per second of audio, so 35 ms for 10 s, where a 3-minute
 * message whole would hold it for 0.6 s); and the decoder, which searches each piece whole, did about as
 * well on pieces of 10 or 20 s as on the whole message (see the README).
 */
export function splitAtPauses(audio: Audio, options: PauseOptions = {}): { from: number; to: number }[] {
  if (audio.length === 0) return [];
  const maxFrames = Math.max(2, Math.round((options.maxPieceSeconds ?? 10) * 100));
  const energies = frameEnergies(audio);
  const frames = energies.length;
  if (frames <= maxFrames) return [{ from: 0, to: audio.length }];
  const minPause = Math.max(1, Math.round((options.minPauseMs ?? 300) / 10));
  const threshold = loudest(energies) * 10 ** (-(options.speechRangeDb ?? 30) / 10);

  // The pauses inside the audio: where each would be cut (its middle frame), and its length.
  const pauses: { at: number; length: number }[] = [];
  for (let f = 0; f < frames; f++) {
    if ((energies[f] as number) >= threshold) continue;
    let end = f;
    while (end < frames && (energies[end] as number) < threshold) end++;
    if (end - f >= minPause && f > 0 && end < frames) pauses.push({ at: Math.floor((f + end) / 2), length: end - f });
    f = end;
  }
  const longest = (from: number, to: number) =>
    pauses
      .filter((p) => p.at > from && p.at <= to)
      .reduce<{ at: number; length: number } | undefined>((best, p) => (best && best.length > p.length ? best : p), undefined);

  const cuts: number[] = [];
  for (let start = 0; frames - start > maxFrames; ) {
    const half = start + Math.floor(maxFrames / 2);
    let cut = (longest(half, start + maxFrames) ?? longest(start, half))?.at;
    if (cut === undefined) {
      cut = half;
      for (let f = half; f < start + maxFrames; f++) if ((energies[f] as number) < (energies[cut] as number)) cut = f;
    }
    cuts.push(cut);
    start = cut;
  }
  const bounds = [0, ...cuts.map((f) => f * FRAME), audio.length];
  return bounds.slice(1).map((to, i) => ({ from: bounds[i] as number, to }));
}

const loudest = (energies: Float64Array) => energies.reduce((a, b) => Math.max(a, b), 0);

/** Mean energy of each whole 10 ms frame. */
function frameEnergies(audio: Audio): Float64Array {
  const energies = new Float64Array(Math.floor(audio.length / FRAME));
  for (let f = 0; f < energies.length; f++) {
    let sum = 0;
    for (let i = f * FRAME; i < (f + 1) * FRAME; i++) sum += (audio[i] as number) ** 2;
    energies[f] = sum / FRAME;
  }
  return energies;
}

/** Standard normal numbers from a seeded generator (mulberry32, Box-Muller). */
export function gaussian(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => {
    const u = 1 - uniform(); // (0, 1]: log is finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}
