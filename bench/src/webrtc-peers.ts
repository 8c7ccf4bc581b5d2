/**
 * The "browsers" of `npm run bench:webrtc`: a child process (forked by `webrtc.ts`, IPC over `process.send`)
 * holding werift peers that play Chromium's part. Each peer offers PCMU with its candidates, speaks a 400 Hz
 * tone in one 20 ms packet per tick, and timestamps every packet it receives. At the end of a window it reports
 * the arrival intervals' deviation from 20 ms, the packets lost and how many of the packets heard were loud.
 */

import { decodeG711Into, encodeG711, FRAME_MS, FRAME_SAMPLES, sendDtlsCloseNotify, sineTone } from "@switchboard/telephony";
import { RTCPeerConnection, RTCRtpCodecParameters, type RTCRtpTransceiver, RtpHeader, RtpPacket } from "werift";
import { summarize } from "./stats.js";

/** Parent to child. */
export type ToPeers =
  | { readonly type: "create"; readonly count: number; readonly bindAddress: string }
  | { readonly type: "answers"; readonly sdps: readonly string[] }
  | { readonly type: "start"; readonly warmupMs: number; readonly holdMs: number }
  | { readonly type: "close" };

/** Child to parent. */
export type FromPeers =
  | { readonly type: "offers"; readonly sdps: readonly string[] }
  | { readonly type: "connected"; readonly connected: number; readonly failed: number }
  | { readonly type: "window" }
  | { readonly type: "report"; readonly report: PeersReport }
  | { readonly type: "closed" }
  | { readonly type: "error"; readonly message: string };

export interface PeersReport {
  readonly streams: number;
  readonly windowMs: number;
  /** Packets each stream should have received in the window at one per 20 ms. */
  readonly expectedPerStream: number;
  readonly received: number;
  /** Gaps in the sequence numbers (packets that never came). */
  readonly sequenceLost: number;
  /** Expected by time minus received, over every stream (at least 0 per stream). */
  readonly missing: number;
  /** |arrival interval − 20 ms| over every stream's consecutive packets, in ms. */
  readonly jitterP50Ms: number;
  readonly jitterP99Ms: number;
  readonly jitterMaxMs: number;
  /** The p99 of the worst stream. */
  readonly worstStreamP99Ms: number;
  /** Streams whose packets were loud (the partner's tone) less than half of the time. */
  readonly silentStreams: number;
  /** Share of all packets received that were loud. */
  readonly loudShare: number;
  /** The peers' tick: |interval − 20 ms| p99 of their own sending. */
  readonly sendJitterP99Ms: number;
}

const TONE_HZ = 400; // 8 whole periods in 20 ms: one frame repeats without a seam.
/** Mean |sample| above which a frame counts as loud (the tone at amplitude 8000 has about 5,100). */
const LOUD_MEAN = 1_000;

class Peer {
  readonly connection: RTCPeerConnection;
  readonly transceiver: RTCRtpTransceiver;
  private sequence = 1;
  private timestamp = 8_000;
  private readonly decoded = new Int16Array(FRAME_SAMPLES);
  measuring = false;
  private last = -1;
  private lastSequence = -1;
  intervals: number[] = [];
  received = 0;
  loud = 0;
  sequenceLost = 0;

  constructor(bindAddress: string) {
    this.connection = new RTCPeerConnection({
      codecs: {
        audio: [
          new RTCRtpCodecParameters({ mimeType: "audio/PCMU", clockRate: 8000, channels: 1, payloadType: 0 }),
          new RTCRtpCodecParameters({ mimeType: "audio/telephone-event", clockRate: 8000, payloadType: 126 }),
        ],
        video: [],
      },
      iceServers: [],
      iceUseIpv6: false,
      iceInterfaceAddresses: { udp4: bindAddress },
    });
    this.transceiver = this.connection.addTransceiver("audio", { direction: "sendrecv" });
    this.transceiver.onTrack.subscribe((track) => {
      track.onReceiveRtp.subscribe((rtp) => this.arrived(rtp.header.payloadType, rtp.header.sequenceNumber, rtp.payload));
    });
  }

  reset(): void {
    this.measuring = true;
    this.last = -1;
    this.lastSequence = -1;
    this.intervals = [];
    this.received = 0;
    this.loud = 0;
    this.sequenceLost = 0;
  }

  private arrived(payloadType: number, sequence: number, payload: Buffer): void {
    if (!this.measuring || payloadType !== 0) return;
    const now = performance.now();
    if (this.last >= 0) this.intervals.push(Math.abs(now - this.last - FRAME_MS));
    this.last = now;
    if (this.lastSequence >= 0) {
      const gap = (sequence - this.lastSequence - 1) & 0xffff;
      if (gap < 1_000) this.sequenceLost += gap; // larger: reordered or restarted, not counted
    }
    this.lastSequence = sequence;
    this.received++;
    decodeG711Into("PCMU", payload, this.decoded);
    let sum = 0;
    for (let i = 0; i < this.decoded.length; i++) sum += Math.abs(this.decoded[i] as number);
    if (sum / this.decoded.length > LOUD_MEAN) this.loud++;
  }

