import { Icon } from "../../shell/ui/icons.js";

/** The call controls' icons, drawn like the shell's (24-unit grid, 1.8 stroke); decorative. */
export const MicOffIcon = ({ size }: { size?: number }) => (
  <Icon size={size}>
    <path d="M15 10.5V6a3 3 0 0 0-5.7-1.3M9 9v2a3 3 0 0 0 4.9 2.3M5.5 11a6.5 6.5 0 0 0 10.9 4.8M18.5 11a6.4 6.4 0 0 1-.5 2.5M12 17.5V21M8.5 21h7M3.5 3.5l17 17" />
  </Icon>
);

export const PauseIcon = ({ size }: { size?: number }) => (
  <Icon size={size}>
    <rect x="6.5" y="5" width="3.5" height="14" rx="1" />
    <rect x="14" y="5" width="3.5" height="14" rx="1" />
  </Icon>
);

export const KeypadIcon = ({ size }: { size?: number }) => (
  <Icon size={size}>
    <path d="M6 5h.01M12 5h.01M18 5h.01M6 10h.01M12 10h.01M18 10h.01M6 15h.01M12 15h.01M18 15h.01M12 20h.01" strokeWidth={3} />
  </Icon>
);

export const HangUpIcon = ({ size }: { size?: number }) => (
  <Icon size={size}>
    <path d="M3.2 14.6a1.8 1.8 0 0 1-.4-2.3C4.6 9.6 8.1 8 12 8s7.4 1.6 9.2 4.3a1.8 1.8 0 0 1-.4 2.3l-1.7 1.3a1.6 1.6 0 0 1-2-.1l-1.6-1.5a1.5 1.5 0 0 1-.4-1.5l.3-1.1a11.5 11.5 0 0 0-6.8 0l.3 1.1a1.5 1.5 0 0 1-.4 1.5l-1.6 1.5a1.6 1.6 0 0 1-2 .1Z" />
  </Icon>
);

/** Two arrows passing the call on. */
export const TransferIcon = ({ size }: { size?: number }) => (
  <Icon size={size}>
    <path d="M4 8h13M13 4l4 4-4 4M20 16H7M11 12l-4 4 4 4" />
  </Icon>
);

/** A person with a plus: someone joins the call. */
export const AddPersonIcon = ({ size }: { size?: number }) => (
  <Icon size={size}>
    <circle cx="9" cy="8" r="3.5" />
    <path d="M2.5 20a6.5 6.5 0 0 1 13 0M19 8v6M16 11h6" />
  </Icon>
);

/** A dot in a ring: recording. */
export const RecordIcon = ({ size }: { size?: number }) => (
  <Icon size={size}>
    <circle cx="12" cy="12" r="8" />
    <circle cx="12" cy="12" r="3.5" fill="currentColor" />
  </Icon>
);
