import { formatParams, type Params } from "../message/lexer.js";

export interface SipUri {
  readonly scheme: "sip" | "sips";
  /** As written (percent-escapes kept); absent for `sip:example.com`. */
  readonly user?: string;
  readonly password?: string;
  /** A host name, an IPv4 address or a bracketed IPv6 reference (`[::1]`). */
  readonly host: string;
  readonly port?: number;
  /** `;transport=tcp;lr`: names lowercased, `null` for a bare flag. */
  readonly params: Params;
  /** `?subject=x&priority=urgent`, in order. */
  readonly headers: readonly (readonly [string, string])[];
}

export interface TelUri {
  readonly scheme: "tel";
  /** `+15550100` (global) or a local number; visual separators kept as written. */
  readonly number: string;
  readonly params: Params;
}

export type Uri = SipUri | TelUri;

export type UriParseResult = { readonly ok: true; readonly uri: Uri } | { readonly ok: false; readonly reason: string };

const USER = /^(?:[A-Za-z0-9\-_.!~*'()&=+$,;?/]|%[0-9A-Fa-f]{2})+$/;
const PASSWORD = /^(?:[A-Za-z0-9\-_.!~*'()&=+$,]|%[0-9A-Fa-f]{2})*$/;
const HOSTNAME = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)*[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.?$/;
const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^\[[0-9A-Fa-f:.]{2,45}\]$/;
const PARAM_CHARS = /^(?:[A-Za-z0-9\-_.!~*'()[\]/:&+$]|%[0-9A-Fa-f]{2})+$/;
const HEADER_CHARS = /^(?:[A-Za-z0-9\-_.!~*'()[\]/?:+$]|%[0-9A-Fa-f]{2})*$/;
const TEL_NUMBER = /^(?:\+[0-9\-.()]*[0-9][0-9\-.()]*|[0-9A-Fa-f*#\-.()]*[0-9A-Fa-f*#][0-9A-Fa-f*#\-.()]*)$/;

const bad = (reason: string): UriParseResult => ({ ok: false, reason });

/** RFC 3261 §19.1 (sip:, sips:) and RFC 3966 (tel:). Never throws. */
export function parseUri(text: string): UriParseResult {
  const colon = text.indexOf(":");
  if (colon === -1) return bad("no scheme");
  const scheme = text.slice(0, colon).toLowerCase();
  const rest = text.slice(colon + 1);
  if (scheme === "tel") return parseTel(rest);
  if (scheme !== "sip" && scheme !== "sips") return bad(`unsupported scheme ${scheme.slice(0, 16)}`);

  const question = rest.indexOf("?");
  const beforeHeaders = question === -1 ? rest : rest.slice(0, question);
  const headerText = question === -1 ? undefined : rest.slice(question + 1);
  const at = beforeHeaders.lastIndexOf("@");
  const userInfo = at === -1 ? undefined : beforeHeaders.slice(0, at);
  const afterUser = at === -1 ? beforeHeaders : beforeHeaders.slice(at + 1);

  let user: string | undefined;
  let password: string | undefined;
  if (userInfo !== undefined) {
    const passColon = userInfo.indexOf(":");
    user = passColon === -1 ? userInfo : userInfo.slice(0, passColon);
    password = passColon === -1 ? undefined : userInfo.slice(passColon + 1);
    if (!USER.test(user)) return bad("malformed user");
    if (password !== undefined && !PASSWORD.test(password)) return bad("malformed password");
  }

  const semicolon = afterUser.indexOf(";");
  const hostPort = semicolon === -1 ? afterUser : afterUser.slice(0, semicolon);
  const hp = parseHostPort(hostPort);
  if (hp === undefined) return bad("malformed host or port");

  const params = new Map<string, string | null>();
  if (semicolon !== -1) {
    for (const part of afterUser.slice(semicolon + 1).split(";")) {
      const eq = part.indexOf("=");
      const name = (eq === -1 ? part : part.slice(0, eq)).toLowerCase();
      const value = eq === -1 ? null : part.slice(eq + 1);
      if (!PARAM_CHARS.test(name) || (value !== null && !PARAM_CHARS.test(value))) return bad("malformed parameter");
      params.set(name, value);
    }
  }

  const headers: [string, string][] = [];
  if (headerText !== undefined) {
    for (const part of headerText.split("&")) {
      const eq = part.indexOf("=");
      if (eq <= 0) return bad("malformed header");
      const name = part.slice(0, eq);
      const value = part.slice(eq + 1);
      if (!HEADER_CHARS.test(name) || !HEADER_CHARS.test(value)) return bad("malformed header");
      headers.push([name, value]);
    }
  }

  const uri: SipUri = {
    scheme,
    ...(user === undefined ? {} : { user }),
    ...(password === undefined ? {} : { password }),
    host: hp.host,
    ...(hp.port === undefined ? {} : { port: hp.port }),
    params,
    headers,
  };
  return { ok: true, uri };
}

/** `host`, `host:port`, `[v6]`, `[v6]:port`; host names lowercased (they compare case-insensitively). */
export function parseHostPort(text: string): { host: string; port?: number } | undefined {
  let host: string;
  let portText: string | undefined;
  if (text.startsWith("[")) {
    const close = text.indexOf("]");
    if (close === -1) return undefined;
    host = text.slice(0, close + 1);
    const after = text.slice(close + 1);
    if (after !== "") {
      if (!after.startsWith(":")) return undefined;
      portText = after.slice(1);
    }
    if (!IPV6.test(host)) return undefined;
  } else {
    const colon = text.indexOf(":");
    host = colon === -1 ? text : text.slice(0, colon);
    portText = colon === -1 ? undefined : text.slice(colon + 1);
    if (!IPV4.test(host) && !HOSTNAME.test(host)) return undefined;
  }
  if (portText === undefined) return { host: host.toLowerCase() };
  if (!/^\d{1,5}$/.test(portText)) return undefined;
  const port = Number(portText);
  if (port === 0 || port > 65535) return undefined;
  return { host: host.toLowerCase(), port };
}

function parseTel(rest: string): UriParseResult {
  const [number = "", ...paramParts] = rest.split(";");
  if (!TEL_NUMBER.test(number)) return bad("malformed telephone number");
  const params = new Map<string, string | null>();
  for (const part of paramParts) {
    const eq = part.indexOf("=");
    const name = (eq === -1 ? part : part.slice(0, eq)).toLowerCase();
    const value = eq === -1 ? null : part.slice(eq + 1);
    if (!PARAM_CHARS.test(name) || (value !== null && !PARAM_CHARS.test(value))) return bad("malformed parameter");
    params.set(name, value);
  }
  return { ok: true, uri: { scheme: "tel", number, params } };
}

export function formatUri(uri: Uri): string {
  if (uri.scheme === "tel") return `tel:${uri.number}${formatParams(uri.params)}`;
  const userInfo = uri.user === undefined ? "" : `${uri.user}${uri.password === undefined ? "" : `:${uri.password}`}@`;
  const port = uri.port === undefined ? "" : `:${uri.port}`;
  const headers = uri.headers.length === 0 ? "" : `?${uri.headers.map(([name, value]) => `${name}=${value}`).join("&")}`;
  return `${uri.scheme}:${userInfo}${uri.host}${port}${formatParams(uri.params)}${headers}`;
}

/** Convenience for code that needs a SIP URI and treats anything else as an error. */
export function parseSipUri(text: string): SipUri | undefined {
  const result = parseUri(text);
  return result.ok && result.uri.scheme !== "tel" ? result.uri : undefined;
}

/** The user part with percent-escapes decoded (`%2B1555` → `+1555`), or undefined when absent or malformed. */
export function decodedUser(uri: SipUri): string | undefined {
  if (uri.user === undefined) return undefined;
  try {
    return decodeURIComponent(uri.user);
  } catch {
    return undefined;
  }
}
