import { type FormEvent, type ReactNode, useCallback, useState } from "react";
import { coveredByFields } from "../errors/describe-error.js";
import { ErrorNotice } from "./feedback.js";
import { ConfirmButton } from "./page.js";

export interface Submission {
  /** True while an action runs: buttons are disabled meanwhile. */
  busy: boolean;
  /** The last action's failure (a problem from the server, or no answer); cleared when the next starts. */
  error: unknown;
  /** Runs a save or a delete: busy while it runs, its failure kept in `error` instead of thrown. */
  run: (action: () => Promise<void>) => Promise<void>;
}

/** The state of an editor's save and delete, shared by every dialog that edits one thing. */
export function useSubmission(): Submission {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const run = useCallback(async (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}

/**
 * The body and footer of a dialog that edits one thing: its fields, then the server's error unless each
 * field it names shows its own message beside its control, then Delete (asking once more), Cancel and
 * Save. Submitting calls `onSubmit` (Enter in a field too); the editor checks its fields there.
 */
export function DialogForm({
  onSubmit,
  onCancel,
  submitLabel,
  submission,
  fields = [],
  remove,
  children,
}: {
  onSubmit: () => void;
  onCancel: () => void;
  submitLabel: string;
  submission: Pick<Submission, "busy" | "error">;
  /** The fields whose server errors the editor shows beside their controls. */
  fields?: readonly string[];
  /** A Delete button, for an existing thing. */
  remove?: { label: string; confirmLabel: string; onConfirm: () => void };
  children: ReactNode;
}) {
  const { busy, error } = submission;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!busy) onSubmit();
  };
  return (
    <form className="dialog-form" onSubmit={submit} noValidate>
      <div className="dialog-body stack-sm">
        {children}
        {error && !coveredByFields(error, fields) ? <ErrorNotice error={error} /> : null}
      </div>
      <footer className="dialog-footer">
        {remove ? (
          <ConfirmButton label={remove.label} confirmLabel={remove.confirmLabel} onConfirm={remove.onConfirm} disabled={busy} />
        ) : null}
        <span className="spacer" />
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Saving…" : submitLabel}
        </button>
      </footer>
    </form>
  );
}
