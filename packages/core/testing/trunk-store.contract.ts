import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type IdentityStore, ManualClock, type Trunk, type TrunkStore } from "../src/index.js";
import { expectDomainError } from "./identity-store.contract.js";

/** What the trunk contract needs: a fresh, empty store per test, with identities to make tenants in. */
export interface TrunkStoreFixture {
  readonly identities: IdentityStore;
  readonly trunks: TrunkStore;
  close(): Promise<void>;
}

const ACME = "tenant-acme";
const GLOBEX = "tenant-globex";

/**
 * The behaviour every `TrunkStore` shares: trunks kept as given (inbound and outbound JSON, credentials
 * included: the SIP server needs them), names unique per tenant, lists by name, tenant scoping, except
 * `listAllTrunks`, which the SIP server matches source addresses against.
 */
export function trunkStoreContract(name: string, make: () => Promise<TrunkStoreFixture>): void {
  describe(`TrunkStore contract: ${name}`, () => {
    let fixture: TrunkStoreFixture;
    let store: TrunkStore;
    let clock: ManualClock;

    const tick = (): Date => {
      clock.advance(1000);
      return clock.now();
    };

    const trunk = (id: string, extra: Partial<Trunk> = {}): Trunk => {
      const at = tick();
      return {
        id,
        tenantId: ACME,
        name: `trunk ${id}`,
        inbound: { allowList: [], digest: null },
        outbound: null,
        byoc: false,
        enabled: true,
        createdAt: at,
        updatedAt: at,
        ...extra,
      };
    };

    /** Every part filled. */
    const busy = (id: string, extra: Partial<Trunk> = {}): Trunk =>
      trunk(id, {
        name: "Carrier “EU” | primary",
        inbound: {
          allowList: ["192.0.2.0/24", "198.51.100.7", "2001:db8::/32"],
          digest: { username: "carrier-in", ha1: "0123456789abcdef0123456789abcdef" },
        },
        outbound: {
          host: "sip.carrier.example",
          port: 5080,
          transport: "tcp",
          digest: { username: "acme-out", password: 'pässword with spaces & "quotes"' },
          callerIdPolicy: { kind: "fixed", e164: "+15550100" },
        },
        byoc: true,
        enabled: false,
        ...extra,
      });

    beforeEach(async () => {
      fixture = await make();
      store = fixture.trunks;
      clock = new ManualClock("2026-03-01T09:00:00.000Z");
      await fixture.identities.createTenant({ id: ACME, slug: "acme", name: "Acme", createdAt: tick() });
      await fixture.identities.createTenant({ id: GLOBEX, slug: "globex", name: "Globex", createdAt: tick() });
    });

    afterEach(async () => {
      await fixture.close();
    });

    it("creates a trunk and reads it back as given, credentials and all", async () => {
      const input = busy("trunk-1");
      expect(await store.createTrunk(input)).toEqual(input);
      expect(await store.getTrunk(ACME, "trunk-1")).toEqual(input);
      const minimal = trunk("trunk-2");
      expect(await store.createTrunk(minimal)).toEqual(minimal);
      expect(await store.getTrunk(ACME, "trunk-2")).toEqual(minimal);
      expect(await store.getTrunk(ACME, "trunk-nope")).toBeUndefined();
    });

    it("round-trips every caller-id policy and transport, with and without credentials", async () => {
      const policies = [{ kind: "pass-through" }, { kind: "tenant-number" }, { kind: "fixed", e164: "+4930123" }] as const;
      for (const [i, callerIdPolicy] of policies.entries()) {
        const input = trunk(`trunk-${i}`, {
          inbound: { allowList: ["::1", "10.0.0.0/8"], digest: null },
          outbound: {
            host: "203.0.113.5",
            port: 5060,
            transport: i % 2 === 0 ? "udp" : "tcp",
            digest: i === 0 ? null : { username: `u${i}`, password: `p${i}` },
            callerIdPolicy,
          },
        });
        expect(await store.createTrunk(input)).toEqual(input);
        expect(await store.getTrunk(ACME, input.id)).toEqual(input);
      }
    });

    it("refuses a name the tenant has already, but not one another tenant has", async () => {
      const first = await store.createTrunk(trunk("trunk-1", { name: "carrier" }));
      await expectDomainError(store.createTrunk(trunk("trunk-2", { name: "carrier" })), "trunk.name_taken");
      expect(await store.getTrunk(ACME, "trunk-2")).toBeUndefined();
      const other = await store.createTrunk(trunk("trunk-3", { name: "carrier", tenantId: GLOBEX }));
      expect(await store.listTrunks(ACME)).toEqual([first]);
      expect(await store.listTrunks(GLOBEX)).toEqual([other]);
    });

    it("updates everything but when it was created, and refuses another trunk's name", async () => {
      const original = await store.createTrunk(trunk("trunk-1", { name: "a" }));
      const b = await store.createTrunk(trunk("trunk-2", { name: "b" }));
      const at = tick();
      const changed = busy("trunk-1", { createdAt: at, updatedAt: at });
      const expected = { ...changed, createdAt: original.createdAt };
      expect(await store.updateTrunk(changed)).toEqual(expected);
      expect(await store.getTrunk(ACME, "trunk-1")).toEqual(expected);
      const back = { ...original, updatedAt: tick() };
      expect(await store.updateTrunk(back)).toEqual(back);
      await expectDomainError(store.updateTrunk({ ...b, name: "a" }), "trunk.name_taken");
      expect(await store.getTrunk(ACME, "trunk-2")).toEqual(b);
    });

    it("refuses to update a trunk that does not exist, or is another tenant's", async () => {
      const original = await store.createTrunk(trunk("trunk-1"));
      await expectDomainError(store.updateTrunk(trunk("trunk-nope")), "trunk.not_found");
      await expectDomainError(store.updateTrunk({ ...original, tenantId: GLOBEX, name: "hijacked" }), "trunk.not_found");
      expect(await store.getTrunk(ACME, "trunk-1")).toEqual(original);
    });

    it("deletes a trunk once, and only for its tenant", async () => {
      await store.createTrunk(trunk("trunk-1"));
      expect(await store.deleteTrunk(GLOBEX, "trunk-1")).toBe(false);
      expect(await store.deleteTrunk(ACME, "trunk-1")).toBe(true);
      expect(await store.deleteTrunk(ACME, "trunk-1")).toBe(false);
      expect(await store.getTrunk(ACME, "trunk-1")).toBeUndefined();
      expect(await store.listAllTrunks()).toEqual([]);
    });

    it("lists the tenant's trunks by name, and every tenant's by tenant, then name", async () => {
      const z = await store.createTrunk(trunk("trunk-1", { name: "zeta" }));
      const a = await store.createTrunk(busy("trunk-2", { name: "alpha" }));
      const g = await store.createTrunk(trunk("trunk-3", { name: "beta", tenantId: GLOBEX }));
      expect(await store.listTrunks(ACME)).toEqual([a, z]);
      expect(await store.listTrunks("tenant-nope")).toEqual([]);
      expect(await store.listAllTrunks()).toEqual([a, z, g]);
      expect(await store.getTrunk(GLOBEX, "trunk-1")).toBeUndefined();
    });

    it("refuses a trunk of a tenant that does not exist", async () => {
      await expectDomainError(store.createTrunk(trunk("trunk-1", { tenantId: "tenant-nope" })), "tenant.not_found");
      expect(await store.listAllTrunks()).toEqual([]);
    });
  });
}
