import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type IdentityStore, ManualClock, type RoutingEventRecord, type RoutingStateStore } from "../src/index.js";
import { expectDomainError } from "./identity-store.contract.js";

/** What the routing state contract needs: a fresh, empty store per test, with identities to make tenants in. */
export interface RoutingStateStoreFixture {
  readonly identities: IdentityStore;
  readonly routing: RoutingStateStore;
  close(): Promise<void>;
}

const ACME = "tenant-acme";
const GLOBEX = "tenant-globex";

/**
 * The behaviour every `RoutingStateStore` shares: one snapshot per tenant (any JSON, replaced on save),
 * and a routing log per tenant numbered 1, 2, ... in append order, with batches appended whole and
 * concurrent appends getting distinct, consecutive positions.
 */
export function routingStateStoreContract(name: string, make: () => Promise<RoutingStateStoreFixture>): void {
  describe(`RoutingStateStore contract: ${name}`, () => {
    let fixture: RoutingStateStoreFixture;
    let store: RoutingStateStore;
    let clock: ManualClock;

    const tick = (): Date => {
      clock.advance(1000);
      return clock.now();
    };

    const event = (type: string, data: unknown = { n: type }): RoutingEventRecord => ({ type, subject: null, data, at: tick() });

    const positions = async (tenantId: string) =>
      (await store.listEvents(tenantId, 0, 100_000)).map((e) => [e.position, e.type] as const);

    beforeEach(async () => {
      fixture = await make();
      store = fixture.routing;
      clock = new ManualClock("2026-03-01T09:00:00.000Z");
      await fixture.identities.createTenant({ id: ACME, slug: "acme", name: "Acme", createdAt: tick() });
      await fixture.identities.createTenant({ id: GLOBEX, slug: "globex", name: "Globex", createdAt: tick() });
    });

    afterEach(async () => {
      await fixture.close();
    });

    describe("snapshots", () => {
      it("has none at first, then each tenant's latest, by tenant", async () => {
        expect(await store.loadSnapshots()).toEqual([]);
        await store.saveSnapshot(GLOBEX, { version: 1, jobs: [] }, tick());
        await store.saveSnapshot(ACME, { version: 1, jobs: ["job-1"] }, tick());
        expect(await store.loadSnapshots()).toEqual([
          { tenantId: ACME, snapshot: { version: 1, jobs: ["job-1"] } },
          { tenantId: GLOBEX, snapshot: { version: 1, jobs: [] } },
        ]);
        await store.saveSnapshot(ACME, { version: 2, jobs: [], workers: { "identity-agent-1": { load: 2 } } }, tick());
        expect(await store.loadSnapshots()).toEqual([
          { tenantId: ACME, snapshot: { version: 2, jobs: [], workers: { "identity-agent-1": { load: 2 } } } },
          { tenantId: GLOBEX, snapshot: { version: 1, jobs: [] } },
        ]);
      });

      it("round-trips any JSON snapshot, undefined as null", async () => {
        const snapshots: unknown[] = [
          null,
          { jobs: [{ id: "job-1", offers: [{ workerId: "w", at: "2026-03-01T09:00:00.000Z" }] }], empty: {}, list: [] },
          ["a", 1, false, null, [], {}],
          "text with “quotes”, \\ backslashes and\nnewlines",
          0,
          -12.5,
          true,
        ];
        for (const snapshot of snapshots) {
          await store.saveSnapshot(ACME, snapshot, tick());
          expect(await store.loadSnapshots()).toEqual([{ tenantId: ACME, snapshot }]);
        }
        await store.saveSnapshot(ACME, undefined, tick());
        expect(await store.loadSnapshots()).toEqual([{ tenantId: ACME, snapshot: null }]);
        // What JSON has no word for is dropped, as JSON.stringify does.
        await store.saveSnapshot(ACME, { kept: 1, dropped: undefined }, tick());
        expect(await store.loadSnapshots()).toEqual([{ tenantId: ACME, snapshot: { kept: 1 } }]);
      });

      it("refuses a snapshot of a tenant that does not exist", async () => {
        await expectDomainError(store.saveSnapshot("tenant-nope", { jobs: [] }, tick()), "tenant.not_found");
        expect(await store.loadSnapshots()).toEqual([]);
      });

      it("finds the log of one subject, in order, in its tenant only", async () => {
        await store.appendEvents(ACME, [
          { ...event("job.queued"), subject: "conversation-1" },
          { ...event("job.queued"), subject: "conversation-2" },
          event("worker.presence_changed"),
        ]);
        await store.appendEvents(ACME, [{ ...event("offer.issued"), subject: "conversation-1" }]);
        await store.appendEvents(GLOBEX, [{ ...event("job.queued"), subject: "conversation-1" }]);
        const about = await store.listEventsAbout(ACME, "conversation-1", 10);
        expect(about.map((e) => [e.position, e.type, e.subject])).toEqual([
          [1, "job.queued", "conversation-1"],
          [4, "offer.issued", "conversation-1"],
        ]);
        expect((await store.listEventsAbout(ACME, "conversation-1", 1)).map((e) => e.position)).toEqual([1]);
        expect((await store.listEvents(ACME, 2, 1))[0]?.subject).toBeNull();
        expect(await store.listEventsAbout(ACME, "conversation-9", 10)).toEqual([]);
        expect((await store.listEventsAbout(GLOBEX, "conversation-1", 10)).map((e) => e.position)).toEqual([1]);
      });

      it("keeps snapshots and the log apart: appending saves no snapshot, saving moves no position", async () => {
        await store.appendEvents(ACME, [event("job.created")]);
        expect(await store.loadSnapshots()).toEqual([]);
        await store.saveSnapshot(ACME, { jobs: ["job-1"] }, tick());
        await store.appendEvents(ACME, [event("offer.created")]);
        expect(await store.loadSnapshots()).toEqual([{ tenantId: ACME, snapshot: { jobs: ["job-1"] } }]);
        expect(await positions(ACME)).toEqual([
          [1, "job.created"],
          [2, "offer.created"],
        ]);
      });
    });

    describe("the routing log", () => {
      it("numbers a tenant's events 1, 2, ... in append order, batches in their order", async () => {
        const first = event("job.created", { jobId: "job-1", queueId: "queue-1", priority: 0 });
        const batch = [
          event("offer.created", { jobId: "job-1", workerId: "identity-agent-1" }),
          event("offer.expired", { jobId: "job-1", workerId: "identity-agent-1" }),
          event("offer.created", { jobId: "job-1", workerId: "identity-agent-2" }),
        ];
        const last = event("job.assigned", { jobId: "job-1", workerId: "identity-agent-2", waitedMs: 41_250 });
        await store.appendEvents(ACME, [first]);
        await store.appendEvents(ACME, batch);
        await store.appendEvents(ACME, [last]);
        const all = await store.listEvents(ACME, 0, 100);
        expect(all).toEqual([first, ...batch, last].map((e, i) => ({ ...e, position: i + 1 })));
      });

      it("round-trips any JSON data and the time, undefined data as null", async () => {
        const datas: unknown[] = [
          null,
          { nested: { list: [1, "two", null, { deep: true }] } },
          [],
          "text “quoted” \\ ok",
          0,
          1.5,
          false,
        ];
        const events = datas.map((data, i) => event(`type-${i}`, data));
        await store.appendEvents(ACME, events);
        await store.appendEvents(ACME, [{ type: "no-data", data: undefined, at: tick() }]);
        const all = await store.listEvents(ACME, 0, 100);
        expect(all.slice(0, datas.length)).toEqual(events.map((e, i) => ({ ...e, position: i + 1 })));
        expect(all[datas.length]).toMatchObject({ type: "no-data", data: null, position: datas.length + 1 });
        expect(all[0]?.at).toBeInstanceOf(Date);
      });

      it("lists after a position, up to a limit", async () => {
        await store.appendEvents(
          ACME,
          Array.from({ length: 10 }, (_, i) => event(`e-${i + 1}`)),
        );
        const all = await store.listEvents(ACME, 0, 100);
        expect(all.map((e) => e.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        expect(await store.listEvents(ACME, 0, 3)).toEqual(all.slice(0, 3));
        expect(await store.listEvents(ACME, 3, 3)).toEqual(all.slice(3, 6));
        expect(await store.listEvents(ACME, 8, 100)).toEqual(all.slice(8));
        expect(await store.listEvents(ACME, 10, 100)).toEqual([]);
        expect(await store.listEvents(ACME, 0, 0)).toEqual([]);
        expect(await store.listEvents(ACME, -5, 2)).toEqual(all.slice(0, 2));
      });

      it("numbers each tenant's log on its own", async () => {
        await store.appendEvents(ACME, [event("a-1"), event("a-2")]);
        await store.appendEvents(GLOBEX, [event("g-1")]);
        await store.appendEvents(ACME, [event("a-3")]);
        await store.appendEvents(GLOBEX, [event("g-2"), event("g-3")]);
        expect(await positions(ACME)).toEqual([
          [1, "a-1"],
          [2, "a-2"],
          [3, "a-3"],
        ]);
        expect(await positions(GLOBEX)).toEqual([
          [1, "g-1"],
          [2, "g-2"],
          [3, "g-3"],
        ]);
        expect(await store.listEvents("tenant-nope", 0, 100)).toEqual([]);
      });

      it("appends nothing for an empty batch", async () => {
        await store.appendEvents(ACME, []);
        expect(await store.listEvents(ACME, 0, 100)).toEqual([]);
        await store.appendEvents(ACME, [event("a-1")]);
        await store.appendEvents(ACME, []);
        await store.appendEvents(ACME, [event("a-2")]);
        expect(await positions(ACME)).toEqual([
          [1, "a-1"],
          [2, "a-2"],
        ]);
      });

      it("appends a large batch whole", async () => {
        const events = Array.from({ length: 1234 }, (_, i) => event(`e-${i + 1}`, { i }));
        await store.appendEvents(ACME, events);
        await store.appendEvents(ACME, [event("after")]);
        const all = await store.listEvents(ACME, 0, 10_000);
        expect(all).toHaveLength(1235);
        expect(all.every((e, i) => e.position === i + 1)).toBe(true);
        expect(all.slice(0, 1234)).toEqual(events.map((e, i) => ({ ...e, position: i + 1 })));
        expect(all[1234]).toMatchObject({ type: "after", position: 1235 });
      });

      it("gives concurrent appends distinct, consecutive positions, each batch together and in order", async () => {
        const batches = Array.from({ length: 12 }, (_, b) =>
          Array.from({ length: 1 + (b % 4) }, (_, i) => event(`batch-${b}`, { b, i })),
        );
        await Promise.all([
          ...batches.map((batch) => store.appendEvents(ACME, batch)),
          ...batches.slice(0, 5).map((batch) => store.appendEvents(GLOBEX, batch)),
        ]);
        for (const [tenantId, appended] of [
          [ACME, batches],
          [GLOBEX, batches.slice(0, 5)],
        ] as const) {
          const all = await store.listEvents(tenantId, 0, 1000);
          const total = appended.reduce((n, batch) => n + batch.length, 0);
          expect(all.map((e) => e.position)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
          // Each batch's events sit next to each other, in the batch's order.
          for (const batch of appended) {
            const at = all.findIndex((e) => e.type === batch[0]?.type);
            expect(all.slice(at, at + batch.length)).toEqual(batch.map((e, i) => ({ ...e, position: at + i + 1 })));
          }
        }
      });

      it("refuses events of a tenant that does not exist, appending none", async () => {
        await expectDomainError(store.appendEvents("tenant-nope", [event("job.created")]), "tenant.not_found");
        expect(await store.listEvents("tenant-nope", 0, 100)).toEqual([]);
        await store.appendEvents(ACME, [event("a-1")]);
        expect(await positions(ACME)).toEqual([[1, "a-1"]]);
      });
    });
  });
}
