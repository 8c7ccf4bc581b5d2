import type { SignInResponse, User } from "@switchboard/protocol";

/** A signed-in user: the access token from `POST /v1/auth/sign-in`, and who it belongs to. */
export interface Session {
  readonly token: string;
  readonly expiresAt: string;
  readonly tenant: string;
  readonly user: User;
}

/** Why the sign-in page is showing: the user signed out, or the server stopped accepting the token. */
export type SignedOutReason = "signed_out" | "expired" | "unauthorized";

/** The key the session is kept under in sessionStorage: per browser tab, gone when the tab closes. */
export const SESSION_KEY = "switchboard.session";
/** The last tenant signed in to, kept in localStorage so the form is prefilled next time. */
export const TENANT_KEY = "switchboard.tenant";

/** The storage calls the session needs; `window.sessionStorage` fits, so does a Map-backed fake. */
export type KeyValueStore = Pick<Storage, "getItem" | "setItem" | "removeItem">;

export const sessionFrom = (tenant: string, response: SignInResponse): Session => ({
  token: response.token,
  expiresAt: response.expiresAt,
  tenant,
  user: response.user,
});

export function isExpired(session: Session, now: number = Date.now()): boolean {
  const at = Date.parse(session.expiresAt);
  return Number.isNaN(at) || at <= now;
}

/** The stored session, if there is one that parses and has not expired. */
export function loadSession(store: KeyValueStore, now: number = Date.now()): Session | undefined {
  let value: unknown;
  try {
    value = JSON.parse(store.getItem(SESSION_KEY) ?? "null");
  } catch {
    return undefined;
  }
  if (!isSession(value) || isExpired(value, now)) return undefined;
  return value;
}

export function saveSession(store: KeyValueStore, session: Session): void {
  store.setItem(SESSION_KEY, JSON.stringify(session));
}

export function clearSession(store: KeyValueStore): void {
  store.removeItem(SESSION_KEY);
}

function isSession(value: unknown): value is Session {
  if (typeof value !== "object" || value === null) return false;
  const s = value as Record<string, unknown>;
  const user = s.user as Record<string, unknown> | null | undefined;
  return (
    typeof s.token === "string" &&
    typeof s.expiresAt === "string" &&
    typeof s.tenant === "string" &&
    typeof user === "object" &&
    user !== null &&
    typeof user.id === "string" &&
    typeof user.email === "string" &&
    typeof user.role === "string"
  );
}
