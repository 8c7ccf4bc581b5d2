import type { Scheduler } from "../../scheduler/scheduler.js";
import { systemScheduler } from "../../scheduler/scheduler.js";
import type { SipRequest } from "../message/model.js";
import { nameAddrTag, toHeader } from "../message/name-addr.js";
import type { Source } from "../transaction/model.js";
import { ScannerBan, type ScannerBanOptions } from "./scanner-ban.js";
import { type RateLimit, TokenBuckets } from "./token-buckets.js";
import { type InboundTrunk, type TrunkMatch, TrunkMatcher } from "./trunk-matcher.js";

/**
 * A per-source limit: up to `perSecond` (with `burst`) requests are served; beyond that they get 503 with
 * Retry-After; beyond `dropFactor` times the limit they are dropped without an answer, because a source
 * that ignores Retry-After is flooding and every 503 we write is work for us and a reflection toward it.
 */
export interface FloodLimit extends RateLimit {
  /** Default 4. */
  readonly dropFactor?: number;
}

export interface InboundAccessOptions {
  readonly trunks?: readonly InboundTrunk[];
  /** Whether phones' accounts (not only trunks') may place calls by digest (default false). */
  readonly usersMayCall?: boolean;
  /** Clock of the limits and bans (default the system scheduler). */
  readonly scheduler?: Scheduler;
  /** New calls per source (default 10/s, burst 30: an office behind one NAT address still gets through). */
  readonly invite?: FloodLimit;
  /** Registrations per source (default 20/s, burst 60: phones rebooting together, each answering a 401). */
  readonly register?: FloodLimit;
  readonly ban?: ScannerBanOptions;
  /** Whether allow-listed trunk addresses are limited and banned too (default false: a carrier is trusted). */
  readonly limitTrunks?: boolean;
  /**
   * Whether the process is overloaded: the Retry-After seconds, or undefined (e.g. `LoopLag`). New calls from
   * anyone, trunks included, are then answered 503 (RFC 3261 §21.5.4); calls in progress are served.
   */
  readonly overloaded?: () => number | undefined;
}

/** What the user agent does with a request before any transaction exists for it. */
export type AccessDecision =
  /** Serve it; for a new INVITE, `caller` says which trunk it came from or that it must authenticate. */
  | { readonly action: "accept"; readonly caller?: TrunkMatch }
  | {
      readonly action: "reject";
      readonly status: 403 | 503;
      readonly reason: "not-allowed" | "rate-limited" | "overloaded";
      readonly headers: readonly (readonly [string, string])[];
    }
  /** Silence: no response, no transaction. */
  | { readonly action: "drop"; readonly reason: "banned" | "flood" };

/** For the server's log and metrics. Rate events are reported when a source starts exceeding, not per request. */
export type AccessEvent =
  | { readonly kind: "banned"; readonly address: string; readonly until: number }
  | { readonly kind: "rate-limited"; readonly address: string; readonly method: string; readonly dropping: boolean }
  | { readonly kind: "forbidden"; readonly address: string; readonly method: string }
  /** Reported when new calls start being refused for overload, and when they stop. */
  | { readonly kind: "overloaded"; readonly refusing: boolean };

const DEFAULT_INVITE: FloodLimit = { perSecond: 10, burst: 30 };
const DEFAULT_REGISTER: FloodLimit = { perSecond: 20, burst: 60 };

interface Limiter {
  readonly soft: TokenBuckets;
  readonly hard: TokenBuckets;
}

/**
 * The one place every inbound request is checked before the user agent spends anything on it: banned
 * scanners get silence; a new INVITE is matched to a trunk by source address (or must authenticate by
 * digest, or is refused with 403, which counts as an authentication failure); new INVITEs and REGISTERs are
 * rate limited per source address, separately (503 with Retry-After, then silence); while the process is
 * overloaded, new calls are answered 503 with Retry-After. The user agent consults
 * `admit` for each request that is not a retransmission, and reports digest failures to
 * `authenticationFailed`, which feeds the ban.
 */
export class InboundAccess {
  private matcher: TrunkMatcher;
  private readonly ban: ScannerBan;
  private readonly limiters: Record<"INVITE" | "REGISTER", Limiter>;
  private readonly limited = new Map<string, "503" | "drop">();
  private readonly listeners = new Set<(event: AccessEvent) => void>();
  private readonly clock: () => number;
  private refusing = false;

