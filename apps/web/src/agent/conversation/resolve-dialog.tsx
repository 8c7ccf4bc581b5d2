import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from "react";
import { wrapUpLabel } from "../../shell/conversations/conversation-labels.js";
import { Dialog } from "../../shell/ui/dialog.js";
import { ErrorNotice } from "../../shell/ui/feedback.js";

/** Ends the conversation with a wrap-up code from its queue (digits 1-9 pick one, Enter resolves). */
export function ResolveDialog({
  open,
  onClose,
  customer,
  codes,
  onResolve,
}: {
  open: boolean;
  onClose: () => void;
  customer: string;
  codes: readonly string[];
  onResolve: (wrapUpCode: string | undefined) => Promise<void>;
}) {
  return (
    <Dialog open={open} onClose={onClose} title="Resolve the conversation">
      {/* Mounted only while open: every opening starts from the first code. */}
      {open ? <ResolveForm customer={customer} codes={codes} onResolve={onResolve} onClose={onClose} /> : null}
    </Dialog>
  );
}

function ResolveForm({
  customer,
  codes,
  onResolve,
  onClose,
}: {
  customer: string;
  codes: readonly string[];
  onResolve: (wrapUpCode: string | undefined) => Promise<void>;
  onClose: () => void;
}) {
  const [code, setCode] = useState<string | undefined>(codes[0]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const firstRef = useRef<HTMLInputElement>(null);

  // The keyboard starts on the codes: arrows or digits choose, Enter resolves.
  useEffect(() => firstRef.current?.focus(), []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await onResolve(code);
      onClose();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const digit = /^[1-9]$/.test(event.key) ? Number(event.key) - 1 : -1;
    const chosen = codes[digit];
    if (chosen !== undefined && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      setCode(chosen);
    }
  };

  return (
    <form className="dialog-form" onSubmit={submit} onKeyDown={onKeyDown}>
      <div className="dialog-body stack-sm">
        <p className="muted">The chat with {customer} ends for both of you, and it leaves your list. How did it end?</p>
        {codes.length > 0 ? (
          <fieldset className="choice-group">
            <legend className="field-label">Wrap-up code</legend>
            <div className="choice-list">
              {codes.map((c, index) => (
                <label key={c} className={`choice${code === c ? " choice-selected" : ""}`}>
                  <input
                    type="radio"
                    name="wrap-up"
                    value={c}
                    checked={code === c}
                    onChange={() => setCode(c)}
                    ref={index === 0 ? firstRef : undefined}
                  />
                  <span className="choice-label">{wrapUpLabel(c)}</span>
                  {index < 9 ? <kbd className="kbd">{index + 1}</kbd> : null}
                </label>
              ))}
            </div>
          </fieldset>
        ) : (
          <p className="muted">This queue has no wrap-up codes.</p>
        )}
        {error ? <ErrorNotice error={error} /> : null}
      </div>
      <footer className="dialog-footer">
        <span className="spacer" />
        <button type="button" className="btn btn-ghost" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Resolving…" : "Resolve"}
        </button>
      </footer>
    </form>
  );
}
