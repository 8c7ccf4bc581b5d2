/**
 * The only error the core throws. `code` is stable and public (clients branch on it);
 * `kind` tells a transport which family of failure this is, without the core knowing HTTP or SIP.
 */
export type ErrorKind =
  | "invalid"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "too_large"
  | "rate_limited"
  | "unavailable";

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `participants.0.id`. */
  readonly field: string;
  readonly message: string;
}

export class DomainError extends Error {
  override readonly name = "DomainError";
  constructor(
    readonly code: string,
    readonly kind: ErrorKind,
    message: string,
    readonly fields: readonly FieldIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const notFound = (what: string, id: string): DomainError =>
  new DomainError(`${what}.not_found`, "not_found", `No ${what.replaceAll("_", " ")} with id ${id}.`);

export const forbidden = (code: string, message: string): DomainError => new DomainError(code, "forbidden", message);

export const invalid = (code: string, message: string, fields: FieldIssue[] = []): DomainError =>
  new DomainError(code, "invalid", message, fields);
