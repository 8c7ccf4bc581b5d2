import type { CallEndCause, CallEvent, CallLeg, CallRecord } from "@switchboard/protocol";
import { formatDuration } from "../../shell/routing/presence.js";
import type { Tone } from "../../shell/ui/tone.js";

export type CallDirection = CallRecord["direction"];
export type CallResult = NonNullable<CallRecord["result"]>;

export const DIRECTIONS: readonly { value: CallDirection; label: string }[] = [
  { value: "inbound", label: "Inbound" },
  { value: "outbound", label: "Outbound" },
  { value: "internal", label: "Internal" },
];

export const RESULTS: readonly { value: CallResult; label: string; tone: Tone; hint: string }[] = [
  { value: "completed", label: "Completed", tone: "success", hint: "Answered, then hung up" },
  { value: "missed", label: "Missed", tone: "warning", hint: "Rang, nobody answered" },
  { value: "abandoned", label: "Abandoned", tone: "warning", hint: "The caller hung up before the answer" },
  { value: "failed", label: "Failed", tone: "danger", hint: "The platform or the network could not carry it" },
  { value: "rejected", label: "Rejected", tone: "danger", hint: "Refused: busy, not allowed or unknown number" },
];

export const isDirection = (value: string | null): value is CallDirection => DIRECTIONS.some((d) => d.value === value);
export const isResult = (value: string | null): value is CallResult => RESULTS.some((r) => r.value === value);

export const directionLabel = (direction: CallDirection): string =>
  DIRECTIONS.find((d) => d.value === direction)?.label ?? direction;

/** Where a call stands in one badge: its result once over, else ringing or in progress. */
export function callStatus(call: Pick<CallRecord, "state" | "result">): { label: string; tone: Tone } {
  if (call.result !== null) {
    const result = RESULTS.find((r) => r.value === call.result);
    return result ? { label: result.label, tone: result.tone } : { label: call.result, tone: "neutral" };
  }
  if (call.state === "ringing") return { label: "Ringing", tone: "accent" };
  if (call.state === "answered") return { label: "In progress", tone: "accent" };
  return { label: "Ended", tone: "neutral" };
}

/** A call's length as m:ss (h:mm:ss past an hour); a dash while it goes on. */
export function formatCallDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  return formatDuration(ms / 1000);
}

/** Milliseconds from `from` to `to` (ISO times); null when either is missing. */
export function between(from: string | null, to: string | null): number | null {
  if (from === null || to === null) return null;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) ? Math.max(0, ms) : null;
}

/** The user part of a SIP URI (`sip:1001@10.0.0.5:5060` → `1001`); a number or anything else as it is. */
export function partyLabel(party: string): string {
  const match = /^sips?:([^@;?]+)@/i.exec(party);
  if (match?.[1]) return decodeURIComponent(match[1]);
  const host = /^sips?:([^;?]+)/i.exec(party);
  return host?.[1] ?? party;
}

const ROLE_LABELS: Record<CallLeg["role"], string> = {
  caller: "Caller",
  callee: "Called party",
  agent: "Agent",
  transfer: "Transfer target",
};

export const roleLabel = (role: CallLeg["role"]): string => ROLE_LABELS[role] ?? role;

const BY_LABELS: Record<CallEndCause["by"], string> = {
  caller: "the caller",
  callee: "the called party",
  platform: "Switchboard",
};

/** "Ended by the caller: BYE (SIP 487)". */
export function endCauseLabel(cause: CallEndCause | null): string | undefined {
  if (!cause) return undefined;
  const status = cause.status === undefined ? "" : ` (SIP ${cause.status})`;
  const reason = cause.reason ? `: ${cause.reason}` : "";
  return `Ended by ${BY_LABELS[cause.by] ?? cause.by}${reason}${status}`;
}

/** A timeline entry in words, and its kind (which picks its mark). */
export interface EventLine {
  title: string;
  detail?: string;
  kind: "key" | "prompt" | "record" | "transfer" | "bridge" | "hold" | "end" | "flow" | "other";
  /** The recording an event made, to play it in place. */
  recordingId?: string;
}

type Data = Record<string, unknown>;
const record = (value: unknown): Data => (typeof value === "object" && value !== null ? (value as Data) : {});
const text = (data: Data, key: string): string | undefined => (typeof data[key] === "string" ? (data[key] as string) : undefined);
const number = (data: Data, key: string): number | undefined =>
  typeof data[key] === "number" && Number.isFinite(data[key]) ? (data[key] as number) : undefined;

const PLAY_ENDS: Record<string, string> = {
  finished: "Played to the end.",
  stopped: "Stopped before the end.",
  "hung-up": "The call ended while it played.",
};

