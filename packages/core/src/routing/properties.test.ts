/**
 * Property-based tests of the routing engine: random queues, workers and command sequences on a
 * manual clock, with an observer that rebuilds the world from the events alone and checks, at every
 * event, what must always hold. A twin engine that is never snapshotted runs the same commands, so a
 * restored engine must behave exactly as the original.
 *
 * ROUTING_PROPERTY_RUNS and ROUTING_PROPERTY_COMMANDS make longer runs: e.g.
 *   ROUTING_PROPERTY_RUNS=5000 ROUTING_PROPERTY_COMMANDS=300 npx vitest run packages/core/src/routing/properties
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../kernel/clock.js";
import { DomainError } from "../kernel/domain-error.js";
import type { IdGenerator } from "../kernel/ids.js";
import { RoutingEngine } from "./engine.js";
import type { RoutingEvent } from "./events.js";
import {
  type Channel,
  type ChosenPresence,
  DISTRIBUTIONS,
  type Job,
  type QueueConfig,
  type QueueInput,
  type RedirectTarget,
  type SkillRequirement,
  type Worker,
  type WorkerInput,
} from "./model.js";
import {
  canonical,
  type JobSnapshot,
  type OfferSnapshot,
  type QueueSnapshot,
  type RoutingChanges,
  type RoutingSnapshot,
  type WorkerSnapshot,
} from "./snapshot.js";

const RUNS = Number(process.env.ROUTING_PROPERTY_RUNS ?? 200);
const COMMANDS = Number(process.env.ROUTING_PROPERTY_COMMANDS ?? 100);

const QUEUE_IDS = ["q0", "q1", "q2"];
const WORKER_IDS = ["w0", "w1", "w2", "w3", "w4"];
const SKILLS = ["a", "b"];

class CountingIds implements IdGenerator {
  constructor(public n = 0) {}
  next(): string {
    this.n += 1;
    return `o-${String(this.n).padStart(6, "0")}`;
  }
}

// ---------------------------------------------------------------- generators

const targetArb: fc.Arbitrary<RedirectTarget> = fc.oneof(
  fc.constant({ kind: "leave_message" } as const),
  fc.constant({ kind: "end", message: "Sorry, we are busy." } as const),
  fc.constantFrom(...QUEUE_IDS, "q-gone").map((queueId) => ({ kind: "queue", queueId }) as const),
  fc.constantFrom(...WORKER_IDS, "w-gone").map((workerId) => ({ kind: "worker", workerId }) as const),
);

const skillsArb: fc.Arbitrary<Record<string, number>> = fc
  .subarray(SKILLS)
  .chain((labels) =>
    fc
      .tuple(...labels.map(() => fc.integer({ min: 1, max: 3 })))
      .map((levels) => Object.fromEntries(labels.map((l, i) => [l, levels[i] ?? 1]))),
  );

const requirementsArb: fc.Arbitrary<SkillRequirement[]> = fc
  .subarray(SKILLS)
  .chain((labels) =>
    fc
      .tuple(...labels.map(() => fc.integer({ min: 1, max: 3 })))
      .map((levels) => labels.map((skill, i) => ({ skill, minLevel: levels[i] ?? 1 }))),
  );

/** An exception rule on about one queue in four. */
const sometimes = <T>(rule: fc.Arbitrary<T>): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: rule });

function queueArb(index: number): fc.Arbitrary<QueueInput> {
  const id = QUEUE_IDS[index] ?? "q";
  const notSelf = targetArb.map((t) => (t.kind === "queue" && t.queueId === id ? ({ kind: "leave_message" } as const) : t));
  return fc.record({
    id: fc.constant(id),
    name: fc.constant(`Queue ${index}`),
    distribution: fc.constantFrom(...DISTRIBUTIONS),
    alertSeconds: fc.integer({ min: 15, max: 60 }),
    wrapUpSeconds: fc.constantFrom(0, 0, 5, 30),
    reofferSeconds: fc.constantFrom(0, 5, 20),
    missedOffer: fc.constantFrom("set_away" as const, "keep_presence" as const),
    serialOrder: fc.shuffledSubarray(WORKER_IDS),
    exceptions: fc.record({
      overflow: sometimes(
        fc.record({
          threshold: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 })),
          target: notSelf,
        }),
      ),
      timeout: sometimes(fc.record({ seconds: fc.integer({ min: 1, max: 200 }), target: notSelf })),
      noAgents: sometimes(
        fc.record({
          when: fc.constantFrom("none_signed_in" as const, "none_available" as const),
          action: fc.oneof(fc.constant("queue_anyway" as const), notSelf),
        }),
      ),
    }),
  });
}

