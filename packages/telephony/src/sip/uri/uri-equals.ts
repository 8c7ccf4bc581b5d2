import { parseUri, type Uri } from "./uri.js";

/** Parameters that make two SIP URIs differ even when only one of them carries it (RFC 3261 §19.1.4). */
const MUST_BE_IN_BOTH = new Set(["user", "ttl", "method", "maddr"]);

/**
 * URI equivalence of RFC 3261 §19.1.4: what decides whether a REGISTER's Contact is a binding we already hold,
 * and whether a digest `uri` names the Request-URI. The user part compares case-sensitively after unescaping,
 * the host case-insensitively; a port written out never equals an absent one; parameters compare as the RFC
 * says (in both: equal; `user`, `ttl`, `method`, `maddr` in one only: different; others in one only: ignored);
 * URI headers must match both ways. Unparseable URIs are equal only when identical.
 */
export function sameUri(a: string, b: string): boolean {
  if (a === b) return true;
  const left = parseUri(a);
  const right = parseUri(b);
  if (!left.ok || !right.ok) return false;
  return equivalent(left.uri, right.uri);
}

function equivalent(a: Uri, b: Uri): boolean {
  if (a.scheme === "tel" || b.scheme === "tel") {
    if (a.scheme !== "tel" || b.scheme !== "tel") return false;
    return a.number.replace(/[-.()]/g, "") === b.number.replace(/[-.()]/g, "") && sameParams(a.params, b.params);
  }
  if (a.scheme !== b.scheme) return false;
  if (unescapeUri(a.user) !== unescapeUri(b.user) || unescapeUri(a.password) !== unescapeUri(b.password)) return false;
  if (a.host.toLowerCase() !== b.host.toLowerCase() || a.port !== b.port) return false;
  if (!sameParams(a.params, b.params)) return false;
  const headersA = new Map(a.headers.map(([name, value]) => [name.toLowerCase(), unescapeUri(value)]));
  const headersB = new Map(b.headers.map(([name, value]) => [name.toLowerCase(), unescapeUri(value)]));
  if (headersA.size !== headersB.size) return false;
  for (const [name, value] of headersA) if (headersB.get(name) !== value) return false;
  return true;
}

function sameParams(a: ReadonlyMap<string, string | null>, b: ReadonlyMap<string, string | null>): boolean {
  for (const [name, value] of a) {
    if (b.has(name)) {
      if ((value ?? "").toLowerCase() !== (b.get(name) ?? "").toLowerCase()) return false;
    } else if (MUST_BE_IN_BOTH.has(name)) return false;
  }
  for (const name of b.keys()) if (!a.has(name) && MUST_BE_IN_BOTH.has(name)) return false;
  return true;
}

function unescapeUri(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
