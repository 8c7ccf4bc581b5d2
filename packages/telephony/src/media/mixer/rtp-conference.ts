import { type Audio, type CallLegMedia, type Conference, DomainError, type MixRecording } from "@switchboard/core";
import { FRAME_SAMPLES } from "../../rtp/audio/audio.js";
import type { FrameSource } from "../frame-source.js";
import { type MixerConnection, type MixerPort, mixerPortOf } from "./mixer-port.js";

interface Member {
  readonly port: MixerPort;
  readonly feed: FrameSource;
  /** The member's frame in the current mix, if it spoke this tick (and is not muted). */
  frame: Int16Array | undefined;
  muted: boolean;
  /** Stops forwarding its keys to the others. */
  readonly unsubscribe: () => void;
}

export interface ConferenceOptions {
  /** Keys a member sends as events go to the other members (default true); see `BridgeOptions.forwardKeys`. */
  readonly forwardKeys?: boolean;
}

/** The longest silence a capture fills in one go when nobody's session asked for the mix (10 minutes). */
const MAX_GAP_TICKS = 30_000;

/**
 * N legs, each hearing the sum of all the others, clipped to 16 bits. The sum is computed once per tick, by
 * whichever member's session asks first, into a reused buffer; each member then hears the sum minus its own
 * frame. A member on hold contributes nothing (its `heard` is empty) and hears its music instead of the mix;
 * a muted member contributes nothing and still hears the mix. Captures (`record`) take the sum of each tick.
 */
export class RtpConference implements Conference, MixerConnection {
  private readonly members = new Map<string, Member>();
  private readonly sum = new Int32Array(FRAME_SAMPLES);
  private readonly captures = new Set<MixCapture>();
  private mixedTick: number | undefined;
  private speakers = 0;
  private closed = false;

  constructor(
    readonly id: string,
    private readonly options: ConferenceOptions = {},
  ) {}

  get legIds(): readonly string[] {
    return [...this.members.keys()];
  }

  add(leg: CallLegMedia): void {
    if (this.closed) throw new DomainError("media.conference_closed", "conflict", `Conference ${this.id} is closed.`);
    const port = mixerPortOf(leg);
    if (this.members.has(port.legId)) return;
    const member: Member = {
      port,
      frame: undefined,
      muted: false,
      feed: { read: (out, tick) => this.mixFor(member, out, tick) },
      unsubscribe: (this.options.forwardKeys ?? true) ? this.forwardKeys(port) : () => undefined,
    };
    this.members.set(port.legId, member);
    port.report({ type: "conference.joined", conferenceId: this.id, legId: port.legId });
    port.connect(this, member.feed);
  }

  remove(legId: string): void {
    const member = this.members.get(legId);
    if (!member) return;
    member.port.disconnect(this);
    this.leave(member);
  }

  /** Everyone leaves; the conference takes no one after. Running captures keep what they have. */
  close(): void {
    this.closed = true;
    for (const member of [...this.members.values()]) {
      member.port.disconnect(this);
      this.leave(member);
    }
  }

  mute(legId: string, muted: boolean): void {
    const member = this.members.get(legId);
    if (!member) throw new DomainError("media.not_in_conference", "not_found", `Leg ${legId} is not in conference ${this.id}.`);
    member.muted = muted;
  }

  isMuted(legId: string): boolean {
    return this.members.get(legId)?.muted ?? false;
  }

  record(): MixRecording {
    const capture = new MixCapture(() => this.captures.delete(capture));
    this.captures.add(capture);
    return capture;
  }

  release(legId: string): void {
    const member = this.members.get(legId);
    if (member) this.leave(member);
  }

  private forwardKeys(from: MixerPort): () => void {
    return from.onKey((event) => {
      if (event.source === "inband") return;
      for (const member of this.members.values()) {
        if (member.port !== from && member.port.active) void member.port.sendKeys(event.digit);
      }
    });
  }

  private leave(member: Member): void {
    if (this.members.get(member.port.legId) !== member) return;
    this.members.delete(member.port.legId);
    member.unsubscribe();
    member.frame = undefined;
    member.port.report({ type: "conference.left", conferenceId: this.id, legId: member.port.legId });
  }

  private mixFor(member: Member, out: Int16Array, tick: number): boolean {
    if (this.mixedTick !== tick) this.mix(tick);
    const own = member.frame;
    if (this.speakers - (own === undefined ? 0 : 1) === 0) return false;
    const sum = this.sum;
    // Clipped by hand: an Int16Array wraps values out of range instead of saturating.
    if (own === undefined) for (let i = 0; i < FRAME_SAMPLES; i++) out[i] = clip(sum[i] as number);
    else for (let i = 0; i < FRAME_SAMPLES; i++) out[i] = clip((sum[i] as number) - (own[i] as number));
    return true;
  }

  private mix(tick: number): void {
    this.mixedTick = tick;
    this.sum.fill(0);
    this.speakers = 0;
    for (const member of this.members.values()) {
      const frame = member.muted ? undefined : member.port.heard(tick);
      member.frame = frame;
      if (frame === undefined) continue;
      this.speakers++;
      for (let i = 0; i < FRAME_SAMPLES; i++) this.sum[i] = (this.sum[i] as number) + (frame[i] as number);
    }
    for (const capture of this.captures) capture.take(tick, this.sum, this.speakers > 0);
  }
}

const clip = (sample: number) => Math.max(-32768, Math.min(32767, sample));

/**
 * One capture of a conference's mix: a frame per tick, the ticks nobody asked for the mix filled with silence
 * (up to `MAX_GAP_TICKS`), so the audio keeps real time across holds and prompts.
 */
class MixCapture implements MixRecording {
  private readonly frames: Int16Array[] = [];
  private lastTick: number | undefined;
  private stopped = false;
  paused = false;

  constructor(private readonly detach: () => void) {}

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    // The paused stretch is left out, not filled with silence.
    this.lastTick = undefined;
  }

  take(tick: number, sum: Int32Array, anyone: boolean): void {
    if (this.paused || this.stopped) return;
    if (this.lastTick !== undefined && tick > this.lastTick + 1) {
      const gap = Math.min(tick - this.lastTick - 1, MAX_GAP_TICKS);
      this.frames.push(new Int16Array(gap * FRAME_SAMPLES));
    }
    this.lastTick = tick;
    const frame = new Int16Array(FRAME_SAMPLES);
    if (anyone) for (let i = 0; i < FRAME_SAMPLES; i++) frame[i] = clip(sum[i] as number);
    this.frames.push(frame);
  }

  stop(): Audio {
    if (this.stopped) return new Int16Array(0);
    this.stopped = true;
    this.detach();
    const audio = new Int16Array(this.frames.reduce((n, frame) => n + frame.length, 0));
    let at = 0;
    for (const frame of this.frames.splice(0)) {
      audio.set(frame, at);
      at += frame.length;
    }
    return audio;
  }
}
