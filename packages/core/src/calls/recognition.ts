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
