import { notFound, type VerificationChallenge, type VerificationStore } from "@switchboard/core";
import type { Kysely, Selectable } from "kysely";
import { guard, isForeignKeyViolation } from "./errors.js";
import type { Database, VerificationChallengesTable } from "./schema.js";

const date = (text: string | null): Date | null => (text === null ? null : new Date(text));

const toChallenge = (r: Selectable<VerificationChallengesTable>): VerificationChallenge => ({
  id: r.id,
  tenantId: r.tenant_id,
  conversationId: r.conversation_id,
  customerId: r.customer_id,
  codeDigest: r.code_digest,
  attempts: r.attempts,
  expiresAt: new Date(r.expires_at),
  lockedUntil: date(r.locked_until),
  verifiedAt: date(r.verified_at),
  createdAt: new Date(r.created_at),
});

const challengeRow = (c: VerificationChallenge): Selectable<VerificationChallengesTable> => ({
  id: c.id,
  tenant_id: c.tenantId,
  conversation_id: c.conversationId,
  customer_id: c.customerId,
  code_digest: c.codeDigest,
  attempts: c.attempts,
  expires_at: c.expiresAt.toISOString(),
  locked_until: c.lockedUntil?.toISOString() ?? null,
  verified_at: c.verifiedAt?.toISOString() ?? null,
  created_at: c.createdAt.toISOString(),
});

/** `VerificationStore` on SQLite or PostgreSQL: the one-time code challenges of conversations. */
export class SqlVerificationStore implements VerificationStore {
  constructor(private readonly db: Kysely<Database>) {}

  createChallenge(challenge: VerificationChallenge): Promise<VerificationChallenge> {
    return guard("create the verification challenge", async () => {
      const row = challengeRow(challenge);
      try {
        await this.db.insertInto("verification_challenges").values(row).execute();
      } catch (error) {
        if (isForeignKeyViolation(error)) throw notFound("tenant", challenge.tenantId);
        throw error;
      }
      return toChallenge(row);
    });
  }

  latestChallenge(tenantId: string, conversationId: string): Promise<VerificationChallenge | undefined> {
    return guard("read the verification challenge", async () => {
      const row = await this.db
        .selectFrom("verification_challenges")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where("conversation_id", "=", conversationId)
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .limit(1)
        .executeTakeFirst();
      return row && toChallenge(row);
    });
  }

  updateChallenge(challenge: VerificationChallenge): Promise<VerificationChallenge> {
    return guard("update the verification challenge", async () => {
      // What a challenge is for (its conversation, customer and creation) never changes; its progress does.
      const { code_digest, attempts, expires_at, locked_until, verified_at } = challengeRow(challenge);
      const row = await this.db
        .updateTable("verification_challenges")
        .set({ code_digest, attempts, expires_at, locked_until, verified_at })
        .where("tenant_id", "=", challenge.tenantId)
        .where("id", "=", challenge.id)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw notFound("verification_challenge", challenge.id);
      return toChallenge(row);
    });
  }
}
