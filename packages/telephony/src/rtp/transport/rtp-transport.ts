import type { RtpPacket } from "../packet/rtp-packet.js";
import type { RtcpPacket } from "../rtcp/rtcp-packet.js";

export interface RtpTransportStats {
  readonly packetsSent: number;
  readonly packetsReceived: number;
  readonly malformed: number;
  /** Packets from an address other than the negotiated one, dropped (or latched onto). */
  readonly foreign: number;
  /** Compound RTCP packets we sent and received ourselves (0 where the transport runs its own RTCP). */
  readonly rtcpSent: number;
  readonly rtcpReceived: number;
  /** RTCP datagrams that failed RFC 3550 A.2's validity checks, or came from a stranger; dropped. */
  readonly rtcpDropped: number;
}

/**
 * How one leg's RTP gets on and off the network: the seam under `RtpAudioSession`, whose pacing, jitter and
 * playout buffers, keys and player work the same over any of them. `RtpStream` is plain RTP on our own UDP
 * socket pair (SIP legs); `WebRtcTransport` is SRTP over ICE and DTLS in a werift peer connection (browser legs).
 * The session numbers and stamps the packets; the transport owns the SSRC and the wire.
 */
export interface RtpTransport {
  readonly ssrc: number;
  /** The sequence number the next packet will carry. */
  readonly nextSequenceNumber: number;
  /** Whether a packet sent now goes anywhere (a SIP peer held with port 0, a WebRTC peer not yet connected: no). */
  readonly canSend: boolean;
  /** Whether `sendRtcp` has somewhere to send: false too where the transport sends its own reports. */
  readonly canSendRtcp: boolean;
  readonly stats: RtpTransportStats;
  send(payloadType: number, payload: Buffer, timestamp: number, marker?: boolean): void;
  /** Sends a serialized compound RTCP packet; false when it went nowhere. `done` runs once it left. */
  sendRtcp(bytes: Buffer, done?: () => void): boolean;
  onPacket(listener: (packet: RtpPacket) => void): () => void;
  /** Compound RTCP packets from the peer, parsed and validated. */
  onRtcp(listener: (packets: readonly RtcpPacket[]) => void): () => void;
  close(): Promise<void>;
}
