import type { FieldIssue } from "../kernel/domain-error.js";
import { isValidTimeZone, minutesOf } from "../kernel/local-time.js";
import { checkTarget } from "../routing/config.js";
import type { RedirectTarget } from "../routing/model.js";
import {
  type Announcement,
  type AttendantFlow,
  type AutoAttendantSettings,
  CALL_TARGET_KINDS,
  type CallQueueSettings,
  type CallTarget,
  type InputPolicy,
  type Menu,
  type MenuAction,
  type Schedule,
} from "./model.js";

/**
 * Checks of flow configuration before it is published: what an admin wrote, field by field, with the
 * path of each fault (`businessHours.menu.options.2.key`). Pure: whether a referenced queue, attendant or
 * mailbox exists is the use cases' question (`checkTargetsExist` with their lookups).
 */

/** The bounds the checks apply, for forms and documentation. */
export const FLOW_LIMITS = {
  name: 100,
  text: 2000,
  menuOptions: 12,
  /** The top menu is 1; a submenu of a submenu is 3. */
  menuDepth: 3,
  phrases: 10,
  phrase: 60,
  retries: 5,
  messageSeconds: { min: 10, max: 600, default: 120 },
  announceEverySeconds: { min: 10, max: 600 },
  notifyEmails: 20,
} as const;
const MAX_NAME = FLOW_LIMITS.name;
const MAX_TEXT = FLOW_LIMITS.text;
const MAX_MENU_OPTIONS = FLOW_LIMITS.menuOptions;
const MAX_MENU_DEPTH = FLOW_LIMITS.menuDepth;
const MAX_PHRASES = FLOW_LIMITS.phrases;
const MAX_PHRASE = FLOW_LIMITS.phrase;
const MAX_RETRIES = FLOW_LIMITS.retries;
const MESSAGE_SECONDS = FLOW_LIMITS.messageSeconds;
const ANNOUNCE_EVERY_SECONDS = FLOW_LIMITS.announceEverySeconds;
const MAX_NOTIFY_EMAILS = FLOW_LIMITS.notifyEmails;

/** The keys a menu option may use (a keypad has A-D too, phones mostly do not). */
const MENU_KEYS = "0123456789*#";
const WEEKDAYS = ["0", "1", "2", "3", "4", "5", "6"];
const START = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const END = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Lower-case words (letters and apostrophes), single spaces: what a speech grammar is built from. */
const PHRASE = /^[\p{Ll}']+(?: [\p{Ll}']+)*$/u;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PIN = /^\d{4,12}$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isText = (v: unknown, max: number): v is string => typeof v === "string" && v.trim() !== "" && v.length <= max;
const isInt = (v: unknown, min: number, max: number): v is number =>
  Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

/** A real calendar date written `YYYY-MM-DD`. */
export function isValidDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

export const isValidPin = (pin: string): boolean => PIN.test(pin);
export const isValidEmail = (email: string): boolean => email.length <= 254 && EMAIL.test(email);

export function checkAnnouncement(announcement: Announcement, field: string, issues: FieldIssue[]): void {
  const a = announcement as unknown;
  if (!isObject(a)) {
    issues.push({ field, message: "speech {text} or a recording {recordingId}" });
    return;
  }
  switch (a.kind) {
    case "speech":
      if (!isText(a.text, MAX_TEXT)) issues.push({ field: `${field}.text`, message: `what to say, 1 to ${MAX_TEXT} characters` });
      if (a.voice !== undefined && !isText(a.voice, MAX_NAME)) issues.push({ field: `${field}.voice`, message: "a voice name" });
      return;
    case "recording":
      if (!isText(a.recordingId, 64)) issues.push({ field: `${field}.recordingId`, message: "the id of a recording" });
      return;
    default:
      issues.push({ field: `${field}.kind`, message: "speech or recording" });
  }
}

const checkOptionalAnnouncement = (a: Announcement | null, field: string, issues: FieldIssue[]): void => {
  if (a !== null && a !== undefined) checkAnnouncement(a, field, issues);
};

