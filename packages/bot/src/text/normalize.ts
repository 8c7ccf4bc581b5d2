/**
 * Text as the bot compares it: lowercase, accents stripped (NFD, then combining marks removed), apostrophes
 * dropped inside words ("don't" → "dont", "what's" → "whats"), everything that is neither a letter nor a
 * digit turned into a word break.
 */
export function normalizeText(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/(\p{L})['’‘`](\p{L})/gu, "$1$2")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** The words of a text, normalized: `tokenize("Où est ma commande?")` → `["ou", "est", "ma", "commande"]`. */
export function tokenize(text: string): string[] {
  const normalized = normalizeText(text);
  return normalized === "" ? [] : normalized.split(" ");
}
