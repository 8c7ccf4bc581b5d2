import { DomainError, type Page } from "../src/index.js";

/**
 * The page cursor the fakes hand out: `<createdAt ISO>|<id>`, the same text the SQL stores use,
 * so a test that stores a cursor behaves alike on every implementation.
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

const compare = (a: Position, b: Position): number =>
  a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** One page of `items` in the given order, starting after the cursor; `position` reads an item's place. */
export function pageOf<T>(
  items: readonly T[],
  position: (item: T) => Position,
  options: { after?: string | undefined; limit: number; newestFirst: boolean },
): Page<T> {
  const sign = options.newestFirst ? -1 : 1;
  const after = options.after === undefined ? undefined : decodeCursor(options.after);
  const limit = Math.max(1, Math.floor(options.limit));
  const sorted = [...items]
    .filter((item) => after === undefined || sign * compare(position(item), after) > 0)
    .sort((a, b) => sign * compare(position(a), position(b)));
  const page = sorted.slice(0, limit);
  const last = page.at(-1);
  return { items: page, next: sorted.length > limit && last !== undefined ? encodeCursor(position(last)) : null };
}

/** A position in a list ordered by a text key, then id (customers by name): `<key, URI-encoded>|<id>`, as in the SQL stores. */
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

const compareKeys = (a: KeyPosition, b: KeyPosition): number =>
  a.key < b.key ? -1 : a.key > b.key ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** One page of `items` by key then id, ascending, starting after the cursor. */
export function pageByKey<T>(
  items: readonly T[],
  position: (item: T) => KeyPosition,
  options: { after?: string | undefined; limit: number },
): Page<T> {
  const after = options.after === undefined ? undefined : decodeKeyCursor(options.after);
  const limit = Math.max(1, Math.floor(options.limit));
  const sorted = [...items]
    .filter((item) => after === undefined || compareKeys(position(item), after) > 0)
    .sort((a, b) => compareKeys(position(a), position(b)));
  const page = sorted.slice(0, limit);
  const last = page.at(-1);
  return { items: page, next: sorted.length > limit && last !== undefined ? encodeKeyCursor(position(last)) : null };
}
