import { normalizeText } from "../text/normalize.js";

/**
 * Phrases the brain recognizes without the intent model: they must work on the first message of any
 * tenant, whatever its intents, and some (a code, an email address) are not language at all.
 * Each takes the customer's raw text.
 */

const PERSON =
  "(human|humans|agent|agents|person|people|someone|somebody|representative|rep|operator|staff|employee|colleague|advisor|adviser|customer service|customer support|support team|service team|manager)";
const HUMAN = "(human|agent|person|real person|representative|operator)";

const HUMAN_PATTERNS = [
  // "talk to a person", "can I speak with someone", "connect me to an agent", "put me through to support"
  new RegExp(`\\b(talk|speak|chat|connect|transfer|put me through)\\b.*\\b${PERSON}\\b`),
  // "I want a human", "get me an agent"; not "I need someone to fix my brakes"
  new RegExp(`\\b(want|need|get me|give me|prefer)\\b.*\\b${HUMAN}\\b`),
  // "real person", "live agent", "is there a human"
  /\b(real|live|actual) (human|person|people|agent|someone)\b/,
  new RegExp(`\\b(is there|are there|any) (a |an |any )?${HUMAN}\\b`),
  // the whole message is just the ask: "agent", "human please", "operator"
  new RegExp(`^(a |an |the )?${PERSON}( please| pls| now)?$`),
];

/** "Talk to a person", "I want a human", "agent please", "connect me with customer service". */
export function isHumanRequest(text: string): boolean {
  const t = normalizeText(text);
  return HUMAN_PATTERNS.some((p) => p.test(t));
}

/** "Verify me", "log in", "I want to sign in"; not "I can't log in" (that is a problem to solve, not an ask). */
export function isVerificationRequest(text: string): boolean {
  const t = normalizeText(text);
  if (!/\b(verify|verification|authenticate|identify|log ?in|sign ?in)\b/.test(t)) return false;
  return !/\b(cant|cannot|couldnt|unable|not|dont|doesnt|wont|problem|problems|issue|issues|trouble|forgot|reset)\b/.test(t);
}

/** "Cancel", "never mind", "stop", "forget it". */
export function isCancel(text: string): boolean {
  const t = normalizeText(text);
  return /^(cancel|stop|never ?mind|forget it|no thanks|no thank you|skip|quit|exit)( (it|that|this|please|verification))?$/.test(
    t,
  );
}

/** "Send a new code", "resend", "I didn't get the code". */
export function isResendRequest(text: string): boolean {
  const t = normalizeText(text);
  if (/^(resend|send again|send it again)( (it|the code|code|please))?$/.test(t)) return true;
  return (
    /\bcodes?\b/.test(t) &&
    /\b(new|another|resend|again|didnt get|didnt receive|havent got|havent received|never got|not received|no)\b/.test(t)
  );
}

const EMAIL = /[^\s@<>()[\],;:"']+@[^\s@<>()[\],;:"']+\.[a-z]{2,}/i;

/** The first email address in the text, as typed. */
export function extractEmail(text: string): string | null {
  return text.match(EMAIL)?.[0] ?? null;
}

/** A 6-digit code, alone or in a short sentence ("123456", "123 456", "my code is 123-456"). */
export function extractCode(text: string): string | null {
  const m = text.match(/(?<!\d)(\d{3})[\s-]?(\d{3})(?!\d)/);
  if (!m) return null;
  // Digits elsewhere mean this is some other number (an order number, a phone number).
  const rest = text.replace(m[0], "");
  return /\d/.test(rest) ? null : `${m[1]}${m[2]}`;
}
