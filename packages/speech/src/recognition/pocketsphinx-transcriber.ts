import { access } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setImmediate as nextTurn } from "node:timers/promises";
import { type Audio, DomainError, SAMPLE_RATE, type SpeechTranscriber, type Transcript } from "@switchboard/core";
import { Slots } from "../slots.js";
import { type DecoderAudioOptions, type PauseOptions, splitAtPauses, toDecoderAudio } from "./decoder-audio.js";
import { DecoderFailure, type DictatedWord, PocketsphinxProcess } from "./pocketsphinx-process.js";
import { POCKETSPHINX_MODEL_DIRECTORY } from "./pocketsphinx-recognizer.js";

export type { DictatedWord } from "./pocketsphinx-process.js";

export interface PocketsphinxTranscriberOptions {
  /** pocketsphinx's batch decoder: a path, or a name on PATH (default `pocketsphinx_batch`, Debian package `pocketsphinx`). */
  readonly binary?: string;
  /** The acoustic model's directory (default Debian's `pocketsphinx-en-us`: `/usr/share/pocketsphinx/model/en-us/en-us`). */
  readonly acousticModel?: string;
  /** The language model (default: `en-us.lm.bin` of `pocketsphinx-en-us`, beside the acoustic model). */
  readonly languageModel?: string;
  /** The pronouncing dictionary (default: the CMU dictionary of `pocketsphinx-en-us`, beside the acoustic model). */
  readonly dictionary?: string;
  /** Below this confidence `transcribe` answers undefined (default 0.4: see `DEFAULT_MIN_TRANSCRIPT_CONFIDENCE`). */
  readonly minConfidence?: number;
  /** A transcription may take this long plus `timeoutMsPerSecond` per second of audio, else it fails (default 20 s). */
  readonly timeoutMs?: number;
  /** Default 3 s per second of audio: about three times the slowest decoding measured (noisy audio, two at once on 2 cores). */
  readonly timeoutMsPerSecond?: number;
  /** Transcriptions at once, at most; more wait their turn (default 1: each takes a core and about 110 MB while it runs). */
  readonly maxConcurrency?: number;
  /** Where the decoders' files go (default: the system's temporary directory). */
  readonly temporaryDirectory?: string;
  /** How each piece is cut to its speech and brought to 16 kHz (the recognizer's measured defaults). */
  readonly audio?: DecoderAudioOptions;
  /** How a long message is cut into pieces at its pauses (default: pieces of up to 10 s). */
  readonly pieces?: PauseOptions;
}

/** Everything a transcription found: for accuracy reports and timing. */
export interface Dictation {
  /** The words and their mean confidence, whatever it is; undefined when no word was heard. */
  readonly transcript: Transcript | undefined;
  /** Every word, in order, with its time from the start of its piece and its confidence. */
  readonly words: readonly DictatedWord[];
  /** Pieces of the audio that held speech and were decoded. */
  readonly pieces: number;
  /** Milliseconds from the start of the decoding to its end (0 when nothing was decoded); waiting for a slot not counted. */
  readonly decoderMs: number;
}

/**
 * A transcript whose words are, on average, less likely than this is more wrong than right: on the test
 * speech (see the README) transcripts at 0.4 or more had 30% of their words wrong on average, those below
 * it 80%. A message without a transcript is better than one with a misleading one.
 */
export const DEFAULT_MIN_TRANSCRIPT_CONFIDENCE = 0.4;

/** Voicemail is left for minutes at most (a mailbox allows up to 600 s); longer audio is a mistake upstream. */
export const MAX_TRANSCRIPTION_AUDIO_SECONDS = 600;

/**
 * Offline dictation of telephone speech (voicemail messages) with pocketsphinx, Debian's US English
 * acoustic model, its general language model (`en-us.lm.bin`, an n-gram model of US English) and the CMU
 * dictionary (134,723 words).
 *
 * The audio is cut into pieces of up to 10 s at its pauses (`splitAtPauses`); each piece is brought to
 * the decoder's 16 kHz as the recognizer's are (`toDecoderAudio`), one piece per turn of the event loop,
 * and the pieces go in one batch to a `pocketsphinx_batch` process that searches the language model and
 * writes each word's posterior probability (`PocketsphinxProcess.dictate`). The transcript is the words
 * in order; its confidence is the mean of their posteriors, and below `minConfidence` there is no
 * transcript (`transcribe` answers undefined; `dictate` shows it anyway).
 *
 * One process per transcription, stopped after it: a message is rare next to a menu answer, loading the
 * language model (about 0.5 s) is small beside decoding (about 0.3 s per second of audio), and its 110 MB
 * are not held between messages. Accuracy depends much on the voice: see the README's figures. Programs run
 * with argument arrays, never through a shell.
 */
export class PocketsphinxTranscriber implements SpeechTranscriber {
  readonly #binary: string;
  readonly #model: string;
  readonly #languageModel: string;
  readonly #dictionary: string;
  readonly #minConfidence: number;
  readonly #timeoutMs: number;
  readonly #timeoutMsPerSecond: number;
  readonly #temporary: string;
  readonly #audio: DecoderAudioOptions;
  readonly #pieces: PauseOptions;
  readonly #slots: Slots;
  readonly #running = new Set<PocketsphinxProcess>();
  #modelChecked: Promise<void> | undefined;

