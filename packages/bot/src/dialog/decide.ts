import type { FaqEntryLike } from "../faq/model.js";
import { DEFAULT_ANSWER_THRESHOLD, DEFAULT_SUGGEST_THRESHOLD } from "../faq/model.js";
import { editDistance } from "../text/edit-distance.js";
import { normalizeText } from "../text/normalize.js";
import { SMALL_TALK_INTENTS, TALK_TO_HUMAN_INTENT } from "./defaults.js";
import type { BotAction, BotContext, BotInput, BotIntentSettings, BotState, HandoffReason, QuickReply } from "./model.js";
import { extractCode, extractEmail, isCancel, isHumanRequest, isResendRequest, isVerificationRequest } from "./recognize.js";
import { recordMessage } from "./state.js";
import { handoffSummary } from "./summary.js";
import {
  CANCEL,
  DEFAULT_GREETING_QUICK_REPLIES,
  SEND_NEW_CODE,
  SMALL_TALK_REPLIES,
  TALK_TO_A_PERSON,
  THAT_HELPED,
  texts,
} from "./texts.js";

export interface Decision {
  readonly state: BotState;
  readonly actions: readonly BotAction[];
}

export const DEFAULT_MAX_MISUNDERSTANDINGS = 2;

/** Edits allowed per character for a message to still count as one of an entry's own phrasings. */
const VERBATIM_EDITS_PER_CHAR = 0.15;

/** Whether the message is one of the entry's own phrasings, typos aside (not merely about the same words). */
function isVerbatim(text: string, entry: FaqEntryLike): boolean {
  const said = normalizeText(text);
  return [entry.question, ...(entry.alternatives ?? [])].some((phrasing) => {
    const written = normalizeText(phrasing);
    const allowed = Math.max(1, Math.floor(written.length * VERBATIM_EDITS_PER_CHAR));
    return editDistance(said, written, allowed) <= allowed;
  });
}

/**
 * The bot's brain: given its state, what happened and what it knows, the next state and what to do.
 * Pure and synchronous: no I/O, no clock, no randomness. See `BotInput` and `BotAction` for the
 * protocol with the runtime, and the package README for a walk through a conversation.
 */
export function decide(state: BotState, input: BotInput, context: BotContext): Decision {
  if (state.step === "handed_off") return { state, actions: [] };
  switch (input.kind) {
    case "conversation_started":
      return {
        state,
        actions: [reply(context.greeting, context.greetingQuickReplies ?? DEFAULT_GREETING_QUICK_REPLIES)],
      };
    case "customer_message":
      return onMessage(state, input.text, context);
    case "verification_started":
      return {
        state: { ...state, step: "awaiting_code", maskedEmail: input.maskedEmail },
        actions: [reply(texts.codeSent(input.maskedEmail), [SEND_NEW_CODE, TALK_TO_A_PERSON])],
      };
    case "verification_unknown_email":
      return {
        state: { ...state, step: "awaiting_email", email: null, maskedEmail: null },
        actions: [reply(texts.unknownEmail, [TALK_TO_A_PERSON, CANCEL])],
      };
    case "code_accepted":
      return onVerified(state, input.customerName, context);
    case "code_rejected":
      return {
        state: { ...state, step: "awaiting_code" },
        actions: [reply(texts.codeRejected(input.attemptsLeft), [SEND_NEW_CODE, TALK_TO_A_PERSON])],
      };
    case "code_locked":
      return {
        state: { ...state, step: "idle", pendingIntent: null, email: null, maskedEmail: null },
        actions: [reply(texts.codeLocked(input.minutes), [TALK_TO_A_PERSON])],
      };
    case "code_expired":
      return {
        state: { ...state, step: "awaiting_code" },
        actions: [reply(texts.codeExpired, [SEND_NEW_CODE, TALK_TO_A_PERSON])],
      };
  }
}

function onMessage(state: BotState, raw: string, context: BotContext): Decision {
  const text = raw.trim();
  if (text === "") return { state, actions: [] };
  const email = extractEmail(text);
  const code = extractCode(text);
  // The answers to verification stay out of the transcript: agents need the customer's words, not their code.
  const isSecret = (state.step === "awaiting_email" && email) || (state.step === "awaiting_code" && (code || email));
  const s: BotState = isSecret ? state : { ...state, transcript: recordMessage(state.transcript, text) };

  if (isHumanRequest(text)) return handoff(s, "customer_request", s.intent, context);
  if (s.step === "awaiting_email") return onEmailAnswer(s, text, email, context);
  if (s.step === "awaiting_code") return onCodeAnswer(s, text, code, email, context);
  return onQuestion(s, text, context);
}

