import type { DtmfSendOptions } from "../media/audio-channel.js";
import { MediaSession, type MediaSessionOptions } from "../media/media-session.js";
import type { DtmfEvent } from "../rtp/dtmf/digits.js";
import type { RtpPacket } from "../rtp/packet/rtp-packet.js";
import type { MediaQuality } from "../rtp/rtcp/rtcp-session.js";
import { sends } from "../sdp/offer-answer.js";
import type { IncomingLeg } from "../sip/leg/incoming-leg.js";
import type { AnswerOutcome, Leg, ReinviteOutcome } from "../sip/leg/leg.js";
import type { LegEnd, ReinviteReply } from "../sip/leg/model.js";
import type { InviteOutcome, OutgoingLeg } from "../sip/leg/outgoing-leg.js";
import type { ReferHandler } from "../sip/leg/refer-subscription.js";
import type { InviteOptions, UserAgent } from "../sip/user-agent.js";

export type CallOptions = MediaSessionOptions;

export type AnswerCallResult =
  | { readonly ok: true; readonly call: Call; readonly confirmed: Promise<AnswerOutcome> }
  | { readonly ok: false; readonly status: number; readonly reason: string };

/**
 * A call leg with its audio: the SIP `Leg` and a `MediaSession` kept in step. Offer/answer runs on the
 * initial INVITE and on every re-INVITE (hold and resume change the direction), keys heard by the media are
 * reported on the leg, and the media closes when the leg ends, whoever ended it.
 */
export class Call {
  private heldByPeer = false;
  private readonly holdListeners = new Set<(held: boolean) => void>();

  private constructor(
    readonly leg: Leg,
    readonly media: MediaSession,
  ) {
    media.onDtmf((event) => leg.reportDtmf(event));
    leg.setReinviteHandler((offer) => this.reinvited(offer));
    leg.onEnded(() => {
      void media.close();
    });
  }

  /**
   * Answers an incoming leg: opens media, answers its SDP offer (or offers in the 200 when the INVITE had
   * none), rings if asked, and sends the 200. A 488 goes back when no stream is acceptable.
   */
  static async answer(leg: IncomingLeg, options: CallOptions & { readonly ring?: boolean }): Promise<AnswerCallResult> {
    const media = await MediaSession.open(options);
    const offer = leg.offer;
    const local = offer === undefined ? { ok: true as const, sdp: media.offer() } : media.answer(offer);
    if (!local.ok) {
      leg.reject(local.status);
      await media.close();
      return { ok: false, status: local.status, reason: local.reason };
    }
    if (leg.state === "ended") {
      await media.close();
      return { ok: false, status: 487, reason: "the caller gave up" };
    }
    const call = new Call(leg, media);
    if (options.ring) leg.ring();
    const confirmed = leg.answer(local.sdp).then((outcome) => {
      // An INVITE without offer: the answer came in the ACK.
      if (outcome === "confirmed" && offer === undefined && leg.remoteSdp !== undefined) media.acceptAnswer(leg.remoteSdp);
      return outcome;
    });
    return { ok: true, call, confirmed };
  }

  /** Places a call with an SDP offer; `answered` settles on the final response, media flows once it is a 2xx. */
  static async dial(
    agent: UserAgent,
    target: string,
    options: CallOptions & InviteOptions,
  ): Promise<{ call: Call; answered: Promise<InviteOutcome> }> {
    const media = await MediaSession.open(options);
    const leg: OutgoingLeg = agent.invite(target, { ...options, sdp: media.offer() });
    const call = new Call(leg, media);
    const answered = leg.answered.then((outcome) => {
      if (outcome.ok) {
        const accepted = media.acceptAnswer(outcome.response.body.toString("utf8"));
        if (!accepted.ok) void leg.hangup();
      }
      return outcome;
    });
    return { call, answered };
  }

  get ended(): Promise<LegEnd> {
    return this.leg.ended;
  }

  /** Called once when the leg ends (at once when it already has), whoever ended it. */
  onEnded(listener: (end: LegEnd) => void): () => void {
    return this.leg.onEnded(listener);
  }

  /** Decides on the transfers (REFER) the peer asks for; without a handler they are refused with 403. */
  onRefer(handler: ReferHandler | undefined): void {
    this.leg.onRefer(handler);
  }

  /** Loss and jitter of what we received, the peer's view of our stream, the round-trip time (RTCP). */
  async quality(): Promise<MediaQuality> {
    return this.media.quality();
  }

  /** Whether the peer has put us on hold (its last offer was sendonly or inactive). */
  get held(): boolean {
    return this.heldByPeer;
  }

  play(samples: Int16Array): Promise<"done" | "stopped"> {
    return this.media.play(samples);
  }

  stopPlayback(): void {
    this.media.stopPlayback();
  }

  sendDtmf(digits: string, options?: DtmfSendOptions): Promise<void> {
    return this.media.sendDtmf(digits, options);
  }

  /** Keys from every source: RFC 4733, in-band tones, SIP INFO. */
  onDtmf(listener: (event: DtmfEvent) => void): () => void {
    return this.leg.onDtmf(listener);
  }

  onAudio(listener: (samples: Int16Array, packet: RtpPacket) => void): () => void {
    return this.media.onAudio(listener);
  }

  /** The peer put us on hold (`true`) or resumed (`false`). */
  onHold(listener: (held: boolean) => void): () => void {
    this.holdListeners.add(listener);
    return () => this.holdListeners.delete(listener);
  }

  /** Puts the peer on hold: re-INVITE with `a=sendonly` (RFC 3264 §8.4). */
  hold(): Promise<ReinviteOutcome> {
    return this.offerDirection("sendonly");
  }

  resume(): Promise<ReinviteOutcome> {
    return this.offerDirection("sendrecv");
  }

  async hangup(): Promise<void> {
    await this.leg.hangup();
    await this.media.close();
  }

  private async offerDirection(direction: "sendonly" | "sendrecv"): Promise<ReinviteOutcome> {
    const outcome = await this.leg.reinvite(this.media.offer(direction));
    if (outcome.ok && outcome.sdp !== undefined) this.media.acceptAnswer(outcome.sdp);
    return outcome;
  }

  private reinvited(offer: string | undefined): ReinviteReply {
    if (offer === undefined) return { sdp: this.media.offer() };
    const answer = this.media.answer(offer);
    if (!answer.ok) return { status: answer.status };
    // We may no longer send: the peer offered sendonly or inactive (or c=0.0.0.0), which is hold.
    const peerHolds = !sends(this.media.direction);
    if (peerHolds !== this.heldByPeer) {
      this.heldByPeer = peerHolds;
      for (const listener of this.holdListeners) {
        try {
          listener(peerHolds);
        } catch {
          // The application's listener; the re-INVITE is answered regardless.
        }
      }
    }
    return { sdp: answer.sdp };
  }
}