/** A redirect target a call can take: the kinds of `CallTarget`, each with its fields. */
export function checkCallTarget(target: CallTarget, field: string, issues: FieldIssue[]): void {
  const t = target as unknown;
  if (!isObject(t) || !(CALL_TARGET_KINDS as readonly unknown[]).includes(t.kind)) {
    issues.push({ field: `${field}.kind`, message: `one of ${CALL_TARGET_KINDS.join(", ")}` });
    return;
  }
  checkTarget(target, field, issues);
}

export function checkSchedule(schedule: Schedule, field: string, issues: FieldIssue[]): void {
  if (!isObject(schedule)) {
    issues.push({ field, message: "{timeZone, weekly, holidays}, or null for always open" });
    return;
  }
  if (typeof schedule.timeZone !== "string" || !isValidTimeZone(schedule.timeZone)) {
    issues.push({ field: `${field}.timeZone`, message: "an IANA time zone, e.g. America/New_York" });
  }
  if (!isObject(schedule.weekly)) {
    issues.push({ field: `${field}.weekly`, message: 'hours by weekday, "0" (Sunday) to "6" (Saturday)' });
  } else {
    for (const [day, ranges] of Object.entries(schedule.weekly)) {
      const dayField = `${field}.weekly.${day}`;
      if (!WEEKDAYS.includes(day)) {
        issues.push({ field: dayField, message: 'a weekday, "0" (Sunday) to "6" (Saturday)' });
        continue;
      }
      if (!Array.isArray(ranges)) {
        issues.push({ field: dayField, message: 'a list of ["HH:MM", "HH:MM"] ranges' });
        continue;
      }
      const valid: { from: number; to: number; i: number }[] = [];
      for (const [i, range] of ranges.entries()) {
        const [from, to] = Array.isArray(range) ? range : [];
        if (!Array.isArray(range) || range.length !== 2 || typeof from !== "string" || typeof to !== "string") {
          issues.push({ field: `${dayField}.${i}`, message: '["HH:MM", "HH:MM"], the end excluded' });
        } else if (!START.test(from)) {
          issues.push({ field: `${dayField}.${i}.0`, message: "a start time, 00:00 to 23:59" });
        } else if (!END.test(to)) {
          issues.push({ field: `${dayField}.${i}.1`, message: "an end time, 00:01 to 24:00" });
        } else if (minutesOf(from) >= minutesOf(to)) {
          issues.push({ field: `${dayField}.${i}`, message: "the start must come before the end" });
        } else {
          valid.push({ from: minutesOf(from), to: minutesOf(to), i });
        }
      }
      valid.sort((a, b) => a.from - b.from);
      for (let k = 1; k < valid.length; k++) {
        const previous = valid[k - 1] as (typeof valid)[number];
        const range = valid[k] as (typeof valid)[number];
        if (range.from < previous.to)
          issues.push({ field: `${dayField}.${range.i}`, message: "overlaps another range of the day" });
      }
    }
  }
  if (!Array.isArray(schedule.holidays)) {
    issues.push({ field: `${field}.holidays`, message: "a list of {date, name}" });
    return;
  }
  const dates = new Set<string>();
  for (const [i, holiday] of schedule.holidays.entries()) {
    const h = holiday as unknown;
    if (!isObject(h) || typeof h.date !== "string" || !isValidDate(h.date)) {
      issues.push({ field: `${field}.holidays.${i}.date`, message: "a date, YYYY-MM-DD" });
      continue;
    }
    if (dates.has(h.date)) issues.push({ field: `${field}.holidays.${i}.date`, message: "listed twice" });
    dates.add(h.date);
    if (typeof h.name !== "string" || h.name.length > MAX_NAME) {
      issues.push({ field: `${field}.holidays.${i}.name`, message: `up to ${MAX_NAME} characters` });
    }
  }
}

