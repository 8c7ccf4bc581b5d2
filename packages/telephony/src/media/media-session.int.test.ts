import dgram from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import { sineTone } from "../rtp/audio/audio.js";
import { MediaClock } from "../rtp/clock/media-clock.js";
import type { DtmfEvent } from "../rtp/dtmf/digits.js";
import { serializeRtcpCompound } from "../rtp/rtcp/rtcp-packet.js";
import { RtpPortPool } from "../rtp/socket/port-pool.js";
import { MediaSession, type MediaSessionOptions } from "./media-session.js";

const base = 24000 + 2 * Math.floor(Math.random() * 4000);
const ports = new RtpPortPool({ host: "127.0.0.1", min: base, max: base + 40 });
const clock = new MediaClock();
const opened: MediaSession[] = [];

afterEach(async () => {
  for (const session of opened.splice(0)) await session.close();
});

async function open(options: Partial<MediaSessionOptions> = {}): Promise<MediaSession> {
  const session = await MediaSession.open({ ports, clock, ...options });
  opened.push(session);
  return session;
}

/** `a` offers, `b` answers, `a` takes the answer: a call's offer/answer without SIP. */
function connect(a: MediaSession, b: MediaSession): void {
  const answer = b.answer(a.offer());
  if (!answer.ok) throw new Error(answer.reason);
  const accepted = a.acceptAnswer(answer.sdp);
  if (!accepted.ok) throw new Error(accepted.reason);
}

const until = async (check: () => boolean, timeoutMs = 5_000) => {
  const started = Date.now();
  while (!check() && Date.now() - started < timeoutMs) await new Promise((resolve) => setTimeout(resolve, 10));
  return check();
};

/** A peer's offer; its ports are below 1024, where nothing listens, so the silence we send bothers no other test. */
const offer = (port: number, extra: string[]) =>
  ["v=0", "o=peer 1 1 IN IP4 127.0.0.1", "s=-", "c=IN IP4 127.0.0.1", "t=0 0", ...extra, ""]
    .join("\r\n")
    .replace("PORT", String(port));

describe("MediaSession RTCP on loopback", () => {
  it("two sessions exchange reports: each sees the other's view of its stream and a plausible round trip", async () => {
    const a = await open({ rtcp: { intervalMs: 300 } });
    const b = await open({ rtcp: { intervalMs: 300 } });
    connect(a, b);
    void a.play(sineTone(440, 2500));
    void b.play(sineTone(660, 2500));
    expect(
      await until(
        () =>
          a.quality().roundTripMs !== undefined &&
          b.quality().roundTripMs !== undefined &&
          a.stats.rtcp.reportsReceived >= 3 &&
          b.stats.rtcp.reportsReceived >= 3 &&
          a.quality().packetsReceived >= 75,
      ),
    ).toBe(true);
    for (const [self, peer] of [
      [a, b],
      [b, a],
    ] as const) {
      const quality = self.quality();
      console.log(`RTCP on loopback: ${JSON.stringify(quality)}`);
      expect(quality.packetsSent).toBe(self.stats.rtp.packetsSent);
      expect(quality.packetsReceived).toBeGreaterThanOrEqual(75);
      expect(quality.packetsLost).toBe(0);
      expect(quality.fractionLost).toBe(0);
      // Paced by one clock in one process: arrivals can bunch behind a busy event loop, never by much.
      expect(quality.jitterMs).toBeLessThan(30);
      expect(quality.roundTripMs).toBeGreaterThanOrEqual(0);
      expect(quality.roundTripMs).toBeLessThan(200);
      expect(quality.remote).toMatchObject({ packetsLost: 0, fractionLost: 0 });
      expect(quality.remote?.jitterMs).toBeLessThan(30);
      expect(self.stats.rtcp.remoteReport?.ssrc).toBe(self.stream.ssrc);
      expect(peer.stats.rtp.rtcpReceived).toBeGreaterThanOrEqual(3);
      expect(peer.stats.rtp.rtcpDropped).toBe(0);
    }
    // Leaving sends a BYE the other side reads.
    opened.splice(opened.indexOf(a), 1);
    await a.close();
    expect(await until(() => b.stats.rtcp.byeReceived)).toBe(true);
  });

  it("sends no reports with rtcp: false, but still reads the peer's", async () => {
    const a = await open({ rtcp: false });
    const b = await open({ rtcp: { intervalMs: 200 } });
    connect(a, b);
    expect(await until(() => a.stats.rtcp.reportsReceived >= 2)).toBe(true);
    expect(a.stats.rtp.rtcpSent).toBe(0);
    expect(b.stats.rtcp.reportsReceived).toBe(0);
    expect(a.quality().remote).toBeDefined();
  });

  it("sends RTCP to the peer's a=rtcp when it gives one, else to its RTP port + 1", async () => {
    const session = await open();
    const rtp = (extra: string[] = []) => ["m=audio PORT RTP/AVP 0", "a=rtpmap:0 PCMU/8000", "a=sendrecv", ...extra];
    expect(session.answer(offer(9, rtp())).ok).toBe(true);
    expect(session.stream.rtcpRemote).toEqual({ address: "127.0.0.1", port: 10 });
    expect(session.answer(offer(9, rtp(["a=rtcp:11"]))).ok).toBe(true);
    expect(session.stream.rtcpRemote).toEqual({ address: "127.0.0.1", port: 11 });
    expect(session.answer(offer(9, rtp(["a=rtcp:13 IN IP4 127.0.0.2"]))).ok).toBe(true);
    expect(session.stream.rtcpRemote).toEqual({ address: "127.0.0.2", port: 13 });
  });

  it("keeps RTCP sent to the RTP port (rtcp-mux) out of the receive statistics", async () => {
    const peer = dgram.createSocket("udp4");
    const port = await new Promise<number>((resolve) => peer.bind(0, "127.0.0.1", () => resolve(peer.address().port)));
    try {
      const session = await open();
      const rtp = ["m=audio PORT RTP/AVP 0", "a=rtpmap:0 PCMU/8000", "a=sendrecv"];
      expect(session.answer(offer(port, rtp)).ok).toBe(true);
      // SRs with 1–3 extension words: read as RTP, payload type 72 with "sequence numbers" (the length) 7, 8, 9.
      for (let words = 1; words <= 3; words++) {
        const sr = serializeRtcpCompound([
          {
            type: "sr",
            ssrc: 0x1234,
            sender: { ntpSeconds: 1, ntpFraction: 0, rtpTimestamp: 0, packetCount: 0, octetCount: 0 },
            reports: [],
            extension: Buffer.alloc(4 * words),
          },
        ]);
        peer.send(sr, session.localPort, "127.0.0.1");
      }
      expect(await until(() => session.stats.rtp.packetsReceived === 3)).toBe(true);
      expect(session.quality().packetsReceived).toBe(0);
    } finally {
      await new Promise<void>((resolve) => peer.close(() => resolve()));
    }
  });
});

