/** RFC 3261 §7.3.3 compact forms, plus those registered later (o, u, r, b) that the brief asks for. */
const COMPACT: Readonly<Record<string, string>> = {
  i: "Call-ID",
  f: "From",
  t: "To",
  v: "Via",
  m: "Contact",
  l: "Content-Length",
  c: "Content-Type",
  k: "Supported",
  s: "Subject",
  e: "Content-Encoding",
  o: "Event",
  u: "Allow-Events",
  r: "Refer-To",
  b: "Referred-By",
};

/** Canonical spellings, so that serialized messages look the way every other implementation writes them. */
const CANONICAL: ReadonlyMap<string, string> = new Map(
  [
    "Accept",
    "Accept-Encoding",
    "Accept-Language",
    "Alert-Info",
    "Allow",
    "Allow-Events",
    "Authentication-Info",
    "Authorization",
    "Call-ID",
    "Call-Info",
    "Contact",
    "Content-Disposition",
    "Content-Encoding",
    "Content-Language",
    "Content-Length",
    "Content-Type",
    "CSeq",
    "Date",
    "Error-Info",
    "Event",
    "Expires",
    "From",
    "In-Reply-To",
    "Max-Forwards",
    "Min-Expires",
    "MIME-Version",
    "Organization",
    "P-Asserted-Identity",
    "Priority",
    "Proxy-Authenticate",
    "Proxy-Authorization",
    "Proxy-Require",
    "Record-Route",
    "Refer-To",
    "Referred-By",
    "Reply-To",
    "Require",
    "Retry-After",
    "Route",
    "RSeq",
    "RAck",
    "Server",
    "Subject",
    "Supported",
    "Timestamp",
    "To",
    "Unsupported",
    "User-Agent",
    "Via",
    "Warning",
    "WWW-Authenticate",
  ].map((name) => [name.toLowerCase(), name]),
);

/**
 * Headers whose grammar is a comma-separated list (RFC 3261 §7.3.1), so that `Via: a, b` is the same as two
 * Via lines. Authorization and the authenticate headers are lists of parameters, not of values: never split.
 */
const LIST_HEADERS: ReadonlySet<string> = new Set(
  [
    "Accept",
    "Accept-Encoding",
    "Accept-Language",
    "Alert-Info",
    "Allow",
    "Allow-Events",
    "Call-Info",
    "Contact",
    "Content-Encoding",
    "Content-Language",
    "Error-Info",
    "In-Reply-To",
    "P-Asserted-Identity",
    "Proxy-Require",
    "Record-Route",
    "Require",
    "Route",
    "Supported",
    "Unsupported",
    "Via",
    "Warning",
  ].map((name) => name.toLowerCase()),
);

/** The name a header is stored and serialized under: compact forms expanded, known names canonically cased. */
export function canonicalHeaderName(name: string): string {
  if (name.length === 1) {
    const full = COMPACT[name.toLowerCase()];
    if (full !== undefined) return full;
  }
  return CANONICAL.get(name.toLowerCase()) ?? name;
}

export function isListHeader(canonicalName: string): boolean {
  return LIST_HEADERS.has(canonicalName.toLowerCase());
}

const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

/** RFC 3261 `token`: header names, methods, parameter names. */
export function isToken(value: string): boolean {
  return TOKEN.test(value);
}
