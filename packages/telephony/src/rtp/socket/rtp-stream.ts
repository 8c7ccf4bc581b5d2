import { randomBytes } from "node:crypto";
import { parseRtpPacket, type RtpPacket, serializeRtpPacket } from "../packet/rtp-packet.js";
import type { RtpSocketPair } from "./port-pool.js";

export interface RtpEndpoint {
  readonly address: string;
  readonly port: number;
}

export interface RtpStreamStats {
  readonly packetsSent: number;
  readonly packetsReceived: number;
  readonly malformed: number;
  /** Packets from an address other than the negotiated one, dropped (or latched onto). */
  readonly foreign: number;
}

/**
 * One RTP stream on a socket pair: our SSRC and sequence numbers going out, parsed packets coming in.
 * Packets from anywhere but the peer are dropped, unless `latch` is on: then the first packet's source
 * becomes the peer (symmetric RTP for callers behind NAT).
 */
export class RtpStream {
  readonly ssrc: number;
  private sequence: number;
  private peer: RtpEndpoint | undefined;
  private latched = false;
  private readonly listeners = new Set<(packet: RtpPacket, from: RtpEndpoint) => void>();
  private counts = { packetsSent: 0, packetsReceived: 0, malformed: 0, foreign: 0 };

  constructor(
    readonly sockets: RtpSocketPair,
    private readonly options: { readonly latch?: boolean } = {},
  ) {
    this.ssrc = randomBytes(4).readUInt32BE(0);
    this.sequence = randomBytes(2).readUInt16BE(0);
    sockets.rtp.on("message", (data, info) => this.receive(data, { address: info.address, port: info.port }));
    // RTCP is not interpreted yet; reading keeps the socket's buffer from filling.
    sockets.rtcp.on("message", () => undefined);
  }

  get localPort(): number {
    return this.sockets.port;
  }

  get remote(): RtpEndpoint | undefined {
    return this.peer;
  }

  /** Where to send; port 0 or an unspecified address (hold, RFC 2543 style) means nowhere. */
  setRemote(remote: RtpEndpoint | undefined): void {
    this.peer =
      remote === undefined || remote.port === 0 || remote.address === "0.0.0.0" || remote.address === "::" ? undefined : remote;
    this.latched = false;
  }

  get stats(): RtpStreamStats {
    return { ...this.counts };
  }

  onPacket(listener: (packet: RtpPacket, from: RtpEndpoint) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  send(payloadType: number, payload: Buffer, timestamp: number, marker = false): void {
    const peer = this.peer;
    if (!peer) return;
    const bytes = serializeRtpPacket({
      marker,
      payloadType,
      sequenceNumber: this.sequence,
      timestamp: timestamp >>> 0,
      ssrc: this.ssrc,
      csrcs: [],
      payload,
    });
    this.sequence = (this.sequence + 1) & 0xffff;
    this.counts.packetsSent++;
    this.sockets.rtp.send(bytes, peer.port, peer.address);
  }

  private receive(data: Buffer, from: RtpEndpoint): void {
    const parsed = parseRtpPacket(data);
    if (!parsed.ok) {
      this.counts.malformed++;
      return;
    }
    const peer = this.peer;
    const fromPeer = peer !== undefined && peer.port === from.port && sameAddress(peer.address, from.address);
    if (!fromPeer) {
      if (this.options.latch && !this.latched) {
        this.peer = from;
        this.latched = true;
      } else if (peer !== undefined) {
        this.counts.foreign++;
        return;
      }
    }
    this.counts.packetsReceived++;
    for (const listener of this.listeners) {
      try {
        listener(parsed.packet, from);
      } catch {
        // A listener's failure must not escape into the socket's event handler (an uncaught exception).
      }
    }
  }

  close(): Promise<void> {
    this.listeners.clear();
    return this.sockets.close();
  }
}

function sameAddress(a: string, b: string): boolean {
  const strip = (s: string) => (s.startsWith("::ffff:") ? s.slice(7) : s);
  return (
    strip(a) === strip(b) || ((a === "localhost" || b === "localhost") && (strip(a) === "127.0.0.1" || strip(b) === "127.0.0.1"))
  );
}
