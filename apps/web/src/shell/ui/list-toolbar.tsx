import type { ReactNode } from "react";
import type { Choice } from "./choice.js";

/** A filter of a list: a labelled select whose first option is "any" (`anyLabel`, value ""). */
export function FilterSelect({
  label,
  anyLabel,
  value,
  choices,
  onChange,
}: {
  label: string;
  anyLabel: string;
  /** The filter's value; undefined: any. */
  value: string | undefined;
  /** A choice's description shows as the option's tooltip. */
  choices: readonly Choice<string>[];
  onChange: (value: string) => void;
}) {
  return (
    <label className="filter">
      <span className="filter-label">{label}</span>
      <select className="input select" aria-label={label} value={value ?? ""} onChange={(e) => onChange(e.target.value)}>
        <option value="">{anyLabel}</option>
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value} title={choice.description}>
            {choice.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * The bar above a list: its filters (`children`), Clear when any is set, a spinner while the list loads
 * again, and Refresh.
 */
export function ListToolbar({
  children,
  filtered,
  onClear,
  clearLabel = "Clear filters",
  reloading,
  onRefresh,
}: {
  children: ReactNode;
  filtered: boolean;
  onClear: () => void;
  clearLabel?: string;
  reloading: boolean;
  onRefresh: () => void;
}) {
  return (
    <div className="toolbar">
      {children}
      {filtered ? (
        <button type="button" className="btn btn-ghost btn-sm" onClick={onClear}>
          {clearLabel}
        </button>
      ) : null}
      {reloading ? <span className="spinner spinner-sm" role="status" aria-label="Loading" /> : null}
      <div className="toolbar-end">
        <button type="button" className="btn btn-sm" onClick={onRefresh}>
          Refresh
        </button>
      </div>
    </div>
  );
}
