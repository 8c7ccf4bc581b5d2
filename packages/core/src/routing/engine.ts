import type { Clock } from "../kernel/clock.js";
import { DomainError, type FieldIssue, notFound } from "../kernel/domain-error.js";
import type { IdGenerator } from "../kernel/ids.js";
import { type AssignmentGuard, inProcessAssignments } from "./assignment-guard.js";
import { checkPriority, checkSkills, isChannel, normalizeQueue, normalizeWorker } from "./config.js";
import { type Deadline, DeadlineHeap } from "./deadline-heap.js";
import { chooseWorkers } from "./distribution.js";
import type { JobClassification, RoutingEvent, RoutingEventDataByType, RoutingEventType } from "./events.js";
import { describeNeed, describeTarget, seconds, whyWaiting } from "./explain.js";
import { attachWorker, detachWorker, enterLine, leaveLine, refreshReady, setStatus, switchQueue } from "./lines.js";
import type {
  ChosenPresence,
  EnqueueInput,
  ExceptionKind,
  Job,
  Offer,
  OfferOutcome,
  Presence,
  QueueConfig,
  QueueInput,
  QueueStats,
  ReclassifyInput,
  RedirectTarget,
  RoutingTarget,
  TransferOptions,
  Worker,
  WorkerConfig,
  WorkerInput,
} from "./model.js";
import {
  canonical,
  isChosenPresence,
  iso,
  jobRow,
  ms,
  msOrNull,
  offerRow,
  queueRow,
  type RoutingChanges,
  type RoutingSnapshot,
  workerRow,
} from "./snapshot.js";
import { SortedList } from "./sorted-list.js";
import {
  capable,
  costOf,
  type JobState,
  jobOrder,
  meetsSkills,
  newQueueState,
  type OfferState,
  type QueueState,
  readyOrder,
  type WorkerState,
} from "./state.js";
import { jobView, offerView, workerView } from "./views.js";

export interface RoutingDeps {
  readonly clock: Clock;
  /** Job ids (when the caller gives none) and offer ids. */
  readonly ids: IdGenerator;
  readonly guard?: AssignmentGuard;
  /** Keep the ids of changed rows for `takeChanges()` (a store that writes rows); off: nothing is kept. */
  readonly trackChanges?: boolean;
}

type DeadlineRef =
  | { readonly kind: "timeout"; readonly job: JobState }
  | { readonly kind: "expiry"; readonly offer: OfferState }
  | { readonly kind: "wrap_up"; readonly worker: WorkerState };

/** Among deadlines due at the same moment: timeouts first (they win over a ring in progress). */
const RANK = { timeout: 0, expiry: 1, wrap_up: 2 } as const;

/** How many ended offers keep their outcome for a late accept's error. */
const RECENT_OUTCOMES = 1024;

const PRESENCE_WORDS: Record<Presence, string> = {
  available: "available",
  busy: "busy",
  away: "away",
  offline: "offline",
  wrap_up: "in wrap-up",
};

const EXCEPTION_WORDS: Record<ExceptionKind, string> = { overflow: "overflow", timeout: "timeout", no_agents: "no agents" };

const conflict = (code: string, message: string) => new DomainError(code, "conflict", message);

/**
 * The routing engine: queues, workers, jobs and offers in memory, with indexes so that a job finds its
 * worker (and a freed worker its next job) without scanning everyone. Pure and deterministic: no I/O,
 * no timers; time comes from the injected clock, and the caller calls `tick()` at `nextDeadline()`.
 *
 * Every command returns the events it caused, in order, or throws a `DomainError` and changes nothing.
 * See README.md in this folder for the rules and how the server drives it.
 */
export class RoutingEngine {
  private readonly clock: Clock;
  private readonly ids: IdGenerator;
  private readonly guard: AssignmentGuard;

  private readonly queues = new Map<string, QueueState>();
  private readonly queuesByName = new Map<string, QueueState>();
  private readonly workers = new Map<string, WorkerState>();
  private readonly jobs = new Map<string, JobState>();
  private readonly offers = new Map<string, OfferState>();
  private readonly recentOutcomes = new Map<string, OfferOutcome>();
  private readonly deadlines = new DeadlineHeap<DeadlineRef>((d) => this.isCurrent(d));
  /**
   * When decliners may have a job again. Kept apart: these change no state of their own, they only make
   * a pair eligible, so every settle takes the due ones first (a command at a later time than the
   * last tick must not offer a job while an older one became eligible for the same worker).
   */
  private readonly reoffers = new DeadlineHeap<{ readonly job: JobState; readonly workerId: string }>(
    (d) => d.ref.job.live && d.ref.job.declined.get(d.ref.workerId) === d.at,
  );
  private seq = 0;

  /** The time of the command being run; never goes backwards. */
  private now = 0;
  private running = false;
  private events: RoutingEvent[] = [];
  /** `job.queued` events whose reason gets "why no agent took it" once the command has settled. */
  private explainLater: { index: number; job: JobState }[] = [];
  /** Workers whose situation improved (more room, newly available, new skills or queues). */
  private readonly dirtyWorkers = new Set<WorkerState>();
  /** Jobs that may have an eligible worker now, with the dirty workers that found them. */
  private readonly dirtyJobs = new Map<JobState, WorkerState[]>();
  /** Ids whose rows changed since the last `takeChanges()`, and those the running command touched. */
  private readonly changed = newIdSets();
  private readonly touched = newIdSets();
  private readonly tracking: boolean;

  constructor(deps: RoutingDeps) {
    this.clock = deps.clock;
    this.ids = deps.ids;
    this.guard = deps.guard ?? inProcessAssignments;
    this.tracking = deps.trackChanges ?? false;
  }

  // ---------------------------------------------------------------- configuration

  /** Creates or replaces a queue. Jobs in it keep their place; a changed timeout applies to them at once. */
  upsertQueue(input: QueueInput): RoutingEvent[] {
    return this.run(() => {
      const config = normalizeQueue(input);
      const named = this.queuesByName.get(config.name);
      if (named && named.config.id !== config.id) throw conflict("queue.name_taken", `Another queue is named ${config.name}.`);
      const queue = this.queues.get(config.id);
      this.touched.queues.add(config.id);
      if (!queue) {
        const created = newQueueState(config);
        this.queues.set(config.id, created);
        this.queuesByName.set(config.name, created);
        return;
      }
      const old = queue.config;
      queue.config = config;
      this.queuesByName.delete(old.name);
      this.queuesByName.set(config.name, queue);
      if (old.distribution !== config.distribution || old.serialOrder.join("\n") !== config.serialOrder.join("\n")) {
        const ready = queue.ready.toArray();
        queue.ready = new SortedList(readyOrder(queue));
        for (const worker of ready) queue.ready.insert(worker);
      }
      if ((old.distribution === "attendant") !== (config.distribution === "attendant")) {
        // Ringing jobs change their standing (an attendant job stays in line while it rings): ring them again.
        const ringing = [...queue.jobs].filter((j) => j.status === "offered").sort(jobOrder);
        for (const job of ringing) {
          for (const offer of [...job.offers.values()]) {
            if (!offer.directed) this.endOffer(offer, "revoked", `${config.name} now distributes by ${config.distribution}`);
          }
          if (job.status === "queued") {
            enterLine(job);
            this.nominate(job);
          }
        }
      }
      if (JSON.stringify(old.exceptions.timeout) !== JSON.stringify(config.exceptions.timeout)) {
        // Not for assigned jobs, nor jobs ringing at a person directly: their wait in line is over for now.
        for (const job of queue.jobs) {
          const direct = [...job.offers.values()].some((o) => o.directed);
          if (job.status !== "assigned" && !direct) this.scheduleTimeout(job);
          this.touched.jobs.add(job.id);
        }
      }
      this.checkNoAgents([queue]);
    });
  }

