/** RTCP packet types (RFC 3550 §12.1). */
export const RTCP_SR = 200;
export const RTCP_RR = 201;
export const RTCP_SDES = 202;
export const RTCP_BYE = 203;

/** SDES item types (RFC 3550 §6.5); only CNAME is required. */
export const SDES_CNAME = 1;

/** One reception report block (RFC 3550 §6.4.1): what a receiver saw of one source. */
export interface RtcpReportBlock {
  /** The source this block is about. */
  readonly ssrc: number;
  /** Lost over the last interval, as a fixed-point fraction: 0–255 over 256. */
  readonly fractionLost: number;
  /** Expected minus received since the start, 24-bit signed (duplicates can make it negative). */
  readonly cumulativeLost: number;
  /** Highest sequence number received, extended with the count of wraps (32 bits). */
  readonly highestSequence: number;
  /** Interarrival jitter, in timestamp units. */
  readonly jitter: number;
  /** LSR: the middle 32 bits of the NTP timestamp of the last SR from that source (0: none yet). */
  readonly lastSenderReport: number;
  /** DLSR: time between receiving that SR and sending this block, in 1/65536 s. */
  readonly delaySinceLastSenderReport: number;
}

/** The sender information of an SR (RFC 3550 §6.4.1). */
export interface RtcpSenderInfo {
  /** NTP timestamp: whole seconds since 1900 (32 bits, wrapping) … */
  readonly ntpSeconds: number;
  /** … and the fraction of a second in 1/2³² s. */
  readonly ntpFraction: number;
  /** The same instant in the stream's RTP timestamp clock. */
  readonly rtpTimestamp: number;
  /** RTP packets sent since starting transmission (32 bits, wrapping). */
  readonly packetCount: number;
  /** Payload octets sent (no headers, no padding), 32 bits, wrapping. */
  readonly octetCount: number;
}

export interface RtcpSdesItem {
  readonly type: number;
  readonly text: string;
}

export interface RtcpSdesChunk {
  readonly ssrc: number;
  readonly items: readonly RtcpSdesItem[];
}

export type RtcpPacket =
  | {
      readonly type: "sr";
      readonly ssrc: number;
      readonly sender: RtcpSenderInfo;
      readonly reports: readonly RtcpReportBlock[];
      /** Profile-specific extension after the blocks, when present. */
      readonly extension?: Buffer;
    }
  | { readonly type: "rr"; readonly ssrc: number; readonly reports: readonly RtcpReportBlock[]; readonly extension?: Buffer }
  | { readonly type: "sdes"; readonly chunks: readonly RtcpSdesChunk[] }
  | { readonly type: "bye"; readonly sources: readonly number[]; readonly reason?: string }
  /** APP, feedback (RFC 4585), XR (RFC 3611) and anything newer: kept as bytes, not interpreted. */
  | { readonly type: "other"; readonly packetType: number; readonly count: number; readonly body: Buffer };

export type RtcpParseResult =
  | { readonly ok: true; readonly packets: readonly RtcpPacket[] }
  | { readonly ok: false; readonly reason: string };

const HEADER = 4;
const BLOCK = 24;
const SENDER_INFO = 20;
const MAX_COUNT = 31;

const bad = (reason: string): RtcpParseResult => ({ ok: false, reason });

/**
 * Reads a compound RTCP packet with the validity checks of RFC 3550 Appendix A.2: version 2 in every packet, the
 * first one an SR or RR, padding only on the last, and length fields that add up to the datagram exactly. Each
 * packet's own layout is checked against its length (report blocks, SDES chunks and items, a BYE's reason).
 * Unknown types are returned as `other`. Never throws: garbage is a `{ ok: false }` with the reason.
 */
export function parseRtcpCompound(data: Buffer): RtcpParseResult {
  if (data.length < HEADER + 4) return bad("shorter than an RTCP header");
  const packets: RtcpPacket[] = [];
  let offset = 0;
  while (offset < data.length) {
    if (data.length - offset < HEADER) return bad("trailing bytes after the last packet");
    const first = data[offset] as number;
    if (first >> 6 !== 2) return bad("not RTCP version 2");
    const count = first & 0x1f;
    const packetType = data[offset + 1] as number;
    const size = HEADER + 4 * data.readUInt16BE(offset + 2);
    const end = offset + size;
    if (end > data.length) return bad("length field beyond the datagram");
    if (offset === 0 && packetType !== RTCP_SR && packetType !== RTCP_RR) return bad("compound RTCP must start with SR or RR");
    let bodyEnd = end;
    if ((first & 0x20) !== 0) {
      if (end !== data.length) return bad("padding before the last packet");
      const padding = data[end - 1] as number;
      if (padding === 0 || padding > size - HEADER) return bad("impossible padding");
      bodyEnd = end - padding;
    }
    const parsed = parseOne(data, packetType, count, offset + HEADER, bodyEnd);
    if (typeof parsed === "string") return bad(parsed);
    packets.push(parsed);
    offset = end;
  }
  return { ok: true, packets };
}

