import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Audio, DomainError, SAMPLE_RATE } from "@switchboard/core";
import { toTelephoneAudio } from "../resampling/index.js";
import { EspeakSynthesizer, type ProcessRunner, spawnProcess } from "../synthesis/index.js";
import { MU_LAW_TABLE } from "../wav/g711.js";
import { encodeWav, readWav } from "../wav/index.js";
import { gaussian } from "./decoder-audio.js";

/**
 * Test speech for the recognizer: what callers say to an auto attendant, spoken by two text-to-speech
 * engines with several voices each, and sent through a telephone channel (G.711 µ-law, optional white
 * noise, silence before and after). Synthetic voices are not callers, but they are offline, repeatable and
 * unlike each other (espeak-ng's formant synthesis, flite's diphone and unit-selection voices), which is
 * enough to compare front-ends and settings and to catch a recognizer that got worse.
 */

export interface CorpusVoice {
  /** How reports name it (`espeak-ng en-us+f3`). */
  readonly name: string;
  readonly engine: "espeak-ng" | "flite";
  readonly voice: string;
}

export const CORPUS_VOICES: readonly CorpusVoice[] = [
  { name: "espeak-ng en-us", engine: "espeak-ng", voice: "en-us" },
  { name: "espeak-ng en-us+f3", engine: "espeak-ng", voice: "en-us+f3" },
  { name: "espeak-ng en-gb-x-rp", engine: "espeak-ng", voice: "en-gb-x-rp" },
  { name: "flite kal", engine: "flite", voice: "kal" },
  { name: "flite slt", engine: "flite", voice: "slt" },
  { name: "flite rms", engine: "flite", voice: "rms" },
  { name: "flite awb", engine: "flite", voice: "awb" },
];

export const MENU_PHRASES: readonly string[] = ["sales", "support", "billing", "operator", "technical support", "voicemail"];

export const DIRECTORY_NAMES: readonly string[] = [
  "Alice Johnson",
  "Bob Smith",
  "Maria Garcia",
  "David Lee",
  "Sarah Connor",
  "James Brown",
  "Linda Martinez",
  "Kevin Nguyen",
];

/** Words a caller might say that are in no menu: each should be answered null. */
export const OUT_OF_GRAMMAR_PHRASES: readonly string[] = ["weather", "pizza", "banana", "tomorrow"];

/** The attendant's grammar: its menu options and its directory, one choice each. */
export function attendantGrammar() {
  return {
    choices: [
      ...MENU_PHRASES.map((phrase) => ({ id: `menu:${phrase}`, phrases: [phrase] })),
      ...DIRECTORY_NAMES.map((name) => ({ id: `directory:${name}`, phrases: [name.toLowerCase()] })),
    ],
  };
}

export interface CorpusUtterance {
  readonly voice: CorpusVoice;
  readonly text: string;
  /** The choice it should be recognized as; null for words outside the grammar. */
  readonly expected: string | null;
  readonly kind: "menu" | "name" | "out-of-grammar";
  /** 8 kHz speech as the engine said it, before the telephone channel. */
  readonly audio: Audio;
}

export interface RenderCorpusOptions {
  readonly voices?: readonly CorpusVoice[];
  /** Where the rendered speech is written as WAV files (default: a new temporary directory, removed afterwards). */
  readonly directory?: string;
  readonly runner?: ProcessRunner;
}

/** Speaks every phrase with every voice, a few at a time. */
export async function renderCorpus(options: RenderCorpusOptions = {}): Promise<CorpusUtterance[]> {
  const runner = options.runner ?? spawnProcess;
  const voices = options.voices ?? CORPUS_VOICES;
  const directory = options.directory ?? (await mkdtemp(path.join(tmpdir(), "switchboard-corpus-")));
  const items = voices.flatMap((voice) => [
    ...MENU_PHRASES.map((text) => ({ voice, text, kind: "menu" as const, expected: `menu:${text}` })),
    ...DIRECTORY_NAMES.map((text) => ({ voice, text, kind: "name" as const, expected: `directory:${text}` })),
    ...OUT_OF_GRAMMAR_PHRASES.map((text) => ({ voice, text, kind: "out-of-grammar" as const, expected: null })),
  ]);
  try {
    const out: CorpusUtterance[] = new Array(items.length);
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const index = next++;
        const item = items[index] as (typeof items)[number];
        const audio = await speak(item.voice, item.text, directory, runner);
        await writeFile(path.join(directory, `${fileName(item.voice.name)}--${fileName(item.text)}.wav`), encodeWav(audio));
        out[index] = { ...item, audio };
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    return out;
  } finally {
    if (!options.directory) await rm(directory, { recursive: true, force: true });
  }
}

