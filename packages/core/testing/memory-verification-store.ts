import { notFound, type VerificationChallenge, type VerificationStore } from "../src/index.js";
import { copyDate, copyDateOrNull, type MemoryStoreOptions, requireNewId, requireTenant } from "./memory-rows.js";

const copyChallenge = (c: VerificationChallenge): VerificationChallenge => ({
  id: c.id,
  tenantId: c.tenantId,
  conversationId: c.conversationId,
  customerId: c.customerId,
  codeDigest: c.codeDigest,
  attempts: c.attempts,
  expiresAt: copyDate(c.expiresAt),
  lockedUntil: copyDateOrNull(c.lockedUntil),
  verifiedAt: copyDateOrNull(c.verifiedAt),
  createdAt: copyDate(c.createdAt),
});

/** Newest first, ties by the higher id: the SQL store's `order by created_at desc, id desc`. */
const newestFirst = (a: VerificationChallenge, b: VerificationChallenge): number =>
  b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** An in-memory `VerificationStore` with the same semantics as the SQL one, for unit tests. */
export class MemoryVerificationStore implements VerificationStore {
  private readonly challenges = new Map<string, VerificationChallenge>();

  constructor(private readonly options: MemoryStoreOptions = {}) {}

  async createChallenge(challenge: VerificationChallenge): Promise<VerificationChallenge> {
    await requireTenant(this.options, challenge.tenantId);
    requireNewId(this.challenges, challenge.id);
    const stored = copyChallenge(challenge);
    this.challenges.set(stored.id, stored);
    return copyChallenge(stored);
  }

  async latestChallenge(tenantId: string, conversationId: string): Promise<VerificationChallenge | undefined> {
    const latest = [...this.challenges.values()]
      .filter((c) => c.tenantId === tenantId && c.conversationId === conversationId)
      .sort(newestFirst)[0];
    return latest && copyChallenge(latest);
  }

  async updateChallenge(challenge: VerificationChallenge): Promise<VerificationChallenge> {
    const existing = this.challenges.get(challenge.id);
    if (!existing || existing.tenantId !== challenge.tenantId) throw notFound("verification_challenge", challenge.id);
    // What a challenge is for (its conversation, customer and creation) never changes; its progress does.
    const stored = copyChallenge({
      ...existing,
      codeDigest: challenge.codeDigest,
      attempts: challenge.attempts,
      expiresAt: challenge.expiresAt,
      lockedUntil: challenge.lockedUntil,
      verifiedAt: challenge.verifiedAt,
    });
    this.challenges.set(stored.id, stored);
    return copyChallenge(stored);
  }
}
