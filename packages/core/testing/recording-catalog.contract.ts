import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type IdentityStore, ManualClock, type Recording, type RecordingCatalog } from "../src/index.js";
import { expectDomainError } from "./identity-store.contract.js";

/** What the recording catalog contract needs: a fresh, empty store per test, with identities to make tenants in. */
export interface RecordingCatalogFixture {
  readonly identities: IdentityStore;
  readonly recordingCatalog: RecordingCatalog;
  close(): Promise<void>;
}

const ACME = "tenant-acme";
const GLOBEX = "tenant-globex";

/**
 * The behaviour every `RecordingCatalog` shares: recordings kept as given, listed newest first by kind,
 * call and age with cursors, deleted once; a retention per tenant; tenant scoping everywhere.
 */
export function recordingCatalogContract(name: string, make: () => Promise<RecordingCatalogFixture>): void {
  describe(`RecordingCatalog contract: ${name}`, () => {
    let fixture: RecordingCatalogFixture;
    let catalog: RecordingCatalog;
    let clock: ManualClock;

    const recording = (id: string, extra: Partial<Recording> = {}): Recording => {
      clock.advance(60_000);
      return { id, tenantId: ACME, kind: "call", callId: "call-1", durationMs: 61_250, createdAt: clock.now(), ...extra };
    };

    beforeEach(async () => {
      fixture = await make();
      catalog = fixture.recordingCatalog;
      clock = new ManualClock("2026-03-01T09:00:00.000Z");
      await fixture.identities.createTenant({ id: ACME, slug: "acme", name: "Acme", createdAt: clock.now() });
      await fixture.identities.createTenant({ id: GLOBEX, slug: "globex", name: "Globex", createdAt: clock.now() });
    });

    afterEach(async () => {
      await fixture.close();
    });

    it("keeps a recording as given, with or without a call, and finds it only in its tenant", async () => {
      const call = recording("r-1");
      const { callId: _, ...upload } = recording("r-2", { kind: "upload" });
      expect(await catalog.addRecording(call)).toEqual(call);
      expect(await catalog.addRecording(upload)).toEqual(upload);
      expect(await catalog.getRecording(ACME, "r-1")).toEqual(call);
      expect(await catalog.getRecording(ACME, "r-2")).toEqual(upload);
      expect(await catalog.getRecording(GLOBEX, "r-1")).toBeUndefined();
      await expectDomainError(catalog.addRecording(recording("r-3", { tenantId: "tenant-nope" })), "tenant.not_found");
    });

    it("lists newest first, by kind, call and age, a page at a time", async () => {
      const items = [
        recording("r-1"),
        recording("r-2", { kind: "message", callId: "call-2" }),
        recording("r-3"),
        recording("r-4", { kind: "upload", callId: undefined }),
        recording("r-5", { callId: "call-2" }),
      ].map(({ callId, ...r }) => (callId === undefined ? r : { ...r, callId }));
      for (const item of items) await catalog.addRecording(item);
      await catalog.addRecording(recording("r-6", { tenantId: GLOBEX }));
      const ids = (page: { items: readonly Recording[] }) => page.items.map((r) => r.id);
      expect(ids(await catalog.listRecordings(ACME, {}, { limit: 10 }))).toEqual(["r-5", "r-4", "r-3", "r-2", "r-1"]);
      expect(ids(await catalog.listRecordings(ACME, { kind: "call" }, { limit: 10 }))).toEqual(["r-5", "r-3", "r-1"]);
      expect(ids(await catalog.listRecordings(ACME, { callId: "call-2" }, { limit: 10 }))).toEqual(["r-5", "r-2"]);
      const before = items[2]?.createdAt ?? new Date();
      expect(ids(await catalog.listRecordings(ACME, { kind: "call", before }, { limit: 10 }))).toEqual(["r-1"]);
      const first = await catalog.listRecordings(ACME, {}, { limit: 2 });
      expect(ids(first)).toEqual(["r-5", "r-4"]);
      const second = await catalog.listRecordings(ACME, {}, { limit: 2, after: first.next ?? "" });
      expect(ids(second)).toEqual(["r-3", "r-2"]);
      const last = await catalog.listRecordings(ACME, {}, { limit: 2, after: second.next ?? "" });
      expect([ids(last), last.next]).toEqual([["r-1"], null]);
    });

    it("deletes a recording once, and only in its tenant", async () => {
      await catalog.addRecording(recording("r-1"));
      expect(await catalog.deleteRecording(GLOBEX, "r-1")).toBe(false);
      expect(await catalog.deleteRecording(ACME, "r-1")).toBe(true);
      expect(await catalog.deleteRecording(ACME, "r-1")).toBe(false);
      expect(await catalog.getRecording(ACME, "r-1")).toBeUndefined();
    });

    it("keeps a retention per tenant: none at first, set, changed, removed", async () => {
      expect(await catalog.getRetention(ACME)).toBeNull();
      expect(await catalog.listRetentions()).toEqual([]);
      await catalog.setRetention(ACME, 30);
      await catalog.setRetention(GLOBEX, 7);
      await catalog.setRetention(ACME, 90);
      expect(await catalog.getRetention(ACME)).toBe(90);
      expect(await catalog.listRetentions()).toEqual([
        { tenantId: ACME, days: 90 },
        { tenantId: GLOBEX, days: 7 },
      ]);
      await catalog.setRetention(GLOBEX, null);
      expect(await catalog.getRetention(GLOBEX)).toBeNull();
      expect(await catalog.listRetentions()).toEqual([{ tenantId: ACME, days: 90 }]);
    });
  });
}
