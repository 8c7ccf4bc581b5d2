import { type MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters, type RTCRtpTransceiver } from "werift";
import type { LegCall } from "../call/sip-leg-media.js";
import type { SdpOutcome } from "../media/media-session.js";
import { type RtpAudioFormat, RtpAudioSession, type RtpAudioSessionOptions } from "../media/rtp-audio-session.js";
import type { DtmfEvent } from "../rtp/dtmf/digits.js";
import type { G711Law } from "../rtp/g711/g711.js";
import type { MediaQuality } from "../rtp/rtcp/rtcp-session.js";
import type { Direction } from "../sdp/session-description.js";
import type { LegEnd } from "../sip/leg/model.js";
import { sendDtlsCloseNotify } from "./dtls-close.js";
import { WebRtcTransport } from "./webrtc-transport.js";

/** A STUN or TURN server, as in the browser's `RTCIceServer`. */
export interface IceServer {
  readonly urls: string | readonly string[];
  readonly username?: string;
  readonly credential?: string;
}

export interface WebRtcLegOptions extends Omit<RtpAudioSessionOptions, "rtcp"> {
  /** STUN and TURN servers for deployments behind NAT (default none: host candidates only). */
  readonly iceServers?: readonly IceServer[];
  /**
   * The local IPv4 address ICE binds to and announces (werift's `iceInterfaceAddresses`). Default: every
   * interface werift finds. Chromium gathers nothing on loopback: a browser needs an ordinary interface.
   */
  readonly bindAddress?: string;
  /** Addresses announced as host candidates besides the interfaces' (the public address of a 1:1 NAT). */
  readonly additionalHostAddresses?: readonly string[];
  /** UDP ports ICE may use, inclusive. */
  readonly portRange?: readonly [number, number];
  /** Audio codecs in order of preference (default PCMU, PCMA). Opus is not offered: we cannot mix it. */
  readonly codecs?: readonly G711Law[];
  /** RFC 4733 payload type we offer (default 101), or false. An offer's own payload type is kept when answering. */
  readonly telephoneEvent?: number | false;
}

export type WebRtcLegState = "new" | "connecting" | "connected" | "ended";

const STATIC_PAYLOAD_TYPES: Readonly<Record<G711Law, number>> = { PCMU: 0, PCMA: 8 };

/**
 * A browser's call leg, terminated in Switchboard's media layer: a werift peer connection with one audio
 * transceiver, whose RTP carries an `RtpAudioSession` on the shared media clock, so the leg plays, collects,
 * records, holds and bridges through `SipLegMedia` and the mixer exactly as a SIP leg does. werift negotiates
 * (SDP with ICE and DTLS-SRTP); the codec (PCMU or PCMA) and the telephone-event payload type it settled are what
 * the session then uses. Our descriptions carry all their candidates (gathered before they are returned); a
 * peer that trickles its own gives them to `addIceCandidate`.
 *
 * The leg ends when it is hung up (the browser gets a DTLS close_notify), or when the peer connection closes (the
 * browser closed it: its close_notify) or fails (ICE gave up, consent expired); the media and the connection are
 * released either way.
 */
export class WebRtcLeg implements LegCall {
  readonly media: RtpAudioSession;
  /** Resolves once the leg ended, with how. */
  readonly ended: Promise<LegEnd>;
  private readonly connection: RTCPeerConnection;
  private readonly transceiver: RTCRtpTransceiver;
  private readonly transport: WebRtcTransport;
  private readonly endListeners = new Set<(end: LegEnd) => void>();
  private readonly connectListeners = new Set<(connected: boolean) => void>();
  private resolveEnded: (end: LegEnd) => void = () => undefined;
  private end: LegEnd | undefined;
  private released: Promise<void> | undefined;
  private connected = false;
  /** The ICE round-trip time last read from werift's statistics (before the connection closed). */
  private roundTripMs: number | undefined;

  constructor(options: WebRtcLegOptions) {
    this.connection = new RTCPeerConnection({
      iceServers: (options.iceServers ?? []).map((server) => ({
        urls: typeof server.urls === "string" ? server.urls : [...server.urls],
        ...(server.username === undefined ? {} : { username: server.username }),
        ...(server.credential === undefined ? {} : { credential: server.credential }),
      })),
      codecs: { audio: audioCodecs(options), video: [] },
      iceUseIpv4: true,
      iceUseIpv6: false,
      ...(options.bindAddress === undefined ? {} : { iceInterfaceAddresses: { udp4: options.bindAddress } }),
      ...(options.additionalHostAddresses === undefined
        ? {}
        : { iceAdditionalHostAddresses: [...options.additionalHostAddresses] }),
      ...(options.portRange === undefined ? {} : { icePortRange: [options.portRange[0], options.portRange[1]] }),
    });
    this.ended = new Promise((resolve) => {
      this.resolveEnded = resolve;
    });
    this.transceiver = this.connection.addTransceiver("audio", { direction: "sendrecv" });
    this.transport = new WebRtcTransport(this.transceiver);
    // Before any remote description: the track's first packets arrive as soon as DTLS is done.
    this.transceiver.onTrack.subscribe((track: MediaStreamTrack) => this.transport.receiveFrom(track));
    this.connection.connectionStateChange.subscribe((state) => this.connectionChanged(state));
    // werift sends and reads the connection's RTCP reports itself.
    this.media = new RtpAudioSession(this.transport, { ...options, rtcp: false });
  }

