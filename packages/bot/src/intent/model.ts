/** An intent as the classifier learns it. `@switchboard/core`'s `IntentSettings` fits. */
export interface IntentDefinition {
  /** A stable name, e.g. `order_status`. */
  readonly name: string;
  /** What customers say when they mean it: a dozen varied examples or more. */
  readonly examples: readonly string[];
}

export interface IntentScore {
  readonly intent: string;
  /** Cosine similarity of the text to the intent's centroid, 0..1. */
  readonly score: number;
}

export interface IntentClassification {
  /** The recognized intent, or null when the confidence is below the classifier's threshold. */
  readonly intent: string | null;
  /** How sure the classifier is of the best intent, 0..1 (see `IntentClassifier`). */
  readonly confidence: number;
  /** Every intent, best first. */
  readonly ranking: readonly IntentScore[];
}
