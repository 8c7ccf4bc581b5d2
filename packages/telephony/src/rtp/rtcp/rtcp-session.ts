import { randomBytes } from "node:crypto";
import { compactNtp, msToCompactNtp, ntpFromUnixMs, roundTripFromReport } from "./ntp-time.js";
import { RtpSourceStatistics } from "./receiver-statistics.js";
import type { RtcpPacket, RtcpReportBlock } from "./rtcp-packet.js";
import { SDES_CNAME } from "./rtcp-packet.js";

export interface RtcpSessionOptions {
  /** Our SSRC (the RTP stream's). */
  readonly ssrc: number;
  /** Our CNAME (default: random per session, as RFC 7022 allows for privacy). */
  readonly cname?: string;
  /** RTP timestamp clock (default 8000 Hz: G.711 and telephone-event). */
  readonly clockRate?: number;
  /** Mean report interval (default 5,000 ms: RFC 3550's minimum). */
  readonly intervalMs?: number;
  /** Length of one media tick (default 20 ms): `tick()` counts these. */
  readonly tickMs?: number;
  /** Sources followed at once (default 8); the one heard least recently gives way. */
  readonly maxSources?: number;
  /** Uniform in [0, 1) (default `Math.random`); tests pin it. */
  readonly random?: () => number;
}

/** Call quality of one leg: what we measured of the peer's stream, and what the peer reported of ours. */
export interface MediaQuality {
  /** RTP packets we sent. */
  readonly packetsSent: number;
  /** RTP packets received from the peer (every source it used). */
  readonly packetsReceived: number;
  /** Expected minus received over the call (RFC 3550 A.3), never below 0. */
  readonly packetsLost: number;
  /** `packetsLost` over the packets expected, over the call: 0–1. */
  readonly fractionLost: number;
  /** Interarrival jitter of the peer's audio as it reaches us (RFC 3550 A.8), in ms. */
  readonly jitterMs: number;
  /** From the LSR/DLSR of the peer's last report about our stream; undefined until it had one of our SRs. */
  readonly roundTripMs?: number;
  /** The peer's view of our stream, from its last report block about it; undefined until one arrived. */
  readonly remote: RemoteQuality | undefined;
}

export interface RemoteQuality {
  /** The peer's cumulative count of our packets lost, never below 0. */
  readonly packetsLost: number;
  /** That count over the packets we had sent up to the highest sequence number it saw: 0–1, over the call. */
  readonly fractionLost: number;
  /** Interarrival jitter of our stream as the peer measured it, in ms. */
  readonly jitterMs: number;
}

export interface RtcpSessionStats {
  readonly reportsSent: number;
  readonly reportsReceived: number;
  /** The peer said goodbye (an RTCP BYE for its SSRC). */
  readonly byeReceived: boolean;
  /** The last report block the peer sent about our stream, as received (its `fractionLost` is per interval). */
  readonly remoteReport?: RtcpReportBlock;
}

const MAX_REPORT_BLOCKS = 31;

/**
 * The RTCP side of one RTP stream (RFC 3550 §6), without sockets or timers: it counts what we send (for the
 * SR's sender information), keeps per-source receiver statistics of what we receive, builds compound reports
 * (SR when we sent RTP in one of the last two intervals, else RR; then SDES with our CNAME; BYE on close), reads
 * the peer's, and computes the round-trip time from the LSR/DLSR of its blocks about us. The caller drives the
 * schedule by calling `tick()` on each media-clock tick: the interval is randomized 0.5–1.5 × the mean, and the
 * first report comes after half of one (RFC 3550 §6.2, §6.3.5).
 *
 * Times are wall-clock milliseconds (Unix epoch); the caller passes them in, so tests need no clock.
 */