function parseOne(data: Buffer, packetType: number, count: number, start: number, end: number): RtcpPacket | string {
  const length = end - start;
  switch (packetType) {
    case RTCP_SR: {
      if (length < 4 + SENDER_INFO + BLOCK * count) return "SR shorter than its report blocks";
      const sender: RtcpSenderInfo = {
        ntpSeconds: data.readUInt32BE(start + 4),
        ntpFraction: data.readUInt32BE(start + 8),
        rtpTimestamp: data.readUInt32BE(start + 12),
        packetCount: data.readUInt32BE(start + 16),
        octetCount: data.readUInt32BE(start + 20),
      };
      const blocksEnd = start + 4 + SENDER_INFO + BLOCK * count;
      if ((end - blocksEnd) % 4 !== 0) return "SR extension not a multiple of 32 bits";
      const reports = readBlocks(data, start + 4 + SENDER_INFO, count);
      return blocksEnd < end
        ? { type: "sr", ssrc: data.readUInt32BE(start), sender, reports, extension: Buffer.from(data.subarray(blocksEnd, end)) }
        : { type: "sr", ssrc: data.readUInt32BE(start), sender, reports };
    }
    case RTCP_RR: {
      if (length < 4 + BLOCK * count) return "RR shorter than its report blocks";
      const blocksEnd = start + 4 + BLOCK * count;
      if ((end - blocksEnd) % 4 !== 0) return "RR extension not a multiple of 32 bits";
      const reports = readBlocks(data, start + 4, count);
      return blocksEnd < end
        ? { type: "rr", ssrc: data.readUInt32BE(start), reports, extension: Buffer.from(data.subarray(blocksEnd, end)) }
        : { type: "rr", ssrc: data.readUInt32BE(start), reports };
    }
    case RTCP_SDES:
      return parseSdes(data, count, start, end);
    case RTCP_BYE: {
      if (length < 4 * count) return "BYE shorter than its sources";
      const sources: number[] = [];
      for (let i = 0; i < count; i++) sources.push(data.readUInt32BE(start + 4 * i));
      const at = start + 4 * count;
      if (at >= end) return { type: "bye", sources };
      const reasonLength = data[at] as number;
      if (at + 1 + reasonLength > end) return "BYE reason beyond the packet";
      if (reasonLength === 0) return { type: "bye", sources };
      return { type: "bye", sources, reason: data.toString("utf8", at + 1, at + 1 + reasonLength) };
    }
    default:
      return { type: "other", packetType, count, body: Buffer.from(data.subarray(start, end)) };
  }
}

function readBlocks(data: Buffer, from: number, count: number): RtcpReportBlock[] {
  const blocks: RtcpReportBlock[] = [];
  for (let i = 0; i < count; i++) {
    const at = from + BLOCK * i;
    blocks.push({
      ssrc: data.readUInt32BE(at),
      fractionLost: data[at + 4] as number,
      cumulativeLost: data.readIntBE(at + 5, 3),
      highestSequence: data.readUInt32BE(at + 8),
      jitter: data.readUInt32BE(at + 12),
      lastSenderReport: data.readUInt32BE(at + 16),
      delaySinceLastSenderReport: data.readUInt32BE(at + 20),
    });
  }
  return blocks;
}

/** Chunks of an SSRC and items, each list ended by one or more null octets up to a 32-bit boundary (§6.5). */
function parseSdes(data: Buffer, count: number, start: number, end: number): RtcpPacket | string {
  const chunks: RtcpSdesChunk[] = [];
  let at = start;
  for (let c = 0; c < count; c++) {
    if (at + 4 > end) return "SDES chunk beyond the packet";
    const ssrc = data.readUInt32BE(at);
    at += 4;
    const items: RtcpSdesItem[] = [];
    for (;;) {
      if (at >= end) return "SDES item list not terminated";
      const type = data[at] as number;
      if (type === 0) break;
      if (at + 2 > end) return "SDES item beyond the packet";
      const length = data[at + 1] as number;
      if (at + 2 + length > end) return "SDES item beyond the packet";
      items.push({ type, text: data.toString("utf8", at + 2, at + 2 + length) });
      at += 2 + length;
    }
    // The null octet, then more up to the next 32-bit boundary (chunks start aligned: the header is 4 bytes).
    at = start + align4(at + 1 - start);
    if (at > end) return "SDES chunk padding beyond the packet";
    chunks.push({ ssrc, items });
  }
  for (let i = at; i < end; i++) if (data[i] !== 0) return "bytes after the SDES chunks";
  return { type: "sdes", chunks };
}

const align4 = (n: number) => (n + 3) & ~3;

