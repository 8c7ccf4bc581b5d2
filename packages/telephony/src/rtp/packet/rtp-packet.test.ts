import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseRtpPacket, type RtpPacket, sequenceDelta, serializeRtpPacket, timestampDelta } from "./rtp-packet.js";

describe("RTP packets (RFC 3550)", () => {
  it("writes and reads back a packet with CSRCs and an extension", () => {
    const packet: RtpPacket = {
      marker: true,
      payloadType: 101,
      sequenceNumber: 65535,
      timestamp: 0xffffffff,
      ssrc: 0xdeadbeef,
      csrcs: [1, 2],
      extension: { profile: 0xbede, data: Buffer.from([1, 2, 3, 4]) },
      payload: Buffer.from([9, 8, 7]),
    };
    const bytes = serializeRtpPacket(packet);
    expect(bytes.length).toBe(12 + 8 + 8 + 3);
    expect(parseRtpPacket(bytes)).toEqual({ ok: true, packet });
  });

  it("strips padding and refuses impossible packets", () => {
    const plain = serializeRtpPacket({
      marker: false,
      payloadType: 0,
      sequenceNumber: 1,
      timestamp: 160,
      ssrc: 7,
      csrcs: [],
      payload: Buffer.from([1, 2]),
    });
    const padded = Buffer.concat([plain, Buffer.from([0, 0, 3])]);
    padded[0] = (padded[0] as number) | 0x20;
    const parsed = parseRtpPacket(padded);
    expect(parsed.ok && [...parsed.packet.payload]).toEqual([1, 2]);
    const badPadding = Buffer.from(padded);
    badPadding[badPadding.length - 1] = 200;
    expect(parseRtpPacket(badPadding).ok).toBe(false);
    expect(parseRtpPacket(Buffer.alloc(11)).ok).toBe(false);
    expect(parseRtpPacket(Buffer.from([0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])).ok).toBe(false);
    expect(parseRtpPacket(Buffer.from([0x8f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])).ok).toBe(false);
  });

  it("never throws on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        parseRtpPacket(Buffer.from(bytes));
      }),
      { numRuns: 2_000 },
    );
  });

  it("compares wrapping sequence numbers and timestamps", () => {
    expect(sequenceDelta(2, 65534)).toBe(4);
    expect(sequenceDelta(65534, 2)).toBe(-4);
    expect(timestampDelta(80, 0xffffff00)).toBe(336);
  });
});
