import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type IdentityStore, ManualClock, type PhoneNumber, type PhoneNumberStore } from "../src/index.js";
import { expectDomainError } from "./identity-store.contract.js";

/** What the phone number contract needs: a fresh, empty store per test, with identities to make tenants in. */
export interface PhoneNumberStoreFixture {
  readonly identities: IdentityStore;
  readonly phoneNumbers: PhoneNumberStore;
  close(): Promise<void>;
}

const ACME = "tenant-acme";
const GLOBEX = "tenant-globex";

/**
 * The behaviour every `PhoneNumberStore` shares: numbers kept as given (the entry's JSON included), each
 * number unique across the whole deployment, lists by number, tenant scoping, and `findByE164` across tenants.
 */
export function phoneNumberStoreContract(name: string, make: () => Promise<PhoneNumberStoreFixture>): void {
  describe(`PhoneNumberStore contract: ${name}`, () => {
    let fixture: PhoneNumberStoreFixture;
    let store: PhoneNumberStore;
    let clock: ManualClock;

    const tick = (): Date => {
      clock.advance(1000);
      return clock.now();
    };

    const number = (id: string, e164: string, extra: Partial<PhoneNumber> = {}): PhoneNumber => {
      const at = tick();
      return {
        id,
        tenantId: ACME,
        e164,
        label: `Line ${id}`,
        entry: { kind: "flow", flow: "demo" },
        trunkId: null,
        createdAt: at,
        updatedAt: at,
        ...extra,
      };
    };

    beforeEach(async () => {
      fixture = await make();
      store = fixture.phoneNumbers;
      clock = new ManualClock("2026-03-01T09:00:00.000Z");
      await fixture.identities.createTenant({ id: ACME, slug: "acme", name: "Acme", createdAt: tick() });
      await fixture.identities.createTenant({ id: GLOBEX, slug: "globex", name: "Globex", createdAt: tick() });
    });

    afterEach(async () => {
      await fixture.close();
    });

    it("creates a number and reads it back as given, by id and by number", async () => {
      const input = number("number-1", "+15550100", { label: "Sales “EU” | main\nline", trunkId: "trunk-1" });
      expect(await store.createPhoneNumber(input)).toEqual(input);
      expect(await store.getPhoneNumber(ACME, "number-1")).toEqual(input);
      expect(await store.findByE164("+15550100")).toEqual(input);
      expect(await store.getPhoneNumber(ACME, "number-nope")).toBeUndefined();
      expect(await store.findByE164("+15550101")).toBeUndefined();
      expect(await store.findByE164("15550100")).toBeUndefined();
      const plain = number("number-2", "+442079460000");
      expect(await store.createPhoneNumber(plain)).toEqual(plain);
      expect(await store.getPhoneNumber(ACME, "number-2")).toEqual(plain);
    });

    it("gives a number to one tenant only, in the whole deployment", async () => {
      const first = await store.createPhoneNumber(number("number-1", "+15550100"));
      await expectDomainError(store.createPhoneNumber(number("number-2", "+15550100")), "phone_number.taken");
      await expectDomainError(
        store.createPhoneNumber(number("number-3", "+15550100", { tenantId: GLOBEX })),
        "phone_number.taken",
      );
      expect(await store.getPhoneNumber(ACME, "number-2")).toBeUndefined();
      expect(await store.getPhoneNumber(GLOBEX, "number-3")).toBeUndefined();
      expect(await store.findByE164("+15550100")).toEqual(first);
      expect(await store.deletePhoneNumber(ACME, "number-1")).toBe(true);
      const moved = await store.createPhoneNumber(number("number-4", "+15550100", { tenantId: GLOBEX }));
      expect(await store.findByE164("+15550100")).toEqual(moved);
    });

    it("updates everything but when it was created, keeping its own number and refusing another's", async () => {
      const original = await store.createPhoneNumber(number("number-1", "+15550100"));
      await store.createPhoneNumber(number("number-2", "+15550200", { tenantId: GLOBEX }));
      const at = tick();
      const changed: PhoneNumber = {
        ...original,
        e164: "+15550111",
        label: "Support",
        entry: { kind: "flow", flow: "support-hours" },
        trunkId: "trunk-9",
        createdAt: at,
        updatedAt: at,
      };
      const expected = { ...changed, createdAt: original.createdAt };
      expect(await store.updatePhoneNumber(changed)).toEqual(expected);
      expect(await store.getPhoneNumber(ACME, "number-1")).toEqual(expected);
      expect(await store.findByE164("+15550111")).toEqual(expected);
      expect(await store.findByE164("+15550100")).toBeUndefined();
      const same = { ...expected, label: "Support 2", trunkId: null, updatedAt: tick() };
      expect(await store.updatePhoneNumber(same)).toEqual(same);
      await expectDomainError(store.updatePhoneNumber({ ...same, e164: "+15550200" }), "phone_number.taken");
      expect(await store.getPhoneNumber(ACME, "number-1")).toEqual(same);
    });

    it("refuses to update a number that does not exist, or is another tenant's", async () => {
      const original = await store.createPhoneNumber(number("number-1", "+15550100"));
      await expectDomainError(store.updatePhoneNumber(number("number-nope", "+15550999")), "phone_number.not_found");
      await expectDomainError(
        store.updatePhoneNumber({ ...original, tenantId: GLOBEX, label: "hijacked" }),
        "phone_number.not_found",
      );
      expect(await store.getPhoneNumber(ACME, "number-1")).toEqual(original);
    });

    it("deletes a number once, and only for its tenant", async () => {
      await store.createPhoneNumber(number("number-1", "+15550100"));
      expect(await store.deletePhoneNumber(GLOBEX, "number-1")).toBe(false);
      expect(await store.findByE164("+15550100")).toBeDefined();
      expect(await store.deletePhoneNumber(ACME, "number-1")).toBe(true);
      expect(await store.deletePhoneNumber(ACME, "number-1")).toBe(false);
      expect(await store.getPhoneNumber(ACME, "number-1")).toBeUndefined();
      expect(await store.findByE164("+15550100")).toBeUndefined();
    });

    it("lists the tenant's numbers by number, and never another tenant's", async () => {
      const c = await store.createPhoneNumber(number("number-1", "+4930123"));
      const a = await store.createPhoneNumber(number("number-2", "+15550100"));
      const b = await store.createPhoneNumber(number("number-3", "+33123456"));
      const g = await store.createPhoneNumber(number("number-4", "+15550000", { tenantId: GLOBEX }));
      expect(await store.listPhoneNumbers(ACME)).toEqual([a, b, c]);
      expect(await store.listPhoneNumbers(GLOBEX)).toEqual([g]);
      expect(await store.listPhoneNumbers("tenant-nope")).toEqual([]);
      expect(await store.getPhoneNumber(GLOBEX, "number-1")).toBeUndefined();
      expect((await store.findByE164("+15550000"))?.tenantId).toBe(GLOBEX);
    });

    it("refuses a number of a tenant that does not exist", async () => {
      await expectDomainError(
        store.createPhoneNumber(number("number-1", "+15550100", { tenantId: "tenant-nope" })),
        "tenant.not_found",
      );
      expect(await store.findByE164("+15550100")).toBeUndefined();
    });
  });
}
