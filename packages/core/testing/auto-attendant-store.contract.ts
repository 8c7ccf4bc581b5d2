import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type AutoAttendant, type AutoAttendantStore, type IdentityStore, ManualClock } from "../src/index.js";
import { expectDomainError } from "./identity-store.contract.js";

/** What the auto attendant contract needs: a fresh, empty store per test, with identities to make tenants in. */
export interface AutoAttendantStoreFixture {
  readonly identities: IdentityStore;
  readonly autoAttendants: AutoAttendantStore;
  close(): Promise<void>;
}

const ACME = "tenant-acme";
const GLOBEX = "tenant-globex";

/**
 * The behaviour every `AutoAttendantStore` shares: attendants kept as given (every flow, menu and
 * target), names unique per tenant, lists by name, every published version readable, a publication
 * refused unless it follows the current version, tenant scoping everywhere.
 */
export function autoAttendantStoreContract(name: string, make: () => Promise<AutoAttendantStoreFixture>): void {
  describe(`AutoAttendantStore contract: ${name}`, () => {
    let fixture: AutoAttendantStoreFixture;
    let store: AutoAttendantStore;
    let clock: ManualClock;

    const tick = (): Date => {
      clock.advance(1000);
      return clock.now();
    };

    const attendant = (id: string, extra: Partial<AutoAttendant> = {}): AutoAttendant => {
      const at = tick();
      return {
        id,
        tenantId: ACME,
        version: 1,
        name: `attendant ${id}`,
        voice: null,
        schedule: null,
        businessHours: { greeting: null, menu: null, target: { kind: "disconnect" } },
        afterHours: null,
        holiday: null,
        operator: null,
        speechInput: false,
        noInput: { retries: 2, target: { kind: "disconnect" } },
        invalidInput: { retries: 2, target: { kind: "disconnect" } },
        createdAt: at,
        updatedAt: at,
        ...extra,
      };
    };

    /** Every part filled: schedule, three flows, nested menus, every target and action kind. */
    const busy = (id: string, extra: Partial<AutoAttendant> = {}): AutoAttendant =>
      attendant(id, {
        name: "Main line “EU” | 24/7",
        voice: "en-us+f3",
        schedule: {
          timeZone: "Europe/Berlin",
          weekly: {
            "1": [
              ["08:00", "12:00"],
              ["13:00", "18:00"],
            ],
            "6": [["10:00", "24:00"]],
          },
          holidays: [{ date: "2026-12-25", name: "Christmas Day" }],
        },
        businessHours: {
          greeting: { kind: "speech", text: "Welcome to Acme.\nÜber alles.", voice: "de" },
          menu: {
            prompt: { kind: "recording", recordingId: "recording-menu" },
            options: [
              {
                key: "1",
                phrases: ["sales", "buy something"],
                action: { kind: "redirect", target: { kind: "queue", queueId: "q-1" } },
              },
              { key: "2", phrases: [], action: { kind: "redirect", target: { kind: "person", extension: "1001" } } },
              { key: "3", phrases: [], action: { kind: "redirect", target: { kind: "external_number", number: "+15550100" } } },
              { key: "4", phrases: [], action: { kind: "redirect", target: { kind: "voicemail", mailboxId: "mb-1" } } },
              {
                key: "5",
                phrases: [],
                action: { kind: "redirect", target: { kind: "auto_attendant", autoAttendantId: "aa-2" } },
              },
              {
                key: "6",
                phrases: ["more"],
                action: {
                  kind: "submenu",
                  menu: {
                    prompt: { kind: "speech", text: "More options." },
                    options: [
                      {
                        key: "1",
                        phrases: [],
                        action: { kind: "announcement", announcement: { kind: "speech", text: "Open 9 to 5." } },
                      },
                      { key: "*", phrases: [], action: { kind: "back" } },
                      { key: "#", phrases: [], action: { kind: "repeat" } },
                    ],
                  },
                },
              },
              { key: "7", phrases: [], action: { kind: "dial_by_extension" } },
              { key: "8", phrases: [], action: { kind: "dial_by_name" } },
              { key: "9", phrases: [], action: { kind: "voicemail_login" } },
              { key: "0", phrases: ["operator"], action: { kind: "operator" } },
            ],
          },
          target: null,
        },
        afterHours: {
          greeting: { kind: "speech", text: "We are closed." },
          menu: null,
          target: { kind: "voicemail", mailboxId: "mb-1" },
        },
        holiday: { greeting: null, menu: null, target: { kind: "disconnect", message: "Happy holidays." } },
        operator: { kind: "person", extension: "1000" },
        speechInput: true,
        noInput: { retries: 0, target: { kind: "queue", queueId: "q-1" } },
        invalidInput: { retries: 5, target: { kind: "disconnect", message: "Goodbye." } },
        ...extra,
      });

    /** The next version of `previous`, published a second later. */
    const next = (previous: AutoAttendant, extra: Partial<AutoAttendant> = {}): AutoAttendant => ({
      ...previous,
      version: previous.version + 1,
      updatedAt: tick(),
      ...extra,
    });

    beforeEach(async () => {
      fixture = await make();
      store = fixture.autoAttendants;
      clock = new ManualClock("2026-03-01T09:00:00.000Z");
      await fixture.identities.createTenant({ id: ACME, slug: "acme", name: "Acme", createdAt: tick() });
      await fixture.identities.createTenant({ id: GLOBEX, slug: "globex", name: "Globex", createdAt: tick() });
    });

    afterEach(async () => {
      await fixture.close();
    });

    it("creates an attendant and reads it back as given, as its current version and as version 1", async () => {
      const input = busy("aa-1");
      expect(await store.createAutoAttendant(input)).toEqual(input);
      expect(await store.getAutoAttendant(ACME, "aa-1")).toEqual(input);
      expect(await store.getAutoAttendantVersion(ACME, "aa-1", 1)).toEqual(input);
      expect(await store.getAutoAttendantVersion(ACME, "aa-1", 2)).toBeUndefined();
      const minimal = attendant("aa-2");
      expect(await store.createAutoAttendant(minimal)).toEqual(minimal);
      expect(await store.getAutoAttendant(ACME, "aa-2")).toEqual(minimal);
      expect(await store.getAutoAttendant(ACME, "aa-nope")).toBeUndefined();
    });

    it("publishes versions one after another, keeping each earlier one readable", async () => {
      const v1 = await store.createAutoAttendant(attendant("aa-1", { name: "front desk" }));
      const v2 = next(v1, { name: "reception", businessHours: busy("x").businessHours, createdAt: tick() });
      const published = await store.updateAutoAttendant(v2);
      // When it was created stays the first version's.
      expect(published).toEqual({ ...v2, createdAt: v1.createdAt });
      expect(await store.getAutoAttendant(ACME, "aa-1")).toEqual(published);
      const v3 = await store.updateAutoAttendant(next(published, { speechInput: true }));
      expect(await store.getAutoAttendant(ACME, "aa-1")).toEqual(v3);
      expect(await store.getAutoAttendantVersion(ACME, "aa-1", 1)).toEqual(v1);
      expect(await store.getAutoAttendantVersion(ACME, "aa-1", 2)).toEqual(published);
      expect(await store.getAutoAttendantVersion(ACME, "aa-1", 3)).toEqual(v3);
      expect(await store.listAutoAttendants(ACME)).toEqual([v3]);
    });

    it("refuses a publication that does not follow the current version", async () => {
      const v1 = await store.createAutoAttendant(attendant("aa-1"));
      const v2 = await store.updateAutoAttendant(next(v1, { name: "second" }));
      // Another admin's change, made from version 1, comes too late.
      await expectDomainError(store.updateAutoAttendant(next(v1, { name: "stale" })), "auto_attendant.version_conflict");
      await expectDomainError(store.updateAutoAttendant({ ...next(v2), version: 4 }), "auto_attendant.version_conflict");
      await expectDomainError(store.updateAutoAttendant({ ...v2, name: "same version" }), "auto_attendant.version_conflict");
      expect(await store.getAutoAttendant(ACME, "aa-1")).toEqual(v2);
      expect(await store.getAutoAttendantVersion(ACME, "aa-1", 3)).toBeUndefined();
    });

    it("refuses a name the tenant has already, but not one another tenant has", async () => {
      const first = await store.createAutoAttendant(attendant("aa-1", { name: "main" }));
      await expectDomainError(store.createAutoAttendant(attendant("aa-2", { name: "main" })), "auto_attendant.name_taken");
      expect(await store.getAutoAttendant(ACME, "aa-2")).toBeUndefined();
      const other = await store.createAutoAttendant(attendant("aa-3", { name: "main", tenantId: GLOBEX }));
      expect(await store.listAutoAttendants(ACME)).toEqual([first]);
      expect(await store.listAutoAttendants(GLOBEX)).toEqual([other]);
      const b = await store.createAutoAttendant(attendant("aa-4", { name: "b" }));
      await expectDomainError(store.updateAutoAttendant(next(b, { name: "main" })), "auto_attendant.name_taken");
      expect(await store.getAutoAttendant(ACME, "aa-4")).toEqual(b);
      expect(await store.getAutoAttendantVersion(ACME, "aa-4", 2)).toBeUndefined();
    });

    it("does not let one tenant read, publish or delete another's attendant", async () => {
      const original = await store.createAutoAttendant(busy("aa-1"));
      expect(await store.getAutoAttendant(GLOBEX, "aa-1")).toBeUndefined();
      expect(await store.getAutoAttendantVersion(GLOBEX, "aa-1", 1)).toBeUndefined();
      expect(await store.listAutoAttendants(GLOBEX)).toEqual([]);
      await expectDomainError(
        store.updateAutoAttendant(next(original, { tenantId: GLOBEX, name: "hijacked" })),
        "auto_attendant.not_found",
      );
      await expectDomainError(store.updateAutoAttendant(next(attendant("aa-nope"))), "auto_attendant.not_found");
      expect(await store.deleteAutoAttendant(GLOBEX, "aa-1")).toBe(false);
      expect(await store.getAutoAttendant(ACME, "aa-1")).toEqual(original);
      expect(await store.getAutoAttendantVersion(ACME, "aa-1", 2)).toBeUndefined();
    });

    it("deletes an attendant with its versions, once", async () => {
      const v1 = await store.createAutoAttendant(attendant("aa-1"));
      await store.updateAutoAttendant(next(v1));
      const kept = await store.createAutoAttendant(attendant("aa-2"));
      expect(await store.deleteAutoAttendant(ACME, "aa-1")).toBe(true);
      expect(await store.deleteAutoAttendant(ACME, "aa-1")).toBe(false);
      expect(await store.getAutoAttendant(ACME, "aa-1")).toBeUndefined();
      expect(await store.getAutoAttendantVersion(ACME, "aa-1", 1)).toBeUndefined();
      expect(await store.getAutoAttendantVersion(ACME, "aa-1", 2)).toBeUndefined();
      expect(await store.listAutoAttendants(ACME)).toEqual([kept]);
      // The name is free again, for a new attendant starting at version 1.
      const again = await store.createAutoAttendant(attendant("aa-3", { name: v1.name }));
      expect(await store.getAutoAttendantVersion(ACME, "aa-3", 1)).toEqual(again);
    });

    it("lists the tenant's attendants by name, each at its current version", async () => {
      const z = await store.createAutoAttendant(attendant("aa-1", { name: "zeta" }));
      const a = await store.createAutoAttendant(busy("aa-2", { name: "alpha" }));
      const a2 = await store.updateAutoAttendant(next(a, { name: "beta" }));
      expect(await store.listAutoAttendants(ACME)).toEqual([a2, z]);
      expect(await store.listAutoAttendants("tenant-nope")).toEqual([]);
    });

    it("refuses an attendant of a tenant that does not exist", async () => {
      await expectDomainError(store.createAutoAttendant(attendant("aa-1", { tenantId: "tenant-nope" })), "tenant.not_found");
      expect(await store.getAutoAttendant("tenant-nope", "aa-1")).toBeUndefined();
    });
  });
}
