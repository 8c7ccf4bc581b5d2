import type { Prompt } from "../calls/media.js";
import { type DirectoryPick, dialByExtension, dialByName } from "./directory-dialing.js";
import type { Announcement, AttendantResult, AutoAttendant, CallTarget, Menu, MenuOption } from "./model.js";
import type { StepContext } from "./step-context.js";
import { voicemailMenu } from "./voicemail-menu.js";

/** What an attendant's action leads to. */
export type ActionOutcome =
  | { readonly kind: "leave"; readonly target: CallTarget; readonly result: AttendantResult }
  | { readonly kind: "again" }
  | { readonly kind: "invalid" }
  | { readonly kind: "ended"; readonly result: AttendantResult };

const CALLER_HUNG_UP: ActionOutcome = { kind: "ended", result: "caller_hung_up" };

/** Does what a menu option says; `menus` is the stack of menus the caller is in (submenu pushes, back pops). */
export async function runMenuAction(
  step: StepContext,
  option: MenuOption,
  aa: AutoAttendant,
  menus: Menu[],
): Promise<ActionOutcome> {
  const action = option.action;
  switch (action.kind) {
    case "redirect":
      return { kind: "leave", target: action.target, result: resultOf(action.target) };
    case "operator":
      return aa.operator ? { kind: "leave", target: aa.operator, result: "transferred_to_operator" } : { kind: "invalid" };
    case "announcement": {
      const said = await step.leg.play([inAttendantVoice(aa, action.announcement)]);
      return said.ended === "hung-up" ? CALLER_HUNG_UP : { kind: "again" };
    }
    case "repeat":
      return { kind: "again" };
    case "back":
      if (menus.length > 1) menus.pop();
      return { kind: "again" };
    case "submenu":
      menus.push(action.menu);
      return { kind: "again" };
    case "dial_by_extension":
      return putThrough(await dialByExtension(step));
    case "dial_by_name":
      return putThrough(await dialByName(step, aa));
    case "voicemail_login":
      await voicemailMenu(step);
      return { kind: "ended", result: "voicemail_menu" };
  }
}

/** How leaving for a target is counted in the attendant's results. */
export function resultOf(target: CallTarget): AttendantResult {
  switch (target.kind) {
    case "person":
      return "transferred_to_user";
    case "queue":
      return "transferred_to_queue";
    case "auto_attendant":
      return "transferred_to_attendant";
    case "external_number":
      return "transferred_to_number";
    case "voicemail":
      return "shared_voicemail";
    case "disconnect":
      return "disconnected";
  }
}

/** An announcement in the attendant's voice, unless it names its own. */
export function inAttendantVoice(aa: AutoAttendant, announcement: Announcement): Prompt {
  return announcement.kind === "speech" && aa.voice && !announcement.voice ? { ...announcement, voice: aa.voice } : announcement;
}

/** The person picked from the directory is put through. */
function putThrough(pick: DirectoryPick): ActionOutcome {
  if (pick === "hung-up") return CALLER_HUNG_UP;
  if (pick === "none") return { kind: "invalid" };
  return { kind: "leave", target: { kind: "person", extension: pick.extension }, result: "transferred_to_user" };
}
