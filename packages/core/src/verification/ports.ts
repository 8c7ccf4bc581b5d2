import type { VerificationChallenge } from "./model.js";

export interface VerificationStore {
  createChallenge(challenge: VerificationChallenge): Promise<VerificationChallenge>;
  /** The conversation's most recent challenge. */
  latestChallenge(tenantId: string, conversationId: string): Promise<VerificationChallenge | undefined>;
  updateChallenge(challenge: VerificationChallenge): Promise<VerificationChallenge>;
}

export interface OutgoingEmail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
}

/** Sends email (SMTP in production, a development mailbox by default). */
export interface EmailSender {
  send(email: OutgoingEmail): Promise<void>;
}

/** Random one-time codes (digits). */
export interface CodeGenerator {
  code(digits: number): string;
}
