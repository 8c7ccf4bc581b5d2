import type { CallLegMedia, Key, Prompt } from "../calls/media.js";
import type { Grammar } from "../calls/recognition.js";
import type { AutoAttendant } from "./model.js";
import type { StepContext } from "./step-context.js";

export const DIGITS = "0123456789";

/** What a caller chose at a menu. */
export type Choice =
  | { readonly kind: "key"; readonly key: Key; readonly said?: string }
  | { readonly kind: "none" }
  | { readonly kind: "unrecognized" }
  | { readonly kind: "hung-up" };

/** Whether the attendant listens for words as well as keys: speech input on, a recognizer, and words to hear. */
export function listens(step: StepContext, aa: AutoAttendant, grammar: Grammar): boolean {
  return aa.speechInput && step.deps.recognizer !== undefined && grammar.choices.length > 0;
}

/** One key, five seconds to press it. */
export async function oneKey(leg: CallLegMedia): Promise<Choice> {
  const input = await leg.collect({ maxDigits: 1, terminators: "", firstKeyTimeoutMs: 5_000 });
  if (input.ended === "hung-up") return { kind: "hung-up" };
  const pressed = input.digits[0] as Key | undefined;
  return pressed === undefined ? { kind: "none" } : { kind: "key", key: pressed };
}

/** Listens for a few seconds: a key stops it, speech is recognized against the grammar. */
export async function listen(
  step: StepContext,
  grammar: Grammar,
  keys: string,
): Promise<{ kind: "said"; id: string; text: string } | Choice> {
  const heard = await step.leg.record({
    beep: false,
    save: false,
    maxDurationMs: 5_000,
    silenceTimeoutMs: 800,
    stopKeys: keys,
  });
  if (heard.ended === "hung-up") return { kind: "hung-up" };
  if (heard.ended === "key" && heard.key) return { kind: "key", key: heard.key };
  if (!heard.audio) return { kind: "none" };
  try {
    const recognition = await step.deps.recognizer?.recognize(heard.audio, grammar);
    return recognition ? { kind: "said", id: recognition.choiceId, text: recognition.text } : { kind: "unrecognized" };
  } catch {
    // Recognition is a convenience: without it the caller is asked again and can use the keypad.
    return { kind: "unrecognized" };
  }
}

/** Digits keyed after a prompt, `#` ends; undefined when the caller hung up. */
export async function ask(leg: CallLegMedia, prompt: Prompt, maxDigits: number): Promise<string | undefined> {
  const asked = await leg.play([prompt], { interruptKeys: DIGITS });
  if (asked.ended === "hung-up") return undefined;
  const input = await leg.collect({ maxDigits, terminators: "#", firstKeyTimeoutMs: 8_000, interKeyTimeoutMs: 4_000 });
  return input.ended === "hung-up" ? undefined : input.digits;
}
