import { tokenize } from "../text/normalize.js";
import { stem } from "../text/stem.js";
import { isStopword } from "../text/stopwords.js";
import type { SynonymGroups } from "./model.js";

/** One word of a text on its way to becoming a term. */
export interface Word {
  readonly surface: string;
  readonly stem: string;
  readonly stop: boolean;
  /** 1, or less for a word that was a typo for this one. */
  readonly weight: number;
}

/** A term the index scores: a stem, or the stem of a synonym group's first member. */
export interface Term {
  readonly term: string;
  readonly weight: number;
}

export const wordsOf = (text: string): Word[] =>
  tokenize(text).map((surface) => ({ surface, stem: stem(surface), stop: isStopword(surface), weight: 1 }));

interface Phrase {
  /** The member's stems, stopwords included ("how much" must say both words). */
  readonly stems: readonly string[];
  /** What it stands for: the group's first member, without its stopwords. */
  readonly canonical: readonly string[];
}

/**
 * Turns words into terms: replaces synonym phrases by their group's first member and drops stopwords.
 *
 * Every member of a group, single word or phrase, maps to the first member's terms: with
 * `["refund", "money back", "reimburse"]`, "I want my money back" and "reimbursed?" both become `refund`.
 * Members are compared by stem, so "refunds" and "reimbursing" match too. Inside a phrase the text may
 * have stopwords the member lacks ("send it back" matches "send back"). The longest member wins where two
 * start at the same word; a word in two groups belongs to the first group.
 */
export class Analyzer {
  private readonly phrasesByFirstStem = new Map<string, Phrase[]>();
  /** Stems and surface words that appear in some synonym member: the vocabulary knows them. */
  readonly stems = new Set<string>();
  readonly surfaces = new Set<string>();

  constructor(groups: SynonymGroups = []) {
    for (const group of groups) {
      const first = group[0];
      if (first === undefined) continue;
      const firstWords = wordsOf(first);
      const content = firstWords.filter((w) => !w.stop);
      const canonical = (content.length > 0 ? content : firstWords).map((w) => w.stem);
      if (canonical.length === 0) continue;
      for (const member of group) {
        const words = wordsOf(member);
        const head = words[0];
        if (head === undefined) continue;
        const list = this.phrasesByFirstStem.get(head.stem) ?? [];
        if (list.some((p) => sameStems(p.stems, words))) continue;
        list.push({ stems: words.map((w) => w.stem), canonical });
        list.sort((a, b) => b.stems.length - a.stems.length);
        this.phrasesByFirstStem.set(head.stem, list);
        for (const w of words) {
          this.stems.add(w.stem);
          this.surfaces.add(w.surface);
        }
      }
    }
  }

  /** The terms of a text (documents and queries without typo correction). */
  terms(text: string): Term[] {
    return this.termsOf(wordsOf(text));
  }

  /** The terms of words, in order; repeated terms stay repeated (documents count them). */
  termsOf(words: readonly Word[]): Term[] {
    const out: Term[] = [];
    let i = 0;
    while (i < words.length) {
      const word = words[i] as Word;
      const match = this.phraseAt(words, i);
      if (match) {
        const consumed = words.slice(i, match.end).filter((w) => !w.stop);
        const weight = consumed.length > 0 ? Math.min(...consumed.map((w) => w.weight)) : 1;
        for (const term of match.phrase.canonical) out.push({ term, weight });
        i = match.end;
      } else {
        if (!word.stop) out.push({ term: word.stem, weight: word.weight });
        i += 1;
      }
    }
    return out;
  }

  private phraseAt(words: readonly Word[], start: number): { phrase: Phrase; end: number } | undefined {
    const head = words[start];
    if (!head) return undefined;
    for (const phrase of this.phrasesByFirstStem.get(head.stem) ?? []) {
      const end = matchPhrase(phrase.stems, words, start);
      if (end !== undefined) return { phrase, end };
    }
    return undefined;
  }
}

function sameStems(stems: readonly string[], words: readonly Word[]): boolean {
  return stems.length === words.length && stems.every((s, i) => s === words[i]?.stem);
}

/** Where the phrase ends if it starts at `start`; stopwords of the text may sit between its words. */
function matchPhrase(stems: readonly string[], words: readonly Word[], start: number): number | undefined {
  let j = start;
  for (let k = 0; k < stems.length; k++) {
    const wanted = stems[k];
    if (k > 0) while (j < words.length && words[j]?.stop && words[j]?.stem !== wanted) j++;
    if (words[j]?.stem !== wanted) return undefined;
    j++;
  }
  return j;
}
