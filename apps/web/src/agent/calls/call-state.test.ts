import type { CallStats, WebCall } from "@switchboard/sdk";
import { describe, expect, it } from "vitest";
import {
  activeCall,
  appendDigits,
  callerLabel,
  callQuality,
  directRinging,
  endedSummary,
  formatCallTime,
  KEYPAD,
  keypadKey,
  qualityFigures,
  registrationLabel,
  transferTargetOf,
  voiceOfferMode,
} from "./call-state.js";

const call = (patch: Partial<WebCall> = {}): WebCall => ({
  legId: "leg_1",
  callId: "call_1",
  direction: "incoming",
  conversationId: null,
  offerId: "ofr_1",
  from: { number: "+15550123", name: null },
  queueName: "Sales",
  phase: "ringing",
  ringingSince: 0,
  connectedAt: undefined,
  muted: false,
  held: false,
  remoteStream: undefined,
  ended: undefined,
  ...patch,
});

const stats = (patch: Partial<CallStats> = {}): CallStats => ({
  at: 0,
  packetsReceived: 500,
  packetsLost: 0,
  lossPercent: 0,
  jitterMs: 4,
  roundTripTimeMs: 20,
  audioLevel: 0.1,
  totalAudioEnergy: 0.5,
  packetsSent: 500,
  ...patch,
});

describe("callerLabel", () => {
  it("prefers the caller's name, then the number, then says unknown", () => {
    expect(callerLabel({ number: "+15550123", name: "Ada Lovelace" })).toBe("Ada Lovelace");
    expect(callerLabel({ number: "+15550123", name: " " })).toBe("+15550123");
    expect(callerLabel({ number: null, name: null })).toBe("Unknown caller");
    expect(callerLabel("+15550199")).toBe("+15550199");
    expect(callerLabel(null)).toBe("Unknown caller");
  });
});

describe("voiceOfferMode", () => {
  it("answers a call ringing here for the offer; without one, the desk phone rings", () => {
    const ringing = call();
    expect(voiceOfferMode({ id: "ofr_1" }, [ringing])).toEqual({ kind: "answer", call: ringing });
    expect(voiceOfferMode({ id: "ofr_2" }, [ringing])).toEqual({ kind: "desk_phone" });
    expect(voiceOfferMode({ id: "ofr_1" }, [])).toEqual({ kind: "desk_phone" });
    const answering = call({ phase: "answering" });
    expect(voiceOfferMode({ id: "ofr_1" }, [answering])).toEqual({ kind: "answering", call: answering });
    expect(voiceOfferMode({ id: "ofr_1" }, [call({ phase: "ended" })])).toEqual({ kind: "desk_phone" });
  });

  it("the active call is the one being answered or connected, not a ringing one", () => {
    const connected = call({ legId: "leg_2", phase: "connected" });
    expect(activeCall([call(), connected])).toBe(connected);
    expect(activeCall([call()])).toBeUndefined();
  });
});

describe("formatCallTime", () => {
  it("shows minutes and seconds, hours when there are any", () => {
    expect(formatCallTime(0)).toBe("0:00");
    expect(formatCallTime(7_900)).toBe("0:07");
    expect(formatCallTime(754_000)).toBe("12:34");
    expect(formatCallTime(3_723_000)).toBe("1:02:03");
    expect(formatCallTime(-5)).toBe("0:00");
  });
});

describe("callQuality", () => {
  it("judges the line by its worst figure", () => {
    expect(callQuality(undefined)).toBe("unknown");
    expect(callQuality(stats({ packetsReceived: 0 }))).toBe("unknown");
    expect(callQuality(stats())).toBe("good");
    expect(callQuality(stats({ lossPercent: 2 }))).toBe("fair");
    expect(callQuality(stats({ jitterMs: 40 }))).toBe("fair");
    expect(callQuality(stats({ roundTripTimeMs: 350 }))).toBe("fair");
    expect(callQuality(stats({ lossPercent: 8 }))).toBe("poor");
    expect(callQuality(stats({ jitterMs: 80, lossPercent: 0 }))).toBe("poor");
    expect(callQuality(stats({ roundTripTimeMs: undefined, jitterMs: undefined }))).toBe("good");
  });

  it("prints the figures, a dash for what is not measured yet", () => {
    expect(qualityFigures(stats({ lossPercent: 0.44, jitterMs: 12.4, roundTripTimeMs: 47.6 }))).toEqual({
      loss: "0.4%",
      jitter: "12 ms",
      rtt: "48 ms",
    });
    expect(qualityFigures(undefined)).toEqual({ loss: "–", jitter: "–", rtt: "–" });
    expect(qualityFigures(stats({ packetsReceived: 0, roundTripTimeMs: undefined })).loss).toBe("–");
  });
});

