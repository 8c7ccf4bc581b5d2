import { randomBytes } from "node:crypto";
import { parseRtpPacket, type RtpPacket, serializeRtpPacket } from "../packet/rtp-packet.js";
import { parseRtcpCompound, type RtcpPacket } from "../rtcp/rtcp-packet.js";
import type { RtpTransport, RtpTransportStats } from "../transport/rtp-transport.js";
import type { DatagramEndpoint } from "./datagram.js";
import type { RtpSocketPair } from "./port-pool.js";

export type RtpEndpoint = DatagramEndpoint;

/** `rtcpSent` and `rtcpReceived` count the compound packets on the RTCP socket (RTP port + 1). */
export type RtpStreamStats = RtpTransportStats;

/**
 * One RTP stream on a socket pair: our SSRC and sequence numbers going out, parsed packets coming in.
 * Packets from anywhere but the peer are dropped, unless `latch` is on: then the first packet's source
 * becomes the peer (symmetric RTP for callers behind NAT). RTCP on the pair's second socket is handled the same
 * way: sent to the peer's RTCP address (its `a=rtcp`, else the RTP port + 1), parsed compound packets in, and
 * with `latch` the first valid one's source becomes the RTCP peer. Until then, latching RTP moves the RTCP peer
 * to the new RTP source's port + 1, the best guess for a NAT that keeps pairs together.
 */
export class RtpStream implements RtpTransport {
  readonly ssrc: number;
  private sequence: number;
  private peer: RtpEndpoint | undefined;
  private latched = false;
  private rtcpPeer: RtpEndpoint | undefined;
  /** The RTCP peer came from `a=rtcp`, not from the RTP port + 1 guess. */
  private rtcpFixed = false;
  private rtcpLatched = false;
  private readonly listeners = new Set<(packet: RtpPacket, from: RtpEndpoint) => void>();
  private readonly rtcpListeners = new Set<(packets: readonly RtcpPacket[], from: RtpEndpoint) => void>();
  private counts = { packetsSent: 0, packetsReceived: 0, malformed: 0, foreign: 0, rtcpSent: 0, rtcpReceived: 0, rtcpDropped: 0 };

  constructor(
    readonly sockets: RtpSocketPair,
    private readonly options: { readonly latch?: boolean } = {},
  ) {
    this.ssrc = randomBytes(4).readUInt32BE(0);
    this.sequence = randomBytes(2).readUInt16BE(0);
    sockets.rtp.onMessage((data, from) => this.receive(data, from));
    sockets.rtcp.onMessage((data, from) => this.receiveRtcp(data, from));
  }

  get localPort(): number {
    return this.sockets.port;
  }

  get remote(): RtpEndpoint | undefined {
    return this.peer;
  }

  get canSend(): boolean {
    return this.peer !== undefined;
  }

  get canSendRtcp(): boolean {
    return this.rtcpPeer !== undefined;
  }

  /** Where RTCP goes: undefined when RTP goes nowhere. */
  get rtcpRemote(): RtpEndpoint | undefined {
    return this.rtcpPeer;
  }

  /**
   * Where to send; port 0 or an unspecified address (hold, RFC 2543 style) means nowhere. RTCP goes to `rtcp`
   * (the peer's `a=rtcp`) when given, else to the RTP port + 1.
   */
  setRemote(remote: RtpEndpoint | undefined, rtcp?: RtpEndpoint): void {
    this.peer =
      remote === undefined || remote.port === 0 || remote.address === "0.0.0.0" || remote.address === "::" ? undefined : remote;
    this.latched = false;
    this.rtcpLatched = false;
    this.rtcpFixed = this.peer !== undefined && rtcp !== undefined;
    this.rtcpPeer = this.peer === undefined ? undefined : (rtcp ?? nextPort(this.peer));
  }

  get stats(): RtpStreamStats {
    return { ...this.counts };
  }

  onPacket(listener: (packet: RtpPacket, from: RtpEndpoint) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Compound RTCP packets from the peer, parsed and validated. */
  onRtcp(listener: (packets: readonly RtcpPacket[], from: RtpEndpoint) => void): () => void {
    this.rtcpListeners.add(listener);
    return () => this.rtcpListeners.delete(listener);
  }

  /** The sequence number the next packet will carry. */
  get nextSequenceNumber(): number {
    return this.sequence;
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

  /**
   * Sends a serialized compound RTCP packet to the RTCP peer; false when there is none. `done` runs once the
   * datagram left (or failed): what a BYE waits for before the socket closes.
   */
  sendRtcp(bytes: Buffer, done?: () => void): boolean {
    const peer = this.rtcpPeer;
    if (!peer) return false;
    this.counts.rtcpSent++;
    this.sockets.rtcp.send(bytes, peer.port, peer.address, done);
    return true;
  }

  private receive(data: Buffer, from: RtpEndpoint): void {
    const parsed = parseRtpPacket(data);
    if (!parsed.ok) {
      this.counts.malformed++;
      return;
    }
    const peer = this.peer;
    const fromPeer =
      peer !== undefined && peer.port === from.port && (peer.address === from.address || sameAddress(peer.address, from.address));
    if (!fromPeer) {
      if (this.options.latch && !this.latched) {
        this.peer = { address: from.address, port: from.port };
        this.latched = true;
        if (!this.rtcpFixed && !this.rtcpLatched) this.rtcpPeer = nextPort(this.peer);
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

  private receiveRtcp(data: Buffer, from: RtpEndpoint): void {
    const parsed = parseRtcpCompound(data);
    if (!parsed.ok) {
      this.counts.rtcpDropped++;
      return;
    }
    const peer = this.rtcpPeer;
    const fromPeer = peer !== undefined && peer.port === from.port && sameAddress(peer.address, from.address);
    if (!fromPeer) {
      if (this.options.latch && !this.rtcpLatched) {
        this.rtcpPeer = { address: from.address, port: from.port };
        this.rtcpLatched = true;
      } else if (peer !== undefined) {
        this.counts.rtcpDropped++;
        return;
      }
    }
    this.counts.rtcpReceived++;
    for (const listener of this.rtcpListeners) {
      try {
        listener(parsed.packets, from);
      } catch {
        // As for RTP: never into the socket's event handler.
      }
    }
  }

  close(): Promise<void> {
    this.listeners.clear();
    this.rtcpListeners.clear();
    return this.sockets.close();
  }
}

function nextPort(endpoint: RtpEndpoint): RtpEndpoint | undefined {
  return endpoint.port < 65535 ? { address: endpoint.address, port: endpoint.port + 1 } : undefined;
}

const stripMapped = (s: string) => (s.startsWith("::ffff:") ? s.slice(7) : s);

function sameAddress(a: string, b: string): boolean {
  const x = stripMapped(a);
  const y = stripMapped(b);
  return x === y || ((a === "localhost" || b === "localhost") && (x === "127.0.0.1" || y === "127.0.0.1"));
}
