import type { FaqEntry } from "@switchboard/protocol";
import { describe, expect, it } from "vitest";
import { matchesFaq, searchFaqs } from "./faq-search.js";

const faq = (question: string, answer: string, alternatives: string[] = []): FaqEntry => ({
  id: question,
  question,
  answer,
  alternatives,
  createdAt: "2025-01-01T00:00:00.000Z",
  updatedAt: "2025-01-01T00:00:00.000Z",
});

const faqs = [
  faq("What are your opening hours?", "Monday to Saturday, 9 to 6.", ["When are you open?"]),
  faq("Can I return a bike?", "Within 30 days, unused.", ["Rückgabe"]),
  faq("Do you repair e-bikes?", "Yes, in our workshop."),
];

describe("searching the knowledge base", () => {
  it("matches every word anywhere in question, answer or phrasings, ignoring case and accents", () => {
    expect(searchFaqs(faqs, "").map((f) => f.question)).toEqual([
      "Can I return a bike?",
      "Do you repair e-bikes?",
      "What are your opening hours?",
    ]);
    expect(searchFaqs(faqs, "OPEN when").map((f) => f.id)).toEqual(["What are your opening hours?"]);
    expect(matchesFaq(faqs[1] as FaqEntry, "ruckgabe")).toBe(true);
    expect(matchesFaq(faqs[2] as FaqEntry, "workshop bike")).toBe(true);
    expect(searchFaqs(faqs, "workshop return")).toEqual([]);
  });
});
