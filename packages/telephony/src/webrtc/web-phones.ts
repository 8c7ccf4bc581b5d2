import {
  ANSWERED_ELSEWHERE,
  type CallLegMedia,
  DECLINED_ELSEWHERE,
  type DialOptions,
  type DialOutcome,
  forkDial,
} from "@switchboard/core";
import { type Scheduler, systemScheduler } from "../scheduler/scheduler.js";
import type { LegEnd } from "../sip/leg/model.js";
import { WebRtcLeg, type WebRtcLegOptions } from "./webrtc-leg.js";

/** What a browser is told when its media never came up (`call.ended` reason `failed`). */
export const MEDIA_NOT_CONNECTED = "no media connection (ICE or DTLS failed: a firewall, or a TURN server is needed)";

/** Why a browser's call stopped ringing or ended, as the browser is told (`call.ended`). */
export type WebCallEndReason =
  | "hangup"
  | "remote_hangup"
  | "cancelled"
  | "answered_elsewhere"
  | "timeout"
  | "busy"
  | "declined"
  | "unreachable"
  | "failed";

/** What a ringing browser is shown, with our SDP offer to answer. */
export interface WebPhoneInvite {
  readonly legId: string;
  readonly callId: string;
  readonly offerId: string | null;
  readonly from: { readonly number: string | null; readonly name: string | null };
  readonly queueName: string | null;
  readonly sdp: string;
}

/** A browser registered to take calls (an agent desktop's real-time socket): how the dialer talks to it. */
export interface WebPhone {
  readonly id: string;
  /** The browser rings with this offer. */
  ring(invite: WebPhoneInvite): void;
  /** Our answer to a call the browser places (`call.place`): it rings the other party now. */
  placing(requestId: string, legId: string, callId: string, sdp: string): void;
  /** Its answer was taken and media is up (or: the call it placed was answered). */
  connected(legId: string, callId: string): void;
  /** A person took the call the browser placed into a queue. */
  answered(legId: string, by: { readonly name: string | null }): void;
  /** The leg stopped ringing, or ended. */
  ended(legId: string, reason: WebCallEndReason, detail?: string): void;
}

/** A browser leg placed, for call records. */
export interface PlacedWebLeg {
  readonly legId: string;
  readonly tenantId: string;
  readonly identityId: string;
  readonly options: DialOptions;
  /** Settles true once answered with media up, false when it never was. */
  readonly answered: Promise<boolean>;
  readonly leg: WebRtcLeg;
}

export interface WebPhonesOptions {
  /** Media settings of each new leg (clock, bind address, ICE servers, ports). */
  readonly leg: () => WebRtcLegOptions;
  readonly newLegId: () => string;
  /** Makes the answered leg one a flow can drive. */
  legFor(leg: WebRtcLeg, ids: { readonly legId: string; readonly tenantId: string; readonly callId: string }): CallLegMedia;
  /** The queue's name, for what the ringing browser shows. */
  queueName?(tenantId: string, queueId: string): Promise<string | undefined>;
  onLeg?(leg: PlacedWebLeg): void;
  /** How long ICE and DTLS may take after the answer before the leg counts as failed (default 10 s). */
  readonly mediaTimeoutMs?: number;
  readonly scheduler?: Scheduler;
}

/** What the browser's frame did, for its answer: a frame about a leg that is not (or no longer) its own is refused. */
export type WebPhoneReply = { readonly ok: true } | { readonly ok: false; readonly reason: "unknown_leg" };

interface RingingLeg {
  readonly phone: WebPhone;
  readonly leg: WebRtcLeg;
  readonly tenantId: string;
  readonly identityId: string;
  readonly options: DialOptions;
  settle(outcome: DialOutcome, reason?: WebCallEndReason, detail?: string): void;
  /** Whether ringing already ended (the caller gave up, the ring timed out) while the answer was being set up. */
  isSettled(): boolean;
}

interface ConnectedLeg {
  readonly phone: WebPhone;
  readonly leg: WebRtcLeg;
  readonly tenantId: string;
  readonly identityId: string;
  hungUpByBrowser: boolean;
  /** The browser was already told why the leg ends. */
  told?: boolean;
}

