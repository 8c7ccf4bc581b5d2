import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type IdentityStore, ManualClock, type SipAccount, type SipAccountStore } from "../src/index.js";
import { expectDomainError } from "./identity-store.contract.js";

/** What the SIP account contract needs: a fresh, empty store per test, with identities to make tenants in. */
export interface SipAccountStoreFixture {
  readonly identities: IdentityStore;
  readonly sipAccounts: SipAccountStore;
  close(): Promise<void>;
}

const ACME = "tenant-acme";
const GLOBEX = "tenant-globex";

/**
 * The behaviour every `SipAccountStore` shares: usernames unique across the deployment (the registrar
 * finds the tenant by them), extensions unique per tenant, lists by extension, and tenant scoping.
 */
export function sipAccountStoreContract(name: string, make: () => Promise<SipAccountStoreFixture>): void {
  describe(`SipAccountStore contract: ${name}`, () => {
    let fixture: SipAccountStoreFixture;
    let store: SipAccountStore;
    let clock: ManualClock;

    const tick = (): Date => {
      clock.advance(1000);
      return clock.now();
    };

    const account = (id: string, username: string, extension: string, extra: Partial<SipAccount> = {}): SipAccount => {
      const at = tick();
      return {
        id,
        tenantId: ACME,
        username,
        extension,
        displayName: `Phone ${id}`,
        userId: null,
        ha1: `ha1-of-${username}`,
        createdAt: at,
        updatedAt: at,
        ...extra,
      };
    };

    beforeEach(async () => {
      fixture = await make();
      store = fixture.sipAccounts;
      clock = new ManualClock("2026-03-01T09:00:00.000Z");
      await fixture.identities.createTenant({ id: ACME, slug: "acme", name: "Acme", createdAt: tick() });
      await fixture.identities.createTenant({ id: GLOBEX, slug: "globex", name: "Globex", createdAt: tick() });
    });

    afterEach(async () => {
      await fixture.close();
    });

    it("creates an account and finds it by id, username and extension", async () => {
      const input = account("sip-1", "ada.lovelace", "1001", { userId: "user-1", displayName: "Ada’s desk phone" });
      expect(await store.createSipAccount(input)).toEqual(input);
      expect(await store.getSipAccount(ACME, "sip-1")).toEqual(input);
      expect(await store.findByUsername("ada.lovelace")).toEqual(input);
      expect(await store.findByExtension(ACME, "1001")).toEqual(input);
      expect(await store.findByUsername("Ada.Lovelace")).toBeUndefined();
      expect(await store.findByExtension(ACME, "1002")).toBeUndefined();
      expect(await store.getSipAccount(ACME, "sip-nope")).toBeUndefined();
    });

    it("keeps usernames unique in the deployment and extensions unique in the tenant", async () => {
      const ada = await store.createSipAccount(account("sip-1", "ada", "1001"));
      await expectDomainError(store.createSipAccount(account("sip-2", "ada", "1002")), "sip_account.username_taken");
      await expectDomainError(
        store.createSipAccount(account("sip-3", "ada", "1001", { tenantId: GLOBEX })),
        "sip_account.username_taken",
      );
      await expectDomainError(store.createSipAccount(account("sip-4", "bob", "1001")), "sip_account.extension_taken");
      expect(await store.listSipAccounts(ACME)).toEqual([ada]);
      const gus = await store.createSipAccount(account("sip-5", "gus", "1001", { tenantId: GLOBEX }));
      expect(await store.findByExtension(GLOBEX, "1001")).toEqual(gus);
      expect(await store.findByExtension(ACME, "1001")).toEqual(ada);
      expect(await store.findByUsername("gus")).toEqual(gus);
      // Both taken: the username is reported.
      await expectDomainError(store.createSipAccount(account("sip-6", "ada", "1001")), "sip_account.username_taken");
    });

    it("updates everything but when it was created, and refuses another account's username or extension", async () => {
      const ada = await store.createSipAccount(account("sip-1", "ada", "1001"));
      const bob = await store.createSipAccount(account("sip-2", "bob", "1002"));
      await store.createSipAccount(account("sip-3", "gus", "2001", { tenantId: GLOBEX }));
      const at = tick();
      const changed = {
        ...ada,
        extension: "1005",
        displayName: "Ada",
        userId: "user-7",
        ha1: "new-ha1",
        createdAt: at,
        updatedAt: at,
      };
      const expected = { ...changed, createdAt: ada.createdAt };
      expect(await store.updateSipAccount(changed)).toEqual(expected);
      expect(await store.findByExtension(ACME, "1005")).toEqual(expected);
      expect(await store.findByExtension(ACME, "1001")).toBeUndefined();
      await expectDomainError(store.updateSipAccount({ ...bob, extension: "1005" }), "sip_account.extension_taken");
      await expectDomainError(store.updateSipAccount({ ...bob, username: "gus" }), "sip_account.username_taken");
      expect(await store.getSipAccount(ACME, "sip-2")).toEqual(bob);
      // The same extension in another tenant is no conflict.
      expect(await store.updateSipAccount({ ...bob, extension: "2001" })).toMatchObject({ extension: "2001" });
    });

    it("refuses to update an account that does not exist, or is another tenant's", async () => {
      const ada = await store.createSipAccount(account("sip-1", "ada", "1001"));
      await expectDomainError(store.updateSipAccount(account("sip-nope", "x", "99")), "sip_account.not_found");
      await expectDomainError(store.updateSipAccount({ ...ada, tenantId: GLOBEX, ha1: "stolen" }), "sip_account.not_found");
      expect(await store.getSipAccount(ACME, "sip-1")).toEqual(ada);
    });

    it("deletes an account once, and only for its tenant, freeing its username and extension", async () => {
      await store.createSipAccount(account("sip-1", "ada", "1001"));
      expect(await store.deleteSipAccount(GLOBEX, "sip-1")).toBe(false);
      expect(await store.findByUsername("ada")).toBeDefined();
      expect(await store.deleteSipAccount(ACME, "sip-1")).toBe(true);
      expect(await store.deleteSipAccount(ACME, "sip-1")).toBe(false);
      expect(await store.findByUsername("ada")).toBeUndefined();
      expect(await store.createSipAccount(account("sip-2", "ada", "1001"))).toMatchObject({ id: "sip-2" });
    });

    it("lists the tenant's accounts by extension, and never another tenant's", async () => {
      const b = await store.createSipAccount(account("sip-1", "b", "2001"));
      const a = await store.createSipAccount(account("sip-2", "a", "1001"));
      const c = await store.createSipAccount(account("sip-3", "c", "30"));
      await store.createSipAccount(account("sip-4", "g", "1000", { tenantId: GLOBEX }));
      expect(await store.listSipAccounts(ACME)).toEqual([a, b, c]);
      expect(await store.getSipAccount(GLOBEX, "sip-1")).toBeUndefined();
      expect(await store.findByExtension(GLOBEX, "1001")).toBeUndefined();
      expect(await store.listSipAccounts("tenant-nope")).toEqual([]);
    });

    it("finds the phone linked to a user: of several, the first by extension; only in the user's tenant", async () => {
      await store.createSipAccount(account("sip-1", "desk", "2001", { userId: "user-ada" }));
      const soft = await store.createSipAccount(account("sip-2", "soft", "1001", { userId: "user-ada" }));
      await store.createSipAccount(account("sip-3", "bob", "1000", { userId: "user-bob" }));
      await store.createSipAccount(account("sip-4", "lobby", "900"));
      await store.createSipAccount(account("sip-5", "gus", "100", { tenantId: GLOBEX, userId: "user-ada" }));
      expect(await store.findByUser(ACME, "user-ada")).toEqual(soft);
      expect((await store.findByUser(GLOBEX, "user-ada"))?.id).toBe("sip-5");
      expect(await store.findByUser(ACME, "user-nope")).toBeUndefined();
      // A phone given to another user is found by theirs, no longer by the first's.
      await store.updateSipAccount({ ...soft, userId: "user-bob", extension: "0999" });
      expect((await store.findByUser(ACME, "user-ada"))?.id).toBe("sip-1");
      expect((await store.findByUser(ACME, "user-bob"))?.id).toBe("sip-2");
    });

    it("refuses an account of a tenant that does not exist", async () => {
      await expectDomainError(
        store.createSipAccount(account("sip-1", "ada", "1001", { tenantId: "tenant-nope" })),
        "tenant.not_found",
      );
      expect(await store.findByUsername("ada")).toBeUndefined();
    });
  });
}
