import type { DirectoryEntry } from "./ports.js";

/** ITU E.161: ABC on 2 … WXYZ on 9. */
const KEYPAD = new Map(
  ["abc", "def", "ghi", "jkl", "mno", "pqrs", "tuv", "wxyz"].flatMap((letters, i) =>
    [...letters].map((letter) => [letter, String(i + 2)] as const),
  ),
);

/** A word as keypad digits (ITU E.161: ABC on 2 … WXYZ on 9); letters only, accents dropped, the rest skipped. */
export function keypadDigits(word: string): string {
  return [...word.normalize("NFD").toLowerCase()].map((c) => KEYPAD.get(c) ?? "").join("");
}

/**
 * The people whose first or last name (any word of the name) starts with the keyed letters, by name.
 * Fewer than two keys match nobody: one key would list half the company.
 */
export function matchByKeypad(entries: readonly DirectoryEntry[], digits: string): DirectoryEntry[] {
  if (digits.length < 2) return [];
  return entries
    .filter((e) => e.name.split(/[\s-]+/).some((word) => keypadDigits(word).startsWith(digits)))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The words a caller may say for an entry: the full name, and the first name alone when it is unique. */
export function spokenNames(entries: readonly DirectoryEntry[]): Map<string, string[]> {
  const firstNames = new Map<string, number>();
  const words = (name: string) =>
    name
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z\s'-]/g, " ")
      .split(/\s+/)
      .filter(Boolean);
  for (const e of entries) {
    const first = words(e.name)[0];
    if (first) firstNames.set(first, (firstNames.get(first) ?? 0) + 1);
  }
  const phrases = new Map<string, string[]>();
  for (const e of entries) {
    const all = words(e.name);
    if (all.length === 0) continue;
    const list = [all.join(" ")];
    const first = all[0] as string;
    if (all.length > 1 && firstNames.get(first) === 1) list.push(first);
    phrases.set(e.extension, list);
  }
  return phrases;
}