function workerArb(id: string, queueCount: number): fc.Arbitrary<WorkerInput> {
  return fc
    .record({
      capacity: fc.integer({ min: 1, max: 4 }),
      chatCost: fc.constantFrom(1, 1, 2),
      voice: fc.boolean(),
      skills: skillsArb,
      queues: fc.subarray(QUEUE_IDS.slice(0, queueCount), { minLength: 1 }),
      optOut: fc.boolean(),
    })
    .map(({ capacity, chatCost, voice, skills, queues, optOut }) => ({
      id,
      capacity,
      costs: voice ? { chat: chatCost, voice: capacity } : { chat: chatCost },
      skills,
      queues,
      optedOut: optOut ? queues.slice(0, 1) : [],
    }));
}

type Command =
  | { kind: "enqueue"; queue: number; channel: Channel; priority: number; skills: SkillRequirement[]; backdate: number }
  | { kind: "presence"; worker: number; presence: ChosenPresence }
  | { kind: "accept"; pick: number }
  | { kind: "decline"; pick: number }
  | { kind: "complete"; pick: number }
  | { kind: "cancel"; pick: number }
  | { kind: "reclassify"; pick: number; queue: number; priority: number; skills: SkillRequirement[]; keep: boolean }
  | { kind: "transfer"; pick: number; toWorker: boolean; target: number }
  | { kind: "advance"; ms: number }
  | { kind: "drive"; ms: number }
  | { kind: "worker"; worker: WorkerInput }
  | { kind: "queue"; queue: QueueInput }
  | { kind: "optOut"; worker: number; queue: number; out: boolean }
  | { kind: "removeWorker"; worker: number }
  | { kind: "removeQueue"; queue: number }
  | { kind: "restore" };

function commandArb(queueCount: number): fc.Arbitrary<Command> {
  const queue = fc.integer({ min: 0, max: queueCount - 1 });
  const pick = fc.nat();
  const worker = fc.integer({ min: 0, max: WORKER_IDS.length - 1 });
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant("enqueue" as const),
        queue,
        channel: fc.constantFrom("chat" as const, "chat" as const, "voice" as const),
        priority: fc.integer({ min: 0, max: 2 }),
        skills: requirementsArb,
        backdate: fc.constantFrom(0, 0, 0, 5000),
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant("presence" as const),
        worker,
        presence: fc.constantFrom<ChosenPresence>("available", "available", "available", "busy", "away", "offline"),
      }),
    },
    { weight: 6, arbitrary: fc.record({ kind: fc.constant("accept" as const), pick }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("decline" as const), pick }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant("complete" as const), pick }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("cancel" as const), pick }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("reclassify" as const),
        pick,
        queue,
        priority: fc.integer({ min: 0, max: 2 }),
        skills: requirementsArb,
        keep: fc.boolean(),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant("transfer" as const), pick, toWorker: fc.boolean(), target: fc.nat() }),
    },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant("advance" as const), ms: fc.integer({ min: 0, max: 90_000 }) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("drive" as const), ms: fc.integer({ min: 0, max: 120_000 }) }) },
    {
      weight: 1,
      arbitrary: worker.chain((w) =>
        workerArb(WORKER_IDS[w] ?? "w0", queueCount).map((input) => ({ kind: "worker" as const, worker: input })),
      ),
    },
    {
      weight: 1,
      arbitrary: queue.chain((q) => queueArb(q).map((input) => ({ kind: "queue" as const, queue: input }))),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("optOut" as const), worker, queue, out: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("removeWorker" as const), worker }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("removeQueue" as const), queue }) },
    { weight: 1, arbitrary: fc.constant({ kind: "restore" as const }) },
  );
}

