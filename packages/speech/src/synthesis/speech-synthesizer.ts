import { type Audio, DomainError } from "@switchboard/core";

/** What to say, and optionally how. Voice and rate left out take the synthesizer's defaults. */
export interface SpeechRequest {
  readonly text: string;
  readonly voice?: string;
  /** Words per minute. */
  readonly rate?: number;
}

/** A request with its text normalized and its defaults filled in: everything the audio depends on. */
export interface ResolvedSpeechRequest {
  readonly text: string;
  readonly voice: string;
  readonly rate: number;
}

/**
 * Text to telephone audio. `resolve` is separate from `synthesize` so that a cache can validate a request
 * and key it by what the audio really depends on (an omitted voice and the default voice are one entry)
 * before deciding whether to synthesize at all.
 */
export interface SpeechSynthesizer {
  /** Names the engine and how we drive it; part of every cache key, so changing it retires old entries. */
  readonly engine: string;
  /** Validates and completes a request; throws `speech.invalid_text`, `speech.invalid_voice` or `speech.invalid_rate`. */
  resolve(request: SpeechRequest): ResolvedSpeechRequest;
  /** 8 kHz mono 16-bit audio of the text, with 100 ms of silence before and after the speech. */
  synthesize(request: SpeechRequest): Promise<Audio>;
}

/** About two minutes of speech: longer belongs in a recording, not in a prompt rendered on a call. */
export const MAX_SPEECH_TEXT_LENGTH = 2_000;

/**
 * Collapses whitespace and drops control characters (a prompt edited in a form may carry newlines and
 * tabs; they change neither the speech nor, after this, the cache key), then checks the length.
 */
export function normalizeSpeechText(text: unknown): string {
  if (typeof text !== "string") throw invalidText("The text to speak must be a string.");
  const normalized = text.replace(CONTROL_CHARACTERS, " ").replace(/\s+/g, " ").trim();
  if (normalized.length === 0) throw invalidText("There is no text to speak.");
  if (normalized.length > MAX_SPEECH_TEXT_LENGTH) {
    throw invalidText(`The text to speak has ${normalized.length} characters; at most ${MAX_SPEECH_TEXT_LENGTH} are allowed.`);
  }
  return normalized;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

const invalidText = (message: string) => new DomainError("speech.invalid_text", "invalid", message, [{ field: "text", message }]);
