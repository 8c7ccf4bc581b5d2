/**
 * IP addresses and CIDR blocks, IPv4 and IPv6, without `node:net` (the core does no I/O): what a trunk's
 * allow list is checked and matched with. Addresses are byte arrays of 4 or 16 bytes.
 */

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const HEXTET = /^[0-9a-fA-F]{1,4}$/;

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) return undefined;
  return Uint8Array.from(parts.map(Number));
}

function parseIpv6(text: string): Uint8Array | undefined {
  if (text.includes("%")) return undefined; // zone ids name an interface, not an address
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (half: string | undefined): string[] | undefined => (half === undefined || half === "" ? [] : half.split(":"));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return undefined;
  const words: number[] = [];
  const all = [...head, ...tail];
  for (const [i, group] of all.entries()) {
    // The last group may be an IPv4 address (`::ffff:192.0.2.1`).
    if (i === all.length - 1 && group.includes(".")) {
      const v4 = parseIpv4(group);
      if (!v4) return undefined;
      words.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
    } else if (HEXTET.test(group)) {
      words.push(Number.parseInt(group, 16));
    } else {
      return undefined;
    }
  }
  if (halves.length === 2) {
    // An embedded IPv4 address ends the address: it cannot come before the `::`.
    if (words.length > 7 || (tail.length === 0 && head.at(-1)?.includes("."))) return undefined;
    words.splice(countWords(head), 0, ...new Array<number>(8 - words.length).fill(0));
  } else if (words.length !== 8) {
    return undefined;
  }
  const bytes = new Uint8Array(16);
  for (const [i, word] of words.entries()) {
    bytes[2 * i] = word >> 8;
    bytes[2 * i + 1] = word & 0xff;
  }
  return bytes;
}

/** How many 16-bit words the groups stand for (an embedded IPv4 address is two). */
const countWords = (groups: readonly string[]): number => groups.reduce((n, g) => n + (g.includes(".") ? 2 : 1), 0);

/** An IPv4 (4 bytes) or IPv6 (16 bytes) address; undefined when the text is neither. */
export function parseIp(text: string): Uint8Array | undefined {
  return text.includes(":") ? parseIpv6(text) : parseIpv4(text);
}

export interface Cidr {
  readonly address: Uint8Array;
  readonly prefix: number;
}

/** `192.0.2.0/24`, `2001:db8::/32`, or a bare address (all its bits); undefined when not valid. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf("/");
  const address = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!address) return undefined;
  const bits = address.length * 8;
  if (slash < 0) return { address, prefix: bits };
  const prefixText = text.slice(slash + 1);
  if (!/^(0|[1-9]\d{0,2})$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  return prefix <= bits ? { address, prefix } : undefined;
}

export const isValidCidr = (text: string): boolean => parseCidr(text) !== undefined;

/** `::ffff:a.b.c.d` as the IPv4 address it maps (a dual-stack socket reports IPv4 peers so). */
function unmapped(address: Uint8Array): Uint8Array {
  if (address.length !== 16) return address;
  for (let i = 0; i < 10; i++) if (address[i] !== 0) return address;
  if (address[10] !== 0xff || address[11] !== 0xff) return address;
  return address.slice(12);
}

/** Whether the address lies in the block. Addresses of the other family never do (IPv4-mapped IPv6 counts as IPv4). */
export function cidrContains(cidr: string | Cidr, ip: string): boolean {
  const block = typeof cidr === "string" ? parseCidr(cidr) : cidr;
  const parsed = parseIp(ip);
  if (!block || !parsed) return false;
  const address = unmapped(parsed);
  const network = unmapped(block.address);
  const prefix = block.prefix - (block.address.length - network.length) * 8;
  if (address.length !== network.length || prefix < 0) return false;
  const whole = Math.floor(prefix / 8);
  for (let i = 0; i < whole; i++) if (address[i] !== network[i]) return false;
  const rest = prefix % 8;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((address[whole] ?? 0) & mask) === ((network[whole] ?? 0) & mask);
}
