import { hasEnded, type Prompt } from "../calls/media.js";
import type { Grammar } from "../calls/recognition.js";
import { ask, DIGITS, listen, listens } from "./caller-input.js";
import { matchByKeypad, spokenNames } from "./directory.js";
import type { AutoAttendant } from "./model.js";
import type { DirectoryEntry } from "./ports.js";
import { FLOW_PROMPTS } from "./prompts.js";
import type { StepContext } from "./step-context.js";

/** Whom the caller picked from the directory: `none` when nobody matched, `hung-up` when the caller left. */
export type DirectoryPick = DirectoryEntry | "none" | "hung-up";

/** The extension keyed (`#` ends): whoever has it, or (said so) nobody. */
export async function dialByExtension(step: StepContext): Promise<DirectoryPick> {
  const { leg, deps, context } = step;
  const extension = await ask(leg, FLOW_PROMPTS.enterExtension, 8);
  if (extension === undefined) return "hung-up";
  const entry = await deps.directory.find(context.tenantId, extension);
  if (entry) return entry;
  const said = await leg.play([FLOW_PROMPTS.noSuchExtension]);
  return said.ended === "hung-up" ? "hung-up" : "none";
}

/** Letters on the keypad (or the name said): one match is put through, up to nine are read back to choose from. */
export async function dialByName(step: StepContext, aa: AutoAttendant): Promise<DirectoryPick> {
  const directory = await step.deps.directory.list(step.context.tenantId);
  const names = spokenNames(directory);
  const grammar: Grammar = { choices: [...names].map(([extension, phrases]) => ({ id: extension, phrases })) };
  const speech = listens(step, aa, grammar);
  for (let attempt = 0; attempt < 3; attempt++) {
    const matches = await namesMatched(step, directory, speech ? grammar : undefined);
    if (matches === "hung-up") return "hung-up";
    const pick = await pickFrom(step, matches);
    if (pick !== "again") return pick;
  }
  return "none";
}

/** Asks for a name (said, with a grammar; else spelled) and gives who matches it. */
async function namesMatched(
  step: StepContext,
  directory: readonly DirectoryEntry[],
  grammar: Grammar | undefined,
): Promise<DirectoryEntry[] | "hung-up"> {
  const { leg } = step;
  const asked = await leg.play([grammar ? FLOW_PROMPTS.sayOrSpellName : FLOW_PROMPTS.spellName], { interruptKeys: DIGITS });
  if (asked.ended === "hung-up") return "hung-up";
  let matches: DirectoryEntry[];
  if (grammar && asked.ended !== "interrupted") {
    const heard = await listen(step, grammar, DIGITS);
    if (heard.kind === "hung-up") return "hung-up";
    if (heard.kind === "said") matches = directory.filter((e) => e.extension === heard.id);
    else if (heard.kind === "key") matches = await spelled(step, directory, heard.key);
    else matches = [];
  } else {
    matches = await spelled(step, directory, "");
  }
  return (await hasEnded(leg)) ? "hung-up" : matches;
}

/** One match is put through; up to nine are read back to pick from by key; none or too many: `again`. */
async function pickFrom(step: StepContext, matches: readonly DirectoryEntry[]): Promise<DirectoryPick | "again"> {
  const { leg } = step;
  if (matches.length === 1) {
    const only = matches[0] as DirectoryEntry;
    await leg.play([{ kind: "speech", text: only.name }]);
    return only;
  }
  if (matches.length > 9 || matches.length === 0) {
    await leg.play([matches.length > 9 ? FLOW_PROMPTS.tooManyMatches : FLOW_PROMPTS.noNameMatch]);
    return "again";
  }
  const list: Prompt[] = matches.map((m, i) => ({ kind: "speech", text: `For ${m.name}, press ${i + 1}.` }));
  const read = await leg.play(list, { interruptKeys: DIGITS });
  if (read.ended === "hung-up") return "hung-up";
  const pick = await leg.collect({ maxDigits: 1, terminators: "", firstKeyTimeoutMs: 6_000 });
  if (pick.ended === "hung-up") return "hung-up";
  return matches[Number(pick.digits) - 1] ?? "again";
}

/** The keyed letters (after `first`, a key already pressed), `#` ends, and who they match. */
async function spelled(step: StepContext, directory: readonly DirectoryEntry[], first: string): Promise<DirectoryEntry[]> {
  const input = await step.leg.collect({ maxDigits: 10, terminators: "#", firstKeyTimeoutMs: 8_000, interKeyTimeoutMs: 4_000 });
  return matchByKeypad(directory, first + input.digits);
}
