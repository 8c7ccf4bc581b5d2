import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type EntryPoint, type EntryPointStore, type IdentityStore, ManualClock } from "../src/index.js";
import { expectDomainError } from "./identity-store.contract.js";

/** What the entry point contract needs: a fresh, empty store per test, with identities to make tenants in. */
export interface EntryPointStoreFixture {
  readonly identities: IdentityStore;
  readonly entryPoints: EntryPointStore;
  close(): Promise<void>;
}

const ACME = "tenant-acme";
const GLOBEX = "tenant-globex";

/**
 * The behaviour every `EntryPointStore` shares: entry points kept as given (JSON fields included),
 * scoped to their tenant, except `findEntryPoint`, which the widget uses across tenants.
 */
export function entryPointStoreContract(name: string, make: () => Promise<EntryPointStoreFixture>): void {
  describe(`EntryPointStore contract: ${name}`, () => {
    let fixture: EntryPointStoreFixture;
    let store: EntryPointStore;
    let clock: ManualClock;

    const tick = (): Date => {
      clock.advance(1000);
      return clock.now();
    };

    const entryPoint = (id: string, extra: Partial<EntryPoint> = {}): EntryPoint => {
      const at = tick();
      return {
        id,
        tenantId: ACME,
        name: `Entry point ${id}`,
        channel: "web_chat",
        botIdentityId: null,
        greeting: "Hi! How can we help you today?",
        businessHours: null,
        afterHoursMessage: "We're closed.",
        handoffQueue: "general",
        allowedOrigins: [],
        enabled: true,
        createdAt: at,
        updatedAt: at,
        ...extra,
      };
    };

    beforeEach(async () => {
      fixture = await make();
      store = fixture.entryPoints;
      clock = new ManualClock("2026-03-01T09:00:00.000Z");
      await fixture.identities.createTenant({ id: ACME, slug: "acme", name: "Acme", createdAt: tick() });
      await fixture.identities.createTenant({ id: GLOBEX, slug: "globex", name: "Globex", createdAt: tick() });
    });

    afterEach(async () => {
      await fixture.close();
    });

    it("creates an entry point and reads it back as given, by tenant and by id alone", async () => {
      const input = entryPoint("entry-1", {
        name: "Website",
        botIdentityId: "identity-bot",
        greeting: "Hello 👋",
        businessHours: {
          timeZone: "Europe/Berlin",
          weekly: {
            "1": [
              ["09:00", "12:30"],
              ["13:30", "17:00"],
            ],
            "6": [["10:00", "14:00"]],
          },
        },
        handoffQueue: "billing",
        allowedOrigins: ["https://acme.test", "http://localhost:5173"],
      });
      expect(await store.createEntryPoint(input)).toEqual(input);
      expect(await store.getEntryPoint(ACME, "entry-1")).toEqual(input);
      expect(await store.findEntryPoint("entry-1")).toEqual(input);
      expect(await store.getEntryPoint(ACME, "entry-nope")).toBeUndefined();
      expect(await store.findEntryPoint("entry-nope")).toBeUndefined();
    });

    it("keeps a disabled entry point without bot, hours or origins", async () => {
      const input = entryPoint("entry-1", { enabled: false, allowedOrigins: ["*"] });
      expect(await store.createEntryPoint(input)).toEqual(input);
      expect(await store.getEntryPoint(ACME, "entry-1")).toEqual(input);
    });

    it("lists the tenant's entry points oldest first, ties by id", async () => {
      const at = tick();
      const b = await store.createEntryPoint(entryPoint("entry-b", { createdAt: at, updatedAt: at }));
      const a = await store.createEntryPoint(entryPoint("entry-a", { createdAt: at, updatedAt: at }));
      const c = await store.createEntryPoint(entryPoint("entry-c"));
      await store.createEntryPoint(entryPoint("entry-g", { tenantId: GLOBEX }));
      expect(await store.listEntryPoints(ACME)).toEqual([a, b, c]);
      expect((await store.listEntryPoints(GLOBEX)).map((e) => e.id)).toEqual(["entry-g"]);
    });

    it("updates every field but when it was created", async () => {
      const original = await store.createEntryPoint(entryPoint("entry-1", { allowedOrigins: ["https://a.test"] }));
      const at = tick();
      const changed: EntryPoint = {
        ...original,
        name: "Renamed",
        botIdentityId: "identity-bot",
        greeting: "Welcome back",
        businessHours: { timeZone: "America/New_York", weekly: { "0": [["00:00", "24:00"]] } },
        afterHoursMessage: "Closed for now.",
        handoffQueue: "vip",
        allowedOrigins: [],
        enabled: false,
        createdAt: at,
        updatedAt: at,
      };
      const expected = { ...changed, createdAt: original.createdAt };
      expect(await store.updateEntryPoint(changed)).toEqual(expected);
      expect(await store.getEntryPoint(ACME, "entry-1")).toEqual(expected);
      const back = { ...expected, businessHours: null, botIdentityId: null, enabled: true, updatedAt: tick() };
      expect(await store.updateEntryPoint(back)).toEqual(back);
      expect(await store.findEntryPoint("entry-1")).toEqual(back);
    });

    it("refuses to update an entry point that does not exist, or is another tenant's", async () => {
      const original = await store.createEntryPoint(entryPoint("entry-1"));
      await expectDomainError(store.updateEntryPoint(entryPoint("entry-nope")), "entry_point.not_found");
      await expectDomainError(
        store.updateEntryPoint({ ...original, tenantId: GLOBEX, name: "Hijacked" }),
        "entry_point.not_found",
      );
      expect(await store.getEntryPoint(ACME, "entry-1")).toEqual(original);
    });

    it("deletes an entry point once, and only for its tenant", async () => {
      await store.createEntryPoint(entryPoint("entry-1"));
      expect(await store.deleteEntryPoint(GLOBEX, "entry-1")).toBe(false);
      expect(await store.findEntryPoint("entry-1")).toBeDefined();
      expect(await store.deleteEntryPoint(ACME, "entry-1")).toBe(true);
      expect(await store.deleteEntryPoint(ACME, "entry-1")).toBe(false);
      expect(await store.getEntryPoint(ACME, "entry-1")).toBeUndefined();
      expect(await store.findEntryPoint("entry-1")).toBeUndefined();
    });

    it("shows one tenant's entry points to another only through findEntryPoint", async () => {
      const globex = await store.createEntryPoint(entryPoint("entry-g", { tenantId: GLOBEX }));
      expect(await store.getEntryPoint(ACME, globex.id)).toBeUndefined();
      expect(await store.listEntryPoints(ACME)).toEqual([]);
      expect(await store.findEntryPoint(globex.id)).toEqual(globex);
    });

    it("refuses an entry point of a tenant that does not exist", async () => {
      await expectDomainError(store.createEntryPoint(entryPoint("entry-1", { tenantId: "tenant-nope" })), "tenant.not_found");
      expect(await store.findEntryPoint("entry-1")).toBeUndefined();
    });
  });
}