  /** Removes a queue without live jobs; workers lose their membership of it. */
  removeQueue(queueId: string): RoutingEvent[] {
    return this.run(() => {
      const queue = this.requireQueue(queueId);
      if (queue.jobs.size > 0) {
        throw conflict(
          "queue.not_empty",
          `${queue.config.name} still has ${queue.jobs.size} job(s): transfer or finish them first.`,
        );
      }
      for (const worker of [...queue.members, ...queue.optedOut]) {
        const c = worker.config;
        this.reconfigure(worker, {
          ...c,
          queues: c.queues.filter((id) => id !== queueId),
          optedOut: c.optedOut.filter((id) => id !== queueId),
        });
      }
      this.queues.delete(queueId);
      this.queuesByName.delete(queue.config.name);
      this.touched.queues.add(queueId);
    });
  }

  /**
   * Creates (offline) or updates a worker: capacity, costs, skills, queues and opt-outs. Offers that no
   * longer fit are revoked; assigned jobs stay even when a lower capacity leaves the worker over it.
   */
  upsertWorker(input: WorkerInput): RoutingEvent[] {
    return this.run(() => {
      const config = normalizeWorker(input, (id) => this.queues.has(id));
      const worker = this.workers.get(config.id);
      if (!worker) {
        const created = newWorkerState(config);
        this.workers.set(config.id, created);
        this.attachWorker(created);
        this.touchWorker(created);
        return;
      }
      this.reconfigure(worker, config);
    });
  }

  /** An agent opts out of one of their queues (no offers from it) or back in. */
  setOptOut(workerId: string, queueId: string, optedOut: boolean): RoutingEvent[] {
    return this.run(() => {
      const worker = this.requireWorker(workerId);
      const c = worker.config;
      if (!c.queues.includes(queueId))
        throw new DomainError("worker.not_member", "invalid", `${c.name} is not a member of ${queueId}.`);
      const rest = c.optedOut.filter((id) => id !== queueId);
      this.reconfigure(worker, { ...c, optedOut: optedOut ? [...rest, queueId] : rest });
    });
  }

  /** Removes a worker without assigned jobs; its offers go to others. */
  removeWorker(workerId: string): RoutingEvent[] {
    return this.run(() => {
      const worker = this.requireWorker(workerId);
      if (worker.jobs.size > 0) {
        throw conflict(
          "worker.has_jobs",
          `${worker.config.name} still has ${worker.jobs.size} job(s): transfer or complete them first.`,
        );
      }
      this.revokeOffersOf(worker, `${worker.config.name} was removed`);
      this.touchWorker(worker);
      const queues = worker.queues;
      detachWorker(worker, this.queues);
      for (const id of worker.config.queues) this.queues.get(id)?.joinRank.delete(worker.id);
      this.workers.delete(workerId);
      this.checkNoAgents(queues);
    });
  }

  // ---------------------------------------------------------------- presence

  signIn(workerId: string, presence: ChosenPresence = "available"): RoutingEvent[] {
    return this.setPresence(workerId, presence, "signed in");
  }

  signOut(workerId: string): RoutingEvent[] {
    return this.setPresence(workerId, "offline", "signed out");
  }

  /**
   * Available, busy, away or offline. Anything but available revokes the worker's ringing offers; a
   * worker in wrap-up who sets available ends it early. Assigned jobs stay with the worker.
   */
  setPresence(workerId: string, presence: ChosenPresence, reason?: string): RoutingEvent[] {
    return this.run(() => {
      const worker = this.requireWorker(workerId);
      if (!isChosenPresence(presence)) {
        throw new DomainError("worker.presence_invalid", "invalid", "Presence is available, busy, away or offline.", [
          { field: "presence", message: "available, busy, away or offline" },
        ]);
      }
      this.changePresence(worker, presence, reason ?? `${worker.config.name} set ${PRESENCE_WORDS[presence]}`);
    });
  }

  // ---------------------------------------------------------------- jobs

  /** A new job enters a queue (see `classify` for choosing the queue, priority and skills). */
  enqueue(input: EnqueueInput): RoutingEvent[] {
    return this.run(() => {
      const queue = this.requireQueue(input.queueId);
      const issues: FieldIssue[] = [];
      if (typeof input.subject !== "string" || input.subject === "")
        issues.push({ field: "subject", message: "must not be empty" });
      if (!isChannel(input.channel)) issues.push({ field: "channel", message: "chat or voice" });
      checkPriority(input.priority ?? 0, "priority", issues);
      checkSkills(input.requiredSkills ?? [], "requiredSkills", issues);
      if (input.enqueuedAt !== undefined && !(input.enqueuedAt instanceof Date && Number.isFinite(input.enqueuedAt.getTime()))) {
        issues.push({ field: "enqueuedAt", message: "a date" });
      }
      if (issues.length > 0) throw new DomainError("job.invalid", "invalid", "The job is not valid.", issues);
      if (input.id !== undefined && this.jobs.has(input.id))
        throw conflict("job.exists", `A job with id ${input.id} is already routed.`);
      const id = input.id ?? this.ids.next();
      const enqueuedAt = Math.min(input.enqueuedAt?.getTime() ?? this.now, this.now);
      const job: JobState = {
        id,
        subject: input.subject,
        channel: input.channel,
        queue,
        priority: input.priority ?? 0,
        requiredSkills: (input.requiredSkills ?? []).map((r) => ({ skill: r.skill, minLevel: r.minLevel })),
        enqueuedAt,
        seq: ++this.seq,
        queueEnteredAt: this.now,
        timeoutAt: null,
        status: "queued",
        offers: new Map(),
        declined: new Map(),
        worker: null,
        assignedAt: null,
        units: 0,
        group: null,
        live: true,
      };
      this.jobs.set(id, job);
      queue.jobs.add(job);
      this.arrive(job, queue, null, input.reason ?? `new ${job.channel} job for ${queue.config.name}`, new Set());
    });
  }

