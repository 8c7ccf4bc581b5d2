import { randomBytes } from "node:crypto";
import { FRAME_MS, FRAME_SAMPLES } from "../rtp/audio/audio.js";
import type { MediaClock } from "../rtp/clock/media-clock.js";
import type { DtmfDigit, DtmfEvent } from "../rtp/dtmf/digits.js";
import { isDtmfDigit } from "../rtp/dtmf/digits.js";
import { DtmfDetector, type DtmfDetectorOptions } from "../rtp/dtmf/goertzel-detector.js";
import { TelephoneEventReceiver, telephoneEventPlan } from "../rtp/dtmf/telephone-event.js";
import { dtmfTones } from "../rtp/dtmf/tones.js";
import { decodeG711, decodeG711Into, encodeG711Into, G711_SILENCE, type G711Law } from "../rtp/g711/g711.js";
import { JitterBuffer, type JitterBufferOptions, type JitterBufferStats } from "../rtp/jitter-buffer/jitter-buffer.js";
import type { RtpPacket } from "../rtp/packet/rtp-packet.js";
import { serializeRtcpCompound } from "../rtp/rtcp/rtcp-packet.js";
import { type MediaQuality, RtcpSession, type RtcpSessionStats } from "../rtp/rtcp/rtcp-session.js";
import type { RtpTransport, RtpTransportStats } from "../rtp/transport/rtp-transport.js";
import { receives, sends } from "../sdp/offer-answer.js";
import type { Direction } from "../sdp/session-description.js";
import type { AudioChannel, DtmfSendOptions } from "./audio-channel.js";
import { type FrameSource, PlayQueue, type PlayResult } from "./frame-source.js";
import { PlayoutBuffer, type PlayoutBufferOptions, type PlayoutBufferStats } from "./playout-buffer.js";

export interface RtpAudioSessionOptions {
  readonly clock: MediaClock;
  /**
   * Detect keys sent as tones in the audio. `"auto"` (default): only when the peer did not negotiate RFC 4733
   * telephone-event, decided again at each offer/answer (as Asterisk's `dtmfmode=auto`: a peer that sends events
   * sends its keys as events, and the Goertzel filters are most of a leg's receive cost). `true`: always (a
   * gateway that negotiates telephone-event but still sends tones); `false`: never.
   */
  readonly inbandDtmf?: boolean | "auto";
  readonly dtmfDetector?: DtmfDetectorOptions;
  readonly jitterBuffer?: JitterBufferOptions;
  readonly playout?: PlayoutBufferOptions;
  /**
   * RTCP (RFC 3550 §6) through the transport: a report every `intervalMs` on average (default 5,000, randomized
   * 0.5–1.5×, the first after half of one), SR while we send and RR otherwise, with SDES CNAME, and a BYE on
   * close. `false` sends nothing; the peer's reports are read and statistics kept either way.
   */
  readonly rtcp?: false | { readonly intervalMs?: number; readonly cname?: string };
}

/** What offer/answer (ours for SIP, werift's for WebRTC) settled for the audio: all a session needs to run. */
export interface RtpAudioFormat {
  readonly codec: G711Law;
  readonly payloadType: number;
  /** Payload type of telephone-event, when both sides support it. */
  readonly telephoneEvent?: number;
  /** Our direction. */
  readonly direction: Direction;
}

export interface MediaSessionStats {
  readonly rtp: RtpTransportStats;
  readonly jitterBuffer: JitterBufferStats;
  readonly playout: PlayoutBufferStats;
  /** Ticks on which something other than silence was sent. */
  readonly framesPlayed: number;
  readonly rtcp: RtcpSessionStats;
  /** Whether in-band DTMF detection runs (see `RtpAudioSessionOptions.inbandDtmf`). */
  readonly inbandDtmf: boolean;
}

type DtmfStep =
  | { readonly kind: "event"; readonly payload: Buffer; readonly marker: boolean; readonly start: boolean }
  | { readonly kind: "gap" };

const IN_BAND_SUPPRESSION_MS = 1_000;
/** Read once: the getter is not free, and it is needed per packet. */
const TIME_ORIGIN = performance.timeOrigin;

