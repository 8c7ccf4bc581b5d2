import { type FormEvent, useId, useState } from "react";
import { describeError } from "../errors/describe-error.js";
import { Logo } from "../ui/icons.js";
import { TENANT_KEY } from "./session.js";
import { useSession } from "./session-context.js";

const REASONS = {
  signed_out: "You have signed out.",
  expired: "Your session has expired. Please sign in again.",
  unauthorized: "Your session is no longer valid. Please sign in again.",
} as const;

export function SignInPage({ audience }: { audience: string }) {
  const { signIn, reason } = useSession();
  const [tenant, setTenant] = useState(() => globalThis.localStorage?.getItem(TENANT_KEY) ?? "demo");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const id = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(tenant.trim(), email.trim(), password);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  const problem = error === undefined ? undefined : describeError(error);
  return (
    <main className="auth-page">
      <form className="auth-card" onSubmit={submit} aria-labelledby={`${id}-title`}>
        <div className="auth-brand">
          <Logo size={32} />
          <span>Switchboard</span>
        </div>
        <h1 className="auth-title" id={`${id}-title`}>
          Sign in to the {audience.toLowerCase()}
        </h1>
        {reason && !problem ? <p className="notice notice-info">{REASONS[reason]}</p> : null}
        {problem ? (
          <div className="notice notice-error" role="alert">
            <strong>{problem.status === 401 ? "Wrong email or password" : problem.title}</strong>
            {problem.detail && problem.status !== 401 ? <span>{problem.detail}</span> : null}
          </div>
        ) : null}
        <div className="field">
          <label className="field-label" htmlFor={`${id}-tenant`}>
            Workspace
          </label>
          <input
            id={`${id}-tenant`}
            className="input"
            value={tenant}
            onChange={(e) => setTenant(e.target.value)}
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            required
          />
        </div>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-email`}>
            Email
          </label>
          <input
            id={`${id}-email`}
            className="input"
            type="email"
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
          />
        </div>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-password`}>
            Password
          </label>
          <input
            id={`${id}-password`}
            className="input"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </div>
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