  /**
   * Changes a waiting job's queue, priority or required skills. It keeps its place in line (its
   * `enqueuedAt`) unless `keepWaitTime` is false; a new queue's exceptions apply as on arrival.
   */
  reclassify(jobId: string, input: ReclassifyInput): RoutingEvent[] {
    return this.run(() => {
      const job = this.requireJob(jobId);
      if (job.status === "assigned") throw conflict("job.assigned", "The job is assigned: transfer it instead.");
      const target = input.queueId === undefined ? job.queue : this.requireQueue(input.queueId);
      const issues: FieldIssue[] = [];
      if (input.priority !== undefined) checkPriority(input.priority, "priority", issues);
      if (input.requiredSkills !== undefined) checkSkills(input.requiredSkills, "requiredSkills", issues);
      if (issues.length > 0) throw new DomainError("job.invalid", "invalid", "The classification is not valid.", issues);

      this.revokeOffersOfJob(job, "the job was reclassified");
      leaveLine(job);
      const from = classificationOf(job);
      if (input.priority !== undefined) job.priority = input.priority;
      if (input.requiredSkills !== undefined) job.requiredSkills = input.requiredSkills.map((r) => ({ ...r }));
      const keep = input.keepWaitTime ?? true;
      if (!keep) {
        job.enqueuedAt = this.now;
        job.seq = ++this.seq;
      }
      const to = { ...classificationOf(job), queueId: target.config.id };
      this.emit("job.reclassified", input.reason ?? "reclassified", {
        jobId: job.id,
        subject: job.subject,
        from,
        to,
        keptWaitTime: keep,
      });
      if (target !== job.queue) {
        this.arrive(job, target, from.queueId, input.reason ?? `reclassified from ${job.queue.config.name}`, new Set());
      } else {
        enterLine(job);
        this.nominate(job);
      }
    });
  }

  /** The customer left, or the server withdrew the work. Not for assigned jobs: complete those. */
  cancel(jobId: string, reason?: string): RoutingEvent[] {
    return this.run(() => {
      const job = this.requireJob(jobId);
      if (job.status === "assigned") throw conflict("job.assigned", "The job is assigned: complete it instead.");
      const why = reason ?? "cancelled";
      this.revokeOffersOfJob(job, `the job was cancelled (${why})`);
      this.emit("job.cancelled", why, { jobId: job.id, subject: job.subject, queueId: job.queue.config.id });
      this.dropJob(job);
    });
  }

  /** The worker takes the offered job. The first accept of an attendant job wins; the others are revoked. */
  accept(offerId: string, workerId: string): RoutingEvent[] {
    return this.run(() => {
      const offer = this.liveOffer(offerId, workerId);
      const { job, worker } = offer;
      const queue = job.queue;
      const verdict = this.guard.allowAssignment({
        jobId: job.id,
        subject: job.subject,
        workerId: worker.id,
        offerId: offer.id,
        queueId: queue.config.id,
        units: offer.units,
        at: new Date(this.now),
      });
      if (!verdict.ok) {
        this.endOffer(offer, "revoked", `the assignment was refused: ${verdict.reason}`);
        this.backInLine(offer, "the assignment was refused");
        return;
      }
      // The reserved units become load: the worker's room does not change, so it is not a freed worker.
      worker.load += offer.units;
      this.endOffer(offer, "accepted", `${worker.config.name} accepted`);
      leaveLine(job);
      job.worker = worker;
      job.units = offer.units;
      job.assignedAt = this.now;
      job.timeoutAt = null;
      setStatus(job, "assigned");
      worker.jobs.set(job.id, job);
      worker.lastAssignedAt = this.now;
      const waited = this.now - job.enqueuedAt;
      this.emit("job.assigned", `${worker.config.name} took it after ${seconds(waited)} in line`, {
        jobId: job.id,
        subject: job.subject,
        workerId: worker.id,
        queueId: queue.config.id,
        offerId: offer.id,
        waitedMs: waited,
      });
      for (const other of [...job.offers.values()]) this.endOffer(other, "revoked", `${worker.config.name} accepted it first`);
      this.refresh(worker);
    });
  }

  /** The worker turns the offer down: others get the job first for the queue's `reofferSeconds`. */
  decline(offerId: string, workerId: string, reason?: string): RoutingEvent[] {
    return this.run(() => {
      const offer = this.liveOffer(offerId, workerId);
      const name = offer.worker.config.name;
      this.holdBack(offer);
      this.endOffer(offer, "declined", reason ?? `${name} declined`);
      this.backInLine(offer, offer.directed ? `${name} declined the transfer` : `${name} declined`);
    });
  }

  /** The work is done: frees the worker's capacity and starts the queue's wrap-up. */
  complete(jobId: string, reason?: string): RoutingEvent[] {
    return this.run(() => {
      const job = this.requireJob(jobId);
      const worker = job.worker;
      if (job.status !== "assigned" || worker === null)
        throw conflict("job.not_assigned", "Only an assigned job can be completed.");
      const queue = job.queue;
      this.release(job);
      this.emit("job.completed", reason ?? `${worker.config.name} completed it`, {
        jobId: job.id,
        subject: job.subject,
        queueId: queue.config.id,
        workerId: worker.id,
      });
      this.dropJob(job);
      const wrapUp = queue.config.wrapUpSeconds;
      if (wrapUp > 0 && (worker.presence === "available" || worker.presence === "wrap_up")) {
        const until = Math.max(worker.wrapUpUntil ?? 0, this.now + wrapUp * 1000);
        const extending = worker.presence === "wrap_up";
        if (!extending) this.changePresence(worker, "wrap_up", `wrap-up after a job of ${queue.config.name}`);
        worker.wrapUpUntil = until;
        this.deadlines.push({ at: until, rank: RANK.wrap_up, key: worker.id, ref: { kind: "wrap_up", worker } });
        this.emit(
          "worker.wrap_up_started",
          `${extending ? "wrap-up extended" : "wrap-up"}: ${queue.config.name} allows ${seconds(wrapUp * 1000)} after a job`,
          { workerId: worker.id, jobId: job.id, until: new Date(until) },
        );
      }
      this.refresh(worker);
    });
  }

  /**
   * Hands a job (waiting, ringing or assigned) to another queue or to a colleague. To a queue it arrives
   * as a new job would (exceptions apply) keeping its place in line unless told otherwise, without the
   * old requirements unless new ones are given. To a person it is offered at once, which needs them
   * available with room (else `worker.unavailable` and nothing changes); if they decline or miss it, it
   * goes back to the line of its queue.
   */
  transfer(jobId: string, target: RoutingTarget, options: TransferOptions = {}): RoutingEvent[] {
    return this.run(() => {
      const job = this.requireJob(jobId);
      const issues: FieldIssue[] = [];
      if (options.priority !== undefined) checkPriority(options.priority, "priority", issues);
      if (options.requiredSkills !== undefined) checkSkills(options.requiredSkills, "requiredSkills", issues);
      if (issues.length > 0) throw new DomainError("job.invalid", "invalid", "The transfer is not valid.", issues);
      let toQueue: QueueState | undefined;
      let toWorker: WorkerState | undefined;
      if (target?.kind === "queue") toQueue = this.requireQueue(target.queueId);
      else if (target?.kind === "worker") {
        toWorker = this.requireWorker(target.workerId);
        if (toWorker === job.worker)
          throw new DomainError("job.transfer_to_self", "invalid", "The job is already with this worker.");
        const blocker = this.directBlocker(toWorker, job);
        if (blocker) throw conflict("worker.unavailable", `Cannot transfer: ${blocker}.`);
      } else
        throw new DomainError("job.invalid", "invalid", "Transfer to a queue or a worker.", [
          { field: "target.kind", message: "queue or worker" },
        ]);

      const fromQueue = job.queue;
      const fromWorker = job.worker;
      if (fromWorker) {
        this.release(job);
        setStatus(job, "queued");
        this.refresh(fromWorker);
      } else {
        this.revokeOffersOfJob(job, "the job was transferred");
        leaveLine(job);
      }
      if (options.priority !== undefined) job.priority = options.priority;
      if (toQueue) job.requiredSkills = (options.requiredSkills ?? []).map((r) => ({ ...r }));
      else if (options.requiredSkills !== undefined) job.requiredSkills = options.requiredSkills.map((r) => ({ ...r }));
      if (options.keepWaitTime === false) {
        job.enqueuedAt = this.now;
        job.seq = ++this.seq;
      }
      const by = fromWorker ? `${fromWorker.config.name} transferred it` : "transferred";
      this.emit("job.transferred", options.reason ?? by, {
        jobId: job.id,
        subject: job.subject,
        fromQueueId: fromQueue.config.id,
        fromWorkerId: fromWorker?.id ?? null,
        target,
      });
      if (toQueue) this.arrive(job, toQueue, fromQueue.config.id, options.reason ?? `${by} to ${toQueue.config.name}`, new Set());
      else if (toWorker) this.issueOffer(job, toWorker, true, options.reason ?? `${by} to ${toWorker.config.name}`);
    });
  }

