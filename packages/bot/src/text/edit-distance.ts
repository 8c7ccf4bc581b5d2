/**
 * Damerau-Levenshtein distance in its optimal-string-alignment form: insertions, deletions, substitutions
 * and swaps of two adjacent letters each cost 1 ("delivry" → "delivery" is 1, "recieve" → "receive" is 1).
 *
 * Bounded: when the distance is above `max` the answer is `max + 1`, found without filling the whole
 * table (the length difference alone can decide it, and each row stops once every cell exceeds `max`).
 * Typo matching asks for distances of 1 or 2 against every word of a vocabulary, so this is the hot path.
 */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > max) return max + 1;
  if (n === 0) return m <= max ? m : max + 1;
  if (m === 0) return n <= max ? n : max + 1;

  // Three rows of the (n + 1) × (m + 1) table: two rows back (for swaps), the previous row, the current one.
  let before = new Array<number>(m + 1).fill(0);
  let previous = new Array<number>(m + 1);
  let current = new Array<number>(m + 1);
  for (let j = 0; j <= m; j++) previous[j] = j;

  for (let i = 1; i <= n; i++) {
    current[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      const bj = b.charCodeAt(j - 1);
      const cost = ai === bj ? 0 : 1;
      let d = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) {
        d = Math.min(d, (before[j - 2] as number) + 1);
      }
      current[j] = d;
      if (d < rowMin) rowMin = d;
    }
    // A row's minimum is at most one more than the previous row's, and a swap reaches back two rows at a
    // cost of 1: once a whole row is over the bound, every later cell is too.
    if (rowMin > max) return max + 1;
    [before, previous, current] = [previous, current, before];
  }
  const d = previous[m] as number;
  return d <= max ? d : max + 1;
}