function onEmailAnswer(s: BotState, text: string, email: string | null, context: BotContext): Decision {
  if (email) return startVerification(s, email);
  if (isCancel(text)) return cancelVerification(s);
  if (isVerificationRequest(text)) {
    return { state: s, actions: [reply(texts.askEmailForVerification, [CANCEL, TALK_TO_A_PERSON])] };
  }
  return answerAsideOr(s, text, context, texts.stillNeedEmail, texts.notAnEmail, [CANCEL, TALK_TO_A_PERSON]);
}

function onCodeAnswer(s: BotState, text: string, code: string | null, email: string | null, context: BotContext): Decision {
  if (code) return { state: { ...s, misunderstandings: 0 }, actions: [{ kind: "check_code", code }] };
  if (isResendRequest(text)) return resendCode(s);
  // A different address: start over with it.
  if (email) return startVerification(s, email);
  if (isCancel(text)) return cancelVerification(s);
  const prompt = texts.notACode(s.maskedEmail);
  return answerAsideOr(s, text, context, prompt, prompt, [SEND_NEW_CODE, TALK_TO_A_PERSON]);
}

/**
 * While waiting for an email address or a code, a message that is neither may still be a question in one
 * of the knowledge base's phrasings: answer it, then `reminder`. Anything else is a misunderstanding,
 * answered with `prompt`. (Only near-verbatim questions: "where do I find it" is about the code.)
 */
function answerAsideOr(
  s: BotState,
  text: string,
  context: BotContext,
  reminder: string,
  prompt: string,
  quickReplies: readonly QuickReply[],
): Decision {
  const faq = context.faq.answer(text, faqOptions(context));
  if (faq.kind === "answer" && isVerbatim(text, faq.entry)) {
    return { state: { ...s, misunderstandings: 0 }, actions: [reply(faq.entry.answer), reply(reminder, quickReplies)] };
  }
  return misunderstood(s, context, prompt, quickReplies);
}

function onQuestion(s: BotState, text: string, context: BotContext): Decision {
  const verified = context.verified || s.verified;
  if (isVerificationRequest(text)) {
    if (verified) return { state: s, actions: [reply(texts.alreadyVerified(customerName(s, context)))] };
    return askEmail(s, s.pendingIntent, texts.askEmailForVerification, []);
  }
  if (s.email && !verified && isResendRequest(text)) return resendCode(s);
  const normalized = normalizeText(text);
  if (normalized === normalizeText(THAT_HELPED.value)) {
    return { state: { ...s, misunderstandings: 0, suggested: [] }, actions: [reply(texts.gladToHelp)] };
  }
  const picked = s.suggested
    .map((id) => context.faq.get(id))
    .find((entry) => entry !== undefined && normalizeText(entry.question) === normalized);
  if (picked) return answerWith(s, picked, []);

  const faq = context.faq.answer(text, faqOptions(context));
  // One of the knowledge base's own phrasings, near enough verbatim, is answered whatever the intent model
  // thinks: the admin wrote that question ("Is delivery free?" is not an order status request).
  if (faq.kind === "answer" && isVerbatim(text, faq.entry)) return answerWith(s, faq.entry, []);

  const classification = context.classifier.classify(text);
  const intent = classification.intent;
  if (intent === TALK_TO_HUMAN_INTENT) return handoff(s, "customer_request", s.intent, context);
  const actions: BotAction[] = [];
  let next = s;
  if (intent !== null) {
    const settings = settingsOf(context, intent);
    const needsVerification = settings?.needsVerification === true && !verified;
    // Small talk is not what the conversation is about: it sets no intent and counts as no misunderstanding.
    if (SMALL_TALK_INTENTS.includes(intent) && !settings?.requiresAgent && !needsVerification) {
      if (faq.kind === "answer") return answerWith(s, faq.entry, []);
      const friendly = settings?.reply ?? SMALL_TALK_REPLIES[intent] ?? texts.howCanIHelp;
      return { state: { ...s, suggested: [] }, actions: [reply(friendly)] };
    }
    actions.push({ kind: "set_intent", intent, confidence: classification.confidence });
    next = { ...s, intent };
    if (needsVerification) return askEmail(next, intent, texts.askEmail, actions);
    if (settings?.requiresAgent) return handoff(next, "intent_requires_agent", intent, context, actions);
    if (settings?.reply) {
      return { state: { ...next, misunderstandings: 0, suggested: [] }, actions: [...actions, reply(settings.reply)] };
    }
  }

  if (faq.kind === "answer") return answerWith(next, faq.entry, actions);
  if (faq.kind === "suggest") {
    const options = faq.candidates.map((c) => ({ label: c.entry.question, value: c.entry.question }));
    return {
      state: { ...next, suggested: faq.candidates.map((c) => c.entry.id) },
      actions: [...actions, reply(texts.suggest, [...options, TALK_TO_A_PERSON])],
    };
  }
  return misunderstood(next, context, texts.rephrase, [TALK_TO_A_PERSON], actions);
}

