import { SwitchboardError } from "@switchboard/sdk";

/** What the UI shows for a failed request: the server's problem `detail` when there is one. */
export interface ErrorDescription {
  title: string;
  detail: string | undefined;
  /** For validation errors: the fields at fault. */
  fields: { field: string; message: string }[];
  status: number | undefined;
}

export function describeError(error: unknown): ErrorDescription {
  if (error instanceof SwitchboardError) {
    return { title: error.problem.title, detail: error.problem.detail, fields: error.errors, status: error.status };
  }
  // fetch rejects with a TypeError when there is no answer at all.
  if (error instanceof TypeError) {
    return {
      title: "Can't reach the server",
      detail: "Check your connection and try again.",
      fields: [],
      status: undefined,
    };
  }
  if (error instanceof Error) return { title: "Something went wrong", detail: error.message, fields: [], status: undefined };
  return { title: "Something went wrong", detail: undefined, fields: [], status: undefined };
}

/** The message for one form field from a validation error (`name`, or `businessHours.weekly.1`). */
export function fieldError(error: unknown, field: string): string | undefined {
  if (!(error instanceof SwitchboardError)) return undefined;
  return error.errors.find((e) => e.field === field || e.field.startsWith(`${field}.`) || e.field.startsWith(`${field}[`))
    ?.message;
}

export const isAbort = (error: unknown): boolean => error instanceof DOMException && error.name === "AbortError";
