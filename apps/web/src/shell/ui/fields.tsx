import { type InputHTMLAttributes, type ReactNode, useId } from "react";
import type { Choice } from "./choice.js";
import { Field } from "./form.js";

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "value" | "onChange" | "className">;

/** A labelled text input: the common case of `Field`, with its hint and error wired to the control. */
export function TextField({
  label,
  hint,
  error,
  value,
  onChange,
  mono,
  ...input
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  value: string;
  onChange: (value: string) => void;
  /** For names and codes typed exactly (ids, e-mail addresses). */
  mono?: boolean;
} & InputProps) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(c) => (
        <input
          {...input}
          id={c.id}
          className={`input${mono ? " input-mono" : ""}`}
          value={value}
          aria-describedby={c.describedBy}
          aria-invalid={c.invalid}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

/** A labelled drop-down of choices. */
export function SelectField<T extends string>({
  label,
  hint,
  error,
  value,
  onChange,
  choices,
  disabled,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  value: T;
  onChange: (value: T) => void;
  choices: readonly Choice<T>[];
  disabled?: boolean;
}) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(c) => (
        <select
          id={c.id}
          className="input select"
          value={value}
          disabled={disabled}
          aria-describedby={c.describedBy}
          aria-invalid={c.invalid}
          onChange={(e) => onChange(e.target.value as T)}
        >
          {choices.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** Several of a few choices, as checkboxes under one legend (a queue's organizations, say). */
export function ChoiceList<T extends string>({
  label,
  hint,
  error,
  values,
  onChange,
  choices,
  emptyText,
}: {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  values: readonly T[];
  onChange: (values: T[]) => void;
  choices: readonly Choice<T>[];
  emptyText?: ReactNode;
}) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  const toggle = (value: T, on: boolean) =>
    // In the choices' order, whatever order they were ticked in.
    onChange(choices.map((c) => c.value).filter((v) => (v === value ? on : values.includes(v))));
  return (
    <fieldset className={`field choice-list${error ? " field-invalid" : ""}`} aria-describedby={describedBy}>
      <legend className="field-label">{label}</legend>
      {choices.length === 0 && emptyText ? <p className="field-hint">{emptyText}</p> : null}
      {choices.map((choice) => (
        <label key={choice.value} className="choice">
          <input
            type="checkbox"
            checked={values.includes(choice.value)}
            onChange={(e) => toggle(choice.value, e.target.checked)}
          />
          <span className="choice-text">
            <span className="choice-label">{choice.label}</span>
            {choice.description ? <span className="field-hint">{choice.description}</span> : null}
          </span>
        </label>
      ))}
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
    </fieldset>
  );
}