export function checkMenu(menu: Menu, field: string, issues: FieldIssue[], context: MenuContext, depth = 1): void {
  if (!isObject(menu)) {
    issues.push({ field, message: "{prompt, options}" });
    return;
  }
  checkAnnouncement(menu.prompt, `${field}.prompt`, issues);
  if (!Array.isArray(menu.options) || menu.options.length === 0 || menu.options.length > MAX_MENU_OPTIONS) {
    issues.push({ field: `${field}.options`, message: `1 to ${MAX_MENU_OPTIONS} options` });
    if (!Array.isArray(menu.options)) return;
  }
  const keys = new Set<string>();
  const phrases = new Set<string>();
  for (const [i, option] of menu.options.entries()) {
    const at = `${field}.options.${i}`;
    if (!isObject(option)) {
      issues.push({ field: at, message: "{key, phrases, action}" });
      continue;
    }
    if (typeof option.key !== "string" || option.key.length !== 1 || !MENU_KEYS.includes(option.key)) {
      issues.push({ field: `${at}.key`, message: "one of 0-9, * and #" });
    } else if (keys.has(option.key)) {
      issues.push({ field: `${at}.key`, message: `another option uses ${option.key}` });
    } else {
      keys.add(option.key);
    }
    if (!Array.isArray(option.phrases) || option.phrases.length > MAX_PHRASES) {
      issues.push({ field: `${at}.phrases`, message: `up to ${MAX_PHRASES} phrases` });
    } else {
      for (const [j, phrase] of option.phrases.entries()) {
        if (typeof phrase !== "string" || phrase.length > MAX_PHRASE || !PHRASE.test(phrase)) {
          issues.push({ field: `${at}.phrases.${j}`, message: `lower-case words, 1 to ${MAX_PHRASE} characters` });
        } else if (phrases.has(phrase)) {
          issues.push({ field: `${at}.phrases.${j}`, message: "another option of the menu has this phrase" });
        } else {
          phrases.add(phrase);
        }
      }
    }
    checkAction(option.action as MenuAction, `${at}.action`, issues, context, depth);
  }
}

/** What a menu's checks need to know of the attendant around it. */
export interface MenuContext {
  readonly hasOperator: boolean;
}

function checkAction(action: MenuAction, field: string, issues: FieldIssue[], context: MenuContext, depth: number) {
  const a = action as unknown;
  if (!isObject(a)) {
    issues.push({ field, message: "what the option does" });
    return;
  }
  switch (action.kind) {
    case "redirect":
      checkCallTarget(action.target, `${field}.target`, issues);
      return;
    case "announcement":
      checkAnnouncement(action.announcement, `${field}.announcement`, issues);
      return;
    case "submenu":
      if (depth >= MAX_MENU_DEPTH) issues.push({ field: `${field}.menu`, message: `menus nest at most ${MAX_MENU_DEPTH} deep` });
      else checkMenu(action.menu, `${field}.menu`, issues, context, depth + 1);
      return;
    case "operator":
      if (!context.hasOperator) issues.push({ field, message: "the attendant has no operator" });
      return;
    case "repeat":
    case "back":
    case "dial_by_extension":
    case "dial_by_name":
    case "voicemail_login":
      return;
    default:
      issues.push({
        field: `${field}.kind`,
        message:
          "one of redirect, announcement, repeat, back, submenu, operator, dial_by_extension, dial_by_name, voicemail_login",
      });
  }
}

export function checkAttendantFlow(flow: AttendantFlow, field: string, issues: FieldIssue[], context: MenuContext): void {
  if (!isObject(flow)) {
    issues.push({ field, message: "{greeting, menu, target}" });
    return;
  }
  checkOptionalAnnouncement(flow.greeting, `${field}.greeting`, issues);
  if ((flow.menu === null || flow.menu === undefined) && (flow.target === null || flow.target === undefined)) {
    issues.push({ field, message: "a menu, or a target to go to after the greeting" });
  }
  if (flow.menu !== null && flow.menu !== undefined) checkMenu(flow.menu, `${field}.menu`, issues, context);
  if (flow.target !== null && flow.target !== undefined) checkCallTarget(flow.target, `${field}.target`, issues);
}