describe("the keypad", () => {
  it("has the twelve keys of a phone, in a phone's order", () => {
    expect(KEYPAD.map((k) => k.key).join("")).toBe("123456789*0#");
    expect(KEYPAD.find((k) => k.key === "7")?.letters).toBe("PQRS");
  });

  it("takes digits, star and pound from the keyboard, and keeps the last keys sent", () => {
    expect(["5", "*", "#", "a", "Enter", "55"].map(keypadKey)).toEqual(["5", "*", "#", undefined, undefined, undefined]);
    expect(appendDigits("12", "3")).toBe("123");
    expect(appendDigits("1".repeat(24), "2")).toBe(`${"1".repeat(23)}2`);
  });
});

describe("registrationLabel", () => {
  it("says where calls ring", () => {
    expect(registrationLabel("on")).toEqual({ text: "Calls: on this computer", tone: "on" });
    expect(registrationLabel("registering")?.tone).toBe("pending");
    expect(registrationLabel("refused")?.text).toBe("Calls: desk phone only");
    expect(registrationLabel("off")).toBeUndefined();
  });
});

describe("endedSummary", () => {
  it("says who, how long and why", () => {
    expect(endedSummary(call({ phase: "ended", connectedAt: 1_000, ended: { reason: "remote_hangup", at: 76_000 } }))).toBe(
      "Call with +15550123 ended after 1:15: the caller hung up.",
    );
    expect(endedSummary(call({ phase: "ended", connectedAt: 0, ended: { reason: "hangup", at: 5_000 } }))).toBe(
      "Call with +15550123 ended after 0:05: you hung up.",
    );
    expect(endedSummary(call({ phase: "ended", ended: { reason: "cancelled", at: 1 } }))).toBe(
      "The call from +15550123 stopped ringing: the caller hung up before it was answered.",
    );
    expect(endedSummary(call({ phase: "ended", ended: { reason: "media_refused", at: 1 } }))).toMatch(/microphone/);
    expect(
      endedSummary(call({ phase: "ended", connectedAt: 0, ended: { reason: "failed", detail: "ICE failed", at: 2_000 } })),
    ).toBe("The call with +15550123 dropped after 0:02: ICE failed.");
  });
});

describe("a call the agent placed", () => {
  it("shows in the panel while it rings the other side, and says why it did not get through", () => {
    const placed = call({ direction: "outgoing", offerId: null, phase: "placing", from: { number: "1002", name: null } });
    expect(activeCall([placed])).toBe(placed);
    expect(endedSummary({ ...placed, phase: "ended", ended: { reason: "busy", at: 1 }, connectedAt: undefined })).toBe(
      "Your call to 1002 did not get through: the line was busy.",
    );
  });
});

describe("directRinging", () => {
  it("lists calls ringing here without a queue's offer (a transfer, a colleague), not offers or connected calls", () => {
    const transfer = call({ legId: "leg_t", offerId: null });
    const calls = [call(), transfer, call({ legId: "leg_c", offerId: null, phase: "connected" })];
    expect(directRinging(calls)).toEqual([transfer]);
  });
});

describe("transferTargetOf", () => {
  it("reads an extension, a number, or nothing it can dial", () => {
    expect(transferTargetOf("1002")).toEqual({ kind: "person", extension: "1002" });
    expect(transferTargetOf("+1 (555) 010-0199")).toEqual({ kind: "external_number", number: "+15550100199" });
    expect(transferTargetOf("7")).toBeUndefined();
    expect(transferTargetOf("Ana")).toBeUndefined();
    expect(transferTargetOf("+0123")).toBeUndefined();
  });
});
