import type { Offer, ParticipantTarget } from "@switchboard/protocol";
import { type CallEndReason, type CallRegistration, type CallStats, endReasonText, type WebCall } from "@switchboard/sdk";

/** The caller as the agent reads them: the name when the network sent one, else the number. */
export function callerLabel(from: { number: string | null; name: string | null } | string | null): string {
  if (typeof from === "string") return from.trim() || "Unknown caller";
  const name = from?.name?.trim();
  if (name) return name;
  return from?.number?.trim() || "Unknown caller";
}

/**
 * How a voice offer can be taken on this desk: `answer` when its call rings this browser, `answering` while it
 * connects, `desk_phone` when no call arrived here (the desktop is not registered: the desk phone rings).
 */
export type VoiceOfferMode =
  | { readonly kind: "answer"; readonly call: WebCall }
  | { readonly kind: "answering"; readonly call: WebCall }
  | { readonly kind: "desk_phone" };

export function voiceOfferMode(offer: Pick<Offer, "id">, calls: readonly WebCall[]): VoiceOfferMode {
  const call = calls.find((c) => c.offerId === offer.id && c.phase !== "ended");
  if (!call) return { kind: "desk_phone" };
  return call.phase === "ringing" ? { kind: "answer", call } : { kind: "answering", call };
}

/** Calls ringing this browser directly, not through a queue's offer: a transfer to the agent, a colleague calling. */
export function directRinging(calls: readonly WebCall[]): WebCall[] {
  return calls.filter((c) => c.direction === "incoming" && c.offerId === null && c.phase === "ringing");
}

/** The call the panel shows: the one being answered, placed (ringing the other side) or connected. */
export function activeCall(calls: readonly WebCall[]): WebCall | undefined {
  return calls.find((c) => c.phase === "connected" || c.phase === "answering" || c.phase === "placing");
}

/** "0:07", "12:34", "1:02:03". */
export function formatCallTime(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

export type CallQuality = "good" | "fair" | "poor" | "unknown";

/**
 * A three-step judgement of the line, from what hurts a conversation most: loss above 1 % or jitter above 30 ms
 * or a round trip above 300 ms is noticeable (fair); above 5 %, 60 ms or 500 ms it is hard to talk (poor).
 */
export function callQuality(stats: CallStats | undefined): CallQuality {
  if (!stats || stats.packetsReceived === 0) return "unknown";
  const jitter = stats.jitterMs ?? 0;
  const rtt = stats.roundTripTimeMs ?? 0;
  if (stats.lossPercent > 5 || jitter > 60 || rtt > 500) return "poor";
  if (stats.lossPercent > 1 || jitter > 30 || rtt > 300) return "fair";
  return "good";
}

export const QUALITY_LABEL: Record<CallQuality, string> = {
  good: "Good line",
  fair: "Fair line",
  poor: "Poor line",
  unknown: "Measuring…",
};

/** "Loss 0.4% · Jitter 12 ms · RTT 48 ms"; a figure the browser has not measured yet shows as a dash. */
export function qualityFigures(stats: CallStats | undefined): { loss: string; jitter: string; rtt: string } {
  const ms = (value: number | undefined) => (value === undefined ? "–" : `${Math.round(value)} ms`);
  return {
    loss: stats && stats.packetsReceived > 0 ? `${stats.lossPercent.toFixed(1)}%` : "–",
    jitter: ms(stats?.jitterMs),
    rtt: ms(stats?.roundTripTimeMs),
  };
}

/** The telephone keypad, with the letters printed on the keys. */
export const KEYPAD: readonly { readonly key: string; readonly letters: string }[] = [
  { key: "1", letters: "" },
  { key: "2", letters: "ABC" },
  { key: "3", letters: "DEF" },
  { key: "4", letters: "GHI" },
  { key: "5", letters: "JKL" },
  { key: "6", letters: "MNO" },
  { key: "7", letters: "PQRS" },
  { key: "8", letters: "TUV" },
  { key: "9", letters: "WXYZ" },
  { key: "*", letters: "" },
  { key: "0", letters: "+" },
  { key: "#", letters: "" },
];

/** A key typed on the computer's keyboard that the keypad sends (digits, star, pound). */
export function keypadKey(key: string): string | undefined {
  return /^[0-9*#]$/.test(key) ? key : undefined;
}

/** The keys sent on this call, as the agent sees them: the last 24. */
export function appendDigits(sent: string, key: string): string {
  return (sent + key).slice(-24);
}

/** The line under "Calls" in the desk bar, and its tone. */
export function registrationLabel(registration: CallRegistration): { text: string; tone: "on" | "pending" | "off" } | undefined {
  switch (registration) {
    case "on":
      return { text: "Calls: on this computer", tone: "on" };
    case "registering":
      return { text: "Calls: connecting…", tone: "pending" };
    case "refused":
      return { text: "Calls: desk phone only", tone: "off" };
    case "off":
      return undefined;
  }
}

/** What the desk says once a call ended: who, how long, why. */
export function endedSummary(call: WebCall): string {
  const who = callerLabel(call.from);
  const reason: CallEndReason | undefined = call.ended?.reason;
  const connectedFor =
    call.connectedAt !== undefined && call.ended ? ` after ${formatCallTime(call.ended.at - call.connectedAt)}` : "";
  if (reason === "media_refused") return `The call from ${who} was declined: the microphone could not be used.`;
  if (reason === "rejected") return `You declined the call from ${who}.`;
  if (call.direction === "outgoing" && call.connectedAt === undefined) {
    return `Your call to ${who} did not get through: ${reason && reason !== "hangup" ? endReasonText(reason) : "you hung up"}.`;
  }
  if (call.connectedAt === undefined) {
    return `The call from ${who} stopped ringing: ${reason ? endReasonText(reason) : "it ended"}.`;
  }
  if (reason === "failed") return `The call with ${who} dropped${connectedFor}: ${call.ended?.detail ?? "the line failed"}.`;
  if (reason === "remote_hangup" && call.direction === "outgoing") return `Call with ${who} ended${connectedFor}: they hung up.`;
  return `Call with ${who} ended${connectedFor}: ${reason ? endReasonText(reason) : "hung up"}.`;
}

/**
 * Where the agent's typed transfer goes: 2 to 8 digits are a colleague's extension (their desktop and phone
 * ring), a `+` number goes out through the trunk; undefined for anything else.
 */
export function transferTargetOf(typed: string): ParticipantTarget | undefined {
  const cleaned = typed.replace(/[\s().-]/g, "");
  if (/^\d{2,8}$/.test(cleaned)) return { kind: "person", extension: cleaned };
  if (/^\+[1-9]\d{1,14}$/.test(cleaned)) return { kind: "external_number", number: cleaned };
  return undefined;
}