const scenarioArb = fc.integer({ min: 1, max: 3 }).chain((queueCount) =>
  fc.record({
    queues: fc.tuple(...Array.from({ length: queueCount }, (_, i) => queueArb(i))),
    workers: fc
      .integer({ min: 1, max: WORKER_IDS.length })
      .chain((n) => fc.tuple(...WORKER_IDS.slice(0, n).map((id) => workerArb(id, queueCount)))),
    present: fc.array(fc.constantFrom<ChosenPresence>("available", "available", "available", "away", "offline"), {
      minLength: WORKER_IDS.length,
      maxLength: WORKER_IDS.length,
    }),
    commands: fc.array(commandArb(queueCount), { minLength: 1, maxLength: COMMANDS, size: "max" }),
  }),
);

// ---------------------------------------------------------------- the observer

interface SeenJob {
  queueId: string;
  priority: number;
  enqueuedAt: number;
  channel: Channel;
  skills: readonly SkillRequirement[];
  worker: string | null;
  units: number;
  assignedOnce: boolean;
  terminal: string | null;
}

interface SeenOffer {
  jobId: string;
  workerId: string;
  units: number;
  directed: boolean;
  expiresAt: number;
}

const meets = (skills: Readonly<Record<string, number>>, required: readonly SkillRequirement[]) =>
  required.every((r) => (skills[r.skill] ?? -1) >= r.minLevel);

/** Rebuilds the world from events only and checks the invariants at every event. */
class Observer {
  readonly presence = new Map<string, string>();
  readonly load = new Map<string, number>();
  readonly reserved = new Map<string, number>();
  readonly jobs = new Map<string, SeenJob>();
  readonly offers = new Map<string, SeenOffer>();
  readonly endedOffers = new Map<string, SeenOffer>();
  /** `${job}/${worker}` → until when the worker comes after others. */
  readonly heldBack = new Map<string, number>();
  issued = 0;

  constructor(
    private readonly workers: () => ReadonlyMap<string, Worker>,
    private readonly queues: () => ReadonlyMap<string, QueueConfig>,
  ) {}

  /** A removed worker: a new one with the same id starts afresh (offline). */
  forgetWorker(id: string) {
    this.presence.delete(id);
    this.load.delete(id);
    this.reserved.delete(id);
  }

  expectJob(id: string, input: { queueId: string; channel: Channel; priority: number; skills: SkillRequirement[] }, at: number) {
    this.jobs.set(id, { ...input, enqueuedAt: at, worker: null, units: 0, assignedOnce: false, terminal: null });
  }

  private job(id: string): SeenJob {
    const job = this.jobs.get(id);
    if (!job) throw new Error(`event for a job never enqueued: ${id}`);
    return job;
  }

  private add(map: Map<string, number>, key: string, delta: number) {
    map.set(key, (map.get(key) ?? 0) + delta);
  }

  private endJob(id: string, how: string) {
    const job = this.job(id);
    if (job.terminal) throw new Error(`job ${id} ended twice: ${job.terminal}, then ${how}`);
    for (const offer of this.offers.values()) if (offer.jobId === id) throw new Error(`job ${id} ended with a live offer`);
    job.terminal = how;
  }

  private endOffer(id: string, outcome: string) {
    const offer = this.offers.get(id);
    if (!offer)
      throw new Error(
        `offer ${id} ended (${outcome}) but was not live${this.endedOffers.has(id) ? ": it had ended before" : ""}`,
      );
    this.offers.delete(id);
    this.endedOffers.set(id, offer);
    this.add(this.reserved, offer.workerId, -offer.units);
    return offer;
  }

  private inLine(id: string, job: SeenJob): boolean {
    if (job.terminal || job.worker) return false;
    const offers = [...this.offers.values()].filter((o) => o.jobId === id);
    if (offers.length === 0) return true;
    return this.queues().get(job.queueId)?.distribution === "attendant" && !offers.some((o) => o.directed);
  }

