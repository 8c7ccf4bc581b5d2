import type {
  AttendantFlow,
  AutoAttendant,
  CallTarget,
  InputPolicy,
  Menu,
  MenuAction,
  MenuKey,
  Schedule,
} from "@switchboard/protocol";
import type { Choice } from "../../shell/ui/choice.js";
import { defaultBusinessHours, localTimeZone } from "../entry-points/business-hours.js";
import { type AnnouncementForm, announcementForm, announcementOf, announcementOrNull, announcementText } from "./announcement.js";
import { describeTarget, type TargetDirectory, targetOfKind } from "./call-targets.js";
import type { FieldProblem } from "./field-problems.js";

/*
 * An auto attendant as its editor holds it, and back. Lists keep their order and length both ways, so
 * that the server's field paths (`businessHours.menu.options.2.key`) name the very rows on screen.
 */

export const MENU_KEYS: readonly MenuKey[] = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "*", "#"];
export const MAX_OPTIONS = 12;
export const MAX_RETRIES = 5;

export type ActionKind = MenuAction["kind"];

export const ACTIONS: readonly Choice<ActionKind>[] = [
  { value: "redirect", label: "Send the call to…" },
  { value: "submenu", label: "Another menu" },
  { value: "announcement", label: "Say something, then the menu again" },
  { value: "repeat", label: "Repeat the menu" },
  { value: "back", label: "Back to the previous menu" },
  { value: "operator", label: "The operator" },
  { value: "dial_by_extension", label: "Dial by extension" },
  { value: "dial_by_name", label: "Dial by name" },
  { value: "voicemail_login", label: "Voicemail login (listen to messages)" },
];

export const actionLabel = (kind: ActionKind): string => ACTIONS.find((a) => a.value === kind)?.label ?? kind;

export interface MenuForm {
  prompt: AnnouncementForm;
  options: OptionForm[];
}

export interface OptionForm {
  key: MenuKey;
  /** As typed: comma separated. */
  phrases: string;
  action: ActionForm;
}

/** An option's action, with a draft of each kind's settings so that switching kinds loses nothing. */
export interface ActionForm {
  kind: ActionKind;
  target: CallTarget;
  announcement: AnnouncementForm;
  menu: MenuForm | undefined;
}

export interface FlowForm {
  greeting: AnnouncementForm;
  /** A menu after the greeting, or straight to a target. */
  mode: "menu" | "target";
  menu: MenuForm;
  target: CallTarget;
}

export interface ScheduleForm {
  timeZone: string;
  weekly: Record<string, [string, string][]>;
  holidays: { date: string; name: string }[];
}

export interface PolicyForm {
  /** As typed. */
  retries: string;
  target: CallTarget;
}

export interface AttendantForm {
  name: string;
  /** Empty: the default voice. */
  voice: string;
  /** Off: business hours around the clock. */
  scheduled: boolean;
  schedule: ScheduleForm;
  businessHours: FlowForm;
  /** Off: the server's default (a short closed message). */
  afterHoursOn: boolean;
  afterHours: FlowForm;
  /** Off: the after-hours flow on holidays. */
  holidayOn: boolean;
  holiday: FlowForm;
  operatorOn: boolean;
  operator: CallTarget;
  speechInput: boolean;
  noInput: PolicyForm;
  invalidInput: PolicyForm;
}

/** The flows an attendant has, by their field, in the order the editor shows them. */
export const FLOWS = [
  { field: "businessHours", label: "Business hours" },
  { field: "afterHours", label: "After hours" },
  { field: "holiday", label: "Holidays" },
] as const;
export type FlowField = (typeof FLOWS)[number]["field"];

/** Where a new target points first: the first queue, if there is one. */
export const defaultTarget = (directory: TargetDirectory): CallTarget =>
  directory.queues.length > 0 ? (targetOfKind("queue", directory) as CallTarget) : { kind: "disconnect" };

export const emptyMenu = (): MenuForm => ({ prompt: announcementForm(null), options: [] });

function newAction(directory: TargetDirectory): ActionForm {
  return { kind: "redirect", target: defaultTarget(directory), announcement: announcementForm(null), menu: undefined };
}

/** A new option on the first key the menu does not use yet. */
export function newOption(menu: MenuForm, directory: TargetDirectory): OptionForm {
  const used = new Set(menu.options.map((o) => o.key));
  const key = MENU_KEYS.find((k) => !used.has(k)) ?? "1";
  return { key, phrases: "", action: newAction(directory) };
}

export function newFlow(directory: TargetDirectory): FlowForm {
  return { greeting: announcementForm(null), mode: "menu", menu: emptyMenu(), target: defaultTarget(directory) };
}

