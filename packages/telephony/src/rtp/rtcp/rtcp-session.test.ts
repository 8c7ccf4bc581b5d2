import { describe, expect, it } from "vitest";
import { compactNtp, ntpFromUnixMs, roundTripFromReport } from "./ntp-time.js";
import { parseRtcpAttribute } from "./rtcp-attribute.js";
import { parseRtcpCompound, type RtcpPacket, serializeRtcpCompound } from "./rtcp-packet.js";
import { RtcpSession } from "./rtcp-session.js";

/** RFC 3550 §6.4.1, Figure 2: the SR leaves at 10 Nov 1995 11:33:25.125 UTC, the RR arrives at 11:33:36.5. */
const SR_SENT = Date.UTC(1995, 10, 10, 11, 33, 25, 125);
const RR_ARRIVED = Date.UTC(1995, 10, 10, 11, 33, 36, 500);

/** Through the wire format, as the peer would see it. */
const wire = (packets: readonly RtcpPacket[]): readonly RtcpPacket[] => {
  const parsed = parseRtcpCompound(serializeRtcpCompound(packets));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.packets;
};

describe("NTP timestamps and round-trip time (RFC 3550 §4, §6.4.1)", () => {
  it("reproduces the RFC's example: NTP time, LSR, DLSR and a 6.125 s delay", () => {
    const ntp = ntpFromUnixMs(SR_SENT);
    expect(ntp).toEqual({ seconds: 0xb44db705, fraction: 0x20000000 });
    expect(compactNtp(ntp)).toBe(0xb7052000);
    expect(compactNtp(ntpFromUnixMs(RR_ARRIVED))).toBe(0xb7108000);
    expect(roundTripFromReport(0xb7108000, 0xb7052000, 0x00054000)).toBe(6125);
  });

  it("gives no round trip without an LSR, and reads a rounding hair below zero as 0", () => {
    expect(roundTripFromReport(0xb7108000, 0, 0)).toBeUndefined();
    expect(roundTripFromReport(0x00010000, 0x00010001, 0)).toBe(0);
    expect(roundTripFromReport(0x00010000, 0x00020000, 0)).toBeUndefined();
  });

  it("reads a=rtcp (RFC 3605) with and without an address", () => {
    expect(parseRtcpAttribute("53020")).toEqual({ port: 53020 });
    expect(parseRtcpAttribute("53020 IN IP4 126.16.64.4")).toEqual({ port: 53020, address: "126.16.64.4" });
    expect(parseRtcpAttribute("53020 IN IP6 2001:2345:6789:ABCD:EF01:2345:6789:ABCD")).toMatchObject({ port: 53020 });
    expect(parseRtcpAttribute("0")).toBeUndefined();
    expect(parseRtcpAttribute("port")).toBeUndefined();
  });
});

