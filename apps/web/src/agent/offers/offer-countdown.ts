import type { Offer } from "@switchboard/protocol";

/** Where an offer's countdown ends on this machine's clock, and how long it rang in all. */
export interface OfferClock {
  /** Epoch ms on the local clock. */
  readonly deadline: number;
  /** The whole alert time in ms (`expiresAt - issuedAt`). */
  readonly total: number;
}

/**
 * The local deadline of an offer. The server's clock and ours may disagree by seconds, so a fresh offer
 * (a `routing.offer` frame, just issued) counts its alert time from when it arrived here. An offer read
 * later (`GET /v1/agent/me`) has been ringing for a while: its `expiresAt` is all we have, kept within
 * what the alert time allows from now.
 */
export function offerClock(offer: Pick<Offer, "issuedAt" | "expiresAt">, receivedAt: number, fresh: boolean): OfferClock {
  const issued = Date.parse(offer.issuedAt);
  const expires = Date.parse(offer.expiresAt);
  const total = Number.isFinite(issued) && Number.isFinite(expires) ? Math.max(0, expires - issued) : 0;
  if (fresh || !Number.isFinite(expires)) return { deadline: receivedAt + total, total };
  return { deadline: Math.min(Math.max(expires, receivedAt), receivedAt + total), total };
}

export interface Countdown {
  readonly remainingMs: number;
  /** Whole seconds left, rounded up: "1" until the very end. */
  readonly seconds: number;
  /** Share of the alert time left, 1 → 0: the bar's width. */
  readonly fraction: number;
  /** The last ten seconds (or the last third of a short alert time). */
  readonly urgent: boolean;
  readonly expired: boolean;
}

export function countdown(clock: OfferClock, now: number): Countdown {
  const remainingMs = Math.max(0, clock.deadline - now);
  const fraction = clock.total > 0 ? Math.min(1, remainingMs / clock.total) : 0;
  const seconds = Math.ceil(remainingMs / 1000);
  return {
    remainingMs,
    seconds,
    fraction,
    urgent: remainingMs > 0 && (seconds <= 10 || fraction <= 1 / 3),
    expired: remainingMs === 0,
  };
}

/** "0:27", "1:05". */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}