export function newAttendantForm(directory: TargetDirectory, timeZone: string = localTimeZone()): AttendantForm {
  const hours = defaultBusinessHours(timeZone);
  return {
    name: "",
    voice: "",
    scheduled: false,
    schedule: { timeZone: hours.timeZone, weekly: hours.weekly as Record<string, [string, string][]>, holidays: [] },
    businessHours: newFlow(directory),
    afterHoursOn: false,
    afterHours: newFlow(directory),
    holidayOn: false,
    holiday: newFlow(directory),
    operatorOn: false,
    operator: defaultTarget(directory),
    speechInput: false,
    noInput: { retries: "2", target: { kind: "disconnect" } },
    invalidInput: { retries: "2", target: { kind: "disconnect" } },
  };
}

function menuForm(menu: Menu, directory: TargetDirectory): MenuForm {
  return {
    prompt: announcementForm(menu.prompt),
    options: menu.options.map((option) => ({
      key: option.key,
      phrases: option.phrases.join(", "),
      action: actionForm(option.action, directory),
    })),
  };
}

function actionForm(action: MenuAction, directory: TargetDirectory): ActionForm {
  const form = newAction(directory);
  switch (action.kind) {
    case "redirect":
      return { ...form, kind: action.kind, target: action.target };
    case "announcement":
      return { ...form, kind: action.kind, announcement: announcementForm(action.announcement) };
    case "submenu":
      return { ...form, kind: action.kind, menu: menuForm(action.menu, directory) };
    default:
      return { ...form, kind: action.kind };
  }
}

function flowForm(flow: AttendantFlow | null, directory: TargetDirectory): FlowForm {
  if (!flow) return newFlow(directory);
  return {
    greeting: announcementForm(flow.greeting),
    mode: flow.menu === null && flow.target !== null ? "target" : "menu",
    menu: flow.menu ? menuForm(flow.menu, directory) : emptyMenu(),
    target: flow.target ?? defaultTarget(directory),
  };
}

/** An attendant as published (the current version, or an earlier one to start from), for the editor. */
export function formFromAttendant(attendant: AutoAttendant, directory: TargetDirectory): AttendantForm {
  const fresh = newAttendantForm(directory);
  const schedule: ScheduleForm = attendant.schedule
    ? {
        timeZone: attendant.schedule.timeZone,
        weekly: Object.fromEntries(
          Object.entries(attendant.schedule.weekly).map(([day, ranges]) => [
            day,
            ranges.map(([a, b]): [string, string] => [a, b]),
          ]),
        ),
        holidays: attendant.schedule.holidays.map((h) => ({ date: h.date, name: h.name })),
      }
    : fresh.schedule;
  return {
    name: attendant.name,
    voice: attendant.voice ?? "",
    scheduled: attendant.schedule !== null,
    schedule,
    businessHours: flowForm(attendant.businessHours, directory),
    afterHoursOn: attendant.afterHours !== null,
    afterHours: flowForm(attendant.afterHours, directory),
    holidayOn: attendant.holiday !== null,
    holiday: flowForm(attendant.holiday, directory),
    operatorOn: attendant.operator !== null,
    operator: attendant.operator ?? fresh.operator,
    speechInput: attendant.speechInput,
    noInput: { retries: String(attendant.noInput.retries), target: attendant.noInput.target },
    invalidInput: { retries: String(attendant.invalidInput.retries), target: attendant.invalidInput.target },
  };
}

/** Phrases as typed, comma separated, as the server keeps them: lower case, single spaces, no empty ones. */
export function splitPhrases(text: string): string[] {
  return text
    .split(",")
    .map((p) => p.trim().toLowerCase().replace(/\s+/g, " "))
    .filter((p) => p !== "");
}

/** A menu as published. */
export function menuOf(menu: MenuForm): Menu {
  return {
    prompt: announcementOf(menu.prompt),
    options: menu.options.map((option) => ({
      key: option.key,
      phrases: splitPhrases(option.phrases),
      action: actionOf(option.action),
    })),
  };
}

function actionOf(action: ActionForm): MenuAction {
  switch (action.kind) {
    case "redirect":
      return { kind: "redirect", target: action.target };
    case "announcement":
      return { kind: "announcement", announcement: announcementOf(action.announcement) };
    case "submenu":
      return { kind: "submenu", menu: menuOf(action.menu ?? emptyMenu()) };
    default:
      return { kind: action.kind };
  }
}

function flowOf(flow: FlowForm): AttendantFlow {
  return {
    greeting: announcementOrNull(flow.greeting),
    menu: flow.mode === "menu" ? menuOf(flow.menu) : null,
    target: flow.mode === "target" ? flow.target : null,
  };
}

const wholeNumber = (text: string): number => (/^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN);

function scheduleOf(schedule: ScheduleForm): Schedule {
  // Closed days are left out; a day's ranges keep their order (the server's paths name them by position).
  const weekly: Record<string, [string, string][]> = {};
  for (const [day, ranges] of Object.entries(schedule.weekly)) if (ranges.length > 0) weekly[day] = ranges;
  return {
    timeZone: schedule.timeZone.trim(),
    weekly,
    holidays: schedule.holidays.map((h) => ({ date: h.date.trim(), name: h.name.trim() })),
  };
}

const policyOf = (policy: PolicyForm): InputPolicy => ({ retries: wholeNumber(policy.retries), target: policy.target });

