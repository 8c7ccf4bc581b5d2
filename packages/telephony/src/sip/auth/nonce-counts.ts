/** What the nonce count of a correct response says about it. */
export type NonceCountCheck = "fresh" | "replayed" | "unknown";

interface Seen {
  highest: number;
  /** Counts at or below `highest` (within the window) already used. */
  readonly used: Set<number>;
  readonly expiresAt: number;
}

/**
 * RFC 2617 §3.2.2: the `nc` a client sends with `qop=auth` grows with every request it signs with one nonce,
 * so a count seen before is a replay. Requests over UDP can arrive out of order, so counts a little below
 * the highest are still accepted once each ("within reason": a window of the last `window` counts).
 *
 * Nonces themselves are stateless; only nonces that authenticated a request are remembered here, in a table
 * bounded by `maxNonces` (oldest forgotten first). A nonce we do not remember is accepted only with count 1,
 * its first use; a later count (after a restart, on another node, or once forgotten) is answered as stale
 * so the client takes a fresh nonce rather than being refused.
 */
export class NonceCounts {
  private readonly seen = new Map<string, Seen>();

  constructor(
    private readonly maxNonces = 50_000,
    private readonly window = 32,
  ) {}

  get size(): number {
    return this.seen.size;
  }

  check(nonce: string, count: number, expiresAt: number, now: number): NonceCountCheck {
    const entry = this.seen.get(nonce);
    if (!entry) {
      if (count !== 1) return "unknown";
      this.remember(nonce, { highest: 1, used: new Set([1]), expiresAt }, now);
      return "fresh";
    }
    if (count > entry.highest) {
      entry.highest = count;
      entry.used.add(count);
      for (const old of entry.used) if (old <= count - this.window) entry.used.delete(old);
      return "fresh";
    }
    if (count <= entry.highest - this.window || entry.used.has(count)) return "replayed";
    entry.used.add(count);
    return "fresh";
  }

  private remember(nonce: string, entry: Seen, now: number): void {
    // Map order is insertion order: the first entries are the oldest, and expired ones are dropped first.
    for (const [key, old] of this.seen) {
      if (old.expiresAt > now && this.seen.size < this.maxNonces) break;
      this.seen.delete(key);
    }
    this.seen.set(nonce, entry);
  }
}
