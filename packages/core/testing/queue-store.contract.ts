import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultQueueSettings, type IdentityStore, ManualClock, type Queue, type QueueStore } from "../src/index.js";
import { expectDomainError } from "./identity-store.contract.js";

/** What the queue contract needs: a fresh, empty store per test, with identities to make tenants in. */
export interface QueueStoreFixture {
  readonly identities: IdentityStore;
  readonly queues: QueueStore;
  close(): Promise<void>;
}

const ACME = "tenant-acme";
const GLOBEX = "tenant-globex";

/**
 * The behaviour every `QueueStore` shares: queues kept as given (their JSON settings included), names
 * unique per tenant, lists by name, and tenant scoping, except `listAllQueues`, which the routing
 * engine uses at start.
 */
export function queueStoreContract(name: string, make: () => Promise<QueueStoreFixture>): void {
  describe(`QueueStore contract: ${name}`, () => {
    let fixture: QueueStoreFixture;
    let store: QueueStore;
    let clock: ManualClock;

    const tick = (): Date => {
      clock.advance(1000);
      return clock.now();
    };

    const queue = (id: string, extra: Partial<Queue> = {}): Queue => {
      const at = tick();
      return { ...defaultQueueSettings(`queue ${id}`), id, tenantId: ACME, createdAt: at, updatedAt: at, ...extra };
    };

    /** Every setting away from its default, every JSON column filled. */
    const busy = (id: string, extra: Partial<Queue> = {}): Queue =>
      queue(id, {
        name: "Billing “EU” | 2nd line",
        distribution: "serial",
        alertSeconds: 45,
        wrapUpSeconds: 0,
        serialOrder: ["identity-agent-2", "identity-agent-1", "identity-agent-3"],
        overflow: { threshold: 12, target: { kind: "queue", queueId: "queue-overflow" } },
        timeout: { seconds: 600, target: { kind: "end", message: "Sorry, we're swamped.\nPlease write to help@acme.test." } },
        noAgents: { when: "none_available", target: { kind: "worker", workerId: "identity-agent-9" } },
        wrapUpCodes: ["sale", "no sale", "call back", "ünïcödé"],
        serviceLevelSeconds: 20,
        call: {
          greeting: { kind: "speech", text: "Thanks for calling “Acme”.\nPlease hold.", voice: "en-us+f3" },
          music: { kind: "recording", recordingId: "recording-music" },
          announceEverySeconds: 45,
          announcePosition: false,
          announceExpectedWait: true,
          conferenceMode: true,
          recording: { enabled: true, consent: { kind: "speech", text: "This call is recorded." } },
        },
        ...extra,
      });

    const names = async (tenantId = ACME) => (await store.listQueues(tenantId)).map((q) => q.name);

    beforeEach(async () => {
      fixture = await make();
      store = fixture.queues;
      clock = new ManualClock("2026-03-01T09:00:00.000Z");
      await fixture.identities.createTenant({ id: ACME, slug: "acme", name: "Acme", createdAt: tick() });
      await fixture.identities.createTenant({ id: GLOBEX, slug: "globex", name: "Globex", createdAt: tick() });
    });

    afterEach(async () => {
      await fixture.close();
    });

    it("creates a queue and reads it back as given, by id and by name", async () => {
      const input = busy("queue-1");
      expect(await store.createQueue(input)).toEqual(input);
      expect(await store.getQueue(ACME, "queue-1")).toEqual(input);
      expect(await store.getQueueByName(ACME, input.name)).toEqual(input);
      expect(await store.getQueue(ACME, "queue-nope")).toBeUndefined();
      expect(await store.getQueueByName(ACME, "nope")).toBeUndefined();
      expect(await store.getQueueByName(ACME, input.name.toUpperCase())).toBeUndefined();
    });

    it("keeps the defaults: no overflow, timeout or rule for no agents, no serial order", async () => {
      const input = queue("queue-1", { name: "general" });
      expect(input).toMatchObject({ overflow: null, timeout: null, noAgents: null, serialOrder: [] });
      expect(await store.createQueue(input)).toEqual(input);
      expect(await store.getQueue(ACME, "queue-1")).toEqual(input);
    });

    it("round-trips every redirect target, and a rule for no agents without one", async () => {
      const targets: Queue["timeout"][] = [
        { seconds: 1, target: { kind: "end", message: "" } },
        { seconds: 2, target: { kind: "queue", queueId: "queue-2" } },
        { seconds: 3, target: { kind: "worker", workerId: "identity-agent-1" } },
        { seconds: 4, target: { kind: "leave_message" } },
      ];
      for (const [i, timeout] of targets.entries()) {
        const input = queue(`queue-${i}`, {
          timeout,
          overflow: timeout && { threshold: i, target: timeout.target },
          noAgents: {
            when: i % 2 === 0 ? "none_signed_in" : "none_available",
            target: i === 0 ? null : (timeout?.target ?? null),
          },
        });
        expect(await store.createQueue(input)).toEqual(input);
        expect(await store.getQueue(ACME, input.id)).toEqual(input);
      }
      for (const distribution of ["longest_idle", "round_robin", "serial", "attendant", "best_skill"] as const) {
        const input = queue(`queue-${distribution}`, { distribution, wrapUpCodes: [] });
        expect(await store.createQueue(input)).toEqual(input);
        expect(await store.getQueue(ACME, input.id)).toEqual(input);
      }
    });

    it("refuses a name the tenant has already, but not one another tenant has", async () => {
      const first = await store.createQueue(queue("queue-1", { name: "billing" }));
      await expectDomainError(store.createQueue(queue("queue-2", { name: "billing" })), "queue.name_taken");
      expect(await store.getQueue(ACME, "queue-2")).toBeUndefined();
      expect(await store.getQueueByName(ACME, "billing")).toEqual(first);
      const globex = await store.createQueue(queue("queue-g", { name: "billing", tenantId: GLOBEX }));
      expect(await store.getQueueByName(GLOBEX, "billing")).toEqual(globex);
      expect(await store.getQueueByName(ACME, "billing")).toEqual(first);
    });

    it("updates every setting but when it was created", async () => {
      const original = await store.createQueue(queue("queue-1", { name: "general" }));
      const at = tick();
      const changed = busy("queue-1", { createdAt: at, updatedAt: at });
      const expected = { ...changed, createdAt: original.createdAt };
      expect(await store.updateQueue(changed)).toEqual(expected);
      expect(await store.getQueue(ACME, "queue-1")).toEqual(expected);
      expect(await store.getQueueByName(ACME, changed.name)).toEqual(expected);
      expect(await store.getQueueByName(ACME, "general")).toBeUndefined();

      const back = { ...original, updatedAt: tick() };
      expect(await store.updateQueue(back)).toEqual(back);
      expect(await store.getQueue(ACME, "queue-1")).toEqual(back);
      // Its old name is free again.
      expect(await store.createQueue(queue("queue-2", { name: changed.name }))).toMatchObject({ name: changed.name });
    });

    it("keeps a queue's own name on update, and refuses another queue's", async () => {
      const billing = await store.createQueue(queue("queue-1", { name: "billing" }));
      const sales = await store.createQueue(queue("queue-2", { name: "sales" }));
      const same = { ...billing, alertSeconds: 90, updatedAt: tick() };
      expect(await store.updateQueue(same)).toEqual(same);
      await expectDomainError(store.updateQueue({ ...sales, name: "billing", updatedAt: tick() }), "queue.name_taken");
      expect(await store.getQueue(ACME, "queue-2")).toEqual(sales);
      expect(await store.getQueueByName(ACME, "billing")).toEqual(same);
    });

    it("refuses to update a queue that does not exist, or is another tenant's", async () => {
      const original = await store.createQueue(queue("queue-1"));
      await expectDomainError(store.updateQueue(queue("queue-nope")), "queue.not_found");
      await expectDomainError(store.updateQueue({ ...original, tenantId: GLOBEX, name: "hijacked" }), "queue.not_found");
      expect(await store.getQueue(ACME, "queue-1")).toEqual(original);
      expect(await store.listQueues(GLOBEX)).toEqual([]);
    });

    it("deletes a queue once, and only for its tenant, freeing its name", async () => {
      await store.createQueue(queue("queue-1", { name: "billing" }));
      expect(await store.deleteQueue(GLOBEX, "queue-1")).toBe(false);
      expect(await store.getQueue(ACME, "queue-1")).toBeDefined();
      expect(await store.deleteQueue(ACME, "queue-1")).toBe(true);
      expect(await store.deleteQueue(ACME, "queue-1")).toBe(false);
      expect(await store.getQueue(ACME, "queue-1")).toBeUndefined();
      expect(await store.getQueueByName(ACME, "billing")).toBeUndefined();
      expect(await store.listAllQueues()).toEqual([]);
      expect(await store.createQueue(queue("queue-2", { name: "billing" }))).toMatchObject({ id: "queue-2" });
    });

    it("lists the tenant's queues by name, and every tenant's by tenant, then name", async () => {
      const sales = await store.createQueue(queue("queue-1", { name: "sales" }));
      const billing = await store.createQueue(busy("queue-2", { name: "billing" }));
      const general = await store.createQueue(queue("queue-3", { name: "general" }));
      const globexVip = await store.createQueue(queue("queue-4", { name: "vip", tenantId: GLOBEX }));
      const globexAbc = await store.createQueue(queue("queue-5", { name: "abc", tenantId: GLOBEX }));
      expect(await store.listQueues(ACME)).toEqual([billing, general, sales]);
      expect(await names(GLOBEX)).toEqual(["abc", "vip"]);
      expect(await store.listQueues("tenant-nope")).toEqual([]);
      expect(await store.listAllQueues()).toEqual([billing, general, sales, globexAbc, globexVip]);
    });

    it("never shows or changes one tenant's queue through another tenant", async () => {
      const original = await store.createQueue(queue("queue-1", { name: "billing" }));
      expect(await store.getQueue(GLOBEX, "queue-1")).toBeUndefined();
      expect(await store.getQueueByName(GLOBEX, "billing")).toBeUndefined();
      expect(await store.listQueues(GLOBEX)).toEqual([]);
      expect(await store.deleteQueue(GLOBEX, "queue-1")).toBe(false);
      expect(await store.listAllQueues()).toEqual([original]);
    });

    it("refuses a queue of a tenant that does not exist", async () => {
      await expectDomainError(store.createQueue(queue("queue-1", { tenantId: "tenant-nope" })), "tenant.not_found");
      expect(await store.listAllQueues()).toEqual([]);
    });
  });
}