  // ---------------------------------------------------------------- time

  /**
   * Fires everything due by `now` (default: the clock), in order: timeouts, offer expiries, ends of
   * wrap-up, and retries of jobs whose decliners may have them again. Call it at `nextDeadline()`.
   */
  tick(now?: Date): RoutingEvent[] {
    return this.run(() => {
      for (;;) {
        const due = this.deadlines.popDue(this.now);
        if (!due) return;
        this.fire(due.ref);
        this.settle();
      }
    }, now);
  }

  /** When `tick` has something to do next; null when nothing is pending. One timer for the whole engine. */
  nextDeadline(): Date | null {
    const a = this.deadlines.peek()?.at;
    const b = this.reoffers.peek()?.at;
    if (a === undefined && b === undefined) return null;
    return new Date(Math.min(a ?? Number.POSITIVE_INFINITY, b ?? Number.POSITIVE_INFINITY));
  }

  // ---------------------------------------------------------------- reading

  queue(queueId: string): QueueConfig | undefined {
    return this.queues.get(queueId)?.config;
  }

  queueByName(name: string): QueueConfig | undefined {
    return this.queuesByName.get(name)?.config;
  }

  listQueues(): QueueConfig[] {
    return [...this.queues.values()].map((q) => q.config);
  }

  worker(workerId: string): Worker | undefined {
    const worker = this.workers.get(workerId);
    return worker ? workerView(worker) : undefined;
  }

  listWorkers(): Worker[] {
    return [...this.workers.values()].map(workerView);
  }

  job(jobId: string): Job | undefined {
    const job = this.jobs.get(jobId);
    return job ? jobView(job) : undefined;
  }

  /** Live jobs (queued, offered, assigned), oldest first. */
  listJobs(): Job[] {
    return [...this.jobs.values()].map(jobView);
  }

  /** A ringing offer; ended offers are gone (their outcome is in the events). */
  offer(offerId: string): Offer | undefined {
    const offer = this.offers.get(offerId);
    return offer ? offerView(offer) : undefined;
  }

  /** The queue's unassigned jobs (waiting or ringing) in line order. */
  waitingJobs(queueId: string): Job[] {
    const queue = this.requireQueue(queueId);
    return [...queue.jobs]
      .filter((j) => j.status !== "assigned")
      .sort(jobOrder)
      .map(jobView);
  }

  /** The job's place among its queue's unassigned jobs (1 = next); null once assigned or gone. */
  position(jobId: string): number | null {
    const job = this.jobs.get(jobId);
    if (!job || job.status === "assigned") return null;
    let ahead = 0;
    for (const other of job.queue.jobs) if (other.status !== "assigned" && jobOrder(other, job) < 0) ahead += 1;
    return ahead + 1;
  }

  queueStats(queueId: string): QueueStats {
    const queue = this.requireQueue(queueId);
    let oldest: number | null = null;
    for (const job of queue.jobs)
      if (job.status !== "assigned" && (oldest === null || job.enqueuedAt < oldest)) oldest = job.enqueuedAt;
    return {
      queueId,
      waiting: queue.jobs.size - queue.assigned,
      offered: queue.offered,
      assigned: queue.assigned,
      oldestEnqueuedAt: oldest === null ? null : new Date(oldest),
      agents: { ...queue.byPresence },
      optedOut: queue.optedOut.size,
      ready: queue.ready.size,
    };
  }

  /** Where a job stands, in a sentence: who has it, who it rings at, or why no agent can take it. */
  explain(jobId: string): string {
    const job = this.requireJob(jobId);
    if (job.worker) return `assigned to ${job.worker.config.name} in ${job.queue.config.name}`;
    if (job.offers.size > 0) {
      const names = [...job.offers.values()].map((o) => o.worker.config.name).join(", ");
      return `ringing at ${names} in ${job.queue.config.name}`;
    }
    return whyWaiting(job, Math.max(this.now, this.clock.now().getTime()));
  }

  // ---------------------------------------------------------------- persistence

  /** The whole state as plain JSON, for the store. Restore it with `RoutingEngine.restore`. */
  snapshot(): RoutingSnapshot {
    return canonical({
      version: 1,
      takenAt: iso(Math.max(this.now, this.clock.now().getTime())),
      seq: this.seq,
      queues: [...this.queues.values()].map(queueRow),
      workers: [...this.workers.values()].map(workerRow),
      jobs: [...this.jobs.values()].map(jobRow),
      offers: [...this.offers.values()].map(offerRow),
      recentOutcomes: [...this.recentOutcomes],
    });
  }

  /**
   * The rows that changed since the last call, for a store that keeps the state as rows and writes each
   * command's changes with its events (a whole snapshot grows with the tenant; this grows with the
   * command). Restore from the rows assembled into a `RoutingSnapshot`.
   */
  takeChanges(): RoutingChanges {
    if (!this.tracking) throw new Error("RoutingEngine: takeChanges() needs { trackChanges: true } in its deps.");
    const removed = { queues: [] as string[], workers: [] as string[], jobs: [] as string[], offers: [] as string[] };
    const rows = <T, R>(ids: Set<string>, map: ReadonlyMap<string, T>, row: (item: T) => R, gone: string[]): R[] => {
      const out: R[] = [];
      for (const id of [...ids].sort()) {
        const item = map.get(id);
        if (item === undefined) gone.push(id);
        else out.push(row(item));
      }
      ids.clear();
      return out;
    };
    const c = this.changed;
    return {
      seq: this.seq,
      queues: rows(c.queues, this.queues, queueRow, removed.queues),
      workers: rows(c.workers, this.workers, workerRow, removed.workers),
      jobs: rows(c.jobs, this.jobs, jobRow, removed.jobs),
      offers: rows(c.offers, this.offers, offerRow, removed.offers),
      removed,
    };
  }

  /** An engine in exactly the state a snapshot was taken in; it behaves as the original would. */
  static restore(snapshot: RoutingSnapshot, deps: RoutingDeps): RoutingEngine {
    if (snapshot?.version !== 1)
      throw new DomainError("routing.snapshot_invalid", "invalid", "Not a routing snapshot of version 1.");
    const engine = new RoutingEngine(deps);
    engine.load(snapshot);
    return engine;
  }

