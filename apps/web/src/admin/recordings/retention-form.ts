/** How long call recordings are kept, as the retention form holds it. */
export interface RetentionForm {
  keep: "forever" | "days";
  /** As typed. */
  days: string;
}

/** A suggestion when someone switches from "for ever" to a number of days: a year. */
export const DEFAULT_RETENTION_DAYS = 365;

export function formFromRetention(retentionDays: number | null): RetentionForm {
  return retentionDays === null
    ? { keep: "forever", days: String(DEFAULT_RETENTION_DAYS) }
    : { keep: "days", days: String(retentionDays) };
}

/**
 * What to send: null keeps recordings for ever, else the number typed. Only text that is no number at all
 * stops here (it would go out as null, "for ever"); whether the number is in range is the server's to say.
 */
export function retentionFromForm(form: RetentionForm): { retentionDays: number | null } | { error: string } {
  if (form.keep === "forever") return { retentionDays: null };
  const text = form.days.trim();
  if (!/^-?\d+(\.\d+)?$/.test(text)) return { error: "Enter a number of days." };
  return { retentionDays: Number(text) };
}

/** The setting in words: "Kept for ever", "Kept 30 days", "Kept 1 day". */
export function retentionLabel(retentionDays: number | null): string {
  if (retentionDays === null) return "Kept for ever";
  return `Kept ${retentionDays} ${retentionDays === 1 ? "day" : "days"}`;
}

/** The form's own problems by field (the server's name): only a days field that holds no number. */
export function validateRetention(form: RetentionForm): Record<string, string> {
  const value = retentionFromForm(form);
  return "error" in value ? { retentionDays: value.error } : {};
}
