import type { Channel, ChosenPresence, OfferOutcome, Presence, QueueConfig, SkillRequirement, WorkerConfig } from "./model.js";
import type { JobState, OfferState, QueueState, WorkerState } from "./state.js";

/**
 * The engine's whole state as plain JSON (times as ISO strings): what the store keeps, and what a
 * restarted node restores from. Everything else (indexes, the deadline heap) is rebuilt from it. The
 * lists may come in any order (e.g. assembled from a store's rows); `snapshot()` sorts them: queues and
 * workers by id, jobs by `seq`, offers by `issuedAt` then id.
 */
export interface RoutingSnapshot {
  readonly version: 1;
  readonly takenAt: string;
  /** The last arrival number handed out (ties in line order). */
  readonly seq: number;
  readonly queues: readonly QueueSnapshot[];
  readonly workers: readonly WorkerSnapshot[];
  readonly jobs: readonly JobSnapshot[];
  /** Live offers only. */
  readonly offers: readonly OfferSnapshot[];
  /** Outcomes of recently ended offers, so a late accept gets a precise error (optional: may be empty). */
  readonly recentOutcomes: readonly (readonly [string, OfferOutcome])[];
}

/**
 * What changed since the last `takeChanges()`: the rows to write (each the entity's whole row, as in a
 * snapshot) and the ids to delete. A store that applies them in order holds the rows of a snapshot.
 */
export interface RoutingChanges {
  readonly seq: number;
  readonly queues: readonly QueueSnapshot[];
  readonly workers: readonly WorkerSnapshot[];
  readonly jobs: readonly JobSnapshot[];
  readonly offers: readonly OfferSnapshot[];
  readonly removed: {
    readonly queues: readonly string[];
    readonly workers: readonly string[];
    readonly jobs: readonly string[];
    readonly offers: readonly string[];
  };
}

export interface QueueSnapshot {
  readonly config: QueueConfig;
  readonly joinRank: readonly (readonly [string, number])[];
  readonly nextRank: number;
  readonly rrLast: number;
}

export interface WorkerSnapshot {
  readonly config: WorkerConfig;
  readonly presence: Presence;
  readonly availableSince: string | null;
  readonly lastAssignedAt: string | null;
  readonly wrapUpUntil: string | null;
}

export interface JobSnapshot {
  readonly id: string;
  readonly subject: string;
  readonly channel: Channel;
  readonly queueId: string;
  readonly priority: number;
  readonly requiredSkills: readonly SkillRequirement[];
  readonly enqueuedAt: string;
  readonly seq: number;
  readonly queueEnteredAt: string;
  /** When its queue's timeout fires; null without one, or while a timeout already sent it to a person. */
  readonly timeoutAt: string | null;
  readonly status: "queued" | "offered" | "assigned";
  readonly declined: readonly (readonly [string, string])[];
  readonly workerId: string | null;
  readonly assignedAt: string | null;
  readonly units: number;
}

export interface OfferSnapshot {
  readonly id: string;
  readonly jobId: string;
  readonly workerId: string;
  readonly issuedAt: string;
  readonly expiresAt: string;
  readonly units: number;
  readonly directed: boolean;
}

export const isChosenPresence = (p: unknown): p is ChosenPresence =>
  p === "available" || p === "busy" || p === "away" || p === "offline";

export const iso = (ms: number): string => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));
export const ms = (text: string): number => new Date(text).getTime();
export const msOrNull = (text: string | null): number | null => (text === null ? null : ms(text));

export const queueRow = (q: QueueState): QueueSnapshot => ({
  config: q.config,
  joinRank: [...q.joinRank].sort((a, b) => a[1] - b[1]),
  nextRank: q.nextRank,
  rrLast: q.rrLast,
});

export const workerRow = (w: WorkerState): WorkerSnapshot => ({
  config: w.config,
  presence: w.presence,
  availableSince: isoOrNull(w.availableSince),
  lastAssignedAt: isoOrNull(w.lastAssignedAt),
  wrapUpUntil: isoOrNull(w.wrapUpUntil),
});

export const jobRow = (j: JobState): JobSnapshot => ({
  id: j.id,
  subject: j.subject,
  channel: j.channel,
  queueId: j.queue.config.id,
  priority: j.priority,
  requiredSkills: j.requiredSkills.map((r) => ({ ...r })),
  enqueuedAt: iso(j.enqueuedAt),
  seq: j.seq,
  queueEnteredAt: iso(j.queueEnteredAt),
  timeoutAt: isoOrNull(j.timeoutAt),
  status: j.status,
  declined: [...j.declined]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([workerId, until]) => [workerId, iso(until)] as const),
  workerId: j.worker?.id ?? null,
  assignedAt: isoOrNull(j.assignedAt),
  units: j.units,
});

export const offerRow = (o: OfferState): OfferSnapshot => ({
  id: o.id,
  jobId: o.job.id,
  workerId: o.worker.id,
  issuedAt: iso(o.issuedAt),
  expiresAt: iso(o.expiresAt),
  units: o.units,
  directed: o.directed,
});

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The order `snapshot()` gives and `restore` relies on for offers (the order they were issued). */
export function canonical(s: RoutingSnapshot): RoutingSnapshot {
  return {
    ...s,
    queues: [...s.queues].sort((a, b) => byText(a.config.id, b.config.id)),
    workers: [...s.workers].sort((a, b) => byText(a.config.id, b.config.id)),
    jobs: [...s.jobs].sort((a, b) => a.seq - b.seq),
    offers: [...s.offers].sort((a, b) => ms(a.issuedAt) - ms(b.issuedAt) || byText(a.id, b.id)),
  };
}
