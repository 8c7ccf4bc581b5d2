import type { Scheduler, TimerHandle } from "../../scheduler/scheduler.js";
import type { SipRequest } from "../message/model.js";
import type { NameAddr } from "../message/name-addr.js";
import type { OutgoingLeg } from "./outgoing-leg.js";
import { formatSipfrag } from "./sipfrag.js";

/** A transfer request that reached one of our legs (RFC 3515). */
export interface IncomingRefer {
  /** Refer-To: where the referrer wants the call to go (its URI may embed a Replaces for an attended transfer). */
  readonly target: NameAddr;
  /** Referred-By (RFC 3892), when present. */
  readonly referredBy?: NameAddr;
  readonly request: SipRequest;
  /** Progress reports back to the referrer; sent once the REFER is accepted. */
  readonly subscription: ReferSubscription;
  /** Declines the transfer (403, 603 ...) instead of accepting it when the handler returns. */
  reject(status: number): void;
}

/**
 * Decides on a REFER: when it returns (or its promise settles) the REFER is accepted with 202, unless it
 * called `refer.reject`. It may start the referred call at once: reports wait for the 202.
 */
export type ReferHandler = (refer: IncomingRefer) => void | Promise<void>;

/** How a leg sends a NOTIFY with a sipfrag body in its dialog; resolves with the final status (408/503 when none came). */
export type NotifySender = (headers: readonly (readonly [string, string])[], body: string) => Promise<number>;

export type ReferSubscriptionState = "pending" | "active" | "terminated";

/**
 * The implicit subscription a REFER creates (RFC 3515 §2.4.4, RFC 6665): the referee reports how its
 * request to the Refer-To target goes with NOTIFYs of `Event: refer;id=<REFER's CSeq>` carrying a sipfrag
 * status line. The first one (100 Trying) goes out right after the 202; a final status (>= 200) terminates
 * the subscription, as does its expiry. NOTIFYs leave one at a time, in order. With `Refer-Sub: false`
 * (RFC 4488) the referrer asked for none and nothing is sent.
 */
export class ReferSubscription {
  private current: ReferSubscriptionState = "pending";
  private queue: Promise<unknown> = Promise.resolve();
  private waiting: { status: number; reason?: string }[] = [];
  private last = formatSipfrag(100);
  private expiry: TimerHandle | undefined;
  private activeSince = 0;

  constructor(
    private readonly send: NotifySender,
    /** The REFER's CSeq number: the `id` of its Event. */
    readonly id: number,
    private readonly scheduler: Scheduler,
    private readonly expiresSeconds: number,
    /** False when the referrer sent `Refer-Sub: false`. */
    readonly subscribed: boolean,
  ) {}

  get state(): ReferSubscriptionState {
    return this.current;
  }

  /**
   * Reports the referred request's progress: 100 (Trying), 180, 183 ... are interim; 200 or a failure ends
   * the subscription. Resolves when the NOTIFY is answered (at once when there is nothing to send).
   */
  notify(status: number, reason?: string): Promise<void> {
    if (this.current === "terminated") return Promise.resolve();
    if (this.current === "pending") {
      if (!this.waiting.some((report) => report.status >= 200)) {
        this.waiting.push({ status, ...(reason === undefined ? {} : { reason }) });
      }
      return Promise.resolve();
    }
    return this.enqueue(formatSipfrag(status, reason), status >= 200 ? "noresubscription" : undefined);
  }

  /** Maps an outgoing call's progress to notifications: provisional responses, then its final status. */
  trackLeg(leg: OutgoingLeg): void {
    leg.onProgress((response) => void this.notify(response.status, response.reason));
    void leg.answered.then((outcome) => {
      if (outcome.ok) void this.notify(outcome.response.status, outcome.response.reason);
      else void this.notify(outcome.status, outcome.response?.reason);
    });
  }

  /** The 202 went out: the initial NOTIFY, then whatever the application reported meanwhile. */
  start(): void {
    if (this.current !== "pending") return;
    if (!this.subscribed) {
      this.current = "terminated";
      return;
    }
    const waiting = this.waiting;
    this.waiting = [];
    this.current = "active";
    this.activeSince = this.scheduler.now();
    void this.enqueue(formatSipfrag(100), undefined);
    this.expiry = this.scheduler.schedule(this.expiresSeconds * 1000, () => {
      this.expiry = undefined;
      if (this.current === "active") void this.enqueue(this.last, "timeout");
    });
    for (const { status, reason } of waiting) void this.notify(status, reason);
  }

  /** The dialog ended: a subscription inside it ends too, without a NOTIFY. */
  end(): void {
    this.current = "terminated";
    this.waiting = [];
    this.expiry?.cancel();
    this.expiry = undefined;
  }

  private enqueue(body: string, terminatedBecause: string | undefined): Promise<void> {
    this.last = body;
    if (terminatedBecause !== undefined) {
      this.current = "terminated";
      this.expiry?.cancel();
      this.expiry = undefined;
    }
    const run = this.queue.then(async () => {
      const remaining = Math.max(0, Math.ceil(this.expiresSeconds - (this.scheduler.now() - this.activeSince) / 1000));
      const state = terminatedBecause === undefined ? `active;expires=${remaining}` : `terminated;reason=${terminatedBecause}`;
      const status = await this.send(
        [
          ["Event", `refer;id=${this.id}`],
          ["Subscription-State", state],
        ],
        body,
      );
      // RFC 6665 §4.2.2.1: a 481 (or no answer) to a NOTIFY means the subscriber is gone.
      if (status === 481 || status === 408) this.end();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}
