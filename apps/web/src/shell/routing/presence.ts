import type { Presence } from "@switchboard/protocol";
import type { Tone } from "../ui/tone.js";

export interface PresenceInfo {
  readonly value: Presence;
  readonly label: string;
  readonly tone: Tone;
  /** What it means for routing, in a few words. */
  readonly hint: string;
}

/** In the order an agent's menu and a supervisor's columns show them. */
export const PRESENCES: readonly PresenceInfo[] = [
  { value: "available", label: "Available", tone: "success", hint: "New chats are offered to you" },
  { value: "busy", label: "Busy", tone: "danger", hint: "No new chats; current ones stay" },
  { value: "away", label: "Away", tone: "warning", hint: "No new chats; you're away" },
  { value: "wrap_up", label: "Wrap-up", tone: "accent", hint: "Finishing the last conversation" },
  { value: "offline", label: "Offline", tone: "neutral", hint: "Signed out of routing" },
];

export const presenceInfo = (presence: Presence): PresenceInfo =>
  PRESENCES.find((p) => p.value === presence) ?? { value: presence, label: presence, tone: "neutral", hint: "" };

/** What an agent may choose; wrap-up is the server's to set after a conversation. */
export const SETTABLE_PRESENCES = PRESENCES.filter((p) => p.value !== "wrap_up");

/** "0:42", "12:05", "1:02:03": elapsed or waiting time, to the second. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = String(s % 60).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}` : `${minutes}:${seconds}`;
}
