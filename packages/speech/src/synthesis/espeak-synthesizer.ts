import { availableParallelism } from "node:os";
import { type Audio, DomainError } from "@switchboard/core";
import { toTelephoneAudio } from "../resampling/index.js";
import { Slots } from "../slots.js";
import { readWav } from "../wav/index.js";
import { type ProcessResult, type ProcessRunner, spawnProcess } from "./process-runner.js";
import { withSilenceMargins } from "./silence-margins.js";
import {
  normalizeSpeechText,
  type ResolvedSpeechRequest,
  type SpeechRequest,
  type SpeechSynthesizer,
} from "./speech-synthesizer.js";

export interface EspeakSynthesizerOptions {
  /** The espeak-ng program: a path, or a name looked up on PATH (default `espeak-ng`, Debian's package of that name). */
  readonly binary?: string;
  /** Default voice (default `en-us`); `espeak-ng --voices` lists them, `en-us+f3` picks a variant. */
  readonly voice?: string;
  /** Default speed in words per minute (default 160). */
  readonly rate?: number;
  /** A run taking longer is killed and fails with `speech.unavailable` (default 20 s). */
  readonly timeoutMs?: number;
  /** Runs at once at most; more requests wait their turn (default: the number of CPUs). */
  readonly maxConcurrency?: number;
  /** How the program is run (default: `spawnProcess`). Tests pass a wrapper to count runs. */
  readonly runner?: ProcessRunner;
}

export const ESPEAK_DEFAULT_VOICE = "en-us";
/** A little under espeak-ng's own 175: prompts are heard once, over a phone line, by someone waiting. */
export const ESPEAK_DEFAULT_RATE = 160;
/** espeak-ng's own limits for `-s`. */
export const ESPEAK_MIN_RATE = 80;
export const ESPEAK_MAX_RATE = 450;

/** A voice name as espeak-ng spells them (`en-us`, `en-gb-x-rp`, `en-us+f3`); never one that starts like an option. */
const VOICE = /^[A-Za-z0-9][A-Za-z0-9_+-]{0,63}$/;
/** Generous: 2,000 characters at the slowest rate are about 12 MB of 22,050 Hz audio. */
const MAX_OUTPUT_BYTES = 32 * 1024 * 1024;

/**
 * Text to speech with espeak-ng, run as a program for each request: it is offline, in Debian, small and
 * fast (about 30 ms for a short prompt), and a crash in it cannot take the server down.
 *
 * The text goes on standard input, never on the command line and never through a shell, so that no text
 * can be read as an option or a command. espeak-ng writes 22,050 Hz 16-bit WAV; it is brought to 8 kHz
 * with an anti-aliasing filter (see `Resampler`) and its leading and trailing silence set to 100 ms.
 *
 * Each call runs the program: wrap it in a `CachingSynthesizer` so that a prompt is synthesized once.
 */
export class EspeakSynthesizer implements SpeechSynthesizer {
  readonly engine = "espeak-ng/1";
  readonly #binary: string;
  readonly #voice: string;
  readonly #rate: number;
  readonly #timeoutMs: number;
  readonly #runner: ProcessRunner;
  readonly #slots: Slots;

  constructor(options: EspeakSynthesizerOptions = {}) {
    this.#binary = options.binary ?? "espeak-ng";
    this.#voice = checkVoice(options.voice ?? ESPEAK_DEFAULT_VOICE);
    this.#rate = checkRate(options.rate ?? ESPEAK_DEFAULT_RATE);
    this.#timeoutMs = options.timeoutMs ?? 20_000;
    this.#runner = options.runner ?? spawnProcess;
    this.#slots = new Slots(Math.max(1, options.maxConcurrency ?? availableParallelism()));
  }

  resolve(request: SpeechRequest): ResolvedSpeechRequest {
    return {
      text: normalizeSpeechText(request.text),
      voice: checkVoice(request.voice ?? this.#voice),
      rate: checkRate(request.rate ?? this.#rate),
    };
  }

  async synthesize(request: SpeechRequest): Promise<Audio> {
    const { text, voice, rate } = this.resolve(request);
    // -b 1: the input is UTF-8. --stdin: read all of it at once, not line by line.
    const args = ["--stdout", "-v", voice, "-s", String(rate), "-b", "1", "--stdin"];
    const input = new TextEncoder().encode(text);
    let result: ProcessResult;
    try {
      result = await this.#slots.run(() =>
        this.#runner(this.#binary, args, { input, timeoutMs: this.#timeoutMs, maxOutputBytes: MAX_OUTPUT_BYTES }),
      );
    } catch (error) {
      const missing = error instanceof Error && (error as NodeJS.ErrnoException).code === "ENOENT";
      throw unavailable(
        missing
          ? `Text to speech is not available: ${this.#binary} is not installed (Debian package espeak-ng).`
          : `Text to speech failed: ${error instanceof Error ? error.message : String(error)}.`,
        error,
      );
    }
    if (result.exitCode !== 0) {
      if (/voice does not exist|could not load .*voice/i.test(result.stderr)) {
        throw invalidVoice(`espeak-ng has no voice named "${voice}".`);
      }
      const how = result.signal ? `was killed by ${result.signal}` : `exited with status ${result.exitCode}`;
      throw unavailable(`Text to speech failed: espeak-ng ${how}${result.stderr ? `: ${result.stderr.trim()}` : ""}.`);
    }
    let audio: Audio;
    try {
      const wav = readWav(result.stdout);
      audio = toTelephoneAudio(wav.channels, wav.sampleRate);
    } catch (error) {
      throw unavailable("Text to speech failed: espeak-ng wrote audio that could not be read.", error);
    }
    return withSilenceMargins(audio);
  }
}

function checkVoice(voice: string): string {
  if (typeof voice !== "string" || !VOICE.test(voice)) throw invalidVoice(`"${String(voice)}" is not a voice name.`);
  return voice;
}

function checkRate(rate: number): number {
  if (!Number.isInteger(rate) || rate < ESPEAK_MIN_RATE || rate > ESPEAK_MAX_RATE) {
    const message = `The speech rate is a whole number of words per minute from ${ESPEAK_MIN_RATE} to ${ESPEAK_MAX_RATE}.`;
    throw new DomainError("speech.invalid_rate", "invalid", message, [{ field: "rate", message }]);
  }
  return rate;
}

const invalidVoice = (message: string) =>
  new DomainError("speech.invalid_voice", "invalid", message, [{ field: "voice", message }]);

const unavailable = (message: string, cause?: unknown) =>
  new DomainError("speech.unavailable", "unavailable", message, [], cause === undefined ? undefined : { cause });
