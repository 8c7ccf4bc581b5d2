import { changeConversation } from "../conversations/conversations.js";
import type { ConversationDeps } from "../conversations/deps.js";
import type { Conversation } from "../conversations/model.js";
import { maskEmail, normalizeEmail } from "../customers/model.js";
import type { CustomerStore } from "../customers/ports.js";
import type { CheckCodeResult, StartVerificationResult, VerificationPolicy } from "./model.js";
import type { CodeGenerator, EmailSender, VerificationStore } from "./ports.js";

export interface VerificationDeps {
  readonly conversation: ConversationDeps;
  readonly customers: Pick<CustomerStore, "getCustomerByEmail" | "getCustomer">;
  readonly challenges: VerificationStore;
  readonly email: EmailSender;
  readonly codes: CodeGenerator;
  readonly policy: VerificationPolicy;
  /** The business's name, for the email. */
  readonly senderName: (tenantId: string) => Promise<string>;
}

const CODE_DIGITS = 6;
const minutesUntil = (until: Date, now: Date) => Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
const digestOf = (deps: VerificationDeps, challengeId: string, code: string) =>
  deps.conversation.identity.secrets.digest(`${challengeId}:${code.trim()}`);

/** Sends a one-time code to the email on file for the address the customer gave. */
export async function startVerification(
  deps: VerificationDeps,
  conversation: Conversation,
  email: string,
): Promise<StartVerificationResult> {
  const now = deps.conversation.chat.clock.now();
  const latest = await deps.challenges.latestChallenge(conversation.tenantId, conversation.id);
  if (latest?.lockedUntil && latest.lockedUntil > now) return { kind: "locked", minutes: minutesUntil(latest.lockedUntil, now) };
  const customer = await deps.customers.getCustomerByEmail(conversation.tenantId, normalizeEmail(email));
  if (!customer?.email) {
    await record(deps, conversation, "unknown_email");
    return { kind: "unknown_email" };
  }
  const id = deps.conversation.chat.ids.next();
  const code = deps.codes.code(CODE_DIGITS);
  await deps.challenges.createChallenge({
    id,
    tenantId: conversation.tenantId,
    conversationId: conversation.id,
    customerId: customer.id,
    codeDigest: digestOf(deps, id, code),
    attempts: 0,
    expiresAt: new Date(now.getTime() + deps.policy.codeTtlMinutes * 60_000),
    lockedUntil: null,
    verifiedAt: null,
    createdAt: now,
  });
  const business = await deps.senderName(conversation.tenantId);
  await deps.email.send({
    to: customer.email,
    subject: `Your ${business} verification code: ${code}`,
    text:
      `Hello ${customer.name},\n\nYour verification code is ${code}. Type it in the chat to confirm it's you.\n` +
      `It expires in ${deps.policy.codeTtlMinutes} minutes. If you did not ask for it, ignore this email.\n\n${business}`,
  });
  const maskedEmail = maskEmail(customer.email);
  await changeConversation(deps.conversation, conversation.tenantId, conversation.id, {
    patch: {},
    event: { type: "conversation.verification_started", data: { maskedEmail } },
  });
  return { kind: "started", maskedEmail };
}

/** Checks a code the customer typed; on success the conversation knows its customer. */
export async function checkCode(deps: VerificationDeps, conversation: Conversation, code: string): Promise<CheckCodeResult> {
  const now = deps.conversation.chat.clock.now();
  const challenge = await deps.challenges.latestChallenge(conversation.tenantId, conversation.id);
  if (!challenge || challenge.verifiedAt) return { kind: "no_challenge" };
  if (challenge.lockedUntil && challenge.lockedUntil > now)
    return { kind: "locked", minutes: minutesUntil(challenge.lockedUntil, now) };
  if (challenge.expiresAt <= now) {
    await record(deps, conversation, "expired");
    return { kind: "expired" };
  }
  if (digestOf(deps, challenge.id, code) === challenge.codeDigest) {
    await deps.challenges.updateChallenge({ ...challenge, verifiedAt: now });
    const customer = await deps.customers.getCustomer(conversation.tenantId, challenge.customerId);
    const name = customer?.name ?? "";
    await changeConversation(deps.conversation, conversation.tenantId, conversation.id, {
      patch: { customerId: challenge.customerId, verified: true },
      event: { type: "conversation.customer_verified", data: { customerId: challenge.customerId, name } },
    });
    return { kind: "accepted", customerId: challenge.customerId, customerName: name };
  }
  const attempts = challenge.attempts + 1;
  const locked = attempts >= deps.policy.maxAttempts;
  const lockedUntil = locked ? new Date(now.getTime() + deps.policy.lockoutMinutes * 60_000) : null;
  await deps.challenges.updateChallenge({ ...challenge, attempts, lockedUntil });
  await record(deps, conversation, locked ? "locked" : "wrong_code");
  return locked
    ? { kind: "locked", minutes: deps.policy.lockoutMinutes }
    : { kind: "rejected", attemptsLeft: deps.policy.maxAttempts - attempts };
}

function record(
  deps: VerificationDeps,
  conversation: Conversation,
  reason: "wrong_code" | "expired" | "locked" | "unknown_email",
) {
  return changeConversation(deps.conversation, conversation.tenantId, conversation.id, {
    patch: {},
    event: { type: "conversation.verification_failed", data: { reason } },
  });
}