describe("MediaSession in-band DTMF policy", () => {
  const withEvents = ["m=audio PORT RTP/AVP 0 101", "a=rtpmap:0 PCMU/8000", "a=rtpmap:101 telephone-event/8000", "a=sendrecv"];
  const withoutEvents = ["m=audio PORT RTP/AVP 0", "a=rtpmap:0 PCMU/8000", "a=sendrecv"];

  it("auto (the default) listens for tones only while the peer has not negotiated telephone-event, at every offer/answer", async () => {
    const session = await open();
    expect(session.answer(offer(9, withEvents)).ok).toBe(true);
    expect(session.stats.inbandDtmf).toBe(false);
    expect(session.answer(offer(9, withoutEvents)).ok).toBe(true);
    expect(session.stats.inbandDtmf).toBe(true);
    expect(session.answer(offer(9, withEvents)).ok).toBe(true);
    expect(session.stats.inbandDtmf).toBe(false);
    // Our own side can refuse events too: then tones are all there is.
    const noEvents = await open({ telephoneEvent: false });
    expect(noEvents.answer(offer(9, withEvents)).ok).toBe(true);
    expect(noEvents.stats.inbandDtmf).toBe(true);
  });

  it("true and false force it either way", async () => {
    const on = await open({ inbandDtmf: true });
    const off = await open({ inbandDtmf: false });
    expect(on.answer(offer(9, withEvents)).ok).toBe(true);
    expect(off.answer(offer(9, withoutEvents)).ok).toBe(true);
    expect(on.stats.inbandDtmf).toBe(true);
    expect(off.stats.inbandDtmf).toBe(false);
  });

  it("hears tones from a peer that negotiated telephone-event when forced on, and not by default", async () => {
    const sender = await open();
    const forced = await open({ inbandDtmf: true });
    const auto = await open();
    connect(sender, forced);
    const other = await open();
    connect(other, auto);
    const heard: DtmfEvent[] = [];
    const heardAuto: DtmfEvent[] = [];
    forced.onDtmf((event) => heard.push(event));
    auto.onDtmf((event) => heardAuto.push(event));
    expect(forced.audio?.telephoneEvent).toBe(101);
    await Promise.all([sender.sendDtmf("4#", { mode: "inband" }), other.sendDtmf("4#", { mode: "inband" })]);
    expect(await until(() => heard.length >= 2)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(heard).toEqual([
      { digit: "4", source: "inband" },
      { digit: "#", source: "inband" },
    ]);
    expect(heardAuto).toEqual([]);
  });
});