function checkInputPolicy(policy: InputPolicy, field: string, issues: FieldIssue[]): void {
  if (!isObject(policy)) {
    issues.push({ field, message: "{retries, target}" });
    return;
  }
  if (!isInt(policy.retries, 0, MAX_RETRIES)) issues.push({ field: `${field}.retries`, message: `0 to ${MAX_RETRIES}` });
  checkCallTarget(policy.target, `${field}.target`, issues);
}

/** Everything of an auto attendant but whether the entities its targets name exist. */
export function checkAutoAttendantSettings(settings: AutoAttendantSettings): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!isText(settings.name, MAX_NAME)) issues.push({ field: "name", message: `1 to ${MAX_NAME} characters` });
  if (settings.voice !== null && !isText(settings.voice, MAX_NAME)) {
    issues.push({ field: "voice", message: "a voice name, or null for the default" });
  }
  if (settings.schedule !== null) checkSchedule(settings.schedule, "schedule", issues);
  if (settings.operator !== null) checkCallTarget(settings.operator, "operator", issues);
  const context = { hasOperator: settings.operator !== null };
  checkAttendantFlow(settings.businessHours, "businessHours", issues, context);
  if (settings.afterHours !== null) checkAttendantFlow(settings.afterHours, "afterHours", issues, context);
  if (settings.holiday !== null) checkAttendantFlow(settings.holiday, "holiday", issues, context);
  if (typeof settings.speechInput !== "boolean") issues.push({ field: "speechInput", message: "true or false" });
  checkInputPolicy(settings.noInput, "noInput", issues);
  checkInputPolicy(settings.invalidInput, "invalidInput", issues);
  return issues;
}

/** A call queue's caller experience: the announcements, and how often position and wait are said. */
export function checkCallQueueSettings(call: CallQueueSettings, field: string, issues: FieldIssue[]): void {
  if (!isObject(call)) {
    issues.push({ field, message: "the call queue's settings" });
    return;
  }
  checkOptionalAnnouncement(call.greeting, `${field}.greeting`, issues);
  checkOptionalAnnouncement(call.music, `${field}.music`, issues);
  const every = call.announceEverySeconds;
  if (every !== 0 && !isInt(every, ANNOUNCE_EVERY_SECONDS.min, ANNOUNCE_EVERY_SECONDS.max)) {
    issues.push({
      field: `${field}.announceEverySeconds`,
      message: `0 (never), or ${ANNOUNCE_EVERY_SECONDS.min} to ${ANNOUNCE_EVERY_SECONDS.max}`,
    });
  }
  for (const flag of ["announcePosition", "announceExpectedWait", "conferenceMode"] as const) {
    if (typeof call[flag] !== "boolean") issues.push({ field: `${field}.${flag}`, message: "true or false" });
  }
  if (!isObject(call.recording) || typeof call.recording.enabled !== "boolean") {
    issues.push({ field: `${field}.recording`, message: "{enabled, consent}" });
  } else {
    checkOptionalAnnouncement(call.recording.consent, `${field}.recording.consent`, issues);
  }
}

/** What a mailbox's admin writes (the PIN before it is hashed). */
export interface MailboxSettingsToCheck {
  readonly name: string;
  readonly greeting: Announcement | null;
  readonly maxMessageSeconds: number;
  readonly notifyEmails: readonly string[];
  /** Undefined: not changing. */
  readonly pin?: string | null;
}

