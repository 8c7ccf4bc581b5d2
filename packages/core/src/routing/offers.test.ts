import { describe, expect, it } from "vitest";
import { ManualClock } from "../kernel/clock.js";
import { SequentialIds } from "../kernel/ids.js";
import type { AssignmentGuard } from "./assignment-guard.js";
import { RoutingEngine } from "./engine.js";
import type { RoutingEvent, RoutingEventOf } from "./events.js";
import type { QueueInput, WorkerInput } from "./model.js";

function setup(queues: QueueInput[], workers: WorkerInput[], guard?: AssignmentGuard) {
  const clock = new ManualClock("2026-03-02T09:00:00.000Z");
  const engine = new RoutingEngine({ clock, ids: new SequentialIds("o"), ...(guard ? { guard } : {}) });
  for (const q of queues) engine.upsertQueue(q);
  for (const w of workers) engine.upsertWorker(w);
  const later = (seconds: number) => {
    clock.advance(seconds * 1000);
    return engine.tick();
  };
  return { clock, engine, later };
}

const offers = (events: RoutingEvent[]) =>
  events.filter((e): e is RoutingEventOf<"offer.issued"> => e.type === "offer.issued").map((e) => e.data);
const offeredTo = (events: RoutingEvent[]) => offers(events).map((o) => o.workerId);
const types = (events: RoutingEvent[]) => events.map((e) => e.type);

function firstOffer(events: RoutingEvent[]) {
  const offer = offers(events)[0];
  if (!offer) throw new Error(`no offer in ${types(events).join(", ")}`);
  return offer;
}

const chat = (id: string, queueId = "q") => ({ id, subject: `conversation-${id}`, channel: "chat" as const, queueId });

