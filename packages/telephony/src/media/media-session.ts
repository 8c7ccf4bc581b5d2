import { randomBytes } from "node:crypto";
import { FRAME_SAMPLES } from "../rtp/audio/audio.js";
import type { MediaClock } from "../rtp/clock/media-clock.js";
import type { DtmfDigit, DtmfEvent } from "../rtp/dtmf/digits.js";
import { isDtmfDigit } from "../rtp/dtmf/digits.js";
import { DtmfDetector, type DtmfDetectorOptions } from "../rtp/dtmf/goertzel-detector.js";
import { TelephoneEventReceiver, telephoneEventPlan } from "../rtp/dtmf/telephone-event.js";
import { dtmfTones } from "../rtp/dtmf/tones.js";
import { decodeG711, decodeG711Into, encodeG711Into, G711_SILENCE, type G711Law } from "../rtp/g711/g711.js";
import { JitterBuffer, type JitterBufferOptions, type JitterBufferStats } from "../rtp/jitter-buffer/jitter-buffer.js";
import type { RtpPacket } from "../rtp/packet/rtp-packet.js";
import type { RtpPortPool } from "../rtp/socket/port-pool.js";
import { RtpStream, type RtpStreamStats } from "../rtp/socket/rtp-stream.js";
import {
  type AudioCodecName,
  acceptAudioAnswer,
  answerAudioOffer,
  createAudioOffer,
  type NegotiatedAudio,
  receives,
  type SdpSessionVersion,
  sends,
} from "../sdp/offer-answer.js";
import { type Direction, parseSdp, type SessionDescription, serializeSdp } from "../sdp/session-description.js";
import type { AudioChannel, DtmfSendOptions } from "./audio-channel.js";
import { type FrameSource, PlayQueue, type PlayResult } from "./frame-source.js";
import { PlayoutBuffer, type PlayoutBufferOptions, type PlayoutBufferStats } from "./playout-buffer.js";

export interface MediaSessionOptions {
  readonly ports: RtpPortPool;
  readonly clock: MediaClock;
  /** Address written in our SDP (default the pool's bind address). */
  readonly address?: string;
  /** In order of preference (default PCMU, PCMA). */
  readonly codecs?: readonly AudioCodecName[];
  /** RFC 4733 payload type we offer (default 101), or false. */
  readonly telephoneEvent?: number | false;
  /** Detect keys sent as tones in the audio (default true). */
  readonly inbandDtmf?: boolean;
  readonly dtmfDetector?: DtmfDetectorOptions;
  /** Send to where the peer's packets come from, whatever its SDP said (default true: NAT). */
  readonly latch?: boolean;
  readonly jitterBuffer?: JitterBufferOptions;
  readonly playout?: PlayoutBufferOptions;
}

export type SdpOutcome =
  | { readonly ok: true; readonly sdp: string }
  | { readonly ok: false; readonly status: number; readonly reason: string };

export interface MediaSessionStats {
  readonly rtp: RtpStreamStats;
  readonly jitterBuffer: JitterBufferStats;
  readonly playout: PlayoutBufferStats;
  /** Ticks on which something other than silence was sent. */
  readonly framesPlayed: number;
}

type DtmfStep =
  | { readonly kind: "event"; readonly payload: Buffer; readonly marker: boolean; readonly start: boolean }
  | { readonly kind: "gap" };

const IN_BAND_SUPPRESSION_MS = 1_000;

/**
 * The audio of one call leg: an RTP stream on a port pair, G.711 both ways, paced by the shared media
 * clock, RFC 4733 events sent in place of audio and received with their redundancy, in-band keys heard by
 * Goertzel detection, and a reorder buffer in front of the decoder. SDP offer/answer decides codec, peer
 * address and direction (hold).
 *
 * Each tick moves one frame each way. Out: the player's audio when it has some, else the frame source's
 * (hold music, a bridge, a conference mix), else silence; encoded into a buffer reused from tick to tick.
 * In: the jitter buffer's released packets are decoded into a playout buffer, from which the tick takes one
 * frame, `receivedFrame(tick)`. Another session's source may ask for that frame before this session's own
 * tick ran: the first caller in a tick advances the receive side, so a bridge forwards each frame exactly
 * once, with no added delay, whatever order the clock runs the sessions in.
 */
export class MediaSession implements AudioChannel {
  private negotiated: NegotiatedAudio | undefined;
  private lastOffer: SessionDescription | undefined;
  private readonly sessionId = String(randomBytes(4).readUInt32BE(0));
  private sdpVersion = 0;
  private timestamp = randomBytes(4).readUInt32BE(0);
  /** What `play` queues; sent before anything the source has. */
  readonly player = new PlayQueue();
  private source: FrameSource | undefined;
  private readonly outFrame = new Int16Array(FRAME_SAMPLES);
  private readonly payload = Buffer.alloc(FRAME_SAMPLES);
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
  private readonly detector: DtmfDetector | undefined;
  /** When each key last arrived as an RFC 4733 event, to drop the same key heard again as a tone. */
  private readonly lastRfc4733At = new Map<DtmfDigit, number>();
  private readonly audioListeners = new Set<(samples: Int16Array, packet: RtpPacket) => void>();
  private readonly dtmfListeners = new Set<(event: DtmfEvent) => void>();
  private readonly unsubscribe: () => void;
  private closed = false;

