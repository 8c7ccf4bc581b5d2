/**
 * The two routers the benchmark drives with the same workload: Switchboard's `RoutingEngine`, and a
 * naive baseline that does what a first implementation would: scan every worker for each job, and
 * every waiting job for each freed worker.
 */
import {
  type Channel,
  type Clock,
  type Distribution,
  type QueueInput,
  RoutingEngine,
  type RoutingEvent,
  type SkillRequirement,
  type WorkerInput,
} from "@switchboard/core";
import type { JobArrival } from "./routing-workload.js";

export interface OfferMade {
  readonly offerId: string;
  readonly jobId: string;
  readonly workerId: string;
}

/** What a call did: the offers it issued, the offers it ended without an accept, the jobs it assigned. */
export interface RouterResult {
  readonly offered: readonly OfferMade[];
  readonly ended: readonly string[];
  readonly assigned: number;
}

export interface BenchRouter {
  readonly name: string;
  /** Creates the queues and workers and signs every worker in. */
  load(queues: readonly QueueInput[], workers: readonly WorkerInput[], now: number): void;
  enqueue(job: JobArrival, now: number): RouterResult;
  accept(offerId: string, workerId: string, now: number): RouterResult;
  decline(offerId: string, workerId: string, now: number): RouterResult;
  complete(jobId: string, now: number): RouterResult;
  tick(now: number): RouterResult;
  nextDeadline(): number | null;
  /** Jobs not finished yet. */
  liveJobs(): number;
  /** Called after each call, outside the timed part: e.g. taking the rows a store would write. */
  afterCall?(): void;
}

const NOTHING: RouterResult = { offered: [], ended: [], assigned: 0 };

// ---------------------------------------------------------------- Switchboard's engine

class SimClock implements Clock {
  current = 0;
  now(): Date {
    return new Date(this.current);
  }
}

class CountingIds {
  private n = 0;
  next(): string {
    this.n += 1;
    return `offer-${this.n}`;
  }
}

export class EngineRouter implements BenchRouter {
  readonly name = "engine";
  private readonly clock = new SimClock();
  readonly engine = new RoutingEngine({ clock: this.clock, ids: new CountingIds(), trackChanges: true });
  /** Rows changed, as a store writing them after each command would take them, and the time that took. */
  rowsWritten = 0;
  readonly takeChangesMs: number[] = [];
  private live = 0;

  load(queues: readonly QueueInput[], workers: readonly WorkerInput[], now: number): void {
    this.clock.current = now;
    for (const q of queues) this.engine.upsertQueue(q);
    for (const w of workers) this.engine.upsertWorker(w);
    for (const w of workers) this.engine.signIn(w.id);
    this.engine.takeChanges();
  }

  private call(now: number, command: () => RoutingEvent[]): RoutingEvent[] {
    this.clock.current = now;
    return command();
  }

  /** The rows the call changed, as the server would take them to write with its events (timed apart). */
  afterCall(): void {
    const t0 = performance.now();
    const changes = this.engine.takeChanges();
    this.takeChangesMs.push(performance.now() - t0);
    this.rowsWritten += changes.queues.length + changes.workers.length + changes.jobs.length + changes.offers.length;
  }

  result(events: readonly RoutingEvent[]): RouterResult {
    if (events.length === 0) return NOTHING;
    const offered: OfferMade[] = [];
    const ended: string[] = [];
    let assigned = 0;
    for (const e of events) {
      if (e.type === "offer.issued") offered.push({ offerId: e.data.offerId, jobId: e.data.jobId, workerId: e.data.workerId });
      else if (e.type === "offer.declined" || e.type === "offer.expired" || e.type === "offer.revoked")
        ended.push(e.data.offerId);
      else if (e.type === "job.assigned") assigned += 1;
      else if (e.type === "job.completed" || e.type === "job.redirected" || e.type === "job.cancelled") this.live -= 1;
    }
    return { offered, ended, assigned };
  }

  enqueue(job: JobArrival, now: number): RouterResult {
    this.live += 1;
    const events = this.call(now, () =>
      this.engine.enqueue({
        id: job.id,
        subject: job.id,
        channel: job.channel,
        queueId: job.queueId,
        priority: job.priority,
        requiredSkills: job.requiredSkills,
      }),
    );
    return this.result(events);
  }

  accept(offerId: string, workerId: string, now: number): RouterResult {
    return this.result(this.call(now, () => this.engine.accept(offerId, workerId)));
  }

  decline(offerId: string, workerId: string, now: number): RouterResult {
    return this.result(this.call(now, () => this.engine.decline(offerId, workerId)));
  }

  complete(jobId: string, now: number): RouterResult {
    return this.result(this.call(now, () => this.engine.complete(jobId)));
  }

