import type { CallEvent, CallLeg } from "@switchboard/protocol";
import { describe, expect, it } from "vitest";
import { callStatus, describeCallEvent, endCauseLabel, formatCallDuration, humanize, partyLabel } from "./call-labels.js";

const leg = (id: string, role: CallLeg["role"]): CallLeg => ({
  id,
  role,
  party: `sip:${id}@127.0.0.1`,
  sipCallId: `c-${id}`,
  protocol: "udp",
  startedAt: "2025-01-01T10:00:00.000Z",
  answeredAt: null,
  endedAt: null,
  endReason: null,
});
const legs = [leg("leg_c", "caller"), leg("leg_a", "agent")];
const event = (type: string, data: unknown): CallEvent => ({ sequence: 1, type, data, at: "2025-01-01T10:00:01.000Z" });
const line = (type: string, data: unknown) => describeCallEvent(event(type, data), legs);

describe("describeCallEvent", () => {
  it("names keys, prompts and recordings in words, with the party by its role", () => {
    expect(line("key.pressed", { legId: "leg_c", key: "*" })).toEqual({
      kind: "key",
      title: "Key pressed: star (*)",
      detail: "By the caller.",
    });
    expect(line("play.ended", { legId: "leg_c", outcome: { ended: "finished" } })).toMatchObject({
      title: "Prompt played",
      detail: "Played to the end.",
    });
    expect(line("play.ended", { legId: "leg_c", outcome: { ended: "interrupted", key: "5" } })).toMatchObject({
      title: "Prompt interrupted",
      detail: "The caller pressed 5.",
    });
    expect(line("collect.ended", { legId: "leg_c", outcome: { digits: "", ended: "no-input" } })).toMatchObject({
      title: "No keys collected",
      detail: "Nobody pressed a key in time.",
    });
    expect(
      line("record.ended", {
        legId: "leg_c",
        outcome: { recording: { id: "rec_1", durationMs: 4_200 }, durationMs: 4_200, ended: "key", key: "#" },
      }),
    ).toEqual({ kind: "record", title: "Recording made (0:04)", detail: "Stopped with pound (#).", recordingId: "rec_1" });
    expect(line("record.ended", { legId: "leg_c", outcome: { durationMs: 0, ended: "silence" } })).toMatchObject({
      title: "Nothing recorded",
    });
  });

  it("names transfers, bridges, hangups and the flow's outcome", () => {
    expect(line("transfer.requested", { legId: "leg_a", target: { kind: "extension", extension: "1002" } })).toMatchObject({
      kind: "transfer",
      title: "Transfer to extension 1002",
      detail: "Asked for by the agent.",
    });
    expect(line("bridge.started", { legIds: ["leg_c", "leg_a"] }).detail).toBe("The caller and the agent hear each other.");
    expect(line("leg.ended", { legId: "leg_c", cause: { by: "party", reason: "BYE" } })).toMatchObject({
      title: "The caller hung up",
      detail: "BYE",
    });
    expect(line("leg.ended", { legId: "leg_x", cause: { by: "platform", status: 408, reason: "no answer" } })).toMatchObject({
      title: "Switchboard hung up on a party",
      detail: "no answer · SIP 408",
    });
    expect(line("flow.ended", { flow: "demo", outcome: "no-agent" })).toMatchObject({
      title: "Flow “demo” ended",
      detail: "No agent could take the call.",
    });
  });

  it("shows an unknown event by its type, and survives data of the wrong shape", () => {
    expect(line("queue.overflowed", { whatever: 1 })).toEqual({ kind: "other", title: "Queue overflowed" });
    expect(line("key.pressed", null).title).toBe("Key pressed: ?");
    expect(line("record.ended", "nonsense").title).toBe("Nothing recorded");
  });
});

describe("labels", () => {
  it("formats durations as m:ss", () => {
    expect(formatCallDuration(0)).toBe("0:00");
    expect(formatCallDuration(65_400)).toBe("1:05");
    expect(formatCallDuration(3_725_000)).toBe("1:02:05");
    expect(formatCallDuration(null)).toBe("—");
  });

  it("shows a SIP URI by its user part", () => {
    expect(partyLabel("sip:1001@10.0.0.5:5060;transport=tcp")).toBe("1001");
    expect(partyLabel("sip:%2B15550100@carrier.example")).toBe("+15550100");
    expect(partyLabel("sip:carrier.example")).toBe("carrier.example");
    expect(partyLabel("+15550100")).toBe("+15550100");
  });

  it("says where a call stands and why it ended", () => {
    expect(callStatus({ state: "ended", result: "missed" })).toEqual({ label: "Missed", tone: "warning" });
    expect(callStatus({ state: "answered", result: null })).toEqual({ label: "In progress", tone: "accent" });
    expect(endCauseLabel({ by: "caller", status: 487, reason: "cancelled" })).toBe("Ended by the caller: cancelled (SIP 487)");
    expect(endCauseLabel(null)).toBeUndefined();
    expect(humanize("flow.ended_early")).toBe("Flow ended early");
  });
});

describe("describeCallEvent for a connected call's controls", () => {
  it("tells who joined, who was muted, and the caller's hold", () => {
    expect(line("participant.joined", { legId: "x", role: "participant", extension: "1002" })).toEqual({
      kind: "bridge",
      title: "Participant joined",
      detail: "Extension 1002.",
    });
    expect(line("participant.left", { legId: "x", role: "agent", extension: null })).toEqual({
      kind: "bridge",
      title: "Agent left",
    });
    expect(line("participant.muted", { legId: "leg_a", muted: true })).toMatchObject({
      title: "Muted",
      detail: "The others no longer hear the agent.",
    });
    expect(line("participant.muted", { legId: "leg_a", muted: false })).toMatchObject({
      title: "Unmuted",
      detail: "The agent is heard again.",
    });
    expect(line("caller.held", { held: true })).toMatchObject({ kind: "hold", title: "Caller put on hold" });
    expect(line("caller.held", { held: false })).toMatchObject({ kind: "hold", title: "Caller taken off hold" });
  });

  it("tells transfers and consultations with their targets and outcomes", () => {
    expect(line("transfer.completed", { mode: "consult", target: { kind: "extension", extension: "1002" } })).toEqual({
      kind: "transfer",
      title: "Transferred to extension 1002",
      detail: "After a consultation.",
    });
    expect(line("transfer.completed", { mode: "blind", target: "flow" })).toMatchObject({
      title: "Transferred to the call flows",
      detail: "Blind.",
    });
    expect(line("transfer.failed", { mode: "blind", target: { kind: "number", e164: "+15550199" } })).toMatchObject({
      title: "Transfer to +15550199 failed",
    });
    expect(line("consultation.started", { target: { kind: "extension", extension: "1002" } })).toMatchObject({
      title: "Consultation with extension 1002",
    });
    expect(line("consultation.ended", { outcome: "merged" })).toMatchObject({
      title: "Consultation ended",
      detail: "Merged: everyone talks together.",
    });
  });

  it("tells the recording's course, and the recording it made to play in place", () => {
    expect(line("recording.started", { consent: true })).toMatchObject({
      kind: "record",
      detail: "After the consent announcement.",
    });
    expect(line("recording.paused", {})).toEqual({ kind: "record", title: "Recording paused" });
    expect(line("recording.stopped", { recordingId: "rec_1", durationMs: 12_000 })).toMatchObject({
      title: "Recording made (0:12)",
      recordingId: "rec_1",
    });
    expect(line("recording.stopped", { recordingId: null, durationMs: 0 })).toMatchObject({ title: "Recording stopped" });
  });
});