describe("RtcpSession", () => {
  it("measures the round trip of the RFC's example between two sessions, through the wire format", () => {
    const a = new RtcpSession({ ssrc: 0xaaaa, cname: "a@test" });
    const b = new RtcpSession({ ssrc: 0xbbbb, cname: "b@test" });
    for (let i = 0; i < 50; i++) {
      a.sent(100 + i, 8000 + 160 * i, 160, SR_SENT - 1000 + 20 * i);
      b.received(0xaaaa, 100 + i, 8000 + 160 * i, SR_SENT - 1000 + 20 * i + 5);
    }
    const sr = a.report(SR_SENT);
    expect(sr[0]).toMatchObject({
      type: "sr",
      ssrc: 0xaaaa,
      sender: { ntpSeconds: 0xb44db705, ntpFraction: 0x20000000, packetCount: 50, octetCount: 8000 },
    });
    // The SR's RTP timestamp is the instant of its NTP time: the last packet's, 20 ms (160 units) on.
    expect(sr[0]?.type === "sr" && sr[0].sender.rtpTimestamp).toBe(8000 + 160 * 49 + 160);
    expect(sr[1]).toEqual({ type: "sdes", chunks: [{ ssrc: 0xaaaa, items: [{ type: 1, text: "a@test" }] }] });
    b.receive(wire(sr), SR_SENT + 400);
    const rr = b.report(SR_SENT + 400 + 5250);
    expect(rr[0]).toMatchObject({
      type: "rr",
      ssrc: 0xbbbb,
      reports: [{ ssrc: 0xaaaa, lastSenderReport: 0xb7052000, delaySinceLastSenderReport: 0x00054000, cumulativeLost: 0 }],
    });
    a.receive(wire(rr), RR_ARRIVED);
    expect(a.quality().roundTripMs).toBeCloseTo(6125, 0);
    expect(a.stats).toMatchObject({ reportsSent: 1, reportsReceived: 1, byeReceived: false });
  });

  it("sends an SR while it sent RTP in one of the last two intervals, an RR otherwise", () => {
    const session = new RtcpSession({ ssrc: 1 });
    expect(session.report(0)[0]?.type).toBe("rr");
    session.sent(1, 160, 160, 10);
    expect(session.report(20)[0]?.type).toBe("sr");
    expect(session.report(40)[0]?.type).toBe("sr");
    expect(session.report(60)[0]?.type).toBe("rr");
  });

  it("reports only on sources heard since its last report", () => {
    const session = new RtcpSession({ ssrc: 1 });
    for (let i = 0; i < 5; i++) {
      session.received(10, i, i * 160, i * 20);
      session.received(20, 1000 + i, i * 160, i * 20);
    }
    const blocksOf = (packets: RtcpPacket[]) => (packets[0]?.type === "rr" ? packets[0].reports.map((r) => r.ssrc) : []);
    expect(blocksOf(session.report(100))).toEqual([10, 20]);
    session.received(20, 1005, 5 * 160, 100);
    expect(blocksOf(session.report(200))).toEqual([20]);
    expect(blocksOf(session.report(300))).toEqual([]);
  });

  it("schedules reports 0.5–1.5 × the interval apart in ticks, the first after half an interval", () => {
    const count = (random: number, ticks: number) => {
      const session = new RtcpSession({ ssrc: 1, intervalMs: 5000, random: () => random });
      const due: number[] = [];
      for (let t = 1; t <= ticks; t++) if (session.tick()) due.push(t);
      return due;
    };
    // The mean: the first after 2.5 s (125 ticks), then every 5 s (250 ticks).
    expect(count(0.5, 700)).toEqual([125, 375, 625]);
    expect(count(0, 700)).toEqual([63, 188, 313, 438, 563, 688]);
    // Just under 1.5×: 187.5 ticks rounds down, 375 does not.
    expect(count(0.999_999, 1000)).toEqual([187, 562, 937]);
  });

  it("works out the quality: loss and jitter received, the peer's view of our stream, over the call", () => {
    const a = new RtcpSession({ ssrc: 0xa });
    const b = new RtcpSession({ ssrc: 0xb });
    for (let i = 0; i < 200; i++) {
      a.sent((65500 + i) & 0xffff, i * 160, 160, i * 20);
      // B loses 10 of A's packets (never the last) and hears them 8 ms apart alternately.
      if (i % 20 !== 7) b.received(0xa, (65500 + i) & 0xffff, i * 160, i * 20 + (i % 2) * 8);
    }
    expect(b.quality()).toMatchObject({ packetsReceived: 190, packetsLost: 10, fractionLost: 0.05 });
    expect(b.quality().jitterMs).toBeGreaterThan(7);
    expect(b.quality().jitterMs).toBeLessThan(8.01);
    expect(b.quality().roundTripMs).toBeUndefined();
    // A sends 20 more before B's report arrives: the fraction is over what B could have seen.
    for (let i = 200; i < 220; i++) a.sent((65500 + i) & 0xffff, i * 160, 160, i * 20);
    a.receive(wire(b.report(4000)), 4400);
    const quality = a.quality();
    expect(quality.packetsSent).toBe(220);
    expect(quality.remote?.packetsLost).toBe(10);
    expect(quality.remote?.fractionLost).toBeCloseTo(10 / 200, 9);
    expect(quality.remote?.jitterMs).toBeCloseTo(Math.floor(b.quality().jitterMs * 8) / 8, 9);
    expect(a.stats.remoteReport?.fractionLost).toBe(Math.floor((10 * 256) / 200));
  });

  it("says goodbye only once it sent something, and notices the peer's BYE", () => {
    const a = new RtcpSession({ ssrc: 0xa });
    expect(a.goodbye(0)).toBeUndefined();
    a.sent(1, 160, 160, 0);
    const bye = a.goodbye(20, "hangup");
    expect(bye?.map((p) => p.type)).toEqual(["sr", "sdes", "bye"]);
    expect(bye?.[2]).toEqual({ type: "bye", sources: [0xa], reason: "hangup" });
    const b = new RtcpSession({ ssrc: 0xb });
    b.receive(wire(bye ?? []), 30);
    expect(b.stats.byeReceived).toBe(true);
  });

  it("follows a bounded number of sources, keeping the totals of those it lets go", () => {
    const session = new RtcpSession({ ssrc: 1, maxSources: 2 });
    for (const [n, ssrc] of [100, 200, 300].entries()) {
      for (let i = 0; i < 10; i++) if (i !== 5) session.received(ssrc, i, i * 160, n * 1000 + i * 20);
    }
    expect(session.quality()).toMatchObject({ packetsReceived: 27, packetsLost: 3 });
  });
});