  constructor(private readonly options: InboundAccessOptions = {}) {
    const scheduler = options.scheduler ?? systemScheduler;
    this.clock = () => scheduler.now();
    this.matcher = new TrunkMatcher(options.trunks ?? [], { usersMayCall: options.usersMayCall ?? false });
    this.ban = new ScannerBan(this.clock, options.ban);
    this.limiters = {
      INVITE: this.limiter(options.invite ?? DEFAULT_INVITE),
      REGISTER: this.limiter(options.register ?? DEFAULT_REGISTER),
    };
  }

  /** Replaces the trunk list (a configuration change); limits and bans are kept. */
  setTrunks(trunks: readonly InboundTrunk[]): void {
    this.matcher = new TrunkMatcher(trunks, { usersMayCall: this.options.usersMayCall ?? false });
  }

  onEvent(listener: (event: AccessEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  admit(request: SipRequest, source: Source): AccessDecision {
    const address = source.address;
    const trusted = !(this.options.limitTrunks ?? false) && this.matcher.isTrunkAddress(address);
    if (!trusted && this.ban.isBanned(address)) return { action: "drop", reason: "banned" };
    const method = request.method;
    const to = toHeader(request);
    const newCall = method === "INVITE" && (to === undefined || nameAddrTag(to) === undefined);
    if (!newCall && method !== "REGISTER") return { action: "accept" };
    if (!trusted) {
      const limited = this.rateLimit(method === "INVITE" ? "INVITE" : "REGISTER", address);
      if (limited) return limited;
    }
    if (!newCall) return { action: "accept" };
    const retryAfter = this.options.overloaded?.();
    if ((retryAfter !== undefined) !== this.refusing) {
      this.refusing = retryAfter !== undefined;
      this.emit({ kind: "overloaded", refusing: this.refusing });
    }
    if (retryAfter !== undefined)
      return { action: "reject", status: 503, reason: "overloaded", headers: [["Retry-After", String(retryAfter)]] };
    const caller = this.matcher.match(address);
    if (caller.kind === "forbidden") {
      this.emit({ kind: "forbidden", address, method });
      this.authenticationFailed(source);
      return { action: "reject", status: 403, reason: "not-allowed", headers: [] };
    }
    return { action: "accept", caller };
  }

  /** A digest failure (or a refused source): enough of them within the window bans the source. */
  authenticationFailed(source: Pick<Source, "address">): void {
    if (!(this.options.limitTrunks ?? false) && this.matcher.isTrunkAddress(source.address)) return;
    const until = this.ban.failed(source.address);
    if (until !== undefined) this.emit({ kind: "banned", address: source.address, until });
  }

  authenticationSucceeded(source: Pick<Source, "address">): void {
    this.ban.succeeded(source.address);
  }

  isBanned(address: string): boolean {
    return this.ban.isBanned(address);
  }

  /** Lifts a ban (an operator's decision). */
  pardon(address: string): void {
    this.ban.pardon(address);
  }

  private rateLimit(method: "INVITE" | "REGISTER", address: string): AccessDecision | undefined {
    const limiter = this.limiters[method];
    const key = `${method} ${address}`;
    const hard = limiter.hard.take(address);
    const soft = limiter.soft.take(address);
    if (hard.ok && soft.ok) {
      this.limited.delete(key);
      return undefined;
    }
    const state = hard.ok ? "503" : "drop";
    if (this.limited.get(key) !== state) {
      this.limited.delete(key);
      if (this.limited.size >= 10_000) {
        const oldest = this.limited.keys().next();
        if (!oldest.done) this.limited.delete(oldest.value);
      }
      this.limited.set(key, state);
      this.emit({ kind: "rate-limited", address, method, dropping: state === "drop" });
    }
    if (!hard.ok) return { action: "drop", reason: "flood" };
    const seconds = Math.max(1, Math.ceil((soft.ok ? 0 : soft.retryAfterMs) / 1000));
    return { action: "reject", status: 503, reason: "rate-limited", headers: [["Retry-After", String(seconds)]] };
  }

  private limiter(limit: FloodLimit): Limiter {
    const factor = limit.dropFactor ?? 4;
    return {
      soft: new TokenBuckets(limit, this.clock),
      hard: new TokenBuckets({ perSecond: limit.perSecond * factor, burst: limit.burst * factor }, this.clock),
    };
  }

  private emit(event: AccessEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // The server's logger failing must not change what happens to the request.
      }
    }
  }
}
