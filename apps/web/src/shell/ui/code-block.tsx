import { useEffect, useState } from "react";
import { describeError } from "../errors/describe-error.js";
import { copyText } from "./clipboard.js";
import { CheckIcon, CopyIcon } from "./icons.js";

/** Code to paste somewhere else, with a Copy button that says "Copied" for a moment. */
export function CodeBlock({ code, label }: { code: string; label: string }) {
  const [state, setState] = useState<"idle" | "copied" | { error: string }>("idle");

  useEffect(() => {
    if (state === "idle") return;
    const timer = globalThis.setTimeout(() => setState("idle"), 2500);
    return () => globalThis.clearTimeout(timer);
  }, [state]);

  const copy = () =>
    copyText(code).then(
      () => setState("copied"),
      (error: unknown) => setState({ error: describeError(error).detail ?? "Copy failed: select the code and copy it." }),
    );

  return (
    <div className="code-block">
      <div className="code-block-bar">
        <span className="code-block-label">{label}</span>
        <button type="button" className={`btn btn-sm${state === "copied" ? " btn-success" : ""}`} onClick={copy}>
          {state === "copied" ? <CheckIcon size={16} /> : <CopyIcon size={16} />}
          {state === "copied" ? "Copied" : "Copy"}
        </button>
      </div>
      <pre className="code-block-code">
        <code>{code}</code>
      </pre>
      <span className="visually-hidden" role="status" aria-live="polite">
        {state === "copied" ? "Copied to the clipboard" : ""}
      </span>
      {typeof state === "object" ? <p className="field-error">{state.error}</p> : null}
    </div>
  );
}
