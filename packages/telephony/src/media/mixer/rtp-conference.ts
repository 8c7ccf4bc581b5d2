import { type CallLegMedia, type Conference, DomainError } from "@switchboard/core";
import { FRAME_SAMPLES } from "../../rtp/audio/audio.js";
import type { FrameSource } from "../frame-source.js";
import { type MixerConnection, type MixerPort, mixerPortOf } from "./mixer-port.js";

interface Member {
  readonly port: MixerPort;
  readonly feed: FrameSource;
  /** The member's frame in the current mix, if it spoke this tick. */
  frame: Int16Array | undefined;
}

/**
 * N legs, each hearing the sum of all the others, clipped to 16 bits. The sum is computed once per tick, by
 * whichever member's session asks first, into a reused buffer; each member then hears the sum minus its own
 * frame. A member on hold contributes nothing (its `heard` is empty) and hears its music instead of the mix.
 */
export class RtpConference implements Conference, MixerConnection {
  private readonly members = new Map<string, Member>();
  private readonly sum = new Int32Array(FRAME_SAMPLES);
  private mixedTick: number | undefined;
  private speakers = 0;
  private closed = false;

  constructor(readonly id: string) {}

  get legIds(): readonly string[] {
    return [...this.members.keys()];
  }

  add(leg: CallLegMedia): void {
    if (this.closed) throw new DomainError("media.conference_closed", "conflict", `Conference ${this.id} is closed.`);
    const port = mixerPortOf(leg);
    if (this.members.has(port.legId)) return;
    const member: Member = { port, frame: undefined, feed: { read: (out, tick) => this.mixFor(member, out, tick) } };
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

  /** Everyone leaves; the conference takes no one after. */
  close(): void {
    this.closed = true;
    for (const member of [...this.members.values()]) {
      member.port.disconnect(this);
      this.leave(member);
    }
  }

  release(legId: string): void {
    const member = this.members.get(legId);
    if (member) this.leave(member);
  }

  private leave(member: Member): void {
    if (this.members.get(member.port.legId) !== member) return;
    this.members.delete(member.port.legId);
    member.frame = undefined;
    member.port.report({ type: "conference.left", conferenceId: this.id, legId: member.port.legId });
  }

  private mixFor(member: Member, out: Int16Array, tick: number): boolean {
    if (this.mixedTick !== tick) this.mix(tick);
    const own = member.frame;
    if (this.speakers - (own === undefined ? 0 : 1) === 0) return false;
    const sum = this.sum;
    // Clipped by hand: an Int16Array wraps values out of range instead of saturating.
    if (own === undefined) for (let i = 0; i < FRAME_SAMPLES; i++) out[i] = Math.max(-32768, Math.min(32767, sum[i] as number));
    else
      for (let i = 0; i < FRAME_SAMPLES; i++) out[i] = Math.max(-32768, Math.min(32767, (sum[i] as number) - (own[i] as number)));
    return true;
  }

  private mix(tick: number): void {
    this.mixedTick = tick;
    this.sum.fill(0);
    this.speakers = 0;
    for (const member of this.members.values()) {
      const frame = member.port.heard(tick);
      member.frame = frame;
      if (frame === undefined) continue;
      this.speakers++;
      for (let i = 0; i < FRAME_SAMPLES; i++) this.sum[i] = (this.sum[i] as number) + (frame[i] as number);
    }
  }
}
