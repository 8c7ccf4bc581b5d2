import { randomBytes } from "node:crypto";
import { type MediaStreamTrack, type RTCRtpTransceiver, RtpHeader, RtpPacket as WeriftRtpPacket } from "werift";
import type { RtpPacket } from "../rtp/packet/rtp-packet.js";
import type { RtpTransport, RtpTransportStats } from "../rtp/transport/rtp-transport.js";

/**
 * A browser leg's audio RTP through a werift transceiver: what `RtpAudioSession` sends goes out with
 * `RTCRtpSender.sendRtp` (SRTP over the peer connection's ICE and DTLS), and the remote track's packets come in.
 * werift runs the RTCP (sender and receiver reports) of the connection itself, so the session sends none.
 */
export class WebRtcTransport implements RtpTransport {
  private sequence = randomBytes(2).readUInt16BE(0);
  private connected = false;
  private closed = false;
  private readonly listeners = new Set<(packet: RtpPacket) => void>();
  private readonly detach: (() => void)[] = [];
  private counts = { packetsSent: 0, packetsReceived: 0 };

  constructor(private readonly transceiver: RTCRtpTransceiver) {}

  get ssrc(): number {
    return this.transceiver.sender.ssrc;
  }

  get nextSequenceNumber(): number {
    return this.sequence;
  }

  get canSend(): boolean {
    return this.connected && !this.closed && this.transceiver.sender.codec !== undefined;
  }

  get canSendRtcp(): boolean {
    return false;
  }

  get stats(): RtpTransportStats {
    return { ...this.counts, malformed: 0, foreign: 0, rtcpSent: 0, rtcpReceived: 0, rtcpDropped: 0 };
  }

  /** The peer connection is up (DTLS done: SRTP keys exist) or not. */
  setConnected(connected: boolean): void {
    this.connected = connected;
  }

  /** The remote audio track whose packets are ours to receive (werift's `onTrack`). */
  receiveFrom(track: MediaStreamTrack): void {
    const { unSubscribe } = track.onReceiveRtp.subscribe((rtp) => this.receive(rtp));
    this.detach.push(unSubscribe);
  }

  send(payloadType: number, payload: Buffer, timestamp: number, marker = false): void {
    const sender = this.transceiver.sender;
    const codec = sender.codec;
    if (!this.canSend || codec === undefined) return;
    // werift stamps every packet with the sender's codec's payload type. A telephone-event goes out with that
    // codec swapped in for the call: `sendRtp` reads it before its first await, so the swap covers exactly it.
    const other =
      payloadType === codec.payloadType ? undefined : this.transceiver.codecs.find((c) => c.payloadType === payloadType);
    if (payloadType !== codec.payloadType && other === undefined) return;
    const header = new RtpHeader({
      payloadType,
      sequenceNumber: this.sequence,
      timestamp: timestamp >>> 0,
      marker,
      ssrc: sender.ssrc,
    });
    // A copy: the session reuses its payload buffer, and werift keeps sent packets for retransmission.
    const packet = new WeriftRtpPacket(header, Buffer.from(payload));
    this.sequence = (this.sequence + 1) & 0xffff;
    this.counts.packetsSent++;
    if (other !== undefined) sender.codec = other;
    try {
      sender.sendRtp(packet).catch(() => undefined);
    } finally {
      sender.codec = codec;
    }
  }

  sendRtcp(): boolean {
    return false;
  }

  onPacket(listener: (packet: RtpPacket) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** werift reads the peer's reports itself: none reach the session. */
  onRtcp(): () => void {
    return () => undefined;
  }

  close(): Promise<void> {
    this.closed = true;
    for (const detach of this.detach.splice(0)) detach();
    this.listeners.clear();
    return Promise.resolve();
  }

  private receive(rtp: WeriftRtpPacket): void {
    if (this.closed) return;
    const { header } = rtp;
    this.counts.packetsReceived++;
    const packet: RtpPacket = {
      marker: header.marker,
      payloadType: header.payloadType,
      sequenceNumber: header.sequenceNumber,
      timestamp: header.timestamp,
      ssrc: header.ssrc,
      csrcs: header.csrc,
      payload: rtp.payload,
    };
    for (const listener of this.listeners) {
      try {
        listener(packet);
      } catch {
        // A listener's failure must not escape into werift's receive path.
      }
    }
  }
}
