import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type AgentOrganization,
  defaultQueueSettings,
  type IdentityStore,
  ManualClock,
  type NewUser,
  type OrganizationStore,
  type Queue,
  type QueueStore,
} from "../src/index.js";
import { expectDomainError } from "./identity-store.contract.js";

/** What the organization contract needs: organizations, and the users and queues that name them. */
export interface OrganizationStoreFixture {
  readonly identities: IdentityStore;
  readonly organizations: OrganizationStore;
  readonly queues: QueueStore;
  close(): Promise<void>;
}

const ACME = "tenant-acme";
const GLOBEX = "tenant-globex";

/**
 * The behaviour every `OrganizationStore` shares, with the users and queues that name organizations:
 * names unique per tenant, lists by name, tenant scoping; a user or queue names only an organization of
 * its own tenant; an organization goes only once nobody belongs to it, and leaves its queues with it.
 */
export function organizationStoreContract(name: string, make: () => Promise<OrganizationStoreFixture>): void {
  describe(`OrganizationStore contract: ${name}`, () => {
    let fixture: OrganizationStoreFixture;
    let store: OrganizationStore;
    let clock: ManualClock;

    const tick = (): Date => {
      clock.advance(1000);
      return clock.now();
    };

    const organization = (id: string, orgName: string, tenantId = ACME): AgentOrganization => ({
      id,
      tenantId,
      name: orgName,
      createdAt: tick(),
    });

    const newUser = (id: string, organizationId: string | null, tenantId = ACME): NewUser => {
      const createdAt = tick();
      return {
        id,
        tenantId,
        email: `${id}@acme.test`,
        displayName: `User ${id}`,
        role: "agent",
        passwordHash: `scrypt$hash-of-${id}`,
        organizationId,
        identity: {
          id: `${id}-identity`,
          tenantId,
          kind: "agent",
          displayName: `User ${id}`,
          externalId: null,
          metadata: {},
          createdAt,
        },
        createdAt,
      };
    };

    const queue = (id: string, organizationIds: string[], tenantId = ACME): Queue => {
      const at = tick();
      return { ...defaultQueueSettings(`queue ${id}`), organizationIds, id, tenantId, createdAt: at, updatedAt: at };
    };

    beforeEach(async () => {
      fixture = await make();
      store = fixture.organizations;
      clock = new ManualClock("2026-03-01T09:00:00.000Z");
      await fixture.identities.createTenant({ id: ACME, slug: "acme", name: "Acme", createdAt: tick() });
      await fixture.identities.createTenant({ id: GLOBEX, slug: "globex", name: "Globex", createdAt: tick() });
    });

    afterEach(async () => {
      await fixture.close();
    });

    it("creates organizations, reads them back and lists them by name", async () => {
      const zeta = organization("org-1", "Zeta Contact “BPO” Ltd.");
      const alpha = organization("org-2", "Alpha Support");
      expect(await store.createOrganization(zeta)).toEqual(zeta);
      expect(await store.createOrganization(alpha)).toEqual(alpha);
      expect(await store.getOrganization(ACME, "org-1")).toEqual(zeta);
      expect(await store.getOrganization(ACME, "org-nope")).toBeUndefined();
      expect(await store.listOrganizations(ACME)).toEqual([alpha, zeta]);
      expect(await store.listOrganizations("tenant-nope")).toEqual([]);
    });

    it("refuses a name the tenant has already, on create and rename, but not one another tenant has", async () => {
      const first = await store.createOrganization(organization("org-1", "Teleperfect"));
      await store.createOrganization(organization("org-2", "Callworks"));
      await expectDomainError(store.createOrganization(organization("org-3", "Teleperfect")), "organization.name_taken");
      await expectDomainError(store.renameOrganization(ACME, "org-2", "Teleperfect"), "organization.name_taken");
      expect((await store.listOrganizations(ACME)).map((o) => o.name)).toEqual(["Callworks", "Teleperfect"]);
      expect(await store.createOrganization(organization("org-g", "Teleperfect", GLOBEX))).toMatchObject({ id: "org-g" });
      // Its own name again is no conflict.
      expect(await store.renameOrganization(ACME, "org-1", "Teleperfect")).toEqual(first);
    });

    it("renames an organization, only for its tenant", async () => {
      const original = await store.createOrganization(organization("org-1", "Teleperfect"));
      expect(await store.renameOrganization(ACME, "org-1", "Teleperfect EU")).toEqual({ ...original, name: "Teleperfect EU" });
      expect(await store.getOrganization(ACME, "org-1")).toEqual({ ...original, name: "Teleperfect EU" });
      expect(await store.renameOrganization(GLOBEX, "org-1", "hijacked")).toBeUndefined();
      expect(await store.renameOrganization(ACME, "org-nope", "x")).toBeUndefined();
      expect((await store.getOrganization(ACME, "org-1"))?.name).toBe("Teleperfect EU");
    });

    it("never shows, changes or deletes one tenant's organization through another", async () => {
      await store.createOrganization(organization("org-1", "Teleperfect"));
      expect(await store.getOrganization(GLOBEX, "org-1")).toBeUndefined();
      expect(await store.listOrganizations(GLOBEX)).toEqual([]);
      expect(await store.deleteOrganization(GLOBEX, "org-1")).toBe(false);
      expect(await store.getOrganization(ACME, "org-1")).toBeDefined();
    });

    it("refuses an organization of a tenant that does not exist", async () => {
      await expectDomainError(store.createOrganization(organization("org-1", "x", "tenant-nope")), "tenant.not_found");
    });

    it("keeps a user's organization, moves them, and refuses one that is not the tenant's", async () => {
      await store.createOrganization(organization("org-1", "Teleperfect"));
      await store.createOrganization(organization("org-2", "Callworks"));
      await store.createOrganization(organization("org-g", "Globex BPO", GLOBEX));
      const users = fixture.identities;
      const ada = await users.createUser(newUser("user-1", "org-1"));
      expect(ada.organizationId).toBe("org-1");
      expect(await users.getUser(ACME, "user-1")).toEqual(ada);
      expect((await users.createUser(newUser("user-2", null))).organizationId).toBeNull();

      expect(await users.updateUser(ACME, "user-1", { organizationId: "org-2" })).toEqual({ ...ada, organizationId: "org-2" });
      expect(await users.updateUser(ACME, "user-1", {})).toEqual({ ...ada, organizationId: "org-2" });
      expect(await users.updateUser(ACME, "user-1", { organizationId: null })).toEqual({ ...ada, organizationId: null });
      expect((await users.listUsers(ACME)).map((u) => u.organizationId)).toEqual([null, null]);

      await expectDomainError(users.createUser(newUser("user-3", "org-nope")), "organization.not_found");
      await expectDomainError(users.createUser(newUser("user-4", "org-g")), "organization.not_found");
      await expectDomainError(users.updateUser(ACME, "user-1", { organizationId: "org-g" }), "organization.not_found");
      expect(await users.getUser(ACME, "user-3")).toBeUndefined();
      expect(await users.getUser(ACME, "user-4")).toBeUndefined();
      expect((await users.getUser(ACME, "user-1"))?.organizationId).toBeNull();
      expect(await users.updateUser(GLOBEX, "user-1", { organizationId: "org-g" })).toBeUndefined();
      expect(await users.updateUser(ACME, "user-nope", { organizationId: "org-1" })).toBeUndefined();
    });

    it("deletes an organization only once nobody belongs to it, and takes it off its queues", async () => {
      await store.createOrganization(organization("org-1", "Teleperfect"));
      await store.createOrganization(organization("org-2", "Callworks"));
      await fixture.identities.createUser(newUser("user-1", "org-1"));
      const shared = await fixture.queues.createQueue(queue("queue-1", ["org-2", "org-1"]));
      expect(shared.organizationIds).toEqual(["org-1", "org-2"]);

      await expectDomainError(store.deleteOrganization(ACME, "org-1"), "organization.in_use");
      expect(await store.getOrganization(ACME, "org-1")).toBeDefined();
      await fixture.identities.updateUser(ACME, "user-1", { organizationId: null });
      expect(await store.deleteOrganization(ACME, "org-1")).toBe(true);
      expect(await store.deleteOrganization(ACME, "org-1")).toBe(false);
      expect(await store.getOrganization(ACME, "org-1")).toBeUndefined();
      expect((await fixture.queues.getQueue(ACME, "queue-1"))?.organizationIds).toEqual(["org-2"]);
      expect((await fixture.queues.listAllQueues()).map((q) => q.organizationIds)).toEqual([["org-2"]]);
      // Its name is free again.
      expect(await store.createOrganization(organization("org-3", "Teleperfect"))).toMatchObject({ id: "org-3" });
    });

    it("keeps a queue's organizations, sorted, and refuses one that is not the tenant's", async () => {
      await store.createOrganization(organization("org-b", "Teleperfect"));
      await store.createOrganization(organization("org-a", "Callworks"));
      await store.createOrganization(organization("org-g", "Globex BPO", GLOBEX));
      const queues = fixture.queues;
      const input = queue("queue-1", ["org-b", "org-a"]);
      const created = await queues.createQueue(input);
      expect(created).toEqual({ ...input, organizationIds: ["org-a", "org-b"] });
      expect(await queues.getQueue(ACME, "queue-1")).toEqual(created);
      expect(await queues.getQueueByName(ACME, created.name)).toEqual(created);
      expect(await queues.listQueues(ACME)).toEqual([created]);

      const narrowed = { ...created, organizationIds: ["org-b"], updatedAt: tick() };
      expect(await queues.updateQueue(narrowed)).toEqual(narrowed);
      const inHouse = { ...narrowed, organizationIds: [], updatedAt: tick() };
      expect(await queues.updateQueue(inHouse)).toEqual(inHouse);
      expect(await queues.getQueue(ACME, "queue-1")).toEqual(inHouse);

      await expectDomainError(queues.updateQueue({ ...inHouse, organizationIds: ["org-g"] }), "organization.not_found");
      await expectDomainError(
        queues.updateQueue({ ...inHouse, organizationIds: ["org-a", "org-nope"] }),
        "organization.not_found",
      );
      expect(await queues.getQueue(ACME, "queue-1")).toEqual(inHouse);
      await expectDomainError(queues.createQueue(queue("queue-2", ["org-g"])), "organization.not_found");
      expect(await queues.getQueue(ACME, "queue-2")).toBeUndefined();
      // Deleting the queue leaves its organizations be.
      expect(await queues.updateQueue({ ...inHouse, organizationIds: ["org-a"] })).toMatchObject({ organizationIds: ["org-a"] });
      expect(await queues.deleteQueue(ACME, "queue-1")).toBe(true);
      expect(await store.getOrganization(ACME, "org-a")).toBeDefined();
      expect(await store.deleteOrganization(ACME, "org-a")).toBe(true);
    });
  });
}
