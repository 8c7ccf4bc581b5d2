import { createHash } from "node:crypto";
import { quote, splitOutside, unquote } from "./lexer.js";
import type { SipMessage } from "./model.js";

/** Authorization, Proxy-Authorization, WWW-Authenticate, Proxy-Authenticate (RFC 3261 §20.7, §20.44; RFC 2617). */
export interface Credentials {
  /** `Digest` for everything SIP uses. */
  readonly scheme: string;
  /** Parameter names lowercased, values unquoted. */
  readonly params: ReadonlyMap<string, string>;
}

export function parseCredentials(value: string): Credentials | undefined {
  const match = /^([A-Za-z0-9\-.!%*_+`'~]+)\s+(.*)$/s.exec(value.trim());
  if (!match) return undefined;
  const [, scheme = "", rest = ""] = match;
  const params = new Map<string, string>();
  for (const part of splitOutside(rest, ",")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    if (eq === -1) return undefined;
    const name = part.slice(0, eq).trim().toLowerCase();
    const raw = part.slice(eq + 1).trim();
    if (!/^[a-z0-9\-.!%*_+`'~]+$/.test(name)) return undefined;
    if (raw.startsWith('"') ? !/^"(?:[^"\\]|\\.)*"$/.test(raw) : !/^[^\s",]+$/.test(raw)) return undefined;
    params.set(name, unquote(raw));
  }
  return { scheme, params };
}

/** Parameters that RFC 2617 writes as tokens; every other one is a quoted string. */
const UNQUOTED = new Set(["algorithm", "nc", "stale"]);

/** A challenge quotes `qop` (a list of options), a response does not (the one chosen). */
export function formatCredentials(credentials: Credentials, kind: "challenge" | "response"): string {
  const parts: string[] = [];
  for (const [name, value] of credentials.params) {
    const bare = UNQUOTED.has(name) || (name === "qop" && kind === "response");
    parts.push(`${name}=${bare ? value : quote(value)}`);
  }
  return `${credentials.scheme} ${parts.join(", ")}`;
}

export function authorizationHeader(
  message: SipMessage,
  name: "Authorization" | "Proxy-Authorization" | "WWW-Authenticate" | "Proxy-Authenticate",
): Credentials | undefined {
  const value = message.headers.get(name);
  return value === undefined ? undefined : parseCredentials(value);
}

export interface DigestInput {
  readonly username: string;
  readonly password: string;
  readonly realm: string;
  readonly nonce: string;
  readonly method: string;
  readonly uri: string;
  /** `auth` (with nc and cnonce), or absent for the RFC 2069 form. */
  readonly qop?: "auth";
  readonly nc?: string;
  readonly cnonce?: string;
}

const md5 = (text: string) => createHash("md5").update(text).digest("hex");

/** H(A1) of RFC 2617 §3.2.2.2 for MD5: what a server stores instead of the password. */
export function digestHa1(username: string, realm: string, password: string): string {
  return md5(`${username}:${realm}:${password}`);
}

/** The `response` of RFC 2617 §3.2.2 with MD5, as SIP digest authentication uses it (RFC 3261 §22.4). */
export function digestResponse(input: DigestInput): string {
  return digestResponseFromHa1(digestHa1(input.username, input.realm, input.password), input);
}

/** The same from a stored H(A1), which is all a server knows (it never holds the password). */
export function digestResponseFromHa1(ha1: string, input: Omit<DigestInput, "username" | "password" | "realm">): string {
  const ha2 = md5(`${input.method}:${input.uri}`);
  if (input.qop === undefined) return md5(`${ha1}:${input.nonce}:${ha2}`);
  return md5(`${ha1}:${input.nonce}:${input.nc ?? "00000001"}:${input.cnonce ?? ""}:${input.qop}:${ha2}`);
}
