/**
 * Proving who is chatting: a one-time code sent to the email on the customer's record. A challenge
 * allows a few attempts before it locks the conversation out for a while; a code expires.
 */
export interface VerificationChallenge {
  readonly id: string;
  readonly tenantId: string;
  readonly conversationId: string;
  readonly customerId: string;
  /** A digest of the code and the challenge id; the code itself is never stored. */
  readonly codeDigest: string;
  readonly attempts: number;
  readonly expiresAt: Date;
  readonly lockedUntil: Date | null;
  readonly verifiedAt: Date | null;
  readonly createdAt: Date;
}

export interface VerificationPolicy {
  readonly codeTtlMinutes: number;
  readonly maxAttempts: number;
  readonly lockoutMinutes: number;
}

export const defaultVerificationPolicy: VerificationPolicy = { codeTtlMinutes: 10, maxAttempts: 3, lockoutMinutes: 15 };

export type StartVerificationResult =
  | { readonly kind: "started"; readonly maskedEmail: string }
  | { readonly kind: "unknown_email" }
  | { readonly kind: "locked"; readonly minutes: number };

export type CheckCodeResult =
  | { readonly kind: "accepted"; readonly customerId: string; readonly customerName: string }
  | { readonly kind: "rejected"; readonly attemptsLeft: number }
  | { readonly kind: "locked"; readonly minutes: number }
  | { readonly kind: "expired" }
  | { readonly kind: "no_challenge" };