  send(payload: Buffer): void {
    if (this.transceiver.sender.codec === undefined) return;
    const header = new RtpHeader({
      payloadType: 0,
      sequenceNumber: this.sequence,
      timestamp: this.timestamp,
      marker: this.sequence === 1,
    });
    void this.transceiver.sender.sendRtp(new RtpPacket(header, payload)).catch(() => undefined);
    this.sequence = (this.sequence + 1) & 0xffff;
    this.timestamp = (this.timestamp + FRAME_SAMPLES) >>> 0;
  }

  async close(): Promise<void> {
    await sendDtlsCloseNotify(this.connection).catch(() => undefined);
    await this.connection.close().catch(() => undefined);
  }
}

const tone = encodeG711("PCMU", sineTone(TONE_HZ, FRAME_MS));
let peers: Peer[] = [];
let stopTicking: (() => void) | undefined;
const sendIntervals: number[] = [];

const reply = (message: FromPeers) => process.send?.(message);

/** Every peer sends a packet per 20 ms tick, scheduled by absolute time (as `MediaClock` does). */
function startTicking(): void {
  const origin = performance.now();
  let tick = 0;
  let last = -1;
  let timer: NodeJS.Timeout | undefined;
  const fire = () => {
    const now = performance.now();
    if (last >= 0) sendIntervals.push(Math.abs(now - last - FRAME_MS));
    last = now;
    for (const peer of peers) peer.send(tone);
    tick = Math.max(tick + 1, Math.floor((now - origin) / FRAME_MS));
    timer = setTimeout(fire, Math.max(0, origin + (tick + 1) * FRAME_MS - performance.now()));
  };
  timer = setTimeout(fire, FRAME_MS);
  stopTicking = () => clearTimeout(timer);
}

async function create(count: number, bindAddress: string): Promise<void> {
  peers = Array.from({ length: count }, () => new Peer(bindAddress));
  const sdps = await Promise.all(
    peers.map(async (peer) => {
      await peer.connection.setLocalDescription(await peer.connection.createOffer());
      return peer.connection.localDescription?.sdp ?? "";
    }),
  );
  reply({ type: "offers", sdps });
}

async function answers(sdps: readonly string[]): Promise<void> {
  await Promise.all(peers.map((peer, index) => peer.connection.setRemoteDescription({ type: "answer", sdp: sdps[index] ?? "" })));
  const deadline = performance.now() + 60_000;
  const settled = () => peers.every((peer) => ["connected", "failed", "closed"].includes(peer.connection.connectionState));
  while (!settled() && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  const connected = peers.filter((peer) => peer.connection.connectionState === "connected").length;
  startTicking();
  reply({ type: "connected", connected, failed: peers.length - connected });
}

async function start(warmupMs: number, holdMs: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, warmupMs));
  sendIntervals.length = 0;
  for (const peer of peers) peer.reset();
  const opened = performance.now();
  reply({ type: "window" });
  await new Promise((resolve) => setTimeout(resolve, holdMs));
  for (const peer of peers) peer.measuring = false;
  const windowMs = performance.now() - opened;
  reply({ type: "report", report: summarizePeers(windowMs) });
}

function summarizePeers(windowMs: number): PeersReport {
  const expected = Math.floor(windowMs / FRAME_MS);
  let total = 0;
  let received = 0;
  let loud = 0;
  let sequenceLost = 0;
  let missing = 0;
  let silentStreams = 0;
  let worstStreamP99Ms = 0;
  for (const peer of peers) total += peer.intervals.length;
  const all = new Float64Array(total);
  let offset = 0;
  for (const peer of peers) {
    all.set(peer.intervals, offset);
    offset += peer.intervals.length;
    const own = summarize(Float64Array.from(peer.intervals));
    if (Number.isFinite(own.p99)) worstStreamP99Ms = Math.max(worstStreamP99Ms, own.p99);
    received += peer.received;
    loud += peer.loud;
    sequenceLost += peer.sequenceLost;
    missing += Math.max(0, expected - peer.received);
    if (peer.loud < peer.received / 2 || peer.received === 0) silentStreams++;
  }
  const jitter = summarize(all);
  const send = summarize(Float64Array.from(sendIntervals));
  return {
    streams: peers.length,
    windowMs,
    expectedPerStream: expected,
    received,
    sequenceLost,
    missing,
    jitterP50Ms: jitter.p50,
    jitterP99Ms: jitter.p99,
    jitterMaxMs: jitter.max,
    worstStreamP99Ms,
    silentStreams,
    loudShare: received === 0 ? 0 : loud / received,
    sendJitterP99Ms: send.p99,
  };
}

async function close(): Promise<void> {
  stopTicking?.();
  stopTicking = undefined;
  await Promise.all(peers.map((peer) => peer.close()));
  peers = [];
  reply({ type: "closed" });
}

process.on("message", (message: ToPeers) => {
  const run = async () => {
    switch (message.type) {
      case "create":
        return create(message.count, message.bindAddress);
      case "answers":
        return answers(message.sdps);
      case "start":
        return start(message.warmupMs, message.holdMs);
      case "close":
        return close();
    }
  };
  run().catch((error: unknown) =>
    reply({ type: "error", message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
process.on("disconnect", () => process.exit(0));
