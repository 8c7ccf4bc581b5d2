import { Fragment, type ReactNode, useState } from "react";
import { Dialog } from "./dialog.js";
import { PlusIcon } from "./icons.js";

/** What a list page's editor dialog shows: closed, or open for a new thing (`item` undefined) or one of the list. */
export interface EditDialogState<T extends { readonly id: string }> {
  readonly open: { readonly item: T | undefined } | undefined;
  readonly openNew: () => void;
  readonly openEdit: (item: T) => void;
  readonly close: () => void;
  /** For the editor's `onSaved`: the list takes the saved thing (new, or in place of the old one), the dialog closes. */
  readonly saved: (item: T) => void;
  /** For the editor's `onDeleted`: the list drops it, the dialog closes. */
  readonly deleted: (id: string) => void;
}

/**
 * The dialog of a list page that adds and edits its things: what it is open for, and the list kept up to
 * date after a save or a delete without asking the server again. `updateList` changes the page's list
 * (`useResource`'s `update`, narrowed to it).
 */
export function useEditDialog<T extends { readonly id: string }>(
  updateList: (change: (items: readonly T[]) => T[]) => void,
): EditDialogState<T> {
  const [open, setOpen] = useState<{ item: T | undefined } | undefined>(undefined);
  const close = () => setOpen(undefined);
  return {
    open,
    openNew: () => setOpen({ item: undefined }),
    openEdit: (item) => setOpen({ item }),
    close,
    saved: (item) => {
      updateList((items) => [...items.filter((i) => i.id !== item.id), item]);
      close();
    },
    deleted: (id) => {
      updateList((items) => items.filter((i) => i.id !== id));
      close();
    },
  };
}

/** What an editor in an `EditDialog` calls when it is done: the page's list and the dialog follow. */
export interface EditorHandlers<T> {
  onCancel: () => void;
  onSaved: (item: T) => void;
  onDeleted: (id: string) => void;
}

/**
 * The dialog of `useEditDialog`: titled for the thing or a new one, its editor made afresh for each (so
 * nothing typed for one shows in another's) and given the handlers that close it and update the list.
 */
export function EditDialog<T extends { readonly id: string }>({
  state,
  title,
  wide,
  children,
}: {
  state: EditDialogState<T>;
  title: (item: T | undefined) => string;
  wide?: boolean;
  /** The editor: for the thing, or for a new one. */
  children: (item: T | undefined, handlers: EditorHandlers<T>) => ReactNode;
}) {
  const { open } = state;
  const handlers = { onCancel: state.close, onSaved: state.saved, onDeleted: state.deleted };
  return (
    <Dialog open={open !== undefined} onClose={state.close} title={title(open?.item)} wide={wide}>
      {open ? <Fragment key={open.item?.id ?? "new"}>{children(open.item, handlers)}</Fragment> : null}
    </Dialog>
  );
}

/** The page's button that opens its dialog for a new thing, e.g. "Add queue". */
export function AddButton({ state, label }: { state: { readonly openNew: () => void }; label: string }) {
  return (
    <button type="button" className="btn btn-primary" onClick={state.openNew}>
      <PlusIcon size={16} /> {label}
    </button>
  );
}
