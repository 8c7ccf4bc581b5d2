/** RFC 3550 §5.1. */
export interface RtpPacket {
  readonly marker: boolean;
  readonly payloadType: number;
  /** 16 bits, wrapping. */
  readonly sequenceNumber: number;
  /** 32 bits, wrapping, in the payload's clock (8000 Hz for G.711 and telephone-event). */
  readonly timestamp: number;
  readonly ssrc: number;
  readonly csrcs: readonly number[];
  readonly extension?: { readonly profile: number; readonly data: Buffer };
  /** Without padding. */
  readonly payload: Buffer;
}

export type RtpParseResult = { readonly ok: true; readonly packet: RtpPacket } | { readonly ok: false; readonly reason: string };

const bad = (reason: string): RtpParseResult => ({ ok: false, reason });
/** The CSRC list of nearly every packet (no mixer upstream): shared rather than allocated per packet. */
const NO_CSRCS: readonly number[] = Object.freeze([]);

/** Never throws; refuses versions other than 2, truncated headers and impossible padding. */
export function parseRtpPacket(data: Buffer): RtpParseResult {
  if (data.length < 12) return bad("shorter than an RTP header");
  const first = data[0] as number;
  if (first >> 6 !== 2) return bad("not RTP version 2");
  const padding = (first & 0x20) !== 0;
  const hasExtension = (first & 0x10) !== 0;
  const csrcCount = first & 0x0f;
  const second = data[1] as number;
  let offset = 12 + 4 * csrcCount;
  if (data.length < offset) return bad("truncated CSRC list");
  let csrcs = NO_CSRCS;
  if (csrcCount > 0) {
    const list: number[] = [];
    for (let i = 0; i < csrcCount; i++) list.push(data.readUInt32BE(12 + 4 * i));
    csrcs = list;
  }
  let extension: RtpPacket["extension"];
  if (hasExtension) {
    if (data.length < offset + 4) return bad("truncated extension header");
    const profile = data.readUInt16BE(offset);
    const length = 4 * data.readUInt16BE(offset + 2);
    if (data.length < offset + 4 + length) return bad("truncated extension");
    extension = { profile, data: Buffer.from(data.subarray(offset + 4, offset + 4 + length)) };
    offset += 4 + length;
  }
  let end = data.length;
  if (padding) {
    const count = data[data.length - 1] as number;
    if (count === 0 || offset + count > data.length) return bad("impossible padding");
    end -= count;
  }
  // One object literal per shape (no spread): the parser runs once per packet per leg.
  const packet: RtpPacket = extension
    ? {
        marker: (second & 0x80) !== 0,
        payloadType: second & 0x7f,
        sequenceNumber: data.readUInt16BE(2),
        timestamp: data.readUInt32BE(4),
        ssrc: data.readUInt32BE(8),
        csrcs,
        extension,
        payload: data.subarray(offset, end),
      }
    : {
        marker: (second & 0x80) !== 0,
        payloadType: second & 0x7f,
        sequenceNumber: data.readUInt16BE(2),
        timestamp: data.readUInt32BE(4),
        ssrc: data.readUInt32BE(8),
        csrcs,
        payload: data.subarray(offset, end),
      };
  return { ok: true, packet };
}

export function serializeRtpPacket(packet: RtpPacket): Buffer {
  const extensionBytes = packet.extension ? 4 + packet.extension.data.length : 0;
  const header = 12 + 4 * packet.csrcs.length;
  const out = Buffer.allocUnsafe(header + extensionBytes + packet.payload.length);
  out[0] = 0x80 | (packet.extension ? 0x10 : 0) | (packet.csrcs.length & 0x0f);
  out[1] = (packet.marker ? 0x80 : 0) | (packet.payloadType & 0x7f);
  out.writeUInt16BE(packet.sequenceNumber & 0xffff, 2);
  out.writeUInt32BE(packet.timestamp >>> 0, 4);
  out.writeUInt32BE(packet.ssrc >>> 0, 8);
  for (const [i, csrc] of packet.csrcs.entries()) out.writeUInt32BE(csrc >>> 0, 12 + 4 * i);
  let offset = header;
  if (packet.extension) {
    out.writeUInt16BE(packet.extension.profile, offset);
    out.writeUInt16BE(Math.ceil(packet.extension.data.length / 4), offset + 2);
    packet.extension.data.copy(out, offset + 4);
    offset += extensionBytes;
  }
  packet.payload.copy(out, offset);
  return out;
}

/** `a - b` for 16-bit sequence numbers, in -32768..32767 (RFC 3550 Appendix A.1 arithmetic). */
export function sequenceDelta(a: number, b: number): number {
  return ((((a - b) & 0xffff) + 0x8000) & 0xffff) - 0x8000;
}

/** `a - b` for 32-bit timestamps, signed. */
export function timestampDelta(a: number, b: number): number {
  return (a - b) | 0;
}
