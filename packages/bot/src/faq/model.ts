/**
 * The knowledge base as the bot reads it. `@switchboard/core`'s `FaqEntry` fits `FaqEntryLike`, and the
 * index hands back the caller's own entry objects, so the runtime can pass stored entries straight in.
 */
export interface FaqEntryLike {
  readonly id: string;
  readonly question: string;
  readonly answer: string;
  /** Other ways customers ask the same question; each is matched like the question itself. */
  readonly alternatives?: readonly string[];
}

/** Words and phrases that mean the same, e.g. `[["refund", "money back", "reimburse"]]`. */
export type SynonymGroups = readonly (readonly string[])[];

export interface FaqMatch<E extends FaqEntryLike = FaqEntryLike> {
  readonly entry: E;
  /** The BM25 score: comparable between entries for one query, not between queries. */
  readonly score: number;
  /** How well the query and the entry match, from 0 (not at all) to 1 (the entry's own question); see `FaqIndex`. */
  readonly confidence: number;
}

/** What the bot should do with a question: answer it, offer the closest questions, or admit it does not know. */
export type FaqAnswer<E extends FaqEntryLike = FaqEntryLike> =
  | { readonly kind: "answer"; readonly entry: E; readonly confidence: number }
  | { readonly kind: "suggest"; readonly candidates: readonly FaqMatch<E>[] }
  | { readonly kind: "none" };

export interface FaqAnswerOptions {
  /** Confidence at or above which the best entry is the answer. Default `DEFAULT_ANSWER_THRESHOLD`. */
  readonly threshold?: number;
  /** Confidence at or above which an entry is worth offering as a suggestion. Default `DEFAULT_SUGGEST_THRESHOLD`. */
  readonly suggestThreshold?: number;
  /** How many suggestions at most. Default 3. */
  readonly suggestions?: number;
  /**
   * When the runner-up is within this much of the best entry's confidence, the question is ambiguous and
   * both are suggested instead of answering one. Default 0.15.
   */
  readonly margin?: number;
}

export const DEFAULT_ANSWER_THRESHOLD = 0.55;
export const DEFAULT_SUGGEST_THRESHOLD = 0.4;