const COLLECT_ENDS: Record<string, string> = {
  "max-digits": "Got all the keys it waited for.",
  "no-input": "Nobody pressed a key in time.",
  "inter-key-timeout": "Stopped waiting for more keys.",
  "total-timeout": "The input took too long.",
  stopped: "Stopped.",
  "hung-up": "The call ended while it waited.",
};

const RECORD_ENDS: Record<string, string> = {
  silence: "Stopped after a silence.",
  "max-duration": "Reached the longest recording allowed.",
  stopped: "Stopped.",
  "hung-up": "Ended when the call did.",
};

const FLOW_OUTCOMES: Record<string, string> = {
  "caller-hung-up": "The caller hung up.",
  "no-input": "Nobody pressed a key: the flow said goodbye.",
  transferred: "The caller was put through to an agent.",
  "no-agent": "No agent could take the call.",
  "no-flow": "The number has no flow: the caller heard that it is not in service.",
  "flow-failed": "The flow failed; the server log says why.",
};

const BRIDGE_ENDS: Record<string, string> = { "hung-up": "One side hung up.", unbridged: "Switchboard separated them." };

/** "flow.ended_early" → "Flow ended early": for event types this version does not know. */
export const humanize = (type: string): string => {
  const words = type.replace(/[._-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

const keyName = (key: string): string => (key === "*" ? "star (*)" : key === "#" ? "pound (#)" : key);

/**
 * One line for an event of a call's timeline, naming the party by its leg's role: the media operations
 * (prompts, keys, recordings, hold, bridges), transfers, legs ending and the flow's outcome.
 */
export function describeCallEvent(event: CallEvent, legs: readonly CallLeg[]): EventLine {
  const data = record(event.data);
  // "the caller", "the agent"; "a party" for a leg the record does not list.
  const who = (legId: unknown): string => {
    const leg = legs.find((l) => l.id === legId);
    return leg ? `the ${roleLabel(leg.role).toLowerCase()}` : "a party";
  };
  const by = `By ${who(data.legId)}.`;
  switch (event.type) {
    case "key.pressed":
      return { kind: "key", title: `Key pressed: ${keyName(text(data, "key") ?? "?")}`, detail: by };
    case "dtmf.sent":
      return { kind: "key", title: `Keys sent: ${text(data, "digits") ?? ""}`, detail: `To ${who(data.legId)}.` };
    case "play.ended": {
      const outcome = record(data.outcome);
      const ended = text(outcome, "ended") ?? "";
      const key = text(outcome, "key");
      return {
        kind: "prompt",
        title: ended === "interrupted" ? "Prompt interrupted" : "Prompt played",
        detail: ended === "interrupted" ? `${capitalize(who(data.legId))} pressed ${keyName(key ?? "a key")}.` : PLAY_ENDS[ended],
      };
    }
    case "collect.ended": {
      const outcome = record(data.outcome);
      const digits = text(outcome, "digits") ?? "";
      const ended = text(outcome, "ended") ?? "";
      const terminator = text(outcome, "terminator");
      return {
        kind: "key",
        title: digits ? `Keys collected: ${digits}` : "No keys collected",
        detail: ended === "terminator" ? `Ended with ${keyName(terminator ?? "a key")}.` : COLLECT_ENDS[ended],
      };
    }
    case "record.ended": {
      const outcome = record(data.outcome);
      const recording = record(outcome.recording);
      const recordingId = text(recording, "id");
      const ended = text(outcome, "ended") ?? "";
      const key = text(outcome, "key");
      const detail = ended === "key" ? `Stopped with ${keyName(key ?? "a key")}.` : RECORD_ENDS[ended];
      if (!recordingId) return { kind: "record", title: "Nothing recorded", detail: detail ?? "Nothing was heard." };
      const duration = number(recording, "durationMs") ?? number(outcome, "durationMs");
      return {
        kind: "record",
        title: `Recording made${duration === undefined ? "" : ` (${formatCallDuration(duration)})`}`,
        ...(detail ? { detail } : {}),
        recordingId,
      };
    }
    case "hold.started":
      return { kind: "hold", title: "Put on hold", detail: `${capitalize(who(data.legId))} hears music.` };
    case "hold.ended":
      return { kind: "hold", title: "Taken off hold", detail: `${capitalize(who(data.legId))} is back on the call.` };
    case "bridge.started": {
      const ids = Array.isArray(data.legIds) ? data.legIds : [];
      return { kind: "bridge", title: "Connected", detail: `${capitalize(who(ids[0]))} and ${who(ids[1])} hear each other.` };
    }
    case "bridge.ended":
      return { kind: "bridge", title: "Disconnected", detail: BRIDGE_ENDS[text(data, "reason") ?? ""] };
    case "conference.joined":
      return { kind: "bridge", title: "Joined a conference", detail: by };
    case "conference.left":
      return { kind: "bridge", title: "Left a conference", detail: by };
    case "transfer.requested": {
      return {
        kind: "transfer",
        title: `Transfer to ${dialTargetLabel(data.target)}`,
        detail: `Asked for by ${who(data.legId)}.`,
      };
    }
    case "leg.ended": {
      const cause = record(data.cause);
      const party = who(data.legId);
      const status = number(cause, "status");
      const reason = text(cause, "reason");
      const detail = [reason, status === undefined ? undefined : `SIP ${status}`].filter(Boolean).join(" · ");
      const title = text(cause, "by") === "platform" ? `Switchboard hung up on ${party}` : `${capitalize(party)} hung up`;
      return { kind: "end", title, ...(detail ? { detail } : {}) };
    }
    case "participant.joined":
    case "participant.left": {
      const role = text(data, "role");
      const party = role && LIVE_ROLES[role] ? livePartyRole(role) : "A party";
      const extension = text(data, "extension");
      return {
        kind: "bridge",
        title: `${party} ${event.type === "participant.joined" ? "joined" : "left"}`,
        ...(extension ? { detail: `Extension ${extension}.` } : {}),
      };
    }
    case "participant.muted":
      return data.muted === false
        ? { kind: "other", title: "Unmuted", detail: `${capitalize(who(data.legId))} is heard again.` }
        : { kind: "other", title: "Muted", detail: `The others no longer hear ${who(data.legId)}.` };
    case "caller.held":
      return data.held === false
        ? { kind: "hold", title: "Caller taken off hold", detail: "The caller is back on the call." }
        : { kind: "hold", title: "Caller put on hold", detail: "The caller hears music." };
    case "transfer.completed":
    case "transfer.failed": {
      const consult = text(data, "mode") === "consult";
      const to = data.target === "flow" ? "the call flows" : dialTargetLabel(data.target);
      return {
        kind: "transfer",
        title: event.type === "transfer.completed" ? `Transferred to ${to}` : `Transfer to ${to} failed`,
        detail: consult ? "After a consultation." : "Blind.",
      };
    }
    case "consultation.started":
      return { kind: "transfer", title: `Consultation with ${dialTargetLabel(data.target)}`, detail: "The caller hears music." };
    case "consultation.ended": {
      const outcome = text(data, "outcome") ?? "";
      return { kind: "transfer", title: "Consultation ended", detail: CONSULTATION_ENDS[outcome] ?? humanize(outcome) };
    }
    case "recording.started":
      return {
        kind: "record",
        title: "Recording started",
        detail: data.consent === false ? "Without a consent announcement." : "After the consent announcement.",
      };
    case "recording.paused":
      return { kind: "record", title: "Recording paused" };
    case "recording.resumed":
      return { kind: "record", title: "Recording resumed" };
    case "recording.stopped": {
      const recordingId = text(data, "recordingId");
      const duration = number(data, "durationMs");
      if (!recordingId) return { kind: "record", title: "Recording stopped", detail: "Nothing was kept." };
      return {
        kind: "record",
        title: `Recording made${duration === undefined ? "" : ` (${formatCallDuration(duration)})`}`,
        detail: "Recorded from the call's controls.",
        recordingId,
      };
    }
    case "flow.ended": {
      const flow = text(data, "flow");
      const outcome = text(data, "outcome") ?? "";
      return {
        kind: "flow",
        title: flow ? `Flow “${flow}” ended` : "Flow ended",
        detail: FLOW_OUTCOMES[outcome] ?? (outcome ? humanize(outcome) : undefined),
      };
    }
    default:
      return { kind: "other", title: humanize(event.type) };
  }
}

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

const LIVE_ROLES: Record<string, string> = { caller: "Caller", agent: "Agent", participant: "Participant" };

/** A connected call's party by its role: "Caller", "Agent" (in charge), "Participant" (joined later). */
export const livePartyRole = (role: string): string => LIVE_ROLES[role] ?? role;

const CONSULTATION_ENDS: Record<string, string> = {
  completed: "The consulted party took the call.",
  cancelled: "Cancelled: back to the caller.",
  merged: "Merged: everyone talks together.",
  failed: "The consulted party did not answer.",
  target_hung_up: "The consulted party hung up.",
};

/** Whom a live call dialled: "extension 1002", "+14155550100". */
function dialTargetLabel(value: unknown): string {
  const target = record(value);
  if (text(target, "kind") === "extension") return `extension ${text(target, "extension") ?? "?"}`;
  return text(target, "e164") ?? "another number";
}
