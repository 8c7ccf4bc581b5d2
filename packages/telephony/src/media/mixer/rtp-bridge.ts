import type { Bridge, BridgeEnd } from "@switchboard/core";
import { LegFeed, type MixerConnection, type MixerPort } from "./mixer-port.js";

export interface BridgeOptions {
  /**
   * Keys one party sends as RFC 4733 events or SIP INFO are sent on to the other party as keys (RFC 4733 when
   * its side negotiated it, tones otherwise), default true: a caller bridged to an outside IVR or voicemail
   * over a trunk must be able to dial through. Keys heard as tones in the audio are not regenerated, since the
   * tones already travel with the audio. Either way every key is reported on the leg that pressed it.
   */
  readonly forwardKeys?: boolean;
}

/**
 * Two legs hearing each other through Switchboard: each one's feed is the other's received frame of the same
 * tick, decoded to linear, so PCMU meets PCMA without either side noticing. RFC 4733 events never enter the
 * audio (the media session takes them out before decoding), so a key is not heard as a stray tone.
 */
export class RtpBridge implements Bridge, MixerConnection {
  readonly legIds: readonly [string, string];
  readonly ended: Promise<BridgeEnd>;
  private resolveEnded: (end: BridgeEnd) => void = () => undefined;
  private over = false;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly a: MixerPort,
    private readonly b: MixerPort,
    private readonly options: BridgeOptions = {},
  ) {
    this.legIds = [a.legId, b.legId];
    this.ended = new Promise((resolve) => {
      this.resolveEnded = resolve;
    });
  }

  /** Reports the start to both legs, then connects them (a leg that already ended ends the bridge at once). */
  start(): this {
    const event = { type: "bridge.started", legIds: this.legIds } as const;
    this.a.report(event);
    this.b.report(event);
    if (this.options.forwardKeys ?? true) {
      this.unsubscribe.push(this.forward(this.a, this.b), this.forward(this.b, this.a));
    }
    this.a.connect(this, new LegFeed(this.b));
    if (!this.over) this.b.connect(this, new LegFeed(this.a));
    return this;
  }

  unbridge(): void {
    this.end("unbridged");
  }

  release(_legId: string, reason: "replaced" | "hung-up"): void {
    this.end(reason === "hung-up" ? "hung-up" : "unbridged");
  }

  private forward(from: MixerPort, to: MixerPort): () => void {
    return from.onKey((event) => {
      if (event.source !== "inband" && to.active) void to.sendKeys(event.digit);
    });
  }

  private end(reason: BridgeEnd): void {
    if (this.over) return;
    this.over = true;
    for (const unsubscribe of this.unsubscribe.splice(0)) unsubscribe();
    this.a.disconnect(this);
    this.b.disconnect(this);
    const event = { type: "bridge.ended", legIds: this.legIds, reason } as const;
    this.a.report(event);
    this.b.report(event);
    this.resolveEnded(reason);
  }
}