/**
 * The audio of one call leg over an `RtpTransport`: G.711 both ways, paced by the shared media clock, RFC 4733
 * events sent in place of audio and received with their redundancy, in-band keys heard by Goertzel detection,
 * and a reorder buffer in front of the decoder. Whoever negotiated the media (`MediaSession`'s SDP for SIP,
 * werift for WebRTC) tells it the format with `configure`; until then nothing is sent or received.
 *
 * Each tick moves one frame each way. Out: the player's audio when it has some, else the frame source's
 * (hold music, a bridge, a conference mix), else silence; encoded into a buffer reused from tick to tick.
 * In: the jitter buffer's released packets are decoded into a playout buffer, from which the tick takes one
 * frame, `receivedFrame(tick)`. Another session's source may ask for that frame before this session's own
 * tick ran: the first caller in a tick advances the receive side, so a bridge forwards each frame exactly
 * once, with no added delay, whatever order the clock runs the sessions in.
 *
 * RTCP rides on the same tick: receiver statistics per peer source as packets arrive, a report when the
 * randomized interval is up, the peer's reports read for what it saw of us and the round-trip time: `quality()`.
 */
export class RtpAudioSession implements AudioChannel {
  private format: RtpAudioFormat | undefined;
  private timestamp = randomBytes(4).readUInt32BE(0);
  /** What `play` queues; sent before anything the source has. */
  readonly player = new PlayQueue();
  private source: FrameSource | undefined;
  private readonly outFrame = new Int16Array(FRAME_SAMPLES);
  private readonly payload = Buffer.alloc(FRAME_SAMPLES);
  /** The law whose silence `payload` holds, if it does: a silent stream then refills nothing. */
  private payloadSilence: G711Law | undefined;
  private readonly playout: PlayoutBuffer;
  /** Decoded samples when no audio listener needs its own copy. */
  private scratch = new Int16Array(FRAME_SAMPLES);
  private receiveTick: number | undefined;
  private received: Int16Array | undefined;
  private readonly frameListeners = new Set<(frame: Int16Array | undefined, tick: number) => void>();
  private readonly dtmfSteps: DtmfStep[] = [];
  private dtmfDone: (() => void)[] = [];
  private eventTimestamp = 0;
  private firstPacket = true;
  private framesPlayed = 0;
  private readonly jitter: JitterBuffer<RtpPacket>;
  private readonly events = new TelephoneEventReceiver();
  /** Made the first time in-band detection is switched on. */
  private detector: DtmfDetector | undefined;
  private detectInband = false;
  private readonly rtcp: RtcpSession;
  /** When each key last arrived as an RFC 4733 event, to drop the same key heard again as a tone. */
  private readonly lastRfc4733At = new Map<DtmfDigit, number>();
  private readonly audioListeners = new Set<(samples: Int16Array, packet: RtpPacket) => void>();
  private readonly dtmfListeners = new Set<(event: DtmfEvent) => void>();
  private readonly unsubscribe: () => void;
  private closed = false;

  constructor(
    readonly transport: RtpTransport,
    private readonly audioOptions: RtpAudioSessionOptions,
  ) {
    this.jitter = new JitterBuffer(audioOptions.jitterBuffer);
    this.playout = new PlayoutBuffer(audioOptions.playout);
    const rtcp = audioOptions.rtcp === false ? undefined : audioOptions.rtcp;
    this.rtcp = new RtcpSession({
      ssrc: transport.ssrc,
      tickMs: FRAME_MS,
      ...(rtcp?.intervalMs === undefined ? {} : { intervalMs: rtcp.intervalMs }),
      ...(rtcp?.cname === undefined ? {} : { cname: rtcp.cname }),
    });
    transport.onPacket((packet) => this.receive(packet));
    transport.onRtcp((packets) => this.rtcp.receive(packets, wallClock()));
    this.unsubscribe = audioOptions.clock.subscribe((tick) => this.tick(tick));
  }

