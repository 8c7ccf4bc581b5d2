import { describe, expect, it } from "vitest";
import {
  type CallAction,
  type CallState,
  callReducer,
  formatCallTime,
  idleCall,
  inCall,
  MICROPHONE_MESSAGE,
  NETWORK_MESSAGE,
  startFailureMessage,
  statusText,
} from "./call-state.js";

const run = (...actions: CallAction[]): CallState => actions.reduce(callReducer, idleCall);
const waiting = (): CallState => run({ type: "start" }, { type: "placing", legId: "leg_1" }, { type: "connected", at: 1_000 });

describe("the widget's call state", () => {
  it("goes connecting → waiting (media up: the queue plays) → talking (an agent answered) → ended", () => {
    const connecting = run({ type: "start" });
    expect(connecting.status).toBe("connecting");
    expect(statusText(connecting)).toBe("Connecting…");
    expect(inCall(connecting)).toBe(true);

    const placed = callReducer(connecting, { type: "placing", legId: "leg_1" });
    expect(placed).toMatchObject({ status: "connecting", legId: "leg_1" });

    const queued = callReducer(placed, { type: "connected", at: 1_000 });
    expect(queued).toMatchObject({ status: "waiting", connectedAt: 1_000 });
    expect(statusText(queued)).toBe("Waiting for an agent…");

    const talking = callReducer(queued, { type: "agent", name: "Ada" });
    expect(statusText(talking)).toBe("On a call with Ada");
    expect(statusText(callReducer(queued, { type: "agent", name: undefined }))).toBe("On a call");

    const ended = callReducer(talking, { type: "ended", reason: "remote_hangup", at: 84_000 });
    expect(ended.status).toBe("ended");
    expect(statusText(ended)).toBe("Call ended");
    expect(ended.end).toEqual({ message: "The agent ended the call.", tone: "info", duration: 83_000 });
    expect(inCall(ended)).toBe(false);
    expect(callReducer(ended, { type: "dismiss" })).toBe(idleCall);
  });

  it("says why a call failed: the network, the microphone, a refusal by the server", () => {
    const failed = callReducer(waiting(), { type: "ended", reason: "failed", detail: "ICE failed", at: 2_000 });
    expect(failed.end).toMatchObject({ message: NETWORK_MESSAGE, tone: "error" });
    expect(NETWORK_MESSAGE).toBe("The call could not connect: your network may block calls.");

    const refused = run({ type: "start" }, { type: "failed", code: "media_refused", at: 0 });
    expect(refused.end).toEqual({ message: MICROPHONE_MESSAGE, tone: "error", duration: undefined });
    expect(statusText(refused)).toBe("Call not started");
    expect(statusText(failed)).toBe("Call ended");
    expect(MICROPHONE_MESSAGE).toMatch(/Allow the microphone/);

    expect(startFailureMessage("calls.unavailable")).toMatch(/Calls aren't available/);
    expect(startFailureMessage("conversation.not_found")).toMatch(/chat has ended/);
    expect(startFailureMessage("not_connected_to_server")).toMatch(/offline/);
    expect(startFailureMessage("something.else")).toMatch(/could not be started/);
    // The customer's own hang-up before the server answered is no error.
    expect(run({ type: "start" }, { type: "failed", code: "call_ended", at: 0 }).end?.tone).toBe("info");
  });

  it("hanging up while waiting: no agent, a plain end with the time connected", () => {
    const ended = callReducer(waiting(), { type: "ended", reason: "hangup", at: 6_500 });
    expect(ended.end).toEqual({ message: "You hung up.", tone: "info", duration: 5_500 });
    // Nobody answered: the queue let the call go.
    expect(callReducer(waiting(), { type: "ended", reason: "remote_hangup", at: 2_000 }).end?.message).toBe("The call ended.");
    expect(callReducer(waiting(), { type: "ended", reason: "timeout", at: 2_000 }).end?.tone).toBe("error");
  });

  it("keys, mute and the keypad only while the call lasts; keys only once the media is up", () => {
    const connecting = run({ type: "start" });
    expect(callReducer(connecting, { type: "key", key: "5" }).digits).toBe("");
    let state = callReducer(waiting(), { type: "keypad", open: true });
    state = callReducer(state, { type: "key", key: "5" });
    state = callReducer(state, { type: "key", key: "#" });
    state = callReducer(state, { type: "muted", muted: true });
    expect(state).toMatchObject({ keypadOpen: true, digits: "5#", muted: true });
    const ended = callReducer(state, { type: "ended", reason: "hangup", at: 3_000 });
    expect(ended.keypadOpen).toBe(false);
    expect(callReducer(ended, { type: "muted", muted: false })).toBe(ended);
    expect(callReducer(ended, { type: "key", key: "1" })).toBe(ended);
  });

  it("ignores what comes out of order: a second start, a late connected, energy after the end", () => {
    const state = waiting();
    expect(callReducer(state, { type: "start" })).toBe(state);
    expect(callReducer(state, { type: "connected", at: 9_000 })).toBe(state);
    expect(callReducer(state, { type: "energy", energy: 0.5 }).audioEnergy).toBe(0.5);
    const ended = callReducer(state, { type: "ended", reason: "hangup", at: 2_000 });
    expect(callReducer(ended, { type: "energy", energy: 1 })).toBe(ended);
    expect(callReducer(ended, { type: "ended", reason: "failed", at: 3_000 })).toBe(ended);
    expect(callReducer(idleCall, { type: "agent", name: "Ada" })).toBe(idleCall);
    // A new call after the end starts clean.
    expect(callReducer(ended, { type: "start" })).toMatchObject({ status: "connecting", digits: "", end: undefined });
  });

  it("formats the call time", () => {
    expect(formatCallTime(7_400)).toBe("0:07");
    expect(formatCallTime(754_000)).toBe("12:34");
    expect(formatCallTime(3_723_000)).toBe("1:02:03");
    expect(formatCallTime(-5)).toBe("0:00");
  });
});
