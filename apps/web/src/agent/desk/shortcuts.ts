/** What a key press asks the desk to do. */
export type DeskCommand =
  | { readonly type: "accept" }
  | { readonly type: "decline" }
  | { readonly type: "select"; readonly index: number }
  | { readonly type: "next" }
  | { readonly type: "previous" }
  | { readonly type: "transfer" }
  | { readonly type: "resolve" }
  | { readonly type: "composer" }
  | { readonly type: "customer" };

export interface KeyPress {
  readonly altKey: boolean;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  /** The physical key (`KeyA`, `Digit1`): Option on a Mac changes `key`, not `code`. */
  readonly code: string;
}

/**
 * The desk's shortcuts: Alt plus a letter or a digit, so they work while the agent types in the composer and
 * clash with neither the browser's Ctrl shortcuts nor text entry.
 */
export function commandFor(press: KeyPress): DeskCommand | undefined {
  if (!press.altKey || press.ctrlKey || press.metaKey || press.shiftKey) return undefined;
  const digit = /^Digit([1-9])$/.exec(press.code);
  if (digit) return { type: "select", index: Number(digit[1]) - 1 };
  switch (press.code) {
    case "KeyA":
      return { type: "accept" };
    case "KeyD":
      return { type: "decline" };
    case "ArrowDown":
      return { type: "next" };
    case "ArrowUp":
      return { type: "previous" };
    case "KeyT":
      return { type: "transfer" };
    case "KeyR":
      return { type: "resolve" };
    case "KeyM":
      return { type: "composer" };
    case "KeyC":
      return { type: "customer" };
    default:
      return undefined;
  }
}

/** For the shortcuts help, in the order an agent needs them. */
export const SHORTCUTS: readonly { keys: string; does: string }[] = [
  { keys: "Alt A", does: "Accept the incoming chat" },
  { keys: "Alt D", does: "Decline the incoming chat" },
  { keys: "Alt 1 … 9", does: "Open conversation 1 to 9" },
  { keys: "Alt ↑ / ↓", does: "Previous / next conversation" },
  { keys: "Alt M", does: "Write a message" },
  { keys: "/", does: "Canned responses (at the start of a message)" },
  { keys: "Enter", does: "Send (Shift Enter: new line)" },
  { keys: "Alt T", does: "Transfer the conversation" },
  { keys: "Alt R", does: "Resolve with a wrap-up code" },
  { keys: "Alt C", does: "Show or hide the customer panel" },
  { keys: "Esc", does: "Close a dialog or the canned responses" },
];

/** The conversation `step` places away from the active one, wrapping around. */
export function stepThrough(ids: readonly string[], activeId: string | undefined, step: 1 | -1): string | undefined {
  if (ids.length === 0) return undefined;
  const index = activeId === undefined ? -1 : ids.indexOf(activeId);
  if (index < 0) return step === 1 ? ids[0] : ids.at(-1);
  return ids[(index + step + ids.length) % ids.length];
}
