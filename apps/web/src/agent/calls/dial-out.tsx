import { type FormEvent, useState } from "react";
import { PhoneIcon } from "../../shell/ui/icons.js";
import { transferTargetOf } from "./call-state.js";

/** Where a call goes, as the agent types it: a colleague's extension or a number (placing, transferring, adding). */
export function ExtensionOrNumberField({
  value,
  onChange,
  disabled = false,
}: {
  value: string;
  onChange: (value: string) => void;
  disabled?: boolean;
}) {
  return (
    <label className="call-transfer-field">
      <span>Extension or number</span>
      <input
        className="input"
        value={value}
        inputMode="tel"
        placeholder="1002 or +15550100"
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  );
}

/**
 * "Call": the agent calls a colleague's extension or a number from this browser. The call then shows in the
 * call panel ("Calling…", then connected); refusals show as the call area's alert.
 */
export function DialOut({ disabled, onCall }: { disabled: boolean; onCall: (to: string) => Promise<boolean> }) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const [problem, setProblem] = useState<string | undefined>(undefined);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // The same reading as a transfer's: an extension or a number with its country code.
    if (!transferTargetOf(typed)) {
      setProblem("An extension (e.g. 1002) or a number with its country code (+15550100).");
      return;
    }
    setProblem(undefined);
    setOpen(false);
    await onCall(typed.trim());
    setTyped("");
  };

  return (
    <div className="dial-out">
      <button
        type="button"
        className="calls-chip calls-chip-action"
        aria-expanded={open}
        disabled={disabled}
        onClick={() => setOpen((o) => !o)}
      >
        <PhoneIcon size={14} />
        Call
      </button>
      {open ? (
        <form className="dial-out-form" aria-label="Place a call" onSubmit={(e) => void submit(e)}>
          <ExtensionOrNumberField value={typed} onChange={setTyped} />
          <button type="submit" className="btn btn-primary">
            Call
          </button>
          {problem ? (
            <p className="call-transfer-problem" role="alert">
              {problem}
            </p>
          ) : null}
        </form>
      ) : null}
    </div>
  );
}
