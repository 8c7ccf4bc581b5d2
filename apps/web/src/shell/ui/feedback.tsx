import type { ReactNode } from "react";
import { describeError } from "../errors/describe-error.js";
import type { Tone } from "./tone.js";

/** A failed request, with the server's explanation and, where it helps, a way to try again. */
export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { title, detail, fields } = describeError(error);
  return (
    <div className="notice notice-error" role="alert">
      <div className="notice-body">
        <strong>{title}</strong>
        {detail ? <span>{detail}</span> : null}
        {fields.length > 0 ? (
          <ul className="notice-fields">
            {fields.map((f) => (
              <li key={`${f.field}:${f.message}`}>
                <code>{f.field}</code> {f.message}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      {onRetry ? (
        <button type="button" className="btn btn-sm" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

/** Placeholder rows while a list loads: the page keeps its shape. */
export function SkeletonRows({ rows = 4 }: { rows?: number }) {
  return (
    <div className="skeleton-list" role="status" aria-label="Loading">
      {Array.from({ length: rows }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
        <div key={i} className="skeleton-row">
          <span className="skeleton skeleton-title" />
          <span className="skeleton skeleton-text" />
        </div>
      ))}
    </div>
  );
}

export function EmptyState({
  icon,
  title,
  children,
  action,
}: {
  icon?: ReactNode;
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="empty-state">
      {icon ? <div className="empty-icon">{icon}</div> : null}
      <h2 className="empty-title">{title}</h2>
      {children ? <p className="muted">{children}</p> : null}
      {action ? <div className="empty-action">{action}</div> : null}
    </div>
  );
}

export function Badge({ tone = "neutral", children }: { tone?: Tone; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}
