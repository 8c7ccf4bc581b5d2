import type { BotIntentSettings } from "./model.js";

/** The intent the brain always hands off for, whatever the settings say. */
export const TALK_TO_HUMAN_INTENT = "talk_to_human";

/**
 * Small talk: answered with a friendly reply (the intent's own, or `SMALL_TALK_REPLIES`), never counted
 * as a misunderstanding, and second to an FAQ answer ("hi, when do you open?" gets the opening hours).
 */
export const SMALL_TALK_INTENTS: readonly string[] = ["greeting", "thanks", "goodbye"];

/**
 * How the demo tenant's bot treats `DEFAULT_INTENTS`: orders and billing need the customer verified and
 * an agent; complaints go straight to an agent; returns and repairs are answered from the FAQ.
 */
export const DEFAULT_INTENT_SETTINGS: Readonly<Record<string, BotIntentSettings>> = {
  [TALK_TO_HUMAN_INTENT]: { requiresAgent: true },
  order_status: { needsVerification: true, requiresAgent: true },
  billing: { needsVerification: true, requiresAgent: true },
  returns: {},
  repair_booking: {},
  complaint: { requiresAgent: true },
  greeting: { reply: "Hello! How can I help you today?" },
  thanks: { reply: "You're welcome! Is there anything else I can help with?" },
  goodbye: { reply: "Thanks for getting in touch. Have a great day!" },
};

export const DEFAULT_GREETING = "Hi! I'm the Switchboard Cycles assistant. Ask me anything, or pick one of these:";
