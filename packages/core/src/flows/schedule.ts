import { localTime, minutesOf } from "../kernel/local-time.js";
import type { Schedule, SchedulePeriod } from "./model.js";

/**
 * Which flow answers at `at`: a holiday (its local date is in the list) wins over the weekly hours;
 * otherwise business hours when the local time falls in one of the weekday's ranges, else after hours.
 * No schedule: business hours around the clock.
 */
export function schedulePeriod(schedule: Schedule | null, at: Date): SchedulePeriod {
  if (!schedule) return "business_hours";
  const local = localTime(at, schedule.timeZone);
  if (schedule.holidays.some((h) => h.date === local.date)) return "holiday";
  const ranges = schedule.weekly[String(local.weekday)] ?? [];
  const open = ranges.some(([from, to]) => local.minutes >= minutesOf(from) && local.minutes < minutesOf(to));
  return open ? "business_hours" : "after_hours";
}
