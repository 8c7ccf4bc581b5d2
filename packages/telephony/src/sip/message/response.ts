import { SipHeaders } from "./headers.js";
import type { SipRequest, SipResponse } from "./model.js";
import { formatNameAddr, parseNameAddr, withTag } from "./name-addr.js";

const REASONS: Readonly<Record<number, string>> = {
  100: "Trying",
  180: "Ringing",
  181: "Call Is Being Forwarded",
  182: "Queued",
  183: "Session Progress",
  200: "OK",
  202: "Accepted",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  407: "Proxy Authentication Required",
  408: "Request Timeout",
  413: "Request Entity Too Large",
  415: "Unsupported Media Type",
  416: "Unsupported URI Scheme",
  420: "Bad Extension",
  480: "Temporarily Unavailable",
  481: "Call/Transaction Does Not Exist",
  482: "Loop Detected",
  483: "Too Many Hops",
  486: "Busy Here",
  487: "Request Terminated",
  488: "Not Acceptable Here",
  491: "Request Pending",
  500: "Server Internal Error",
  501: "Not Implemented",
  503: "Service Unavailable",
  505: "Version Not Supported",
  513: "Message Too Large",
  603: "Decline",
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? (status < 200 ? "Progress" : status < 300 ? "OK" : "Error");
}

export interface ResponseOptions {
  readonly reason?: string;
  /** Added to To when it has none (RFC 3261 §8.2.6.2); ignored for 100 Trying. */
  readonly toTag?: string;
  readonly headers?: readonly (readonly [string, string])[];
  readonly body?: Buffer;
}

/**
 * A response to `request` per RFC 3261 §8.2.6: Via (all, in order), From, To, Call-ID and CSeq copied;
 * for anything but 100, a To tag added when the request had none.
 */
export function createResponse(request: Pick<SipRequest, "headers">, status: number, options: ResponseOptions = {}): SipResponse {
  const headers = new SipHeaders();
  for (const via of request.headers.getAll("Via")) headers.append("Via", via);
  const from = request.headers.get("From");
  if (from !== undefined) headers.append("From", from);
  const to = request.headers.get("To");
  if (to !== undefined) headers.append("To", addTag(to, status === 100 ? undefined : options.toTag));
  for (const name of ["Call-ID", "CSeq"]) {
    const value = request.headers.get(name);
    if (value !== undefined) headers.append(name, value);
  }
  for (const [name, value] of options.headers ?? []) headers.append(name, value);
  return {
    type: "response",
    status,
    reason: options.reason ?? reasonPhrase(status),
    headers,
    body: options.body ?? Buffer.alloc(0),
  };
}

function addTag(to: string, tag: string | undefined): string {
  if (tag === undefined) return to;
  const addr = parseNameAddr(to);
  if (addr === undefined || addr.params.has("tag")) return to;
  return formatNameAddr(withTag(addr, tag));
}
