import { reasonPhrase } from "../message/response.js";

/** The body type of REFER progress reports (RFC 3420), with the version RFC 3515 §2.4.5 uses. */
export const SIPFRAG_CONTENT_TYPE = "message/sipfrag;version=2.0";

/** A status line as a sipfrag body: `SIP/2.0 180 Ringing`. */
export function formatSipfrag(status: number, reason = reasonPhrase(status)): string {
  return `SIP/2.0 ${status} ${reason.replace(/[\r\n]/g, " ")}\r\n`;
}

/** The status line a sipfrag body starts with (RFC 3515 §2.4.5 requires one); undefined otherwise. */
export function parseSipfrag(body: string): { readonly status: number; readonly reason: string } | undefined {
  const line = body.split(/\r?\n/, 1)[0] ?? "";
  const match = /^SIP\/2\.0 ([1-6]\d\d)(?: (.*))?$/.exec(line.trim());
  if (!match) return undefined;
  return { status: Number(match[1]), reason: match[2] ?? "" };
}