/** The code was right: thank the customer by name, then carry on with what they wanted before. */
function onVerified(state: BotState, name: string, context: BotContext): Decision {
  const verifiedName = name.trim() === "" ? null : name.trim();
  const pending = state.pendingIntent;
  const s: BotState = {
    ...state,
    step: "idle",
    verified: true,
    customerName: verifiedName,
    email: null,
    pendingIntent: null,
    misunderstandings: 0,
  };
  const actions: BotAction[] = [reply(texts.verified(verifiedName))];
  const settings = pending === null ? undefined : settingsOf(context, pending);
  if (pending !== null && settings?.requiresAgent) return handoff(s, "intent_requires_agent", pending, context, actions);
  actions.push(reply(settings?.reply ?? texts.howCanIHelp));
  return { state: s, actions };
}

function askEmail(s: BotState, pendingIntent: string | null, prompt: string, actions: readonly BotAction[]): Decision {
  return {
    state: { ...s, step: "awaiting_email", pendingIntent, misunderstandings: 0, suggested: [] },
    actions: [...actions, reply(prompt, [CANCEL, TALK_TO_A_PERSON])],
  };
}

function startVerification(s: BotState, email: string): Decision {
  return {
    state: { ...s, step: "awaiting_email", email, maskedEmail: null, misunderstandings: 0 },
    actions: [{ kind: "start_verification", email }],
  };
}

function resendCode(s: BotState): Decision {
  if (s.email) return startVerification(s, s.email);
  return askEmail(s, s.pendingIntent, texts.askEmailForVerification, []);
}

function cancelVerification(s: BotState): Decision {
  return {
    state: { ...s, step: "idle", pendingIntent: null, email: null, maskedEmail: null, misunderstandings: 0 },
    actions: [reply(texts.verificationCancelled)],
  };
}

function answerWith(s: BotState, entry: FaqEntryLike, actions: readonly BotAction[]): Decision {
  return {
    state: { ...s, misunderstandings: 0, suggested: [] },
    actions: [...actions, reply(entry.answer, [THAT_HELPED, TALK_TO_A_PERSON])],
  };
}

function misunderstood(
  s: BotState,
  context: BotContext,
  prompt: string,
  quickReplies: readonly QuickReply[],
  actions: readonly BotAction[] = [],
): Decision {
  const misunderstandings = s.misunderstandings + 1;
  const next = { ...s, misunderstandings, suggested: [] };
  if (misunderstandings >= (context.maxMisunderstandings ?? DEFAULT_MAX_MISUNDERSTANDINGS)) {
    return handoff(next, "not_understood", next.intent, context, actions);
  }
  return { state: next, actions: [...actions, reply(prompt, quickReplies)] };
}

function handoff(
  s: BotState,
  reason: HandoffReason,
  intent: string | null,
  context: BotContext,
  actions: readonly BotAction[] = [],
): Decision {
  const summary = handoffSummary({
    reason,
    intent,
    verified: context.verified || s.verified,
    customerName: customerName(s, context),
    transcript: s.transcript,
  });
  return {
    state: { ...s, step: "handed_off", pendingIntent: null, suggested: [] },
    actions: [
      ...actions,
      ...(reason === "not_understood" ? [reply(texts.notUnderstood)] : []),
      { kind: "handoff", reason, intent, summary },
    ],
  };
}

const customerName = (s: BotState, context: BotContext): string | null => s.customerName ?? context.customerName ?? null;

const settingsOf = (context: BotContext, intent: string): BotIntentSettings | undefined =>
  Object.hasOwn(context.intents ?? {}, intent) ? context.intents?.[intent] : undefined;

const faqOptions = (context: BotContext) => ({
  threshold: context.answerThreshold ?? DEFAULT_ANSWER_THRESHOLD,
  suggestThreshold: context.suggestThreshold ?? DEFAULT_SUGGEST_THRESHOLD,
});

function reply(text: string, quickReplies?: readonly QuickReply[]): BotAction {
  return quickReplies && quickReplies.length > 0 ? { kind: "reply", text, quickReplies } : { kind: "reply", text };
}