  get state(): WebRtcLegState {
    if (this.end !== undefined) return "ended";
    if (this.connected) return "connected";
    return this.connection.remoteDescription === null ? "new" : "connecting";
  }

  /** What werift settled for the audio, once it did. */
  get audio(): RtpAudioFormat | undefined {
    return this.format();
  }

  /** Our answer to the browser's offer, with our candidates in it; 488 when no audio codec is acceptable. */
  async answer(offerSdp: string): Promise<SdpOutcome> {
    if (this.end !== undefined) return { ok: false, status: 488, reason: "the leg ended" };
    try {
      await this.connection.setRemoteDescription({ type: "offer", sdp: offerSdp });
      const format = this.format();
      if (format === undefined) return { ok: false, status: 488, reason: "no audio codec in common (PCMU or PCMA)" };
      await this.connection.setLocalDescription(await this.connection.createAnswer());
      this.media.configure(format);
      return { ok: true, sdp: this.localSdp() };
    } catch (error) {
      return { ok: false, status: 488, reason: `offer refused: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  /** Our offer (a call to the browser), with our candidates in it. */
  async offer(): Promise<string> {
    await this.connection.setLocalDescription(await this.connection.createOffer());
    return this.localSdp();
  }

  /** The browser's answer to our offer. */
  async acceptAnswer(answerSdp: string): Promise<SdpOutcome> {
    if (this.end !== undefined) return { ok: false, status: 488, reason: "the leg ended" };
    try {
      await this.connection.setRemoteDescription({ type: "answer", sdp: answerSdp });
    } catch (error) {
      return { ok: false, status: 488, reason: `answer refused: ${error instanceof Error ? error.message : String(error)}` };
    }
    const format = this.format();
    if (format === undefined) return { ok: false, status: 488, reason: "no audio codec in common (PCMU or PCMA)" };
    this.media.configure(format);
    return { ok: true, sdp: answerSdp };
  }

  /** A candidate the browser trickled (`RTCPeerConnectionIceEvent.candidate`, as JSON). */
  async addIceCandidate(candidate: {
    readonly candidate?: string;
    readonly sdpMid?: string | null;
    readonly sdpMLineIndex?: number | null;
  }): Promise<void> {
    if (this.end !== undefined) return;
    await this.connection.addIceCandidate({
      ...(candidate.candidate === undefined ? {} : { candidate: candidate.candidate }),
      ...(candidate.sdpMid == null ? {} : { sdpMid: candidate.sdpMid }),
      ...(candidate.sdpMLineIndex == null ? {} : { sdpMLineIndex: candidate.sdpMLineIndex }),
    });
  }

  /**
   * Resolves true once media can flow (ICE and DTLS are up), false when the leg ends first or `timeoutMs`
   * passes (the network blocks the media: the leg is then hung up).
   */
  whenConnected(timeoutMs: number): Promise<boolean> {
    if (this.connected) return Promise.resolve(true);
    if (this.end !== undefined) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (connected: boolean) => {
        clearTimeout(timer);
        this.connectListeners.delete(done);
        resolve(connected);
      };
      const timer = setTimeout(() => {
        done(false);
        void this.hangup();
      }, timeoutMs);
      this.connectListeners.add(done);
    });
  }

  /**
   * Loss and jitter of the browser's audio as it reached us (our RTP statistics), with the round-trip time of
   * the ICE connection (werift's candidate-pair statistics; the last reading once the leg ended). werift sends
   * and reads the RTCP reports itself, so the browser's view of our stream is not known here: the browser's own
   * statistics (`getStats`) show it.
   */
  async quality(): Promise<MediaQuality> {
    if (this.end === undefined) await this.readRoundTrip();
    else await this.released;
    const quality = this.media.quality();
    return this.roundTripMs === undefined ? quality : { ...quality, roundTripMs: this.roundTripMs };
  }

  private async readRoundTrip(): Promise<void> {
    try {
      const report = await this.connection.getStats();
      for (const stats of report.values()) {
        const rtt = (stats as { type?: string; currentRoundTripTime?: number }).currentRoundTripTime;
        if (stats.type === "candidate-pair" && typeof rtt === "number") this.roundTripMs = Math.round(rtt * 1000 * 10) / 10;
      }
    } catch {
      // Statistics are best effort: a connection closing under the read has none.
    }
  }

  /** Keys the browser sent as RFC 4733 events (or, with in-band detection on, as tones). */
  onDtmf(listener: (event: DtmfEvent) => void): () => void {
    return this.media.onDtmf(listener);
  }

  /** Called once when the leg ends; at once when it already has. */
  onEnded(listener: (end: LegEnd) => void): () => void {
    if (this.end !== undefined) {
      listener(this.end);
      return () => undefined;
    }
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  /** Ends the leg from our side: the media stops and the connection closes (the browser sees it closed). */
  async hangup(): Promise<void> {
    this.finish({ by: "local", cause: "bye" });
    await this.released;
  }

  private connectionChanged(state: RTCPeerConnection["connectionState"]): void {
    if (state === "connected" && !this.connected) this.watchDtls();
    if (state === "connected") {
      this.connected = true;
      for (const listener of [...this.connectListeners]) listener(true);
    } else if (state === "disconnected") this.connected = false;
    this.transport.setConnected(this.connected);
    if (state === "closed") this.finish({ by: "remote", cause: "bye" });
    else if (state === "failed") this.finish({ by: "remote", cause: "error" });
  }

  /**
   * werift leaves the connection `connected` when the peer's close_notify closes DTLS under it: the DTLS
   * transport's own state says the browser hung up.
   */
  private watchDtls(): void {
    for (const transport of this.connection.dtlsTransports) {
      transport.onStateChange.subscribe((state) => {
        if (state === "closed") this.finish({ by: "remote", cause: "bye" });
        else if (state === "failed") this.finish({ by: "remote", cause: "error" });
      });
    }
  }

  private finish(end: LegEnd): void {
    if (this.end !== undefined) return;
    this.end = end;
    this.connected = false;
    this.transport.setConnected(false);
    this.released = this.release();
    for (const listener of [...this.connectListeners]) listener(false);
    for (const listener of this.endListeners) {
      try {
        listener(end);
      } catch {
        // One listener's failure must not keep the others from hearing of the end.
      }
    }
    this.endListeners.clear();
    this.resolveEnded(end);
  }

  private async release(): Promise<void> {
    if (this.connection.connectionState === "connected") await this.readRoundTrip();
    await this.media.close();
    // A browser closing its connection sends close_notify; werift does not, so we do (see `sendDtlsCloseNotify`).
    if (this.end?.by === "local") await sendDtlsCloseNotify(this.connection);
    await this.connection.close().catch(() => undefined);
  }

  private localSdp(): string {
    const sdp = this.connection.localDescription?.sdp;
    if (sdp === undefined) throw new Error("werift set no local description");
    return sdp;
  }

  /** The G.711 codec and telephone-event werift negotiated, from the transceiver's codecs (the peer's order). */
  private format(): RtpAudioFormat | undefined {
    const codecs = this.transceiver.codecs;
    const audio = codecs.find((codec) => lawOf(codec) !== undefined);
    const law = audio === undefined ? undefined : lawOf(audio);
    if (audio === undefined || law === undefined) return undefined;
    // werift sends with the first codec in the peer's list: a list led by telephone-event would send events only.
    const sender = this.transceiver.sender;
    if (sender.codec !== undefined && sender.codec.payloadType !== audio.payloadType) sender.codec = audio;
    const event = codecs.find((codec) => codec.name.toLowerCase() === "telephone-event" && codec.clockRate === 8000);
    return {
      codec: law,
      payloadType: audio.payloadType,
      ...(event === undefined ? {} : { telephoneEvent: event.payloadType }),
      direction: directionOf(this.transceiver.currentDirection ?? this.transceiver.direction),
    };
  }
}

function audioCodecs(options: WebRtcLegOptions): RTCRtpCodecParameters[] {
  const codecs = (options.codecs ?? ["PCMU", "PCMA"]).map(
    (law) =>
      new RTCRtpCodecParameters({
        mimeType: `audio/${law}`,
        clockRate: 8000,
        channels: 1,
        payloadType: STATIC_PAYLOAD_TYPES[law],
      }),
  );
  if (options.telephoneEvent !== false) {
    codecs.push(
      new RTCRtpCodecParameters({
        mimeType: "audio/telephone-event",
        clockRate: 8000,
        payloadType: options.telephoneEvent ?? 101,
        parameters: "0-16",
      }),
    );
  }
  return codecs;
}

function lawOf(codec: RTCRtpCodecParameters): G711Law | undefined {
  if (codec.clockRate !== 8000) return undefined;
  const name = codec.name.toUpperCase();
  return name === "PCMU" || name === "PCMA" ? name : undefined;
}

function directionOf(direction: string | undefined): Direction {
  return direction === "sendonly" || direction === "recvonly" || direction === "inactive" ? direction : "sendrecv";
}
