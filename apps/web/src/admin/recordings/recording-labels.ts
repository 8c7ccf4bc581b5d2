import type { RecordingInfo } from "@switchboard/protocol";
import type { Choice } from "../../shell/ui/choice.js";

export type RecordingKind = RecordingInfo["kind"];

export const RECORDING_KINDS: readonly Choice<RecordingKind>[] = [
  { value: "call", label: "Call recording", description: "A conversation recorded on a call" },
  { value: "message", label: "Caller's message", description: "A voicemail or a recording a caller left" },
  { value: "upload", label: "Uploaded audio", description: "A greeting, announcement or hold music" },
];

export const isRecordingKind = (value: string | null): value is RecordingKind => RECORDING_KINDS.some((k) => k.value === value);

export const recordingKindLabel = (kind: RecordingKind): string => RECORDING_KINDS.find((k) => k.value === kind)?.label ?? kind;

/** What a recording is called inside a button's name ("Play the call recording of 27 Nov, 09:14"). */
export const recordingName = (recording: Pick<RecordingInfo, "kind">, when: string): string =>
  `${recordingKindLabel(recording.kind).toLowerCase()} of ${when}`;
