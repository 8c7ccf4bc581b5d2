import type { QuickReply } from "./model.js";

/** The bot's own words (the tenant's words are the greeting, the intent replies and the FAQ answers). */

const quick = (label: string): QuickReply => ({ label, value: label });

export const TALK_TO_A_PERSON = quick("Talk to a person");
export const THAT_HELPED = quick("That helped");
export const CANCEL = quick("Cancel");
export const SEND_NEW_CODE = quick("Send a new code");

export const DEFAULT_GREETING_QUICK_REPLIES: readonly QuickReply[] = [
  // Says it as a customer would, so the order status intent (not the FAQ's "How can I track my order?") takes it.
  { label: "Track my order", value: "Where is my order?" },
  quick("Opening hours"),
  TALK_TO_A_PERSON,
];

/** Replies to small talk when the tenant's intent settings give none. */
export const SMALL_TALK_REPLIES: Readonly<Record<string, string>> = {
  greeting: "Hello! How can I help you today?",
  thanks: "You're welcome! Is there anything else I can help with?",
  goodbye: "Thanks for getting in touch. Have a great day!",
};

export const texts = {
  /** Before a handoff for `not_understood`; the runtime then announces the handoff itself. */
  notUnderstood: "Sorry, I still didn't get that.",
  askEmail: "To help with that I first need to confirm it's you. What's the email address on your account?",
  askEmailForVerification: "Sure. What's the email address on your account? I'll send you a code.",
  notAnEmail: "That doesn't look like an email address. Please type the address you used with us, like name@example.com.",
  stillNeedEmail: "When you're ready, please type the email address on your account.",
  codeSent: (masked: string) => `I sent a 6-digit code to ${masked}. Please type it here.`,
  notACode: (masked: string | null) => `Please type the 6-digit code from the email${masked ? ` I sent to ${masked}` : ""}.`,
  unknownEmail: "I couldn't find an account with that email address. Please check it and type it again, or talk to a person.",
  codeRejected: (attemptsLeft: number) =>
    attemptsLeft === 1
      ? "That code isn't right. You have 1 attempt left."
      : `That code isn't right. You have ${attemptsLeft} attempts left.`,
  codeLocked: (minutes: number) =>
    `That was too many wrong codes, so verification is locked for ${minutes} minute${minutes === 1 ? "" : "s"}. A person can help you in the meantime.`,
  codeExpired: "That code has expired. I can send you a new one, or connect you with a person.",
  verified: (name: string | null) => (name ? `Thanks, ${name}, you're verified.` : "Thanks, you're verified."),
  alreadyVerified: (name: string | null) => (name ? `You're already verified, ${name}.` : "You're already verified."),
  howCanIHelp: "How can I help you?",
  verificationCancelled: "OK, no verification. What else can I help you with?",
  suggest: "I'm not sure I understood. Did you mean one of these?",
  rephrase: "Sorry, I didn't get that. Could you say it in other words?",
  gladToHelp: "Glad I could help! Is there anything else?",
} as const;
