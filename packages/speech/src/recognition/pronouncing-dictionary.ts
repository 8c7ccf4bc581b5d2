import { readFile } from "node:fs/promises";

/**
 * Pronunciations in ARPAbet (`S EY L Z`), as in the CMU Pronouncing Dictionary that Debian's
 * `pocketsphinx-en-us` ships (`cmudict-en-us.dict`, 134,000 words, many names included).
 */
export interface Pronouncer {
  /** Every known pronunciation of a lower-case word, or an empty list when the word is unknown. */
  pronounce(word: string): Promise<readonly string[]>;
}

/** The 39 phones of the CMU dictionary (stress marks removed), as the acoustic model names them. */
export const ARPABET_PHONES: readonly string[] =
  "AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T TH UH UW V W Y Z ZH".split(" ");

const PHONES = new Set(ARPABET_PHONES);

/** True for a pronunciation the acoustic model can use: one or more known phones separated by spaces. */
export function isPronunciation(phones: string): boolean {
  const list = phones.split(" ");
  return list.length > 0 && list.every((phone) => PHONES.has(phone));
}

/**
 * A dictionary file in the Sphinx format (`word phones…`, alternates as `word(2)`), read once on first use
 * and kept as its text (3 MB for the CMU dictionary). A word is looked up by searching the text for its
 * lines (a few milliseconds) and remembered: parsing all 134,000 entries into a map would take 24 MB and
 * hold the event loop, which also paces the calls' audio, for a quarter of a second.
 */
export class PronouncingDictionary implements Pronouncer {
  readonly #file: string;
  #text: Promise<string> | undefined;
  readonly #known = new Map<string, readonly string[]>();
  readonly #maxRemembered: number;

  constructor(file: string, options: { readonly maxRememberedWords?: number } = {}) {
    this.#file = file;
    this.#maxRemembered = options.maxRememberedWords ?? 20_000;
  }

  async pronounce(word: string): Promise<readonly string[]> {
    const known = this.#known.get(word);
    if (known) return known;
    this.#text ??= readFile(this.#file, "latin1").then((text) => `\n${text.replaceAll("\r", "")}\n`);
    let text: string;
    try {
      text = await this.#text;
    } catch (error) {
      this.#text = undefined; // installed later: try again next time
      throw error;
    }
    const found = dictionaryLookup(text, word);
    if (this.#known.size >= this.#maxRemembered) this.#known.clear();
    this.#known.set(word, found);
    return found;
  }
}

/**
 * The pronunciations of a lower-case word in a Sphinx dictionary's text (which starts and ends with a
 * newline): its own line and its alternates' (`word(2)`), in file order, without duplicates or lines whose
 * phones the model does not have.
 */
export function dictionaryLookup(text: string, word: string): string[] {
  const found: string[] = [];
  for (const prefix of [`\n${word} `, `\n${word}\t`, `\n${word}(`]) {
    for (let at = text.indexOf(prefix); at >= 0; at = text.indexOf(prefix, at + 1)) {
      const line = text.slice(at + 1, text.indexOf("\n", at + 1));
      const [head = "", ...phones] = line.trim().split(/\s+/);
      if (head !== word && !/^\(\d+\)$/.test(head.slice(word.length))) continue;
      const pronunciation = phones.join(" ");
      if (isPronunciation(pronunciation) && !found.includes(pronunciation)) found.push(pronunciation);
    }
  }
  return found;
}
