/**
 * IPv4 and IPv6 addresses and networks (CIDR), for allow lists. Every address is held as 16 bytes with IPv4
 * mapped into `::ffff:0:0/96` (RFC 4291 §2.5.5.2), so `192.0.2.0/24` also matches `::ffff:192.0.2.7`, the
 * form a dual-stack socket reports for an IPv4 peer.
 */
export interface IpNetwork {
  readonly bytes: Uint8Array;
  /** Prefix length in the 128-bit space (an IPv4 /24 is 96 + 24). */
  readonly prefix: number;
  /** As configured, for logs. */
  readonly text: string;
}

const IPV4 =
  /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** 16 bytes for an IPv4 or IPv6 address (brackets and a zone index allowed), or undefined. */
export function parseIpAddress(text: string): Uint8Array | undefined {
  let address = text.trim();
  if (address.startsWith("[") && address.endsWith("]")) address = address.slice(1, -1);
  const zone = address.indexOf("%");
  if (zone !== -1) address = address.slice(0, zone);
  const v4 = IPV4.exec(address);
  if (v4) {
    const bytes = new Uint8Array(16);
    bytes[10] = 0xff;
    bytes[11] = 0xff;
    for (let i = 0; i < 4; i++) bytes[12 + i] = Number(v4[i + 1]);
    return bytes;
  }
  return parseIpv6(address);
}

function parseIpv6(address: string): Uint8Array | undefined {
  if (!address.includes(":")) return undefined;
  const halves = address.split("::");
  if (halves.length > 2) return undefined;
  const groups = (part: string): number[] | undefined => {
    if (part === "") return [];
    const out: number[] = [];
    const pieces = part.split(":");
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i] ?? "";
      if (i === pieces.length - 1 && piece.includes(".")) {
        const v4 = IPV4.exec(piece);
        if (!v4) return undefined;
        out.push(Number(v4[1]) * 256 + Number(v4[2]), Number(v4[3]) * 256 + Number(v4[4]));
      } else {
        if (!HEX_GROUP.test(piece)) return undefined;
        out.push(Number.parseInt(piece, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0] ?? "");
  const tail = halves.length === 2 ? groups(halves[1] ?? "") : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((group, i) => {
    bytes[2 * i] = group >> 8;
    bytes[2 * i + 1] = group & 0xff;
  });
  return bytes;
}

/** `10.0.0.0/8`, `2001:db8::/32`, or a single address (a /32 or /128). Undefined when malformed. */
export function parseIpNetwork(text: string): IpNetwork | undefined {
  const slash = text.indexOf("/");
  const addressText = slash === -1 ? text : text.slice(0, slash);
  const bytes = parseIpAddress(addressText);
  if (!bytes) return undefined;
  const v4 = IPV4.test(addressText.trim());
  const max = v4 ? 32 : 128;
  let length = max;
  if (slash !== -1) {
    const prefixText = text.slice(slash + 1).trim();
    if (!/^\d{1,3}$/.test(prefixText)) return undefined;
    length = Number(prefixText);
    if (length > max) return undefined;
  }
  const prefix = v4 ? 96 + length : length;
  return { bytes: masked(bytes, prefix), prefix, text: text.trim() };
}

export function networkContains(network: IpNetwork, address: Uint8Array): boolean {
  const full = Math.floor(network.prefix / 8);
  for (let i = 0; i < full; i++) if (network.bytes[i] !== address[i]) return false;
  const rest = network.prefix % 8;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((address[full] ?? 0) & mask) === network.bytes[full];
}

function masked(bytes: Uint8Array, prefix: number): Uint8Array {
  const out = new Uint8Array(bytes);
  for (let bit = prefix; bit < 128; bit++) {
    const index = bit >> 3;
    out[index] = (out[index] ?? 0) & ~(0x80 >> (bit & 7));
  }
  return out;
}