/**
 * Browsers that take calls, and the dialer that rings them: an agent's desktops register their real-time
 * sockets; dialing the agent offers a new `WebRtcLeg` to each at once (our SDP offer in `call.incoming`), the
 * first to answer gets the call once its media is up, the others stop ringing. A ringing browser may reject;
 * ringing stops at the ring timeout, when the caller gives up, or when another device answered. A connected
 * leg ends when either side hangs up (the browser by a frame, or by closing its peer connection).
 *
 * Registrations live in this process: a browser rings for calls whose media this node carries.
 */
export class WebPhones {
  private readonly phones = new Map<string, Map<string, WebPhone>>();
  /** Browsers registered per tenant: an extension dial looks its person up only where some may ring. */
  private readonly perTenant = new Map<string, number>();
  private readonly ringing = new Map<string, RingingLeg>();
  private readonly connected = new Map<string, ConnectedLeg>();
  private readonly scheduler: Scheduler;

  constructor(private readonly options: WebPhonesOptions) {
    this.scheduler = options.scheduler ?? systemScheduler;
  }

  register(tenantId: string, identityId: string, phone: WebPhone): void {
    const key = keyOf(tenantId, identityId);
    const phones = this.phones.get(key) ?? new Map<string, WebPhone>();
    if (!phones.has(phone.id)) this.perTenant.set(tenantId, (this.perTenant.get(tenantId) ?? 0) + 1);
    phones.set(phone.id, phone);
    this.phones.set(key, phones);
  }

  /** The browser no longer takes calls (it said so, or its socket closed): its ringing legs fail; connected ones go on. */
  unregister(tenantId: string, identityId: string, phoneId: string): void {
    const key = keyOf(tenantId, identityId);
    const phones = this.phones.get(key);
    if (phones?.delete(phoneId)) {
      const left = (this.perTenant.get(tenantId) ?? 1) - 1;
      if (left > 0) this.perTenant.set(tenantId, left);
      else this.perTenant.delete(tenantId);
    }
    if (phones?.size === 0) this.phones.delete(key);
    for (const ringing of [...this.ringing.values()]) {
      if (ringing.phone.id === phoneId) ringing.settle({ ok: false, failure: "unreachable" });
    }
  }

  /** Whether any browser of the tenant takes calls. */
  anyRegistered(tenantId: string): boolean {
    return this.perTenant.has(tenantId);
  }

  isRegistered(tenantId: string, identityId: string): boolean {
    return (this.phones.get(keyOf(tenantId, identityId))?.size ?? 0) > 0;
  }

  /** Rings every browser the agent registered; `not-registered` when there is none. */
  dial(tenantId: string, identityId: string, options: DialOptions): Promise<DialOutcome> {
    const phones = [...(this.phones.get(keyOf(tenantId, identityId))?.values() ?? [])];
    return forkDial(
      phones.map((phone) => (branch: DialOptions) => this.ring(phone, tenantId, identityId, branch)),
      options,
    );
  }

  /** The browser's answer to a leg ringing it. */
  async answer(phoneId: string, legId: string, sdp: string): Promise<WebPhoneReply> {
    const ringing = this.ringing.get(legId);
    if (!ringing || ringing.phone.id !== phoneId) return { ok: false, reason: "unknown_leg" };
    this.ringing.delete(legId);
    const accepted = await ringing.leg.acceptAnswer(sdp);
    if (!accepted.ok) {
      ringing.settle({ ok: false, failure: "unreachable", status: accepted.status }, "failed", accepted.reason);
      return { ok: true };
    }
    const up = await ringing.leg.whenConnected(this.options.mediaTimeoutMs ?? 10_000);
    if (ringing.isSettled()) return { ok: true };
    if (!up) {
      ringing.settle({ ok: false, failure: "unreachable" }, "failed", MEDIA_NOT_CONNECTED);
      return { ok: true };
    }
    this.track(ringing.tenantId, ringing.identityId, ringing.phone, legId, ringing.leg);
    const media = this.options.legFor(ringing.leg, { legId, tenantId: ringing.tenantId, callId: ringing.options.callId });
    ringing.phone.connected(legId, ringing.options.callId);
    ringing.settle({ ok: true, leg: media });
    return { ok: true };
  }

  /**
   * A leg of this browser's that is set up elsewhere (a call the browser places): from now on the browser may hang
   * it up, and is told when it ends.
   */
  track(tenantId: string, identityId: string, phone: WebPhone, legId: string, leg: WebRtcLeg): void {
    const connected: ConnectedLeg = { phone, leg, tenantId, identityId, hungUpByBrowser: false };
    this.connected.set(legId, connected);
    leg.onEnded((end: LegEnd) => {
      this.connected.delete(legId);
      // Told once: a leg whose end the placing side already explained (busy, no answer) is not told again.
      if (connected.told) return;
      const reason: WebCallEndReason = connected.hungUpByBrowser || end.by === "remote" ? "hangup" : "remote_hangup";
      phone.ended(legId, reason);
    });
  }

