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

/**
 * The message for one form field from a validation error (`name`, or `businessHours.weekly.1`). The request
 * schema names fields from the body (`body.name`), the domain by themselves (`name`): both match.
 */
export function fieldError(error: unknown, field: string): string | undefined {
  return fieldErrors(error, field)[0];
}

/** Every message for a field and the fields under it (`inbound.allowList` has one per bad line). */
export function fieldErrors(error: unknown, field: string): string[] {
  if (!(error instanceof SwitchboardError)) return [];
  return error.errors.filter((e) => isUnder(e.field, field)).map((e) => e.message);
}

/**
 * Whether a form shows every field an error names next to its control; if so, a notice repeating them adds
 * nothing. Errors without fields (a conflict, a network failure) are never covered.
 */
export function coveredByFields(error: unknown, fields: readonly string[]): boolean {
  if (!(error instanceof SwitchboardError) || error.errors.length === 0) return false;
  return error.errors.every((e) => fields.some((field) => isUnder(e.field, field)));
}

const isUnder = (name: string, field: string): boolean => {
  const bare = name.replace(/^body\./, "");
  return bare === field || bare.startsWith(`${field}.`) || bare.startsWith(`${field}[`);
};

export const isAbort = (error: unknown): boolean => error instanceof DOMException && error.name === "AbortError";
