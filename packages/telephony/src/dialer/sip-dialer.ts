import type { CallLegMedia, DialFailure, DialledTarget, DialOptions, DialOutcome } from "@switchboard/core";
import { Call, type CallOptions } from "../call/call.js";
import { type Scheduler, systemScheduler } from "../scheduler/scheduler.js";
import type { DigestCredentials } from "../sip/auth/digest-client.js";
import type { InviteOutcome } from "../sip/leg/outgoing-leg.js";
import type { Destination } from "../sip/transaction/model.js";
import type { UserAgent } from "../sip/user-agent.js";

/** One place to ring: a registered contact of a phone, or a number at a carrier. */
export interface DialRoute {
  /** The Request-URI. */
  readonly uri: string;
  /** Where the INVITE goes (the address a phone registered from, behind its NAT). */
  readonly destination?: Destination;
  /** The account to answer the carrier's challenge with. */
  readonly credentials?: DigestCredentials;
  /** Our From URI for this route (the caller ID the carrier presents). */
  readonly from?: string;
}

/** An outgoing leg, once it is known, for call records. */
export interface DialedLeg {
  readonly legId: string;
  readonly target: DialledTarget;
  readonly route: DialRoute;
  readonly call: Call;
  readonly options: DialOptions;
  /** Settles with the final response to the INVITE. */
  readonly answered: Promise<InviteOutcome>;
}

export interface SipDialerOptions {
  readonly agent: UserAgent;
  /** Media settings for each new leg (ports, clock, the address in our SDP). */
  readonly media: CallOptions;
  /** Where an extension rings: every contact its phones registered (forking, first answer wins). */
  routesToExtension(tenantId: string, extension: string): Promise<readonly DialRoute[]>;
  /** Where a number goes: the tenant's outbound trunk; none when it has no trunk for it. */
  routesToNumber(tenantId: string, e164: string): Promise<readonly DialRoute[]>;
  /** Makes the answered call a leg a flow can drive. */
  legFor(call: Call, leg: { readonly legId: string; readonly tenantId: string; readonly callId: string }): CallLegMedia;
  /** Ids of new legs. */
  newLegId(): string;
  /** Told about every leg placed (ringing), so the call record can follow it. */
  onLeg?(leg: DialedLeg): void;
  readonly scheduler?: Scheduler;
}

interface Attempt {
  readonly legId: string;
  readonly call: Call;
  readonly answered: Promise<InviteOutcome>;
}

/**
 * Places outgoing legs for call flows (the core's `Dialer`): an extension rings every phone registered
 * for it at once and the first to answer gets the call, the others are cancelled; a number goes out
 * through the tenant's trunk. Ringing stops at the ring timeout (no-answer) or when the caller gives up
 * (`abandon`, cancelled). Failures are told apart by SIP status so a flow can say why.
 */
export class SipDialer {
  private readonly scheduler: Scheduler;

  constructor(private readonly options: SipDialerOptions) {
    this.scheduler = options.scheduler ?? systemScheduler;
  }

  async dial(target: DialledTarget, options: DialOptions): Promise<DialOutcome> {
    const routes =
      target.kind === "extension"
        ? await this.options.routesToExtension(options.tenantId, target.extension)
        : await this.options.routesToNumber(options.tenantId, target.e164);
    if (routes.length === 0) return { ok: false, failure: target.kind === "extension" ? "not-registered" : "unreachable" };
    const attempts = await Promise.all(routes.map((route) => this.place(target, route, options)));
    const outcome = await this.race(attempts, options);
    return outcome.ok && target.kind === "extension" ? { ...outcome, extension: target.extension } : outcome;
  }

  private async place(target: DialledTarget, route: DialRoute, options: DialOptions): Promise<Attempt> {
    const legId = this.options.newLegId();
    const from = route.from ?? (options.callerId ? callerUri(options.callerId, this.options.agent) : undefined);
    const { call, answered } = await Call.dial(this.options.agent, route.uri, {
      ...this.options.media,
      ...(route.destination ? { destination: route.destination } : {}),
      ...(route.credentials ? { credentials: route.credentials } : {}),
      ...(from ? { from } : {}),
      ...(options.callerName ? { fromDisplayName: options.callerName } : {}),
    });
    this.options.onLeg?.({ legId, target, route, call, options, answered });
    return { legId, call, answered };
  }

  private race(attempts: readonly Attempt[], options: DialOptions): Promise<DialOutcome> {
    return new Promise((resolve) => {
      let settled = false;
      let failures = 0;
      const statuses: number[] = [];
      const stopAll = (except?: Attempt) => {
        for (const attempt of attempts) if (attempt !== except) void attempt.call.hangup();
      };
      const finish = (outcome: DialOutcome, winner?: Attempt) => {
        if (settled) return;
        settled = true;
        timer.cancel();
        stopAll(winner);
        resolve(outcome);
      };
      const timer = this.scheduler.schedule(options.ringTimeoutMs ?? 30_000, () =>
        finish({ ok: false, failure: "no-answer", status: 408 }),
      );
      void options.abandon?.then(() => finish({ ok: false, failure: "cancelled", status: 487 }));
      for (const attempt of attempts) {
        void attempt.answered.then((outcome) => {
          if (outcome.ok) {
            if (settled) {
              // Answered just as the race was decided: that phone is hung up.
              void attempt.call.hangup();
              return;
            }
            const leg = this.options.legFor(attempt.call, {
              legId: attempt.legId,
              tenantId: options.tenantId,
              callId: options.callId,
            });
            finish({ ok: true, leg }, attempt);
            return;
          }
          statuses.push(outcome.status);
          failures += 1;
          if (failures === attempts.length) {
            const status = mostTelling(statuses);
            finish({ ok: false, failure: failureOf(status), status });
          }
        });
      }
    });
  }
}

/** Of several branches' failures, the one that says most (RFC 3261 §16.7: 6xx, then busy, then the rest). */
function mostTelling(statuses: readonly number[]): number {
  return (
    statuses.find((s) => s >= 600) ??
    statuses.find((s) => s === 486) ??
    statuses.find((s) => s !== 408 && s !== 480 && s !== 487) ??
    statuses[0] ??
    500
  );
}

function failureOf(status: number): DialFailure {
  if (status === 486 || status === 600) return "busy";
  if (status === 603) return "rejected";
  if (status === 408 || status === 480 || status === 487) return "no-answer";
  return "unreachable";
}

/** A caller ID as our From URI: `sip:+15551234567@<our host>`. */
function callerUri(callerId: string, agent: UserAgent): string {
  const user = callerId.replace(/[^0-9+*#a-zA-Z._-]/g, "") || "anonymous";
  const host = agent.transport.host.includes(":") ? `[${agent.transport.host}]` : agent.transport.host;
  return `sip:${user}@${host}`;
}
