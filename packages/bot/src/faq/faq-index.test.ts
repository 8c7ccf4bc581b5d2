import { DomainError } from "@switchboard/core";
import { describe, expect, it } from "vitest";
import { BIKE_SHOP_FAQ, BIKE_SHOP_SYNONYMS } from "../demo/bike-shop.js";
import { Analyzer } from "./analyzer.js";
import { FaqIndex } from "./faq-index.js";
import type { FaqAnswer } from "./model.js";

const index = new FaqIndex(BIKE_SHOP_FAQ, BIKE_SHOP_SYNONYMS);

/** The answer as `answer:<id>`, `suggest:<id>,<id>` or `none`, for compact expectations. */
function outcome(result: FaqAnswer): string {
  if (result.kind === "answer") return `answer:${result.entry.id}`;
  if (result.kind === "suggest") return `suggest:${result.candidates.map((c) => c.entry.id).join(",")}`;
  return "none";
}
const ask = (query: string) => outcome(index.answer(query));

describe("FaqIndex on the bike shop's knowledge base", () => {
  it("answers an entry's own question and alternatives with full confidence", () => {
    for (const entry of BIKE_SHOP_FAQ) {
      for (const question of [entry.question, ...(entry.alternatives ?? [])]) {
        const result = index.answer(question);
        expect(result.kind, question).toBe("answer");
        if (result.kind === "answer") {
          expect(result.entry.id, question).toBe(entry.id);
          expect(result.confidence, question).toBeCloseTo(1, 5);
        }
      }
    }
  });

  it("answers paraphrases", () => {
    expect(ask("when do you open on saturday")).toBe("answer:opening-hours");
    expect(ask("are you open tomorrow?")).toBe("answer:opening-hours");
    expect(ask("How long until my bike is delivered?")).toBe("answer:delivery-times");
    expect(ask("is my bike under warranty")).toBe("answer:warranty");
    expect(ask("is shipping free?")).toBe("answer:delivery-cost");
    expect(ask("do you fix flat tires")).toBe("answer:repair-booking");
    expect(ask("do you take paypal?")).toBe("answer:payment-methods");
    expect(ask("cancel my order please")).toBe("answer:cancel-order");
    expect(ask("do you have parking")).toBe("answer:store-location");
  });

  it("answers through synonyms, single words and phrases", () => {
    expect(ask("I want my money back")).toBe("answer:refunds");
    expect(ask("how do I get reimbursed?")).toBe("answer:refunds");
    expect(ask("gift voucher")).toBe("answer:gift-cards");
    expect(ask("where are you located")).toBe("answer:store-location");
    expect(ask("what does a tune-up cost")).toBe("answer:repair-cost");
    // "How much" is a synonym of "price" and "cost": two stopwords that mean something together.
    expect(ask("how much is delivery")).toBe("answer:delivery-cost");
    expect(ask("how far can I go on an electric bike")).toBe("suggest:ebike-battery");
    expect(ask("ebike battery")).toBe("answer:ebike-battery");
  });

  it("tolerates typos, with a confidence below the exact wording's", () => {
    expect(ask("delivry times")).toBe("answer:delivery-times");
    expect(ask("how long does shiping take")).toBe("answer:delivery-times");
    expect(ask("garantee on the frame")).toBe("answer:warranty");
    expect(ask("do you sell gift crads")).toBe("answer:gift-cards");
    const [typo] = index.search("delivry times");
    const [exact] = index.search("delivery times");
    expect(typo?.entry.id).toBe("delivery-times");
    expect(exact?.confidence).toBeCloseTo(1, 5);
    expect(typo?.confidence).toBeLessThan(0.95);
    expect(typo?.confidence).toBeGreaterThan(0.8);
  });

  it("answers nothing for questions the knowledge base does not cover", () => {
    for (const query of [
      "what is the meaning of life",
      "who won the football game yesterday",
      "tell me a joke",
      "what's the weather like",
      "do you rent bikes",
      "can I bring my dog",
      "hi",
      "",
      "?!",
    ]) {
      expect(ask(query), query).toBe("none");
    }
    expect(index.search("what is the meaning of life")).toEqual([]);
  });

  it("suggests the closest questions when the question is ambiguous", () => {
    expect(ask("how much does it cost")).toBe("suggest:delivery-cost,repair-cost");
    expect(ask("where is my order")).toBe("suggest:delivery-times,cancel-order,order-tracking");
    expect(ask("bike service")).toBe("suggest:repair-booking,repair-cost");
    expect(ask("how long")).toBe("suggest:delivery-times,warranty,refunds");
  });

  it("suggests when the best match is only likely", () => {
    const result = index.answer("when will my package arrive");
    expect(outcome(result)).toBe("suggest:delivery-times,delivery-cost");
    if (result.kind === "suggest") {
      for (const c of result.candidates) {
        expect(c.confidence).toBeGreaterThanOrEqual(0.4);
        expect(c.confidence).toBeLessThan(0.55);
      }
    }
  });

  it("takes the thresholds, the number of suggestions and the margin as options", () => {
    expect(outcome(index.answer("when will my package arrive", { threshold: 0.4, margin: 0 }))).toBe("answer:delivery-times");
    expect(outcome(index.answer("where is my order", { suggestions: 1 }))).toBe("suggest:delivery-times");
    expect(outcome(index.answer("where is my order", { margin: 0.05 }))).toBe("answer:delivery-times");
    expect(outcome(index.answer("do you take paypal", { threshold: 0.9 }))).toBe("suggest:payment-methods");
    expect(outcome(index.answer("do you take paypal", { threshold: 0.9, suggestThreshold: 0.9 }))).toBe("none");
  });

  it("ranks by confidence, then score, with confidences in [0, 1]", () => {
    for (const query of ["how much does it cost", "where is my order", "bike", "repair", "delivery"]) {
      const matches = index.search(query, 20);
      expect(matches.length, query).toBeGreaterThan(1);
      for (const [i, m] of matches.entries()) {
        expect(m.confidence).toBeGreaterThan(0);
        expect(m.confidence).toBeLessThanOrEqual(1);
        expect(m.score).toBeGreaterThan(0);
        const next = matches[i + 1];
        if (next)
          expect(m.confidence > next.confidence || (m.confidence === next.confidence && m.score >= next.score)).toBe(true);
      }
    }
    expect(index.search("delivery", 2)).toHaveLength(2);
  });

  it("gives BM25 scores: a rare word outweighs a common one, a short phrasing a long one", () => {
    // "bike" is in many entries, "warranty" in one.
    const [warranty] = index.search("warranty");
    const bike = index.search("bike");
    expect(warranty?.score).toBeGreaterThan(Math.max(...bike.map((m) => m.score)));
    const short = new FaqIndex([
      { id: "short", question: "refund", answer: "a" },
      { id: "long", question: "refund for a bike with a broken wheel and a bent frame", answer: "b" },
      { id: "other", question: "opening hours", answer: "c" },
    ]);
    const [first, second] = short.search("refund");
    expect(first?.entry.id).toBe("short");
    expect(second?.entry.id).toBe("long");
    expect(first?.score).toBeGreaterThan(second?.score ?? 0);
  });

  it("counts answer text at a lower weight: an entry found only by its answer is at most a suggestion", () => {
    // "Saturday" appears only in the opening hours' answer.
    const [match] = index.search("saturday");
    expect(match?.entry.id).toBe("opening-hours");
    expect(match?.confidence).toBeCloseTo(0.4, 5);
    expect(ask("saturday")).toBe("suggest:opening-hours");
    const stricter = new FaqIndex(BIKE_SHOP_FAQ, BIKE_SHOP_SYNONYMS, { answerWeight: 0.2 });
    expect(stricter.search("saturday")[0]?.confidence).toBeCloseTo(0.2, 5);
  });

  it("returns the caller's own entry objects and finds them by id", () => {
    const entries = [{ id: "e1", question: "Where is the shop?", answer: "Here.", tenantId: "t1" }];
    const own = new FaqIndex(entries);
    const result = own.answer("where's the shop");
    expect(result.kind === "answer" && result.entry).toBe(entries[0]);
    expect(own.get("e1")?.tenantId).toBe("t1");
    expect(own.get("nope")).toBeUndefined();
    expect(own.size).toBe(1);
  });

  it("works without entries and without synonyms", () => {
    expect(new FaqIndex([]).answer("anything")).toEqual({ kind: "none" });
    const plain = new FaqIndex(BIKE_SHOP_FAQ);
    expect(outcome(plain.answer("I want my money back"))).toBe("suggest:refunds,returns");
    expect(outcome(plain.answer("When will I get my refund?"))).toBe("answer:refunds");
  });

  it("rejects two entries with the same id", () => {
    const build = () =>
      new FaqIndex([
        { id: "a", question: "one", answer: "1" },
        { id: "a", question: "two", answer: "2" },
      ]);
    expect(build).toThrow(DomainError);
    expect(build).toThrow(expect.objectContaining({ code: "faq.duplicate_entry", kind: "invalid" }));
  });

  it("answers fast for a knowledge base of hundreds of entries", () => {
    const many = Array.from({ length: 500 }, (_, i) => ({
      id: `e${i}`,
      question: `How do I configure feature${i} for my account number ${i}?`,
      alternatives: [`Setting up feature${i}`, `feature${i} does not work`],
      answer: `Open settings, choose feature${i} and follow the steps. Contact us if it still fails.`,
    }));
    const started = performance.now();
    const big = new FaqIndex([...many, ...BIKE_SHOP_FAQ], BIKE_SHOP_SYNONYMS);
    const built = performance.now();
    for (let i = 0; i < 100; i++) big.answer(`how to set up featur${i} on my acount`);
    const queried = performance.now();
    expect(outcome(big.answer("delivry times"))).toBe("answer:delivery-times");
    expect(outcome(big.answer("setting up feature42"))).toBe("answer:e42");
    expect(built - started).toBeLessThan(1000);
    expect((queried - built) / 100).toBeLessThan(20);
  });
});

