import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type BotSettings, type FaqEntry, type IdentityStore, type KnowledgeStore, ManualClock } from "../src/index.js";
import { expectDomainError } from "./identity-store.contract.js";

/** What the knowledge contract needs: a fresh, empty store per test, with identities to make tenants in. */
export interface KnowledgeStoreFixture {
  readonly identities: IdentityStore;
  readonly knowledge: KnowledgeStore;
  close(): Promise<void>;
}

const ACME = "tenant-acme";
const GLOBEX = "tenant-globex";

const settings: BotSettings = {
  synonyms: [
    ["refund", "money back"],
    ["invoice", "bill", "receipt"],
  ],
  intents: [
    { name: "refund", examples: ["I want my money back", "refund please"], requiresAgent: true, needsVerification: true },
    {
      name: "opening_hours",
      examples: ["when are you open"],
      requiresAgent: false,
      needsVerification: false,
      reply: "We're open 9–17, Monday to Friday.",
    },
  ],
  answerThreshold: 0.75,
  suggestThreshold: 0.4,
  maxMisunderstandings: 2,
};

/** The behaviour every `KnowledgeStore` shares: FAQ entries and per-tenant bot settings, scoped to their tenant. */
export function knowledgeStoreContract(name: string, make: () => Promise<KnowledgeStoreFixture>): void {
  describe(`KnowledgeStore contract: ${name}`, () => {
    let fixture: KnowledgeStoreFixture;
    let store: KnowledgeStore;
    let clock: ManualClock;

    const tick = (): Date => {
      clock.advance(1000);
      return clock.now();
    };

    const faq = (id: string, extra: Partial<FaqEntry> = {}): FaqEntry => {
      const at = tick();
      return {
        id,
        tenantId: ACME,
        question: `Question ${id}?`,
        answer: `Answer ${id}.`,
        alternatives: [],
        createdAt: at,
        updatedAt: at,
        ...extra,
      };
    };

    beforeEach(async () => {
      fixture = await make();
      store = fixture.knowledge;
      clock = new ManualClock("2026-03-01T09:00:00.000Z");
      await fixture.identities.createTenant({ id: ACME, slug: "acme", name: "Acme", createdAt: tick() });
      await fixture.identities.createTenant({ id: GLOBEX, slug: "globex", name: "Globex", createdAt: tick() });
    });

    afterEach(async () => {
      await fixture.close();
    });

    describe("FAQ entries", () => {
      it("creates an entry and reads it back as given", async () => {
        const input = faq("faq-1", {
          question: "How do I reset my password?",
          answer: "Click “Forgot password” on the sign-in page.\nThen follow the email.",
          alternatives: ["forgot password", "can't log in", "passwort vergessen"],
        });
        expect(await store.createFaq(input)).toEqual(input);
        expect(await store.getFaq(ACME, "faq-1")).toEqual(input);
        expect(await store.getFaq(ACME, "faq-nope")).toBeUndefined();
      });

      it("lists the tenant's entries oldest first, ties by id", async () => {
        const at = tick();
        const b = await store.createFaq(faq("faq-b", { createdAt: at, updatedAt: at }));
        const a = await store.createFaq(faq("faq-a", { createdAt: at, updatedAt: at }));
        const c = await store.createFaq(faq("faq-c"));
        const first = await store.createFaq(faq("faq-z", { createdAt: new Date("2026-01-01T00:00:00.000Z") }));
        await store.createFaq(faq("faq-g", { tenantId: GLOBEX }));
        expect(await store.listFaqs(ACME)).toEqual([first, a, b, c]);
      });

      it("updates an entry's text and alternatives, keeping when it was created", async () => {
        const original = await store.createFaq(faq("faq-1", { alternatives: ["one", "two"] }));
        const at = tick();
        const updated = await store.updateFaq({
          ...original,
          question: "New question?",
          answer: "New answer.",
          alternatives: [],
          createdAt: at,
          updatedAt: at,
        });
        const expected = { ...original, question: "New question?", answer: "New answer.", alternatives: [], updatedAt: at };
        expect(updated).toEqual(expected);
        expect(await store.getFaq(ACME, "faq-1")).toEqual(expected);
        expect(await store.listFaqs(ACME)).toEqual([expected]);
      });

      it("refuses to update an entry that does not exist, or is another tenant's", async () => {
        const original = await store.createFaq(faq("faq-1"));
        await expectDomainError(store.updateFaq(faq("faq-nope")), "faq.not_found");
        await expectDomainError(store.updateFaq({ ...original, tenantId: GLOBEX, answer: "hijacked" }), "faq.not_found");
        expect(await store.getFaq(ACME, "faq-1")).toEqual(original);
      });

      it("deletes an entry once", async () => {
        await store.createFaq(faq("faq-1"));
        const kept = await store.createFaq(faq("faq-2"));
        expect(await store.deleteFaq(GLOBEX, "faq-1")).toBe(false);
        expect(await store.getFaq(ACME, "faq-1")).toBeDefined();
        expect(await store.deleteFaq(ACME, "faq-1")).toBe(true);
        expect(await store.deleteFaq(ACME, "faq-1")).toBe(false);
        expect(await store.getFaq(ACME, "faq-1")).toBeUndefined();
        expect(await store.listFaqs(ACME)).toEqual([kept]);
      });

      it("never shows one tenant's entries to another", async () => {
        const entry = await store.createFaq(faq("faq-1"));
        expect(await store.getFaq(GLOBEX, entry.id)).toBeUndefined();
        expect(await store.listFaqs(GLOBEX)).toEqual([]);
      });

      it("refuses an entry of a tenant that does not exist", async () => {
        await expectDomainError(store.createFaq(faq("faq-1", { tenantId: "tenant-nope" })), "tenant.not_found");
      });
    });

    describe("bot settings", () => {
      it("has none until the tenant saves some, then returns them as saved", async () => {
        expect(await store.getBotSettings(ACME)).toBeUndefined();
        await store.putBotSettings(ACME, settings, tick());
        expect(await store.getBotSettings(ACME)).toEqual(settings);
        expect(await store.getBotSettings(GLOBEX)).toBeUndefined();
      });

      it("replaces the settings when saved again", async () => {
        await store.putBotSettings(ACME, settings, tick());
        const next: BotSettings = {
          synonyms: [],
          intents: [],
          answerThreshold: 0.9,
          suggestThreshold: 0,
          maxMisunderstandings: 5,
        };
        await store.putBotSettings(ACME, next, tick());
        expect(await store.getBotSettings(ACME)).toEqual(next);
      });

      it("keeps each tenant's settings apart", async () => {
        const globex: BotSettings = { ...settings, intents: [], maxMisunderstandings: 1 };
        await store.putBotSettings(ACME, settings, tick());
        await store.putBotSettings(GLOBEX, globex, tick());
        expect(await store.getBotSettings(ACME)).toEqual(settings);
        expect(await store.getBotSettings(GLOBEX)).toEqual(globex);
      });

      it("refuses settings of a tenant that does not exist", async () => {
        await expectDomainError(store.putBotSettings("tenant-nope", settings, tick()), "tenant.not_found");
        expect(await store.getBotSettings("tenant-nope")).toBeUndefined();
      });
    });
  });
}
