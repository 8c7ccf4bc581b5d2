import { DomainError, type Grammar } from "@switchboard/core";
import { digitWords } from "../prompts/index.js";
import { ARPABET_PHONES, type Pronouncer } from "./pronouncing-dictionary.js";

/**
 * A grammar as pocketsphinx takes it: a finite-state grammar (Sphinx FSG format) whose paths are the
 * choices' phrases, a second one that is a free loop of phones (the yardstick for confidence: how much
 * better than "any sounds at all" the best phrase fits), and the pronunciations of the choices' words.
 *
 * Why FSG rather than JSGF: pocketsphinx 5prealpha ignores JSGF weights, and the phone loop needs none of
 * JSGF's rules. Words reach the files only after `phraseWords` reduced them to letters and apostrophes, so
 * no phrase can break a line or name a file.
 */
export interface GrammarSearch {
  /** The choices' phrases, from state 0 to state 1. */
  readonly choicesFsg: string;
  /** Any sequence of one or more phones. */
  readonly phoneLoopFsg: string;
  /** Every word of the choices with its pronunciations (ARPAbet). */
  readonly pronunciations: ReadonlyMap<string, readonly string[]>;
  /** The decoded words (joined by one space) of each phrase, and what they stand for. */
  readonly phrases: ReadonlyMap<string, { readonly choiceId: string; readonly text: string }>;
  /** Words no pronouncer knew; phrases with them were left out. */
  readonly unknownWords: readonly string[];
}

/** Phone-loop words have an underscore, which `phraseWords` never leaves in a word: no phrase can collide with them. */
export const phoneWord = (phone: string): string => `ph_${phone.toLowerCase()}`;

/**
 * Lower-case words of a phrase: accents dropped, digits said one by one ("option 2" is "option two"),
 * hyphens and punctuation as spaces, apostrophes kept.
 */
export function phraseWords(phrase: string): string[] {
  return phrase
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/[0-9]+/g, (digits) => ` ${digitWords(digits).join(" ")} `)
    .replace(/[^a-z']+/g, " ")
    .split(" ")
    .map((word) => word.replace(/^'+|'+$/g, ""))
    .filter((word) => word.length > 0);
}

const MAX_CHOICES = 500;
const MAX_PHRASES = 2_000;
const MAX_WORDS_PER_PHRASE = 12;
const PRONOUNCED_AT_ONCE = 4;

export async function compileGrammar(grammar: Grammar, pronouncer: Pronouncer): Promise<GrammarSearch> {
  const choices = grammar?.choices;
  if (!Array.isArray(choices) || choices.length === 0) throw invalidGrammar("A grammar needs at least one choice.");
  if (choices.length > MAX_CHOICES) throw invalidGrammar(`A grammar has at most ${MAX_CHOICES} choices.`);

  const phrases = new Map<string, { choiceId: string; text: string }>();
  for (const choice of choices) {
    if (typeof choice?.id !== "string" || !Array.isArray(choice.phrases) || choice.phrases.length === 0) {
      throw invalidGrammar("Each choice has an id and at least one phrase.");
    }
    for (const phrase of choice.phrases) {
      if (typeof phrase !== "string") throw invalidGrammar(`Choice "${choice.id}" has a phrase that is not text.`);
      const words = phraseWords(phrase);
      if (words.length === 0) continue;
      if (words.length > MAX_WORDS_PER_PHRASE) {
        throw invalidGrammar(`"${phrase}" is longer than ${MAX_WORDS_PER_PHRASE} words: a menu phrase is a few words.`);
      }
      const key = words.join(" ");
      const earlier = phrases.get(key);
      if (earlier && earlier.choiceId !== choice.id) {
        throw invalidGrammar(`"${phrase}" names both "${earlier.choiceId}" and "${choice.id}".`);
      }
      if (!earlier) phrases.set(key, { choiceId: choice.id, text: phrase });
    }
  }
  if (phrases.size > MAX_PHRASES) throw invalidGrammar(`A grammar has at most ${MAX_PHRASES} phrases.`);

  const words = [...new Set([...phrases.keys()].flatMap((key) => key.split(" ")))];
  const pronunciations = new Map<string, readonly string[]>();
  // A few at a time: a directory's unknown names each cost a run of espeak-ng the first time.
  for (let i = 0; i < words.length; i += PRONOUNCED_AT_ONCE) {
    const batch = words.slice(i, i + PRONOUNCED_AT_ONCE);
    const found = await Promise.all(batch.map((word) => pronouncer.pronounce(word)));
    batch.forEach((word, index) => {
      pronunciations.set(word, found[index] ?? []);
    });
  }
  const unknownWords = [...pronunciations].filter(([, list]) => list.length === 0).map(([word]) => word);
  for (const key of [...phrases.keys()]) {
    if (key.split(" ").some((word) => pronunciations.get(word)?.length === 0)) phrases.delete(key);
  }
  if (phrases.size === 0) {
    throw invalidGrammar(`No phrase of the grammar can be recognized: no pronunciation is known for ${unknownWords.join(", ")}.`);
  }

  for (const word of unknownWords) pronunciations.delete(word);

  return {
    choicesFsg: choicesFsg([...phrases.keys()]),
    phoneLoopFsg: PHONE_LOOP_FSG,
    pronunciations,
    phrases,
    unknownWords,
  };
}

/** Dictionary lines (`word phones`, alternates as `word(2)`) of words and their pronunciations. */
export function dictionaryLines(pronunciations: Iterable<readonly [string, readonly string[]]>): string[] {
  const lines: string[] = [];
  for (const [word, list] of pronunciations) {
    list.forEach((phones, index) => {
      lines.push(`${word}${index === 0 ? "" : `(${index + 1})`} ${phones}`);
    });
  }
  return lines;
}

/** The phone loop's words, one per phone. */
export const PHONE_LOOP_DICTIONARY: readonly string[] = ARPABET_PHONES.map((phone) => `${phoneWord(phone)} ${phone}`);

/**
 * Every phrase a chain of states from 0 to 1. Each phrase is as likely as any other (probability 1: the
 * decoder scales it by its language weight, and equal weights leave the choice to the acoustics).
 */
function choicesFsg(phrases: readonly string[]): string {
  const lines: string[] = [];
  let states = 2;
  for (const phrase of phrases) {
    const words = phrase.split(" ");
    let from = 0;
    words.forEach((word, index) => {
      const to = index === words.length - 1 ? 1 : states++;
      lines.push(`TRANSITION ${from} ${to} 1.0 ${word}`);
      from = to;
    });
  }
  return fsg("choices", states, lines);
}

const fsg = (name: string, states: number, transitions: readonly string[]) =>
  `FSG_BEGIN ${name}\nNUM_STATES ${states}\nSTART_STATE 0\nFINAL_STATE 1\n${transitions.join("\n")}\nFSG_END\n`;

/** One phone, then any number more; no cost per phone, so the loop fits the sounds as well as it can. */
const PHONE_LOOP_FSG = fsg(
  "phones",
  2,
  ARPABET_PHONES.flatMap((phone) => [`TRANSITION 0 1 1.0 ${phoneWord(phone)}`, `TRANSITION 1 1 1.0 ${phoneWord(phone)}`]),
);

const invalidGrammar = (message: string) =>
  new DomainError("speech.invalid_grammar", "invalid", message, [{ field: "grammar", message }]);