describe("routing: offers, presence and wrap-up", () => {
  it("an accepted offer assigns the job and takes the worker's capacity", () => {
    const { engine, clock } = setup([{ id: "q", name: "Sales" }], [{ id: "ana", capacity: 2, queues: ["q"] }]);
    engine.signIn("ana");
    const issued = engine.enqueue(chat("c1"));
    expect(types(issued)).toEqual(["job.queued", "offer.issued"]);
    expect(issued[0]?.reason).toBe("new chat job for Sales");
    const offer = firstOffer(issued);
    expect(offer.expiresAt.toISOString()).toBe("2026-03-02T09:00:30.000Z");
    expect(engine.worker("ana")).toMatchObject({ load: 0, reserved: 1 });
    clock.advance(4000);
    const accepted = engine.accept(offer.offerId, "ana");
    expect(types(accepted)).toEqual(["offer.accepted", "job.assigned"]);
    expect(accepted[1]?.data).toMatchObject({ jobId: "c1", workerId: "ana", queueId: "q", waitedMs: 4000 });
    expect(engine.worker("ana")).toMatchObject({ load: 1, reserved: 0, jobIds: ["c1"] });
    expect(engine.job("c1")).toMatchObject({ status: "assigned", workerId: "ana" });
    expect(engine.explain("c1")).toBe("assigned to ana in Sales");
  });

  it("refuses an accept of someone else's offer, after the countdown, or twice", () => {
    const { engine, clock } = setup([{ id: "q", name: "Sales", alertSeconds: 20 }], [{ id: "ana", queues: ["q"] }]);
    engine.signIn("ana");
    const offer = firstOffer(engine.enqueue(chat("c1")));
    expect(() => engine.accept(offer.offerId, "bo")).toThrow(expect.objectContaining({ code: "offer.not_yours" }));
    expect(() => engine.accept("nope", "ana")).toThrow(expect.objectContaining({ code: "offer.not_found" }));
    clock.advance(20_000);
    // The countdown reached zero: refused even though no tick expired it yet, and nothing changed.
    expect(() => engine.accept(offer.offerId, "ana")).toThrow(expect.objectContaining({ code: "offer.expired" }));
    expect(engine.offer(offer.offerId)?.outcome).toBeNull();
    expect(types(engine.tick())).toEqual(["offer.expired", "worker.presence_changed"]);
    expect(() => engine.accept(offer.offerId, "ana")).toThrow(expect.objectContaining({ code: "offer.expired" }));
  });

  it("a declined job goes to others first, and back to the decliner after reofferSeconds", () => {
    const { engine, clock, later } = setup(
      [{ id: "q", name: "Sales", reofferSeconds: 20 }],
      [
        { id: "ana", queues: ["q"] },
        { id: "bo", queues: ["q"] },
      ],
    );
    engine.signIn("ana");
    clock.advance(1000);
    const first = firstOffer(engine.enqueue(chat("c1")));
    expect(first.workerId).toBe("ana");
    // Ana declines; nobody else is there, so it waits (not straight back to her).
    const declined = engine.decline(first.offerId, "ana", "on a break");
    expect(types(declined)).toEqual(["offer.declined"]);
    expect(declined[0]?.reason).toBe("on a break");
    expect(engine.explain("c1")).toMatch(/1 agent declined or missed it lately \(others first\)/);
    // Bo signs in within the pause: he gets it although Ana has waited longer.
    clock.advance(5000);
    const toBo = firstOffer(engine.signIn("bo"));
    expect(toBo.workerId).toBe("bo");
    engine.decline(toBo.offerId, "bo");
    // Ana's pause ends 20 s after her decline: back to her.
    expect(engine.nextDeadline()?.toISOString()).toBe("2026-03-02T09:00:21.000Z");
    expect(offeredTo(later(15))).toEqual(["ana"]);
  });

  it("an unanswered offer expires, goes to the next worker, and sets the one who missed it away", () => {
    const { engine, clock, later } = setup(
      [{ id: "q", name: "Sales", alertSeconds: 15 }],
      [
        { id: "ana", queues: ["q"] },
        { id: "bo", queues: ["q"] },
      ],
    );
    engine.signIn("ana");
    clock.advance(1000);
    engine.signIn("bo");
    const first = firstOffer(engine.enqueue(chat("c1")));
    expect(first.workerId).toBe("ana");
    expect(engine.nextDeadline()).toEqual(first.expiresAt);
    expect(later(14)).toEqual([]);
    const expired = later(1);
    expect(types(expired)).toEqual(["offer.expired", "worker.presence_changed", "offer.issued"]);
    expect(expired[0]?.reason).toBe("ana did not answer within 15 s");
    expect(expired[1]).toMatchObject({ data: { workerId: "ana", from: "available", to: "away" } });
    expect(offeredTo(expired)).toEqual(["bo"]);
  });

  it("keep_presence: a missed offer leaves the worker available, and the job comes back after the pause", () => {
    const { engine, later } = setup(
      [{ id: "q", name: "Sales", alertSeconds: 15, missedOffer: "keep_presence", reofferSeconds: 5 }],
      [{ id: "ana", queues: ["q"] }],
    );
    engine.signIn("ana");
    firstOffer(engine.enqueue(chat("c1")));
    expect(types(later(15))).toEqual(["offer.expired"]);
    expect(engine.worker("ana")?.presence).toBe("available");
    expect(offeredTo(later(5))).toEqual(["ana"]);
  });

  it("going away, busy or offline revokes ringing offers; assigned jobs stay", () => {
    const { engine } = setup(
      [{ id: "q", name: "Sales" }],
      [
        { id: "ana", capacity: 2, queues: ["q"] },
        { id: "bo", queues: ["q"] },
      ],
    );
    engine.signIn("ana");
    engine.accept(firstOffer(engine.enqueue(chat("c1"))).offerId, "ana");
    firstOffer(engine.enqueue(chat("c2")));
    const away = engine.setPresence("ana", "busy");
    expect(types(away)).toEqual(["worker.presence_changed", "offer.revoked"]);
    expect(away[1]?.reason).toBe("ana is busy");
    expect(engine.job("c2")?.status).toBe("queued");
    expect(engine.job("c1")).toMatchObject({ status: "assigned", workerId: "ana" });
    expect(offeredTo(engine.signIn("bo"))).toEqual(["bo"]);
    expect(() => engine.setPresence("bo", "wrap_up" as never)).toThrow(
      expect.objectContaining({ code: "worker.presence_invalid" }),
    );
  });

  it("complete: wrap-up for the queue's wrapUpSeconds, then available again and the next job", () => {
    const { engine, later } = setup([{ id: "q", name: "Sales", wrapUpSeconds: 45 }], [{ id: "ana", queues: ["q"] }]);
    engine.signIn("ana");
    engine.accept(firstOffer(engine.enqueue(chat("c1"))).offerId, "ana");
    engine.enqueue(chat("c2"));
    const done = engine.complete("c1");
    expect(types(done)).toEqual(["job.completed", "worker.presence_changed", "worker.wrap_up_started"]);
    expect(done[2]?.data).toMatchObject({ workerId: "ana", jobId: "c1", until: new Date("2026-03-02T09:00:45.000Z") });
    expect(engine.worker("ana")).toMatchObject({ presence: "wrap_up", load: 0 });
    expect(engine.job("c1")).toBeUndefined();
    expect(later(44)).toEqual([]);
    const after = later(1);
    expect(types(after)).toEqual(["worker.wrap_up_ended", "worker.presence_changed", "offer.issued"]);
    expect(offeredTo(after)).toEqual(["ana"]);
  });

  it("a worker ends wrap-up early by setting available; a second completion extends it", () => {
    const { engine, clock } = setup([{ id: "q", name: "Sales", wrapUpSeconds: 30 }], [{ id: "ana", capacity: 2, queues: ["q"] }]);
    engine.signIn("ana");
    engine.accept(firstOffer(engine.enqueue(chat("c1"))).offerId, "ana");
    engine.accept(firstOffer(engine.enqueue(chat("c2"))).offerId, "ana");
    engine.complete("c1");
    clock.advance(10_000);
    const extended = engine.complete("c2");
    expect(types(extended)).toEqual(["job.completed", "worker.wrap_up_started"]);
    expect(engine.worker("ana")?.wrapUpUntil?.toISOString()).toBe("2026-03-02T09:00:40.000Z");
    engine.enqueue(chat("c3"));
    const back = engine.setPresence("ana", "available");
    expect(types(back)).toEqual(["worker.wrap_up_ended", "worker.presence_changed", "offer.issued"]);
    // The old wrap-up deadline is stale now: nothing fires for it.
    expect(engine.nextDeadline()?.toISOString()).toBe("2026-03-02T09:00:40.000Z"); // the new offer's expiry
  });

  it("a refusing assignment guard revokes the offer instead, and the job waits again", () => {
    const refusals: string[] = [];
    const guard: AssignmentGuard = {
      allowAssignment: (request) => {
        refusals.push(request.jobId);
        return { ok: false, reason: "this node lost its lease" };
      },
    };
    const { engine } = setup([{ id: "q", name: "Sales", reofferSeconds: 0 }], [{ id: "ana", queues: ["q"] }], guard);
    engine.signIn("ana");
    const offer = firstOffer(engine.enqueue(chat("c1")));
    const events = engine.accept(offer.offerId, "ana");
    expect(types(events)).toEqual(["offer.revoked", "offer.issued"]);
    expect(events[0]?.reason).toBe("the assignment was refused: this node lost its lease");
    expect(refusals).toEqual(["c1"]);
    expect(engine.job("c1")?.status).toBe("offered");
  });

  it("nextDeadline is the earliest of offer expiries, timeouts and wrap-ups; null when idle", () => {
    const { engine, clock } = setup(
      [
        {
          id: "q",
          name: "Sales",
          alertSeconds: 60,
          wrapUpSeconds: 20,
          exceptions: { timeout: { seconds: 90, target: { kind: "leave_message" } } },
        },
      ],
      [{ id: "ana", queues: ["q"] }],
    );
    expect(engine.nextDeadline()).toBeNull();
    engine.enqueue(chat("c1"));
    expect(engine.nextDeadline()?.toISOString()).toBe("2026-03-02T09:01:30.000Z");
    clock.advance(10_000);
    engine.signIn("ana");
    expect(engine.nextDeadline()?.toISOString()).toBe("2026-03-02T09:01:10.000Z");
    const offer = engine.job("c1")?.offerIds[0] ?? "";
    engine.accept(offer, "ana");
    expect(engine.nextDeadline()).toBeNull();
    engine.complete("c1");
    expect(engine.nextDeadline()?.toISOString()).toBe("2026-03-02T09:00:30.000Z");
  });
});
