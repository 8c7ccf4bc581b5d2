/**
 * The built-in bot: its brain (pure logic) and the runtime that wires it to conversations through the core.
 * `decide` is the entry point; `FaqIndex` and `IntentClassifier` are built per tenant and passed in.
 */

export { BIKE_SHOP_FAQ, BIKE_SHOP_SYNONYMS } from "./demo/index.js";
export {
  type BotAction,
  type BotContext,
  type BotInput,
  type BotIntentSettings,
  type BotState,
  type Card,
  type CardButton,
  DEFAULT_GREETING,
  DEFAULT_GREETING_QUICK_REPLIES,
  DEFAULT_INTENT_SETTINGS,
  DEFAULT_MAX_MISUNDERSTANDINGS,
  type Decision,
  type DialogStep,
  decide,
  type HandoffReason,
  initialBotState,
  parseBotState,
  type QuickReply,
  SMALL_TALK_INTENTS,
  TALK_TO_HUMAN_INTENT,
} from "./dialog/index.js";
export {
  DEFAULT_ANSWER_THRESHOLD,
  DEFAULT_SUGGEST_THRESHOLD,
  type FaqAnswer,
  type FaqAnswerOptions,
  type FaqEntryLike,
  FaqIndex,
  type FaqIndexOptions,
  type FaqMatch,
  type SynonymGroups,
} from "./faq/index.js";
export {
  DEFAULT_INTENT_THRESHOLD,
  DEFAULT_INTENTS,
  type IntentClassification,
  IntentClassifier,
  type IntentClassifierOptions,
  type IntentDefinition,
  type IntentScore,
} from "./intent/index.js";
export { BotRuntime, type BotRuntimeDeps } from "./runtime/bot-runtime.js";
export { editDistance, isStopword, normalizeText, STOPWORDS, stem, tokenize } from "./text/index.js";
