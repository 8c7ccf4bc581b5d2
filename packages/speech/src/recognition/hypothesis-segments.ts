/**
 * One line of pocketsphinx's `-hypseg` output: the best path through the grammar, word by word.
 *
 * `utt S 0 T -5281 A -4102 L -1179 0 -189 -337 <sil> 34 -1372 -168 billing 65 -2349 -337 <sil> 101`:
 * utterance id, `S` start frame, `T` total score, `A` acoustic score, `L` language score, then per word
 * its start frame, acoustic score, language score and the word, and last the frame where the utterance ends.
 * Scores are log-likelihoods in the decoder's own units (base 1.0001, scaled down by 2^10); only
 * differences between two decodings of the same audio mean anything.
 */
export interface HypothesisSegments {
  readonly utterance: string;
  readonly acousticScore: number;
  readonly totalScore: number;
  /** The words of the path, fillers (`<sil>`, `[NOISE]`, `(NULL)`) left out, alternate-pronunciation marks (`(2)`) removed. */
  readonly words: readonly string[];
  /** Frames (10 ms each) from the first word's start to the end. */
  readonly frames: number;
  /** Frames spent in words rather than fillers: the speech the grammar explained. */
  readonly wordFrames: number;
}

export function parseHypothesisSegments(line: string): HypothesisSegments | null {
  const tokens = line.trim().split(/\s+/);
  const [utterance, s, start, t, total, a, acoustic, l] = tokens;
  if (!utterance || s !== "S" || t !== "T" || a !== "A" || l !== "L") return null;
  const numbers = [start, total, acoustic].map(Number);
  if (numbers.some((n) => !Number.isFinite(n))) return null;
  const rest = tokens.slice(9); // after L's value
  const words: string[] = [];
  let wordFrames = 0;
  let i = 0;
  for (; i + 4 <= rest.length; i += 4) {
    const word = rest[i + 3] as string;
    if (isFiller(word)) continue;
    words.push(word.replace(/\(\d+\)$/, ""));
    // A word lasts until the next segment starts (or the utterance ends).
    const from = Number(rest[i]);
    const to = Number(rest[i + 4]);
    if (Number.isFinite(from) && Number.isFinite(to)) wordFrames += Math.max(0, to - from);
  }
  const end = Number(rest[i] ?? Number.NaN);
  const first = numbers[0] as number;
  return {
    utterance,
    totalScore: numbers[1] as number,
    acousticScore: numbers[2] as number,
    words,
    frames: Number.isFinite(end) ? Math.max(0, end - first) : 0,
    wordFrames,
  };
}

const isFiller = (word: string) => /^[<[(]/.test(word);
