import type { LiveCall, LiveCallOutcome, LiveCallParty, TransferTarget } from "@switchboard/protocol";
import type { Choice } from "../../shell/ui/choice.js";
import type { Tone } from "../../shell/ui/tone.js";

export type RecordingState = LiveCall["recording"];
export type RecordingAction = "start" | "pause" | "resume" | "stop";
export type ConsultationAction = "complete" | "cancel" | "merge";

/**
 * Who a party is, in a button's name ("Mute the caller", "Mute 1002"): the caller as such, anyone else by
 * name and extension when the phone is known, else by extension, else by role.
 */
export function livePartyName(party: LiveCallParty, names: ReadonlyMap<string, string> = new Map()): string {
  if (party.role === "caller") return "the caller";
  if (party.extension === null) return party.role === "agent" ? "the agent" : "the outside participant";
  const name = names.get(party.extension);
  return name ? `${name} (${party.extension})` : party.extension;
}

export const RECORDING_STATES: Record<RecordingState, { label: string; tone: Tone }> = {
  off: { label: "Not recording", tone: "neutral" },
  on: { label: "Recording", tone: "danger" },
  paused: { label: "Recording paused", tone: "warning" },
};

/** What can be done to the recording in each state, in the order the buttons stand. */
export function recordingActions(state: RecordingState): { action: RecordingAction; label: string }[] {
  if (state === "off") return [{ action: "start", label: "Start recording" }];
  const stop = { action: "stop" as const, label: "Stop recording" };
  return state === "on"
    ? [{ action: "pause", label: "Pause recording" }, stop]
    : [{ action: "resume", label: "Resume recording" }, stop];
}

/** "1002" or "+14155550100": whom a consultation rings or talks to. */
export function consultedLabel(consultation: NonNullable<LiveCall["consultation"]>): string {
  const { target } = consultation;
  return target.kind === "extension" ? target.extension : target.e164;
}

/** The call's state in one line, read out when it changes: "Caller on hold · Recording · Consulting 1002 (ringing)". */
export function liveSummary(call: LiveCall): string {
  const parts = [
    call.callerHeld ? "Caller on hold" : "Caller connected",
    RECORDING_STATES[call.recording]?.label ?? call.recording,
    `${call.parties.length} on the call`,
  ];
  const muted = call.parties.filter((p) => p.muted).length;
  if (muted > 0) parts.push(`${muted} muted`);
  if (call.consultation) {
    parts.push(
      call.consultation.state === "ringing"
        ? `Ringing ${consultedLabel(call.consultation)} for a consultation`
        : `Consulting ${consultedLabel(call.consultation)}`,
    );
  }
  return parts.join(" · ");
}

export type TransferKind = "extension" | "queue";
export type TransferMode = "blind" | "consult";

/** The transfer form: to an extension (blind or after a consultation) or blind to a queue. */
export interface TransferForm {
  kind: TransferKind;
  extension: string;
  queueId: string;
  mode: TransferMode;
}

export const TRANSFER_KINDS: readonly Choice<TransferKind>[] = [
  { value: "extension", label: "An extension" },
  { value: "queue", label: "A queue" },
];

export const TRANSFER_MODES: readonly Choice<TransferMode>[] = [
  { value: "blind", label: "Blind" },
  { value: "consult", label: "Consult first" },
];

export const emptyTransferForm = (queueId = ""): TransferForm => ({ kind: "extension", extension: "", queueId, mode: "blind" });

export interface TransferRequest {
  target: TransferTarget;
  mode: TransferMode;
}

/** What to send for the transfer form, or what is missing. A queue is only ever a blind transfer. */
export function transferRequest(form: TransferForm): TransferRequest | { error: string } {
  if (form.kind === "queue") {
    if (form.queueId === "") return { error: "Pick a queue." };
    return { target: { kind: "queue", queueId: form.queueId }, mode: "blind" };
  }
  const extension = form.extension.trim();
  if (extension === "") return { error: "Enter an extension." };
  return { target: { kind: "person", extension }, mode: form.mode };
}

/** What to tell after a transfer or an added participant: nothing when it went through, else why the call goes on. */
export function outcomeNote(outcome: LiveCallOutcome["outcome"], whom: string): string | undefined {
  return outcome === "failed" ? `${whom} did not answer: the call goes on as before.` : undefined;
}