export function checkMailboxSettings(settings: MailboxSettingsToCheck): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!isText(settings.name, MAX_NAME)) issues.push({ field: "name", message: `1 to ${MAX_NAME} characters` });
  checkOptionalAnnouncement(settings.greeting, "greeting", issues);
  if (!isInt(settings.maxMessageSeconds, MESSAGE_SECONDS.min, MESSAGE_SECONDS.max)) {
    issues.push({ field: "maxMessageSeconds", message: `${MESSAGE_SECONDS.min} to ${MESSAGE_SECONDS.max}` });
  }
  if (!Array.isArray(settings.notifyEmails) || settings.notifyEmails.length > MAX_NOTIFY_EMAILS) {
    issues.push({ field: "notifyEmails", message: `up to ${MAX_NOTIFY_EMAILS} email addresses` });
  } else {
    for (const [i, email] of settings.notifyEmails.entries()) {
      if (typeof email !== "string" || !isValidEmail(email))
        issues.push({ field: `notifyEmails.${i}`, message: "an email address" });
    }
  }
  if (settings.pin !== undefined && settings.pin !== null && (typeof settings.pin !== "string" || !isValidPin(settings.pin))) {
    issues.push({ field: "pin", message: "4 to 12 digits" });
  }
  return issues;
}

/** A target of a flow with where it was written. */
export interface PlacedTarget {
  readonly field: string;
  readonly target: RedirectTarget;
}

function menuTargets(menu: Menu, field: string, into: PlacedTarget[]): void {
  for (const [i, option] of (menu.options ?? []).entries()) {
    const action = option?.action;
    if (action?.kind === "redirect") into.push({ field: `${field}.options.${i}.action.target`, target: action.target });
    if (action?.kind === "submenu" && action.menu) menuTargets(action.menu, `${field}.options.${i}.action.menu`, into);
  }
}

/** Every target an attendant can send a call to, with its field: the flows' menus and targets, operator, input policies. */
export function attendantTargets(settings: AutoAttendantSettings): PlacedTarget[] {
  const targets: PlacedTarget[] = [];
  const flows: [string, AttendantFlow | null][] = [
    ["businessHours", settings.businessHours],
    ["afterHours", settings.afterHours],
    ["holiday", settings.holiday],
  ];
  for (const [field, flow] of flows) {
    if (!flow) continue;
    if (flow.menu) menuTargets(flow.menu, `${field}.menu`, targets);
    if (flow.target) targets.push({ field: `${field}.target`, target: flow.target });
  }
  if (settings.operator) targets.push({ field: "operator", target: settings.operator });
  if (settings.noInput?.target) targets.push({ field: "noInput.target", target: settings.noInput.target });
  if (settings.invalidInput?.target) targets.push({ field: "invalidInput.target", target: settings.invalidInput.target });
  return targets;
}

/** Whether the entities targets name exist in the tenant; a lookup left out is not checked. */
export interface TargetLookups {
  queue?(id: string): Promise<boolean>;
  autoAttendant?(id: string): Promise<boolean>;
  mailbox?(id: string): Promise<boolean>;
}

/** Adds an issue for each target that names a queue, auto attendant or mailbox the tenant does not have. */
export async function checkTargetsExist(
  targets: readonly PlacedTarget[],
  lookups: TargetLookups,
  issues: FieldIssue[],
): Promise<void> {
  for (const { field, target } of targets) {
    if (target.kind === "queue" && lookups.queue && typeof target.queueId === "string") {
      if (!(await lookups.queue(target.queueId))) issues.push({ field: `${field}.queueId`, message: "no such queue" });
    } else if (target.kind === "auto_attendant" && lookups.autoAttendant && typeof target.autoAttendantId === "string") {
      if (!(await lookups.autoAttendant(target.autoAttendantId))) {
        issues.push({ field: `${field}.autoAttendantId`, message: "no such auto attendant" });
      }
    } else if (target.kind === "voicemail" && lookups.mailbox && typeof target.mailboxId === "string") {
      if (!(await lookups.mailbox(target.mailboxId))) issues.push({ field: `${field}.mailboxId`, message: "no such mailbox" });
    }
  }
}

/** Whether `target` sends a call to the auto attendant or mailbox. */
export const targetsEntity = (
  target: RedirectTarget | null | undefined,
  kind: "auto_attendant" | "voicemail",
  id: string,
): boolean =>
  kind === "auto_attendant"
    ? target?.kind === "auto_attendant" && target.autoAttendantId === id
    : target?.kind === "voicemail" && target.mailboxId === id;