  /** No job better placed in line than `jobId` that `workerId` could take right now. */
  private checkFifo(jobId: string, workerId: string, at: number) {
    const worker = this.workers().get(workerId);
    const job = this.job(jobId);
    if (!worker) return;
    const active = new Set(worker.queues.filter((q) => !worker.optedOut.includes(q) && this.queues().has(q)));
    const free = worker.capacity - (this.load.get(workerId) ?? 0) - (this.reserved.get(workerId) ?? 0);
    for (const [id, other] of this.jobs) {
      if (id === jobId || !active.has(other.queueId) || !this.inLine(id, other)) continue;
      const better = other.priority > job.priority || (other.priority === job.priority && other.enqueuedAt < job.enqueuedAt);
      if (!better) continue;
      const cost = worker.costs[other.channel];
      if (cost === undefined || cost > free || !meets(worker.skills, other.skills)) continue;
      if ([...this.offers.values()].some((o) => o.jobId === id && o.workerId === workerId)) continue;
      if ((this.heldBack.get(`${id}/${workerId}`) ?? 0) > at) continue;
      throw new Error(`FIFO: ${workerId} was offered ${jobId} while ${id} (better placed) was waiting and theirs to take`);
    }
  }

  apply(events: readonly RoutingEvent[], timeouts?: ReadonlyMap<string, number>) {
    for (const event of events) {
      const at = event.at.getTime();
      expect(event.reason.length).toBeGreaterThan(0);
      switch (event.type) {
        case "job.queued": {
          const job = this.job(event.data.jobId);
          job.queueId = event.data.queueId;
          job.priority = event.data.priority;
          job.skills = event.data.requiredSkills;
          job.enqueuedAt = event.data.enqueuedAt.getTime();
          break;
        }
        case "job.reclassified": {
          const job = this.job(event.data.jobId);
          job.queueId = event.data.to.queueId;
          job.priority = event.data.to.priority;
          job.skills = event.data.to.requiredSkills;
          if (!event.data.keptWaitTime) job.enqueuedAt = at;
          break;
        }
        case "job.transferred": {
          const job = this.job(event.data.jobId);
          if (event.data.fromWorkerId !== null) {
            expect(job.worker).toBe(event.data.fromWorkerId);
            this.add(this.load, event.data.fromWorkerId, -job.units);
            job.worker = null;
          }
          break;
        }
        case "offer.issued": {
          const { offerId, jobId, workerId, directed } = event.data;
          const job = this.job(jobId);
          const worker = this.workers().get(workerId);
          if (!worker) throw new Error(`offer to unknown worker ${workerId}`);
          if (this.presence.get(workerId) !== "available") {
            throw new Error(`offer ${offerId} to ${workerId}, who is ${this.presence.get(workerId) ?? "offline"}`);
          }
          if (job.worker || job.terminal) throw new Error(`offer for job ${jobId}, which is ${job.worker ? "assigned" : "over"}`);
          const units = worker.costs[job.channel];
          if (units === undefined) throw new Error(`offer of a ${job.channel} to ${workerId}, who takes none`);
          const used = (this.load.get(workerId) ?? 0) + (this.reserved.get(workerId) ?? 0);
          if (used + units > worker.capacity)
            throw new Error(`offer to ${workerId} beyond capacity: ${used} + ${units} > ${worker.capacity}`);
          if (!directed) {
            const queue = this.queues().get(job.queueId);
            if (!worker.queues.includes(job.queueId) || worker.optedOut.includes(job.queueId) || !queue) {
              throw new Error(`offer to ${workerId}, not an active member of ${job.queueId}`);
            }
            if (!meets(worker.skills, job.skills)) throw new Error(`offer to ${workerId}, who lacks the skills`);
            this.checkFifo(jobId, workerId, at);
          }
          this.offers.set(offerId, { jobId, workerId, units, directed, expiresAt: event.data.expiresAt.getTime() });
          this.add(this.reserved, workerId, units);
          this.issued += 1;
          break;
        }
        case "offer.accepted":
          this.endOffer(event.data.offerId, "accepted");
          break;
        case "offer.declined":
        case "offer.expired": {
          const offer = this.endOffer(event.data.offerId, event.type);
          if (event.type === "offer.expired") {
            // Offers expire on time when the caller ticks at nextDeadline ("drive").
            if (timeouts) expect(at - offer.expiresAt).toBeLessThan(1000);
            expect(at).toBeGreaterThanOrEqual(offer.expiresAt);
          }
          const queue = this.queues().get(this.job(offer.jobId).queueId);
          const pause = (queue?.reofferSeconds ?? 0) * 1000;
          if (pause > 0) this.heldBack.set(`${offer.jobId}/${offer.workerId}`, at + pause);
          break;
        }
        case "offer.revoked":
          this.endOffer(event.data.offerId, "revoked");
          break;
        case "job.assigned": {
          const job = this.job(event.data.jobId);
          if (job.worker)
            throw new Error(`job ${event.data.jobId} assigned to ${event.data.workerId} while ${job.worker} has it`);
          const accepted = this.endedOffers.get(event.data.offerId);
          if (!accepted || accepted.workerId !== event.data.workerId) throw new Error("assigned without an accepted offer");
          // The units reserved when it was offered (costs may have changed since).
          const units = accepted.units;
          job.worker = event.data.workerId;
          job.units = units;
          job.assignedOnce = true;
          this.add(this.load, event.data.workerId, units);
          break;
        }
        case "job.exception": {
          const due = timeouts?.get(event.data.jobId);
          if (event.data.kind === "timeout" && due !== undefined) {
            // Fires within a second of being due, whatever rings at that moment.
            expect(at - due).toBeGreaterThanOrEqual(0);
            expect(at - due).toBeLessThan(1000);
          }
          break;
        }
        case "job.redirected":
          this.endJob(event.data.jobId, "redirected");
          break;
        case "job.cancelled":
          this.endJob(event.data.jobId, "cancelled");
          break;
        case "job.completed": {
          const job = this.job(event.data.jobId);
          if (job.worker !== event.data.workerId)
            throw new Error(`completed by ${event.data.workerId}, assigned to ${job.worker}`);
          this.add(this.load, event.data.workerId, -job.units);
          job.worker = null;
          this.endJob(event.data.jobId, "completed");
          break;
        }
        case "worker.presence_changed":
          expect(this.presence.get(event.data.workerId) ?? "offline").toBe(event.data.from);
          this.presence.set(event.data.workerId, event.data.to);
          break;
        case "worker.wrap_up_started":
        case "worker.wrap_up_ended":
          break;
      }
    }
  }
}

