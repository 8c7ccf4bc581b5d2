import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Customer, type CustomerStore, type IdentityStore, ManualClock } from "../src/index.js";
import { expectDomainError } from "./identity-store.contract.js";

/** What the customer contract needs: a fresh, empty store per test, with identities to make tenants in. */
export interface CustomerStoreFixture {
  readonly identities: IdentityStore;
  readonly customers: CustomerStore;
  close(): Promise<void>;
}

const ACME = "tenant-acme";
const GLOBEX = "tenant-globex";

/**
 * The behaviour every `CustomerStore` shares: unique emails and external ids per tenant, emails kept
 * lowercase, the list by name with a search, and tenant scoping.
 */
export function customerStoreContract(name: string, make: () => Promise<CustomerStoreFixture>): void {
  describe(`CustomerStore contract: ${name}`, () => {
    let fixture: CustomerStoreFixture;
    let store: CustomerStore;
    let clock: ManualClock;

    const tick = (): Date => {
      clock.advance(1000);
      return clock.now();
    };

    const customer = (id: string, extra: Partial<Customer> = {}): Customer => {
      const at = tick();
      return {
        id,
        tenantId: ACME,
        name: `Name of ${id}`,
        email: null,
        phone: null,
        externalId: null,
        attributes: {},
        createdAt: at,
        updatedAt: at,
        ...extra,
      };
    };

    const names = async (tenantId: string, options: { query?: string; after?: string; limit?: number } = {}) =>
      (await store.listCustomers(tenantId, { limit: 100, ...options })).items.map((c) => c.name);

    beforeEach(async () => {
      fixture = await make();
      store = fixture.customers;
      clock = new ManualClock("2026-03-01T09:00:00.000Z");
      await fixture.identities.createTenant({ id: ACME, slug: "acme", name: "Acme", createdAt: tick() });
      await fixture.identities.createTenant({ id: GLOBEX, slug: "globex", name: "Globex", createdAt: tick() });
    });

    afterEach(async () => {
      await fixture.close();
    });

    describe("records", () => {
      it("creates a customer and finds it by id, email and external id", async () => {
        const input = customer("customer-1", {
          name: "Ada Lovelace",
          email: "ada@example.test",
          phone: "+44 20 7946 0000",
          externalId: "ACC-1001",
          attributes: { tier: "gold", since: "2019" },
        });
        const created = await store.createCustomer(input);
        expect(created).toEqual(input);
        expect(await store.getCustomer(ACME, "customer-1")).toEqual(input);
        expect(await store.getCustomerByEmail(ACME, "ada@example.test")).toEqual(input);
        expect(await store.getCustomerByExternalId(ACME, "ACC-1001")).toEqual(input);
        expect(await store.getCustomer(ACME, "customer-nope")).toBeUndefined();
        expect(await store.getCustomerByEmail(ACME, "bob@example.test")).toBeUndefined();
        expect(await store.getCustomerByExternalId(ACME, "acc-1001")).toBeUndefined();
      });

      it("keeps a customer without email, phone or external id", async () => {
        const input = customer("customer-1");
        expect(await store.createCustomer(input)).toEqual(input);
        expect(await store.getCustomer(ACME, "customer-1")).toEqual(input);
      });

      it("keeps emails lowercase and finds them whatever their case", async () => {
        const created = await store.createCustomer(customer("customer-1", { email: "Ada.Lovelace@Example.TEST" }));
        expect(created.email).toBe("ada.lovelace@example.test");
        expect((await store.getCustomer(ACME, "customer-1"))?.email).toBe("ada.lovelace@example.test");
        expect((await store.getCustomerByEmail(ACME, "ADA.LOVELACE@example.test"))?.id).toBe("customer-1");
      });

      it("refuses an email or an external id taken in the tenant, and allows them in another", async () => {
        await store.createCustomer(customer("customer-1", { email: "ada@example.test", externalId: "ACC-1" }));
        await expectDomainError(
          store.createCustomer(customer("customer-2", { email: "ADA@example.test" })),
          "customer.email_taken",
        );
        await expectDomainError(
          store.createCustomer(customer("customer-3", { externalId: "ACC-1" })),
          "customer.external_id_taken",
        );
        expect(await store.getCustomer(ACME, "customer-2")).toBeUndefined();
        expect(await store.getCustomer(ACME, "customer-3")).toBeUndefined();

        const other = await store.createCustomer(
          customer("customer-4", { tenantId: GLOBEX, email: "ada@example.test", externalId: "ACC-1" }),
        );
        expect(await store.getCustomerByEmail(GLOBEX, "ada@example.test")).toEqual(other);
        expect((await store.getCustomerByEmail(ACME, "ada@example.test"))?.id).toBe("customer-1");
        expect((await store.getCustomerByExternalId(GLOBEX, "ACC-1"))?.id).toBe("customer-4");
      });

      it("allows many customers without an email or an external id", async () => {
        await store.createCustomer(customer("customer-1"));
        await store.createCustomer(customer("customer-2"));
        await store.createCustomer(customer("customer-3", { email: "c@example.test" }));
        await store.createCustomer(customer("customer-4", { externalId: "X" }));
        expect((await store.listCustomers(ACME, { limit: 10 })).items).toHaveLength(4);
      });

      it("refuses a customer of a tenant that does not exist", async () => {
        await expectDomainError(store.createCustomer(customer("customer-1", { tenantId: "tenant-nope" })), "tenant.not_found");
      });
    });

    describe("updates", () => {
      it("replaces the fields and keeps when it was created", async () => {
        const original = await store.createCustomer(customer("customer-1", { email: "ada@example.test", externalId: "A" }));
        const at = tick();
        const updated = await store.updateCustomer({
          ...original,
          name: "Ada King",
          email: "Countess@Example.test",
          phone: "+1 555 0100",
          externalId: null,
          attributes: { tier: "platinum" },
          createdAt: at,
          updatedAt: at,
        });
        const expected: Customer = {
          ...original,
          name: "Ada King",
          email: "countess@example.test",
          phone: "+1 555 0100",
          externalId: null,
          attributes: { tier: "platinum" },
          updatedAt: at,
        };
        expect(updated).toEqual(expected);
        expect(await store.getCustomer(ACME, "customer-1")).toEqual(expected);
        expect(await store.getCustomerByEmail(ACME, "ada@example.test")).toBeUndefined();
        expect(await store.getCustomerByExternalId(ACME, "A")).toBeUndefined();
        expect(await store.getCustomerByEmail(ACME, "countess@example.test")).toEqual(expected);
        // The old email is free again.
        await store.createCustomer(customer("customer-2", { email: "ada@example.test", externalId: "A" }));
      });

      it("refuses an update to an email or an external id another customer has", async () => {
        await store.createCustomer(customer("customer-1", { email: "ada@example.test", externalId: "A" }));
        const bob = await store.createCustomer(customer("customer-2", { email: "bob@example.test", externalId: "B" }));
        await expectDomainError(store.updateCustomer({ ...bob, email: "ADA@example.test" }), "customer.email_taken");
        await expectDomainError(store.updateCustomer({ ...bob, externalId: "A" }), "customer.external_id_taken");
        expect(await store.getCustomer(ACME, bob.id)).toEqual(bob);
        // Keeping its own values is no conflict.
        expect(await store.updateCustomer({ ...bob, name: "Bobby" })).toEqual({ ...bob, name: "Bobby" });
      });

      it("refuses to update a customer that does not exist, or is another tenant's", async () => {
        const ada = await store.createCustomer(customer("customer-1", { email: "ada@example.test" }));
        await expectDomainError(store.updateCustomer(customer("customer-nope")), "customer.not_found");
        await expectDomainError(store.updateCustomer({ ...ada, tenantId: GLOBEX, name: "Hijacked" }), "customer.not_found");
        expect(await store.getCustomer(ACME, ada.id)).toEqual(ada);
        expect(await store.getCustomer(GLOBEX, ada.id)).toBeUndefined();
      });
    });

    describe("the list", () => {
      it("lists customers by name, then id, in pages", async () => {
        for (const [id, n] of [
          ["customer-5", "Edsger"],
          ["customer-2", "Barbara"],
          ["customer-4", "Donald"],
          ["customer-1", "Alan"],
          ["customer-3b", "Claude"],
          ["customer-3a", "Claude"],
        ] as const) {
          await store.createCustomer(customer(id, { name: n }));
        }
        const first = await store.listCustomers(ACME, { limit: 2 });
        expect(first.items.map((c) => c.name)).toEqual(["Alan", "Barbara"]);
        expect(first.items[0]).toEqual(await store.getCustomer(ACME, "customer-1"));
        const second = await store.listCustomers(ACME, { limit: 2, after: first.next as string });
        expect(second.items.map((c) => c.id)).toEqual(["customer-3a", "customer-3b"]);
        const third = await store.listCustomers(ACME, { limit: 2, after: second.next as string });
        expect(third.items.map((c) => c.name)).toEqual(["Donald", "Edsger"]);
        expect(third.next).toBeNull();
        const exact = await store.listCustomers(ACME, { limit: 6 });
        expect(exact.items).toHaveLength(6);
        expect(exact.next).toBeNull();
      });

      it("pages past names with separators, percent signs and accents", async () => {
        const odd = ["A|B", "A%B", "A B", "Zoë", "Zoe|", "Ä"];
        for (const [i, n] of odd.entries()) await store.createCustomer(customer(`customer-${i}`, { name: n }));
        const all = await names(ACME);
        const seen: string[] = [];
        let after: string | undefined;
        do {
          const page = await store.listCustomers(ACME, { limit: 1, ...(after === undefined ? {} : { after }) });
          seen.push(...page.items.map((c) => c.name));
          after = page.next ?? undefined;
        } while (after !== undefined);
        expect(seen).toEqual(all);
        expect([...seen].sort()).toEqual([...odd].sort());
      });

      it("searches name, email and external id, ignoring case", async () => {
        await store.createCustomer(customer("customer-1", { name: "Ada Lovelace", email: "ada@analytical.test" }));
        await store.createCustomer(
          customer("customer-2", { name: "Grace Hopper", email: "grace@navy.test", externalId: "COBOL-59" }),
        );
        await store.createCustomer(customer("customer-3", { name: "Élodie Durand", email: "elodie@example.test" }));
        await store.createCustomer(customer("customer-4", { name: "Alan Turing", externalId: "ENIGMA" }));

        expect(await names(ACME, { query: "LOVE" })).toEqual(["Ada Lovelace"]);
        expect(await names(ACME, { query: "navy" })).toEqual(["Grace Hopper"]);
        expect(await names(ACME, { query: "cobol" })).toEqual(["Grace Hopper"]);
        expect(await names(ACME, { query: "ÉLODIE d" })).toEqual(["Élodie Durand"]);
        expect(await names(ACME, { query: "a" })).toEqual(["Ada Lovelace", "Alan Turing", "Grace Hopper", "Élodie Durand"]);
        expect(await names(ACME, { query: ".test" })).toEqual(["Ada Lovelace", "Grace Hopper", "Élodie Durand"]);
        expect(await names(ACME, { query: "" })).toHaveLength(4);
        expect(await names(ACME, { query: "nobody" })).toEqual([]);
      });

      it("takes the search text literally: % and _ are no wildcards", async () => {
        await store.createCustomer(customer("customer-1", { name: "100% Juice" }));
        await store.createCustomer(customer("customer-2", { name: "1000 Juices" }));
        await store.createCustomer(customer("customer-3", { name: "snake_case" }));
        await store.createCustomer(customer("customer-4", { name: "snakeXcase" }));
        await store.createCustomer(customer("customer-5", { name: "back\\slash" }));
        expect(await names(ACME, { query: "0%" })).toEqual(["100% Juice"]);
        expect(await names(ACME, { query: "e_c" })).toEqual(["snake_case"]);
        expect(await names(ACME, { query: "k\\s" })).toEqual(["back\\slash"]);
      });

      it("pages a search", async () => {
        for (const n of ["Anna", "Bob", "Hanna", "Joanna", "Zed"])
          await store.createCustomer(customer(`customer-${n}`, { name: n }));
        const first = await store.listCustomers(ACME, { query: "ANNA", limit: 2 });
        expect(first.items.map((c) => c.name)).toEqual(["Anna", "Hanna"]);
        const second = await store.listCustomers(ACME, { query: "ANNA", limit: 2, after: first.next as string });
        expect(second.items.map((c) => c.name)).toEqual(["Joanna"]);
        expect(second.next).toBeNull();
      });

      it("rejects a cursor it did not hand out", async () => {
        await store.createCustomer(customer("customer-1"));
        await expectDomainError(store.listCustomers(ACME, { after: "garbage", limit: 2 }), "page.invalid_cursor");
        await expectDomainError(store.listCustomers(ACME, { after: "%E0%A4%A|customer-1", limit: 2 }), "page.invalid_cursor");
      });
    });

    it("never shows one tenant's customers to another", async () => {
      const ada = await store.createCustomer(customer("customer-1", { name: "Ada", email: "ada@example.test", externalId: "A" }));
      expect(await store.getCustomer(GLOBEX, ada.id)).toBeUndefined();
      expect(await store.getCustomerByEmail(GLOBEX, "ada@example.test")).toBeUndefined();
      expect(await store.getCustomerByExternalId(GLOBEX, "A")).toBeUndefined();
      expect(await store.listCustomers(GLOBEX, { limit: 10 })).toEqual({ items: [], next: null });
      expect(await store.listCustomers(GLOBEX, { query: "ada", limit: 10 })).toEqual({ items: [], next: null });
      await store.createCustomer(customer("customer-2", { tenantId: GLOBEX, name: "Gus" }));
      expect(await names(ACME)).toEqual(["Ada"]);
      expect(await names(GLOBEX)).toEqual(["Gus"]);
    });
  });
}
