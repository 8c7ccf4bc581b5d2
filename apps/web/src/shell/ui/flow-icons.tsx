import type { ReactNode } from "react";

/*
 * Icons of the call flow pages, drawn like those of icons.tsx (stroke icons on a 24-unit grid, hidden
 * from screen readers).
 */

function FlowIcon({ size = 18, children }: { size?: number | undefined; children: ReactNode }) {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

/** A keypad: auto attendants (press 1 for sales). */
export const KeypadIcon = ({ size }: { size?: number }) => (
  <FlowIcon size={size}>
    <path
      d="M6 4.5h.01M12 4.5h.01M18 4.5h.01M6 10h.01M12 10h.01M18 10h.01M6 15.5h.01M12 15.5h.01M18 15.5h.01M12 21h.01"
      strokeWidth={3.2}
    />
  </FlowIcon>
);

/** The voicemail mark: mailboxes and their messages. */
export const VoicemailIcon = ({ size }: { size?: number }) => (
  <FlowIcon size={size}>
    <circle cx="6.5" cy="12" r="3.8" />
    <circle cx="17.5" cy="12" r="3.8" />
    <path d="M6.5 15.8h11" />
  </FlowIcon>
);
