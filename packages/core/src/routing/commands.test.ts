import { describe, expect, it } from "vitest";
import { ManualClock } from "../kernel/clock.js";
import type { IdGenerator } from "../kernel/ids.js";
import { RoutingEngine } from "./engine.js";
import type { RoutingEvent, RoutingEventOf } from "./events.js";
import type { QueueInput, WorkerInput } from "./model.js";

/** Ids that a restored engine can continue from. */
class CountingIds implements IdGenerator {
  constructor(public n = 0) {}
  next(): string {
    this.n += 1;
    return `o-${this.n}`;
  }
}

function setup(queues: QueueInput[], workers: WorkerInput[] = []) {
  const clock = new ManualClock("2026-03-02T09:00:00.000Z");
  const ids = new CountingIds();
  const engine = new RoutingEngine({ clock, ids, trackChanges: true });
  for (const q of queues) engine.upsertQueue(q);
  for (const w of workers) engine.upsertWorker(w);
  return { clock, engine, ids };
}

const types = (events: RoutingEvent[]) => events.map((e) => e.type);
const offers = (events: RoutingEvent[]) =>
  events.filter((e): e is RoutingEventOf<"offer.issued"> => e.type === "offer.issued").map((e) => e.data);
const chat = (id: string, queueId = "q") => ({ id, subject: `conversation-${id}`, channel: "chat" as const, queueId });
const code = (f: () => unknown) => {
  try {
    f();
    return "ok";
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
};

describe("routing: commands", () => {
  it("reclassify keeps the job's place in line (unless told otherwise); a new queue's rules apply", () => {
    const { engine, clock } = setup([
      { id: "q", name: "General" },
      { id: "b", name: "Billing" },
    ]);
    engine.enqueue(chat("early"));
    clock.advance(10_000);
    engine.enqueue(chat("b1", "b"));
    const events = engine.reclassify("early", {
      queueId: "b",
      priority: 0,
      requiredSkills: [{ skill: "billing", minLevel: 2 }],
      reason: "intent billing",
    });
    expect(types(events)).toEqual(["job.reclassified", "job.queued"]);
    expect(events[0]?.data).toMatchObject({
      from: { queueId: "q", priority: 0, requiredSkills: [] },
      to: { queueId: "b", priority: 0, requiredSkills: [{ skill: "billing", minLevel: 2 }] },
      keptWaitTime: true,
    });
    expect(engine.waitingJobs("b").map((j) => j.id)).toEqual(["early", "b1"]);
    expect(engine.position("b1")).toBe(2);
    engine.reclassify("early", { keepWaitTime: false });
    expect(engine.waitingJobs("b").map((j) => j.id)).toEqual(["b1", "early"]);
    engine.reclassify("early", { priority: 3 });
    expect(engine.position("early")).toBe(1);
  });

  it("transfer of an assigned job to a queue frees the agent, who may get the next job", () => {
    const { engine } = setup(
      [
        { id: "q", name: "General" },
        { id: "b", name: "Billing" },
      ],
      [
        { id: "ana", queues: ["q"] },
        { id: "bo", queues: ["b"] },
      ],
    );
    engine.signIn("ana");
    const offer = offers(engine.enqueue(chat("c1")))[0];
    if (!offer) throw new Error("no offer");
    engine.accept(offer.offerId, "ana");
    engine.enqueue(chat("c2"));
    const events = engine.transfer("c1", { kind: "queue", queueId: "b" }, { reason: "needs billing" });
    expect(types(events)).toEqual(["job.transferred", "job.queued", "offer.issued"]);
    expect(events[0]?.data).toMatchObject({ fromQueueId: "q", fromWorkerId: "ana", target: { kind: "queue", queueId: "b" } });
    expect(offers(events)).toEqual([expect.objectContaining({ jobId: "c2", workerId: "ana" })]);
    expect(engine.job("c1")).toMatchObject({ queueId: "b", status: "queued", workerId: null });
    expect(offers(engine.signIn("bo"))[0]?.jobId).toBe("c1");
  });

  it("transfer to a colleague: a direct offer; refused when they cannot take it; back to the queue if they decline", () => {
    const { engine } = setup(
      [{ id: "q", name: "General" }],
      [
        { id: "ana", queues: ["q"] },
        { id: "bo", name: "Bo", queues: [] },
      ],
    );
    engine.signIn("ana");
    const offer = offers(engine.enqueue(chat("c1")))[0];
    if (!offer) throw new Error("no offer");
    engine.accept(offer.offerId, "ana");
    expect(code(() => engine.transfer("c1", { kind: "worker", workerId: "bo" }))).toBe("worker.unavailable");
    expect(engine.job("c1")?.workerId).toBe("ana");
    expect(code(() => engine.transfer("c1", { kind: "worker", workerId: "ana" }))).toBe("job.transfer_to_self");
    engine.signIn("bo");
    const events = engine.transfer("c1", { kind: "worker", workerId: "bo" });
    expect(types(events)).toEqual(["job.transferred", "offer.issued"]);
    expect(events[1]).toMatchObject({ reason: "ana transferred it to Bo", data: { workerId: "bo", directed: true } });
    expect(engine.worker("ana")?.load).toBe(0);
    const direct = offers(events)[0];
    if (!direct) throw new Error("no offer");
    const back = engine.decline(direct.offerId, "bo");
    expect(types(back)).toEqual(["offer.declined", "job.queued", "offer.issued"]);
    expect(offers(back)[0]?.workerId).toBe("ana");
  });

  it("cancel revokes ringing offers and ends the job; an assigned job is completed, not cancelled", () => {
    const { engine } = setup([{ id: "q", name: "General" }], [{ id: "ana", capacity: 2, queues: ["q"] }]);
    engine.signIn("ana");
    engine.enqueue(chat("c1"));
    const events = engine.cancel("c1", "the customer left");
    expect(types(events)).toEqual(["offer.revoked", "job.cancelled"]);
    expect(events[1]?.reason).toBe("the customer left");
    expect(engine.worker("ana")?.reserved).toBe(0);
    expect(code(() => engine.cancel("c1"))).toBe("job.not_found");
    const offer = offers(engine.enqueue(chat("c2")))[0];
    engine.accept(offer?.offerId ?? "", "ana");
    expect(code(() => engine.cancel("c2"))).toBe("job.assigned");
    expect(code(() => engine.complete("nope"))).toBe("job.not_found");
  });

  it("worker changes: a lower capacity, a lost queue or skill revokes offers that no longer fit", () => {
    const { engine } = setup(
      [
        { id: "q", name: "General" },
        { id: "r", name: "Returns" },
      ],
      [{ id: "ana", capacity: 3, queues: ["q", "r"], skills: { returns: 2 } }],
    );
    engine.signIn("ana");
    engine.enqueue(chat("c1"));
    engine.enqueue({ ...chat("r1", "r"), requiredSkills: [{ skill: "returns", minLevel: 2 }] });
    engine.enqueue(chat("c2"));
    expect(engine.worker("ana")?.reserved).toBe(3);
    const fewer = engine.upsertWorker({ id: "ana", capacity: 2, queues: ["q", "r"], skills: { returns: 2 } });
    expect(types(fewer)).toEqual(["offer.revoked"]);
    expect(fewer[0]?.data).toMatchObject({ jobId: "c2" });
    const unskilled = engine.upsertWorker({ id: "ana", capacity: 2, queues: ["q", "r"], skills: {} });
    expect(types(unskilled)).toEqual(["offer.revoked", "offer.issued"]);
    expect(offers(unskilled)[0]?.jobId).toBe("c2");
    const optedOut = engine.setOptOut("ana", "q", true);
    expect(types(optedOut)).toEqual(["offer.revoked", "offer.revoked"]);
    expect(engine.queueStats("q")).toMatchObject({ waiting: 2, optedOut: 1, agents: { available: 0 } });
    expect(engine.explain("c1")).toBe("General has no agents (1 agent opted out)");
    expect(code(() => engine.setOptOut("ana", "zzz", true))).toBe("worker.not_member");
  });

  it("queues: validated, unique names, removal only when empty", () => {
    const { engine } = setup([{ id: "q", name: "General" }], [{ id: "ana", queues: ["q"] }]);
    expect(code(() => engine.upsertQueue({ id: "x", name: "General" }))).toBe("queue.name_taken");
    let error: unknown;
    try {
      engine.upsertQueue({
        id: "x",
        name: "X",
        alertSeconds: 10,
        exceptions: {
          overflow: { threshold: 201, target: { kind: "queue", queueId: "x" } },
          timeout: { seconds: 0, target: { kind: "external_number", number: "555" } },
        },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: "queue.invalid" });
    expect((error as { fields: { field: string }[] }).fields.map((f) => f.field)).toEqual([
      "alertSeconds",
      "exceptions.overflow.threshold",
      "exceptions.overflow.target.queueId",
      "exceptions.timeout.seconds",
      "exceptions.timeout.target.number",
    ]);
    expect(code(() => engine.upsertWorker({ id: "bo", queues: ["nope"] }))).toBe("worker.invalid");
    expect(code(() => engine.enqueue(chat("c1", "nope")))).toBe("queue.not_found");
    expect(code(() => engine.enqueue({ ...chat("c1"), channel: "fax" as never }))).toBe("job.invalid");
    engine.enqueue(chat("c1"));
    expect(code(() => engine.enqueue(chat("c1")))).toBe("job.exists");
    expect(code(() => engine.removeQueue("q"))).toBe("queue.not_empty");
    engine.cancel("c1");
    expect(engine.removeQueue("q")).toEqual([]);
    expect(engine.worker("ana")?.queues).toEqual([]);
    expect(engine.queue("q")).toBeUndefined();
  });

  it("changing a queue's timeout applies to the jobs waiting in it", () => {
    const { engine, clock } = setup([{ id: "q", name: "General" }]);
    engine.enqueue(chat("c1"));
    clock.advance(100_000);
    expect(engine.nextDeadline()).toBeNull();
    engine.upsertQueue({ id: "q", name: "General", exceptions: { timeout: { seconds: 60, target: { kind: "leave_message" } } } });
    expect(engine.nextDeadline()?.toISOString()).toBe("2026-03-02T09:01:00.000Z");
    expect(types(engine.tick())).toEqual(["job.exception", "job.redirected"]);
  });

  it("views for the supervisor: stats, waiting jobs in line order, positions", () => {
    const { engine, clock } = setup(
      [{ id: "q", name: "General" }],
      ["ana", "bo", "cy"].map((id) => ({ id, queues: ["q"] })),
    );
    engine.signIn("ana");
    engine.signIn("bo");
    engine.setPresence("bo", "away");
    engine.enqueue(chat("c1"));
    clock.advance(1000);
    engine.enqueue(chat("c2"));
    engine.enqueue({ ...chat("c3"), priority: 1 });
    expect(engine.queueStats("q")).toEqual({
      queueId: "q",
      waiting: 3,
      offered: 1,
      assigned: 0,
      oldestEnqueuedAt: new Date("2026-03-02T09:00:00.000Z"),
      agents: { available: 1, busy: 0, away: 1, offline: 1, wrap_up: 0 },
      optedOut: 0,
      ready: 0,
    });
    expect(engine.waitingJobs("q").map((j) => [j.id, j.status])).toEqual([
      ["c3", "queued"],
      ["c1", "offered"],
      ["c2", "queued"],
    ]);
    expect(["c1", "c2", "c3"].map((id) => engine.position(id))).toEqual([2, 3, 1]);
    expect(engine.explain("c1")).toBe("ringing at ana in General");
  });

  it("takeChanges: the rows a command changed, and the ids gone, for a store that keeps rows", () => {
    const { engine } = setup([{ id: "q", name: "General", wrapUpSeconds: 10 }], [{ id: "ana", queues: ["q"] }]);
    expect(engine.takeChanges()).toMatchObject({
      queues: [{ config: { id: "q" } }],
      workers: [{ config: { id: "ana" } }],
      jobs: [],
    });
    engine.signIn("ana");
    engine.enqueue(chat("c1"));
    const offered = engine.takeChanges();
    expect(offered.jobs.map((j) => [j.id, j.status])).toEqual([["c1", "offered"]]);
    expect(offered.offers.map((o) => o.workerId)).toEqual(["ana"]);
    expect(offered.workers.map((w) => w.presence)).toEqual(["available"]);
    expect(offered.queues).toEqual([]); // a queue's row changes with its configuration, members, round-robin pointer
    engine.accept(offered.offers[0]?.id ?? "", "ana");
    engine.complete("c1");
    const done = engine.takeChanges();
    expect(done.removed).toEqual({ queues: [], workers: [], jobs: ["c1"], offers: [offered.offers[0]?.id] });
    expect(done.workers.map((w) => [w.presence, w.wrapUpUntil])).toEqual([["wrap_up", "2026-03-02T09:00:10.000Z"]]);
    expect(engine.takeChanges()).toEqual({
      seq: 1,
      queues: [],
      workers: [],
      jobs: [],
      offers: [],
      removed: { queues: [], workers: [], jobs: [], offers: [] },
    });
  });

  it("snapshot and restore: the restored engine continues exactly where the original was", () => {
    const { engine, clock, ids } = setup(
      [
        {
          id: "q",
          name: "General",
          wrapUpSeconds: 20,
          distribution: "round_robin",
          exceptions: { timeout: { seconds: 300, target: { kind: "leave_message" } } },
        },
        { id: "a", name: "Front", distribution: "attendant" },
      ],
      [
        { id: "ana", capacity: 2, queues: ["q", "a"], skills: { x: 1 } },
        { id: "bo", queues: ["q", "a"] },
        { id: "cy", queues: ["q"] },
      ],
    );
    for (const id of ["ana", "bo", "cy"]) engine.signIn(id);
    const first = offers(engine.enqueue(chat("c1")))[0];
    engine.accept(first?.offerId ?? "", first?.workerId ?? "");
    engine.enqueue(chat("c2"));
    engine.enqueue(chat("f1", "a"));
    engine.complete("c1");
    engine.enqueue({ ...chat("c3"), priority: 2 });
    clock.advance(3000);

    const snapshot = JSON.parse(JSON.stringify(engine.snapshot()));
    const restored = RoutingEngine.restore(snapshot, { clock, ids: new CountingIds(ids.n) });
    expect(restored.snapshot()).toEqual(engine.snapshot());
    expect(restored.listWorkers()).toEqual(engine.listWorkers());
    expect(restored.listJobs()).toEqual(engine.listJobs());
    expect(restored.nextDeadline()).toEqual(engine.nextDeadline());
    for (const step of [
      (e: RoutingEngine) => e.enqueue(chat("c4")),
      (e: RoutingEngine) => e.tick(new Date("2026-03-02T09:00:40.000Z")),
      (e: RoutingEngine) => e.signIn("ana"),
      (e: RoutingEngine) => e.tick(new Date("2026-03-02T09:10:00.000Z")),
    ]) {
      expect(step(restored)).toEqual(step(engine));
    }
    expect(code(() => RoutingEngine.restore({ version: 2 } as never, { clock, ids }))).toBe("routing.snapshot_invalid");
  });
});
