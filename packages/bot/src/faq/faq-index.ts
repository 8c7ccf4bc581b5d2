import { DomainError } from "@switchboard/core";
import { editDistance } from "../text/edit-distance.js";
import { stem } from "../text/stem.js";
import { isStopword, STOPWORDS } from "../text/stopwords.js";
import { Analyzer, type Term, type Word, wordsOf } from "./analyzer.js";
import {
  DEFAULT_ANSWER_THRESHOLD,
  DEFAULT_SUGGEST_THRESHOLD,
  type FaqAnswer,
  type FaqAnswerOptions,
  type FaqEntryLike,
  type FaqMatch,
  type SynonymGroups,
} from "./model.js";

export interface FaqIndexOptions {
  /** BM25 term frequency saturation. Default 1.2. */
  readonly k1?: number;
  /** BM25 length normalization. Default 0.75. */
  readonly b?: number;
  /** How much a match in the answer text counts next to one in a question (0..1). Default 0.4. */
  readonly answerWeight?: number;
}

/** Score kept for a query word that was a typo, by edit distance. */
const TYPO_WEIGHT = [1, 0.8, 0.6] as const;

interface Field {
  readonly entry: number;
  readonly kind: "question" | "answer";
  readonly tf: ReadonlyMap<string, number>;
  readonly length: number;
  /** The field's BM25 score for its own terms: what a query saying exactly this phrasing scores. */
  selfScore: number;
}

interface Slot {
  readonly term: string;
  readonly weight: number;
  readonly idf: number;
  readonly known: boolean;
}

/**
 * Ranked retrieval over a tenant's knowledge base: BM25 over each entry's question and alternatives (each
 * phrasing is its own field; the entry counts its best one) plus its answer at a lower weight, with
 * synonym groups and typo tolerance.
 *
 * Text becomes terms by `normalizeText`, stopword removal, `stem` and synonym mapping (`Analyzer`). A
 * query word the vocabulary does not know is taken as a typo of the nearest vocabulary word within edit
 * distance 1 (words of 4+ letters) or 2 (8+ letters), and counts for less (0.8, 0.6). Inverse document
 * frequencies are computed over entries, so a word that appears in many entries separates them poorly
 * however often one entry's alternatives repeat it.
 *
 * **Confidence** (0..1) is the geometric mean of two coverages, taken for the entry's best phrasing:
 * - how much of the phrasing the query covers: the BM25 score relative to the phrasing's score for itself;
 * - how much of the query the entry explains: the IDF mass of the query's terms found in the phrasing (or,
 *   at `answerWeight`, in the answer), relative to all of the query's terms. A query word the knowledge
 *   base has never seen weighs as much as its rarest term, so "what is the meaning of life" explains
 *   almost nothing even when "life" appears somewhere.
 * An entry's own question scores 1; a paraphrase with the main words scores about 0.6–0.9; a question
 * sharing one common word with an entry stays below 0.4. An entry found only through its answer scores at
 * most `answerWeight`. Results are ranked by confidence, then by BM25 score.
 */
export class FaqIndex<E extends FaqEntryLike = FaqEntryLike> {
  readonly entries: readonly E[];
  private readonly analyzer: Analyzer;
  private readonly k1: number;
  private readonly b: number;
  private readonly answerWeight: number;
  private readonly fields: Field[] = [];
  private readonly fieldsByEntry: Field[][] = [];
  private readonly idf = new Map<string, number>();
  private readonly postings = new Map<string, number[]>();
  private readonly averageLength: Record<Field["kind"], number> = { question: 1, answer: 1 };
  /** Every word of the entries, the synonyms and the stopword list, by length: what a typo may have meant. */
  private readonly vocabulary = new Map<number, string[]>();
  private readonly byId = new Map<string, E>();
  private readonly unknownIdf: number;