  /** Ends a tracked leg, telling the browser why (a call it placed that did not get through). */
  async end(legId: string, reason: WebCallEndReason, detail?: string): Promise<void> {
    const connected = this.connected.get(legId);
    if (!connected) return;
    connected.told = true;
    connected.phone.ended(legId, reason, detail);
    await connected.leg.hangup();
  }

  /** The browser refused the call (or could not get its microphone). */
  reject(phoneId: string, legId: string, reason: "declined" | "busy" | "media_refused"): WebPhoneReply {
    const ringing = this.ringing.get(legId);
    if (!ringing || ringing.phone.id !== phoneId) return { ok: false, reason: "unknown_leg" };
    ringing.settle(
      reason === "busy" ? { ok: false, failure: "busy", status: 486 } : { ok: false, failure: "rejected", status: 603 },
      "hangup",
    );
    return { ok: true };
  }

  /** The browser hangs up: a ringing leg is refused, a connected one ends (any socket of the same agent may). */
  async hangup(tenantId: string, identityId: string, phoneId: string, legId: string): Promise<WebPhoneReply> {
    if (this.ringing.get(legId)?.phone.id === phoneId) return this.reject(phoneId, legId, "declined");
    const connected = this.connected.get(legId);
    if (!connected || connected.tenantId !== tenantId || connected.identityId !== identityId) {
      return { ok: false, reason: "unknown_leg" };
    }
    connected.hungUpByBrowser = true;
    await connected.leg.hangup();
    return { ok: true };
  }

  /** Ends every leg (the server is closing). */
  async close(): Promise<void> {
    for (const ringing of [...this.ringing.values()]) ringing.settle({ ok: false, failure: "unreachable" }, "failed");
    await Promise.all([...this.connected.values()].map((c) => c.leg.hangup()));
  }

  private async ring(phone: WebPhone, tenantId: string, identityId: string, options: DialOptions): Promise<DialOutcome> {
    const legId = this.options.newLegId();
    const leg = new WebRtcLeg(this.options.leg());
    let sdp: string;
    try {
      sdp = await leg.offer();
    } catch {
      await leg.hangup();
      return { ok: false, failure: "unreachable" };
    }
    const queueName =
      options.offer && this.options.queueName
        ? await this.options.queueName(tenantId, options.offer.queueId).catch(() => undefined)
        : undefined;
    let answered: (up: boolean) => void = () => undefined;
    this.options.onLeg?.({
      legId,
      tenantId,
      identityId,
      options,
      leg,
      answered: new Promise((resolve) => {
        answered = resolve;
      }),
    });
    return new Promise<DialOutcome>((resolve) => {
      let settled = false;
      const settle = (outcome: DialOutcome, reason?: WebCallEndReason, detail?: string) => {
        if (settled) return;
        settled = true;
        timer.cancel();
        this.ringing.delete(legId);
        answered(outcome.ok);
        if (!outcome.ok) {
          if (reason !== undefined) phone.ended(legId, reason, detail);
          void leg.hangup();
        }
        resolve(outcome);
      };
      const timer = this.scheduler.schedule(options.ringTimeoutMs ?? 30_000, () =>
        settle({ ok: false, failure: "no-answer", status: 408 }, "timeout"),
      );
      void options.abandon?.then((why) => {
        const stopped = { ok: false, failure: "cancelled", status: 487 } as const;
        if (why === ANSWERED_ELSEWHERE) settle(stopped, "answered_elsewhere");
        else if (why === DECLINED_ELSEWHERE) settle(stopped, "cancelled", "declined on another device");
        else settle(stopped, "cancelled");
      });
      this.ringing.set(legId, { phone, leg, tenantId, identityId, options, settle, isSettled: () => settled });
      phone.ring({
        legId,
        callId: options.callId,
        offerId: options.offer?.id ?? null,
        from: { number: options.callerId ?? null, name: options.callerName ?? null },
        queueName: queueName ?? null,
        sdp,
      });
    });
  }
}

const keyOf = (tenantId: string, identityId: string) => `${tenantId}\n${identityId}`;