/** An attendant's whole configuration: what is published, without the version and times. */
export type AttendantSettings = Omit<AutoAttendant, "id" | "version" | "createdAt" | "updatedAt">;

/** The whole configuration to publish (`expectedVersion` is the page's to add). */
export function attendantInput(form: AttendantForm): AttendantSettings {
  return {
    name: form.name.trim(),
    voice: form.voice.trim() === "" ? null : form.voice.trim(),
    schedule: form.scheduled ? scheduleOf(form.schedule) : null,
    businessHours: flowOf(form.businessHours),
    afterHours: form.afterHoursOn ? flowOf(form.afterHours) : null,
    holiday: form.holidayOn ? flowOf(form.holiday) : null,
    operator: form.operatorOn ? form.operator : null,
    speechInput: form.speechInput,
    noInput: policyOf(form.noInput),
    invalidInput: policyOf(form.invalidInput),
  };
}

/** Every target of a configuration with its path: redirects of menus at any depth, flows, operator, policies. */
export function targetsOf(input: AttendantSettings): { field: string; target: CallTarget }[] {
  const found: { field: string; target: CallTarget }[] = [];
  const inMenu = (menu: Menu, at: string) => {
    for (const [i, option] of menu.options.entries()) {
      const action = option.action;
      if (action.kind === "redirect") found.push({ field: `${at}.options.${i}.action.target`, target: action.target });
      if (action.kind === "submenu") inMenu(action.menu, `${at}.options.${i}.action.menu`);
    }
  };
  for (const { field } of FLOWS) {
    const flow = input[field];
    if (!flow) continue;
    if (flow.menu) inMenu(flow.menu, `${field}.menu`);
    if (flow.target) found.push({ field: `${field}.target`, target: flow.target });
  }
  if (input.operator) found.push({ field: "operator", target: input.operator });
  found.push({ field: "noInput.target", target: input.noInput.target });
  found.push({ field: "invalidInput.target", target: input.invalidInput.target });
  return found;
}

const CHOOSE: Partial<Record<CallTarget["kind"], { field: string; message: string }>> = {
  queue: { field: "queueId", message: "Choose a queue." },
  auto_attendant: { field: "autoAttendantId", message: "Choose an auto attendant." },
  voicemail: { field: "mailboxId", message: "Choose a mailbox." },
};

/** A choice left empty in a target (a select with nothing to choose from): `field.queueId`, "Choose a queue." */
export function emptyChoice(target: CallTarget, field: string): FieldProblem | undefined {
  const choose = CHOOSE[target.kind];
  if (!choose) return undefined;
  const value = (target as unknown as Record<string, unknown>)[choose.field];
  return value === "" || value === undefined ? { field: `${field}.${choose.field}`, message: choose.message } : undefined;
}

/**
 * What keeps the form from being published before asking the server: a name, whole retries, choices made.
 * Everything else (keys, phrases, times, dates, numbers) the server checks, with the same paths.
 */
export function checkAttendant(form: AttendantForm): FieldProblem[] {
  const input = attendantInput(form);
  const problems: FieldProblem[] = [];
  if (input.name === "") problems.push({ field: "name", message: "Enter a name." });
  for (const field of ["noInput", "invalidInput"] as const) {
    const retries = input[field].retries;
    if (!(retries >= 0 && retries <= MAX_RETRIES)) {
      problems.push({ field: `${field}.retries`, message: `A whole number, 0 to ${MAX_RETRIES}.` });
    }
  }
  for (const { field, target } of targetsOf(input)) {
    const problem = emptyChoice(target, field);
    if (problem) problems.push(problem);
  }
  return problems;
}

/** What an option does, in a few words: "Queue Sales line", "Dial by name", "Another menu (3 options)". */
export function describeAction(action: MenuAction, directory: TargetDirectory): string {
  switch (action.kind) {
    case "redirect":
      return describeTarget(action.target, directory);
    case "announcement":
      return `Says “${announcementText(action.announcement)}”`;
    case "submenu":
      return `Another menu (${action.menu.options.length} ${action.menu.options.length === 1 ? "option" : "options"})`;
    default:
      return actionLabel(action.kind);
  }
}

/** A menu's options in a line, for lists: "1 Queue Sales line · 2 Queue Support line · 9 Dial by name". */
export function menuSummary(menu: Menu, directory: TargetDirectory): string {
  return menu.options.map((o) => `${o.key} ${describeAction(o.action, directory)}`).join(" · ");
}

/** What a flow does, in a line: its menu's options, or where it sends calls. */
export function flowSummary(flow: AttendantFlow | null, directory: TargetDirectory): string {
  if (!flow) return "";
  if (flow.menu) return menuSummary(flow.menu, directory);
  return flow.target ? describeTarget(flow.target, directory) : "";
}

/** The published versions to look at, newest first: every one before the current. */
export const earlierVersions = (version: number): number[] =>
  Array.from({ length: Math.max(0, version - 1) }, (_, i) => version - 1 - i);
