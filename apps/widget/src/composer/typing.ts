/**
 * Tells the other side the customer is typing at most once per interval: the signal fades after a few
 * seconds on their side, so one per interval keeps it alive without a request per keystroke.
 */
export class TypingThrottle {
  readonly #intervalMs: number;
  #lastSentAt = Number.NEGATIVE_INFINITY;

  constructor(intervalMs = 3000) {
    this.#intervalMs = intervalMs;
  }

  /** Whether to send a typing signal now; records it when so. */
  shouldSend(now: number): boolean {
    if (now - this.#lastSentAt < this.#intervalMs) return false;
    this.#lastSentAt = now;
    return true;
  }

  /** After a message is sent the next keystroke signals at once: a new message is being typed. */
  reset(): void {
    this.#lastSentAt = Number.NEGATIVE_INFINITY;
  }
}
