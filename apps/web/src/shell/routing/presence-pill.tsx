import type { Presence } from "@switchboard/protocol";
import { presenceInfo } from "./presence.js";
import "./presence.css";

/** A presence's coloured dot; decorative: say the presence in words beside it. */
export function PresenceDot() {
  return <span className="presence-dot" aria-hidden="true" />;
}

/** A presence in words with its dot: "● Available"; `children` replace the words (a count, say). */
export function PresencePill({ presence, children }: { presence: Presence; children?: React.ReactNode }) {
  const info = presenceInfo(presence);
  return (
    <span className={`presence-pill presence-${presence}`} title={children ? info.label : undefined}>
      <PresenceDot />
      {children ?? info.label}
    </span>
  );
}
