import type { CallRecord } from "@switchboard/protocol";

const HOUR = 3_600_000;
/** Bucket sizes in hours, smallest first: the first that keeps the chart to `maxBars` is used. */
const SIZES = [1, 2, 3, 6, 12, 24, 48, 168] as const;

export interface VolumeBar {
  /** Start of the bucket (epoch ms, local time aligned). */
  start: number;
  answered: number;
  unanswered: number;
}

export interface CallVolume {
  /** Hours per bar. */
  hours: number;
  bars: VolumeBar[];
  /** The tallest bar's count. */
  max: number;
}

/** Local midnight before `at`. */
const midnight = (at: number): number => {
  const d = new Date(at);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
};

/**
 * Calls per hour over the calls given (a page of the list): one bar per hour from the first call's hour to
 * the last's, empty hours included, split into answered and not answered. A page spanning days gets wider
 * buckets (2, 3, 6, 12 hours, a day, a week), so the chart keeps at most `maxBars` bars; a page within a few
 * hours shows the `minBars` hours up to its last, so that one busy hour is seen against the quiet ones.
 */
export function callVolume(
  calls: readonly Pick<CallRecord, "startedAt" | "answeredAt">[],
  { minBars = 12, maxBars = 48 }: { minBars?: number; maxBars?: number } = {},
): CallVolume {
  const times = calls.map((c) => Date.parse(c.startedAt)).filter(Number.isFinite);
  if (times.length === 0) return { hours: 1, bars: [], max: 0 };
  const first = Math.min(...times);
  const last = Math.max(...times);
  const hours = SIZES.find((h) => Math.ceil((last - first) / (h * HOUR) + 1) <= maxBars) ?? 168;
  const size = hours * HOUR;
  // Buckets line up with the clock: hours from local midnight, a day at midnight, a week from the first day.
  const origin = midnight(first);
  const firstBucket = hours >= 24 ? origin : origin + Math.floor((first - origin) / size) * size;
  const spanned = Math.floor((last - firstBucket) / size) + 1;
  const count = Math.max(spanned, Math.min(minBars, maxBars));
  const start = firstBucket - (count - spanned) * size;
  const bars: VolumeBar[] = Array.from({ length: count }, (_, i) => ({ start: start + i * size, answered: 0, unanswered: 0 }));
  calls.forEach((call) => {
    const at = Date.parse(call.startedAt);
    if (!Number.isFinite(at)) return;
    const bar = bars[Math.min(count - 1, Math.floor((at - start) / size))];
    if (!bar) return;
    if (call.answeredAt === null) bar.unanswered += 1;
    else bar.answered += 1;
  });
  return { hours, bars, max: Math.max(0, ...bars.map((b) => b.answered + b.unanswered)) };
}

/** The top of the chart's scale and its gridlines: whole calls, about four steps. */
export function scale(max: number): { top: number; ticks: number[] } {
  if (max <= 4) return { top: Math.max(1, max), ticks: Array.from({ length: Math.max(1, max) + 1 }, (_, i) => i) };
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((s) => s * magnitude >= rough) ?? 10) * magnitude;
  const top = Math.ceil(max / step) * step;
  return { top, ticks: Array.from({ length: top / step + 1 }, (_, i) => i * step) };
}

/** "per hour", "per 6 hours", "per day", "per week". */
export function bucketLabel(hours: number): string {
  if (hours === 1) return "per hour";
  if (hours === 24) return "per day";
  if (hours === 168) return "per week";
  if (hours % 24 === 0) return `per ${hours / 24} days`;
  return `per ${hours} hours`;
}
