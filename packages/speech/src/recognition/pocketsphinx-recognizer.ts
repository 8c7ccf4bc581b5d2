import { access } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { type Audio, DomainError, type Grammar, type Recognition, SAMPLE_RATE, type SpeechRecognizer } from "@switchboard/core";
import { Slots } from "../slots.js";
import { type DecoderAudioOptions, toDecoderAudio } from "./decoder-audio.js";
import { EspeakPronouncer } from "./espeak-pronouncer.js";
import { compileGrammar, dictionaryLines, type GrammarSearch, PHONE_LOOP_DICTIONARY } from "./grammar-search.js";
import type { HypothesisSegments } from "./hypothesis-segments.js";
import { DecoderFailure, PocketsphinxProcess } from "./pocketsphinx-process.js";
import { type Pronouncer, PronouncingDictionary } from "./pronouncing-dictionary.js";

export interface PocketsphinxRecognizerOptions {
  /** pocketsphinx's batch decoder: a path, or a name on PATH (default `pocketsphinx_batch`, Debian package `pocketsphinx`). */
  readonly binary?: string;
  /** The acoustic model's directory (default Debian's `pocketsphinx-en-us`: `/usr/share/pocketsphinx/model/en-us/en-us`). */
  readonly acousticModel?: string;
  /** The pronouncing dictionary (default: the CMU dictionary of `pocketsphinx-en-us`, beside the model). */
  readonly dictionary?: string;
  /** Pronunciations of words the dictionary lacks (default: espeak-ng's letter-to-sound rules). */
  readonly fallbackPronouncer?: Pronouncer;
  /** Below this confidence `recognize` answers null (default 0.5: see `confidenceOf`). */
  readonly minConfidence?: number;
  /** A decoding taking longer fails with `speech.recognition_unavailable` (default 10 s; the first one also loads the model). */
  readonly timeoutMs?: number;
  /** Decoder processes, and so decodings at once, at most; more wait their turn (default: the number of CPUs). */
  readonly maxConcurrency?: number;
  /** Where the decoders' files go (default: the system's temporary directory). */
  readonly temporaryDirectory?: string;
  /** How the audio is cut and brought to 16 kHz (the defaults are what we measured best). */
  readonly audio?: DecoderAudioOptions;
}

/** Everything a decoding found, before the confidence threshold: for calibration and accuracy reports. */
export interface Decoding {
  /** The best phrase and its choice; null when no phrase of the grammar fits the audio at all. */
  readonly recognition: Recognition | null;
  /** Per 10 ms frame of the phrase, how much better (positive) or worse it fits than the best free sequence of phones. */
  readonly scorePerFrame: number;
  /** Milliseconds the decoder took (0 when the audio held no speech and nothing was decoded). */
  readonly decoderMs: number;
  /** Words of the grammar no pronouncer knew; their phrases could not be heard. */
  readonly unknownWords: readonly string[];
  /** The decoder's best paths through the grammar and through the phone loop, when it found both. */
  readonly paths?: { readonly choices: HypothesisSegments; readonly phones: HypothesisSegments };
}

export const POCKETSPHINX_MODEL_DIRECTORY = "/usr/share/pocketsphinx/model/en-us";
export const DEFAULT_MIN_CONFIDENCE = 0.5;
/** A caller answering a menu says a few words; a minute of audio is a mistake upstream, not an answer. */
export const MAX_RECOGNITION_AUDIO_SECONDS = 60;
/** Words from the fallback pronouncer kept for the decoders' dictionary (a large directory's odd names). */
const MAX_EXTRA_WORDS = 20_000;

/**
 * Offline speech recognition of a small grammar (a menu's options, a directory's names) with pocketsphinx
 * and Debian's US English model.
 *
 * The audio is cut to the speech and brought to 16 kHz (see `toDecoderAudio`), then decoded twice by a
 * long-lived `pocketsphinx_batch` (see `PocketsphinxProcess`): against the grammar, written as an FSG with
 * one path per phrase, and against a free loop of phones. The grammar's best phrase is the answer; how its
 * acoustic score compares with the phone loop's is the confidence, so that a word outside the grammar, a
 * cough or line noise, which the grammar would still force into its nearest phrase, fits the phone loop
 * much better and is answered null. Audio with no speech in it is answered null without decoding.
 *
 * Decoders start on first use (loading the model and the dictionary: 0.3–0.7 s) and stay, one per
 * concurrent decoding up to `maxConcurrency`, about 50 MB each; a decoding of a short answer then takes
 * about 50 ms, 100 ms end to end. A decoder that dies or hangs is killed and replaced on the next recognition; `close()`
 * stops them all. Programs run with argument arrays, never through a shell, and a grammar's words reach
 * the decoder's files only as letters and apostrophes.
 */
