import { type KeyboardEvent, type RefObject, useEffect, useId, useLayoutEffect, useRef, useState } from "react";
import { BoltIcon, SendIcon } from "../../shell/ui/icons.js";
import { type CannedContext, cannedQuery, expandShortcut, fillCanned, matchCanned } from "./canned.js";

/**
 * Where the agent writes. Enter sends, Shift+Enter starts a new line. A message that starts with `/` opens the
 * canned responses (arrows to choose, Enter or Tab to insert, Esc to close); typing tells the customer so.
 */
export function Composer({
  initialDraft,
  onDraft,
  onSend,
  onTyping,
  context,
  disabled,
  placeholder,
  inputRef,
}: {
  initialDraft: string;
  onDraft: (draft: string) => void;
  onSend: (text: string) => void;
  onTyping: () => void;
  context: CannedContext;
  disabled: boolean;
  placeholder: string;
  inputRef: RefObject<HTMLTextAreaElement | null>;
}) {
  const [draft, setDraftState] = useState(initialDraft);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState(false);
  const id = useId();
  const listRef = useRef<HTMLDivElement>(null);

  const query = dismissed ? undefined : cannedQuery(draft);
  const options = query === undefined ? [] : matchCanned(query);
  const open = options.length > 0;

  const setDraft = (value: string) => {
    setDraftState(value);
    onDraft(value);
    setDismissed(false);
    setActive(0);
  };

  // Grows with the text, up to a limit; then it scrolls.
  // biome-ignore lint/correctness/useExhaustiveDependencies: measures after every change of the text
  useLayoutEffect(() => {
    const el = inputRef.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight + 2, 180)}px`;
  }, [draft, inputRef]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the chosen option changes
  useEffect(() => {
    listRef.current?.querySelector<HTMLElement>('[aria-selected="true"]')?.scrollIntoView({ block: "nearest" });
  }, [active]);

  const insert = (index: number) => {
    const chosen = options[index];
    if (!chosen) return;
    setDraft(fillCanned(chosen.text, context));
    inputRef.current?.focus();
  };

  const send = () => {
    const text = draft.trim();
    if (text === "" || disabled) return;
    onSend(text);
    setDraft("");
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.nativeEvent.isComposing) return;
    if (open) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        setActive((i) => (i + step + options.length) % options.length);
        return;
      }
      if ((event.key === "Enter" && !event.shiftKey) || event.key === "Tab") {
        event.preventDefault();
        insert(active);
        return;
      }
      if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        setDismissed(true);
        return;
      }
    }
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      const expanded = expandShortcut(draft, context);
      if (expanded !== undefined) setDraft(expanded);
      else send();
    }
  };

  const optionId = (index: number) => `${id}-canned-${index}`;
  return (
    <div className={`composer${disabled ? " composer-disabled" : ""}`}>
      {open ? (
        <div className="canned" id={`${id}-canned`} role="listbox" aria-label="Canned responses" ref={listRef}>
          {options.map((option, index) => (
            <div
              key={option.shortcut}
              id={optionId(index)}
              role="option"
              tabIndex={-1}
              aria-selected={index === active}
              className="canned-option"
              onMouseDown={(e) => {
                // Keep the focus in the text box.
                e.preventDefault();
                insert(index);
              }}
              onMouseEnter={() => setActive(index)}
            >
              <span className="canned-shortcut">/{option.shortcut}</span>
              <span className="canned-title">{option.title}</span>
              <span className="canned-text">{fillCanned(option.text, context)}</span>
            </div>
          ))}
        </div>
      ) : null}
      <textarea
        ref={inputRef}
        className="composer-input"
        aria-label="Message"
        aria-autocomplete="list"
        aria-controls={open ? `${id}-canned` : undefined}
        aria-activedescendant={open ? optionId(active) : undefined}
        aria-describedby={`${id}-hint`}
        rows={1}
        value={draft}
        placeholder={placeholder}
        disabled={disabled}
        onChange={(e) => {
          setDraft(e.target.value);
          if (e.target.value.trim() !== "") onTyping();
        }}
        onKeyDown={onKeyDown}
      />
      <div className="composer-bar">
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          disabled={disabled}
          onClick={() => {
            setDraft("/");
            inputRef.current?.focus();
          }}
          title="Canned responses (type / at the start)"
        >
          <BoltIcon size={15} /> Canned
        </button>
        <span className="composer-hint" id={`${id}-hint`}>
          <kbd className="kbd">Enter</kbd> send · <kbd className="kbd">Shift Enter</kbd> new line · <kbd className="kbd">/</kbd>{" "}
          canned
        </span>
        <button type="button" className="btn btn-primary btn-sm" onClick={send} disabled={disabled || draft.trim() === ""}>
          <SendIcon size={15} /> Send
        </button>
      </div>
    </div>
  );
}