  private load(snapshot: RoutingSnapshot): void {
    // Offers in the order they were issued (a worker's offers are revoked in that order).
    const s = canonical(snapshot);
    const broken = (what: string) =>
      new DomainError("routing.snapshot_invalid", "invalid", `The routing snapshot is broken: ${what}.`);
    this.now = ms(s.takenAt);
    this.seq = s.seq;
    for (const qs of s.queues) {
      const queue = newQueueState(qs.config);
      for (const [id, rank] of qs.joinRank) queue.joinRank.set(id, rank);
      queue.nextRank = qs.nextRank;
      queue.rrLast = qs.rrLast;
      this.queues.set(qs.config.id, queue);
      this.queuesByName.set(qs.config.name, queue);
    }
    for (const ws of s.workers) {
      const worker = newWorkerState(ws.config);
      worker.presence = ws.presence;
      worker.availableSince = msOrNull(ws.availableSince);
      worker.lastAssignedAt = msOrNull(ws.lastAssignedAt);
      worker.wrapUpUntil = msOrNull(ws.wrapUpUntil);
      this.workers.set(worker.id, worker);
      this.attachWorker(worker);
      if (worker.presence === "wrap_up" && worker.wrapUpUntil !== null) {
        this.deadlines.push({ at: worker.wrapUpUntil, rank: RANK.wrap_up, key: worker.id, ref: { kind: "wrap_up", worker } });
      }
    }
    for (const js of s.jobs) {
      const queue = this.queues.get(js.queueId);
      if (!queue) throw broken(`job ${js.id} is in an unknown queue`);
      const job: JobState = {
        id: js.id,
        subject: js.subject,
        channel: js.channel,
        queue,
        priority: js.priority,
        requiredSkills: js.requiredSkills,
        enqueuedAt: ms(js.enqueuedAt),
        seq: js.seq,
        queueEnteredAt: ms(js.queueEnteredAt),
        timeoutAt: msOrNull(js.timeoutAt),
        status: "queued",
        offers: new Map(),
        declined: new Map(js.declined.map(([id, until]) => [id, ms(until)])),
        worker: null,
        assignedAt: msOrNull(js.assignedAt),
        units: js.units,
        group: null,
        live: true,
      };
      this.jobs.set(job.id, job);
      queue.jobs.add(job);
      setStatus(job, js.status);
      if (js.status === "assigned") {
        const worker = js.workerId === null ? undefined : this.workers.get(js.workerId);
        if (!worker) throw broken(`job ${js.id} is assigned to an unknown worker`);
        job.worker = worker;
        worker.jobs.set(job.id, job);
        worker.load += job.units;
      }
      if (job.timeoutAt !== null) {
        this.deadlines.push({ at: job.timeoutAt, rank: RANK.timeout, key: job.id, ref: { kind: "timeout", job } });
      }
      for (const [workerId, until] of job.declined) {
        this.reoffers.push({ at: until, rank: 0, key: `${job.id}/${workerId}`, ref: { job, workerId } });
      }
    }
    for (const os of s.offers) {
      const job = this.jobs.get(os.jobId);
      const worker = this.workers.get(os.workerId);
      if (!job || !worker) throw broken(`offer ${os.id} refers to an unknown job or worker`);
      const offer: OfferState = {
        id: os.id,
        job,
        worker,
        issuedAt: ms(os.issuedAt),
        expiresAt: ms(os.expiresAt),
        units: os.units,
        directed: os.directed,
        outcome: null,
      };
      this.offers.set(offer.id, offer);
      worker.offers.set(offer.id, offer);
      job.offers.set(worker.id, offer);
      worker.reserved += offer.units;
      this.deadlines.push({ at: offer.expiresAt, rank: RANK.expiry, key: offer.id, ref: { kind: "expiry", offer } });
    }
    for (const job of this.jobs.values()) {
      const inLine =
        job.status === "queued" ||
        (job.status === "offered" &&
          job.queue.config.distribution === "attendant" &&
          ![...job.offers.values()].some((o) => o.directed));
      if (inLine) enterLine(job);
    }
    for (const worker of this.workers.values()) this.refresh(worker);
    for (const [id, outcome] of s.recentOutcomes) this.recentOutcomes.set(id, outcome);
    this.dirtyWorkers.clear();
    this.dirtyJobs.clear();
  }

  // ---------------------------------------------------------------- the command frame

  private run(command: () => void, at?: Date): RoutingEvent[] {
    if (this.running) throw new Error("RoutingEngine commands do not nest.");
    const t = (at ?? this.clock.now()).getTime();
    if (Number.isFinite(t)) this.now = Math.max(this.now, t);
    this.running = true;
    try {
      command();
      this.settle();
      this.explainQueued();
      this.recordChanges();
      return this.events;
    } finally {
      const t = this.touched;
      if (t.queues.size + t.workers.size + t.jobs.size + t.offers.size > 0) for (const ids of Object.values(t)) ids.clear();
      this.events = [];
      this.explainLater = [];
      this.dirtyWorkers.clear();
      this.dirtyJobs.clear();
      this.running = false;
    }
  }

  /**
   * The rows a command changed: the jobs, workers and offers its events name, and what it touched
   * without an event (configurations, join order, a round-robin pointer, timeouts).
   */
  private recordChanges(): void {
    if (!this.tracking) return;
    const c = this.changed;
    for (const event of this.events) {
      const data = event.data as { readonly jobId?: string; readonly workerId?: string; readonly offerId?: string };
      if (data.jobId !== undefined) c.jobs.add(data.jobId);
      if (data.workerId !== undefined) c.workers.add(data.workerId);
      if (data.offerId !== undefined) c.offers.add(data.offerId);
    }
    const t = this.touched;
    for (const id of t.queues) c.queues.add(id);
    for (const id of t.workers) c.workers.add(id);
    for (const id of t.jobs) c.jobs.add(id);
    for (const id of t.offers) c.offers.add(id);
  }

  /** A worker's row, and the rows of the queues whose join order it is in. */
  private touchWorker(worker: WorkerState, config: WorkerConfig = worker.config): void {
    this.touched.workers.add(worker.id);
    for (const id of config.queues) this.touched.queues.add(id);
  }

  private emit<T extends RoutingEventType>(type: T, reason: string, data: RoutingEventDataByType[T]): void {
    this.events.push({ type, at: new Date(this.now), reason, data } as RoutingEvent);
  }

  private explainQueued(): void {
    for (const { index, job } of this.explainLater) {
      const event = this.events[index];
      if (!event || !job.live || job.status !== "queued" || job.group === null) continue;
      this.events[index] = { ...event, reason: `${event.reason}; ${whyWaiting(job, this.now)}` };
    }
  }

  private requireQueue(id: string): QueueState {
    const queue = this.queues.get(id);
    if (!queue) throw notFound("queue", id);
    return queue;
  }

  private requireWorker(id: string): WorkerState {
    const worker = this.workers.get(id);
    if (!worker) throw notFound("worker", id);
    return worker;
  }

  private requireJob(id: string): JobState {
    const job = this.jobs.get(id);
    if (!job) throw notFound("job", id);
    return job;
  }

