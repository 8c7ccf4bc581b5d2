import { type KeyboardEvent, type ReactNode, useId, useRef, useState } from "react";
import { CloseIcon, PlusIcon } from "./icons.js";

interface FieldControl {
  id: string;
  /** For the control's aria-describedby: the hint and the error. */
  describedBy: string | undefined;
  invalid: boolean;
}

/** A labelled form control with an optional hint and error; the control is rendered by `children`. */
export function Field({
  label,
  hint,
  error,
  children,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  children: (control: FieldControl) => ReactNode;
}) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field${error ? " field-invalid" : ""}`}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children({ id, describedBy, invalid: error !== undefined })}
      {hint ? (
        <span className="field-hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      {error ? (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      ) : null}
    </div>
  );
}

/** An on/off switch with its label beside it. */
export function Toggle({
  checked,
  onChange,
  label,
  description,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  label: string;
  description?: ReactNode;
}) {
  const id = useId();
  return (
    <div className="toggle-row">
      <button
        type="button"
        role="switch"
        aria-checked={checked}
        aria-labelledby={`${id}-label`}
        aria-describedby={description ? `${id}-desc` : undefined}
        className="toggle"
        onClick={() => onChange(!checked)}
      >
        <span className="toggle-thumb" />
      </button>
      <div className="toggle-text">
        <span id={`${id}-label`} className="toggle-label">
          {label}
        </span>
        {description ? (
          <span id={`${id}-desc`} className="field-hint">
            {description}
          </span>
        ) : null}
      </div>
    </div>
  );
}

/**
 * Edits a list of short strings (allowed origins, alternative phrasings): each is a row with a remove
 * button; a new one is typed below and added with Enter or the Add button.
 */
export function ListEditor({
  label,
  values,
  onChange,
  placeholder,
  hint,
  normalize,
  emptyText,
}: {
  label: string;
  values: readonly string[];
  onChange: (values: string[]) => void;
  placeholder?: string;
  hint?: ReactNode;
  /** Checks a new value: the value to add (cleaned up), or why it cannot be added. */
  normalize?: (value: string) => { value: string } | { error: string };
  emptyText?: string;
}) {
  const id = useId();
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<string | undefined>(undefined);
  const input = useRef<HTMLInputElement>(null);

  const add = () => {
    if (draft.trim() === "") return;
    const checked = normalize ? normalize(draft.trim()) : { value: draft.trim() };
    if ("error" in checked) {
      setError(checked.error);
      return;
    }
    const { value } = checked;
    if (values.includes(value)) {
      setError("Already in the list.");
      return;
    }
    onChange([...values, value]);
    setDraft("");
    setError(undefined);
    input.current?.focus();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter") {
      event.preventDefault();
      add();
    }
  };

  return (
    <fieldset className="field list-editor">
      <legend className="field-label">{label}</legend>
      {values.length > 0 ? (
        <ul className="list-editor-items">
          {values.map((value, index) => (
            <li key={value} className="list-editor-item">
              <span className="list-editor-value">{value}</span>
              <button
                type="button"
                className="icon-btn"
                aria-label={`Remove ${value}`}
                onClick={() => onChange(values.filter((_, i) => i !== index))}
              >
                <CloseIcon size={16} />
              </button>
            </li>
          ))}
        </ul>
      ) : emptyText ? (
        <p className="field-hint">{emptyText}</p>
      ) : null}
      <div className="list-editor-add">
        <input
          ref={input}
          className="input"
          aria-label={`Add to ${label.toLowerCase()}`}
          aria-invalid={error !== undefined}
          aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
          value={draft}
          placeholder={placeholder}
          onChange={(e) => {
            setDraft(e.target.value);
            setError(undefined);
          }}
          onKeyDown={onKeyDown}
        />
        <button type="button" className="btn" onClick={add} disabled={draft.trim() === ""}>
          <PlusIcon size={16} /> Add
        </button>
      </div>
      {error ? (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      ) : hint ? (
        <span className="field-hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
    </fieldset>
  );
}
