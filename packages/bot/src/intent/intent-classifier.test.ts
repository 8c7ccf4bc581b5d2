import { DomainError } from "@switchboard/core";
import { describe, expect, it } from "vitest";
import { DEFAULT_INTENTS } from "./default-intents.js";
import { featuresOf } from "./features.js";
import { DEFAULT_INTENT_THRESHOLD, IntentClassifier } from "./intent-classifier.js";

describe("featuresOf", () => {
  it("gives each word's padded character 3- to 5-grams and its stem", () => {
    expect([...featuresOf("Hi")]).toEqual([
      ["w:hi", 1],
      ["<hi", 1],
      ["hi>", 1],
      ["<hi>", 1],
    ]);
    const refunds = featuresOf("refunds refunded");
    expect(refunds.get("w:refund")).toBe(2);
    expect(refunds.get("<ref")).toBe(2);
    expect(refunds.get("ds>")).toBe(1);
    expect(refunds.get("<refun")).toBeUndefined(); // 6 characters: longer than 5
    expect(featuresOf("?!").size).toBe(0);
  });
});

describe("IntentClassifier", () => {
  const classifier = IntentClassifier.train(DEFAULT_INTENTS);

  it("recognizes the examples it learned from", () => {
    let recognized = 0;
    let total = 0;
    for (const intent of DEFAULT_INTENTS) {
      for (const example of intent.examples) {
        total += 1;
        if (classifier.classify(example).ranking[0]?.intent === intent.name) recognized += 1;
      }
    }
    expect(recognized / total).toBeGreaterThan(0.97);
  });

  it("classifies new messages, typos included", () => {
    expect(classifier.classify("whre is my ordr??").intent).toBe("order_status");
    expect(classifier.classify("I want to speak to an agent").intent).toBe("talk_to_human");
    expect(classifier.classify("you charged my card two times").intent).toBe("billing");
    expect(classifier.classify("can I book my bike in for a service").intent).toBe("repair_booking");
    expect(classifier.classify("Hello!").intent).toBe("greeting");
    expect(classifier.classify("thank you!!").intent).toBe("thanks");
    expect(classifier.classify("goodbye").intent).toBe("goodbye");
  });

  it("names no intent for messages about something else, and ranks every intent anyway", () => {
    for (const text of ["what are your opening hours", "do you sell gift cards", "what is the meaning of life"]) {
      const result = classifier.classify(text);
      expect(result.intent, text).toBeNull();
      expect(result.confidence, text).toBeLessThan(DEFAULT_INTENT_THRESHOLD);
      expect(result.ranking).toHaveLength(DEFAULT_INTENTS.length);
    }
  });

  it("ranks intents best first with cosine scores and a confidence in [0, 1]", () => {
    const result = classifier.classify("my order has not arrived yet");
    expect(result.intent).toBe("order_status");
    expect(result.confidence).toBeGreaterThanOrEqual(DEFAULT_INTENT_THRESHOLD);
    expect(result.confidence).toBeLessThanOrEqual(1);
    expect(result.ranking.map((r) => r.intent).sort()).toEqual(DEFAULT_INTENTS.map((i) => i.name).sort());
    for (let i = 1; i < result.ranking.length; i++) {
      expect(result.ranking[i - 1]?.score).toBeGreaterThanOrEqual(result.ranking[i]?.score ?? 0);
    }
    for (const r of result.ranking) {
      expect(r.score).toBeGreaterThanOrEqual(0);
      expect(r.score).toBeLessThanOrEqual(1 + 1e-9);
    }
  });

  it("is confident when one intent stands out and unsure when two are alike", () => {
    const two = IntentClassifier.train([
      { name: "a", examples: ["red plum"] },
      { name: "b", examples: ["red pear"] },
    ]);
    expect(two.classify("red plum").confidence).toBeGreaterThan(0.5);
    expect(two.classify("red plum").intent).toBe("a");
    expect(two.classify("red").confidence).toBeCloseTo(0, 5);
    expect(two.classify("red").intent).toBeNull();
    expect(two.classify("").confidence).toBe(0);
    expect(two.classify("").intent).toBeNull();
  });

  it("takes the threshold as an option", () => {
    const eager = IntentClassifier.train(DEFAULT_INTENTS, { threshold: 0 });
    expect(eager.classify("what is the meaning of life").intent).not.toBeNull();
    const strict = IntentClassifier.train(DEFAULT_INTENTS, { threshold: 1.01 });
    expect(strict.classify("where is my order").intent).toBeNull();
  });

  it("trains deterministically and fast: milliseconds for hundreds of examples", () => {
    const many = Array.from({ length: 40 }, (_, i) => ({
      name: `intent_${i}`,
      examples: Array.from({ length: 15 }, (_, k) => `customer question ${k} about topic${i} and product${(i * 7 + k) % 13}`),
    }));
    const started = performance.now();
    const big = IntentClassifier.train([...DEFAULT_INTENTS, ...many]);
    const elapsed = performance.now() - started;
    console.log(
      `trained on ${600 + DEFAULT_INTENTS.reduce((n, i) => n + i.examples.length, 0)} examples in ${elapsed.toFixed(1)} ms`,
    );
    expect(elapsed).toBeLessThan(500);
    expect(big.classify("a question about topic7 and product3").ranking[0]?.intent).toBe("intent_7");
    expect(IntentClassifier.train(DEFAULT_INTENTS).classify("where is my bike")).toEqual(classifier.classify("where is my bike"));
    expect(big.intents).toHaveLength(49);
  });

  it("works with no intents at all", () => {
    expect(IntentClassifier.train([]).classify("hello")).toEqual({ intent: null, confidence: 0, ranking: [] });
  });

  it("rejects duplicate names and intents without usable examples", () => {
    const duplicate = () =>
      IntentClassifier.train([
        { name: "a", examples: ["x"] },
        { name: "a", examples: ["y"] },
      ]);
    expect(duplicate).toThrow(DomainError);
    expect(duplicate).toThrow(expect.objectContaining({ code: "bot.duplicate_intent", kind: "invalid" }));
    const empty = () => IntentClassifier.train([{ name: "a", examples: ["?!", ""] }]);
    expect(empty).toThrow(expect.objectContaining({ code: "bot.intent_without_examples", kind: "invalid" }));
  });
});
