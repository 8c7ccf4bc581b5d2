import type { FaqEntry } from "@switchboard/protocol";

/** Lower case without accents, so "Rückgabe" is found by "ruckgabe". */
export const fold = (text: string): string =>
  text
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase();

/** Whether every word of the query occurs in the question, the answer or one of the alternatives. */
export function matchesFaq(faq: FaqEntry, query: string): boolean {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = fold([faq.question, faq.answer, ...faq.alternatives].join("\n"));
  return words.every((word) => haystack.includes(word));
}

/** The entries that match, questions in alphabetical order. */
export function searchFaqs(faqs: readonly FaqEntry[], query: string): FaqEntry[] {
  return faqs.filter((faq) => matchesFaq(faq, query)).sort((a, b) => a.question.localeCompare(b.question));
}
