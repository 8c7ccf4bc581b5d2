import type { BotSettings } from "@switchboard/protocol";

/** A skill an intent's handoff requires of the agent, as typed. */
export interface SkillForm {
  skill: string;
  minLevel: string;
}

/** Where a handoff with the intent goes, as typed: empty fields fall back to the entry point's queue, priority 0. */
export interface IntentRoutingForm {
  queue: string;
  priority: string;
  requiredSkills: SkillForm[];
}

/** One intent as the editor holds it: examples as lines of text. */
export interface IntentForm {
  name: string;
  examples: string;
  requiresAgent: boolean;
  needsVerification: boolean;
  reply: string;
  routing: IntentRoutingForm;
}

type IntentSettings = BotSettings["intents"][number];
type IntentRouting = NonNullable<IntentSettings["routing"]>;

export const MAX_PRIORITY = 10;
export const MAX_SKILL_LEVEL = 10;
export const MAX_REQUIRED_SKILLS = 10;

const emptyRouting = (): IntentRoutingForm => ({ queue: "", priority: "", requiredSkills: [] });

function routingForm(routing: IntentSettings["routing"]): IntentRoutingForm {
  if (!routing) return emptyRouting();
  return {
    queue: routing.queue ?? "",
    priority: routing.priority === undefined ? "" : String(routing.priority),
    requiredSkills: (routing.requiredSkills ?? []).map((s) => ({ skill: s.skill, minLevel: String(s.minLevel) })),
  };
}

const wholeNumber = (text: string): number => (/^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN);

/** The routing the server gets: only what was filled in; nothing at all when nothing was. */
export function routingFromForm(form: IntentRoutingForm): IntentRouting | undefined {
  const queue = form.queue.trim();
  const priority = form.priority.trim();
  const skills = form.requiredSkills
    .filter((s) => s.skill.trim() !== "" || s.minLevel.trim() !== "")
    .map((s) => ({ skill: s.skill.trim(), minLevel: wholeNumber(s.minLevel) }));
  if (queue === "" && priority === "" && skills.length === 0) return undefined;
  return {
    ...(queue ? { queue } : {}),
    ...(priority ? { priority: wholeNumber(priority) } : {}),
    ...(skills.length > 0 ? { requiredSkills: skills } : {}),
  };
}

/** What is wrong with an intent's routing, in one sentence; undefined when nothing is. */
export function routingError(form: IntentRoutingForm): string | undefined {
  const routing = routingFromForm(form);
  if (!routing) return undefined;
  if ((routing.queue?.length ?? 0) > 100) return "Queue: at most 100 characters.";
  const priority = routing.priority;
  if (priority !== undefined && !(priority >= 0 && priority <= MAX_PRIORITY)) {
    return `Priority: a whole number from 0 to ${MAX_PRIORITY} (higher goes first).`;
  }
  const skills = routing.requiredSkills ?? [];
  if (skills.length > MAX_REQUIRED_SKILLS) return `At most ${MAX_REQUIRED_SKILLS} required skills.`;
  const unnamed = skills.findIndex((s) => s.skill === "" || s.skill.length > 60);
  if (unnamed >= 0) return `Skill ${unnamed + 1}: name the skill (up to 60 characters).`;
  const level = skills.findIndex((s) => !(s.minLevel >= 0 && s.minLevel <= MAX_SKILL_LEVEL));
  if (level >= 0) return `Skill ${level + 1}: a minimum level from 0 to ${MAX_SKILL_LEVEL}.`;
  const names = skills.map((s) => s.skill);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) return `The skill ${twice} is required twice.`;
  return undefined;
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
      routing: routingForm(intent.routing),
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
      const routing = routingFromForm(intent.routing);
      return {
        name: intent.name.trim(),
        examples: lines(intent.examples),
        requiresAgent: intent.requiresAgent,
        needsVerification: intent.needsVerification,
        ...(reply ? { reply } : {}),
        ...(routing ? { routing } : {}),
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
  form.intents.forEach((intent, i) => {
    const problem = routingError(intent.routing);
    if (problem) errors[`intents.${i}.routing`] = problem;
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
  routing: emptyRouting(),
});

/** A one-line summary of an intent's routing, for its folded header: "billing · priority 2 · billing ≥ 2". */
export function routingSummary(form: IntentRoutingForm): string | undefined {
  const routing = routingFromForm(form);
  if (!routing) return undefined;
  const parts = [
    routing.queue ? `→ ${routing.queue}` : undefined,
    routing.priority !== undefined ? `priority ${routing.priority}` : undefined,
    ...(routing.requiredSkills ?? []).map((s) => `${s.skill} ≥ ${s.minLevel}`),
  ].filter((p): p is string => p !== undefined);
  return parts.join(" · ");
}
