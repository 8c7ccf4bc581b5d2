import type { Destination, TransportProtocol } from "../transaction/model.js";
import { stripBrackets } from "../transport/via-processing.js";
import { parseSipUri } from "../uri/uri.js";

/**
 * Where to send a request for `uri` (RFC 3263 without DNS SRV/NAPTR: the URI's host and port, or 5060; its
 * `transport` parameter, or UDP). Undefined for URIs we cannot route (tel:, malformed).
 */
export function destinationOf(uri: string, fallback: TransportProtocol = "udp"): Destination | undefined {
  const parsed = parseSipUri(uri);
  if (!parsed) return undefined;
  const transport = parsed.params.get("transport")?.toLowerCase();
  const protocol: TransportProtocol = transport === "tcp" ? "tcp" : transport === "udp" ? "udp" : fallback;
  const maddr = parsed.params.get("maddr");
  const host = maddr ?? parsed.host;
  return { protocol, host: stripBrackets(host), port: parsed.port ?? (parsed.scheme === "sips" ? 5061 : 5060) };
}
