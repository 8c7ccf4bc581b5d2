import { DomainError } from "@switchboard/core";

/** What each keypad key is called when read back to a caller (North American usage: "pound", not "hash"). */
const WORDS: Readonly<Record<string, string>> = {
  "0": "zero",
  "1": "one",
  "2": "two",
  "3": "three",
  "4": "four",
  "5": "five",
  "6": "six",
  "7": "seven",
  "8": "eight",
  "9": "nine",
  "*": "star",
  "#": "pound",
  "+": "plus",
  A: "A",
  B: "B",
  C: "C",
  D: "D",
};

/** Written into numbers for readability ("555-0100", "(555) 0100"); not read out. */
const SEPARATORS = /[\s\-.()]/g;

/** More than any phone number or account number; a longer string is not meant to be read out. */
export const MAX_DIGITS = 64;

/** The words for reading keys one by one: "12#" → ["one", "two", "pound"]. */
export function digitWords(digits: string): string[] {
  const keys = typeof digits === "string" ? [...digits.replace(SEPARATORS, "").toUpperCase()] : [];
  const invalid = (message: string) =>
    new DomainError("prompt.invalid_digits", "invalid", message, [{ field: "digits", message }]);
  if (keys.length === 0) throw invalid("There are no digits to read.");
  if (keys.length > MAX_DIGITS) throw invalid(`At most ${MAX_DIGITS} digits can be read, not ${keys.length}.`);
  return keys.map((key) => {
    const word = WORDS[key];
    if (word === undefined) throw invalid(`"${key}" is not a key of a telephone keypad.`);
    return word;
  });
}