export class PocketsphinxRecognizer implements SpeechRecognizer {
  readonly #binary: string;
  readonly #model: string;
  readonly #dictionaryFile: string;
  readonly #dictionary: PronouncingDictionary;
  readonly #fallback: Pronouncer;
  readonly #minConfidence: number;
  readonly #timeoutMs: number;
  readonly #temporary: string;
  readonly #audio: DecoderAudioOptions;
  readonly #slots: Slots;
  /** Words only the fallback pronouncer knew: added to the dictionary of every decoder started after them. */
  readonly #extra = new Map<string, readonly string[]>();
  readonly #idle: { decoder: PocketsphinxProcess; words: ReadonlySet<string> }[] = [];
  readonly #all = new Set<PocketsphinxProcess>();
  #modelChecked: Promise<void> | undefined;

  constructor(options: PocketsphinxRecognizerOptions = {}) {
    this.#binary = options.binary ?? "pocketsphinx_batch";
    this.#model = options.acousticModel ?? path.join(POCKETSPHINX_MODEL_DIRECTORY, "en-us");
    this.#dictionaryFile = options.dictionary ?? path.join(path.dirname(this.#model), "cmudict-en-us.dict");
    this.#dictionary = new PronouncingDictionary(this.#dictionaryFile);
    this.#fallback = options.fallbackPronouncer ?? new EspeakPronouncer();
    this.#minConfidence = options.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#temporary = options.temporaryDirectory ?? tmpdir();
    this.#audio = options.audio ?? {};
    this.#slots = new Slots(Math.max(1, options.maxConcurrency ?? availableParallelism()));
  }

  async recognize(audio: Audio, grammar: Grammar): Promise<Recognition | null> {
    const { recognition } = await this.decode(audio, grammar);
    return recognition && recognition.confidence >= this.#minConfidence ? recognition : null;
  }