export class RtcpSession {
  readonly ssrc: number;
  readonly cname: string;
  private readonly clockRate: number;
  private readonly intervalMs: number;
  private readonly tickMs: number;
  private readonly maxSources: number;
  private readonly random: () => number;
  private ticksLeft: number;
  // Sender side.
  private packetCount = 0;
  private octetCount = 0;
  private lastSequence = 0;
  private lastTimestamp = 0;
  private lastSentAtMs = 0;
  private sentThisInterval = false;
  private sentLastInterval = false;
  // Receiver side.
  private readonly sources = new Map<number, RtpSourceStatistics>();
  private lastSource: RtpSourceStatistics | undefined;
  /** Totals of sources that gave way to newer ones. */
  private retired = { received: 0, lost: 0 };
  /** The peer's last SR per SSRC: its compact NTP time and when it arrived. */
  private readonly senderReports = new Map<number, { ntp: number; atMs: number }>();
  private remoteReport: RtcpReportBlock | undefined;
  private rtt: number | undefined;
  private reportsSent = 0;
  private reportsReceived = 0;
  private byeReceived = false;

  constructor(options: RtcpSessionOptions) {
    this.ssrc = options.ssrc >>> 0;
    this.cname = options.cname ?? `${randomBytes(12).toString("base64url")}@switchboard`;
    this.clockRate = options.clockRate ?? 8000;
    this.intervalMs = options.intervalMs ?? 5_000;
    this.tickMs = options.tickMs ?? 20;
    this.maxSources = Math.max(1, options.maxSources ?? 8);
    this.random = options.random ?? Math.random;
    this.ticksLeft = this.nextInterval(0.5);
  }

  private nextInterval(scale: number): number {
    const ms = this.intervalMs * scale * (0.5 + this.random());
    return Math.max(1, Math.round(ms / this.tickMs));
  }

  /** One media tick; true when a report is due (the next one is then scheduled). */
  tick(): boolean {
    if (--this.ticksLeft > 0) return false;
    this.ticksLeft = this.nextInterval(1);
    return true;
  }

  /** An RTP packet we sent. */
  sent(sequenceNumber: number, timestamp: number, payloadBytes: number, nowMs: number): void {
    this.packetCount = (this.packetCount + 1) >>> 0;
    this.octetCount = (this.octetCount + payloadBytes) >>> 0;
    this.lastSequence = sequenceNumber;
    this.lastTimestamp = timestamp;
    this.lastSentAtMs = nowMs;
    this.sentThisInterval = true;
  }

  /** An RTP packet from the peer; `timing: false` keeps it out of the jitter (RFC 4733 events). */
  received(ssrc: number, sequenceNumber: number, timestamp: number, arrivalMs: number, timing = true): void {
    let source = this.lastSource;
    if (source === undefined || source.ssrc !== ssrc) {
      source = this.sources.get(ssrc) ?? this.addSource(ssrc, sequenceNumber);
      this.lastSource = source;
    }
    source.received(sequenceNumber, timestamp, arrivalMs, timing);
  }

  private addSource(ssrc: number, sequenceNumber: number): RtpSourceStatistics {
    if (this.sources.size >= this.maxSources) {
      let stalest: RtpSourceStatistics | undefined;
      for (const source of this.sources.values()) if (!stalest || source.lastHeardMs < stalest.lastHeardMs) stalest = source;
      if (stalest) {
        this.retired.received += stalest.packetsReceived;
        this.retired.lost += Math.max(0, stalest.cumulativeLost);
        this.sources.delete(stalest.ssrc);
      }
    }
    const source = new RtpSourceStatistics(ssrc, sequenceNumber, this.clockRate);
    this.sources.set(ssrc, source);
    return source;
  }

  /** A compound report to send now: SR or RR with a block per source heard since the last one, then SDES. */
  report(nowMs: number): RtcpPacket[] {
    const sender = this.sentThisInterval || this.sentLastInterval;
    this.sentLastInterval = this.sentThisInterval;
    this.sentThisInterval = false;
    const reports: RtcpReportBlock[] = [];
    for (const source of this.sources.values()) {
      if (reports.length === MAX_REPORT_BLOCKS) break;
      if (!source.valid || !source.heardSinceReport) continue;
      const sr = this.senderReports.get(source.ssrc);
      reports.push(sr ? source.reportBlock(sr.ntp, msToCompactNtp(nowMs - sr.atMs)) : source.reportBlock());
    }
    this.reportsSent++;
    const sdes: RtcpPacket = { type: "sdes", chunks: [{ ssrc: this.ssrc, items: [{ type: SDES_CNAME, text: this.cname }] }] };
    if (!sender) return [{ type: "rr", ssrc: this.ssrc, reports }, sdes];
    const ntp = ntpFromUnixMs(nowMs);
    // The RTP timestamp of this same instant: the last one sent, moved on by the time since.
    const elapsed = Math.round(((nowMs - this.lastSentAtMs) * this.clockRate) / 1000);
    const sr: RtcpPacket = {
      type: "sr",
      ssrc: this.ssrc,
      sender: {
        ntpSeconds: ntp.seconds,
        ntpFraction: ntp.fraction,
        rtpTimestamp: (this.lastTimestamp + elapsed) >>> 0,
        packetCount: this.packetCount,
        octetCount: this.octetCount,
      },
      reports,
    };
    return [sr, sdes];
  }