describe("Analyzer", () => {
  const analyzer = new Analyzer(BIKE_SHOP_SYNONYMS);
  const terms = (text: string) => analyzer.terms(text).map((t) => t.term);

  it("drops stopwords and stems", () => {
    expect(terms("What are the opening hours of your stores?")).toEqual(["open", "store"]);
    expect(new Analyzer().terms("Refunds were refunded").map((t) => t.term)).toEqual(["refund", "refund"]);
  });

  it("maps every member of a group to the first member's terms, phrases included", () => {
    expect(terms("I want my money back")).toEqual(["refund"]);
    expect(terms("reimbursed")).toEqual(["refund"]);
    expect(terms("electric bikes")).toEqual(["e", "bike"]);
    expect(terms("gift vouchers")).toEqual(["gift", "card"]);
    expect(terms("a bicycle tune-up")).toEqual(["bike", "servic"]);
  });

  it("lets stopwords sit inside a phrase, and prefers the longest member", () => {
    expect(terms("can I send it back")).toEqual(["return"]);
    expect(terms("how much is it")).toEqual(["price"]);
    // "electric bike" (two words) wins over "bike" alone.
    expect(terms("electric bike")).toEqual(["e", "bike"]);
    expect(terms("electric")).toEqual(["electr"]);
  });
});
