import { DomainError, type Page } from "@switchboard/core";

/**
 * A list position as the page cursor clients get back: `<createdAt ISO>|<id>`. The in-memory fakes
 * in `@switchboard/core/testing` use the same text, so cursors behave alike everywhere.
 */
export interface Position {
  readonly createdAt: string;
  readonly id: string;
}

export const encodeCursor = (p: Position): string => `${p.createdAt}|${p.id}`;

export function decodeCursor(cursor: string): Position {
  const bar = cursor.indexOf("|");
  const createdAt = cursor.slice(0, bar);
  const id = cursor.slice(bar + 1);
  const time = new Date(createdAt);
  if (bar < 0 || id === "" || Number.isNaN(time.getTime()) || time.toISOString() !== createdAt) {
    throw new DomainError("page.invalid_cursor", "invalid", "The page cursor is not one this list returned.", [
      { field: "after", message: "a `next` value from a previous page" },
    ]);
  }
  return { createdAt, id };
}

/** Rows are fetched with `limit + 1`: the extra row only says whether there is a next page. */
export function pageFrom<R extends { created_at: string; id: string }, T>(
  rows: readonly R[],
  limit: number,
  map: (row: R) => T,
): Page<T> {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(map),
    next: rows.length > limit && last !== undefined ? encodeCursor({ createdAt: last.created_at, id: last.id }) : null,
  };
}

export const pageLimit = (limit: number): number => Math.max(1, Math.floor(limit));
