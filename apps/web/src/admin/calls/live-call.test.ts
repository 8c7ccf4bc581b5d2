import type { LiveCall, LiveCallParty } from "@switchboard/protocol";
import { describe, expect, it } from "vitest";
import { livePartyRole } from "./call-labels.js";
import {
  consultedLabel,
  emptyTransferForm,
  livePartyName,
  liveSummary,
  outcomeNote,
  recordingActions,
  transferRequest,
} from "./live-call.js";

const caller: LiveCallParty = { legId: "l1", role: "caller", extension: null, identityId: null, muted: false };
const agent: LiveCallParty = { legId: "l2", role: "agent", extension: "1001", identityId: "i-ana", muted: false };
const expert: LiveCallParty = { legId: "l3", role: "participant", extension: "1002", identityId: null, muted: true };

const call = (change: Partial<LiveCall> = {}): LiveCall => ({
  callId: "c1",
  parties: [caller, agent],
  callerHeld: false,
  recording: "off",
  consultation: null,
  participantsAllowed: true,
  ...change,
});

describe("a live call in words", () => {
  it("names the parties for their buttons: the caller, a phone's name and extension, or its extension", () => {
    const names = new Map([["1001", "Ana Lopez"]]);
    expect(livePartyName(caller, names)).toBe("the caller");
    expect(livePartyName(agent, names)).toBe("Ana Lopez (1001)");
    expect(livePartyName(expert, names)).toBe("1002");
    expect(livePartyName({ ...expert, extension: null })).toBe("the outside participant");
    expect(livePartyRole("participant")).toBe("Participant");
  });

  it("sums the state up in a line that is read out when it changes", () => {
    expect(liveSummary(call())).toBe("Caller connected · Not recording · 2 on the call");
    expect(
      liveSummary(
        call({
          parties: [caller, agent, expert],
          callerHeld: true,
          recording: "paused",
          consultation: { target: { kind: "extension", extension: "1003" }, state: "ringing" },
        }),
      ),
    ).toBe("Caller on hold · Recording paused · 3 on the call · 1 muted · Ringing 1003 for a consultation");
    expect(liveSummary(call({ consultation: { target: { kind: "number", e164: "+15550199" }, state: "talking" } }))).toContain(
      "Consulting +15550199",
    );
  });

  it("offers the recording controls each state allows", () => {
    expect(recordingActions("off").map((a) => a.action)).toEqual(["start"]);
    expect(recordingActions("on").map((a) => a.action)).toEqual(["pause", "stop"]);
    expect(recordingActions("paused").map((a) => a.action)).toEqual(["resume", "stop"]);
  });

  it("names whom a consultation is with", () => {
    expect(consultedLabel({ target: { kind: "extension", extension: "1002" }, state: "talking" })).toBe("1002");
  });

  it("tells only of a target that did not answer", () => {
    expect(outcomeNote("failed", "1002")).toBe("1002 did not answer: the call goes on as before.");
    expect(outcomeNote("answered", "1002")).toBeUndefined();
    expect(outcomeNote("succeeded", "Sales")).toBeUndefined();
  });
});

describe("the transfer form", () => {
  it("transfers to an extension blind or after a consultation", () => {
    expect(transferRequest({ ...emptyTransferForm(), extension: " 1002 " })).toEqual({
      target: { kind: "person", extension: "1002" },
      mode: "blind",
    });
    expect(transferRequest({ ...emptyTransferForm(), extension: "1002", mode: "consult" })).toMatchObject({ mode: "consult" });
  });

  it("transfers to a queue blind only, whatever the mode says", () => {
    expect(transferRequest({ ...emptyTransferForm("q1"), kind: "queue", mode: "consult" })).toEqual({
      target: { kind: "queue", queueId: "q1" },
      mode: "blind",
    });
  });

  it("says what is missing", () => {
    expect(transferRequest(emptyTransferForm())).toEqual({ error: "Enter an extension." });
    expect(transferRequest({ ...emptyTransferForm(), kind: "queue" })).toEqual({ error: "Pick a queue." });
  });
});
