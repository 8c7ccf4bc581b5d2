import type { Role } from "@switchboard/protocol";
import type { ReactNode } from "react";
import { useSession } from "./session-context.js";
import { SignInPage } from "./sign-in-page.js";

/**
 * Shows its children to a signed-in user with one of `roles`, the sign-in page to anyone else. The URL
 * stays as it is, so a deep link opens where it points once the user has signed in.
 */
export function RequireSession({ audience, roles, children }: { audience: string; roles: readonly Role[]; children: ReactNode }) {
  const { session, signOut } = useSession();
  if (!session) return <SignInPage audience={audience} />;
  if (!roles.includes(session.user.role)) {
    return (
      <main className="auth-page">
        <div className="auth-card">
          <h1 className="auth-title">No access to the {audience.toLowerCase()}</h1>
          <p className="muted">
            You are signed in as {session.user.email}, a{session.user.role === "agent" ? "n" : ""} {session.user.role}. The{" "}
            {audience.toLowerCase()} needs the {roles.join(" or ")} role.
          </p>
          <button type="button" className="btn btn-primary btn-block" onClick={() => signOut()}>
            Sign in as someone else
          </button>
        </div>
      </main>
    );
  }
  return children;
}
