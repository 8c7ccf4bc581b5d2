/** When to renew a session's token: a minute before it expires, or at 80% of a short life; never in a tight loop. */
export function renewalDelay(expiresAt: string, issuedAt: number): number {
  const expires = Date.parse(expiresAt);
  if (Number.isNaN(expires)) return MIN_DELAY_MS;
  const life = expires - issuedAt;
  const delay = life > 5 * MARGIN_MS ? life - MARGIN_MS : life * 0.8;
  return Math.max(MIN_DELAY_MS, Math.round(delay));
}

/** Whether a token is too close to its expiry to start a request or a socket with. */
export const isStale = (expiresAt: string, now: number): boolean => Date.parse(expiresAt) - now < STALE_MS;

const MARGIN_MS = 60_000;
const MIN_DELAY_MS = 5_000;
const STALE_MS = 15_000;
