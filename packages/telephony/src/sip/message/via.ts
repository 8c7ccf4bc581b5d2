import { formatParams, type Params, parseParams } from "./lexer.js";
import type { SipMessage } from "./model.js";

/** RFC 3261 §20.42 with the RFC 3581 `rport`. */
export interface Via {
  /** Upper case: UDP, TCP, TLS, WS, ... */
  readonly transport: string;
  readonly host: string;
  readonly port?: number;
  readonly params: Params;
}

/** The magic cookie that marks an RFC 3261 branch, on which transaction matching relies (§8.1.1.7). */
export const BRANCH_MAGIC_COOKIE = "z9hG4bK";

const VIA =
  /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z0-9\-.!%*_+`'~]+)\s+(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-.]+)(?:\s*:\s*(\d{1,5}))?\s*(;.*)?$/;

export function parseVia(value: string): Via | undefined {
  const match = VIA.exec(value.trim());
  if (!match) return undefined;
  const [, transport = "", host = "", port, rest = ""] = match;
  const params = parseParams(rest);
  if (params === undefined) return undefined;
  const portNumber = port === undefined ? undefined : Number(port);
  if (portNumber !== undefined && (portNumber === 0 || portNumber > 65535)) return undefined;
  return { transport: transport.toUpperCase(), host, ...(portNumber === undefined ? {} : { port: portNumber }), params };
}

export function formatVia(via: Via): string {
  return `SIP/2.0/${via.transport} ${via.host}${via.port === undefined ? "" : `:${via.port}`}${formatParams(via.params)}`;
}

export function viaBranch(via: Via): string | undefined {
  return via.params.get("branch") ?? undefined;
}

export function viaReceived(via: Via): string | undefined {
  return via.params.get("received") ?? undefined;
}

/** `true` when the sender asked for rport (RFC 3581) without a value yet, the port once a server filled it in. */
export function viaRport(via: Via): number | true | undefined {
  if (!via.params.has("rport")) return undefined;
  const value = via.params.get("rport");
  if (value === null || value === undefined) return true;
  const port = Number(value);
  return Number.isInteger(port) && port > 0 && port <= 65535 ? port : true;
}

export function topVia(message: SipMessage): Via | undefined {
  const value = message.headers.get("Via");
  return value === undefined ? undefined : parseVia(value);
}

export function withViaParams(via: Via, changes: Readonly<Record<string, string | null>>): Via {
  const params = new Map(via.params);
  for (const [name, value] of Object.entries(changes)) params.set(name, value);
  return { ...via, params };
}
