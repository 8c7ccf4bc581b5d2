import type { Channel, ExceptionKind, ExitTarget, Presence, RedirectTarget, RoutingTarget, SkillRequirement } from "./model.js";

export interface JobClassification {
  readonly queueId: string;
  readonly priority: number;
  readonly requiredSkills: readonly SkillRequirement[];
}

/** What each routing event carries. Every event also has `at` and a `reason` an admin can read. */
export interface RoutingEventDataByType {
  /** The job entered a queue's line (new, moved there, or back after a failed transfer to a person). */
  "job.queued": {
    readonly jobId: string;
    readonly subject: string;
    readonly channel: Channel;
    readonly queueId: string;
    readonly priority: number;
    readonly requiredSkills: readonly SkillRequirement[];
    readonly enqueuedAt: Date;
    /** The queue it came from; null for a new job. */
    readonly previousQueueId: string | null;
  };
  "job.reclassified": {
    readonly jobId: string;
    readonly subject: string;
    readonly from: JobClassification;
    readonly to: JobClassification;
    readonly keptWaitTime: boolean;
  };
  "job.transferred": {
    readonly jobId: string;
    readonly subject: string;
    readonly fromQueueId: string;
    /** The worker who had it, when it was assigned. */
    readonly fromWorkerId: string | null;
    readonly target: RoutingTarget;
  };
  "offer.issued": {
    readonly offerId: string;
    readonly jobId: string;
    readonly subject: string;
    readonly workerId: string;
    readonly queueId: string;
    readonly channel: Channel;
    readonly issuedAt: Date;
    readonly expiresAt: Date;
    readonly directed: boolean;
  };
  "offer.accepted": OfferEnded;
  "offer.declined": OfferEnded;
  "offer.expired": OfferEnded;
  "offer.revoked": OfferEnded;
  "job.assigned": {
    readonly jobId: string;
    readonly subject: string;
    readonly workerId: string;
    readonly queueId: string;
    readonly offerId: string;
    /** From `enqueuedAt`. */
    readonly waitedMs: number;
  };
  /** An exception fired; `target` null: the queue's no-agents rule says queue anyway. */
  "job.exception": {
    readonly jobId: string;
    readonly subject: string;
    readonly queueId: string;
    readonly kind: ExceptionKind;
    readonly target: RedirectTarget | null;
  };
  /** The job left routing for a target the server carries out. Final. */
  "job.redirected": { readonly jobId: string; readonly subject: string; readonly queueId: string; readonly target: ExitTarget };
  /** Final. */
  "job.cancelled": { readonly jobId: string; readonly subject: string; readonly queueId: string };
  /** Final. */
  "job.completed": { readonly jobId: string; readonly subject: string; readonly queueId: string; readonly workerId: string };
  "worker.presence_changed": { readonly workerId: string; readonly from: Presence; readonly to: Presence };
  /** Also sent when a further completion extends a running wrap-up. */
  "worker.wrap_up_started": { readonly workerId: string; readonly jobId: string; readonly until: Date };
  "worker.wrap_up_ended": { readonly workerId: string };
}

export interface OfferEnded {
  readonly offerId: string;
  readonly jobId: string;
  readonly subject: string;
  readonly workerId: string;
}

export type RoutingEventType = keyof RoutingEventDataByType;

export type RoutingEventOf<T extends RoutingEventType> = {
  readonly type: T;
  readonly at: Date;
  /** Why it happened, for an admin: e.g. "no available agent in Billing has billing >= 2; 3 at full capacity, 1 away". */
  readonly reason: string;
  readonly data: RoutingEventDataByType[T];
};

export type RoutingEvent = { [T in RoutingEventType]: RoutingEventOf<T> }[RoutingEventType];

export const ROUTING_EVENT_TYPES: readonly RoutingEventType[] = [
  "job.queued",
  "job.reclassified",
  "job.transferred",
  "offer.issued",
  "offer.accepted",
  "offer.declined",
  "offer.expired",
  "offer.revoked",
  "job.assigned",
  "job.exception",
  "job.redirected",
  "job.cancelled",
  "job.completed",
  "worker.presence_changed",
  "worker.wrap_up_started",
  "worker.wrap_up_ended",
];
