import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Audio, SAMPLE_RATE } from "@switchboard/core";
import { type ProcessRunner, spawnProcess } from "../synthesis/index.js";
import { type CorpusVoice, speak } from "./recognition-corpus.js";

/**
 * Test speech for the transcriber: what callers say in a voicemail message, each sentence said by a
 * test voice (see `CORPUS_VOICES`), and joined into one message with pauses between sentences.
 */
export const VOICEMAIL_SENTENCES: readonly string[] = [
  "Hi this is John calling about my order please call me back",
  "Hello it's Maria from the dentist office your appointment is on Tuesday at ten in the morning",
  "This is a message for the billing department I was charged twice this month and I would like a refund",
  "Hey it's me I'm running late for the meeting I'll be there in twenty minutes",
  "Good afternoon my name is David Lee and I'm returning your call about the job interview my number is five five five one two three four",
  "Please call me back as soon as you can it's about the delivery that was supposed to arrive yesterday",
];

/** The sentences said by one voice, one after another with `pauseMs` of silence between them (8 kHz). */
export async function renderVoicemail(
  voice: CorpusVoice,
  sentences: readonly string[] = VOICEMAIL_SENTENCES,
  options: { readonly pauseMs?: number; readonly runner?: ProcessRunner } = {},
): Promise<Audio> {
  const directory = await mkdtemp(path.join(tmpdir(), "switchboard-voicemail-"));
  try {
    const said: Audio[] = [];
    for (const sentence of sentences) said.push(await speak(voice, sentence, directory, options.runner ?? spawnProcess));
    const pause = Math.round(((options.pauseMs ?? 600) * SAMPLE_RATE) / 1000);
    const message = new Int16Array(said.reduce((length, audio) => length + audio.length, 0) + pause * (said.length - 1));
    let at = 0;
    for (const audio of said) {
      message.set(audio, at);
      at += audio.length + pause;
    }
    return message;
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/**
 * Word errors of a transcript against what was said: the fewest words substituted, deleted and inserted
 * to turn one into the other (Levenshtein over words), and the words said. Both are compared in lower case
 * without punctuation; the word error rate is `errors / words`.
 */
export function wordErrors(said: string, heard: string): { readonly errors: number; readonly words: number } {
  const reference = wordsOf(said);
  const hypothesis = wordsOf(heard);
  let previous = Array.from({ length: hypothesis.length + 1 }, (_, j) => j);
  for (let i = 1; i <= reference.length; i++) {
    const row = [i];
    for (let j = 1; j <= hypothesis.length; j++) {
      const substitution = (previous[j - 1] as number) + (reference[i - 1] === hypothesis[j - 1] ? 0 : 1);
      row.push(Math.min(substitution, (previous[j] as number) + 1, (row[j - 1] as number) + 1));
    }
    previous = row;
  }
  return { errors: previous[hypothesis.length] as number, words: reference.length };
}

const wordsOf = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9' ]+/g, " ")
    .split(/\s+/)
    .filter((word) => word.length > 0);
