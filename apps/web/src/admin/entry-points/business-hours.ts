import type { BusinessHours } from "@switchboard/protocol";

export type Interval = [string, string];

/** The weekdays in the order a week is shown (Monday first), with the protocol's keys ("0" = Sunday). */
export const WEEKDAYS: readonly { key: string; label: string; short: string }[] = [
  { key: "1", label: "Monday", short: "Mon" },
  { key: "2", label: "Tuesday", short: "Tue" },
  { key: "3", label: "Wednesday", short: "Wed" },
  { key: "4", label: "Thursday", short: "Thu" },
  { key: "5", label: "Friday", short: "Fri" },
  { key: "6", label: "Saturday", short: "Sat" },
  { key: "0", label: "Sunday", short: "Sun" },
];

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The browser's own time zone, the default for new hours. */
export function localTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/** Every IANA time zone the browser knows, for the picker; a short list where it cannot tell. */
export function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return ["UTC", "Europe/London", "Europe/Berlin", "America/New_York", "America/Los_Angeles", "Asia/Tokyo"];
  }
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Monday to Friday, nine to five: the starting point when an admin turns business hours on. */
export function defaultBusinessHours(timeZone: string = localTimeZone()): BusinessHours {
  const weekly: Record<string, Interval[]> = {};
  for (const day of ["1", "2", "3", "4", "5"]) weekly[day] = [["09:00", "17:00"]];
  return { timeZone, weekly };
}

/** Problems with the hours, by weekday key ("timeZone" for the zone); empty when they can be saved. */
export function validateBusinessHours(hours: BusinessHours): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!isValidTimeZone(hours.timeZone)) errors.timeZone = "Not a time zone this browser knows, e.g. Europe/Berlin.";
  for (const { key, label } of WEEKDAYS) {
    const intervals = [...(hours.weekly[key] ?? [])].sort((a, b) => a[0].localeCompare(b[0]));
    for (const [from, to] of intervals) {
      if (!TIME.test(from) || !TIME.test(to)) {
        errors[key] = `${label}: use 24-hour times like 09:00.`;
        break;
      }
      if (from >= to) {
        errors[key] = `${label}: ${from}–${to} ends before it starts.`;
        break;
      }
    }
    if (errors[key]) continue;
    for (let i = 1; i < intervals.length; i++) {
      const previous = intervals[i - 1];
      const interval = intervals[i];
      if (previous && interval && interval[0] < previous[1]) {
        errors[key] = `${label}: ${previous[0]}–${previous[1]} and ${interval[0]}–${interval[1]} overlap.`;
        break;
      }
    }
  }
  return errors;
}

/** The hours as they are saved: intervals in order, closed days left out. */
export function normalizeBusinessHours(hours: BusinessHours): BusinessHours {
  const weekly: Record<string, Interval[]> = {};
  for (const { key } of WEEKDAYS) {
    const intervals = (hours.weekly[key] ?? []).map(([from, to]): Interval => [from, to]);
    if (intervals.length > 0) weekly[key] = intervals.sort((a, b) => a[0].localeCompare(b[0]));
  }
  return { timeZone: hours.timeZone.trim(), weekly };
}

/** Whether the entry point is open at `at` (no hours: always); undefined when the time zone is unknown. */
export function isOpenAt(hours: BusinessHours | null, at: Date): boolean | undefined {
  if (hours === null) return true;
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat("en-US", {
      timeZone: hours.timeZone,
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).formatToParts(at);
  } catch {
    return undefined;
  }
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const day = WEEKDAYS.find((d) => d.short === part("weekday"))?.key;
  if (day === undefined) return undefined;
  const time = `${part("hour")}:${part("minute")}`;
  return (hours.weekly[day] ?? []).some(([from, to]) => from <= time && time < to);
}

/** "Mon–Fri 09:00–17:00" style summary of a week, for lists. */
export function summarizeBusinessHours(hours: BusinessHours | null): string {
  if (hours === null) return "Always open";
  const groups: { from: string; to: string; spans: string }[] = [];
  for (const { key, short } of WEEKDAYS) {
    const spans = (hours.weekly[key] ?? []).map(([a, b]) => `${a}–${b}`).join(", ");
    const last = groups.at(-1);
    if (spans !== "" && last && last.spans === spans && isNextDay(last.to, short)) last.to = short;
    else if (spans !== "") groups.push({ from: short, to: short, spans });
  }
  if (groups.length === 0) return "Always closed";
  return groups.map((g) => `${g.from === g.to ? g.from : `${g.from}–${g.to}`} ${g.spans}`).join("; ");
}

function isNextDay(previous: string, day: string): boolean {
  const index = WEEKDAYS.findIndex((d) => d.short === previous);
  return WEEKDAYS[index + 1]?.short === day;
}
