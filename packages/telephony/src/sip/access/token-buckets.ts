/** A sustained rate with a burst allowance. */
export interface RateLimit {
  readonly perSecond: number;
  readonly burst: number;
}

export type TakeResult = { readonly ok: true } | { readonly ok: false; readonly retryAfterMs: number };

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * One token bucket per key (a source address): `burst` requests at once, refilled at `perSecond`. Time comes
 * from the injected clock, so tests move it by hand. The table is bounded: past `maxKeys`, the least recently
 * used buckets are forgotten (a forgotten source starts again with a full bucket, which only ever errs toward
 * letting a request through).
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limit: RateLimit,
    private readonly clock: () => number,
    private readonly maxKeys = 100_000,
  ) {}

  take(key: string): TakeResult {
    const now = this.clock();
    let bucket = this.buckets.get(key);
    if (bucket) {
      this.buckets.delete(key);
      bucket.tokens = Math.min(this.limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.limit.perSecond);
      bucket.at = now;
    } else {
      bucket = { tokens: this.limit.burst, at: now };
      if (this.buckets.size >= this.maxKeys) {
        const oldest = this.buckets.keys().next();
        if (!oldest.done) this.buckets.delete(oldest.value);
      }
    }
    // Re-inserted, so the map's order is least recently used first.
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: ((1 - bucket.tokens) / this.limit.perSecond) * 1000 };
  }

  get size(): number {
    return this.buckets.size;
  }
}
