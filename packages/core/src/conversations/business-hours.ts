import { localTime, minutesOf } from "../kernel/local-time.js";
import type { BusinessHours } from "./model.js";

/** Whether the schedule is open at the instant (null schedule: always open). */
export function isOpen(hours: BusinessHours | null, at: Date): boolean {
  if (!hours) return true;
  const { weekday, minutes } = localTime(at, hours.timeZone);
  const intervals = hours.weekly[String(weekday)] ?? [];
  return intervals.some(([from, to]) => minutes >= minutesOf(from) && minutes < minutesOf(to));
}
