import type { SwitchboardClient } from "@switchboard/sdk";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { anonymousClient, createApiClient } from "./api-client.js";
import {
  clearSession,
  loadSession,
  type Session,
  type SignedOutReason,
  saveSession,
  sessionFrom,
  TENANT_KEY,
} from "./session.js";

interface SessionState {
  session: Session | undefined;
  /** Set once signed out: what the sign-in page tells the user. */
  reason: SignedOutReason | undefined;
  signIn: (tenant: string, email: string, password: string) => Promise<Session>;
  signOut: (reason?: SignedOutReason) => void;
}

const SessionContext = createContext<SessionState | undefined>(undefined);
const ClientContext = createContext<SwitchboardClient | undefined>(undefined);

const baseUrl = () => globalThis.location.origin;
// Timers hold at most 2^31 - 1 ms; a longer wait fires at once.
const MAX_TIMER_MS = 2_147_483_647;

/** Holds the signed-in user (kept in sessionStorage) and the API client that acts as them. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | undefined>(() => loadSession(globalThis.sessionStorage));
  const [reason, setReason] = useState<SignedOutReason | undefined>(undefined);

  const signOut = useCallback((why: SignedOutReason = "signed_out") => {
    clearSession(globalThis.sessionStorage);
    setSession(undefined);
    setReason(why);
  }, []);

  const signIn = useCallback(async (tenant: string, email: string, password: string) => {
    const response = await anonymousClient(baseUrl()).auth.signIn({ tenant, email, password });
    const next = sessionFrom(tenant, response);
    saveSession(globalThis.sessionStorage, next);
    globalThis.localStorage?.setItem(TENANT_KEY, tenant);
    setSession(next);
    setReason(undefined);
    return next;
  }, []);

  useEffect(() => {
    if (!session) return;
    const ms = Date.parse(session.expiresAt) - Date.now();
    const timer = globalThis.setTimeout(() => signOut("expired"), Math.min(Math.max(ms, 0), MAX_TIMER_MS));
    return () => globalThis.clearTimeout(timer);
  }, [session, signOut]);

  const client = useMemo(
    () =>
      session
        ? createApiClient({ baseUrl: baseUrl(), token: session.token, onUnauthorized: () => signOut("unauthorized") })
        : undefined,
    [session, signOut],
  );

  const state = useMemo(() => ({ session, reason, signIn, signOut }), [session, reason, signIn, signOut]);
  return (
    <SessionContext.Provider value={state}>
      <ClientContext.Provider value={client}>{children}</ClientContext.Provider>
    </SessionContext.Provider>
  );
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error("useSession needs a SessionProvider");
  return state;
}

/** The API client of the signed-in user; only below a RequireSession. */
export function useClient(): SwitchboardClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error("useClient needs a signed-in session");
  return client;
}

/** The token, for URLs that cannot carry a header (attachment downloads). */
export function useToken(): string {
  const { session } = useSession();
  if (!session) throw new Error("useToken needs a signed-in session");
  return session.token;
}
