import type { Audio } from "./media.js";

/**
 * Speech recognition for menus and directories: what a caller said, matched against a small grammar
 * built from the choices a flow offers (its menu options, the directory's names). Offline only; the
 * keypad always remains available, so a flow works the same when no recognizer is configured.
 */

/** One thing a caller may say, under every phrase that names it ("sales", "the sales team"). */
export interface GrammarChoice {
  /** What the flow gets back when this choice is recognized (a menu key, a directory entry id). */
  readonly id: string;
  /** Lower-case words; at least one phrase. */
  readonly phrases: readonly string[];
}

export interface Grammar {
  readonly choices: readonly GrammarChoice[];
}

export interface Recognition {
  readonly choiceId: string;
  /** The phrase as heard. */
  readonly text: string;
  /** 0 to 1; what counts as sure enough is the recognizer's to calibrate (`null` below it). */
  readonly confidence: number;
}

export interface SpeechRecognizer {
  /** What the caller said among the grammar's choices, or null when nothing matched well enough. Audio is 8 kHz linear PCM. */
  recognize(audio: Audio, grammar: Grammar): Promise<Recognition | null>;
}

/**
 * Dictation: what a caller said in a voicemail message, as text, with no grammar to choose from. Kept
 * apart from `SpeechRecognizer`: a menu answer is a few words matched in about 100 ms while the caller
 * waits; a message is minutes of free speech transcribed after the call, at a fraction of real time.
 */
export interface Transcript {
  /** The words heard, in order, lower case. */
  readonly text: string;
  /** 0 to 1: how sure the transcriber is of the words, on average (the transcriber's own measure). */
  readonly confidence: number;
}

export interface SpeechTranscriber {
  /** The words of the audio (8 kHz linear PCM, up to a few minutes), or undefined when it heard none. */
  transcribe(audio: Audio): Promise<Transcript | undefined>;
}
