/** Seconds from the NTP epoch (1900-01-01) to the Unix epoch (1970-01-01). */
export const NTP_UNIX_OFFSET_SECONDS = 2_208_988_800;

const TWO_32 = 2 ** 32;

export interface NtpTimestamp {
  /** Whole seconds since 1900, modulo 2³² (era 0 ends in 2036; the field wraps as the RFC intends). */
  readonly seconds: number;
  /** Fraction of a second in 1/2³² s. */
  readonly fraction: number;
}

/** The 64-bit NTP timestamp of an SR (RFC 3550 §4) for a wall-clock time in Unix milliseconds. */
export function ntpFromUnixMs(unixMs: number): NtpTimestamp {
  const whole = Math.floor(unixMs / 1000);
  const fraction = Math.floor(((unixMs - whole * 1000) / 1000) * TWO_32);
  return { seconds: ((whole + NTP_UNIX_OFFSET_SECONDS) % TWO_32) >>> 0, fraction: Math.min(fraction, TWO_32 - 1) >>> 0 };
}

/** The middle 32 bits of an NTP timestamp (16.16 fixed point seconds): what LSR carries and A is compared in. */
export function compactNtp(ntp: NtpTimestamp): number {
  return (((ntp.seconds & 0xffff) << 16) | (ntp.fraction >>> 16)) >>> 0;
}

/** Compact NTP (1/65536 s units) to milliseconds. */
export function compactNtpToMs(value: number): number {
  return (value * 1000) / 65536;
}

/** Milliseconds to compact NTP units (DLSR), rounded down, within 32 bits. */
export function msToCompactNtp(ms: number): number {
  return Math.min(TWO_32 - 1, Math.max(0, Math.floor((ms * 65536) / 1000))) >>> 0;
}

/**
 * Round-trip time from a report block (RFC 3550 §6.4.1): arrival time A minus LSR minus DLSR, all compact NTP on
 * 32-bit wrapping arithmetic. Undefined when the block carries no LSR (the peer has not had our SR yet) or the
 * result is clearly negative (a block about an SR from before a restart); a result a hair below zero, which the
 * 1/65536 s rounding can give on a LAN, is read as 0.
 */
export function roundTripFromReport(
  arrival: number,
  lastSenderReport: number,
  delaySinceLastSenderReport: number,
): number | undefined {
  if (lastSenderReport === 0) return undefined;
  const units = (arrival - lastSenderReport - delaySinceLastSenderReport) | 0;
  if (units < -2) return undefined;
  return compactNtpToMs(Math.max(0, units));
}