// ---------------------------------------------------------------- a store of rows

/** What a store keeping the engine's state as rows holds, fed by `takeChanges()` after each command. */
class RowStore {
  seq = 0;
  readonly queues = new Map<string, QueueSnapshot>();
  readonly workers = new Map<string, WorkerSnapshot>();
  readonly jobs = new Map<string, JobSnapshot>();
  readonly offers = new Map<string, OfferSnapshot>();

  apply(changes: RoutingChanges) {
    this.seq = changes.seq;
    for (const q of changes.queues) this.queues.set(q.config.id, q);
    for (const w of changes.workers) this.workers.set(w.config.id, w);
    for (const j of changes.jobs) this.jobs.set(j.id, j);
    for (const o of changes.offers) this.offers.set(o.id, o);
    for (const id of changes.removed.queues) this.queues.delete(id);
    for (const id of changes.removed.workers) this.workers.delete(id);
    for (const id of changes.removed.jobs) this.jobs.delete(id);
    for (const id of changes.removed.offers) this.offers.delete(id);
  }

  /** The rows, in whatever order a database returns them (here: reversed), as a snapshot. */
  snapshot(takenAt: string): RoutingSnapshot {
    return JSON.parse(
      JSON.stringify({
        version: 1,
        takenAt,
        seq: this.seq,
        queues: [...this.queues.values()].reverse(),
        workers: [...this.workers.values()].reverse(),
        jobs: [...this.jobs.values()].reverse(),
        offers: [...this.offers.values()].reverse(),
        recentOutcomes: [],
      }),
    );
  }
}

// ---------------------------------------------------------------- state checks

