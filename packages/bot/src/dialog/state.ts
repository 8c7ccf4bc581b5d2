import type { BotState, DialogStep } from "./model.js";

/** How many customer messages the state keeps for the summary: the first and the latest ones. */
export const TRANSCRIPT_MESSAGES = 6;
/** Longest message kept in the transcript, in characters. */
export const TRANSCRIPT_MESSAGE_LENGTH = 160;

export const initialBotState = (): BotState => ({
  version: 1,
  step: "idle",
  misunderstandings: 0,
  pendingIntent: null,
  intent: null,
  verified: false,
  customerName: null,
  email: null,
  maskedEmail: null,
  suggested: [],
  transcript: [],
});

/** Shortens text to `max` characters at a word boundary where one is near, ending with "…". */
export function shorten(text: string, max: number): string {
  const clean = text.replace(/\s+/g, " ").trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}

/** Adds a customer message to the transcript: the first message always stays, then the latest ones. */
export function recordMessage(transcript: readonly string[], text: string): string[] {
  const message = shorten(text, TRANSCRIPT_MESSAGE_LENGTH);
  if (message === "") return [...transcript];
  const all = [...transcript, message];
  if (all.length <= TRANSCRIPT_MESSAGES) return all;
  return [all[0] as string, ...all.slice(all.length - (TRANSCRIPT_MESSAGES - 1))];
}

const STEPS: readonly DialogStep[] = ["idle", "awaiting_email", "awaiting_code", "handed_off"];
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const stringOrNull = (v: unknown): string | null => (typeof v === "string" ? v : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : []);

/**
 * A stored state read back: anything missing or malformed takes its initial value, so a state written by
 * an older version, or none at all (`undefined`), still gives a working dialog.
 */
export function parseBotState(value: unknown): BotState {
  const initial = initialBotState();
  if (!isRecord(value)) return initial;
  const step = STEPS.find((s) => s === value.step) ?? initial.step;
  const misunderstandings =
    typeof value.misunderstandings === "number" && Number.isInteger(value.misunderstandings) && value.misunderstandings >= 0
      ? value.misunderstandings
      : 0;
  return {
    version: 1,
    step,
    misunderstandings,
    pendingIntent: stringOrNull(value.pendingIntent),
    intent: stringOrNull(value.intent),
    verified: value.verified === true,
    customerName: stringOrNull(value.customerName),
    email: stringOrNull(value.email),
    maskedEmail: stringOrNull(value.maskedEmail),
    suggested: strings(value.suggested),
    transcript: strings(value.transcript).slice(-TRANSCRIPT_MESSAGES),
  };
}
