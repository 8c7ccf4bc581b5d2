import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DomainError, type IdentityStore, ManualClock, type NewIdentity, type NewUser, type Tenant } from "../src/index.js";

/** What a contract suite needs from an implementation: a fresh, empty store per test. */
export interface IdentityStoreFixture {
  readonly identities: IdentityStore;
  close(): Promise<void>;
}

/** Expects the promise to reject with the core's `DomainError` of the given code. */
export async function expectDomainError(promise: Promise<unknown>, code: string): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe(code);
  return error as DomainError;
}

/**
 * The behaviour every `IdentityStore` shares. `make` is called once per test and must return an
 * empty, migrated store; `close` releases it.
 */
export function identityStoreContract(name: string, make: () => Promise<IdentityStoreFixture>): void {
  describe(`IdentityStore contract: ${name}`, () => {
    let fixture: IdentityStoreFixture;
    let store: IdentityStore;
    let clock: ManualClock;
    let acme: Tenant;
    let globex: Tenant;

    const tick = (): Date => {
      clock.advance(1000);
      return clock.now();
    };

    const newIdentity = (tenantId: string, id: string, extra: Partial<NewIdentity> = {}): NewIdentity => ({
      id,
      tenantId,
      kind: "customer",
      displayName: `Name of ${id}`,
      externalId: null,
      metadata: {},
      createdAt: tick(),
      ...extra,
    });

    const newUser = (tenantId: string, id: string, email: string): NewUser => {
      const createdAt = tick();
      return {
        id,
        tenantId,
        email,
        displayName: `User ${id}`,
        role: "agent",
        passwordHash: `scrypt$hash-of-${id}`,
        identity: { ...newIdentity(tenantId, `${id}-identity`, { kind: "agent", displayName: `User ${id}` }), createdAt },
        createdAt,
      };
    };

    beforeEach(async () => {
      fixture = await make();
      store = fixture.identities;
      clock = new ManualClock("2026-03-01T09:00:00.000Z");
      acme = await store.createTenant({ id: "tenant-acme", slug: "acme", name: "Acme Inc.", createdAt: tick() });
      globex = await store.createTenant({ id: "tenant-globex", slug: "globex", name: "Globex", createdAt: tick() });
    });

    afterEach(async () => {
      await fixture.close();
    });

    describe("tenants", () => {
      it("creates a tenant and finds it by id and by slug", async () => {
        const at = tick();
        const created = await store.createTenant({ id: "tenant-initech", slug: "initech", name: "Initech", createdAt: at });
        expect(created).toEqual({ id: "tenant-initech", slug: "initech", name: "Initech", createdAt: at });
        expect(await store.getTenant("tenant-initech")).toEqual(created);
        expect(await store.getTenantBySlug("initech")).toEqual(created);
        expect(await store.getTenant("tenant-nope")).toBeUndefined();
        expect(await store.getTenantBySlug("nope")).toBeUndefined();
      });

      it("lists tenants oldest first", async () => {
        const initech = await store.createTenant({ id: "tenant-initech", slug: "initech", name: "Initech", createdAt: tick() });
        expect((await store.listTenants()).map((t) => t.id)).toEqual([acme.id, globex.id, initech.id]);
        expect((await store.listTenants())[0]).toEqual(acme);
      });

      it("refuses a slug that is taken", async () => {
        await expectDomainError(
          store.createTenant({ id: "tenant-acme-2", slug: "acme", name: "Acme again", createdAt: tick() }),
          "tenant.slug_taken",
        );
        expect(await store.getTenant("tenant-acme-2")).toBeUndefined();
        expect(await store.listTenants()).toHaveLength(2);
      });
    });

    describe("users", () => {
      it("creates a user together with its agent identity", async () => {
        const input = newUser(acme.id, "user-1", "ada@acme.test");
        const user = await store.createUser(input);
        expect(user).toEqual({
          id: "user-1",
          tenantId: acme.id,
          email: "ada@acme.test",
          displayName: "User user-1",
          role: "agent",
          passwordHash: "scrypt$hash-of-user-1",
          identityId: "user-1-identity",
          organizationId: null,
          createdAt: input.createdAt,
        });
        expect(await store.getIdentity(acme.id, "user-1-identity")).toEqual({
          id: "user-1-identity",
          tenantId: acme.id,
          kind: "agent",
          displayName: "User user-1",
          externalId: null,
          metadata: {},
          createdAt: input.createdAt,
        });
        expect(await store.getUser(acme.id, "user-1")).toEqual(user);
        expect(await store.getUserByEmail(acme.id, "ada@acme.test")).toEqual(user);
        expect(await store.getUserByEmail(acme.id, "bob@acme.test")).toBeUndefined();
        expect(await store.getUserByIdentity(acme.id, "user-1-identity")).toEqual(user);
        expect(await store.getUserByIdentity(acme.id, "user-1")).toBeUndefined();
      });

      it("lists the tenant's users oldest first", async () => {
        const a = await store.createUser(newUser(acme.id, "user-1", "ada@acme.test"));
        const b = await store.createUser(newUser(acme.id, "user-2", "bob@acme.test"));
        await store.createUser(newUser(globex.id, "user-3", "cy@globex.test"));
        expect(await store.listUsers(acme.id)).toEqual([a, b]);
        expect((await store.listUsers(globex.id)).map((u) => u.id)).toEqual(["user-3"]);
      });

      it("refuses an email taken in the tenant, and creates neither row", async () => {
        await store.createUser(newUser(acme.id, "user-1", "ada@acme.test"));
        await expectDomainError(store.createUser(newUser(acme.id, "user-2", "ada@acme.test")), "user.email_taken");
        expect(await store.getUser(acme.id, "user-2")).toBeUndefined();
        expect(await store.getIdentity(acme.id, "user-2-identity")).toBeUndefined();
        expect((await store.listUsers(acme.id)).map((u) => u.id)).toEqual(["user-1"]);
      });

      it("allows the same email in another tenant", async () => {
        await store.createUser(newUser(acme.id, "user-1", "ada@example.test"));
        const other = await store.createUser(newUser(globex.id, "user-2", "ada@example.test"));
        expect(other.tenantId).toBe(globex.id);
        expect((await store.getUserByEmail(globex.id, "ada@example.test"))?.id).toBe("user-2");
        expect((await store.getUserByEmail(acme.id, "ada@example.test"))?.id).toBe("user-1");
      });

      it("lets exactly one of two concurrent sign-ups with one email win", async () => {
        const results = await Promise.allSettled([
          store.createUser(newUser(acme.id, "user-1", "ada@acme.test")),
          store.createUser(newUser(acme.id, "user-2", "ada@acme.test")),
        ]);
        expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
        const rejected = results.filter((r) => r.status === "rejected");
        expect(rejected).toHaveLength(1);
        expect((rejected[0] as PromiseRejectedResult).reason).toMatchObject({ code: "user.email_taken" });
        expect(await store.listUsers(acme.id)).toHaveLength(1);
      });

      it("never shows a user to another tenant", async () => {
        await store.createUser(newUser(acme.id, "user-1", "ada@acme.test"));
        expect(await store.getUser(globex.id, "user-1")).toBeUndefined();
        expect(await store.getUserByEmail(globex.id, "ada@acme.test")).toBeUndefined();
        expect(await store.getUserByIdentity(globex.id, "user-1-identity")).toBeUndefined();
        expect(await store.listUsers(globex.id)).toEqual([]);
        expect(await store.getIdentity(globex.id, "user-1-identity")).toBeUndefined();
      });

      it("refuses a user of an unknown tenant", async () => {
        await expectDomainError(store.createUser(newUser("tenant-nope", "user-1", "ada@acme.test")), "tenant.not_found");
      });

      it("changes a user's role and name, the name of their agent identity with it, and nothing else", async () => {
        const ada = await store.createUser(newUser(acme.id, "user-1", "ada@acme.test"));
        const bob = await store.createUser(newUser(acme.id, "user-2", "bob@acme.test"));
        expect(await store.updateUser(acme.id, "user-1", { role: "supervisor" })).toEqual({ ...ada, role: "supervisor" });
        const renamed = await store.updateUser(acme.id, "user-1", { displayName: "Ada Lovelace" });
        expect(renamed).toEqual({ ...ada, role: "supervisor", displayName: "Ada Lovelace" });
        expect(await store.getUser(acme.id, "user-1")).toEqual(renamed);
        expect((await store.getIdentity(acme.id, "user-1-identity"))?.displayName).toBe("Ada Lovelace");
        expect(await store.updateUser(acme.id, "user-1", { role: "admin", displayName: "Ada L." })).toEqual({
          ...ada,
          role: "admin",
          displayName: "Ada L.",
        });
        // The other user and their identity are untouched; another tenant changes nothing.
        expect(await store.getUser(acme.id, "user-2")).toEqual(bob);
        expect((await store.getIdentity(acme.id, "user-2-identity"))?.displayName).toBe("User user-2");
        expect(await store.updateUser(globex.id, "user-2", { displayName: "Mallory" })).toBeUndefined();
        expect(await store.getUser(acme.id, "user-2")).toEqual(bob);
        expect((await store.getIdentity(acme.id, "user-2-identity"))?.displayName).toBe("User user-2");
      });
    });

    describe("API keys", () => {
      const newKey = (tenantId: string, id: string, secretHash: string) => ({
        id,
        tenantId,
        name: `Key ${id}`,
        prefix: `sk_${id}`.slice(0, 10),
        secretHash,
        createdAt: tick(),
      });

      it("creates a key and finds it by the hash of its secret, across tenants", async () => {
        const input = newKey(acme.id, "key-1", "hash-1");
        const key = await store.createApiKey(input);
        expect(key).toEqual({
          id: "key-1",
          tenantId: acme.id,
          name: "Key key-1",
          prefix: "sk_key-1",
          createdAt: input.createdAt,
          revokedAt: null,
        });
        expect(key).not.toHaveProperty("secretHash");
        expect(await store.findApiKeyBySecretHash("hash-1")).toEqual(key);
        expect(await store.findApiKeyBySecretHash("hash-2")).toBeUndefined();
      });

      it("lists only the tenant's keys, oldest first", async () => {
        const a = await store.createApiKey(newKey(acme.id, "key-1", "hash-1"));
        const b = await store.createApiKey(newKey(acme.id, "key-2", "hash-2"));
        const c = await store.createApiKey(newKey(globex.id, "key-3", "hash-3"));
        expect(await store.listApiKeys(acme.id)).toEqual([a, b]);
        expect(await store.listApiKeys(globex.id)).toEqual([c]);
      });

      it("revokes a key once; a second revocation keeps the first time", async () => {
        await store.createApiKey(newKey(acme.id, "key-1", "hash-1"));
        const first = tick();
        const revoked = await store.revokeApiKey(acme.id, "key-1", first);
        expect(revoked?.revokedAt).toEqual(first);
        expect((await store.findApiKeyBySecretHash("hash-1"))?.revokedAt).toEqual(first);
        const again = await store.revokeApiKey(acme.id, "key-1", tick());
        expect(again?.revokedAt).toEqual(first);
        expect((await store.listApiKeys(acme.id))[0]?.revokedAt).toEqual(first);
        expect(await store.revokeApiKey(acme.id, "key-nope", tick())).toBeUndefined();
      });

      it("never lets another tenant see or revoke a key", async () => {
        await store.createApiKey(newKey(acme.id, "key-1", "hash-1"));
        expect(await store.listApiKeys(globex.id)).toEqual([]);
        expect(await store.revokeApiKey(globex.id, "key-1", tick())).toBeUndefined();
        expect((await store.findApiKeyBySecretHash("hash-1"))?.revokedAt).toBeNull();
      });

      it("refuses a second key with the same secret", async () => {
        await store.createApiKey(newKey(acme.id, "key-1", "hash-1"));
        await expectDomainError(store.createApiKey(newKey(globex.id, "key-2", "hash-1")), "api_key.secret_taken");
        expect(await store.listApiKeys(globex.id)).toEqual([]);
      });

      it("refuses a key of an unknown tenant", async () => {
        await expectDomainError(store.createApiKey(newKey("tenant-nope", "key-1", "hash-1")), "tenant.not_found");
      });
    });

    describe("identities", () => {
      it("creates an identity with its metadata and external id", async () => {
        const input = newIdentity(acme.id, "identity-1", {
          kind: "bot",
          displayName: "Helper",
          externalId: "crm-42",
          metadata: { plan: "gold", region: "eu" },
        });
        const identity = await store.createIdentity(input);
        expect(identity).toEqual({
          id: "identity-1",
          tenantId: acme.id,
          kind: "bot",
          displayName: "Helper",
          externalId: "crm-42",
          metadata: { plan: "gold", region: "eu" },
          createdAt: input.createdAt,
        });
        expect(await store.getIdentity(acme.id, "identity-1")).toEqual(identity);
        expect(await store.getIdentity(acme.id, "identity-nope")).toBeUndefined();
      });

      it("refuses an external id taken in the tenant, allows it in another tenant, and allows many without one", async () => {
        await store.createIdentity(newIdentity(acme.id, "identity-1", { externalId: "crm-42" }));
        await expectDomainError(
          store.createIdentity(newIdentity(acme.id, "identity-2", { externalId: "crm-42" })),
          "identity.external_id_taken",
        );
        expect(await store.getIdentity(acme.id, "identity-2")).toBeUndefined();
        const other = await store.createIdentity(newIdentity(globex.id, "identity-3", { externalId: "crm-42" }));
        expect(other.externalId).toBe("crm-42");
        await store.createIdentity(newIdentity(acme.id, "identity-4"));
        await store.createIdentity(newIdentity(acme.id, "identity-5"));
        expect((await store.getIdentity(acme.id, "identity-5"))?.externalId).toBeNull();
      });

      it("refuses an identity of an unknown tenant", async () => {
        await expectDomainError(store.createIdentity(newIdentity("tenant-nope", "identity-1")), "tenant.not_found");
      });

      it("pages through the tenant's identities oldest first", async () => {
        const ids = ["identity-1", "identity-2", "identity-3", "identity-4", "identity-5"];
        for (const id of ids) await store.createIdentity(newIdentity(acme.id, id));
        await store.createIdentity(newIdentity(globex.id, "identity-other"));

        const first = await store.listIdentities(acme.id, { limit: 2 });
        expect(first.items.map((i) => i.id)).toEqual(["identity-1", "identity-2"]);
        expect(first.next).toEqual(expect.any(String));
        const second = await store.listIdentities(acme.id, { after: first.next as string, limit: 2 });
        expect(second.items.map((i) => i.id)).toEqual(["identity-3", "identity-4"]);
        const third = await store.listIdentities(acme.id, { after: second.next as string, limit: 2 });
        expect(third.items.map((i) => i.id)).toEqual(["identity-5"]);
        expect(third.next).toBeNull();

        const all = await store.listIdentities(acme.id, { limit: 5 });
        expect(all.items.map((i) => i.id)).toEqual(ids);
        expect(all.next).toBeNull();
        expect(all.items[0]).toEqual(await store.getIdentity(acme.id, "identity-1"));
      });

      it("lists only the identities of one kind when asked, paging within them", async () => {
        await store.createIdentity(newIdentity(acme.id, "identity-1"));
        await store.createIdentity(newIdentity(acme.id, "identity-2", { kind: "bot" }));
        await store.createIdentity(newIdentity(acme.id, "identity-3"));
        await store.createIdentity(newIdentity(acme.id, "identity-4", { kind: "bot" }));
        await store.createIdentity(newIdentity(globex.id, "identity-5", { kind: "bot" }));
        const first = await store.listIdentities(acme.id, { kind: "bot", limit: 1 });
        expect(first.items.map((i) => i.id)).toEqual(["identity-2"]);
        const second = await store.listIdentities(acme.id, { kind: "bot", after: first.next as string, limit: 1 });
        expect(second.items.map((i) => i.id)).toEqual(["identity-4"]);
        expect(second.next).toBeNull();
        expect((await store.listIdentities(acme.id, { kind: "agent", limit: 10 })).items).toEqual([]);
      });

      it("orders identities created at the same moment by id", async () => {
        const at = tick();
        for (const id of ["identity-c", "identity-a", "identity-b"]) {
          await store.createIdentity(newIdentity(acme.id, id, { createdAt: at }));
        }
        const first = await store.listIdentities(acme.id, { limit: 2 });
        expect(first.items.map((i) => i.id)).toEqual(["identity-a", "identity-b"]);
        const second = await store.listIdentities(acme.id, { after: first.next as string, limit: 2 });
        expect(second.items.map((i) => i.id)).toEqual(["identity-c"]);
        expect(second.next).toBeNull();
      });

      it("rejects a cursor it did not hand out", async () => {
        await expectDomainError(store.listIdentities(acme.id, { after: "not-a-cursor", limit: 2 }), "page.invalid_cursor");
      });

      it("never shows an identity to another tenant", async () => {
        await store.createIdentity(newIdentity(acme.id, "identity-1", { externalId: "crm-42" }));
        expect(await store.getIdentity(globex.id, "identity-1")).toBeUndefined();
        expect(await store.listIdentities(globex.id, { limit: 10 })).toEqual({ items: [], next: null });
        expect(await store.deleteIdentity(globex.id, "identity-1")).toBe(false);
        expect((await store.getIdentity(acme.id, "identity-1"))?.id).toBe("identity-1");
      });

      it("deletes an identity once", async () => {
        await store.createIdentity(newIdentity(acme.id, "identity-1", { externalId: "crm-42" }));
        await store.createIdentity(newIdentity(acme.id, "identity-2"));
        expect(await store.deleteIdentity(acme.id, "identity-1")).toBe(true);
        expect(await store.getIdentity(acme.id, "identity-1")).toBeUndefined();
        expect(await store.deleteIdentity(acme.id, "identity-1")).toBe(false);
        expect((await store.listIdentities(acme.id, { limit: 10 })).items.map((i) => i.id)).toEqual(["identity-2"]);
        // The external id is free again.
        const again = await store.createIdentity(newIdentity(acme.id, "identity-3", { externalId: "crm-42" }));
        expect(again.externalId).toBe("crm-42");
      });
    });
  });
}
