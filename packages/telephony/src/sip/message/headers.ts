import { canonicalHeaderName } from "./header-names.js";

export interface SipHeader {
  /** Canonical name: compact forms expanded (`v` → `Via`), known names canonically cased. */
  readonly name: string;
  /** One value: list headers (`Via: a, b`) are stored as one entry per value. */
  readonly value: string;
}

/**
 * The header fields of a message in order, one entry per value, looked up case-insensitively and by compact
 * form. Content-Length is not kept here: the body's length is the content length, written on serialization.
 */
export class SipHeaders {
  private readonly list: SipHeader[];

  constructor(entries: Iterable<readonly [string, string]> = []) {
    this.list = [];
    for (const [name, value] of entries) this.append(name, value);
  }

  static fromEntries(entries: readonly SipHeader[]): SipHeaders {
    const headers = new SipHeaders();
    for (const entry of entries) headers.list.push(entry);
    return headers;
  }

  get size(): number {
    return this.list.length;
  }

  /** The first value of a header, or undefined. */
  get(name: string): string | undefined {
    const key = canonicalHeaderName(name).toLowerCase();
    for (const entry of this.list) if (entry.name.toLowerCase() === key) return entry.value;
    return undefined;
  }

  getAll(name: string): string[] {
    const key = canonicalHeaderName(name).toLowerCase();
    const out: string[] = [];
    for (const entry of this.list) if (entry.name.toLowerCase() === key) out.push(entry.value);
    return out;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  append(name: string, value: string): this {
    this.list.push({ name: canonicalHeaderName(name), value });
    return this;
  }

  /** Adds a value before the others of the same name (a new top Via), or at the end if there is none. */
  prepend(name: string, value: string): this {
    const canonical = canonicalHeaderName(name);
    const key = canonical.toLowerCase();
    const at = this.list.findIndex((entry) => entry.name.toLowerCase() === key);
    this.list.splice(at === -1 ? this.list.length : at, 0, { name: canonical, value });
    return this;
  }

  /** Replaces every value of a header by one, where the first of them stood. */
  set(name: string, value: string): this {
    const canonical = canonicalHeaderName(name);
    const key = canonical.toLowerCase();
    const at = this.list.findIndex((entry) => entry.name.toLowerCase() === key);
    if (at === -1) return this.append(canonical, value);
    this.delete(canonical);
    this.list.splice(at, 0, { name: canonical, value });
    return this;
  }

  /** Replaces the first value of a header (the top Via), keeping the others. */
  replaceFirst(name: string, value: string): this {
    const key = canonicalHeaderName(name).toLowerCase();
    const at = this.list.findIndex((entry) => entry.name.toLowerCase() === key);
    if (at === -1) return this.append(name, value);
    const entry = this.list[at] as SipHeader;
    this.list[at] = { name: entry.name, value };
    return this;
  }

  /** Removes the first value of a header (a proxy popping its Via); returns it. */
  removeFirst(name: string): string | undefined {
    const key = canonicalHeaderName(name).toLowerCase();
    const at = this.list.findIndex((entry) => entry.name.toLowerCase() === key);
    if (at === -1) return undefined;
    return this.list.splice(at, 1)[0]?.value;
  }

  delete(name: string): this {
    const key = canonicalHeaderName(name).toLowerCase();
    for (let i = this.list.length - 1; i >= 0; i--) {
      if (this.list[i]?.name.toLowerCase() === key) this.list.splice(i, 1);
    }
    return this;
  }

  entries(): readonly SipHeader[] {
    return this.list;
  }

  clone(): SipHeaders {
    return SipHeaders.fromEntries(this.list);
  }

  toJSON(): readonly SipHeader[] {
    return this.list;
  }
}
