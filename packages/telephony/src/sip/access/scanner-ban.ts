export interface ScannerBanOptions {
  /** Failures within `windowMs` that earn a ban (default 5). */
  readonly maxFailures?: number;
  /** Default 10 minutes. */
  readonly windowMs?: number;
  /** How long a banned source gets silence (default 30 minutes). */
  readonly banMs?: number;
  /** Sources remembered at most (default 100,000; the least recently seen are forgotten first). */
  readonly maxSources?: number;
}

interface SourceRecord {
  failures: number[];
  bannedUntil?: number;
}

/**
 * Silence toward scanners: a source that fails authentication `maxFailures` times within `windowMs` is
 * banned for `banMs`, during which its requests are dropped without a reply, so it learns nothing and spends
 * nothing of ours. Success clears a source's failures (a phone whose user fixed a typo starts over). Time
 * comes from the injected clock.
 */
export class ScannerBan {
  private readonly sources = new Map<string, SourceRecord>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly banMs: number;
  private readonly maxSources: number;

  constructor(
    private readonly clock: () => number,
    options: ScannerBanOptions = {},
  ) {
    this.maxFailures = options.maxFailures ?? 5;
    this.windowMs = options.windowMs ?? 600_000;
    this.banMs = options.banMs ?? 1_800_000;
    this.maxSources = options.maxSources ?? 100_000;
  }

  /** Records a failure; returns the end of the ban when this failure started one. */
  failed(address: string): number | undefined {
    const now = this.clock();
    const record = this.sources.get(address) ?? { failures: [] };
    this.sources.delete(address);
    if (this.sources.size >= this.maxSources) {
      const oldest = this.sources.keys().next();
      if (!oldest.done) this.sources.delete(oldest.value);
    }
    this.sources.set(address, record);
    if (record.bannedUntil !== undefined && record.bannedUntil > now) return undefined;
    record.failures = record.failures.filter((at) => at > now - this.windowMs);
    record.failures.push(now);
    if (record.failures.length < this.maxFailures) return undefined;
    record.failures = [];
    record.bannedUntil = now + this.banMs;
    return record.bannedUntil;
  }

  succeeded(address: string): void {
    const record = this.sources.get(address);
    if (record && (record.bannedUntil === undefined || record.bannedUntil <= this.clock())) this.sources.delete(address);
  }

  isBanned(address: string): boolean {
    const until = this.sources.get(address)?.bannedUntil;
    if (until === undefined) return false;
    if (until > this.clock()) return true;
    this.sources.delete(address);
    return false;
  }

  /** Lifts a ban by hand (an operator's decision). */
  pardon(address: string): void {
    this.sources.delete(address);
  }
}