  tick(now: number): RouterResult {
    return this.result(this.call(now, () => this.engine.tick()));
  }

  nextDeadline(): number | null {
    return this.engine.nextDeadline()?.getTime() ?? null;
  }

  liveJobs(): number {
    return this.live;
  }
}

// ---------------------------------------------------------------- the naive baseline

interface NaiveWorker {
  readonly id: string;
  readonly capacity: number;
  readonly costs: Partial<Record<Channel, number>>;
  readonly skills: Readonly<Record<string, number>>;
  readonly queues: ReadonlySet<string>;
  readonly rank: number;
  available: boolean;
  load: number;
  reserved: number;
  idleSince: number;
  wrapUntil: number | null;
}

interface NaiveJob {
  readonly id: string;
  readonly channel: Channel;
  readonly queueId: string;
  readonly priority: number;
  readonly requiredSkills: readonly SkillRequirement[];
  readonly enqueuedAt: number;
  readonly seq: number;
  worker: NaiveWorker | null;
  units: number;
}

interface NaiveQueue {
  readonly distribution: Distribution;
  readonly wrapUpMs: number;
  readonly alertMs: number;
  readonly serialRank: ReadonlyMap<string, number>;
  rrLast: number;
}

/**
 * The same rules for what the workload exercises (longest idle, round robin, serial and best skill;
 * priority then age; capacity by channel cost; wrap-up; decline), with plain scans: every worker for a
 * new or returned job, every waiting job (kept in line order) for a freed worker.
 */
export class NaiveRouter implements BenchRouter {
  readonly name = "naive";
  private readonly workers: NaiveWorker[] = [];
  private readonly byId = new Map<string, NaiveWorker>();
  private readonly queues = new Map<string, NaiveQueue>();
  private readonly jobs = new Map<string, NaiveJob>();
  /** Waiting jobs in line order: priority, then age. */
  private readonly waiting: NaiveJob[] = [];
  private readonly offers = new Map<string, { job: NaiveJob; worker: NaiveWorker; units: number }>();
  private offerCount = 0;
  private seq = 0;
  /** The earliest end of a wrap-up, recomputed on each tick (a scan of all workers). */
  private nextWrapEnd: number | null = null;
  private offered: OfferMade[] = [];

  load(queues: readonly QueueInput[], workers: readonly WorkerInput[], now: number): void {
    for (const q of queues) {
      this.queues.set(q.id, {
        distribution: q.distribution ?? "longest_idle",
        wrapUpMs: (q.wrapUpSeconds ?? 0) * 1000,
        alertMs: (q.alertSeconds ?? 30) * 1000,
        serialRank: new Map((q.serialOrder ?? []).map((id, i) => [id, i])),
        rrLast: -1,
      });
    }
    for (const [i, w] of workers.entries()) {
      const capacity = w.capacity ?? 1;
      const worker: NaiveWorker = {
        id: w.id,
        capacity,
        costs: w.costs ?? { chat: 1, voice: capacity },
        skills: w.skills ?? {},
        queues: new Set(w.queues ?? []),
        rank: i,
        available: true,
        load: 0,
        reserved: 0,
        idleSince: now,
        wrapUntil: null,
      };
      this.workers.push(worker);
      this.byId.set(worker.id, worker);
    }
  }

  private fits(worker: NaiveWorker, job: NaiveJob): boolean {
    if (!worker.available || !worker.queues.has(job.queueId)) return false;
    const cost = worker.costs[job.channel];
    if (cost === undefined || worker.load + worker.reserved + cost > worker.capacity) return false;
    for (const r of job.requiredSkills) if ((worker.skills[r.skill] ?? -1) < r.minLevel) return false;
    return true;
  }

  private offer(job: NaiveJob, worker: NaiveWorker, now: number): void {
    const units = worker.costs[job.channel] ?? 0;
    const offerId = `naive-offer-${++this.offerCount}`;
    this.offers.set(offerId, { job, worker, units });
    worker.reserved += units;
    const at = this.waiting.indexOf(job);
    if (at >= 0) this.waiting.splice(at, 1);
    this.offered.push({ offerId, jobId: job.id, workerId: worker.id });
    void now;
  }