  private constructor(
    readonly stream: RtpStream,
    private readonly options: MediaSessionOptions,
  ) {
    this.jitter = new JitterBuffer(options.jitterBuffer);
    this.playout = new PlayoutBuffer(options.playout);
    this.detector = options.inbandDtmf === false ? undefined : new DtmfDetector(options.dtmfDetector);
    stream.onPacket((packet) => this.receive(packet));
    this.unsubscribe = options.clock.subscribe((tick) => this.tick(tick));
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

  get direction(): Direction {
    return this.negotiated?.direction ?? "inactive";
  }

  get stats(): MediaSessionStats {
    return {
      rtp: this.stream.stats,
      jitterBuffer: this.jitter.stats,
      playout: this.playout.stats,
      framesPlayed: this.framesPlayed,
    };
  }

  /** Our answer to an SDP offer (initial, or a re-INVITE's): 488 when no stream is acceptable. */
  answer(offerText: string, direction: Direction = "sendrecv"): SdpOutcome {
    const parsed = parseSdp(offerText);
    if (!parsed.ok) return { ok: false, status: 488, reason: `malformed SDP: ${parsed.reason}` };
    const result = answerAudioOffer(parsed.sdp, this.local(direction), this.nextVersion());
    if (!result.ok) return { ok: false, status: result.status, reason: result.reason };
    this.apply(result.audio);
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
    this.apply(result.audio);
    return { ok: true, sdp: answerText };
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
        for (const packet of this.jitter.poll(performance.now())) this.decode(packet);
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
    const mode = options.mode ?? (this.negotiated?.telephoneEvent !== undefined ? "rfc4733" : "inband");
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

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    this.stopPlayback();
    for (const done of this.dtmfDone.splice(0)) done();
    this.source = undefined;
    this.audioListeners.clear();
    this.dtmfListeners.clear();
    this.frameListeners.clear();
    this.playout.clear();
    await this.stream.close();
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

  private apply(audio: NegotiatedAudio): void {
    const wasSending = this.negotiated !== undefined && sends(this.negotiated.direction);
    this.negotiated = audio;
    this.stream.setRemote(audio.remote);
    if (!wasSending && sends(audio.direction)) this.firstPacket = true;
  }

  /** One 20 ms tick of the media clock: one frame in (to the frame listeners), one packet out. */
  private tick(tick: number): void {
    const heard = this.receivedFrame(tick);
    for (const listener of this.frameListeners) guard(() => listener(heard, tick));
    this.timestamp = (this.timestamp + FRAME_SAMPLES) >>> 0;
    const audio = this.negotiated;
    if (!audio || !sends(audio.direction) || this.stream.remote === undefined) return;
    const step = this.dtmfSteps.shift();
    if (step?.kind === "event" && audio.telephoneEvent !== undefined) {
      if (step.start) this.eventTimestamp = this.timestamp;
      this.stream.send(audio.telephoneEvent, step.payload, this.eventTimestamp, step.marker);
    } else {
      this.stream.send(audio.payloadType, this.nextPayload(audio.codec, tick), this.timestamp, this.firstPacket);
      this.firstPacket = false;
    }
    if (this.dtmfSteps.length === 0 && this.dtmfDone.length > 0) for (const done of this.dtmfDone.splice(0)) done();
  }

  /** The tick's frame, encoded into the reused payload buffer (`RtpStream.send` copies it into the packet). */
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
    if (!sounding) return this.payload.fill(G711_SILENCE[codec]);
    this.framesPlayed++;
    return encodeG711Into(codec, frame, this.payload);
  }

  private receive(packet: RtpPacket): void {
    const audio = this.negotiated;
    if (!audio || !receives(audio.direction)) return;
    if (audio.telephoneEvent !== undefined && packet.payloadType === audio.telephoneEvent) {
      for (const ready of this.jitter.skip(packet, performance.now())) this.decode(ready);
      for (const notice of this.events.receive(packet)) {
        if (notice.type !== "start") continue;
        this.lastRfc4733At.set(notice.digit, performance.now());
        this.emitDtmf({ digit: notice.digit, source: "rfc4733" });
      }
      return;
    }
    if (packet.payloadType !== 0 && packet.payloadType !== 8) return;
    for (const ready of this.jitter.push(packet, performance.now())) this.decode(ready);
  }

  private decode(packet: RtpPacket): void {
    // The payload type says which law, whatever was negotiated: some peers (sipp's pcap play) send PCMA anyway.
    const law: G711Law = packet.payloadType === 8 ? "PCMA" : "PCMU";
    const samples = this.audioListeners.size > 0 ? decodeG711(law, packet.payload) : this.decodeToScratch(law, packet.payload);
    for (const listener of this.audioListeners) guard(() => listener(samples, packet));
    this.playout.push(samples);
    if (!this.detector) return;
    for (const digit of this.detector.process(samples)) {
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

/** Application listeners run on socket callbacks: a throw there must not take the process down. */
function guard(run: () => void): void {
  try {
    run();
  } catch {
    // The listener's failure is the application's to report; the media keeps flowing.
  }
}