export async function speak(voice: CorpusVoice, text: string, directory: string, runner: ProcessRunner): Promise<Audio> {
  if (voice.engine === "espeak-ng") return new EspeakSynthesizer({ voice: voice.voice, runner }).synthesize({ text });
  const file = path.join(directory, `flite-${fileName(voice.voice)}-${fileName(text)}.raw.wav`);
  let result: Awaited<ReturnType<ProcessRunner>>;
  try {
    result = await runner("flite", ["-voice", voice.voice, "-t", text, "-o", file], {
      input: new Uint8Array(0),
      timeoutMs: 20_000,
      maxOutputBytes: 1024 * 1024,
    });
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    throw new DomainError(
      "speech.unavailable",
      "unavailable",
      missing ? "flite is not installed (Debian package flite)." : `flite failed: ${String(error)}`,
      [],
      { cause: error },
    );
  }
  if (result.exitCode !== 0) throw new DomainError("speech.unavailable", "unavailable", `flite failed: ${result.stderr.trim()}`);
  const wav = readWav(await readFile(file));
  await rm(file, { force: true });
  return toTelephoneAudio(wav.channels, wav.sampleRate);
}

const fileName = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-");

export interface TelephoneChannelOptions {
  /** White noise this many decibels below the speech's active level; none when left out. */
  readonly snrDb?: number;
  /** Seeds the noise, so that a run is repeatable. */
  readonly seed?: number;
  readonly leadingSilenceMs?: number;
  readonly trailingSilenceMs?: number;
}

/** What the recognizer gets on a call: the speech with silence around it, noise if asked, through µ-law and back. */
export function throughTelephoneChannel(speech: Audio, options: TelephoneChannelOptions = {}): Audio {
  const lead = Math.round(((options.leadingSilenceMs ?? 300) * SAMPLE_RATE) / 1000);
  const trail = Math.round(((options.trailingSilenceMs ?? 500) * SAMPLE_RATE) / 1000);
  const signal = new Float64Array(lead + speech.length + trail);
  for (let i = 0; i < speech.length; i++) signal[lead + i] = speech[i] as number;
  if (options.snrDb !== undefined) {
    const noiseRms = activeLevel(speech) / 10 ** (options.snrDb / 20);
    const noise = gaussian(options.seed ?? 1);
    for (let i = 0; i < signal.length; i++) signal[i] = (signal[i] as number) + noiseRms * noise();
  }
  const out = new Int16Array(signal.length);
  for (let i = 0; i < out.length; i++) out[i] = MU_LAW_TABLE[muLawEncode(signal[i] as number)] as number;
  return out;
}

/** Noise alone, or silence when `rmsDbfs` is -Infinity, through µ-law. */
export function lineNoise(milliseconds: number, rmsDbfs: number, seed = 7): Audio {
  const noise = gaussian(seed);
  const rms = 32768 * 10 ** (rmsDbfs / 20);
  return Int16Array.from({ length: Math.round((milliseconds * SAMPLE_RATE) / 1000) }, () => {
    const code = muLawEncode(Number.isFinite(rms) ? rms * noise() : 0);
    return MU_LAW_TABLE[code] as number;
  });
}

/**
 * RMS over the 10 ms frames within 30 dB of the loudest one: the level of the speech itself, not of the
 * pauses around it (an approximation of ITU-T P.56's active speech level, good enough to set an SNR).
 */
export function activeLevel(audio: Audio): number {
  const frame = SAMPLE_RATE / 100;
  const energies: number[] = [];
  for (let start = 0; start + frame <= audio.length; start += frame) {
    let sum = 0;
    for (let i = start; i < start + frame; i++) sum += (audio[i] as number) ** 2;
    energies.push(sum / frame);
  }
  const peak = Math.max(0, ...energies);
  const active = energies.filter((energy) => energy >= peak / 1000);
  return active.length === 0 ? 0 : Math.sqrt(active.reduce((a, b) => a + b, 0) / active.length);
}

/** ITU-T G.711 µ-law compression of one sample (clipped to 16 bits first). */
export function muLawEncode(sample: number): number {
  const BIAS = 0x84;
  const CLIP = 32635;
  let value = Math.round(sample);
  const sign = value < 0 ? 0x80 : 0;
  if (value < 0) value = -value;
  value = Math.min(value, CLIP) + BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (value & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (value >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}
