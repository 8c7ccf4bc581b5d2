import type { SipHeaders } from "../message/headers.js";
import { formatVia, parseVia, viaReceived, viaRport, withViaParams } from "../message/via.js";
import type { Destination, Source, TransportProtocol } from "../transaction/model.js";

/**
 * RFC 3261 §18.2.1 with RFC 3581: a server notes in the top Via where a request really came from, `received`
 * when the address differs from sent-by (always when rport is asked), and the source port in an empty `rport`.
 */
export function stampReceived(headers: SipHeaders, source: Source): void {
  const value = headers.get("Via");
  if (value === undefined) return;
  const via = parseVia(value);
  if (via === undefined) return;
  const wantsRport = viaRport(via) === true;
  const changes: Record<string, string | null> = {};
  if (wantsRport) changes.rport = String(source.port);
  if (wantsRport || stripBrackets(via.host) !== source.address) changes.received = source.address;
  if (Object.keys(changes).length > 0) headers.replaceFirst("Via", formatVia(withViaParams(via, changes)));
}

/**
 * RFC 3261 §18.2.2 with RFC 3581 §4: where a response goes when not written back on the request's own TCP
 * connection: maddr, else the `received` address (and `rport` port), else sent-by; the port defaults to 5060.
 */
export function responseDestination(headers: SipHeaders, fallback: Source): Destination {
  const value = headers.get("Via");
  const via = value === undefined ? undefined : parseVia(value);
  if (via === undefined) return { protocol: fallback.protocol, host: fallback.address, port: fallback.port };
  const protocol: TransportProtocol = via.transport === "TCP" ? "tcp" : via.transport === "UDP" ? "udp" : fallback.protocol;
  const maddr = via.params.get("maddr");
  if (maddr !== undefined && maddr !== null && protocol === "udp")
    return { protocol, host: stripBrackets(maddr), port: via.port ?? 5060 };
  const received = viaReceived(via);
  const rport = viaRport(via);
  if (received !== undefined) {
    return { protocol, host: stripBrackets(received), port: typeof rport === "number" ? rport : (via.port ?? 5060) };
  }
  return { protocol, host: stripBrackets(via.host), port: via.port ?? 5060 };
}

export function stripBrackets(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}
