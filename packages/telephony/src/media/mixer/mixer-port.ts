import { type CallLegMedia, DomainError, type MediaEvent } from "@switchboard/core";
import type { DtmfEvent } from "../../rtp/dtmf/digits.js";
import type { FrameSource } from "../frame-source.js";

/** A bridge or a conference: what a leg is connected to, told when the leg leaves it on its own. */
export interface MixerConnection {
  /** The leg left: it joined another connection (`replaced`) or it ended (`hung-up`). */
  release(legId: string, reason: "replaced" | "hung-up"): void;
}

/**
 * What the mixer needs of a leg beyond the flow-facing `CallLegMedia`: its audio per tick, a slot for what it
 * hears, its keys, and its event listeners. Kept behind a symbol so that flows, which see only
 * `CallLegMedia`, cannot wire audio by hand; any leg carried by our media plane (RTP today, WebRTC later)
 * provides it.
 */
export interface MixerPort {
  readonly legId: string;
  /** False once the leg ended (or is ending: `hangup` was called). */
  readonly active: boolean;
  /**
   * The party's audio for this tick, or `undefined` when nothing arrived or the party is on hold (its audio is
   * not heard by others). Reused from tick to tick: read it within the tick.
   */
  heard(tick: number): Int16Array | undefined;
  /**
   * Makes `feed` what the party hears when no prompt and no hold music plays. The leg's previous connection,
   * if any, is released as `replaced`; a leg that already ended releases the new one at once as `hung-up`.
   */
  connect(connection: MixerConnection, feed: FrameSource): void;
  /** Disconnects the feed if `connection` is still the leg's connection. */
  disconnect(connection: MixerConnection): void;
  /** Keys the party pressed, from every source (RFC 4733, in-band, SIP INFO). */
  onKey(listener: (event: DtmfEvent) => void): () => void;
  /** Sends keys to the party (RFC 4733 when negotiated, else tones). */
  sendKeys(digits: string): Promise<void>;
  /** Reports an event to the leg's listeners (`onEvent`). */
  report(event: MediaEvent): void;
}

export const MIXER_PORT: unique symbol = Symbol("switchboard.mixer-port");

export interface MixableLeg extends CallLegMedia {
  readonly [MIXER_PORT]: MixerPort;
}

export function mixerPortOf(leg: CallLegMedia): MixerPort {
  const port = (leg as Partial<MixableLeg>)[MIXER_PORT];
  if (port === undefined) {
    throw new DomainError(
      "media.leg_not_mixable",
      "invalid",
      `Leg ${leg.id} is not carried by this media plane: it cannot be bridged or conferenced here.`,
    );
  }
  return port;
}

/** What a leg hears from one other leg: its frame of the tick, as is. */
export class LegFeed implements FrameSource {
  constructor(private readonly from: MixerPort) {}

  read(out: Int16Array, tick: number): boolean {
    const frame = this.from.heard(tick);
    if (frame === undefined) return false;
    out.set(frame);
    return true;
  }
}
