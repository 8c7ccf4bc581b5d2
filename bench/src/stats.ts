/** Latency percentiles in milliseconds; NaN when nothing was measured. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

/** Nearest-rank percentile of ascending `sorted`; `q` in (0, 1]. */
export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

/** Summarizes latencies (sorts `values` in place). */
export function summarize(values: Float64Array): LatencySummary {
  values.sort();
  return {
    count: values.length,
    p50: percentile(values, 0.5),
    p90: percentile(values, 0.9),
    p99: percentile(values, 0.99),
    max: values.length > 0 ? (values[values.length - 1] ?? Number.NaN) : Number.NaN,
  };
}

/** Rounds to `digits` decimals; NaN and infinities become null (JSON has no NaN). */
export function round(value: number, digits: number): number | null {
  if (!Number.isFinite(value)) return null;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export const formatMs = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : "n/a");

export const formatRate = (value: number): string =>
  Number.isFinite(value) ? `${Math.round(value).toLocaleString("en-US")}/s` : "n/a";

export const formatMiB = (bytes: number | undefined): string =>
  bytes === undefined ? "n/a" : `${(bytes / 2 ** 20).toFixed(0)} MiB`;
