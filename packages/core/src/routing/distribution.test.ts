import { describe, expect, it } from "vitest";
import { ManualClock } from "../kernel/clock.js";
import { SequentialIds } from "../kernel/ids.js";
import { RoutingEngine } from "./engine.js";
import type { RoutingEvent, RoutingEventOf } from "./events.js";
import type { QueueInput, WorkerInput } from "./model.js";

function setup(queues: QueueInput[], workers: WorkerInput[]) {
  const clock = new ManualClock("2026-03-02T09:00:00.000Z");
  const engine = new RoutingEngine({ clock, ids: new SequentialIds("o") });
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

/** Enqueues a chat and has whoever is offered it accept. */
function serve(engine: RoutingEngine, subject: string, queueId = "q") {
  const events = engine.enqueue({ id: subject, subject, channel: "chat", queueId });
  const offer = offers(events)[0];
  if (offer) engine.accept(offer.offerId, offer.workerId);
  return offer?.workerId;
}

describe("routing: distribution", () => {
  it("longest idle: the worker available longest gets the job, then the next", () => {
    const { engine, clock } = setup(
      [{ id: "q", name: "Sales" }],
      ["ana", "bo", "cy"].map((id) => ({ id, queues: ["q"] })),
    );
    engine.signIn("bo");
    clock.advance(1000);
    engine.signIn("ana");
    clock.advance(1000);
    engine.signIn("cy");
    expect(serve(engine, "c1")).toBe("bo");
    expect(serve(engine, "c2")).toBe("ana");
    expect(serve(engine, "c3")).toBe("cy");
  });

  it("longest idle: the lowest load ratio wins over a longer idle time", () => {
    const { engine, clock } = setup(
      [{ id: "q", name: "Chat" }],
      [
        { id: "ana", capacity: 4, queues: ["q"] },
        { id: "bo", capacity: 2, queues: ["q"] },
      ],
    );
    engine.signIn("ana");
    clock.advance(1000);
    engine.signIn("bo");
    const next = (subject: string) => {
      clock.advance(1000);
      return serve(engine, subject);
    };
    expect(next("c1")).toBe("ana"); // both 0 loaded: ana has been available longer
    expect(next("c2")).toBe("bo"); // bo 0/2 < ana 1/4
    expect(next("c3")).toBe("ana"); // ana 1/4 < bo 1/2
    expect(next("c4")).toBe("bo"); // 2/4 = 1/2: bo's last job is the older one
    expect(engine.worker("ana")?.load).toBe(2);
    expect(engine.worker("bo")?.load).toBe(2);
  });

  it("round robin: rotates through the members, skipping the ones who cannot take it", () => {
    const { engine } = setup(
      [{ id: "q", name: "Support", distribution: "round_robin" }],
      ["ana", "bo", "cy"].map((id) => ({ id, capacity: 10, queues: ["q"] })),
    );
    for (const id of ["ana", "bo", "cy"]) engine.signIn(id);
    const got = ["c1", "c2", "c3", "c4"].map((s) => serve(engine, s));
    expect(got).toEqual(["ana", "bo", "cy", "ana"]);
    engine.setPresence("bo", "away");
    expect([serve(engine, "c5"), serve(engine, "c6")]).toEqual(["cy", "ana"]);
  });

  it("serial: always the first in the fixed order who can take it", () => {
    const { engine } = setup(
      [{ id: "q", name: "VIP", distribution: "serial", serialOrder: ["cy", "ana"] }],
      ["ana", "bo", "cy"].map((id) => ({ id, capacity: 1, queues: ["q"] })),
    );
    for (const id of ["ana", "bo", "cy"]) engine.signIn(id);
    // cy, then ana, then bo (not in the order: after it).
    expect(["c1", "c2", "c3"].map((s) => serve(engine, s))).toEqual(["cy", "ana", "bo"]);
    engine.complete("c1");
    expect(serve(engine, "c4")).toBe("cy");
  });

  it("attendant: rings every eligible worker at once; the first accept wins and the others are revoked", () => {
    const { engine } = setup(
      [{ id: "q", name: "Front desk", distribution: "attendant" }],
      ["ana", "bo", "cy"].map((id) => ({ id, queues: ["q"] })),
    );
    for (const id of ["ana", "bo"]) engine.signIn(id);
    const rung = offers(engine.enqueue({ id: "c1", subject: "c1", channel: "chat", queueId: "q" }));
    expect(rung.map((o) => o.workerId).sort()).toEqual(["ana", "bo"]);
    // A worker who becomes available while it rings is rung too.
    expect(offeredTo(engine.signIn("cy"))).toEqual(["cy"]);
    const boOffer = rung.find((o) => o.workerId === "bo");
    const anaOffer = rung.find((o) => o.workerId === "ana");
    if (!boOffer || !anaOffer) throw new Error("no offers");
    const events = engine.accept(boOffer.offerId, "bo");
    expect(events.map((e) => e.type)).toEqual(["offer.accepted", "job.assigned", "offer.revoked", "offer.revoked"]);
    expect(events.find((e) => e.type === "offer.revoked")?.reason).toBe("bo accepted it first");
    expect(() => engine.accept(anaOffer.offerId, "ana")).toThrow(expect.objectContaining({ code: "offer.closed" }));
    expect(engine.job("c1")?.workerId).toBe("bo");
  });

  it("best skill: the highest score over the required skills, ties to the longest idle", () => {
    const { engine, clock } = setup(
      [{ id: "q", name: "Billing", distribution: "best_skill" }],
      [
        { id: "ana", queues: ["q"], skills: { billing: 2, french: 1 } },
        { id: "bo", queues: ["q"], skills: { billing: 5 } },
        { id: "cy", queues: ["q"], skills: { billing: 5 } },
        { id: "dee", queues: ["q"], skills: { billing: 9 } },
      ],
    );
    engine.signIn("cy");
    clock.advance(1000);
    for (const id of ["ana", "bo"]) engine.signIn(id);
    const need = [{ skill: "billing", minLevel: 2 }];
    const first = engine.enqueue({ id: "c1", subject: "c1", channel: "chat", queueId: "q", requiredSkills: need });
    expect(offeredTo(first)).toEqual(["cy"]); // cy and bo score 5; cy waited longer
    expect(offers(first)[0]).toBeDefined();
    expect(first.find((e) => e.type === "offer.issued")?.reason).toBe(
      "best skill match in Billing: cy (score 5 for billing >= 2)",
    );
    engine.signIn("dee");
    expect(offeredTo(engine.enqueue({ id: "c2", subject: "c2", channel: "chat", queueId: "q", requiredSkills: need }))).toEqual([
      "dee",
    ]);
  });

  it("priority first, then the oldest: a freed worker takes the best job across all its queues", () => {
    const { engine, clock, later } = setup(
      [
        { id: "q", name: "Sales", wrapUpSeconds: 0 },
        { id: "r", name: "Returns" },
      ],
      [{ id: "ana", queues: ["q", "r"] }],
    );
    engine.signIn("ana");
    expect(serve(engine, "busy")).toBe("ana");
    engine.enqueue({ id: "old", subject: "old", channel: "chat", queueId: "q" });
    clock.advance(1000);
    engine.enqueue({
      id: "older-in-r",
      subject: "r1",
      channel: "chat",
      queueId: "r",
      enqueuedAt: new Date("2026-03-02T08:59:00Z"),
    });
    engine.enqueue({ id: "urgent", subject: "u", channel: "chat", queueId: "q", priority: 5 });
    engine.enqueue({ id: "newest", subject: "n", channel: "chat", queueId: "r" });
    const order: string[] = [];
    let events = engine.complete("busy");
    for (let i = 0; i < 4; i++) {
      const offer = offers(events)[0];
      if (!offer) break;
      order.push(offer.jobId);
      engine.accept(offer.offerId, "ana");
      events = engine.complete(offer.jobId);
    }
    expect(order).toEqual(["urgent", "older-in-r", "old", "newest"]);
    expect(later(60)).toEqual([]);
  });

  it("offers nobody who cannot take it: wrap-up, away, busy, offline, opted out, no skill, no room for the channel", () => {
    const { engine, clock, later } = setup(
      [{ id: "q", name: "Care", wrapUpSeconds: 30 }],
      [
        { id: "wrap", queues: ["q"] },
        { id: "away", queues: ["q"] },
        { id: "busy", queues: ["q"] },
        { id: "off", queues: ["q"] },
        { id: "opted", queues: ["q"], optedOut: ["q"] },
        { id: "unskilled", capacity: 2, queues: ["q"], skills: { care: 1 } },
        { id: "chatty", capacity: 4, costs: { chat: 1, voice: 4 }, queues: ["q"], skills: { care: 3 } },
      ],
    );
    for (const id of ["wrap", "unskilled", "chatty", "away", "busy", "opted"]) {
      engine.signIn(id);
      clock.advance(1000);
    }
    engine.setPresence("away", "away");
    engine.setPresence("busy", "busy");
    expect(serve(engine, "first")).toBe("wrap");
    engine.complete("first");
    expect(engine.worker("wrap")?.presence).toBe("wrap_up");
    expect(serve(engine, "chat-1")).toBe("unskilled");
    expect(serve(engine, "chat-2")).toBe("chatty");
    // chatty has room for three more chats, not for a call (4 units).
    const care = [{ skill: "care", minLevel: 2 }];
    const call = engine.enqueue({ id: "call", subject: "call", channel: "voice", queueId: "q", requiredSkills: care });
    expect(offeredTo(call)).toEqual([]);
    expect(call[0]?.reason).toBe(
      "new voice job for Care; no agent in Care can take a call with care >= 2 now: 1 available agent lacks care >= 2, " +
        "1 available agent without room for a call, 1 busy, 1 away, 1 in wrap-up, 1 offline, 1 opted out",
    );
    // The wrap-up ends, but "wrap" lacks the skill; chatty completes its chat, wraps up, then gets the call.
    expect(offeredTo(later(30))).toEqual([]);
    expect(offeredTo(engine.complete("chat-2"))).toEqual([]);
    expect(offeredTo(later(30))).toEqual(["chatty"]);
  });
});
