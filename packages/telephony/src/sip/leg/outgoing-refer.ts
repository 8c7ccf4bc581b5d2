import type { Scheduler, TimerHandle } from "../../scheduler/scheduler.js";
import type { SipRequest } from "../message/model.js";
import { parseSipfrag } from "./sipfrag.js";

/** One progress report of a transfer we asked for: the status line of the referee's request. */
export interface ReferProgress {
  readonly status: number;
  readonly reason: string;
}

/** How a transfer we asked for ended. */
export type ReferOutcome =
  /** The referee reached the target (a final 2xx in its NOTIFY). */
  | { readonly kind: "succeeded"; readonly status: number }
  /** The referee tried and failed (a final failure in its NOTIFY). */
  | { readonly kind: "failed"; readonly status: number }
  /** The REFER itself was refused (403, 603, 481 ...) or got no answer (408). */
  | { readonly kind: "rejected"; readonly status: number }
  /** Accepted with no report to come (`Refer-Sub: false`), or the subscription or call ended before a final one. */
  | { readonly kind: "unknown"; readonly why: "no-subscription" | "terminated" | "call-ended" | "timeout" };

/** How long we wait for a final report when the notifier's expiry is not known yet. */
const DEFAULT_WAIT_SECONDS = 180;

/**
 * A REFER we sent (RFC 3515), seen from the referrer: `accepted` settles with the REFER's final status;
 * NOTIFYs of its implicit subscription arrive as progress; `outcome` settles on the first final status, on
 * the subscription's end, on the call's end, or after the expiry the notifier announced (plus a grace).
 */
export class OutgoingRefer {
  private readonly progressListeners = new Set<(progress: ReferProgress) => void>();
  private resolveAccepted: (status: number) => void = () => undefined;
  private resolveOutcome: (outcome: ReferOutcome) => void = () => undefined;
  private settled = false;
  private timer: TimerHandle | undefined;
  /** Final status of the REFER transaction. */
  readonly accepted: Promise<number>;
  readonly outcome: Promise<ReferOutcome>;
  /** Every report received, in order. */
  readonly progress: ReferProgress[] = [];

  constructor(
    /** The REFER's CSeq: NOTIFYs name it in `Event: refer;id=`. */
    readonly id: number,
    private readonly scheduler: Scheduler,
    private readonly onSettled: () => void,
  ) {
    this.accepted = new Promise((resolve) => {
      this.resolveAccepted = resolve;
    });
    this.outcome = new Promise((resolve) => {
      this.resolveOutcome = resolve;
    });
  }

  onProgress(listener: (progress: ReferProgress) => void): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  /** The final response to our REFER. */
  answered(status: number, subscribed: boolean): void {
    this.resolveAccepted(status);
    if (status >= 300) this.settle({ kind: "rejected", status });
    else if (!subscribed) this.settle({ kind: "unknown", why: "no-subscription" });
    else if (!this.timer && !this.settled) this.wait(DEFAULT_WAIT_SECONDS);
  }

  /** A NOTIFY of this subscription; returns the status to answer it with. */
  notified(request: SipRequest): number {
    const report = parseSipfrag(request.body.toString("utf8"));
    const state = (request.headers.get("Subscription-State") ?? "").trim().toLowerCase();
    const terminated = state.startsWith("terminated");
    if (!report && !terminated) return 400;
    if (this.settled) return terminated ? 200 : 481;
    if (report) {
      this.progress.push(report);
      for (const listener of [...this.progressListeners]) {
        try {
          listener(report);
        } catch {
          // The application's listener must not change our answer to the NOTIFY.
        }
      }
      if (report.status >= 200) {
        this.settle({ kind: report.status < 300 ? "succeeded" : "failed", status: report.status });
        return 200;
      }
    }
    if (terminated) {
      this.settle({ kind: "unknown", why: "terminated" });
      return 200;
    }
    const expires = /;\s*expires\s*=\s*(\d+)/.exec(state)?.[1];
    if (expires !== undefined) this.wait(Number(expires) + 32);
    return 200;
  }

  /** The call ended before a final report. */
  ended(): void {
    this.resolveAccepted(481);
    this.settle({ kind: "unknown", why: "call-ended" });
  }

  private wait(seconds: number): void {
    this.timer?.cancel();
    this.timer = this.scheduler.schedule(seconds * 1000, () => this.settle({ kind: "unknown", why: "timeout" }));
  }

  private settle(outcome: ReferOutcome): void {
    if (this.settled) return;
    this.settled = true;
    this.timer?.cancel();
    this.timer = undefined;
    this.resolveOutcome(outcome);
    this.onSettled();
  }
}