function checkEngine(engine: RoutingEngine, observer: Observer, now: number) {
  const workers = engine.listWorkers();
  const jobs = engine.listJobs();
  const queues = new Map(engine.listQueues().map((q) => [q.id, q]));
  const holders = new Map<string, string>();
  for (const w of workers) {
    // The observer, from events alone, agrees with the engine.
    expect([w.id, w.presence, w.load, w.reserved]).toEqual([
      w.id,
      observer.presence.get(w.id) ?? "offline",
      observer.load.get(w.id) ?? 0,
      observer.reserved.get(w.id) ?? 0,
    ]);
    // Capacity: offers only ever fill it up to the top (a lower capacity set by an admin may leave load above it).
    if (w.reserved > 0) expect(w.load + w.reserved).toBeLessThanOrEqual(w.capacity);
    if (w.offerIds.length > 0) expect(w.presence).toBe("available");
    for (const jobId of w.jobIds) {
      expect(holders.get(jobId)).toBeUndefined();
      holders.set(jobId, w.id);
    }
  }
  const liveOffers = workers.flatMap((w) => w.offerIds).sort();
  expect(liveOffers).toEqual([...observer.offers.keys()].sort());
  expect(jobs.map((j) => j.id).sort()).toEqual(
    [...observer.jobs]
      .filter(([, j]) => !j.terminal)
      .map(([id]) => id)
      .sort(),
  );
  for (const job of jobs) {
    expect(job.workerId).toBe(holders.get(job.id) ?? null);
    expect(job.workerId).toBe(observer.jobs.get(job.id)?.worker ?? null);
    checkNoIdleMatch(engine, job, workers, queues, now);
  }
}

/** At rest, no job waits in line while a worker who could take it is available with room. */
function checkNoIdleMatch(
  engine: RoutingEngine,
  job: Job,
  workers: readonly Worker[],
  queues: ReadonlyMap<string, QueueConfig>,
  now: number,
) {
  const queue = queues.get(job.queueId);
  if (!queue || job.status === "assigned") return;
  // Ringing: out of line, except an attendant job (not offered to a person directly) that rings on.
  const direct = job.offerIds.some((id) => engine.offer(id)?.directed);
  if (job.status === "offered" && (queue.distribution !== "attendant" || direct)) return;
  for (const w of workers) {
    if (w.presence !== "available" || !w.queues.includes(job.queueId) || w.optedOut.includes(job.queueId)) continue;
    const cost = w.costs[job.channel];
    if (cost === undefined || w.load + w.reserved + cost > w.capacity || !meets(w.skills, job.requiredSkills)) continue;
    if (w.offerIds.some((id) => job.offerIds.includes(id))) continue;
    if (job.declinedBy.some((d) => d.workerId === w.id && d.until.getTime() > now)) continue;
    throw new Error(`job ${job.id} waits in ${job.queueId} while ${w.id} could take it`);
  }
}

// ---------------------------------------------------------------- running a scenario

interface World {
  engine: RoutingEngine;
  ids: CountingIds;
}

