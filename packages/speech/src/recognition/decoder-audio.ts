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
  const frames = Math.floor(audio.length / FRAME);
  if (frames === 0) return null;
  const energies = new Float64Array(frames);
  let peak = 0;
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let i = f * FRAME; i < (f + 1) * FRAME; i++) sum += (audio[i] as number) ** 2;
    energies[f] = sum / FRAME;
    peak = Math.max(peak, sum / FRAME);
  }
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