  private liveOffer(offerId: string, workerId: string): OfferState {
    const offer = this.offers.get(offerId);
    if (!offer) {
      const outcome = this.recentOutcomes.get(offerId);
      if (outcome === "expired") throw conflict("offer.expired", "The offer expired.");
      if (outcome) throw conflict("offer.closed", `The offer was already ${outcome}.`);
      throw notFound("offer", offerId);
    }
    if (offer.worker.id !== workerId) throw new DomainError("offer.not_yours", "forbidden", "The offer is for another worker.");
    // Strict: once the countdown reached zero the offer cannot be taken, even before a tick expired it.
    if (this.now >= offer.expiresAt) throw conflict("offer.expired", "The offer expired.");
    return offer;
  }

  // ---------------------------------------------------------------- deadlines

  private isCurrent(d: Deadline<DeadlineRef>): boolean {
    const ref = d.ref;
    switch (ref.kind) {
      case "timeout":
        // Only fields decide (never a passing state), so a restored engine keeps exactly the same deadlines.
        return ref.job.live && ref.job.timeoutAt === d.at;
      case "expiry":
        return ref.offer.outcome === null;
      case "wrap_up":
        return (
          ref.worker.presence === "wrap_up" && ref.worker.wrapUpUntil === d.at && this.workers.get(ref.worker.id) === ref.worker
        );
    }
  }

  private fire(ref: DeadlineRef): void {
    switch (ref.kind) {
      case "timeout": {
        const { job } = ref;
        const queue = job.queue;
        const rule = queue.config.exceptions.timeout;
        // Fired: any duplicate entry for the same moment is stale now; re-entering a line schedules anew.
        job.timeoutAt = null;
        if (!rule) return;
        const waited = `waited ${seconds(this.now - job.queueEnteredAt)} in ${queue.config.name}`;
        this.revokeOffersOfJob(job, `the job timed out (${waited})`);
        leaveLine(job);
        this.exception(
          job,
          "timeout",
          rule.target,
          `${waited}, past its timeout of ${seconds(rule.seconds * 1000)}`,
          new Set([queue]),
          queue.config.id,
        );
        return;
      }
      case "expiry": {
        const { offer } = ref;
        const { job, worker } = offer;
        const queue = job.queue;
        this.holdBack(offer);
        this.endOffer(offer, "expired", `${worker.config.name} did not answer within ${queue.config.alertSeconds} s`);
        this.backInLine(offer, `${worker.config.name} did not answer`);
        if (
          queue.config.missedOffer === "set_away" &&
          worker.presence === "available" &&
          this.workers.get(worker.id) === worker
        ) {
          this.changePresence(worker, "away", `${worker.config.name} missed an offer from ${queue.config.name}: away until back`);
        }
        return;
      }
      case "wrap_up": {
        const { worker } = ref;
        this.changePresence(worker, "available", "wrap-up time is over");
        return;
      }
    }
  }

  private scheduleTimeout(job: JobState): void {
    const rule = job.queue.config.exceptions.timeout;
    job.timeoutAt = rule ? job.queueEnteredAt + rule.seconds * 1000 : null;
    if (job.timeoutAt !== null)
      this.deadlines.push({ at: job.timeoutAt, rank: RANK.timeout, key: job.id, ref: { kind: "timeout", job } });
  }

  // ---------------------------------------------------------------- arrival and exceptions

  /**
   * A job enters a queue: overflow, then no agents, then the line. `visited` holds the queues this
   * chain of redirects went through, so two queues overflowing into each other cannot loop.
   */
  private arrive(
    job: JobState,
    queue: QueueState,
    previousQueueId: string | null,
    reason: string,
    visited: Set<QueueState>,
  ): void {
    this.moveTo(job, queue);
    visited.add(queue);
    const rules = queue.config.exceptions;
    const unassigned = queue.jobs.size - queue.assigned;
    if (rules.overflow && unassigned > rules.overflow.threshold) {
      const why =
        rules.overflow.threshold === 0
          ? `${queue.config.name} overflows every arrival`
          : `${unassigned} waiting in ${queue.config.name}, more than its overflow threshold of ${rules.overflow.threshold}`;
      this.exception(job, "overflow", rules.overflow.target, why, visited, previousQueueId);
      return;
    }
    if (rules.noAgents) {
      const lacking = this.lacksAgents(queue, job, rules.noAgents.when);
      if (lacking !== null) {
        if (rules.noAgents.action !== "queue_anyway") {
          this.exception(job, "no_agents", rules.noAgents.action, lacking, visited, previousQueueId);
          return;
        }
        this.emit("job.exception", `${lacking}: queued anyway`, {
          jobId: job.id,
          subject: job.subject,
          queueId: queue.config.id,
          kind: "no_agents",
          target: null,
        });
      }
    }
    this.queued(job, reason, previousQueueId);
  }

  /** `from`: where the job came from before this queue, for a `job.queued` when it stays. */
  private exception(
    job: JobState,
    kind: ExceptionKind,
    target: RedirectTarget,
    why: string,
    visited: Set<QueueState>,
    from: string | null,
  ): void {
    const queue = job.queue;
    this.emit("job.exception", `${why}: ${EXCEPTION_WORDS[kind]} redirect to ${describeTarget(target, this.names)}`, {
      jobId: job.id,
      subject: job.subject,
      queueId: queue.config.id,
      kind,
      target,
    });
    const cause = `${EXCEPTION_WORDS[kind]} redirect from ${queue.config.name}`;
    switch (target.kind) {
      case "queue": {
        const to = this.queues.get(target.queueId);
        if (!to) this.stayInQueue(job, `${cause}: queue ${target.queueId} no longer exists, so it stays`, from);
        else if (visited.has(to))
          this.stayInQueue(job, `${cause}: ${to.config.name} already passed it on (a redirect loop), so it stays`, from);
        else {
          // Its requirements were for the queue it leaves.
          job.requiredSkills = [];
          this.arrive(job, to, queue.config.id, cause, visited);
        }
        return;
      }
      case "worker": {
        const worker = this.workers.get(target.workerId);
        const blocker = worker ? this.directBlocker(worker, job) : `agent ${target.workerId} no longer exists`;
        if (!worker || blocker) this.stayInQueue(job, `${cause}: ${blocker}, so it stays`, from);
        else this.issueOffer(job, worker, true, `${cause}: offered to ${worker.config.name} directly`);
        return;
      }
      default:
        this.emit("job.redirected", `${cause}: ${describeTarget(target, this.names)}`, {
          jobId: job.id,
          subject: job.subject,
          queueId: queue.config.id,
          target,
        });
        this.dropJob(job);
    }
  }

  /** The job (re)enters the line of the queue it is in; its timeout starts again. */
  private stayInQueue(job: JobState, reason: string, from: string | null): void {
    this.moveTo(job, job.queue);
    this.queued(job, reason, from);
  }

  private queued(job: JobState, reason: string, previousQueueId: string | null): void {
    enterLine(job);
    this.explainLater.push({ index: this.events.length, job });
    this.emit("job.queued", reason, {
      jobId: job.id,
      subject: job.subject,
      channel: job.channel,
      queueId: job.queue.config.id,
      priority: job.priority,
      requiredSkills: job.requiredSkills,
      enqueuedAt: new Date(job.enqueuedAt),
      previousQueueId,
    });
    this.nominate(job);
  }