  /** The best phrase whatever its confidence, with the figures behind it. */
  async decode(audio: Audio, grammar: Grammar): Promise<Decoding> {
    if (!(audio instanceof Int16Array)) throw invalidAudio("The audio to recognize is 16-bit samples (an Int16Array).");
    if (audio.length > MAX_RECOGNITION_AUDIO_SECONDS * SAMPLE_RATE) {
      throw invalidAudio(`The audio to recognize is longer than ${MAX_RECOGNITION_AUDIO_SECONDS} s.`);
    }
    await this.#checkModel();
    const search = await this.#compile(grammar);
    const samples = toDecoderAudio(audio, this.#audio);
    const nothing = { recognition: null, scorePerFrame: Number.NEGATIVE_INFINITY, unknownWords: search.unknownWords };
    if (!samples) return { ...nothing, decoderMs: 0 };

    const started = performance.now();
    const [choices, phones] = await this.#slots.run(() => this.#decode(samples, search));
    const decoderMs = performance.now() - started;

    const phrase = choices ? search.phrases.get(choices.words.join(" ")) : undefined;
    if (!choices || !phones || !phrase) return { ...nothing, decoderMs };
    // Per frame of the phrase's words: the silence around them scores the same in both decodings, and
    // counting it would make a short word in a long recording look surer than it is.
    const scorePerFrame = (choices.acousticScore - phones.acousticScore) / Math.max(1, choices.wordFrames);
    return {
      recognition: { choiceId: phrase.choiceId, text: phrase.text, confidence: confidenceOf(scorePerFrame) },
      scorePerFrame,
      decoderMs,
      unknownWords: search.unknownWords,
      paths: { choices, phones },
    };
  }

  /** Stops the decoder processes (the next recognition starts them again). */
  async close(): Promise<void> {
    const all = [...this.#all];
    this.#all.clear();
    this.#idle.length = 0;
    await Promise.all(all.map((decoder) => decoder.close()));
  }

  async #compile(grammar: Grammar): Promise<GrammarSearch> {
    const pronouncer: Pronouncer = {
      pronounce: async (word) => {
        const known = await this.#dictionary.pronounce(word);
        if (known.length > 0) return known;
        const guessed = this.#extra.get(word) ?? (await this.#fallback.pronounce(word));
        if (guessed.length > 0 && !this.#extra.has(word) && this.#extra.size < MAX_EXTRA_WORDS) this.#extra.set(word, guessed);
        return this.#extra.has(word) ? guessed : [];
      },
    };
    try {
      return await compileGrammar(grammar, pronouncer);
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw unavailable(
        `Speech recognition is not available: the pronouncing dictionary could not be read (${describe(error)}).`,
        error,
      );
    }
  }

  async #decode(samples: Int16Array, search: GrammarSearch) {
    const needed = [...search.pronunciations.keys()].filter((word) => this.#extra.has(word));
    let entry = this.#idle.pop();
    if (entry && (!entry.decoder.alive || needed.some((word) => !entry?.words.has(word)))) {
      // Dead, or started before words this grammar needs were known: its dictionary cannot change.
      this.#all.delete(entry.decoder);
      void entry.decoder.close();
      entry = undefined;
    }
    entry ??= this.#spawn();
    try {
      return await entry.decoder.decode(samples, [search.choicesFsg, search.phoneLoopFsg], this.#timeoutMs);
    } catch (error) {
      throw unavailable(
        error instanceof DecoderFailure && error.missing
          ? `Speech recognition is not available: ${this.#binary} is not installed (Debian package pocketsphinx).`
          : `Speech recognition failed: ${describe(error)}.`,
        error,
      );
    } finally {
      if (entry.decoder.alive && this.#all.has(entry.decoder)) this.#idle.push(entry);
      else {
        this.#all.delete(entry.decoder);
        void entry.decoder.close();
      }
    }
  }

  #spawn() {
    const decoder = new PocketsphinxProcess({
      binary: this.#binary,
      acousticModel: this.#model,
      dictionary: this.#dictionaryFile,
      extraEntries: [...PHONE_LOOP_DICTIONARY, ...dictionaryLines(this.#extra)],
      temporaryDirectory: this.#temporary,
    });
    this.#all.add(decoder);
    return { decoder, words: new Set(this.#extra.keys()) };
  }

  #checkModel(): Promise<void> {
    this.#modelChecked ??= access(path.join(this.#model, "mdef")).catch((error: unknown) => {
      this.#modelChecked = undefined; // installed later: look again next time
      throw unavailable(
        `Speech recognition is not available: no acoustic model at ${this.#model} (Debian package pocketsphinx-en-us).`,
        error,
      );
    });
    return this.#modelChecked;
  }
}

/**
 * Maps the phrase's score against the phone loop (per frame of the phrase) to 0 … 1: a logistic curve
 * centred where our measurements put the border between right answers and the rest. The phone loop, without
 * word context, usually fits speech worse than the right words do, so right phrases mostly score above 0;
 * words outside the grammar and noise forced into the nearest phrase score below -8, where the curve
 * passes 0.5, the default threshold (measured: 91% of phrases right, 1.5% wrong, 96% of other words
 * rejected; see the README). -4 is 0.88, -12 is 0.12.
 */
export function confidenceOf(scorePerFrame: number): number {
  if (!Number.isFinite(scorePerFrame)) return 0;
  return 1 / (1 + Math.exp(-(scorePerFrame - CONFIDENCE_MIDPOINT) / CONFIDENCE_SCALE));
}

const CONFIDENCE_MIDPOINT = -8;
const CONFIDENCE_SCALE = 2;

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

const unavailable = (message: string, cause?: unknown) =>
  new DomainError("speech.recognition_unavailable", "unavailable", message, [], cause === undefined ? undefined : { cause });

const invalidAudio = (message: string) =>
  new DomainError("speech.invalid_audio", "invalid", message, [{ field: "audio", message }]);
