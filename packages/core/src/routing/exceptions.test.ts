import { describe, expect, it } from "vitest";
import { ManualClock } from "../kernel/clock.js";
import { SequentialIds } from "../kernel/ids.js";
import { RoutingEngine } from "./engine.js";
import type { RoutingEvent, RoutingEventOf } from "./events.js";
import type { QueueInput, WorkerInput } from "./model.js";

function setup(queues: QueueInput[], workers: WorkerInput[] = []) {
  const clock = new ManualClock("2026-03-02T09:00:00.000Z");
  const engine = new RoutingEngine({ clock, ids: new SequentialIds("o") });
  for (const q of queues) engine.upsertQueue(q);
  for (const w of workers) engine.upsertWorker(w);
  return { clock, engine };
}

const types = (events: RoutingEvent[]) => events.map((e) => e.type);
const find = <T extends RoutingEvent["type"]>(events: RoutingEvent[], type: T) =>
  events.find((e) => e.type === type) as RoutingEventOf<T> | undefined;
const chat = (id: string, queueId = "q") => ({ id, subject: `conversation-${id}`, channel: "chat" as const, queueId });

describe("routing: exceptions", () => {
  it("overflow: more than N waiting redirects the newest arrival", () => {
    const { engine } = setup([
      { id: "q", name: "Sales", exceptions: { overflow: { threshold: 2, target: { kind: "leave_message" } } } },
    ]);
    expect(types(engine.enqueue(chat("c1")))).toEqual(["job.queued"]);
    expect(types(engine.enqueue(chat("c2")))).toEqual(["job.queued"]);
    const third = engine.enqueue(chat("c3"));
    expect(types(third)).toEqual(["job.exception", "job.redirected"]);
    expect(third[0]).toMatchObject({
      reason: "3 waiting in Sales, more than its overflow threshold of 2: overflow redirect to leave a message for follow-up",
      data: { jobId: "c3", queueId: "q", kind: "overflow", target: { kind: "leave_message" } },
    });
    expect(third[1]?.data).toMatchObject({ jobId: "c3", subject: "conversation-c3", target: { kind: "leave_message" } });
    expect(engine.job("c3")).toBeUndefined();
    expect(engine.queueStats("q").waiting).toBe(2);
  });

  it("overflow threshold 0 redirects every arrival at once, even with agents free", () => {
    const { engine } = setup(
      [
        {
          id: "q",
          name: "Closed",
          exceptions: { overflow: { threshold: 0, target: { kind: "end", message: "We're closed." } } },
        },
      ],
      [{ id: "ana", queues: ["q"] }],
    );
    engine.signIn("ana");
    const events = engine.enqueue(chat("c1"));
    expect(types(events)).toEqual(["job.exception", "job.redirected"]);
    expect(find(events, "job.redirected")?.data.target).toEqual({ kind: "end", message: "We're closed." });
  });

  it("overflow to another queue: the job arrives there, keeping its place in line; a loop between two queues stops", () => {
    const full = (other: string) => ({ overflow: { threshold: 0, target: { kind: "queue" as const, queueId: other } } });
    const { engine } = setup([
      { id: "a", name: "A", exceptions: full("b") },
      { id: "b", name: "B", exceptions: full("a") },
      { id: "c", name: "C" },
    ]);
    const events = engine.enqueue({ ...chat("c1", "a"), requiredSkills: [{ skill: "x", minLevel: 1 }] });
    expect(types(events)).toEqual(["job.exception", "job.exception", "job.queued"]);
    const queued = find(events, "job.queued");
    expect(queued?.data).toMatchObject({ queueId: "b", previousQueueId: "a", requiredSkills: [] });
    expect(queued?.reason).toMatch(/^overflow redirect from B: A already passed it on \(a redirect loop\), so it stays/);
    engine.upsertQueue({
      id: "b",
      name: "B",
      exceptions: { overflow: { threshold: 0, target: { kind: "queue", queueId: "c" } } },
    });
    const moved = engine.enqueue(chat("c2", "a"));
    expect(types(moved)).toEqual(["job.exception", "job.exception", "job.queued"]);
    expect(find(moved, "job.queued")?.data).toMatchObject({ queueId: "c", previousQueueId: "b" });
    expect(engine.job("c2")?.queueId).toBe("c");
  });

  it("timeout: fires on time, in the middle of a ring, and revokes the offer", () => {
    const { engine, clock } = setup(
      [{ id: "q", name: "Sales", alertSeconds: 60, exceptions: { timeout: { seconds: 45, target: { kind: "leave_message" } } } }],
      [{ id: "ana", queues: ["q"] }],
    );
    engine.enqueue(chat("c1"));
    clock.advance(30_000);
    engine.signIn("ana"); // rings until 09:01:30, but the timeout is due at 09:00:45
    expect(engine.nextDeadline()?.toISOString()).toBe("2026-03-02T09:00:45.000Z");
    clock.advance(14_999);
    expect(engine.tick()).toEqual([]);
    clock.advance(1);
    const fired = engine.tick();
    expect(types(fired)).toEqual(["offer.revoked", "job.exception", "job.redirected"]);
    expect(fired[1]?.reason).toBe(
      "waited 45 s in Sales, past its timeout of 45 s: timeout redirect to leave a message for follow-up",
    );
    expect(fired[1]?.at.toISOString()).toBe("2026-03-02T09:00:45.000Z");
    expect(engine.worker("ana")).toMatchObject({ presence: "available", reserved: 0 });
  });

  it("timeout to another queue: the timeout there runs from the move", () => {
    const { engine, clock } = setup([
      { id: "q", name: "Sales", exceptions: { timeout: { seconds: 60, target: { kind: "queue", queueId: "r" } } } },
      { id: "r", name: "Backup", exceptions: { timeout: { seconds: 30, target: { kind: "leave_message" } } } },
    ]);
    engine.enqueue(chat("c1"));
    clock.advance(60_000);
    const moved = engine.tick();
    expect(types(moved)).toEqual(["job.exception", "job.queued"]);
    expect(engine.job("c1")).toMatchObject({ queueId: "r", enqueuedAt: new Date("2026-03-02T09:00:00.000Z") });
    expect(engine.nextDeadline()?.toISOString()).toBe("2026-03-02T09:01:30.000Z");
    clock.advance(30_000);
    expect(types(engine.tick())).toEqual(["job.exception", "job.redirected"]);
  });

  it("no agents (none signed in): redirect at arrival", () => {
    const { engine } = setup(
      [{ id: "q", name: "Sales", exceptions: { noAgents: { when: "none_signed_in", action: { kind: "leave_message" } } } }],
      [{ id: "ana", queues: ["q"] }],
    );
    const events = engine.enqueue(chat("c1"));
    expect(types(events)).toEqual(["job.exception", "job.redirected"]);
    expect(events[0]?.reason).toBe(
      "no agent of Sales for a chat is signed in: no agents redirect to leave a message for follow-up",
    );
    engine.signIn("ana");
    engine.setPresence("ana", "away");
    // Away is signed in: the job waits for her.
    expect(types(engine.enqueue(chat("c2")))).toEqual(["job.queued"]);
  });

  it("no agents counts only agents who could take the job (channel and skills)", () => {
    const { engine } = setup(
      [{ id: "q", name: "Billing", exceptions: { noAgents: { when: "none_available", action: { kind: "leave_message" } } } }],
      [
        { id: "ana", queues: ["q"], skills: { billing: 1 } },
        { id: "bo", queues: ["q"], costs: { chat: 1 }, skills: { billing: 3 } },
      ],
    );
    engine.signIn("ana");
    engine.signIn("bo");
    const needs = [{ skill: "billing", minLevel: 2 }];
    expect(types(engine.enqueue({ ...chat("c1"), requiredSkills: needs }))).toEqual(["job.queued", "offer.issued"]);
    // bo takes no calls, ana lacks the level: nobody for this one.
    const call = engine.enqueue({ id: "v1", subject: "v1", channel: "voice", queueId: "q", requiredSkills: needs });
    expect(call[0]?.reason).toMatch(/^no agent of Billing for a call with billing >= 2 is available/);
    expect(types(call)).toEqual(["job.exception", "job.redirected"]);
  });

  it("no agents, queue anyway: the exception is recorded and the job waits", () => {
    const { engine } = setup([
      { id: "q", name: "Sales", exceptions: { noAgents: { when: "none_available", action: "queue_anyway" } } },
    ]);
    const events = engine.enqueue(chat("c1"));
    expect(types(events)).toEqual(["job.exception", "job.queued"]);
    expect(events[0]?.data).toMatchObject({ kind: "no_agents", target: null });
    expect(events[0]?.reason).toBe("no agent of Sales for a chat is available: queued anyway");
    expect(events[1]?.reason).toBe("new chat job for Sales; Sales has no agents");
  });

  it("no agents: when the last agent leaves, the waiting jobs are redirected", () => {
    const { engine } = setup(
      [{ id: "q", name: "Sales", exceptions: { noAgents: { when: "none_available", action: { kind: "leave_message" } } } }],
      [{ id: "ana", capacity: 1, queues: ["q"] }],
    );
    engine.signIn("ana");
    const offer = engine.enqueue(chat("c1")).find((e) => e.type === "offer.issued");
    if (offer?.type !== "offer.issued") throw new Error("no offer");
    engine.accept(offer.data.offerId, "ana");
    expect(types(engine.enqueue(chat("c2")))).toEqual(["job.queued"]);
    expect(types(engine.enqueue(chat("c3")))).toEqual(["job.queued"]);
    const gone = engine.setPresence("ana", "away");
    expect(types(gone)).toEqual([
      "worker.presence_changed",
      "job.exception",
      "job.redirected",
      "job.exception",
      "job.redirected",
    ]);
    expect(gone.filter((e) => e.type === "job.redirected").map((e) => (e.type === "job.redirected" ? e.data.jobId : ""))).toEqual(
      ["c2", "c3"],
    );
    expect(engine.job("c1")?.status).toBe("assigned");
  });

  it("redirect to a person: offered to them directly when they can take it, else it stays in the queue", () => {
    const { engine, clock } = setup(
      [{ id: "q", name: "Sales", exceptions: { timeout: { seconds: 60, target: { kind: "worker", workerId: "sup" } } } }],
      [
        { id: "sup", name: "Supervisor", queues: [] },
        { id: "ana", queues: ["q"] },
      ],
    );
    engine.enqueue(chat("c1"));
    clock.advance(60_000);
    const stays = engine.tick();
    expect(types(stays)).toEqual(["job.exception", "job.queued"]);
    expect(stays[1]?.reason).toMatch(/^timeout redirect from Sales: Supervisor is offline, so it stays/);
    engine.signIn("sup");
    clock.advance(60_000);
    const direct = engine.tick();
    expect(types(direct)).toEqual(["job.exception", "offer.issued"]);
    expect(direct[1]).toMatchObject({
      reason: "timeout redirect from Sales: offered to Supervisor directly",
      data: { workerId: "sup", directed: true },
    });
    // Declined: back in line in Sales, where the timeout starts again.
    const offerId = engine.job("c1")?.offerIds[0] ?? "";
    const back = engine.decline(offerId, "sup");
    expect(types(back)).toEqual(["offer.declined", "job.queued"]);
    expect(back[1]?.reason).toMatch(/^Supervisor declined the transfer; back in line in Sales/);
  });
});
