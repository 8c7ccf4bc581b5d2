import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultWorkerSettings, type IdentityStore, ManualClock, type WorkerRecord, type WorkerStore } from "../src/index.js";
import { expectDomainError } from "./identity-store.contract.js";

/** What the worker contract needs: a fresh, empty store per test, with identities to make tenants in. */
export interface WorkerStoreFixture {
  readonly identities: IdentityStore;
  readonly workers: WorkerStore;
  close(): Promise<void>;
}

const ACME = "tenant-acme";
const GLOBEX = "tenant-globex";

/**
 * The behaviour every `WorkerStore` shares: one record per (tenant, identity) that a put creates or
 * replaces, settings kept as given (JSON), and tenant scoping, except `listAllWorkers`, which the
 * routing engine uses at start.
 */
export function workerStoreContract(name: string, make: () => Promise<WorkerStoreFixture>): void {
  describe(`WorkerStore contract: ${name}`, () => {
    let fixture: WorkerStoreFixture;
    let store: WorkerStore;
    let clock: ManualClock;

    const tick = (): Date => {
      clock.advance(1000);
      return clock.now();
    };

    const worker = (identityId: string, extra: Partial<WorkerRecord> = {}): WorkerRecord => {
      const at = tick();
      return {
        tenantId: ACME,
        identityId,
        userId: `user-of-${identityId}`,
        settings: defaultWorkerSettings,
        presence: "offline",
        presenceSince: at,
        updatedAt: at,
        ...extra,
      };
    };

    const skilled = (identityId: string, extra: Partial<WorkerRecord> = {}): WorkerRecord =>
      worker(identityId, {
        settings: {
          capacity: 6,
          channelCosts: { chat: 2, voice: 6 },
          skills: { english: 10, german: 7, "billing/refunds": 3, "ünïcödé skill": 0 },
          queueIds: ["queue-2", "queue-1"],
          optedOut: ["queue-1"],
        },
        presence: "available",
        ...extra,
      });

    beforeEach(async () => {
      fixture = await make();
      store = fixture.workers;
      clock = new ManualClock("2026-03-01T09:00:00.000Z");
      await fixture.identities.createTenant({ id: ACME, slug: "acme", name: "Acme", createdAt: tick() });
      await fixture.identities.createTenant({ id: GLOBEX, slug: "globex", name: "Globex", createdAt: tick() });
    });

    afterEach(async () => {
      await fixture.close();
    });

    it("creates a worker record and reads it back as given", async () => {
      const input = skilled("identity-agent-1");
      expect(await store.putWorker(input)).toEqual(input);
      expect(await store.getWorker(ACME, "identity-agent-1")).toEqual(input);
      expect(await store.getWorker(ACME, "identity-nope")).toBeUndefined();
    });

    it("keeps the default settings and every presence an agent can choose", async () => {
      for (const presence of ["available", "busy", "away", "offline"] as const) {
        const input = worker(`identity-${presence}`, { presence });
        expect(await store.putWorker(input)).toEqual(input);
        expect(await store.getWorker(ACME, input.identityId)).toEqual(input);
      }
    });

    it("replaces the record on a second put", async () => {
      await store.putWorker(skilled("identity-agent-1"));
      const at = tick();
      const replaced = worker("identity-agent-1", {
        userId: "user-other",
        settings: { ...defaultWorkerSettings, capacity: 1, skills: { french: 5 } },
        presence: "away",
        presenceSince: at,
        updatedAt: at,
      });
      expect(await store.putWorker(replaced)).toEqual(replaced);
      expect(await store.getWorker(ACME, "identity-agent-1")).toEqual(replaced);
      expect(await store.listWorkers(ACME)).toEqual([replaced]);
    });

    it("keeps one record when the same new worker is put concurrently", async () => {
      const puts = Array.from({ length: 8 }, (_, i) => worker("identity-agent-1", { userId: `user-${i}` }));
      await Promise.all(puts.map((w) => store.putWorker(w)));
      const all = await store.listWorkers(ACME);
      expect(all).toHaveLength(1);
      expect(puts).toContainEqual(all[0]);
    });

    it("keys records by tenant and identity: the same identity id in two tenants is two workers", async () => {
      const acme = await store.putWorker(skilled("identity-agent-1"));
      const globex = await store.putWorker(worker("identity-agent-1", { tenantId: GLOBEX, presence: "busy" }));
      expect(await store.getWorker(ACME, "identity-agent-1")).toEqual(acme);
      expect(await store.getWorker(GLOBEX, "identity-agent-1")).toEqual(globex);
      const replaced = { ...globex, presence: "away" as const, updatedAt: tick() };
      await store.putWorker(replaced);
      expect(await store.getWorker(ACME, "identity-agent-1")).toEqual(acme);
      expect(await store.getWorker(GLOBEX, "identity-agent-1")).toEqual(replaced);
    });

    it("lists the tenant's workers by identity, and every tenant's by tenant, then identity", async () => {
      const c = await store.putWorker(worker("identity-c"));
      const a = await store.putWorker(skilled("identity-a"));
      const b = await store.putWorker(worker("identity-b", { presence: "available" }));
      const globexZ = await store.putWorker(worker("identity-z", { tenantId: GLOBEX }));
      const globexA = await store.putWorker(worker("identity-a", { tenantId: GLOBEX }));
      expect(await store.listWorkers(ACME)).toEqual([a, b, c]);
      expect(await store.listWorkers(GLOBEX)).toEqual([globexA, globexZ]);
      expect(await store.listWorkers("tenant-nope")).toEqual([]);
      expect(await store.listAllWorkers()).toEqual([a, b, c, globexA, globexZ]);
    });

    it("never shows one tenant's worker through another tenant", async () => {
      const acme = await store.putWorker(skilled("identity-agent-1"));
      expect(await store.getWorker(GLOBEX, "identity-agent-1")).toBeUndefined();
      expect(await store.listWorkers(GLOBEX)).toEqual([]);
      expect(await store.listAllWorkers()).toEqual([acme]);
    });

    it("refuses a worker of a tenant that does not exist", async () => {
      await expectDomainError(store.putWorker(worker("identity-agent-1", { tenantId: "tenant-nope" })), "tenant.not_found");
      expect(await store.listAllWorkers()).toEqual([]);
    });
  });
}
