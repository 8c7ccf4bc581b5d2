/** Feedback on a draft's length against the entry point's limit, in characters as the server counts them. */
export interface LengthFeedback {
  readonly length: number;
  readonly max: number;
  /** Show the counter: close to the limit or past it. */
  readonly showCounter: boolean;
  readonly over: boolean;
  /** Shown under the composer when over the limit. */
  readonly message: string | undefined;
}

/** The counter appears at this share of the limit. */
const SHOW_AT = 0.8;

export function lengthFeedback(draft: string, max: number): LengthFeedback {
  // The server counts UTF-16 code units (JavaScript's and zod's string length), so the widget does too.
  const length = draft.length;
  const over = length > max;
  return {
    length,
    max,
    showCounter: length >= max * SHOW_AT,
    over,
    message: over
      ? `Your message is ${length - max} character${length - max === 1 ? "" : "s"} too long (the limit is ${max}).`
      : undefined,
  };
}

/** Whether a draft has anything to send: text that is not only whitespace, or files. */
export const canSend = (draft: string, fileCount: number, max: number): boolean =>
  (draft.trim() !== "" || fileCount > 0) && draft.length <= max;