  constructor(options: PocketsphinxTranscriberOptions = {}) {
    this.#binary = options.binary ?? "pocketsphinx_batch";
    this.#model = options.acousticModel ?? path.join(POCKETSPHINX_MODEL_DIRECTORY, "en-us");
    this.#languageModel = options.languageModel ?? path.join(path.dirname(this.#model), "en-us.lm.bin");
    this.#dictionary = options.dictionary ?? path.join(path.dirname(this.#model), "cmudict-en-us.dict");
    this.#minConfidence = options.minConfidence ?? DEFAULT_MIN_TRANSCRIPT_CONFIDENCE;
    this.#timeoutMs = options.timeoutMs ?? 20_000;
    this.#timeoutMsPerSecond = options.timeoutMsPerSecond ?? 3_000;
    this.#temporary = options.temporaryDirectory ?? tmpdir();
    this.#audio = options.audio ?? {};
    this.#pieces = options.pieces ?? {};
    this.#slots = new Slots(Math.max(1, options.maxConcurrency ?? 1));
  }

  async transcribe(audio: Audio): Promise<Transcript | undefined> {
    const { transcript } = await this.dictate(audio);
    return transcript && transcript.confidence >= this.#minConfidence ? transcript : undefined;
  }

  /** The transcript whatever its confidence, with the words and figures behind it. */
  async dictate(audio: Audio): Promise<Dictation> {
    if (!(audio instanceof Int16Array)) throw invalidAudio("The audio to transcribe is 16-bit samples (an Int16Array).");
    if (audio.length > MAX_TRANSCRIPTION_AUDIO_SECONDS * SAMPLE_RATE) {
      throw invalidAudio(`The audio to transcribe is longer than ${MAX_TRANSCRIPTION_AUDIO_SECONDS} s.`);
    }
    await this.#checkModels();
    const pieces: Int16Array[] = [];
    for (const range of splitAtPauses(audio, this.#pieces)) {
      const samples = toDecoderAudio(audio.subarray(range.from, range.to), this.#audio);
      if (samples) pieces.push(samples);
      // Each piece's upsampling takes up to about 35 ms: let the event loop serve others in between.
      await nextTurn();
    }
    if (pieces.length === 0) return { transcript: undefined, words: [], pieces: 0, decoderMs: 0 };

    const timeoutMs = this.#timeoutMs + (this.#timeoutMsPerSecond * audio.length) / SAMPLE_RATE;
    const { words, decoderMs } = await this.#slots.run(async () => {
      const started = performance.now();
      const heard = await this.#dictate(pieces, timeoutMs);
      return { words: heard.flat(), decoderMs: performance.now() - started };
    });
    const transcript =
      words.length === 0
        ? undefined
        : {
            text: words.map((w) => w.word).join(" "),
            confidence: words.reduce((sum, w) => sum + w.confidence, 0) / words.length,
          };
    return { transcript, words, pieces: pieces.length, decoderMs };
  }

  /** Stops the transcriptions under way (they fail with `speech.transcription_unavailable`). */
  async close(): Promise<void> {
    const running = [...this.#running];
    this.#running.clear();
    await Promise.all(running.map((decoder) => decoder.close()));
  }

  async #dictate(pieces: readonly Int16Array[], timeoutMs: number): Promise<DictatedWord[][]> {
    const decoder = new PocketsphinxProcess({
      binary: this.#binary,
      acousticModel: this.#model,
      dictionary: this.#dictionary,
      extraEntries: [],
      temporaryDirectory: this.#temporary,
      languageModel: this.#languageModel,
    });
    this.#running.add(decoder);
    try {
      return await decoder.dictate(pieces, timeoutMs);
    } catch (error) {
      throw unavailable(
        error instanceof DecoderFailure && error.missing
          ? `Transcription is not available: ${this.#binary} is not installed (Debian package pocketsphinx).`
          : `Transcription failed: ${describe(error)}.`,
        error,
      );
    } finally {
      this.#running.delete(decoder);
      await decoder.close();
    }
  }

  #checkModels(): Promise<void> {
    this.#modelChecked ??= Promise.all(
      [path.join(this.#model, "mdef"), this.#languageModel, this.#dictionary].map((file) => access(file)),
    ).then(
      () => undefined,
      (error: unknown) => {
        this.#modelChecked = undefined; // installed later: look again next time
        throw unavailable(
          `Transcription is not available: the acoustic model, language model or dictionary is missing (Debian package pocketsphinx-en-us): ${describe(error)}.`,
          error,
        );
      },
    );
    return this.#modelChecked;
  }
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

const unavailable = (message: string, cause?: unknown) =>
  new DomainError("speech.transcription_unavailable", "unavailable", message, [], cause === undefined ? undefined : { cause });

const invalidAudio = (message: string) =>
  new DomainError("speech.invalid_audio", "invalid", message, [{ field: "audio", message }]);
