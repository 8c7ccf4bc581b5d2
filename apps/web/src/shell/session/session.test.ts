import type { User } from "@switchboard/protocol";
import { describe, expect, it } from "vitest";
import { clearSession, isExpired, type KeyValueStore, loadSession, SESSION_KEY, saveSession, sessionFrom } from "./session.js";

const user: User = {
  id: "usr_1",
  email: "ada@example.com",
  displayName: "Ada",
  role: "admin",
  identityId: "idn_1",
  createdAt: "2025-01-01T00:00:00.000Z",
};
const now = Date.parse("2025-06-01T12:00:00.000Z");

function memoryStore(): KeyValueStore & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    values,
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => void values.set(key, value),
    removeItem: (key) => void values.delete(key),
  };
}

describe("session storage", () => {
  it("keeps a signed-in session and gives it back until it expires", () => {
    const store = memoryStore();
    const session = sessionFrom("demo", { token: "at_1", expiresAt: "2025-06-01T13:00:00.000Z", user });
    saveSession(store, session);
    expect(loadSession(store, now)).toEqual(session);
    expect(loadSession(store, Date.parse("2025-06-01T13:00:00.000Z"))).toBeUndefined();
    clearSession(store);
    expect(store.values.has(SESSION_KEY)).toBe(false);
    expect(loadSession(store, now)).toBeUndefined();
  });

  it("ignores what it cannot read: broken JSON, another shape, a bad date", () => {
    const store = memoryStore();
    store.setItem(SESSION_KEY, "{not json");
    expect(loadSession(store, now)).toBeUndefined();
    store.setItem(SESSION_KEY, JSON.stringify({ token: "at_1", expiresAt: "2025-06-01T13:00:00.000Z" }));
    expect(loadSession(store, now)).toBeUndefined();
    store.setItem(SESSION_KEY, JSON.stringify({ token: "at_1", expiresAt: "soon", tenant: "demo", user }));
    expect(loadSession(store, now)).toBeUndefined();
  });

  it("counts a session as expired at its expiry instant", () => {
    const session = sessionFrom("demo", { token: "t", expiresAt: "2025-06-01T12:00:00.000Z", user });
    expect(isExpired(session, now - 1)).toBe(false);
    expect(isExpired(session, now)).toBe(true);
  });
});
