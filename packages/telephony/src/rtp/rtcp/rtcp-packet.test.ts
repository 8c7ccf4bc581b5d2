import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseRtcpCompound, type RtcpPacket, type RtcpReportBlock, serializeRtcpCompound } from "./rtcp-packet.js";

/**
 * A compound packet from a browser's capture (the one pion/rtcp tests with): RR with one block, SDES with a
 * 38-byte CNAME, BYE, then two feedback packets (PLI, RFC 4585; a rapid resynchronization request, RFC 6051).
 */
const CAPTURED = Buffer.from(
  [
    "81c90007 902f9e2e bc5e9a40 00000000 000046e1 00000111 09f36432 00024a79",
    "81ca000c 902f9e2e 0126",
    Buffer.from("{9c00eb92-1afb-9d49-a47d-91f64eee69f5}").toString("hex"),
    "00000000",
    "81cb0001 902f9e2e",
    "81ce0002 902f9e2e 902f9e2e",
    "85cd0002 902f9e2e 902f9e2e",
  ]
    .join("")
    .replace(/\s/g, ""),
  "hex",
);

const block = (overrides: Partial<RtcpReportBlock> = {}): RtcpReportBlock => ({
  ssrc: 0x01020304,
  fractionLost: 64,
  cumulativeLost: 1234,
  highestSequence: 0x0001fffe,
  jitter: 80,
  lastSenderReport: 0xb7052000,
  delaySinceLastSenderReport: 0x00054000,
  ...overrides,
});

