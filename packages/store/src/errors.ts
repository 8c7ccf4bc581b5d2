import { DomainError } from "@switchboard/core";

/** A database failure that is not an expected outcome: the driver's error is its `cause`. */
export class StoreError extends Error {
  override readonly name = "StoreError";
}

interface DriverError {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly table?: unknown;
  readonly detail?: unknown;
}

const driverError = (error: unknown): DriverError => (typeof error === "object" && error !== null ? error : {});

/**
 * The unique constraint a statement broke, named the same on both dialects: `table(col1,col2)`.
 * SQLite says `UNIQUE constraint failed: users.tenant_id, users.email`; PostgreSQL gives the
 * table and `Key (tenant_id, email)=(...) already exists.`
 */
export function uniqueViolation(error: unknown): string | undefined {
  const e = driverError(error);
  const message = typeof e.message === "string" ? e.message : "";
  if (e.code === "SQLITE_CONSTRAINT_UNIQUE" || e.code === "SQLITE_CONSTRAINT_PRIMARYKEY") {
    const columns = message
      .slice(message.indexOf(":") + 1)
      .split(",")
      .map((c) => c.trim());
    const table = columns[0]?.split(".")[0] ?? "";
    return `${table}(${columns.map((c) => c.slice(c.indexOf(".") + 1)).join(",")})`;
  }
  if (e.code === "23505" && typeof e.table === "string" && typeof e.detail === "string") {
    const columns = /^Key \(([^)]*)\)=/.exec(e.detail)?.[1] ?? "";
    return `${e.table}(${columns
      .split(",")
      .map((c) => c.trim())
      .join(",")})`;
  }
  return undefined;
}

export function isForeignKeyViolation(error: unknown): boolean {
  const { code } = driverError(error);
  return code === "SQLITE_CONSTRAINT_FOREIGNKEY" || code === "23503";
}

const UNAVAILABLE_CODES = new Set([
  "SQLITE_BUSY",
  "SQLITE_LOCKED",
  "SQLITE_FULL",
  "SQLITE_IOERR",
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "53300",
  "57P01",
  "57P02",
  "57P03",
]);

function isUnavailable(error: unknown): boolean {
  const { code, message } = driverError(error);
  if (typeof code === "string" && (UNAVAILABLE_CODES.has(code) || code.startsWith("08") || code.startsWith("SQLITE_BUSY")))
    return true;
  // pg reports a lost connection without a code.
  return typeof message === "string" && /Connection terminated|timeout exceeded when trying to connect/.test(message);
}

/**
 * What a store method throws: the core's errors pass through; a busy or unreachable database is
 * `store.unavailable` (retry later); anything else is a `StoreError` wrapping the driver's error.
 */
export function storeFailure(error: unknown, action: string): Error {
  if (error instanceof DomainError || error instanceof StoreError) return error;
  if (isUnavailable(error)) {
    return new DomainError("store.unavailable", "unavailable", "The database is unavailable; try again shortly.", [], {
      cause: error,
    });
  }
  return new StoreError(`Could not ${action}.`, { cause: error });
}

/** Runs a store method, turning whatever the driver throws into `storeFailure`. */
export async function guard<T>(action: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw storeFailure(error, action);
  }
}
