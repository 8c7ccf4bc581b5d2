/**
 * Splits `value` on `separator` where it stands outside quoted strings (with backslash escapes) and outside
 * `<...>`, the rule for list headers (RFC 3261 §7.3.1) and for header parameters. Parts are trimmed; empty
 * parts are kept so callers decide whether they are an error.
 */
export function splitOutside(value: string, separator: "," | ";"): string[] {
  const parts: string[] = [];
  let inQuote = false;
  let inAngle = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value.charCodeAt(i);
    if (inQuote) {
      if (ch === 0x5c) i++;
      else if (ch === 0x22) inQuote = false;
    } else if (ch === 0x22) inQuote = true;
    else if (ch === 0x3c) inAngle = true;
    else if (ch === 0x3e) inAngle = false;
    else if (!inAngle && ch === separator.charCodeAt(0)) {
      parts.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(value.slice(start).trim());
  return parts;
}

/** Header or URI parameters: names lowercased (they are case-insensitive), values as written, `null` when bare. */
export type Params = ReadonlyMap<string, string | null>;

/** Parses `;a=1;b;c="x;y"` (the leading `;` optional). Returns undefined when a name is not a token. */
export function parseParams(text: string): Map<string, string | null> | undefined {
  const params = new Map<string, string | null>();
  const trimmed = text.trim();
  if (trimmed === "") return params;
  const body = trimmed.startsWith(";") ? trimmed.slice(1) : trimmed;
  for (const part of splitOutside(body, ";")) {
    const eq = part.indexOf("=");
    const name = (eq === -1 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (!/^[a-z0-9\-.!%*_+`'~]+$/.test(name)) return undefined;
    const value = eq === -1 ? null : part.slice(eq + 1).trim();
    if (value !== null && !isParamValue(value)) return undefined;
    params.set(name, value);
  }
  return params;
}

function isParamValue(value: string): boolean {
  if (value.startsWith('"')) return /^"(?:[^"\\]|\\.)*"$/.test(value);
  return /^[A-Za-z0-9\-.!%*_+`'~:[\]]+$/.test(value);
}

export function formatParams(params: Params): string {
  let out = "";
  for (const [name, value] of params) out += value === null ? `;${name}` : `;${name}=${value}`;
  return out;
}

/** Removes the quotes and escapes of a quoted-string; other text is returned as is. */
export function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\(.)/g, "$1");
  }
  return value;
}

export function quote(value: string): string {
  return `"${value.replace(/(["\\])/g, "\\$1")}"`;
}

/** Any control character but HTAB (CR and LF included: callers check single lines). */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) return true;
  }
  return false;
}
