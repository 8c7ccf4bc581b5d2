/** RFC 3261 §17.1.1.1 base values; every transaction timer derives from them. */
export interface SipTimerValues {
  /** Round-trip estimate: first retransmission interval. */
  readonly t1: number;
  /** Longest retransmission interval for non-INVITE requests and INVITE responses. */
  readonly t2: number;
  /** Longest time a message stays in the network. */
  readonly t4: number;
}

export const DEFAULT_SIP_TIMERS: SipTimerValues = { t1: 500, t2: 4_000, t4: 5_000 };

/** Timer D: how long a client INVITE transaction absorbs retransmitted final responses (≥ 32 s on UDP). */
export const timerD = (timers: SipTimerValues, reliable: boolean): number => (reliable ? 0 : Math.max(32_000, 64 * timers.t1));