  constructor(entries: readonly E[], synonyms: SynonymGroups = [], options: FaqIndexOptions = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
    this.answerWeight = options.answerWeight ?? 0.4;
    this.analyzer = new Analyzer(synonyms);
    this.entries = entries;

    const surfaces = new Set<string>([...this.analyzer.surfaces, ...STOPWORDS]);
    const df = new Map<string, number>();
    entries.forEach((entry, index) => {
      if (this.byId.has(entry.id)) {
        throw new DomainError("faq.duplicate_entry", "invalid", `Two knowledge base entries have the id ${entry.id}.`, [
          { field: "id", message: "ids are unique" },
        ]);
      }
      this.byId.set(entry.id, entry);
      const own: Field[] = [];
      for (const [kind, text] of [
        ["question", entry.question],
        ...(entry.alternatives ?? []).map((a) => ["question", a] as const),
        ["answer", entry.answer],
      ] as const) {
        const words = wordsOf(text);
        for (const w of words) surfaces.add(w.surface);
        const terms = this.analyzer.termsOf(words);
        if (terms.length === 0) continue;
        const tf = new Map<string, number>();
        for (const { term } of terms) tf.set(term, (tf.get(term) ?? 0) + 1);
        const field: Field = { entry: index, kind, tf, length: terms.length, selfScore: 0 };
        own.push(field);
        this.fields.push(field);
      }
      this.fieldsByEntry.push(own);
      for (const term of new Set(own.flatMap((f) => [...f.tf.keys()]))) df.set(term, (df.get(term) ?? 0) + 1);
    });

    const n = entries.length;
    const idfOf = (count: number) => Math.log(1 + (n - count + 0.5) / (count + 0.5));
    for (const [term, count] of df) this.idf.set(term, idfOf(count));
    this.unknownIdf = idfOf(1);

    for (const kind of ["question", "answer"] as const) {
      const lengths = this.fields.filter((f) => f.kind === kind).map((f) => f.length);
      if (lengths.length > 0) this.averageLength[kind] = lengths.reduce((a, l) => a + l, 0) / lengths.length;
    }
    this.fields.forEach((field, i) => {
      for (const term of field.tf.keys()) {
        const list = this.postings.get(term) ?? [];
        list.push(i);
        this.postings.set(term, list);
      }
      field.selfScore = [...field.tf.keys()].reduce((sum, term) => sum + this.termScore(term, 1, field), 0);
    });

    for (const surface of surfaces) {
      const list = this.vocabulary.get(surface.length) ?? [];
      list.push(surface);
      this.vocabulary.set(surface.length, list);
    }
  }

  get size(): number {
    return this.entries.length;
  }

  get(id: string): E | undefined {
    return this.byId.get(id);
  }

  /** The entries that match the query, best first (see the class comment for `confidence`). */
  search(query: string, limit = 5): FaqMatch<E>[] {
    const slots = this.slotsOf(query);
    const total = slots.reduce((sum, s) => sum + s.idf, 0);
    if (total === 0) return [];

    const candidates = new Set<number>();
    for (const slot of slots) for (const f of this.postings.get(slot.term) ?? []) candidates.add((this.fields[f] as Field).entry);

    const matches: { index: number; match: FaqMatch<E> }[] = [];
    for (const index of candidates) {
      const fields = this.fieldsByEntry[index] ?? [];
      const answer = fields.find((f) => f.kind === "answer");
      const answerScore = answer ? this.fieldScore(slots, answer) : 0;
      const inAnswer = (slot: Slot) => (answer?.tf.has(slot.term) ? this.answerWeight * slot.weight * slot.idf : 0);

      let best = 0;
      // Found only through its answer, an entry is at most `answerWeight` sure.
      let confidence = slots.reduce((sum, s) => sum + inAnswer(s), 0) / total;
      for (const field of fields) {
        if (field.kind !== "question") continue;
        const score = this.fieldScore(slots, field);
        best = Math.max(best, score);
        if (score === 0 || field.selfScore === 0) continue;
        const phrasingCovered = Math.min(1, score / field.selfScore);
        const explained = slots.reduce((sum, s) => sum + Math.max(field.tf.has(s.term) ? s.weight * s.idf : 0, inAnswer(s)), 0);
        confidence = Math.max(confidence, Math.sqrt(phrasingCovered * Math.min(1, explained / total)));
      }
      const score = best + this.answerWeight * answerScore;
      if (score > 0) matches.push({ index, match: { entry: this.entries[index] as E, score, confidence } });
    }
    matches.sort((a, b) => b.match.confidence - a.match.confidence || b.match.score - a.match.score || a.index - b.index);
    return matches.slice(0, limit).map((m) => m.match);
  }

