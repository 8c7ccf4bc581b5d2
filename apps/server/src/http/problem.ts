import { DomainError, type ErrorKind } from "@switchboard/core";
import type { Problem } from "@switchboard/protocol";
import type { FastifyError } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
};

const TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Unauthenticated",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  409: "Conflict",
  413: "Content too large",
  415: "Unsupported media type",
  429: "Too many requests",
  500: "Internal server error",
  503: "Service unavailable",
};

const problem = (status: number, code: string, detail?: string, errors?: Problem["errors"]): Problem => ({
  type: `https://switchboard.dev/problems/${code}`,
  title: TITLES[status] ?? "Error",
  status,
  code,
  ...(detail ? { detail } : {}),
  ...(errors && errors.length > 0 ? { errors } : {}),
});

/** Fastify's own client errors, by their code, to our stable codes. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: "request.body_too_large",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "request.unsupported_media_type",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "request.invalid_content_length",
  FST_ERR_CTP_EMPTY_JSON_BODY: "request.empty_body",
  FST_ERR_CTP_INVALID_JSON_BODY: "request.invalid_json",
};

/**
 * The one mapping from any failure to an RFC 9457 problem. Expected failures keep their stable code;
 * anything unexpected becomes a 500 `internal` without internals leaking.
 */
export function toProblem(error: unknown): Problem {
  if (error instanceof DomainError) {
    return problem(STATUS[error.kind], error.code, error.message, [...error.fields]);
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error as { validationContext?: string }).validationContext ?? "body";
    const errors = error.validation.map((v) => {
      const path = v.instancePath.replace(/^\//, "").replaceAll("/", ".");
      return { field: path ? `${where}.${path}` : where, message: v.message ?? "invalid" };
    });
    return problem(400, "request.invalid", `The request ${where} is not valid.`, errors);
  }
  const fastifyError = error as Partial<FastifyError> & { retryAfterSeconds?: number };
  const status = fastifyError.statusCode;
  if (status === 429) return problem(429, "rate_limited", fastifyError.message);
  if (typeof status === "number" && status >= 400 && status < 500) {
    const code = (fastifyError.code && FASTIFY_CODES[fastifyError.code]) ?? "request.invalid";
    if (fastifyError.code === "FST_ERR_CTP_INVALID_JSON_BODY" || (status === 400 && fastifyError instanceof SyntaxError)) {
      return problem(400, "request.invalid_json", "The request body is not valid JSON.");
    }
    return problem(status, code, fastifyError.message);
  }
  return problem(500, "internal", "Something went wrong on our side; it has been logged.");
}
