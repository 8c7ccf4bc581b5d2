import { hasEnded, type Key } from "../calls/media.js";
import type { Grammar } from "../calls/recognition.js";
import { type Choice, listen, listens, oneKey } from "./caller-input.js";
import { type ActionOutcome, inAttendantVoice, resultOf, runMenuAction } from "./menu-actions.js";
import type { AttendantFlow, AttendantResult, AutoAttendant, CallTarget, Menu, SchedulePeriod } from "./model.js";
import { FLOW_PROMPTS } from "./prompts.js";
import { schedulePeriod } from "./schedule.js";
import type { StepContext } from "./step-context.js";

const CLOSED: AttendantFlow = {
  greeting: { kind: "speech", text: "We are closed now. Please call again during business hours." },
  menu: null,
  target: { kind: "disconnect" },
};

/** How the call left the attendant, and where it goes next (null: nowhere, the call is over). */
interface Leave {
  readonly result: AttendantResult;
  readonly target: CallTarget | null;
}

const HUNG_UP: Leave = { result: "caller_hung_up", target: null };

/**
 * The auto attendant's flow for the time of the call (business hours, after hours, holiday): its greeting,
 * then its menu or straight its target. Reported with the attendant's version and the keys or words chosen.
 */
export async function runAutoAttendant(step: StepContext, id: string): Promise<CallTarget | null> {
  const aa = await step.deps.autoAttendants.getAutoAttendant(step.context.tenantId, id);
  if (!aa) return step.giveUp();
  const period = schedulePeriod(aa.schedule, step.deps.clock.now());
  const path: string[] = [];
  const { result, target } = await greetThenServe(step, aa, flowFor(aa, period), path);
  step.report({ kind: "auto_attendant", autoAttendantId: aa.id, version: aa.version, period, result, path, target });
  return target;
}

function flowFor(aa: AutoAttendant, period: SchedulePeriod): AttendantFlow {
  if (period === "business_hours") return aa.businessHours;
  if (period === "holiday") return aa.holiday ?? aa.afterHours ?? CLOSED;
  return aa.afterHours ?? CLOSED;
}

async function greetThenServe(step: StepContext, aa: AutoAttendant, flow: AttendantFlow, path: string[]): Promise<Leave> {
  // A key pressed during the greeting is the caller's choice: the menu is not read to them.
  let chosenEarly = false;
  if (flow.greeting) {
    const keys = flow.menu ? menuKeys(flow.menu, aa) : "";
    const greeted = await step.leg.play([inAttendantVoice(aa, flow.greeting)], { interruptKeys: keys });
    if (greeted.ended === "hung-up") return HUNG_UP;
    chosenEarly = greeted.ended === "interrupted";
  }
  if (!flow.menu) {
    const target = flow.target ?? { kind: "disconnect" };
    return { result: resultOf(target), target };
  }
  return serveMenu(step, aa, flow.menu, chosenEarly, path);
}

/** The menu (and its submenus) until the caller leaves: no input and invalid input are retried, then sent on. */
async function serveMenu(step: StepContext, aa: AutoAttendant, top: Menu, chosenEarly: boolean, path: string[]): Promise<Leave> {
  const { leg } = step;
  const menus: Menu[] = [top];
  let early = chosenEarly;
  let silences = 0;
  let mistakes = 0;
  for (;;) {
    const menu = menus.at(-1) as Menu;
    const choice = early ? await oneKey(leg) : await choose(step, menu, aa);
    early = false;
    if (choice.kind === "hung-up") return HUNG_UP;
    if (choice.kind === "none") {
      silences += 1;
      if (silences > aa.noInput.retries) return { result: "no_input", target: aa.noInput.target };
      await leg.play([FLOW_PROMPTS.notHeard]);
      continue;
    }
    const outcome = await outcomeOf(step, choice, aa, menus, path);
    if (outcome.kind === "leave") return { result: outcome.result, target: outcome.target };
    if (outcome.kind === "ended") return { result: outcome.result, target: null };
    if (outcome.kind === "invalid") {
      mistakes += 1;
      if (mistakes > aa.invalidInput.retries) return { result: "invalid_input", target: aa.invalidInput.target };
      const said = await leg.play([FLOW_PROMPTS.notAnOption]);
      if (said.ended === "hung-up") return HUNG_UP;
    }
    if (await hasEnded(leg)) return HUNG_UP;
  }
}

/** Plays the menu and waits for a key, or (with speech input) for a key or the words of an option. */
async function choose(step: StepContext, menu: Menu, aa: AutoAttendant): Promise<Choice> {
  const keys = menuKeys(menu, aa);
  const played = await step.leg.play([inAttendantVoice(aa, menu.prompt)], { interruptKeys: keys });
  if (played.ended === "hung-up") return { kind: "hung-up" };
  const grammar: Grammar = {
    choices: menu.options.filter((o) => o.phrases.length > 0).map((o) => ({ id: o.key, phrases: o.phrases })),
  };
  if (played.ended === "interrupted" || !listens(step, aa, grammar)) return oneKey(step.leg);
  const heard = await listen(step, grammar, keys);
  if (heard.kind !== "said") return heard;
  return { kind: "key", key: heard.id as Key, said: heard.text };
}

/** What the caller's key (or words) at the current menu leads to: its option, or `0` for the operator. */
async function outcomeOf(
  step: StepContext,
  choice: Extract<Choice, { kind: "key" | "unrecognized" }>,
  aa: AutoAttendant,
  menus: Menu[],
  path: string[],
): Promise<ActionOutcome> {
  if (choice.kind === "unrecognized") return { kind: "invalid" };
  path.push(choice.said ?? choice.key);
  const option = (menus.at(-1) as Menu).options.find((o) => o.key === choice.key);
  if (option) return runMenuAction(step, option, aa, menus);
  if (choice.key === "0" && aa.operator) return { kind: "leave", target: aa.operator, result: "transferred_to_operator" };
  return { kind: "invalid" };
}

/** The keys a menu listens to: its options, and `0` when an operator is set. */
function menuKeys(menu: Menu, aa: AutoAttendant): string {
  const keys = menu.options.map((o) => o.key).join("");
  return aa.operator && !keys.includes("0") ? `${keys}0` : keys;
}
