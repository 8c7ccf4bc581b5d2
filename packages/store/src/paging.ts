import { DomainError, type Page } from "@switchboard/core";

/**
 * A list position as the page cursor clients get back: `<createdAt ISO>|<id>`. The in-memory fakes
 * in `@switchboard/core/testing` use the same text, so cursors behave alike everywhere.
 */
export interface Position {
  readonly createdAt: string;
  readonly id: string;
}

const invalidCursor = () =>
  new DomainError("page.invalid_cursor", "invalid", "The page cursor is not one this list returned.", [
    { field: "after", message: "a `next` value from a previous page" },
  ]);

export const encodeCursor = (p: Position): string => `${p.createdAt}|${p.id}`;

export function decodeCursor(cursor: string): Position {
  const bar = cursor.indexOf("|");
  const createdAt = cursor.slice(0, bar);
  const id = cursor.slice(bar + 1);
  const time = new Date(createdAt);
  if (bar < 0 || id === "" || Number.isNaN(time.getTime()) || time.toISOString() !== createdAt) {
    throw invalidCursor();
  }
  return { createdAt, id };
}

/**
 * A position in a list ordered by a text key, then id (customers by name): `<key, URI-encoded>|<id>`.
 * Encoding the key keeps a `|` in a name from splitting the cursor in the wrong place.
 */
export interface KeyPosition {
  readonly key: string;
  readonly id: string;
}

export const encodeKeyCursor = (p: KeyPosition): string => `${encodeURIComponent(p.key)}|${p.id}`;

export function decodeKeyCursor(cursor: string): KeyPosition {
  const bar = cursor.indexOf("|");
  const id = cursor.slice(bar + 1);
  if (bar < 0 || id === "") throw invalidCursor();
  try {
    return { key: decodeURIComponent(cursor.slice(0, bar)), id };
  } catch {
    throw invalidCursor();
  }
}

/** Rows are fetched with `limit + 1`: the extra row only says whether there is a next page. */
export function pageBy<R, T>(rows: readonly R[], limit: number, map: (row: R) => T, cursorOf: (row: R) => string): Page<T> {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { items: page.map(map), next: rows.length > limit && last !== undefined ? cursorOf(last) : null };
}

/** A page of a list ordered by creation, its cursor `<createdAt>|<id>`. */
export const pageFrom = <R extends { created_at: string; id: string }, T>(
  rows: readonly R[],
  limit: number,
  map: (row: R) => T,
): Page<T> => pageBy(rows, limit, map, (r) => encodeCursor({ createdAt: r.created_at, id: r.id }));

export const pageLimit = (limit: number): number => Math.max(1, Math.floor(limit));