/**
 * Writes packets back to back into one datagram. Packets are built by this process, so a count beyond 31 (or an
 * extension that is not whole 32-bit words) is a programming error and throws a `RangeError`; an SDES text or a
 * BYE reason longer than the 255 bytes its length octet allows is cut at a character boundary.
 */
export function serializeRtcpCompound(packets: readonly RtcpPacket[]): Buffer {
  const parts = packets.map(serializeOne);
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
}

function header(out: Buffer, count: number, packetType: number, padding = false): Buffer {
  if (count > MAX_COUNT) throw new RangeError(`RTCP count ${count} exceeds 31`);
  out[0] = 0x80 | (padding ? 0x20 : 0) | count;
  out[1] = packetType;
  out.writeUInt16BE(out.length / 4 - 1, 2);
  return out;
}

function serializeOne(packet: RtcpPacket): Buffer {
  switch (packet.type) {
    case "sr":
    case "rr": {
      const fixed = packet.type === "sr" ? 4 + SENDER_INFO : 4;
      const extension = packet.extension ?? Buffer.alloc(0);
      if (extension.length % 4 !== 0) throw new RangeError("RTCP report extension must be a multiple of 4 bytes");
      const out = Buffer.alloc(HEADER + fixed + BLOCK * packet.reports.length + extension.length);
      header(out, packet.reports.length, packet.type === "sr" ? RTCP_SR : RTCP_RR);
      out.writeUInt32BE(packet.ssrc >>> 0, 4);
      if (packet.type === "sr") {
        const s = packet.sender;
        out.writeUInt32BE(s.ntpSeconds >>> 0, 8);
        out.writeUInt32BE(s.ntpFraction >>> 0, 12);
        out.writeUInt32BE(s.rtpTimestamp >>> 0, 16);
        out.writeUInt32BE(s.packetCount >>> 0, 20);
        out.writeUInt32BE(s.octetCount >>> 0, 24);
      }
      for (const [i, block] of packet.reports.entries()) writeBlock(out, HEADER + fixed + BLOCK * i, block);
      extension.copy(out, HEADER + fixed + BLOCK * packet.reports.length);
      return out;
    }
    case "sdes": {
      const chunks = packet.chunks.map((chunk) => {
        const items = chunk.items.map((item) => {
          const text = utf8Upto255(item.text);
          return Buffer.concat([Buffer.from([item.type, text.length]), text]);
        });
        const body = Buffer.concat([Buffer.alloc(4), ...items]);
        body.writeUInt32BE(chunk.ssrc >>> 0, 0);
        // At least one null octet ends the list, then zeros to the boundary.
        return Buffer.concat([body, Buffer.alloc(align4(body.length + 1) - body.length)]);
      });
      const out = Buffer.concat([Buffer.alloc(HEADER), ...chunks]);
      return header(out, packet.chunks.length, RTCP_SDES);
    }
    case "bye": {
      const reason = packet.reason === undefined ? undefined : utf8Upto255(packet.reason);
      const bodyLength = 4 * packet.sources.length + (reason ? 1 + reason.length : 0);
      const out = Buffer.alloc(HEADER + align4(bodyLength));
      header(out, packet.sources.length, RTCP_BYE);
      for (const [i, ssrc] of packet.sources.entries()) out.writeUInt32BE(ssrc >>> 0, HEADER + 4 * i);
      if (reason) {
        out[HEADER + 4 * packet.sources.length] = reason.length;
        reason.copy(out, HEADER + 4 * packet.sources.length + 1);
      }
      return out;
    }
    case "other": {
      const padding = align4(packet.body.length) - packet.body.length;
      const out = Buffer.alloc(HEADER + packet.body.length + padding);
      header(out, packet.count, packet.packetType, padding > 0);
      packet.body.copy(out, HEADER);
      if (padding > 0) out[out.length - 1] = padding;
      return out;
    }
  }
}

function utf8Upto255(text: string): Buffer {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= 255) return bytes;
  let end = 255;
  // Back off continuation bytes (10xxxxxx) so that no character is cut in half.
  while (end > 0 && ((bytes[end] as number) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}

function writeBlock(out: Buffer, at: number, block: RtcpReportBlock): void {
  out.writeUInt32BE(block.ssrc >>> 0, at);
  out[at + 4] = Math.max(0, Math.min(255, Math.floor(block.fractionLost)));
  out.writeIntBE(Math.max(-0x800000, Math.min(0x7fffff, Math.trunc(block.cumulativeLost))), at + 5, 3);
  out.writeUInt32BE(block.highestSequence >>> 0, at + 8);
  out.writeUInt32BE(block.jitter >>> 0, at + 12);
  out.writeUInt32BE(block.lastSenderReport >>> 0, at + 16);
  out.writeUInt32BE(block.delaySinceLastSenderReport >>> 0, at + 20);
}
