import { randomUUID } from "node:crypto";
import type { Bridge, CallLegMedia, Conference, IdGenerator, MediaMixer } from "@switchboard/core";
import { DomainError } from "@switchboard/core";
import { mixerPortOf } from "./mixer-port.js";
import { type BridgeOptions, RtpBridge } from "./rtp-bridge.js";
import { RtpConference } from "./rtp-conference.js";

export interface RtpMediaMixerOptions extends BridgeOptions {
  /** Conference ids (default random UUIDs; the server passes its sortable ids). */
  readonly ids?: IdGenerator;
}

/**
 * Connects legs whose media Switchboard anchors. It owns no timer and no thread: bridges and conferences are
 * frame sources that the legs' media sessions pull on the shared media clock's ticks, so mixing happens inside
 * the same 20 ms pass that sends the packets. Legs mixed together must run on the same `MediaClock`.
 *
 * Precedence on a leg, per tick: its play queue (a prompt, a whisper, in-band keys), then its hold music, then
 * the bridge or conference, then silence. So a prompt played to a bridged leg replaces what it hears from the
 * bridge while it plays (the other party keeps hearing the leg), and a held leg hears its music and is not
 * heard. A leg is in at most one bridge or conference: connecting it elsewhere ends the bridge (`unbridged`)
 * or makes it leave the conference.
 */
export class RtpMediaMixer implements MediaMixer {
  constructor(private readonly options: RtpMediaMixerOptions = {}) {}

  bridge(a: CallLegMedia, b: CallLegMedia): Bridge {
    const portA = mixerPortOf(a);
    const portB = mixerPortOf(b);
    if (portA === portB || a.id === b.id) {
      throw new DomainError("media.bridge_same_leg", "invalid", `Leg ${a.id} cannot be bridged with itself.`);
    }
    return new RtpBridge(portA, portB, this.options).start();
  }

  conference(): Conference {
    return new RtpConference(this.options.ids?.next() ?? randomUUID(), this.options);
  }
}
