import type { CallLegMedia } from "./media.js";

/**
 * Where a call flow can send a caller: a person's registered phone, a number through a trunk, or an agent
 * wherever they take calls (their agent desktops registered for calls and the desk phone of their SIP
 * account, all ringing at once).
 */
export type DialTarget =
  | { readonly kind: "extension"; readonly extension: string }
  | { readonly kind: "number"; readonly e164: string }
  | { readonly kind: "agent"; readonly workerId: string };

/** What a person dials: an extension or a number (an agent is reached by routing, not dialled). */
export type DialledTarget = Exclude<DialTarget, { readonly kind: "agent" }>;

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
  /** The routing offer this ringing answers, and its queue: what an agent desktop shows while it rings. */
  readonly offer?: { readonly id: string; readonly queueId: string };
}

export type DialFailure = "not-registered" | "busy" | "no-answer" | "rejected" | "unreachable" | "cancelled";

export type DialOutcome =
  | {
      readonly ok: true;
      readonly leg: CallLegMedia;
      /** The extension whose phone answered, when a phone of the tenant did (not a desktop, not a number). */
      readonly extension?: string;
    }
  | { readonly ok: false; readonly failure: DialFailure; readonly status?: number };

/**
 * Places outgoing legs: ringing every registered contact of an extension, every device of an agent, or a
 * number over an outbound trunk.
 */
export interface Dialer {
  dial(target: DialTarget, options: DialOptions): Promise<DialOutcome>;
}
