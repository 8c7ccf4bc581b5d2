import { type FormEvent, type ReactNode, useCallback, useState } from "react";
import { coveredByFields, fieldError } from "../errors/describe-error.js";
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

export interface EditorForm<F> {
  form: F;
  /** Changes some of the form's values. */
  set: (change: Partial<F>) => void;
  /** The form's own problems by field, once a save was tried (none before: nobody is told off while typing). */
  shown: Record<string, string>;
  /** What to say at a field: the form's own problem once a save was tried, else the server's for that field. */
  error: (field: string) => string | undefined;
  /** The save's and the delete's state, for `DialogForm`. */
  submission: Submission;
  /** Shows the form's own problems, and runs the save only when there are none. */
  save: (action: () => Promise<void>) => void;
}

/**
 * The state of a dialog's form: its values, its own checks (`validate`: a message by field, none when
 * fine) and the server's answer to a save, shared by every dialog that edits one thing.
 */
export function useEditorForm<F extends object>(
  initial: F | (() => F),
  validate: (form: F) => Record<string, string>,
): EditorForm<F> {
  const submission = useSubmission();
  const [form, setForm] = useState<F>(initial);
  const [tried, setTried] = useState(false);
  const problems = validate(form);
  const shown = tried ? problems : {};
  return {
    form,
    set: (change) => setForm((f) => ({ ...f, ...change })),
    shown,
    error: (field) => shown[field] ?? fieldError(submission.error, field),
    submission,
    save: (action) => {
      setTried(true);
      if (Object.keys(problems).length === 0) void submission.run(action);
    },
  };
}

/**
 * Saves what an editor's form says through the API's resource (`client.queues`, …): creates the thing
 * from `form.input()`, or sends `form.patch(existing)`, what changed of the one it edits (when nothing
 * did, no request: the thing as it is).
 */
export async function saveEdits<T extends { readonly id: string }, I, P extends object>(
  api: { create(input: I): Promise<T>; update(id: string, patch: P): Promise<T> },
  existing: T | undefined,
  form: { input: () => I; patch: (existing: T) => P },
): Promise<T> {
  if (!existing) return api.create(form.input());
  const patch = form.patch(existing);
  return Object.keys(patch).length === 0 ? existing : api.update(existing.id, patch);
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
  busyLabel = "Saving…",
  submission,
  fields = [],
  remove,
  children,
}: {
  onSubmit: () => void;
  onCancel: () => void;
  submitLabel: string;
  /** The submit button's text while the action runs. */
  busyLabel?: string;
  submission: Submission;
  /** The fields whose server errors the editor shows beside their controls. */
  fields?: readonly string[];
  /** A Delete button ("Delete", then `confirmLabel`), for an existing thing: runs `action` like a save. */
  remove?: { confirmLabel: string; action: () => Promise<void> } | undefined;
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
          <ConfirmButton
            label="Delete"
            confirmLabel={remove.confirmLabel}
            onConfirm={() => void submission.run(remove.action)}
            disabled={busy}
          />
        ) : null}
        <span className="spacer" />
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? busyLabel : submitLabel}
        </button>
      </footer>
    </form>
  );
}
