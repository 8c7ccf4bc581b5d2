import type { FaqIndex } from "../faq/faq-index.js";
import type { FaqEntryLike } from "../faq/model.js";
import type { IntentClassifier } from "../intent/intent-classifier.js";

/**
 * The bot's brain is `decide(state, input, context) → { state, actions }`: a pure function. The runtime
 * feeds it what happened (`BotInput`), performs what it asks for (`BotAction`), stores the new `BotState`
 * with the conversation, and feeds the results of side effects back in as further inputs.
 */

/** A button under a bot message; pressing it sends `value` as the customer's next message. */
export interface QuickReply {
  readonly label: string;
  readonly value: string;
}

export interface CardButton {
  readonly label: string;
  /** Sent as the customer's message when pressed. */
  readonly value?: string;
  /** Opened in a new tab when pressed. */
  readonly url?: string;
}

/** A richer message: a title, text and buttons (the widget renders it; text channels flatten it). */
export interface Card {
  readonly title: string;
  readonly text?: string;
  readonly buttons?: readonly CardButton[];
}

/** What happened, as the brain sees it. */
export type BotInput =
  /** A new conversation reached the bot (ES1: bot first). */
  | { readonly kind: "conversation_started" }
  /** The customer wrote something. A pressed quick reply arrives as its `value`. */
  | { readonly kind: "customer_message"; readonly text: string }
  /** After `start_verification`: a code went to the address on file, shown masked (`a***@example.com`). */
  | { readonly kind: "verification_started"; readonly maskedEmail: string }
  /** After `start_verification`: no customer has that email address. */
  | { readonly kind: "verification_unknown_email" }
  /** After `check_code`: the code was right; the conversation now knows its customer. */
  | { readonly kind: "code_accepted"; readonly customerName: string }
  /** After `check_code`: the code was wrong; the customer may try `attemptsLeft` more times. */
  | { readonly kind: "code_rejected"; readonly attemptsLeft: number }
  /** After `start_verification` or `check_code`: too many wrong codes; verification is blocked for a while. */
  | { readonly kind: "code_locked"; readonly minutes: number }
  /** After `check_code`: the code is too old (or there is no open challenge). */
  | { readonly kind: "code_expired" };

export type HandoffReason =
  /** The customer asked for a person. */
  | "customer_request"
  /** The bot failed to understand `maxMisunderstandings` times in a row. */
  | "not_understood"
  /** The customer's intent is one only an agent can handle (`BotIntentSettings.requiresAgent`). */
  | "intent_requires_agent";

/** What the brain asks the runtime to do, in order. */
export type BotAction =
  /** Send a message from the bot to the customer. */
  | {
      readonly kind: "reply";
      readonly text: string;
      readonly quickReplies?: readonly QuickReply[];
      readonly card?: Card;
    }
  /** Send a one-time code to this address if a customer has it; answer with `verification_started` or `verification_unknown_email` (or `code_locked`). */
  | { readonly kind: "start_verification"; readonly email: string }
  /** Check the code the customer typed; answer with `code_accepted`, `code_rejected`, `code_locked` or `code_expired`. */
  | { readonly kind: "check_code"; readonly code: string }
  /** Record the customer's intent on the conversation (for routing and reports). */
  | { readonly kind: "set_intent"; readonly intent: string; readonly confidence: number }
  /**
   * Hand the conversation to a human (ES2): queue it for an agent with this summary, and tell the
   * customer (the runtime does that, not the brain: it knows the queue position). The brain stays silent
   * afterwards; every later input gets no actions.
   */
  | {
      readonly kind: "handoff";
      readonly reason: HandoffReason;
      readonly intent: string | null;
      /** A readable summary for the agent: who, verified or not, intent, key messages; at most 300 characters. */
      readonly summary: string;
    };

/** How the bot treats an intent (`@switchboard/core`'s `IntentSettings` fits; its name and examples are ignored). */
export interface BotIntentSettings {
  /** Only an agent can help: hand off once the intent is known (and verified, if needed). */
  readonly requiresAgent?: boolean;
  /** The customer must prove who they are first (a one-time code to the email on file). */
  readonly needsVerification?: boolean;
  /** What the bot says for this intent when no agent is needed. */
  readonly reply?: string;
}

/** What the brain knows about the tenant and the conversation besides its own state; not stored. */
export interface BotContext {
  /** The tenant's knowledge base. */
  readonly faq: FaqIndex<FaqEntryLike>;
  /** The tenant's intent model; its threshold decides when an intent counts. */
  readonly classifier: IntentClassifier;
  /** How each intent is handled, by name; an intent not listed (or with no flags and no reply) falls through to the FAQ. */
  readonly intents?: Readonly<Record<string, BotIntentSettings>>;
  /** The bot's first message. */
  readonly greeting: string;
  /** Buttons under the greeting. Default: "Track my order", "Opening hours", "Talk to a person". */
  readonly greetingQuickReplies?: readonly QuickReply[];
  /** Whether the conversation's customer is already verified (e.g. signed in on the website). */
  readonly verified: boolean;
  /** The verified customer's name, when known. */
  readonly customerName?: string;
  /** FAQ confidence at or above which the bot answers. Default `DEFAULT_ANSWER_THRESHOLD` (0.55). */
  readonly answerThreshold?: number;
  /** FAQ confidence at or above which the bot offers the closest questions. Default `DEFAULT_SUGGEST_THRESHOLD` (0.4). */
  readonly suggestThreshold?: number;
  /** Misunderstood messages in a row before the bot hands off. Default 2. */
  readonly maxMisunderstandings?: number;
}

/** Where the dialog is. */
export type DialogStep =
  /** Waiting for the customer's next question. */
  | "idle"
  /** Asked for the email address on file (or waiting for the runtime to start the verification). */
  | "awaiting_email"
  /** A code was sent; waiting for the customer to type it (or for the runtime to check it). */
  | "awaiting_code"
  /** A person has the conversation; the bot is silent. */
  | "handed_off";

/**
 * The brain's memory of one conversation: plain JSON, stored by the runtime with the conversation and
 * passed back on the next input. Read it with `parseBotState` after loading it.
 */
export interface BotState {
  /** The shape's version, for stored states. */
  readonly version: 1;
  readonly step: DialogStep;
  /** Messages not understood in a row (reset by any message the bot could handle). */
  readonly misunderstandings: number;
  /** The intent waiting for verification, continued once the code is accepted. */
  readonly pendingIntent: string | null;
  /** The latest intent recognized in this conversation: the handoff carries it. */
  readonly intent: string | null;
  /** Verified during this conversation (the context may also say so from the start). */
  readonly verified: boolean;
  readonly customerName: string | null;
  /** The address being verified, to send a new code; cleared once verified. */
  readonly email: string | null;
  /** The masked address the code went to, for reminders. */
  readonly maskedEmail: string | null;
  /** The FAQ entries last offered as suggestions: pressing one answers it directly. */
  readonly suggested: readonly string[];
  /** The customer's messages for the handoff summary: the first and the latest few, each shortened. */
  readonly transcript: readonly string[];
}
