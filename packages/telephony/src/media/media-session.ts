import { randomBytes } from "node:crypto";
import { parseRtcpAttribute } from "../rtp/rtcp/rtcp-attribute.js";
import type { RtpPortPool } from "../rtp/socket/port-pool.js";
import { type RtpEndpoint, RtpStream } from "../rtp/socket/rtp-stream.js";
import {
  type AudioCodecName,
  acceptAudioAnswer,
  answerAudioOffer,
  createAudioOffer,
  type NegotiatedAudio,
  type SdpSessionVersion,
} from "../sdp/offer-answer.js";
import {
  type Direction,
  type MediaDescription,
  parseSdp,
  type SessionDescription,
  serializeSdp,
} from "../sdp/session-description.js";
import { RtpAudioSession, type RtpAudioSessionOptions } from "./rtp-audio-session.js";

export interface MediaSessionOptions extends RtpAudioSessionOptions {
  readonly ports: RtpPortPool;
  /** Address written in our SDP (default the pool's bind address). */
  readonly address?: string;
  /** In order of preference (default PCMU, PCMA). */
  readonly codecs?: readonly AudioCodecName[];
  /** RFC 4733 payload type we offer (default 101), or false. */
  readonly telephoneEvent?: number | false;
  /** Send to where the peer's packets come from, whatever its SDP said (default true: NAT). */
  readonly latch?: boolean;
}

export type SdpOutcome =
  | { readonly ok: true; readonly sdp: string }
  | { readonly ok: false; readonly status: number; readonly reason: string };

/**
 * The audio of one SIP call leg: an `RtpAudioSession` over an RTP stream on a port pair of our own, with SDP
 * offer/answer deciding codec, peer address and direction (hold). RTCP goes on the RTP port + 1.
 */
export class MediaSession extends RtpAudioSession {
  private negotiated: NegotiatedAudio | undefined;
  private lastOffer: SessionDescription | undefined;
  private readonly sessionId = String(randomBytes(4).readUInt32BE(0));
  private sdpVersion = 0;

  private constructor(
    readonly stream: RtpStream,
    private readonly options: MediaSessionOptions,
  ) {
    super(stream, options);
  }

  static async open(options: MediaSessionOptions): Promise<MediaSession> {
    const sockets = await options.ports.allocate();
    return new MediaSession(new RtpStream(sockets, { latch: options.latch ?? true }), options);
  }

  get localPort(): number {
    return this.stream.localPort;
  }

  /** What offer/answer settled, once it did. */
  get audio(): NegotiatedAudio | undefined {
    return this.negotiated;
  }

  /** Our answer to an SDP offer (initial, or a re-INVITE's): 488 when no stream is acceptable. */
  answer(offerText: string, direction: Direction = "sendrecv"): SdpOutcome {
    const parsed = parseSdp(offerText);
    if (!parsed.ok) return { ok: false, status: 488, reason: `malformed SDP: ${parsed.reason}` };
    const result = answerAudioOffer(parsed.sdp, this.local(direction), this.nextVersion());
    if (!result.ok) return { ok: false, status: result.status, reason: result.reason };
    // The stream we accepted is the one our answer did not reject with port 0.
    const accepted = parsed.sdp.media[result.answer.media.findIndex((m) => m.port !== 0)];
    this.apply(result.audio, rtcpEndpoint(accepted, result.audio.remote));
    return { ok: true, sdp: serializeSdp(result.answer) };
  }

  /** An SDP offer (initial, or a re-INVITE's: `sendonly` to hold, `sendrecv` to resume). */
  offer(direction: Direction = "sendrecv"): string {
    this.lastOffer = createAudioOffer(this.local(direction), this.nextVersion());
    return serializeSdp(this.lastOffer);
  }

  /** The peer's answer to our last offer. */
  acceptAnswer(answerText: string): SdpOutcome {
    const parsed = parseSdp(answerText);
    if (!parsed.ok) return { ok: false, status: 488, reason: `malformed SDP: ${parsed.reason}` };
    if (!this.lastOffer) return { ok: false, status: 488, reason: "no offer outstanding" };
    const result = acceptAudioAnswer(this.lastOffer, parsed.sdp);
    if (!result.ok) return { ok: false, status: 488, reason: result.reason };
    const accepted = parsed.sdp.media.find((m) => m.media === "audio" && m.port !== 0 && m.port === result.audio.remote.port);
    this.apply(result.audio, rtcpEndpoint(accepted, result.audio.remote));
    return { ok: true, sdp: answerText };
  }

  private local(direction: Direction) {
    return {
      address: this.options.address ?? this.stream.sockets.host,
      port: this.stream.localPort,
      ...(this.options.codecs ? { codecs: this.options.codecs } : {}),
      ...(this.options.telephoneEvent === undefined ? {} : { telephoneEvent: this.options.telephoneEvent }),
      direction,
    };
  }

  private nextVersion(): SdpSessionVersion {
    this.sdpVersion += 1;
    return { sessionId: this.sessionId, version: this.sdpVersion };
  }

  private apply(audio: NegotiatedAudio, rtcp: RtpEndpoint | undefined): void {
    this.negotiated = audio;
    this.stream.setRemote(audio.remote, rtcp);
    this.configure(audio);
  }
}

/** RFC 3605 `a=rtcp` of the accepted stream, its address defaulting to the RTP one. */
function rtcpEndpoint(media: MediaDescription | undefined, rtp: RtpEndpoint): RtpEndpoint | undefined {
  const value = media?.attributes.find((a) => a.name === "rtcp")?.value;
  const parsed = value === undefined ? undefined : parseRtcpAttribute(value);
  return parsed === undefined ? undefined : { address: parsed.address ?? rtp.address, port: parsed.port };
}
