import { SwitchboardError } from "@switchboard/sdk";

/**
 * A problem with one field, named by its path in the request (`businessHours.menu.options.2.key`): what the
 * server's validation answers (`errors` of a problem+json) and what the editors' own checks find, alike.
 * Big editors show each problem at its field, and list them all in words by the Save button (a field may
 * be far up the page).
 */
export interface FieldProblem {
  field: string;
  message: string;
}

/** The field problems of a failed request; the request schema's `body.` prefix is dropped. */
export function problemsOf(error: unknown): FieldProblem[] {
  if (!(error instanceof SwitchboardError)) return [];
  return error.errors.map((e) => ({ field: e.field.replace(/^body\./, ""), message: e.message }));
}

/** An editor's own checks (field → message) as field problems, for the controls that take them. */
export const asProblems = (errors: Record<string, string>): FieldProblem[] =>
  Object.entries(errors).map(([field, message]) => ({ field, message }));

/** Whether `field` is `path` or lies under it. */
export const isUnder = (field: string, path: string): boolean => field === path || field.startsWith(`${path}.`);

/** The problems at `path` and under it. */
export const problemsUnder = (problems: readonly FieldProblem[], path: string): FieldProblem[] =>
  problems.filter((p) => isUnder(p.field, path));

/**
 * One message for a control: the problems under `path`, except those under `excluding` (shown by controls
 * of their own). Undefined when there is none.
 */
export function messageAt(
  problems: readonly FieldProblem[],
  path: string,
  excluding: readonly string[] = [],
): string | undefined {
  const mine = problemsUnder(problems, path).filter((p) => !excluding.some((other) => isUnder(p.field, other)));
  if (mine.length === 0) return undefined;
  return [...new Set(mine.map((p) => capitalize(p.message)))].join(" ");
}

const capitalize = (text: string): string => {
  const first = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
};

const WORDS: Record<string, string> = {
  name: "Name",
  voice: "Voice",
  speechInput: "Speech input",
  schedule: "Schedule",
  timeZone: "Time zone",
  weekly: "Weekly hours",
  holidays: "Holidays",
  date: "Date",
  businessHours: "Business hours",
  afterHours: "After hours",
  holiday: "Holiday flow",
  greeting: "Greeting",
  menu: "Menu",
  prompt: "Prompt",
  options: "Options",
  key: "Key",
  phrases: "Phrases",
  action: "Action",
  target: "Target",
  announcement: "Announcement",
  text: "Text",
  recordingId: "Recording",
  kind: "Kind",
  queueId: "Queue",
  workerId: "Agent",
  autoAttendantId: "Auto attendant",
  mailboxId: "Mailbox",
  extension: "Extension",
  number: "Number",
  message: "Message",
  operator: "Operator",
  noInput: "No input",
  invalidInput: "Invalid input",
  retries: "Retries",
  call: "Calls",
  music: "Music on hold",
  announceEverySeconds: "Announce every",
  overflow: "Overflow",
  timeout: "Timeout",
  seconds: "Seconds",
  threshold: "Threshold",
  noAgents: "No agents",
  when: "When",
  maxMessageSeconds: "Longest message",
  pin: "PIN",
  notifyEmails: "Notify by email",
  ownerUserId: "Owner",
  entry: "Answered by",
  flow: "Flow",
};

const WEEKDAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** An item of a list, in words, by the list it is in: "Option 3", "Holiday 1", "Phrase 2". */
const ITEM_WORDS: Record<string, string> = {
  options: "Option",
  holidays: "Holiday",
  phrases: "Phrase",
  notifyEmails: "Address",
};

/**
 * Where a field is, in words, for the list of problems by the Save button:
 * `businessHours.menu.options.2.key` → "Business hours › Menu › Option 3 › Key",
 * `schedule.weekly.1.0` → "Schedule › Monday › Hours 1".
 */
export function fieldLabel(field: string): string {
  const parts = field.replace(/^body\./, "").split(".");
  const words: string[] = [];
  for (const [i, part] of parts.entries()) {
    const parent = parts[i - 1];
    const grandparent = parts[i - 2];
    if (parent === "weekly" && /^\d$/.test(part)) {
      // The weekday replaces "Weekly hours".
      words.pop();
      words.push(WEEKDAY_NAMES[Number(part)] ?? part);
    } else if (grandparent === "weekly" && /^\d+$/.test(part)) {
      words.push(`Hours ${Number(part) + 1}`);
    } else if (parts[i - 3] === "weekly" && /^[01]$/.test(part)) {
      words.push(part === "0" ? "Start" : "End");
    } else if (parent !== undefined && /^\d+$/.test(part) && ITEM_WORDS[parent]) {
      // "Option 3" replaces "Options".
      words.pop();
      words.push(`${ITEM_WORDS[parent]} ${Number(part) + 1}`);
    } else if (part === "action" && i < parts.length - 1) {
      // "Option 3 › Target", not "Option 3 › Action › Target": the action's kind goes without saying.
    } else if (part === "menu" && parent === "action") {
      words.push("Submenu");
    } else {
      words.push(WORDS[part] ?? part);
    }
  }
  return words.join(" › ");
}