  /** Null when some member could take the job under the rule; else why not, for the reason. */
  private lacksAgents(queue: QueueState, job: JobState, when: "none_signed_in" | "none_available"): string | null {
    const signedIn = when === "none_signed_in";
    const present = signedIn
      ? queue.members.size - queue.byPresence.offline
      : queue.byPresence.available + queue.byPresence.wrap_up;
    if (present > 0) {
      for (const worker of queue.members) {
        const ok = signedIn ? worker.presence !== "offline" : worker.presence === "available" || worker.presence === "wrap_up";
        if (ok && capable(worker, job.channel, job.requiredSkills)) return null;
      }
    }
    const need = describeNeed(job.channel, job.requiredSkills);
    return signedIn
      ? `no agent of ${queue.config.name} for ${need} is signed in`
      : `no agent of ${queue.config.name} for ${need} is available`;
  }

  /**
   * After agents leave (or a rule changes), waiting jobs of queues whose no-agents rule redirects are
   * checked again: nobody should wait in a queue that has no one for them. With `leaving`, only the
   * lines that worker could have served.
   */
  private checkNoAgents(queues: Iterable<QueueState>, leaving?: WorkerState): void {
    for (const queue of queues) {
      const rule = queue.config.exceptions.noAgents;
      if (!rule || rule.action === "queue_anyway" || !this.queues.has(queue.config.id)) continue;
      const waiting: JobState[] = [];
      for (const group of queue.groups.values()) {
        if (leaving && !capable(leaving, group.channel, group.requiredSkills)) continue;
        for (const job of group.line) if (job.status === "queued") waiting.push(job);
      }
      waiting.sort(jobOrder);
      for (const job of waiting) {
        if (!job.live || job.group === null || job.queue !== queue) continue;
        const lacking = this.lacksAgents(queue, job, rule.when);
        if (lacking === null) continue;
        leaveLine(job);
        this.exception(job, "no_agents", rule.action, lacking, new Set([queue]), queue.config.id);
      }
    }
  }

  /** Why this worker cannot be offered the job directly now; null when they can. */
  private directBlocker(worker: WorkerState, job: JobState): string | null {
    const name = worker.config.name;
    if (worker.presence !== "available") return `${name} is ${PRESENCE_WORDS[worker.presence]}`;
    const cost = costOf(worker, job.channel);
    if (cost === undefined) return `${name} takes no ${job.channel}`;
    if (worker.load + worker.reserved + cost > worker.config.capacity) return `${name} has no room for it`;
    return null;
  }

  // ---------------------------------------------------------------- distribution

  /**
   * Brings the engine back to rest: no waiting job has an eligible ready worker without an offer. Each
   * round takes the best job (priority, then age) among the jobs that changed and the best jobs of the
   * workers that changed, and lets its queue's distribution choose among the eligible workers. Taking
   * the best job first keeps the line in order across a worker's queues; only changed jobs and workers
   * are looked at, since everything else was already at rest.
   */
  private settle(): void {
    for (let due = this.reoffers.popDue(this.now); due; due = this.reoffers.popDue(this.now)) this.nominate(due.ref.job);
    let rounds = 0;
    for (;;) {
      if (this.dirtyWorkers.size > 0) {
        const workers = [...this.dirtyWorkers];
        this.dirtyWorkers.clear();
        for (const worker of workers) {
          if (!worker.ready) continue;
          const job = this.bestJobFor(worker);
          if (job) this.nominate(job, worker);
        }
      }
      let best: JobState | undefined;
      for (const job of this.dirtyJobs.keys()) if (best === undefined || jobOrder(job, best) < 0) best = job;
      if (best === undefined) return;
      const nominators = this.dirtyJobs.get(best) ?? [];
      this.dirtyJobs.delete(best);
      if (best.live && best.group !== null) for (const worker of this.distribute(best)) this.dirtyWorkers.add(worker);
      // Whether or not they got it, they look again: for their next job, or another one.
      for (const worker of nominators) this.dirtyWorkers.add(worker);
      if (++rounds > 50_000_000) throw new Error("The routing engine did not settle (a bug).");
    }
  }

  private nominate(job: JobState, by?: WorkerState): void {
    let list = this.dirtyJobs.get(job);
    if (!list) {
      list = [];
      this.dirtyJobs.set(job, list);
    }
    if (by) list.push(by);
  }

  /** The worker's best waiting job across its queues, by line order; only each group's front is looked at. */
  private bestJobFor(worker: WorkerState): JobState | undefined {
    let best: JobState | undefined;
    const free = worker.config.capacity - worker.load - worker.reserved;
    for (const queue of worker.queues) {
      for (const group of queue.groups.values()) {
        const cost = costOf(worker, group.channel);
        if (cost === undefined || cost > free || !meetsSkills(worker.skills, group.requiredSkills)) continue;
        for (const job of group.line) {
          if (best !== undefined && jobOrder(best, job) < 0) break;
          if (job.offers.has(worker.id)) continue;
          const until = job.declined.get(worker.id);
          if (until !== undefined && until > this.now) continue;
          best = job;
          break;
        }
      }
    }
    return best;
  }

  /** Whether a ready worker may be offered a waiting job now. */
  private eligible(worker: WorkerState, job: JobState): boolean {
    const cost = costOf(worker, job.channel);
    if (cost === undefined || worker.load + worker.reserved + cost > worker.config.capacity) return false;
    if (job.offers.has(worker.id)) return false;
    const until = job.declined.get(worker.id);
    if (until !== undefined && until > this.now) return false;
    return meetsSkills(worker.skills, job.requiredSkills);
  }

  /** Offers a waiting job by its queue's distribution; returns the workers who got an offer. */
  private distribute(job: JobState): readonly WorkerState[] {
    const choice = chooseWorkers(job, (worker) => this.eligible(worker, job), this.now);
    // Round robin moved its pointer: part of the queue's row.
    if (job.queue.config.distribution === "round_robin" && choice.workers.length > 0)
      this.touched.queues.add(job.queue.config.id);
    for (const worker of choice.workers) this.issueOffer(job, worker, false, choice.reason);
    return choice.workers;
  }

  private issueOffer(job: JobState, worker: WorkerState, directed: boolean, reason: string): void {
    const queue = job.queue;
    const units = costOf(worker, job.channel) ?? 0;
    const offer: OfferState = {
      id: this.ids.next(),
      job,
      worker,
      issuedAt: this.now,
      expiresAt: this.now + queue.config.alertSeconds * 1000,
      units,
      directed,
      outcome: null,
    };
    this.offers.set(offer.id, offer);
    worker.offers.set(offer.id, offer);
    job.offers.set(worker.id, offer);
    worker.reserved += units;
    if (job.status === "queued") setStatus(job, "offered");
    if (directed || queue.config.distribution !== "attendant") leaveLine(job);
    this.refresh(worker);
    this.deadlines.push({ at: offer.expiresAt, rank: RANK.expiry, key: offer.id, ref: { kind: "expiry", offer } });
    this.emit("offer.issued", reason, {
      offerId: offer.id,
      jobId: job.id,
      subject: job.subject,
      workerId: worker.id,
      queueId: queue.config.id,
      channel: job.channel,
      issuedAt: new Date(offer.issuedAt),
      expiresAt: new Date(offer.expiresAt),
      directed,
    });
  }

