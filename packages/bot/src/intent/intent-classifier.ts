import { DomainError } from "@switchboard/core";
import { featuresOf } from "./features.js";
import type { IntentClassification, IntentDefinition, IntentScore } from "./model.js";

export interface IntentClassifierOptions {
  /** Confidence below which `classify` names no intent. Default `DEFAULT_INTENT_THRESHOLD`. */
  readonly threshold?: number;
}

export const DEFAULT_INTENT_THRESHOLD = 0.4;

/** A best cosine score at or above this is a strong match; below it, confidence shrinks in proportion. */
const STRONG_MATCH = 0.3;

/** A sparse vector: feature indexes and their weights; `norm` also counts features the model never saw. */
interface Vector {
  readonly indexes: number[];
  readonly weights: number[];
}

/**
 * A small intent model: TF-IDF over character n-grams and word stems (`featuresOf`), L2-normalized, and
 * one centroid per intent (the normalized mean of its examples). A text's score for an intent is its
 * cosine similarity to the centroid. Features the model never saw still count in the text's length, so
 * a message about something else entirely scores low everywhere instead of matching on its one familiar
 * n-gram.
 *
 * Training is a single pass over the examples (milliseconds for hundreds): retrain whenever the tenant's
 * intents change rather than storing a model.
 *
 * **Confidence** (0..1) is how far the best intent stands out from the runner-up, damped when even the
 * best is a weak match: `(1 - second / best) * min(1, best / 0.3)` on the cosine scores. A message that
 * resembles two intents equally, or none of them, gets a low confidence whatever its absolute scores. On
 * the default intents (see `intent-accuracy.test.ts`), messages about something else stay below 0.4, the
 * default threshold, while most in-scope messages clear it.
 */
export class IntentClassifier {
  private constructor(
    private readonly names: readonly string[],
    private readonly vocabulary: ReadonlyMap<string, number>,
    private readonly idf: Float64Array,
    private readonly unknownIdf: number,
    private readonly centroids: readonly Float64Array[],
    private readonly threshold: number,
  ) {}

  static train(intents: readonly IntentDefinition[], options: IntentClassifierOptions = {}): IntentClassifier {
    const seen = new Set<string>();
    const documents: { intent: number; features: Map<string, number> }[] = [];
    intents.forEach((intent, i) => {
      if (seen.has(intent.name)) {
        throw new DomainError("bot.duplicate_intent", "invalid", `The intent ${intent.name} is defined twice.`, [
          { field: "intents", message: "intent names are unique" },
        ]);
      }
      seen.add(intent.name);
      const own = intent.examples.map((e) => featuresOf(e)).filter((f) => f.size > 0);
      if (own.length === 0) {
        throw new DomainError("bot.intent_without_examples", "invalid", `The intent ${intent.name} has no usable examples.`, [
          { field: `intents.${i}.examples`, message: "at least one example with letters or digits" },
        ]);
      }
      for (const features of own) documents.push({ intent: i, features });
    });

    const vocabulary = new Map<string, number>();
    const df: number[] = [];
    for (const { features } of documents) {
      for (const feature of features.keys()) {
        let index = vocabulary.get(feature);
        if (index === undefined) {
          index = vocabulary.size;
          vocabulary.set(feature, index);
          df.push(0);
        }
        df[index] = (df[index] ?? 0) + 1;
      }
    }
    const n = documents.length;
    const idf = Float64Array.from(df, (count) => Math.log((1 + n) / (1 + count)) + 1);
    const unknownIdf = Math.log(1 + n) + 1;

    const centroids = intents.map(() => new Float64Array(vocabulary.size));
    const classifier = new IntentClassifier(
      intents.map((i) => i.name),
      vocabulary,
      idf,
      unknownIdf,
      centroids,
      options.threshold ?? DEFAULT_INTENT_THRESHOLD,
    );
    for (const { intent, features } of documents) {
      const centroid = centroids[intent] as Float64Array;
      const v = classifier.vectorOf(features);
      v.indexes.forEach((index, k) => {
        centroid[index] = (centroid[index] ?? 0) + (v.weights[k] ?? 0);
      });
    }
    for (const centroid of centroids) {
      let sum = 0;
      for (const x of centroid) sum += x * x;
      const norm = Math.sqrt(sum);
      if (norm > 0) for (let i = 0; i < centroid.length; i++) centroid[i] = (centroid[i] ?? 0) / norm;
    }
    return classifier;
  }

  /** The intents' names, in training order. */
  get intents(): readonly string[] {
    return this.names;
  }

  classify(text: string): IntentClassification {
    const v = this.vectorOf(featuresOf(text));
    const ranking: IntentScore[] = this.names.map((intent, i) => {
      const centroid = this.centroids[i] as Float64Array;
      let score = 0;
      v.indexes.forEach((index, k) => {
        score += (v.weights[k] ?? 0) * (centroid[index] ?? 0);
      });
      return { intent, score };
    });
    ranking.sort((a, b) => b.score - a.score);
    const [top, second] = ranking;
    if (!top) return { intent: null, confidence: 0, ranking };
    const confidence = confidenceOf(top.score, second?.score ?? 0);
    return { intent: confidence >= this.threshold ? top.intent : null, confidence, ranking };
  }

  /** TF-IDF with sublinear term frequency, L2-normalized over known and unknown features alike. */
  private vectorOf(features: ReadonlyMap<string, number>): Vector {
    const indexes: number[] = [];
    const weights: number[] = [];
    let sum = 0;
    for (const [feature, count] of features) {
      const index = this.vocabulary.get(feature);
      const w = (1 + Math.log(count)) * (index === undefined ? this.unknownIdf : (this.idf[index] ?? 0));
      sum += w * w;
      if (index !== undefined) {
        indexes.push(index);
        weights.push(w);
      }
    }
    const norm = Math.sqrt(sum);
    return { indexes, weights: norm > 0 ? weights.map((w) => w / norm) : weights };
  }
}

function confidenceOf(best: number, second: number): number {
  if (best <= 0) return 0;
  return (1 - Math.max(0, second) / best) * Math.min(1, best / STRONG_MATCH);
}
