import type { BotSettings } from "@switchboard/protocol";

/** One intent as the editor holds it: examples as lines of text. */
export interface IntentForm {
  name: string;
  examples: string;
  requiresAgent: boolean;
  needsVerification: boolean;
  reply: string;
}

/** The bot settings as the editor holds them: lists as text, one item a line. */
export interface BotSettingsForm {
  intents: IntentForm[];
  /** One group of words that mean the same a line, separated by commas. */
  synonyms: string;
  answerThreshold: number;
  suggestThreshold: number;
  maxMisunderstandings: number;
}

const lines = (text: string): string[] =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);

export const INTENT_NAME = /^[a-z][a-z0-9_]{0,63}$/;

export function formFromSettings(settings: BotSettings): BotSettingsForm {
  return {
    intents: settings.intents.map((intent) => ({
      name: intent.name,
      examples: intent.examples.join("\n"),
      requiresAgent: intent.requiresAgent,
      needsVerification: intent.needsVerification,
      reply: intent.reply ?? "",
    })),
    synonyms: settings.synonyms.map((group) => group.join(", ")).join("\n"),
    answerThreshold: settings.answerThreshold,
    suggestThreshold: settings.suggestThreshold,
    maxMisunderstandings: settings.maxMisunderstandings,
  };
}

export function settingsFromForm(form: BotSettingsForm): BotSettings {
  return {
    intents: form.intents.map((intent) => {
      const reply = intent.reply.trim();
      return {
        name: intent.name.trim(),
        examples: lines(intent.examples),
        requiresAgent: intent.requiresAgent,
        needsVerification: intent.needsVerification,
        ...(reply ? { reply } : {}),
      };
    }),
    synonyms: lines(form.synonyms).map((line) =>
      line
        .split(",")
        .map((word) => word.trim())
        .filter(Boolean),
    ),
    answerThreshold: form.answerThreshold,
    suggestThreshold: form.suggestThreshold,
    maxMisunderstandings: form.maxMisunderstandings,
  };
}

/** Problems that keep the settings from being saved: `intents.2`, `synonyms`, `answerThreshold`… */
export function validateBotSettings(form: BotSettingsForm): Record<string, string> {
  const errors: Record<string, string> = {};
  const settings = settingsFromForm(form);
  const names = new Set<string>();
  settings.intents.forEach((intent, i) => {
    if (!INTENT_NAME.test(intent.name)) {
      errors[`intents.${i}`] = "Name: lower-case letters, digits and _, starting with a letter (e.g. order_status).";
    } else if (names.has(intent.name)) {
      errors[`intents.${i}`] = `There is another intent named ${intent.name}.`;
    } else if (intent.examples.length === 0) {
      errors[`intents.${i}`] = "Give at least one example of what a customer says.";
    }
    names.add(intent.name);
  });
  const short = settings.synonyms.findIndex((group) => group.length < 2);
  if (short >= 0) errors.synonyms = `Line ${short + 1}: a group needs at least two words, separated by commas.`;
  for (const key of ["answerThreshold", "suggestThreshold"] as const) {
    const value = settings[key];
    if (!(value >= 0 && value <= 1)) errors[key] = "Between 0 and 1.";
  }
  if (!errors.suggestThreshold && settings.suggestThreshold > settings.answerThreshold) {
    errors.suggestThreshold = "Suggesting should need less confidence than answering.";
  }
  const max = settings.maxMisunderstandings;
  if (!Number.isInteger(max) || max < 1 || max > 10) errors.maxMisunderstandings = "A whole number from 1 to 10.";
  return errors;
}

export const newIntent = (): IntentForm => ({
  name: "",
  examples: "",
  requiresAgent: false,
  needsVerification: false,
  reply: "",
});
