import type { CallLegMedia } from "./media.js";

/** Where a call flow can send a caller: a person's registered phone, or a number through a trunk. */
export type DialTarget =
  | { readonly kind: "extension"; readonly extension: string }
  | { readonly kind: "number"; readonly e164: string };

export interface DialOptions {
  /** The tenant whose extension or outbound trunk is used. */
  readonly tenantId: string;
  /** The call record the new leg belongs to. */
  readonly callId: string;
  /** What the called party sees as the caller. */
  readonly callerId?: string;
  readonly callerName?: string;
  /** Ring this long before giving up (default 30,000 ms). */
  readonly ringTimeoutMs?: number;
  /** When this settles before anyone answered, ringing stops and the outcome is `cancelled` (the caller hung up). */
  readonly abandon?: Promise<unknown>;
}

export type DialFailure = "not-registered" | "busy" | "no-answer" | "rejected" | "unreachable" | "cancelled";

export type DialOutcome =
  | { readonly ok: true; readonly leg: CallLegMedia }
  | { readonly ok: false; readonly failure: DialFailure; readonly status?: number };

/** Places outgoing legs: ringing every registered contact of an extension, or a number over an outbound trunk. */
export interface Dialer {
  dial(target: DialTarget, options: DialOptions): Promise<DialOutcome>;
}
