import type { HandoffReason } from "./model.js";
import { shorten } from "./state.js";

/** Longest handoff summary, in characters. */
export const SUMMARY_LENGTH = 300;
/** Longest quoted message inside a summary, in characters. */
const QUOTE_LENGTH = 90;

const REASONS: Record<HandoffReason, string> = {
  customer_request: "asked for a person",
  not_understood: "the bot did not understand",
  intent_requires_agent: "needs an agent",
};

export interface SummaryInput {
  readonly reason: HandoffReason;
  readonly intent: string | null;
  readonly verified: boolean;
  readonly customerName: string | null;
  /** The customer's messages, oldest first. */
  readonly transcript: readonly string[];
}

/**
 * What the agent reads first when the conversation arrives, e.g.
 * `Ada Lovelace (verified). Intent: order status. Handoff: needs an agent. Said: "Where is my bike?" / "It was due Monday"`.
 * At most `SUMMARY_LENGTH` characters: when the messages do not all fit, the first one (usually the
 * reason for writing) and the latest ones are kept, and a "…" marks what was left out.
 */
export function handoffSummary(input: SummaryInput): string {
  const who = input.verified
    ? `${input.customerName ? `${input.customerName} ` : "Customer "}(verified)`
    : "Customer (not verified)";
  const intent = input.intent ? `Intent: ${input.intent.replaceAll("_", " ")}` : "Intent: unknown";
  const head = `${who}. ${intent}. Handoff: ${REASONS[input.reason]}.`;
  const quotes = input.transcript.map((m) => `"${shorten(m, QUOTE_LENGTH)}"`);
  if (quotes.length === 0) return shorten(head, SUMMARY_LENGTH);

  const said = (parts: readonly string[]) => `${head} Said: ${parts.join(" / ")}`;
  const [first, ...rest] = quotes as [string, ...string[]];
  // Keep the first message and as many of the latest as fit.
  for (let keep = rest.length; keep >= 0; keep--) {
    const latest = rest.slice(rest.length - keep);
    const text = said(keep < rest.length ? [first, "…", ...latest] : [first, ...latest]);
    if (text.length <= SUMMARY_LENGTH) return text;
  }
  return shorten(said([first]), SUMMARY_LENGTH);
}