  /** Ends a live offer. The job goes back to `queued` when nothing else rings; callers decide about the line. */
  private endOffer(offer: OfferState, outcome: OfferOutcome, reason: string): void {
    const { job, worker } = offer;
    offer.outcome = outcome;
    this.offers.delete(offer.id);
    worker.offers.delete(offer.id);
    job.offers.delete(worker.id);
    worker.reserved -= offer.units;
    this.recentOutcomes.set(offer.id, outcome);
    if (this.recentOutcomes.size > RECENT_OUTCOMES) {
      const oldest = this.recentOutcomes.keys().next();
      if (!oldest.done) this.recentOutcomes.delete(oldest.value);
    }
    this.emit(`offer.${outcome}`, reason, { offerId: offer.id, jobId: job.id, subject: job.subject, workerId: worker.id });
    if (job.status === "offered" && job.offers.size === 0) setStatus(job, "queued");
    this.refresh(worker);
  }

  /** After an offer ended without an assignment: the job waits again (a failed direct offer: in its queue's line). */
  private backInLine(offer: OfferState, why: string): void {
    const job = offer.job;
    if (!job.live || job.status !== "queued") return;
    if (offer.directed) {
      this.stayInQueue(job, `${why}; back in line in ${job.queue.config.name}`, job.queue.config.id);
      return;
    }
    enterLine(job);
    this.nominate(job);
  }

  /** A decliner (or a worker who missed it) gets the job again only after others had their chance. */
  private holdBack(offer: OfferState): void {
    const { job, worker } = offer;
    const pause = job.queue.config.reofferSeconds * 1000;
    if (pause <= 0) return;
    const until = this.now + pause;
    job.declined.set(worker.id, until);
    this.reoffers.push({ at: until, rank: 0, key: `${job.id}/${worker.id}`, ref: { job, workerId: worker.id } });
  }

  private revokeOffersOfJob(job: JobState, reason: string): void {
    for (const offer of [...job.offers.values()]) this.endOffer(offer, "revoked", reason);
  }

  private revokeOffersOf(worker: WorkerState, reason: string): void {
    for (const offer of [...worker.offers.values()]) {
      this.endOffer(offer, "revoked", reason);
      this.backInLine(offer, reason);
    }
  }

  // ---------------------------------------------------------------- presence and indexes

  private changePresence(worker: WorkerState, to: Presence, reason: string): void {
    const from = worker.presence;
    if (from === to) return;
    if (from === "wrap_up") {
      worker.wrapUpUntil = null;
      this.emit("worker.wrap_up_ended", reason, { workerId: worker.id });
    }
    for (const queue of worker.queues) {
      queue.byPresence[from] -= 1;
      queue.byPresence[to] += 1;
    }
    worker.presence = to;
    if (to === "available") worker.availableSince = this.now;
    this.emit("worker.presence_changed", reason, { workerId: worker.id, from, to });
    if (to !== "available") this.revokeOffersOf(worker, `${worker.config.name} is ${PRESENCE_WORDS[to]}`);
    this.refresh(worker);
    const leftAvailable = (from === "available" || from === "wrap_up") && to !== "available" && to !== "wrap_up";
    if (leftAvailable || to === "offline") this.checkNoAgents(worker.queues, worker);
  }

  private reconfigure(worker: WorkerState, config: WorkerConfig): void {
    const before = worker.queues;
    this.touchWorker(worker);
    this.touchWorker(worker, config);
    detachWorker(worker, this.queues);
    for (const id of worker.config.queues) if (!config.queues.includes(id)) this.queues.get(id)?.joinRank.delete(worker.id);
    worker.config = config;
    worker.skills = new Map(Object.entries(config.skills));
    this.attachWorker(worker);
    const name = config.name;
    for (const offer of [...worker.offers.values()]) {
      const job = offer.job;
      const fits = offer.directed
        ? costOf(worker, job.channel) !== undefined
        : worker.queues.includes(job.queue) && capable(worker, job.channel, job.requiredSkills);
      if (!fits) {
        this.endOffer(offer, "revoked", `${name} no longer takes this job (queues or skills changed)`);
        this.backInLine(offer, `${name}'s queues or skills changed`);
      }
    }
    for (const offer of [...worker.offers.values()].reverse()) {
      if (worker.load + worker.reserved <= config.capacity) break;
      this.endOffer(offer, "revoked", `${name}'s capacity went down to ${config.capacity}`);
      this.backInLine(offer, `${name}'s capacity went down`);
    }
    this.refresh(worker);
    // New queues or skills may open jobs it could not take before.
    if (worker.ready) this.dirtyWorkers.add(worker);
    this.checkNoAgents(new Set([...before, ...worker.queues]));
  }

  // ---------------------------------------------------------------- lines and bookkeeping

  /** The job (not in a line) enters `queue`, or its own queue again: the timeout runs from now. */
  private moveTo(job: JobState, queue: QueueState): void {
    switchQueue(job, queue);
    job.queueEnteredAt = this.now;
    this.scheduleTimeout(job);
  }

  private refresh(worker: WorkerState): void {
    if (refreshReady(worker)) this.dirtyWorkers.add(worker);
  }

  private attachWorker(worker: WorkerState): void {
    if (attachWorker(worker, this.queues)) this.dirtyWorkers.add(worker);
  }

  /** Takes an assigned job off its worker. */
  private release(job: JobState): void {
    const worker = job.worker;
    if (!worker) return;
    worker.jobs.delete(job.id);
    worker.load -= job.units;
    job.worker = null;
    job.assignedAt = null;
    job.units = 0;
  }

  /** The job leaves routing (its final event is already out). */
  private dropJob(job: JobState): void {
    leaveLine(job);
    setStatus(job, "queued");
    job.queue.jobs.delete(job);
    job.live = false;
    this.jobs.delete(job.id);
  }

  private readonly names = {
    queue: (id: string) => this.queues.get(id)?.config.name ?? id,
    worker: (id: string) => this.workers.get(id)?.config.name ?? id,
  };
}

interface IdSets {
  readonly queues: Set<string>;
  readonly workers: Set<string>;
  readonly jobs: Set<string>;
  readonly offers: Set<string>;
}

const newIdSets = (): IdSets => ({ queues: new Set(), workers: new Set(), jobs: new Set(), offers: new Set() });

function newWorkerState(config: WorkerConfig): WorkerState {
  return {
    id: config.id,
    config,
    skills: new Map(Object.entries(config.skills)),
    queues: [],
    presence: "offline",
    availableSince: null,
    lastAssignedAt: null,
    wrapUpUntil: null,
    load: 0,
    reserved: 0,
    offers: new Map(),
    jobs: new Map(),
    ready: false,
    keyRatio: 0,
    keyIdle: 0,
  };
}

function classificationOf(job: JobState): JobClassification {
  return { queueId: job.queue.config.id, priority: job.priority, requiredSkills: job.requiredSkills.map((r) => ({ ...r })) };
}