  /** Every worker, for one job. */
  private dispatchJob(job: NaiveJob, now: number): void {
    const queue = this.queues.get(job.queueId);
    if (!queue) return;
    let best: NaiveWorker | undefined;
    let bestKey = Number.POSITIVE_INFINITY;
    let bestIdle = Number.POSITIVE_INFINITY;
    for (const w of this.workers) {
      if (!this.fits(w, job)) continue;
      let key: number;
      let idle = w.idleSince;
      switch (queue.distribution) {
        case "round_robin":
          key = w.rank > queue.rrLast ? w.rank : w.rank + this.workers.length;
          idle = 0;
          break;
        case "serial":
          key = queue.serialRank.get(w.id) ?? this.workers.length + w.rank;
          idle = 0;
          break;
        case "best_skill":
          key =
            -job.requiredSkills.reduce((sum, r) => sum + (w.skills[r.skill] ?? 0), 0) * 1000 + (w.load + w.reserved) / w.capacity;
          break;
        default:
          key = (w.load + w.reserved) / w.capacity;
      }
      if (key < bestKey || (key === bestKey && idle < bestIdle)) {
        best = w;
        bestKey = key;
        bestIdle = idle;
      }
    }
    if (!best) return;
    if (queue.distribution === "round_robin") queue.rrLast = best.rank;
    this.offer(job, best, now);
  }

  /** Every waiting job, for one worker with room. */
  private dispatchWorker(worker: NaiveWorker, now: number): void {
    for (let i = 0; i < this.waiting.length; ) {
      const job = this.waiting[i] as NaiveJob;
      if (this.fits(worker, job)) {
        this.offer(job, worker, now);
        continue; // the job left the list: the same index is the next job
      }
      i += 1;
    }
  }

  private enterLine(job: NaiveJob): void {
    let i = this.waiting.length;
    while (i > 0) {
      const other = this.waiting[i - 1] as NaiveJob;
      if (other.priority > job.priority || (other.priority === job.priority && other.seq < job.seq)) break;
      i -= 1;
    }
    this.waiting.splice(i, 0, job);
  }

  private done(assigned = 0, ended: string[] = []): RouterResult {
    const offered = this.offered;
    this.offered = [];
    return offered.length === 0 && assigned === 0 && ended.length === 0 ? NOTHING : { offered, ended, assigned };
  }

  enqueue(arrival: JobArrival, now: number): RouterResult {
    const job: NaiveJob = {
      id: arrival.id,
      channel: arrival.channel,
      queueId: arrival.queueId,
      priority: arrival.priority,
      requiredSkills: arrival.requiredSkills,
      enqueuedAt: now,
      seq: ++this.seq,
      worker: null,
      units: 0,
    };
    this.jobs.set(job.id, job);
    this.enterLine(job);
    this.dispatchJob(job, now);
    return this.done();
  }

  accept(offerId: string, workerId: string, now: number): RouterResult {
    const offer = this.offers.get(offerId);
    if (!offer || offer.worker.id !== workerId) throw new Error(`naive: no offer ${offerId} for ${workerId}`);
    this.offers.delete(offerId);
    offer.worker.reserved -= offer.units;
    offer.worker.load += offer.units;
    offer.worker.idleSince = now;
    offer.job.worker = offer.worker;
    offer.job.units = offer.units;
    return this.done(1);
  }

  decline(offerId: string, workerId: string, now: number): RouterResult {
    const offer = this.offers.get(offerId);
    if (!offer || offer.worker.id !== workerId) throw new Error(`naive: no offer ${offerId} for ${workerId}`);
    this.offers.delete(offerId);
    offer.worker.reserved -= offer.units;
    this.enterLine(offer.job);
    this.dispatchJob(offer.job, now);
    this.dispatchWorker(offer.worker, now);
    return this.done(0, [offerId]);
  }

  complete(jobId: string, now: number): RouterResult {
    const job = this.jobs.get(jobId);
    const worker = job?.worker;
    if (!job || !worker) throw new Error(`naive: job ${jobId} is not assigned`);
    this.jobs.delete(jobId);
    worker.load -= job.units;
    const wrapUp = this.queues.get(job.queueId)?.wrapUpMs ?? 0;
    if (wrapUp > 0) {
      worker.available = false;
      worker.wrapUntil = Math.max(worker.wrapUntil ?? 0, now + wrapUp);
      if (this.nextWrapEnd === null || worker.wrapUntil < this.nextWrapEnd) this.nextWrapEnd = worker.wrapUntil;
    } else if (worker.available) {
      this.dispatchWorker(worker, now);
    }
    return this.done();
  }

  tick(now: number): RouterResult {
    let next: number | null = null;
    for (const w of this.workers) {
      if (w.wrapUntil !== null && w.wrapUntil <= now) {
        w.wrapUntil = null;
        w.available = true;
        w.idleSince = now;
        this.dispatchWorker(w, now);
      } else if (w.wrapUntil !== null && (next === null || w.wrapUntil < next)) {
        next = w.wrapUntil;
      }
    }
    this.nextWrapEnd = next;
    return this.done();
  }

  nextDeadline(): number | null {
    return this.nextWrapEnd;
  }

  liveJobs(): number {
    return this.jobs.size;
  }
}
