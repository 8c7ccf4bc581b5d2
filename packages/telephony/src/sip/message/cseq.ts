import { isToken } from "./header-names.js";
import type { SipMessage } from "./model.js";

export interface CSeq {
  readonly seq: number;
  readonly method: string;
}

/** RFC 3261 §8.1.1.5: the number is below 2**31. */
export const MAX_CSEQ = 2 ** 31 - 1;

export function parseCSeq(value: string): CSeq | undefined {
  const match = /^(\d{1,10})\s+(\S+)$/.exec(value.trim());
  if (!match) return undefined;
  const [, digits = "", method = ""] = match;
  const seq = Number(digits);
  if (seq > MAX_CSEQ || !isToken(method)) return undefined;
  return { seq, method };
}

export function cseqHeader(message: SipMessage): CSeq | undefined {
  const value = message.headers.get("CSeq");
  return value === undefined ? undefined : parseCSeq(value);
}

export function callIdHeader(message: SipMessage): string | undefined {
  return message.headers.get("Call-ID");
}

export function maxForwardsHeader(message: SipMessage): number | undefined {
  const value = message.headers.get("Max-Forwards");
  if (value === undefined || !/^\d{1,3}$/.test(value)) return undefined;
  const hops = Number(value);
  return hops <= 255 ? hops : undefined;
}
