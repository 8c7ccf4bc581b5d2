import { type IdentityStore, notFound } from "../src/index.js";

/**
 * What the fakes share to behave like the database: the tenant a row names must exist (the SQL
 * tables reference `tenants`), ids are never reused, and callers get copies in and out.
 */
export interface MemoryStoreOptions {
  /** Where tenants are checked, as the SQL stores' foreign keys do; without it any tenant id is accepted. */
  readonly tenants?: Pick<IdentityStore, "getTenant">;
}

export async function requireTenant(options: MemoryStoreOptions, tenantId: string): Promise<void> {
  if (options.tenants && !(await options.tenants.getTenant(tenantId))) throw notFound("tenant", tenantId);
}

/** A reused id is a bug in the caller (ids come from the id generator), not an expected outcome. */
export function requireNewId(rows: ReadonlyMap<string, unknown>, id: string): void {
  if (rows.has(id)) throw new Error(`Duplicate id ${id}.`);
}

/** A value as it comes back from a JSON column: a deep copy, `undefined` properties dropped. */
export const jsonCopy = <T>(value: T): T => JSON.parse(JSON.stringify(value ?? null)) as T;

export const copyDate = (d: Date): Date => new Date(d);
export const copyDateOrNull = (d: Date | null): Date | null => (d === null ? null : new Date(d));

/** Byte-wise, as the SQL stores' `order by` on a PostgreSQL database with a `C` collation (and SQLite). */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Oldest first, ties by id: the order of the SQL stores' `order by created_at, id`. */
export const byCreation = <T extends { readonly createdAt: Date; readonly id: string }>(a: T, b: T): number =>
  a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
