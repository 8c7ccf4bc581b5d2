import { tokenize } from "../text/normalize.js";
import { stem } from "../text/stem.js";

/**
 * The features of a text for the intent classifier, with their counts: the character n-grams (3 to 5) of
 * each word padded with `<` and `>` (so "<hi>" and "<hi" say where a word starts and ends), and each
 * word's stem. Character n-grams carry typos, inflections and unknown words partway ("refnd" still shares
 * "<re", "ref" and "nd>" with "refund"); stems carry whole words. No stopwords are removed: "bye" and
 * "thanks" are all some messages say.
 */
export function featuresOf(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (feature: string) => counts.set(feature, (counts.get(feature) ?? 0) + 1);
  for (const word of tokenize(text)) {
    add(`w:${stem(word)}`);
    const padded = `<${word}>`;
    for (let n = 3; n <= 5; n++) {
      for (let i = 0; i + n <= padded.length; i++) add(padded.slice(i, i + n));
    }
  }
  return counts;
}