describe("RTCP compound packets (RFC 3550 §6)", () => {
  it("reads a captured compound packet, keeps what it does not interpret, and writes it back byte for byte", () => {
    const parsed = parseRtcpCompound(CAPTURED);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.packets).toEqual([
      {
        type: "rr",
        ssrc: 0x902f9e2e,
        reports: [
          {
            ssrc: 0xbc5e9a40,
            fractionLost: 0,
            cumulativeLost: 0,
            highestSequence: 0x46e1,
            jitter: 273,
            lastSenderReport: 0x9f36432,
            delaySinceLastSenderReport: 150137,
          },
        ],
      },
      { type: "sdes", chunks: [{ ssrc: 0x902f9e2e, items: [{ type: 1, text: "{9c00eb92-1afb-9d49-a47d-91f64eee69f5}" }] }] },
      { type: "bye", sources: [0x902f9e2e] },
      { type: "other", packetType: 206, count: 1, body: Buffer.from("902f9e2e902f9e2e", "hex") },
      { type: "other", packetType: 205, count: 5, body: Buffer.from("902f9e2e902f9e2e", "hex") },
    ]);
    expect(serializeRtcpCompound(parsed.packets).equals(CAPTURED)).toBe(true);
  });

  it("round-trips an SR with blocks and an extension, SDES with several chunks and items, and a BYE with a reason", () => {
    const packets: RtcpPacket[] = [
      {
        type: "sr",
        ssrc: 0xdeadbeef,
        sender: {
          ntpSeconds: 0xb44db705,
          ntpFraction: 0x20000000,
          rtpTimestamp: 0xfffffff0,
          packetCount: 5000,
          octetCount: 800000,
        },
        reports: [block(), block({ ssrc: 7, cumulativeLost: -3, fractionLost: 0 })],
        extension: Buffer.from([1, 2, 3, 4]),
      },
      {
        type: "sdes",
        chunks: [
          { ssrc: 0xdeadbeef, items: [{ type: 1, text: "ab" }] },
          { ssrc: 9, items: [] },
          {
            ssrc: 10,
            items: [
              { type: 1, text: "agent@example.com" },
              { type: 2, text: "Zoë Ågren" },
            ],
          },
        ],
      },
      { type: "bye", sources: [0xdeadbeef, 9], reason: "call ended" },
    ];
    const bytes = serializeRtcpCompound(packets);
    // SR: 4 header + 24 + 2 blocks + 4 extension; SDES "ab": 4 SSRC + 4 item, then a whole word of nulls.
    expect(bytes.readUInt16BE(2)).toBe((4 + 24 + 48 + 4) / 4 - 1);
    expect(bytes.length % 4).toBe(0);
    expect(parseRtcpCompound(bytes)).toEqual({ ok: true, packets });
  });

  it("writes negative cumulative loss as 24-bit two's complement and clamps what does not fit", () => {
    const bytes = serializeRtcpCompound([
      { type: "rr", ssrc: 1, reports: [block({ cumulativeLost: -1 }), block({ cumulativeLost: 1e9 })] },
    ]);
    expect(bytes.subarray(8 + 5, 8 + 8).toString("hex")).toBe("ffffff");
    const parsed = parseRtcpCompound(bytes);
    expect(parsed.ok && parsed.packets[0]?.type === "rr" && parsed.packets[0].reports.map((r) => r.cumulativeLost)).toEqual([
      -1, 0x7fffff,
    ]);
  });

  it("strips padding from the last packet", () => {
    const rr = serializeRtcpCompound([{ type: "rr", ssrc: 5, reports: [] }]);
    const padded = Buffer.concat([rr, Buffer.from([0, 0, 0, 4])]);
    padded[0] = (padded[0] as number) | 0x20;
    padded.writeUInt16BE(2, 2);
    expect(parseRtcpCompound(padded)).toEqual({ ok: true, packets: [{ type: "rr", ssrc: 5, reports: [] }] });
  });

  it.each([
    ["empty", ""],
    ["a lone header", "81c90007"],
    ["version 1", "41c90001 00000001"],
    ["a first packet that is not SR or RR (A.2)", "81cb0001 902f9e2e"],
    ["a length beyond the datagram", "80c90002 00000001"],
    ["bytes after the last packet", "80c90001 00000001 00"],
    ["report blocks beyond the length", "81c90001 00000001"],
    ["an SR shorter than its sender info", "80c80002 00000001 00000000"],
    ["padding on a packet that is not the last", "a0c90002 00000001 00000004 80cb0000"],
    ["zero padding", "a0c90001 00000000"],
    ["padding longer than the packet", "a0c90001 00000009"],
    ["an extension that is not whole words", "a0c90002 00000001 00000002"],
    ["an unterminated SDES item list", "80c90001 00000001 81ca0002 00000001 01020000"],
    ["an SDES item beyond the packet", "80c90001 00000001 81ca0002 00000001 0109ab00"],
    ["non-zero bytes after the SDES chunks", "80c90001 00000001 80ca0001 00000001"],
    ["a BYE reason beyond the packet", "80c90001 00000001 81cb0002 00000001 09616263"],
    ["a BYE shorter than its sources", "80c90001 00000001 83cb0001 00000001"],
  ])("refuses %s", (_, hex) => {
    const parsed = parseRtcpCompound(Buffer.from(hex.replace(/\s/g, ""), "hex"));
    expect(parsed.ok).toBe(false);
  });

  it("never throws on garbage: random bytes and mutations of valid packets; what it accepts writes back the same", () => {
    const roundTrips = (data: Buffer) => {
      const parsed = parseRtcpCompound(data);
      if (!parsed.ok) return;
      const again = parseRtcpCompound(serializeRtcpCompound(parsed.packets));
      expect(again).toEqual(parsed);
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        roundTrips(Buffer.from(bytes));
      }),
      { numRuns: 3000 },
    );
    // Valid-looking headers make the mutations reach the per-type checks rather than stop at the first byte.
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: CAPTURED.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        // Cut at a packet boundary as often as anywhere: most cuts elsewhere stop at the length check.
        fc.oneof(fc.constantFrom(32, 84, 92, 104, CAPTURED.length), fc.nat({ max: CAPTURED.length })),
        (flips, cut) => {
          const data = Buffer.from(CAPTURED.subarray(0, Math.max(cut, 8)));
          for (const [at, value] of flips) if (at < data.length) data[at] = value;
          roundTrips(data);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it("round-trips any well-formed compound packet", () => {
    const uint32 = fc.integer({ min: 0, max: 0xffffffff });
    const reportBlock = fc.record({
      ssrc: uint32,
      fractionLost: fc.integer({ min: 0, max: 255 }),
      cumulativeLost: fc.integer({ min: -0x800000, max: 0x7fffff }),
      highestSequence: uint32,
      jitter: uint32,
      lastSenderReport: uint32,
      delaySinceLastSenderReport: uint32,
    });
    const reports = fc.array(reportBlock, { maxLength: 31 });
    const first: fc.Arbitrary<RtcpPacket> = fc.oneof(
      fc.record({ type: fc.constant("rr" as const), ssrc: uint32, reports }),
      fc.record({
        type: fc.constant("sr" as const),
        ssrc: uint32,
        sender: fc.record({
          ntpSeconds: uint32,
          ntpFraction: uint32,
          rtpTimestamp: uint32,
          packetCount: uint32,
          octetCount: uint32,
        }),
        reports,
      }),
    );
    const rest: fc.Arbitrary<RtcpPacket> = fc.oneof(
      fc.record({
        type: fc.constant("sdes" as const),
        chunks: fc.array(
          fc.record({
            ssrc: uint32,
            items: fc.array(fc.record({ type: fc.integer({ min: 1, max: 8 }), text: fc.string({ maxLength: 40 }) }), {
              maxLength: 3,
            }),
          }),
          { maxLength: 4 },
        ),
      }),
      fc.record({ type: fc.constant("bye" as const), sources: fc.array(uint32, { maxLength: 31 }) }),
      fc.record({
        type: fc.constant("other" as const),
        packetType: fc.integer({ min: 204, max: 255 }),
        count: fc.integer({ min: 0, max: 31 }),
        body: fc
          .array(uint32, { maxLength: 4 })
          .map((words) => Buffer.from(words.flatMap((w) => [w >>> 24, (w >>> 16) & 255, (w >>> 8) & 255, w & 255]))),
      }),
    );
    fc.assert(
      fc.property(first, fc.array(rest, { maxLength: 4 }), (head, tail) => {
        const packets = [head, ...tail];
        expect(parseRtcpCompound(serializeRtcpCompound(packets))).toEqual({ ok: true, packets });
      }),
      { numRuns: 1000 },
    );
  });
});