  /** The report to send as we leave, with a BYE (RFC 3550 §6.6); `undefined` if we never sent anything. */
  goodbye(nowMs: number, reason?: string): RtcpPacket[] | undefined {
    if (this.packetCount === 0 && this.reportsSent === 0) return undefined;
    const bye: RtcpPacket =
      reason === undefined ? { type: "bye", sources: [this.ssrc] } : { type: "bye", sources: [this.ssrc], reason };
    return [...this.report(nowMs), bye];
  }

  /** The peer's compound packet, already parsed. */
  receive(packets: readonly RtcpPacket[], arrivalMs: number): void {
    this.reportsReceived++;
    for (const packet of packets) {
      if (packet.type === "sr") {
        this.senderReports.set(packet.ssrc, {
          ntp: compactNtp({ seconds: packet.sender.ntpSeconds, fraction: packet.sender.ntpFraction }),
          atMs: arrivalMs,
        });
        if (this.senderReports.size > this.maxSources) {
          const oldest = this.senderReports.keys().next();
          if (!oldest.done) this.senderReports.delete(oldest.value);
        }
      }
      if (packet.type === "sr" || packet.type === "rr") {
        for (const block of packet.reports) if (block.ssrc === this.ssrc) this.reportAboutUs(block, arrivalMs);
      } else if (packet.type === "bye") {
        if (packet.sources.some((ssrc) => ssrc !== this.ssrc)) this.byeReceived = true;
      }
    }
  }

  private reportAboutUs(block: RtcpReportBlock, arrivalMs: number): void {
    this.remoteReport = block;
    const rtt = roundTripFromReport(
      compactNtp(ntpFromUnixMs(arrivalMs)),
      block.lastSenderReport,
      block.delaySinceLastSenderReport,
    );
    if (rtt !== undefined) this.rtt = rtt;
  }

  get stats(): RtcpSessionStats {
    return {
      reportsSent: this.reportsSent,
      reportsReceived: this.reportsReceived,
      byeReceived: this.byeReceived,
      ...(this.remoteReport ? { remoteReport: this.remoteReport } : {}),
    };
  }

  quality(): MediaQuality {
    let received = this.retired.received;
    let lost = this.retired.lost;
    let main: RtpSourceStatistics | undefined;
    for (const source of this.sources.values()) {
      received += source.packetsReceived;
      lost += Math.max(0, source.cumulativeLost);
      if (!main || source.packetsReceived > main.packetsReceived) main = source;
    }
    return {
      packetsSent: this.packetCount,
      packetsReceived: received,
      packetsLost: lost,
      fractionLost: received + lost === 0 ? 0 : lost / (received + lost),
      jitterMs: main?.jitterMs ?? 0,
      ...(this.rtt === undefined ? {} : { roundTripMs: this.rtt }),
      remote: this.remoteQuality(),
    };
  }

  private remoteQuality(): RemoteQuality | undefined {
    const block = this.remoteReport;
    if (!block) return undefined;
    const lost = Math.max(0, block.cumulativeLost);
    // Packets we sent up to the highest one it saw: all of them, less those sent after it (we never skip a number).
    const sentThrough = this.packetCount - ((this.lastSequence - block.highestSequence) & 0xffff);
    return {
      packetsLost: lost,
      fractionLost: sentThrough <= 0 ? 0 : Math.min(1, lost / sentThrough),
      jitterMs: (block.jitter * 1000) / this.clockRate,
    };
  }
}