  /** Answer outright, offer the closest questions, or nothing (see `FaqAnswerOptions` for the thresholds). */
  answer(query: string, options: FaqAnswerOptions = {}): FaqAnswer<E> {
    const threshold = options.threshold ?? DEFAULT_ANSWER_THRESHOLD;
    const suggestThreshold = Math.min(options.suggestThreshold ?? DEFAULT_SUGGEST_THRESHOLD, threshold);
    const suggestions = options.suggestions ?? 3;
    const margin = options.margin ?? 0.15;
    const matches = this.search(query, Math.max(suggestions, 2));
    const [top, second] = matches;
    if (!top || top.confidence < suggestThreshold) return { kind: "none" };
    const ambiguous = second !== undefined && top.confidence - second.confidence < margin;
    if (top.confidence >= threshold && !ambiguous) return { kind: "answer", entry: top.entry, confidence: top.confidence };
    const candidates = matches.filter((m) => m.confidence >= suggestThreshold).slice(0, suggestions);
    return { kind: "suggest", candidates };
  }

  private termScore(term: string, weight: number, field: Field): number {
    const tf = field.tf.get(term);
    if (tf === undefined) return 0;
    const idf = this.idf.get(term) ?? 0;
    const norm = 1 - this.b + (this.b * field.length) / this.averageLength[field.kind];
    return (weight * idf * tf * (this.k1 + 1)) / (tf + this.k1 * norm);
  }

  private fieldScore(slots: readonly Slot[], field: Field): number {
    return slots.reduce((sum, s) => sum + (s.known ? this.termScore(s.term, s.weight, field) : 0), 0);
  }

  /** The query's distinct terms, typos corrected, each with its weight and IDF. */
  private slotsOf(query: string): Slot[] {
    const words: Word[] = [];
    for (const word of wordsOf(query)) {
      if (word.stop || this.knows(word.stem)) words.push(word);
      else if (/^\d+$/.test(word.surface) || word.surface.length <= 2) continue;
      else words.push(this.correct(word));
    }
    const best = new Map<string, Term>();
    for (const t of this.analyzer.termsOf(words)) {
      const seen = best.get(t.term);
      if (!seen || seen.weight < t.weight) best.set(t.term, t);
    }
    return [...best.values()].map(({ term, weight }) => {
      const idf = this.idf.get(term);
      return idf === undefined ? { term, weight, idf: this.unknownIdf, known: false } : { term, weight, idf, known: true };
    });
  }

  private knows(stemmed: string): boolean {
    return this.idf.has(stemmed) || this.analyzer.stems.has(stemmed);
  }

  /** The vocabulary word a typo most likely meant: the nearest, then the one more entries use. */
  private correct(word: Word): Word {
    const length = word.surface.length;
    if (length < 4) return word;
    const max = length >= 8 ? 2 : 1;
    let best: { surface: string; distance: number; common: number } | undefined;
    for (let l = length - max; l <= length + max; l++) {
      for (const candidate of this.vocabulary.get(l) ?? []) {
        // A stopword only for a same-length slip ("yuor" is "your"), never an insertion ("rent" is not "aren't").
        if (l !== length && isStopword(candidate)) continue;
        const distance = editDistance(word.surface, candidate, max);
        if (distance > max) continue;
        const common = isStopword(candidate) ? Number.POSITIVE_INFINITY : this.commonness(stem(candidate));
        if (!best || distance < best.distance || (distance === best.distance && common > best.common)) {
          best = { surface: candidate, distance, common };
        }
      }
    }
    if (!best) return word;
    return {
      surface: best.surface,
      stem: stem(best.surface),
      stop: isStopword(best.surface),
      weight: TYPO_WEIGHT[best.distance] ?? 0,
    };
  }

  /** Higher for a term more entries use (IDF falls as document frequency rises); stopwords beat all. */
  private commonness(stemmed: string): number {
    const idf = this.idf.get(stemmed);
    return idf === undefined ? Number.NEGATIVE_INFINITY : -idf;
  }
}
