import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type IdentityStore, ManualClock, type VerificationChallenge, type VerificationStore } from "../src/index.js";
import { expectDomainError } from "./identity-store.contract.js";

/** What the verification contract needs: a fresh, empty store per test, with identities to make tenants in. */
export interface VerificationStoreFixture {
  readonly identities: IdentityStore;
  readonly verifications: VerificationStore;
  close(): Promise<void>;
}

const ACME = "tenant-acme";
const GLOBEX = "tenant-globex";

/** The behaviour every `VerificationStore` shares: challenges per conversation, the latest first, scoped to their tenant. */
export function verificationStoreContract(name: string, make: () => Promise<VerificationStoreFixture>): void {
  describe(`VerificationStore contract: ${name}`, () => {
    let fixture: VerificationStoreFixture;
    let store: VerificationStore;
    let clock: ManualClock;

    const tick = (): Date => {
      clock.advance(1000);
      return clock.now();
    };

    const challenge = (id: string, extra: Partial<VerificationChallenge> = {}): VerificationChallenge => {
      const at = tick();
      return {
        id,
        tenantId: ACME,
        conversationId: "conversation-1",
        customerId: "customer-1",
        codeDigest: `digest-of-${id}`,
        attempts: 0,
        expiresAt: new Date(at.getTime() + 10 * 60_000),
        lockedUntil: null,
        verifiedAt: null,
        createdAt: at,
        ...extra,
      };
    };

    beforeEach(async () => {
      fixture = await make();
      store = fixture.verifications;
      clock = new ManualClock("2026-03-01T09:00:00.000Z");
      await fixture.identities.createTenant({ id: ACME, slug: "acme", name: "Acme", createdAt: tick() });
      await fixture.identities.createTenant({ id: GLOBEX, slug: "globex", name: "Globex", createdAt: tick() });
    });

    afterEach(async () => {
      await fixture.close();
    });

    it("creates a challenge and finds it as the conversation's latest", async () => {
      const input = challenge("challenge-1");
      expect(await store.createChallenge(input)).toEqual(input);
      expect(await store.latestChallenge(ACME, "conversation-1")).toEqual(input);
      expect(await store.latestChallenge(ACME, "conversation-2")).toBeUndefined();
    });

    it("finds the most recent challenge: by creation, then by id", async () => {
      await store.createChallenge(challenge("challenge-b"));
      const later = await store.createChallenge(challenge("challenge-a"));
      await store.createChallenge(challenge("challenge-z", { createdAt: new Date("2026-01-01T00:00:00.000Z") }));
      await store.createChallenge(challenge("challenge-other", { conversationId: "conversation-2" }));
      expect(await store.latestChallenge(ACME, "conversation-1")).toEqual(later);

      const at = tick();
      await store.createChallenge(challenge("challenge-m", { createdAt: at }));
      const tie = await store.createChallenge(challenge("challenge-n", { createdAt: at }));
      await store.createChallenge(challenge("challenge-l", { createdAt: at }));
      expect(await store.latestChallenge(ACME, "conversation-1")).toEqual(tie);
      expect((await store.latestChallenge(ACME, "conversation-2"))?.id).toBe("challenge-other");
    });

    it("updates a challenge's progress, and only that", async () => {
      const original = await store.createChallenge(challenge("challenge-1"));
      const failed = await store.updateChallenge({ ...original, attempts: 1 });
      expect(failed).toEqual({ ...original, attempts: 1 });
      const lockedUntil = new Date(tick().getTime() + 15 * 60_000);
      const locked = await store.updateChallenge({ ...failed, attempts: 3, lockedUntil });
      expect(locked).toEqual({ ...original, attempts: 3, lockedUntil });
      expect(await store.latestChallenge(ACME, "conversation-1")).toEqual(locked);

      const verifiedAt = tick();
      const verified = await store.updateChallenge({
        ...locked,
        lockedUntil: null,
        verifiedAt,
        conversationId: "conversation-other",
        customerId: "customer-other",
        createdAt: verifiedAt,
      });
      expect(verified).toEqual({ ...original, attempts: 3, lockedUntil: null, verifiedAt });
      expect(await store.latestChallenge(ACME, "conversation-1")).toEqual(verified);
      expect(await store.latestChallenge(ACME, "conversation-other")).toBeUndefined();
    });

    it("refuses to update a challenge that does not exist, or is another tenant's", async () => {
      const original = await store.createChallenge(challenge("challenge-1"));
      await expectDomainError(store.updateChallenge(challenge("challenge-nope")), "verification_challenge.not_found");
      await expectDomainError(
        store.updateChallenge({ ...original, tenantId: GLOBEX, verifiedAt: tick() }),
        "verification_challenge.not_found",
      );
      expect(await store.latestChallenge(ACME, "conversation-1")).toEqual(original);
    });

    it("never shows one tenant's challenges to another", async () => {
      await store.createChallenge(challenge("challenge-1"));
      expect(await store.latestChallenge(GLOBEX, "conversation-1")).toBeUndefined();
      const globex = await store.createChallenge(challenge("challenge-0", { tenantId: GLOBEX, createdAt: new Date(0) }));
      expect(await store.latestChallenge(GLOBEX, "conversation-1")).toEqual(globex);
      expect((await store.latestChallenge(ACME, "conversation-1"))?.id).toBe("challenge-1");
    });

    it("refuses a challenge of a tenant that does not exist", async () => {
      await expectDomainError(store.createChallenge(challenge("challenge-1", { tenantId: "tenant-nope" })), "tenant.not_found");
    });
  });
}
