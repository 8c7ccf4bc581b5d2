import { formatParams, type Params, parseParams, quote, unquote } from "./lexer.js";
import type { SipMessage } from "./model.js";

/** From, To, Contact, Route, Record-Route, Refer-To: an optional display name, a URI and header parameters. */
export interface NameAddr {
  readonly displayName?: string;
  /** The URI as written; parse it with `parseUri` when its parts matter. */
  readonly uri: string;
  readonly params: Params;
}

const TOKEN_WORDS = /^[A-Za-z0-9\-.!%*_+`'~]+(?:\s+[A-Za-z0-9\-.!%*_+`'~]+)*$/;
const ADDR_SPEC = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s;,?<>"]*(?:\?[^\s;,<>"]*)?$/;
const URI_IN_ANGLES = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"]*$/;

export function parseNameAddr(value: string): NameAddr | undefined {
  const text = value.trim();
  let displayName: string | undefined;
  let rest: string;
  if (text.startsWith('"')) {
    const end = closingQuote(text);
    if (end === -1) return undefined;
    displayName = unquote(text.slice(0, end + 1));
    rest = text.slice(end + 1).trimStart();
    if (!rest.startsWith("<")) return undefined;
  } else {
    const angle = text.indexOf("<");
    if (angle === -1) {
      const semicolon = text.indexOf(";");
      const uri = (semicolon === -1 ? text : text.slice(0, semicolon)).trim();
      if (!ADDR_SPEC.test(uri)) return undefined;
      const params = parseParams(semicolon === -1 ? "" : text.slice(semicolon));
      return params === undefined ? undefined : { uri, params };
    }
    const name = text.slice(0, angle).trim();
    if (name !== "") {
      if (!TOKEN_WORDS.test(name)) return undefined;
      displayName = name;
    }
    rest = text.slice(angle);
  }
  const close = rest.indexOf(">");
  if (close === -1) return undefined;
  const uri = rest.slice(1, close).trim();
  if (!URI_IN_ANGLES.test(uri)) return undefined;
  const params = parseParams(rest.slice(close + 1));
  if (params === undefined) return undefined;
  return { ...(displayName === undefined ? {} : { displayName }), uri, params };
}

function closingQuote(text: string): number {
  for (let i = 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\\") i++;
    else if (ch === '"') return i;
  }
  return -1;
}

/** Always in the `<uri>` form, which is unambiguous whatever the URI carries. */
export function formatNameAddr(addr: NameAddr): string {
  const name = addr.displayName === undefined ? "" : `${quote(addr.displayName)} `;
  return `${name}<${addr.uri}>${formatParams(addr.params)}`;
}

export function nameAddrTag(addr: NameAddr): string | undefined {
  return addr.params.get("tag") ?? undefined;
}

export function withTag(addr: NameAddr, tag: string): NameAddr {
  const params = new Map(addr.params);
  params.set("tag", tag);
  return { ...addr, params };
}

export function fromHeader(message: SipMessage): NameAddr | undefined {
  const value = message.headers.get("From");
  return value === undefined ? undefined : parseNameAddr(value);
}

export function toHeader(message: SipMessage): NameAddr | undefined {
  const value = message.headers.get("To");
  return value === undefined ? undefined : parseNameAddr(value);
}

/** The Contact values; `*` (a REGISTER removing every binding) is reported as `"*"`. */
export function contactHeaders(message: SipMessage): NameAddr[] | "*" | undefined {
  const values = message.headers.getAll("Contact");
  if (values.length === 1 && values[0] === "*") return "*";
  const out: NameAddr[] = [];
  for (const value of values) {
    const addr = parseNameAddr(value);
    if (addr === undefined) return undefined;
    out.push(addr);
  }
  return out;
}

/** Route or Record-Route values in order; undefined when one is malformed. */
export function routeHeaders(message: SipMessage, name: "Route" | "Record-Route"): NameAddr[] | undefined {
  const out: NameAddr[] = [];
  for (const value of message.headers.getAll(name)) {
    const addr = parseNameAddr(value);
    if (addr === undefined) return undefined;
    out.push(addr);
  }
  return out;
}
