import type { CallEndReason } from "@switchboard/sdk";

/**
 * The customer's call from the chat ("call us"), as the call panel shows it. A pure reducer: the call controller
 * feeds it what the sdk's `CallingClient` reports, the view renders it.
 *
 * connecting: microphone, offer and the server's answer, until the media is up; waiting: the customer hears the
 * queue (greeting, music) until an agent answers; talking: an agent answered; ended: over, with a message.
 */
export type CallStatus = "idle" | "connecting" | "waiting" | "talking" | "ended";

export interface CallEnd {
  readonly message: string;
  /** error: the call did not happen or broke (microphone, network, refused); info: it ended normally. */
  readonly tone: "info" | "error";
  /** How long the call was connected, in ms (shown as "Call ended · 1:23"). */
  readonly duration: number | undefined;
}

export interface CallState {
  readonly status: CallStatus;
  readonly legId: string | undefined;
  /** When the media came up: the timer counts from here. */
  readonly connectedAt: number | undefined;
  readonly agentName: string | undefined;
  readonly muted: boolean;
  readonly keypadOpen: boolean;
  /** The keys pressed on this call, for the keypad's display. */
  readonly digits: string;
  /** The other side's audio energy so far (`totalAudioEnergy`): it grows while sound arrives. */
  readonly audioEnergy: number;
  readonly end: CallEnd | undefined;
}

export type CallAction =
  | { readonly type: "start" }
  | { readonly type: "placing"; readonly legId: string }
  | { readonly type: "connected"; readonly at: number }
  | { readonly type: "agent"; readonly name: string | undefined }
  | { readonly type: "muted"; readonly muted: boolean }
  | { readonly type: "keypad"; readonly open: boolean }
  | { readonly type: "key"; readonly key: string }
  | { readonly type: "energy"; readonly energy: number }
  | { readonly type: "ended"; readonly reason: CallEndReason; readonly detail?: string | undefined; readonly at: number }
  /** The start failed before there was a call: the sdk's or the server's error code. */
  | { readonly type: "failed"; readonly code: string; readonly at: number }
  | { readonly type: "dismiss" };

export const idleCall: CallState = {
  status: "idle",
  legId: undefined,
  connectedAt: undefined,
  agentName: undefined,
  muted: false,
  keypadOpen: false,
  digits: "",
  audioEnergy: 0,
  end: undefined,
};

/** A call in progress: the Call button is disabled, the panel shows the controls. */
export function inCall(state: CallState): boolean {
  return state.status === "connecting" || state.status === "waiting" || state.status === "talking";
}

export function callReducer(state: CallState, action: CallAction): CallState {
  switch (action.type) {
    case "start":
      return inCall(state) ? state : { ...idleCall, status: "connecting" };
    case "placing":
      return state.status === "connecting" ? { ...state, legId: action.legId } : state;
    case "connected":
      // The media is up: the queue plays until an agent answers.
      return state.status === "connecting" ? { ...state, status: "waiting", connectedAt: action.at } : state;
    case "agent":
      if (state.status !== "waiting" && state.status !== "talking") return state;
      return { ...state, status: "talking", agentName: action.name ?? state.agentName };
    case "muted":
      return inCall(state) ? { ...state, muted: action.muted } : state;
    case "keypad":
      return inCall(state) ? { ...state, keypadOpen: action.open } : state;
    case "key":
      return state.status === "waiting" || state.status === "talking"
        ? { ...state, digits: (state.digits + action.key).slice(-24) }
        : state;
    case "energy":
      return inCall(state) && action.energy !== state.audioEnergy ? { ...state, audioEnergy: action.energy } : state;
    case "ended":
      if (!inCall(state)) return state;
      return {
        ...state,
        status: "ended",
        keypadOpen: false,
        end: {
          message: endMessage(action.reason, state.agentName !== undefined || state.status === "talking"),
          tone: action.reason === "hangup" || action.reason === "remote_hangup" ? "info" : "error",
          duration: state.connectedAt === undefined ? undefined : Math.max(0, action.at - state.connectedAt),
        },
      };
    case "failed":
      if (!inCall(state)) return state;
      return {
        ...state,
        status: "ended",
        keypadOpen: false,
        end: {
          message: startFailureMessage(action.code),
          tone: action.code === "call_ended" ? "info" : "error",
          duration: undefined,
        },
      };
    case "dismiss":
      return state.status === "ended" ? idleCall : state;
  }
}

export const MICROPHONE_MESSAGE = "Allow the microphone in your browser to call us.";
export const NETWORK_MESSAGE = "The call could not connect: your network may block calls.";

/** What the customer reads when the call ended for this reason. */
export function endMessage(reason: CallEndReason, answered: boolean): string {
  switch (reason) {
    case "hangup":
      return "You hung up.";
    case "remote_hangup":
      return answered ? "The agent ended the call." : "The call ended.";
    case "failed":
      return NETWORK_MESSAGE;
    case "media_refused":
      return MICROPHONE_MESSAGE;
    case "timeout":
      return "No one could take your call in time. Please try again, or keep chatting here.";
    default:
      return "No one could take your call right now. Please try again, or keep chatting here.";
  }
}

/** Why the call did not start: the sdk's `CallingError` codes and the server's error codes. */
export function startFailureMessage(code: string): string {
  switch (code) {
    case "media_refused":
      return MICROPHONE_MESSAGE;
    case "no_microphone":
      return "No microphone was found. Connect one to call us.";
    case "unsupported":
      return "This browser can't make calls. Try another browser, or keep chatting here.";
    case "not_connected_to_server":
      return "You're offline. Check your connection and try again.";
    case "connect_timeout":
      return NETWORK_MESSAGE;
    case "call_ended":
      return "You hung up.";
    case "calls.unavailable":
    case "auth.scope_missing":
      return "Calls aren't available right now. Keep chatting with us here.";
    case "call.conversation_ended":
    case "conversation.not_found":
      return "This chat has ended. Start a new one to call us.";
    default:
      return "The call could not be started. Please try again.";
  }
}

/** The panel's status line. */
export function statusText(state: CallState): string {
  switch (state.status) {
    case "idle":
      return "";
    case "connecting":
      return "Connecting…";
    case "waiting":
      return "Waiting for an agent…";
    case "talking":
      return state.agentName ? `On a call with ${state.agentName}` : "On a call";
    case "ended":
      // It never got through: the alert under it says why.
      return state.end?.tone === "error" && state.end.duration === undefined ? "Call not started" : "Call ended";
  }
}

/** "0:07", "12:34", "1:02:03". */
export function formatCallTime(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** The keypad's keys, in its 3 × 4 order. */
export const KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"] as const;

/** The letters under a key, as on a phone. */
export const KEY_LETTERS: Readonly<Record<string, string>> = {
  "2": "ABC",
  "3": "DEF",
  "4": "GHI",
  "5": "JKL",
  "6": "MNO",
  "7": "PQRS",
  "8": "TUV",
  "9": "WXYZ",
  "0": "+",
};
