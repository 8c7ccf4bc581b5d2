import type { ReactNode } from "react";
import { ConfirmButton } from "./page.js";

/** The header of a table's actions column: named for screen readers only. */
export function RowActionsHeader({ optional = false }: { optional?: boolean }) {
  return (
    <th scope="col" className={optional ? "col-optional" : undefined}>
      <span className="visually-hidden">Actions</span>
    </th>
  );
}

/**
 * A table row's actions, in its last cell: the row's own (`children`), then Edit, named for what it edits
 * ("Edit <name>"), then Delete, which asks once more (`confirmLabel`, e.g. "Delete message").
 */
export function RowActions({
  edit,
  remove,
  disabled,
  optional = false,
  children,
}: {
  /** Edit; `name` is what the row is, as the button's accessible name says it: "Edit <name>". */
  edit?: { name: string; open: () => void };
  remove?: { confirmLabel: string; onConfirm: () => void };
  /** While an action of the row runs. */
  disabled?: boolean;
  /** Hidden on phones, like the column's header: the row's name opens its editor there. */
  optional?: boolean;
  children?: ReactNode;
}) {
  return (
    <td className={optional ? "cell-actions col-optional" : "cell-actions"}>
      <span className="row-actions">
        {children}
        {edit ? (
          <button type="button" className="btn btn-sm" onClick={edit.open} aria-label={`Edit ${edit.name}`} disabled={disabled}>
            Edit
          </button>
        ) : null}
        {remove ? (
          <ConfirmButton label="Delete" confirmLabel={remove.confirmLabel} onConfirm={remove.onConfirm} disabled={disabled} />
        ) : null}
      </span>
    </td>
  );
}
