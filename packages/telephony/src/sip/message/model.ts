import type { SipHeaders } from "./headers.js";

export interface SipRequest {
  readonly type: "request";
  readonly method: string;
  /** The Request-URI as written; parse it with `parseUri` when its parts matter. */
  readonly uri: string;
  readonly headers: SipHeaders;
  readonly body: Buffer;
}

export interface SipResponse {
  readonly type: "response";
  readonly status: number;
  readonly reason: string;
  readonly headers: SipHeaders;
  readonly body: Buffer;
}

export type SipMessage = SipRequest | SipResponse;

export const SIP_VERSION = "SIP/2.0";

/** Upper bounds that keep a hostile peer from making the parser allocate or loop without end. */
export interface SipLimits {
  /** Whole message, start line to the end of the body (RFC 3261 §18.1.1 answers 513 beyond it). */
  readonly maxMessageBytes: number;
  /** One header field after unfolding, name and value. */
  readonly maxHeaderBytes: number;
  /** Header values after splitting lists (`Via: a, b` counts 2). */
  readonly maxHeaders: number;
}

export const DEFAULT_SIP_LIMITS: SipLimits = { maxMessageBytes: 64 * 1024, maxHeaderBytes: 8 * 1024, maxHeaders: 100 };

/** Why a message was refused, as a value; `status` is the response a request deserves (400, 505 or 513). */
export interface SipParseFailure {
  readonly ok: false;
  readonly reason: string;
  readonly status: 400 | 505 | 513;
  /** The request as far as it could be read, so that a 400 can still be addressed to its sender. */
  readonly partial?: { readonly method: string; readonly uri: string; readonly headers: SipHeaders };
}

export type SipParseResult = { readonly ok: true; readonly message: SipMessage } | SipParseFailure;