  get direction(): Direction {
    return this.format?.direction ?? "inactive";
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get stats(): MediaSessionStats {
    return {
      rtp: this.transport.stats,
      jitterBuffer: this.jitter.stats,
      playout: this.playout.stats,
      framesPlayed: this.framesPlayed,
      rtcp: this.rtcp.stats,
      inbandDtmf: this.detectInband,
    };
  }

  /**
   * Call quality so far: loss and jitter of what we receive (RFC 3550 A.3, A.8), what the peer's RTCP reports
   * say of our stream, and the round-trip time from them. What a leg's record keeps at the end of a call.
   */
  quality(): MediaQuality {
    return this.rtcp.quality();
  }

  /** The format offer/answer settled (again at each re-negotiation): codec, payload types, direction. */
  configure(format: RtpAudioFormat): void {
    const wasSending = this.format !== undefined && sends(this.format.direction);
    this.format = format;
    if (!wasSending && sends(format.direction)) this.firstPacket = true;
    const mode = this.audioOptions.inbandDtmf ?? "auto";
    const detect = mode === "auto" ? format.telephoneEvent === undefined : mode;
    if (detect && !this.detectInband) {
      this.detector ??= new DtmfDetector(this.audioOptions.dtmfDetector);
      this.detector.reset();
    }
    this.detectInband = detect;
  }

  /** Plays 8 kHz samples after whatever is queued; resolves when the last sample went out (or was stopped). */
  play(samples: Int16Array): Promise<PlayResult> {
    if (this.closed) return Promise.resolve("stopped");
    return this.player.enqueue(samples).done;
  }

  /** Drops everything queued for playing (a prompt interrupted by a key). */
  stopPlayback(): void {
    this.player.clear();
  }

  /** What to send when the player is empty (hold music, a bridge, a mix); `undefined` for silence. */
  setSource(source: FrameSource | undefined): void {
    this.source = source;
  }

  receivedFrame(tick: number): Int16Array | undefined {
    if (tick !== this.receiveTick) {
      this.receiveTick = tick;
      if (this.closed) this.received = undefined;
      else {
        if (this.jitter.size > 0) for (const packet of this.jitter.poll(performance.now())) this.decode(packet);
        this.received = this.playout.take();
      }
    }
    return this.received;
  }

  onFrame(listener: (frame: Int16Array | undefined, tick: number) => void): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  /** Sends keys, as RFC 4733 events (when negotiated) or as tones; resolves once sent. */
  sendDtmf(digits: string, options: DtmfSendOptions = {}): Promise<void> {
    const keys = [...digits.toUpperCase()].filter(isDtmfDigit);
    const durationMs = options.durationMs ?? 100;
    const gapMs = options.gapMs ?? 100;
    const mode = options.mode ?? (this.format?.telephoneEvent !== undefined ? "rfc4733" : "inband");
    if (mode === "inband") return this.play(dtmfTones(keys, { durationMs, gapMs })).then(() => undefined);
    for (const digit of keys) {
      telephoneEventPlan(digit as DtmfDigit, { durationMs }).forEach((packet, index) => {
        this.dtmfSteps.push({ kind: "event", payload: packet.payload, marker: packet.marker, start: index === 0 });
      });
      for (let t = 0; t < gapMs; t += 20) this.dtmfSteps.push({ kind: "gap" });
    }
    return new Promise((resolve) => this.dtmfDone.push(resolve));
  }

  /** Decoded audio from the peer, in sequence order. */
  onAudio(listener: (samples: Int16Array, packet: RtpPacket) => void): () => void {
    this.audioListeners.add(listener);
    return () => this.audioListeners.delete(listener);
  }

  /** Keys the peer pressed, as RFC 4733 events or in-band tones. */
  onDtmf(listener: (event: DtmfEvent) => void): () => void {
    this.dtmfListeners.add(listener);
    return () => this.dtmfListeners.delete(listener);
  }

  /** Stops the media; a BYE goes to the peer's RTCP address first (when we sent anything). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    const goodbye =
      this.audioOptions.rtcp !== false && this.format && this.transport.canSendRtcp ? this.rtcp.goodbye(wallClock()) : undefined;
    // Sent now, waited for just before the sockets close: everything else stops at once, as before.
    const byeSent = goodbye ? sent(this.transport, serializeRtcpCompound(goodbye)) : undefined;
    this.stopPlayback();
    for (const done of this.dtmfDone.splice(0)) done();
    this.source = undefined;
    this.audioListeners.clear();
    this.dtmfListeners.clear();
    this.frameListeners.clear();
    this.playout.clear();
    await byeSent;
    await this.transport.close();
  }

  /** One 20 ms tick of the media clock: one frame in (to the frame listeners), one packet out, RTCP when due. */
  private tick(tick: number): void {
    const heard = this.receivedFrame(tick);
    for (const listener of this.frameListeners) guard(() => listener(heard, tick));
    this.timestamp = (this.timestamp + FRAME_SAMPLES) >>> 0;
    this.send(tick);
    if (this.rtcp.tick()) this.report();
  }

  private send(tick: number): void {
    const audio = this.format;
    if (!audio || !sends(audio.direction) || !this.transport.canSend) return;
    const step = this.dtmfSteps.shift();
    const sequenceNumber = this.transport.nextSequenceNumber;
    let payload: Buffer;
    if (step?.kind === "event" && audio.telephoneEvent !== undefined) {
      if (step.start) this.eventTimestamp = this.timestamp;
      payload = step.payload;
      this.transport.send(audio.telephoneEvent, payload, this.eventTimestamp, step.marker);
    } else {
      payload = this.nextPayload(audio.codec, tick);
      this.transport.send(audio.payloadType, payload, this.timestamp, this.firstPacket);
      this.firstPacket = false;
    }
    // The frame's own timestamp even for an event (which keeps its start's): the SR maps it to the wall clock.
    this.rtcp.sent(sequenceNumber, this.timestamp, payload.length, wallClock());
    if (this.dtmfSteps.length === 0 && this.dtmfDone.length > 0) for (const done of this.dtmfDone.splice(0)) done();
  }

  private report(): void {
    if (this.audioOptions.rtcp === false || !this.format || !this.transport.canSendRtcp) return;
    this.transport.sendRtcp(serializeRtcpCompound(this.rtcp.report(wallClock())));
  }

  /** The tick's frame, encoded into the reused payload buffer (the transport copies it into the packet). */
  private nextPayload(codec: G711Law, tick: number): Buffer {
    const frame = this.outFrame;
    let sounding = this.player.read(frame);
    if (!sounding && this.source !== undefined) {
      try {
        sounding = this.source.read(frame, tick);
      } catch {
        // A broken source (the application's) sends silence rather than stopping the stream.
        sounding = false;
      }
    }
    if (!sounding) {
      if (this.payloadSilence !== codec) this.payload.fill(G711_SILENCE[codec]);
      this.payloadSilence = codec;
      return this.payload;
    }
    this.framesPlayed++;
    this.payloadSilence = undefined;
    return encodeG711Into(codec, frame, this.payload);
  }

  private receive(packet: RtpPacket): void {
    const now = performance.now();
    const audio = this.format;
    const isAudio = packet.payloadType === 0 || packet.payloadType === 8 || packet.payloadType === audio?.payloadType;
    // Statistics describe the network, whatever we do with the packet (on hold too); events stay out of the jitter.
    // Payload types 64–95 are left out: there an RTCP packet sent to the RTP port (rtcp-mux, RFC 5761 §4) parses as RTP.
    if (packet.payloadType < 64 || packet.payloadType > 95) {
      this.rtcp.received(packet.ssrc, packet.sequenceNumber, packet.timestamp, TIME_ORIGIN + now, isAudio);
    }
    if (!audio || !receives(audio.direction)) return;
    if (audio.telephoneEvent !== undefined && packet.payloadType === audio.telephoneEvent) {
      for (const ready of this.jitter.skip(packet, now)) this.decode(ready);
      for (const notice of this.events.receive(packet)) {
        if (notice.type !== "start") continue;
        this.lastRfc4733At.set(notice.digit, now);
        this.emitDtmf({ digit: notice.digit, source: "rfc4733" });
      }
      return;
    }
    if (!isAudio) return;
    for (const ready of this.jitter.push(packet, now)) this.decode(ready);
  }

  private decode(packet: RtpPacket): void {
    // The payload type says which law, whatever was negotiated: some peers (sipp's pcap play) send PCMA anyway.
    const law: G711Law = packet.payloadType === 8 ? "PCMA" : packet.payloadType === 0 ? "PCMU" : (this.format?.codec ?? "PCMU");
    const samples = this.audioListeners.size > 0 ? decodeG711(law, packet.payload) : this.decodeToScratch(law, packet.payload);
    for (const listener of this.audioListeners) guard(() => listener(samples, packet));
    this.playout.push(samples);
    const detector = this.detectInband ? this.detector : undefined;
    if (detector === undefined) return;
    for (const digit of detector.process(samples)) {
      // A gateway sending both an RFC 4733 event and the tone: report the key once.
      const event = this.lastRfc4733At.get(digit);
      if (event !== undefined && performance.now() - event < IN_BAND_SUPPRESSION_MS) continue;
      this.emitDtmf({ digit, source: "inband" });
    }
  }

  private decodeToScratch(law: G711Law, payload: Buffer): Int16Array {
    if (payload.length === FRAME_SAMPLES) return decodeG711Into(law, payload, this.scratch);
    if (payload.length > this.scratch.length) this.scratch = new Int16Array(payload.length);
    return decodeG711Into(law, payload, this.scratch).subarray(0, payload.length);
  }

  private emitDtmf(event: DtmfEvent): void {
    for (const listener of this.dtmfListeners) guard(() => listener(event));
  }
}

/** Wall-clock milliseconds from the monotonic clock: RTCP's NTP times, steady when the system clock is stepped. */
function wallClock(): number {
  return TIME_ORIGIN + performance.now();
}

/** Sends an RTCP packet and waits until it left (a BYE, before the socket closes); never longer than 100 ms. */
function sent(transport: RtpTransport, bytes: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 100);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    if (!transport.sendRtcp(bytes, done)) done();
  });
}

/** Application listeners run on socket callbacks: a throw there must not take the process down. */
function guard(run: () => void): void {
  try {
    run();
  } catch {
    // The listener's failure is the application's to report; the media keeps flowing.
  }
}
