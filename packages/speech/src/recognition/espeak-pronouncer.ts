import { type ProcessRunner, spawnProcess } from "../synthesis/index.js";
import { isPronunciation, type Pronouncer } from "./pronouncing-dictionary.js";

export interface EspeakPronouncerOptions {
  /** The espeak-ng program (default `espeak-ng`). */
  readonly binary?: string;
  /** Its voice, which sets the letter-to-sound rules (default `en-us`, like the acoustic model). */
  readonly voice?: string;
  readonly runner?: ProcessRunner;
  /** Words remembered (default 10,000); a directory's names are asked for again with every recognition. */
  readonly maxCachedWords?: number;
}

/**
 * Pronunciations of words the dictionary lacks (a directory's "Okonkwo", "Siobhan"), from espeak-ng's
 * letter-to-sound rules: `espeak-ng -q --ipa` spells the word in IPA, mapped here to the acoustic model's
 * ARPAbet phones. Rougher than a dictionary entry, but it lets a caller say the name at all. When espeak-ng
 * is missing or fails, the word stays unknown (the phrase is left out of the grammar); it never fails a
 * recognition.
 */
export class EspeakPronouncer implements Pronouncer {
  readonly #binary: string;
  readonly #voice: string;
  readonly #runner: ProcessRunner;
  readonly #max: number;
  readonly #cache = new Map<string, Promise<readonly string[]>>();

  constructor(options: EspeakPronouncerOptions = {}) {
    this.#binary = options.binary ?? "espeak-ng";
    this.#voice = options.voice ?? "en-us";
    this.#runner = options.runner ?? spawnProcess;
    this.#max = options.maxCachedWords ?? 10_000;
  }

  pronounce(word: string): Promise<readonly string[]> {
    let found = this.#cache.get(word);
    if (!found) {
      found = this.#ask(word);
      if (this.#cache.size >= this.#max) {
        const oldest = this.#cache.keys().next().value;
        if (oldest !== undefined) this.#cache.delete(oldest);
      }
      this.#cache.set(word, found);
    }
    return found;
  }

  async #ask(word: string): Promise<readonly string[]> {
    try {
      const result = await this.#runner(this.#binary, ["-q", "--ipa", "-v", this.#voice, "--stdin"], {
        input: new TextEncoder().encode(word),
        timeoutMs: 5_000,
        maxOutputBytes: 64 * 1024,
      });
      if (result.exitCode !== 0) return [];
      const phones = ipaToArpabet(new TextDecoder().decode(result.stdout));
      return phones && isPronunciation(phones) ? [phones] : [];
    } catch {
      return [];
    }
  }
}

/**
 * IPA as espeak-ng writes it for American English, longest symbols first. Syllabic consonants (`n̩`) get a
 * schwa, as the CMU dictionary writes them; stress and length marks carry nothing the phones do not.
 */
const IPA: readonly (readonly [string, string])[] = [
  ["aɪɚ", "AY ER"],
  ["aɪə", "AY AH"],
  ["ɜːɹ", "ER"],
  ["oːɹ", "AO R"],
  ["ɔːɹ", "AO R"],
  ["ɑːɹ", "AA R"],
  ["tʃ", "CH"],
  ["dʒ", "JH"],
  ["aɪ", "AY"],
  ["aʊ", "AW"],
  ["eɪ", "EY"],
  ["oʊ", "OW"],
  ["ɔɪ", "OY"],
  ["oː", "AO"],
  ["ɔː", "AO"],
  ["ɑː", "AA"],
  ["uː", "UW"],
  ["iː", "IY"],
  ["ɜː", "ER"],
  ["n̩", "AH N"],
  ["l̩", "AH L"],
  ["m̩", "AH M"],
  ["ɚ", "ER"],
  ["ɜ", "ER"],
  ["ɪ", "IH"],
  ["ᵻ", "IH"],
  ["ə", "AH"],
  ["ɐ", "AH"],
  ["ʌ", "AH"],
  ["æ", "AE"],
  ["ɛ", "EH"],
  ["ʊ", "UH"],
  ["ɑ", "AA"],
  ["ɒ", "AA"],
  ["ɔ", "AO"],
  ["i", "IY"],
  ["u", "UW"],
  ["o", "OW"],
  ["e", "EH"],
  ["a", "AE"],
  ["b", "B"],
  ["d", "D"],
  ["f", "F"],
  ["ɡ", "G"],
  ["g", "G"],
  ["h", "HH"],
  ["j", "Y"],
  ["k", "K"],
  ["x", "K"],
  ["l", "L"],
  ["ɫ", "L"],
  ["m", "M"],
  ["n", "N"],
  ["ŋ", "NG"],
  ["p", "P"],
  ["ɹ", "R"],
  ["r", "R"],
  ["s", "S"],
  ["ʃ", "SH"],
  ["t", "T"],
  ["ɾ", "T"],
  ["ʔ", "T"],
  ["θ", "TH"],
  ["ð", "DH"],
  ["v", "V"],
  ["w", "W"],
  ["z", "Z"],
  ["ʒ", "ZH"],
];

/** ARPAbet phones of an IPA transcription, or null when nothing in it is a phone. */
export function ipaToArpabet(ipa: string): string | null {
  const text = ipa.normalize("NFC").replace(/[ˈˌ\s]/g, "");
  const phones: string[] = [];
  let i = 0;
  outer: while (i < text.length) {
    for (const [symbol, arpabet] of IPA) {
      if (text.startsWith(symbol, i)) {
        phones.push(arpabet);
        i += symbol.length;
        continue outer;
      }
    }
    i++; // a length mark, a tie, a diacritic: nothing to say
  }
  return phones.length > 0 ? phones.join(" ") : null;
}
