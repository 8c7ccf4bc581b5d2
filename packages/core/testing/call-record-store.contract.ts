import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CallRecord, type CallRecordStore, type IdentityStore, type LegRecord, ManualClock } from "../src/index.js";
import { expectDomainError } from "./identity-store.contract.js";

/** What the call record contract needs: a fresh, empty store per test, with identities to make tenants in. */
export interface CallRecordStoreFixture {
  readonly identities: IdentityStore;
  readonly callRecords: CallRecordStore;
  close(): Promise<void>;
}

const ACME = "tenant-acme";
const GLOBEX = "tenant-globex";

/**
 * The behaviour every `CallRecordStore` shares: calls kept with their legs (by start), patches that change
 * only what they name, a timeline per call numbered 1, 2, ..., lists newest first with filters and
 * cursors, and tenant scoping.
 */
export function callRecordStoreContract(name: string, make: () => Promise<CallRecordStoreFixture>): void {
  describe(`CallRecordStore contract: ${name}`, () => {
    let fixture: CallRecordStoreFixture;
    let store: CallRecordStore;
    let clock: ManualClock;

    const tick = (): Date => {
      clock.advance(1000);
      return clock.now();
    };

    const leg = (id: string, callId: string, extra: Partial<LegRecord> = {}): LegRecord => ({
      id,
      callId,
      role: "caller",
      party: "sip:+15551234@192.0.2.10",
      sipCallId: `${id}@192.0.2.10`,
      protocol: "udp",
      startedAt: tick(),
      answeredAt: null,
      endedAt: null,
      endReason: null,
      ...extra,
    });

    const call = (id: string, extra: Partial<CallRecord> = {}): CallRecord => ({
      id,
      tenantId: ACME,
      direction: "inbound",
      from: "+15551234",
      to: "+15550100",
      numberId: null,
      trunkId: null,
      entry: null,
      state: "ringing",
      result: null,
      hangupCause: null,
      startedAt: tick(),
      answeredAt: null,
      endedAt: null,
      durationMs: null,
      recordingIds: [],
      legs: [],
      ...extra,
    });

    const ids = async (filter = {}, tenantId = ACME) =>
      (await store.listCalls(tenantId, filter, { limit: 100 })).items.map((c) => c.id);

    beforeEach(async () => {
      fixture = await make();
      store = fixture.callRecords;
      clock = new ManualClock("2026-03-01T09:00:00.000Z");
      await fixture.identities.createTenant({ id: ACME, slug: "acme", name: "Acme", createdAt: tick() });
      await fixture.identities.createTenant({ id: GLOBEX, slug: "globex", name: "Globex", createdAt: tick() });
    });

    afterEach(async () => {
      await fixture.close();
    });

    it("creates a call with its legs and reads it back as given, legs by start", async () => {
      const startedAt = tick();
      const later = leg("leg-2", "call-1", { role: "agent", party: "sip:1001@10.0.0.5", protocol: "tcp" });
      const first = leg("leg-1", "call-1", {
        startedAt,
        answeredAt: tick(),
        endedAt: tick(),
        endReason: { by: "caller", reason: "BYE" },
      });
      const input = call("call-1", {
        startedAt,
        numberId: "number-1",
        trunkId: "trunk-1",
        entry: "demo",
        state: "ended",
        result: "completed",
        hangupCause: { by: "callee", status: 486, reason: "Busy “here”" },
        answeredAt: tick(),
        endedAt: tick(),
        durationMs: 12_345,
        recordingIds: ["rec-1", "rec-2"],
        legs: [later, first],
      });
      const expected = { ...input, legs: [first, later] };
      expect(await store.createCall(input)).toEqual(expected);
      expect(await store.getCall(ACME, "call-1")).toEqual(expected);
      const bare = call("call-2");
      expect(await store.createCall(bare)).toEqual(bare);
      expect(await store.getCall(ACME, "call-2")).toEqual(bare);
      expect(await store.getCall(ACME, "call-nope")).toBeUndefined();
    });

    it("changes only what a patch names, and clears what it sets to null", async () => {
      const original = await store.createCall(call("call-1", { numberId: "number-1", entry: "demo" }));
      const answeredAt = tick();
      const answered = await store.updateCall(ACME, "call-1", { state: "answered", answeredAt });
      expect(answered).toEqual({ ...original, state: "answered", answeredAt });
      const endedAt = tick();
      const ended = await store.updateCall(ACME, "call-1", {
        state: "ended",
        result: "abandoned",
        hangupCause: { by: "caller", reason: "CANCEL" },
        endedAt,
        durationMs: 2000,
        recordingIds: ["rec-1"],
        numberId: null,
        to: "+15550199",
      });
      const expected = {
        ...original,
        state: "ended",
        answeredAt,
        result: "abandoned",
        hangupCause: { by: "caller", reason: "CANCEL" },
        endedAt,
        durationMs: 2000,
        recordingIds: ["rec-1"],
        numberId: null,
        to: "+15550199",
      };
      expect(ended).toEqual(expected);
      expect(await store.getCall(ACME, "call-1")).toEqual(expected);
      expect(await store.updateCall(ACME, "call-nope", { state: "ended" })).toBeUndefined();
      expect(await store.updateCall(GLOBEX, "call-1", { state: "ringing" })).toBeUndefined();
      expect(await store.getCall(ACME, "call-1")).toEqual(expected);
    });

    it("adds legs and changes them, only on the tenant's own calls", async () => {
      await store.createCall(call("call-1", { legs: [leg("leg-1", "call-1")] }));
      await store.createCall(call("call-2"));
      const agent = leg("leg-2", "call-1", { role: "agent", protocol: "webrtc" });
      expect(await store.addLeg(ACME, agent)).toEqual(agent);
      expect(await store.addLeg(GLOBEX, leg("leg-3", "call-1"))).toBeUndefined();
      expect(await store.addLeg(ACME, leg("leg-4", "call-nope"))).toBeUndefined();
      const answeredAt = tick();
      const endedAt = tick();
      const endReason = { by: "platform" as const, status: 408, reason: "no answer" };
      expect(await store.updateLeg(ACME, "call-1", "leg-2", { answeredAt })).toEqual({ ...agent, answeredAt });
      expect(await store.updateLeg(ACME, "call-1", "leg-2", { endedAt, endReason, party: "sip:1001@10.0.0.9" })).toEqual({
        ...agent,
        answeredAt,
        endedAt,
        endReason,
        party: "sip:1001@10.0.0.9",
      });
      expect(await store.updateLeg(GLOBEX, "call-1", "leg-2", { endedAt: tick() })).toBeUndefined();
      expect(await store.updateLeg(ACME, "call-2", "leg-2", { endedAt: tick() })).toBeUndefined();
      expect(await store.updateLeg(ACME, "call-1", "leg-nope", { endedAt: tick() })).toBeUndefined();
      const read = await store.getCall(ACME, "call-1");
      expect(read?.legs.map((l) => l.id)).toEqual(["leg-1", "leg-2"]);
      expect(read?.legs[1]).toMatchObject({ answeredAt, endedAt, endReason, party: "sip:1001@10.0.0.9" });
      expect((await store.getCall(ACME, "call-2"))?.legs).toEqual([]);
    });

    it("numbers each call's timeline 1, 2, ... and reads it in order, with any JSON data", async () => {
      await store.createCall(call("call-1"));
      await store.createCall(call("call-2"));
      const data = [
        { legId: "leg-1", outcome: { ended: "interrupted", key: "5" } },
        null,
        ["a", 1, true],
        "text “quoted”",
        { nested: { deeper: [{ x: 1.5 }] } },
      ];
      for (const [i, d] of data.entries()) {
        const at = tick();
        expect(await store.appendCallEvents(ACME, "call-1", [{ type: `type-${i}`, data: d, at }])).toEqual([
          {
            tenantId: ACME,
            callId: "call-1",
            sequence: i + 1,
            type: `type-${i}`,
            data: d,
            at,
          },
        ]);
      }
      expect(await store.appendCallEvents(ACME, "call-2", [{ type: "bridge.started", data: {}, at: tick() }])).toMatchObject([
        { sequence: 1 },
      ]);
      const all = await store.listCallEvents(ACME, "call-1", 0, 100);
      expect(all.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5]);
      expect(all.map((e) => e.data)).toEqual(data);
      expect((await store.listCallEvents(ACME, "call-1", 2, 2)).map((e) => e.type)).toEqual(["type-2", "type-3"]);
      expect(await store.listCallEvents(ACME, "call-1", 5, 10)).toEqual([]);
      expect(await store.appendCallEvents(GLOBEX, "call-1", [{ type: "x", data: {}, at: tick() }])).toBeUndefined();
      expect(await store.appendCallEvents(ACME, "call-nope", [{ type: "x", data: {}, at: tick() }])).toBeUndefined();
      expect(await store.listCallEvents(GLOBEX, "call-1", 0, 100)).toEqual([]);
      expect(await store.listCallEvents(ACME, "call-1", 0, 100)).toHaveLength(5);
    });

    it("appends several events in one write, numbered after those before, and none when given none", async () => {
      await store.createCall(call("call-1"));
      await store.appendCallEvents(ACME, "call-1", [{ type: "first", data: 1, at: tick() }]);
      const at = tick();
      const batch = await store.appendCallEvents(ACME, "call-1", [
        { type: "key.pressed", data: { key: "1" }, at },
        { type: "play.ended", data: { ended: "finished" }, at },
        { type: "flow.ended", data: null, at },
      ]);
      expect(batch?.map((e) => [e.sequence, e.type])).toEqual([
        [2, "key.pressed"],
        [3, "play.ended"],
        [4, "flow.ended"],
      ]);
      expect(await store.appendCallEvents(ACME, "call-1", [])).toEqual([]);
      expect(await store.appendCallEvents(ACME, "call-nope", [])).toBeUndefined();
      const all = await store.listCallEvents(ACME, "call-1", 0, 100);
      expect(all.map((e) => [e.sequence, e.data])).toEqual([
        [1, 1],
        [2, { key: "1" }],
        [3, { ended: "finished" }],
        [4, null],
      ]);
    });

    it("lists calls newest first, in pages, ties by id, with their legs", async () => {
      const same = tick();
      await store.createCall(call("call-a", { startedAt: same }));
      await store.createCall(call("call-b", { startedAt: same, legs: [leg("leg-1", "call-b")] }));
      await store.createCall(call("call-c"));
      await store.createCall(call("call-d"));
      await store.createCall(call("call-e"));
      const first = await store.listCalls(ACME, {}, { limit: 2 });
      expect(first.items.map((c) => c.id)).toEqual(["call-e", "call-d"]);
      const second = await store.listCalls(ACME, {}, { limit: 2, after: first.next as string });
      expect(second.items.map((c) => c.id)).toEqual(["call-c", "call-b"]);
      expect(second.items[1]).toEqual(await store.getCall(ACME, "call-b"));
      expect(second.items[1]?.legs).toHaveLength(1);
      const third = await store.listCalls(ACME, {}, { limit: 2, after: second.next as string });
      expect(third.items.map((c) => c.id)).toEqual(["call-a"]);
      expect(third.next).toBeNull();
      const exact = await store.listCalls(ACME, {}, { limit: 5 });
      expect(exact.next).toBeNull();
      await expectDomainError(store.listCalls(ACME, {}, { limit: 2, after: "garbage" }), "page.invalid_cursor");
    });

    it("filters by direction, result, state, number and start time", async () => {
      const t0 = tick();
      await store.createCall(call("call-1", { direction: "inbound", state: "ended", result: "completed", numberId: "n1" }));
      await store.createCall(call("call-2", { direction: "outbound", state: "ended", result: "failed" }));
      const t2 = tick();
      await store.createCall(call("call-3", { direction: "inbound", state: "ended", result: "missed", numberId: "n1" }));
      await store.createCall(call("call-4", { direction: "internal", state: "answered" }));
      const t4 = tick();
      await store.createCall(call("call-5", { direction: "inbound", state: "ringing", numberId: "n2" }));
      expect(await ids({ direction: "inbound" })).toEqual(["call-5", "call-3", "call-1"]);
      expect(await ids({ result: "missed" })).toEqual(["call-3"]);
      expect(await ids({ state: "ended" })).toEqual(["call-3", "call-2", "call-1"]);
      expect(await ids({ numberId: "n1" })).toEqual(["call-3", "call-1"]);
      expect(await ids({ since: t2 })).toEqual(["call-5", "call-4", "call-3"]);
      expect(await ids({ until: t2 })).toEqual(["call-2", "call-1"]);
      expect(await ids({ since: t0, until: t4 })).toEqual(["call-4", "call-3", "call-2", "call-1"]);
      expect(await ids({ direction: "inbound", since: t2, until: t4 })).toEqual(["call-3"]);
      const page = await store.listCalls(ACME, { direction: "inbound" }, { limit: 2 });
      expect(page.items.map((c) => c.id)).toEqual(["call-5", "call-3"]);
      const rest = await store.listCalls(ACME, { direction: "inbound" }, { limit: 2, after: page.next as string });
      expect(rest.items.map((c) => c.id)).toEqual(["call-1"]);
      expect(rest.next).toBeNull();
    });

    it("never shows or changes one tenant's calls through another", async () => {
      await store.createCall(call("call-1", { legs: [leg("leg-1", "call-1")] }));
      await store.createCall(call("call-2", { tenantId: GLOBEX }));
      expect(await store.getCall(GLOBEX, "call-1")).toBeUndefined();
      expect(await ids({}, GLOBEX)).toEqual(["call-2"]);
      expect(await ids({})).toEqual(["call-1"]);
      expect(await ids({}, "tenant-nope")).toEqual([]);
    });

    it("refuses a call of a tenant that does not exist", async () => {
      await expectDomainError(store.createCall(call("call-1", { tenantId: "tenant-nope" })), "tenant.not_found");
      expect(await store.getCall("tenant-nope", "call-1")).toBeUndefined();
    });
  });
}
