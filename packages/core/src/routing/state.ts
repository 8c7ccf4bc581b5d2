/**
 * The engine's internal, mutable state and its indexes. Times are epoch milliseconds. Nothing here is
 * exported from the package: the public shapes are in model.ts.
 */
import type { Channel, OfferOutcome, Presence, QueueConfig, SkillRequirement, WorkerConfig } from "./model.js";
import { SortedList } from "./sorted-list.js";

export interface OfferState {
  readonly id: string;
  readonly job: JobState;
  readonly worker: WorkerState;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly units: number;
  readonly directed: boolean;
  outcome: OfferOutcome | null;
}

/** Jobs of one queue that need the same thing of a worker (channel and skills), in line order. */
export interface JobGroup {
  readonly signature: string;
  readonly channel: Channel;
  readonly requiredSkills: readonly SkillRequirement[];
  readonly line: SortedList<JobState>;
}

export interface JobState {
  readonly id: string;
  readonly subject: string;
  readonly channel: Channel;
  queue: QueueState;
  priority: number;
  requiredSkills: readonly SkillRequirement[];
  /** Line order: priority (higher first), then enqueuedAt, then seq. */
  enqueuedAt: number;
  seq: number;
  queueEnteredAt: number;
  /** When the queue's timeout fires for it; null without a timeout rule. */
  timeoutAt: number | null;
  status: "queued" | "offered" | "assigned";
  /** Live offers by worker id. */
  readonly offers: Map<string, OfferState>;
  /** Worker id → until when they come after others (declined or missed it). */
  readonly declined: Map<string, number>;
  worker: WorkerState | null;
  assignedAt: number | null;
  /** Units it takes of its worker while assigned. */
  units: number;
  /** The line it waits in; null while not waiting. */
  group: JobGroup | null;
  live: boolean;
}

export interface WorkerState {
  readonly id: string;
  config: WorkerConfig;
  skills: Map<string, number>;
  /** Queues it belongs to and has not opted out of. */
  queues: QueueState[];
  presence: Presence;
  availableSince: number | null;
  lastAssignedAt: number | null;
  wrapUpUntil: number | null;
  load: number;
  reserved: number;
  /** Live offers by offer id, in the order they were issued. */
  readonly offers: Map<string, OfferState>;
  /** Assigned jobs by job id. */
  readonly jobs: Map<string, JobState>;
  /** In its queues' ready lists: available with room left. */
  ready: boolean;
  /** Sort keys for longest idle, as they were when it entered the ready lists. */
  keyRatio: number;
  keyIdle: number;
}

export interface QueueState {
  config: QueueConfig;
  /** Members who have not opted out. */
  readonly members: Set<WorkerState>;
  readonly optedOut: Set<WorkerState>;
  /** Members (not opted out) by presence. */
  readonly byPresence: Record<Presence, number>;
  /** Members that can take work now, in the order the distribution tries them. */
  ready: SortedList<WorkerState>;
  /** Order of joining, for round robin and for members missing from a serial order. */
  readonly joinRank: Map<string, number>;
  nextRank: number;
  /** Round robin: the join rank of the worker offered last. */
  rrLast: number;
  /** Waiting jobs, by what they need. */
  readonly groups: Map<string, JobGroup>;
  /** Live jobs in this queue, assigned or not. */
  readonly jobs: Set<JobState>;
  assigned: number;
  offered: number;
}

export const emptyPresenceCounts = (): Record<Presence, number> => ({ available: 0, busy: 0, away: 0, offline: 0, wrap_up: 0 });

/** Line order: higher priority first, then longer waiting, then earlier arrival. */
export function jobOrder(a: JobState, b: JobState): number {
  return b.priority - a.priority || a.enqueuedAt - b.enqueuedAt || a.seq - b.seq;
}

export function costOf(worker: WorkerState, channel: Channel): number | undefined {
  return worker.config.costs[channel];
}

export function meetsSkills(skills: ReadonlyMap<string, number>, required: readonly SkillRequirement[]): boolean {
  for (const req of required) {
    const level = skills.get(req.skill);
    if (level === undefined || level < req.minLevel) return false;
  }
  return true;
}

/** Best skill match: the sum of the worker's levels in the required skills. */
export function skillScore(skills: ReadonlyMap<string, number>, required: readonly SkillRequirement[]): number {
  let score = 0;
  for (const req of required) score += skills.get(req.skill) ?? 0;
  return score;
}

/** Whether the worker could ever take the job (it handles the channel and has the skills), whatever its load. */
export function capable(worker: WorkerState, channel: Channel, required: readonly SkillRequirement[]): boolean {
  const cost = costOf(worker, channel);
  return cost !== undefined && cost <= worker.config.capacity && meetsSkills(worker.skills, required);
}

export function signatureOf(channel: Channel, required: readonly SkillRequirement[]): string {
  if (required.length === 0) return channel;
  return `${channel}|${required
    .map((r) => `${r.skill}>=${r.minLevel}`)
    .sort()
    .join("&")}`;
}

const byId = (a: WorkerState, b: WorkerState) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The order a queue's ready list keeps, by its distribution. */
export function readyOrder(queue: QueueState): (a: WorkerState, b: WorkerState) => number {
  const config = queue.config;
  if (config.distribution === "round_robin") {
    return (a, b) => (queue.joinRank.get(a.id) ?? 0) - (queue.joinRank.get(b.id) ?? 0) || byId(a, b);
  }
  if (config.distribution === "serial") {
    const position = new Map(config.serialOrder.map((id, i) => [id, i]));
    const rank = (w: WorkerState) => position.get(w.id) ?? config.serialOrder.length + (queue.joinRank.get(w.id) ?? 0);
    return (a, b) => rank(a) - rank(b) || byId(a, b);
  }
  // Longest idle, and the tie-break of best skill: lowest load ratio, then idle for longest.
  return (a, b) => a.keyRatio - b.keyRatio || a.keyIdle - b.keyIdle || byId(a, b);
}

export function newQueueState(config: QueueConfig): QueueState {
  const queue: QueueState = {
    config,
    members: new Set(),
    optedOut: new Set(),
    byPresence: emptyPresenceCounts(),
    ready: new SortedList<WorkerState>(() => 0),
    joinRank: new Map(),
    nextRank: 0,
    rrLast: -1,
    groups: new Map(),
    jobs: new Set(),
    assigned: 0,
    offered: 0,
  };
  queue.ready = new SortedList(readyOrder(queue));
  return queue;
}