function run(scenario: { queues: QueueInput[]; workers: WorkerInput[]; present: ChosenPresence[]; commands: Command[] }) {
  const clock = new ManualClock("2026-03-02T09:00:00.000Z");
  const main: World = { ids: new CountingIds(), engine: undefined as unknown as RoutingEngine };
  main.engine = new RoutingEngine({ clock, ids: main.ids, trackChanges: true });
  const twin = new RoutingEngine({ clock, ids: new CountingIds() });
  const workerMap = () => new Map(main.engine.listWorkers().map((w) => [w.id, w]));
  const queueMap = () => new Map(main.engine.listQueues().map((q) => [q.id, q]));
  const observer = new Observer(workerMap, queueMap);
  const rows = new RowStore();
  let jobCount = 0;

  /** Runs a command on both engines: same events, or the same error and no change at all. */
  const both = (command: (e: RoutingEngine) => RoutingEvent[], timeouts?: ReadonlyMap<string, number>): RoutingEvent[] | null => {
    const before = JSON.stringify({ ...main.engine.snapshot(), takenAt: null });
    let events: RoutingEvent[] = [];
    let failure: unknown;
    try {
      events = command(main.engine);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      failure = error;
    }
    let twinEvents: RoutingEvent[] = [];
    let twinFailure: unknown;
    try {
      twinEvents = command(twin);
    } catch (error) {
      twinFailure = error;
    }
    if (failure) {
      expect((twinFailure as DomainError | undefined)?.code).toBe((failure as DomainError).code);
      expect(JSON.stringify({ ...main.engine.snapshot(), takenAt: null })).toBe(before);
      return null;
    }
    expect(twinFailure).toBeUndefined();
    expect(twinEvents).toEqual(events);
    rows.apply(main.engine.takeChanges());
    observer.apply(events, timeouts);
    checkEngine(main.engine, observer, clock.now().getTime());
    return events;
  };

  const liveOffers = () =>
    main.engine
      .listWorkers()
      .flatMap((w) => w.offerIds.map((id) => ({ id, workerId: w.id })))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
  const nth = <T>(list: readonly T[], pick: number): T | undefined => list[pick % Math.max(1, list.length)];

  /** When each queue's configuration last changed: a timeout added later cannot have fired earlier. */
  const queueChangedAt = new Map<string, number>();
  /** The timeout due times of the waiting jobs now, to check that timeouts fire on time. */
  const dueTimes = () => {
    const due = new Map<string, number>();
    for (const job of main.engine.listJobs()) {
      const rule = main.engine.queue(job.queueId)?.exceptions.timeout;
      if (!rule || job.status === "assigned") continue;
      due.set(job.id, Math.max(job.queueEnteredAt.getTime() + rule.seconds * 1000, queueChangedAt.get(job.queueId) ?? 0));
    }
    return due;
  };

  /** A well-behaved driver: a tick at every deadline, then up to `until`. */
  const drive = (until: number) => {
    for (;;) {
      const next = main.engine.nextDeadline();
      if (next === null || next.getTime() > until) break;
      clock.advance(Math.max(0, next.getTime() - clock.now().getTime()));
      both((e) => e.tick(), dueTimes());
    }
    clock.advance(Math.max(0, until - clock.now().getTime()));
    both((e) => e.tick(), dueTimes());
  };

  for (const q of scenario.queues) both((e) => e.upsertQueue(q));
  for (const w of scenario.workers) both((e) => e.upsertWorker(w));
  for (const [i, w] of scenario.workers.entries()) both((e) => e.setPresence(w.id, scenario.present[i] ?? "available"));

  for (const command of scenario.commands) {
    switch (command.kind) {
      case "enqueue": {
        const queueId = QUEUE_IDS[command.queue] ?? "q0";
        const id = `job-${++jobCount}`;
        const enqueuedAt = new Date(clock.now().getTime() - command.backdate);
        observer.expectJob(
          id,
          { queueId, channel: command.channel, priority: command.priority, skills: command.skills },
          enqueuedAt.getTime(),
        );
        const done = both((e) =>
          e.enqueue({
            id,
            subject: `conversation-${id}`,
            channel: command.channel,
            queueId,
            priority: command.priority,
            requiredSkills: command.skills,
            enqueuedAt,
          }),
        );
        if (done === null) observer.jobs.delete(id); // refused (e.g. its queue was removed)
        break;
      }
      case "presence":
        both((e) => e.setPresence(WORKER_IDS[command.worker] ?? "w0", command.presence));
        break;
      case "accept":
      case "decline": {
        const offer = nth(liveOffers(), command.pick);
        if (!offer) break;
        // Sometimes the wrong worker tries: refused, nothing changes.
        const workerId = command.pick % 7 === 6 ? "w-other" : offer.workerId;
        both((e) => (command.kind === "accept" ? e.accept(offer.id, workerId) : e.decline(offer.id, workerId)));
        break;
      }
      case "complete": {
        const job = nth(
          main.engine.listJobs().filter((j) => j.status === "assigned"),
          command.pick,
        );
        if (job) both((e) => e.complete(job.id));
        break;
      }
      case "cancel": {
        const job = nth(main.engine.listJobs(), command.pick);
        if (job) both((e) => e.cancel(job.id, "the customer left"));
        break;
      }
      case "reclassify": {
        const job = nth(main.engine.listJobs(), command.pick);
        const queueId = QUEUE_IDS[command.queue] ?? "q0";
        if (job) {
          both((e) =>
            e.reclassify(job.id, {
              queueId,
              priority: command.priority,
              requiredSkills: command.skills,
              keepWaitTime: command.keep,
            }),
          );
        }
        break;
      }
      case "transfer": {
        const job = nth(main.engine.listJobs(), command.pick);
        if (!job) break;
        const target = command.toWorker
          ? { kind: "worker" as const, workerId: WORKER_IDS[command.target % WORKER_IDS.length] ?? "w0" }
          : { kind: "queue" as const, queueId: QUEUE_IDS[command.target % scenario.queues.length] ?? "q0" };
        both((e) => e.transfer(job.id, target));
        break;
      }
      case "advance":
        clock.advance(command.ms);
        both((e) => e.tick());
        break;
      case "drive":
        drive(clock.now().getTime() + command.ms);
        break;
      case "worker":
        both((e) => e.upsertWorker(command.worker));
        break;
      case "queue":
        both((e) => e.upsertQueue(command.queue));
        queueChangedAt.set(command.queue.id, clock.now().getTime());
        break;
      case "optOut":
        both((e) => e.setOptOut(WORKER_IDS[command.worker] ?? "w0", QUEUE_IDS[command.queue] ?? "q0", command.out));
        break;
      case "removeWorker": {
        const id = WORKER_IDS[command.worker] ?? "w0";
        both((e) => e.removeWorker(id));
        if (!main.engine.worker(id)) observer.forgetWorker(id);
        break;
      }
      case "removeQueue":
        both((e) => e.removeQueue(QUEUE_IDS[command.queue] ?? "q0"));
        break;
      case "restore": {
        // From the rows a store kept from the changes, in another order: the same state as a snapshot.
        const whole = JSON.parse(JSON.stringify(main.engine.snapshot()));
        const fromRows = rows.snapshot(whole.takenAt);
        expect(canonical(fromRows)).toEqual({ ...whole, recentOutcomes: [] });
        main.ids = new CountingIds(main.ids.n);
        main.engine = RoutingEngine.restore(fromRows, { clock, ids: main.ids, trackChanges: true });
        expect(main.engine.snapshot()).toEqual({ ...whole, recentOutcomes: [] });
        break;
      }
    }
  }

  // Drain: a closer who can take anything joins every queue; everyone is available and takes and
  // finishes everything, while time runs far ahead.
  both((e) =>
    e.upsertWorker({
      id: "closer",
      capacity: 50,
      costs: { chat: 1, voice: 1 },
      skills: Object.fromEntries(SKILLS.map((s) => [s, 3])),
      queues: main.engine.listQueues().map((q) => q.id),
    }),
  );
  for (let round = 0; round < 100 && main.engine.listJobs().length > 0; round++) {
    for (const w of main.engine.listWorkers()) if (w.presence !== "available") both((e) => e.setPresence(w.id, "available"));
    for (const offer of liveOffers()) if (main.engine.offer(offer.id)) both((e) => e.accept(offer.id, offer.workerId));
    for (const job of main.engine.listJobs()) if (job.status === "assigned") both((e) => e.complete(job.id));
    drive(clock.now().getTime() + 600_000);
  }
  expect(main.engine.listJobs()).toEqual([]);
  expect(observer.offers.size).toBe(0);
  expect(observer.endedOffers.size).toBe(observer.issued);
  for (const [id, job] of observer.jobs) {
    // Every job ended exactly once: assigned then completed, redirected, or cancelled.
    expect([id, job.terminal !== null]).toEqual([id, true]);
    if (job.terminal === "completed") expect(job.assignedOnce).toBe(true);
  }
  const assigned = [...observer.jobs.values()].filter((j) => j.assignedOnce).length;
  return { jobs: observer.jobs.size, offers: observer.issued, assigned };
}

describe("routing: properties over random command sequences", () => {
  // Longer runs get the time they need (about a millisecond per command at most).
  const timeout = Math.max(20_000, RUNS * COMMANDS);
  it(`holds its invariants (${RUNS} runs of up to ${COMMANDS} commands)`, { timeout }, () => {
    let jobs = 0;
    let offers = 0;
    let assigned = 0;
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const result = run(scenario);
        jobs += result.jobs;
        offers += result.offers;
        assigned += result.assigned;
      }),
      { numRuns: RUNS },
    );
    console.log(`routing properties: ${RUNS} runs, ${jobs} jobs, ${offers} offers, ${assigned} assigned`);
    // The generators do exercise the engine: a run averages about six jobs and six offers (measured over many
    // seeds: 1,080 to 1,250 of each per 200 runs), so three per run is far below anything a working generator
    // produces and still fails a generator that stopped making jobs, offers or assignments.
    expect(jobs).toBeGreaterThan(RUNS * 3);
    expect(offers).toBeGreaterThan(RUNS * 3);
    expect(assigned).toBeGreaterThan(RUNS * 2);
  });
});
