import { createMemoryStores } from "@switchboard/core/testing";
import { beforeEach, describe, expect, it } from "vitest";
import type { Principal } from "../identity/model.js";
import { ManualClock } from "../kernel/clock.js";
import { DomainError } from "../kernel/domain-error.js";
import { SequentialIds } from "../kernel/ids.js";
import {
  addCallLeg,
  addCallRecording,
  answerCall,
  answerCallLeg,
  type CallRecordDeps,
  callTimeline,
  endCall,
  endCallLeg,
  getCallRecord,
  listCallRecords,
  recordCallEvent,
  startCall,
} from "./records.js";

const ACME = "tenant-acme";
const GLOBEX = "tenant-globex";
const identity = (role: "agent" | "supervisor" | "admin"): Principal => ({
  kind: "identity",
  tenantId: ACME,
  identityId: "i-1",
  scopes: role === "admin" ? ["chat", "voip", "admin"] : ["chat", "voip"],
  role,
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (e: unknown) => (e instanceof DomainError ? `${e.kind}:${e.code}` : String(e)),
  );

describe("call records", () => {
  let deps: CallRecordDeps;
  let clock: ManualClock;

  beforeEach(async () => {
    const stores = createMemoryStores();
    clock = new ManualClock("2026-03-01T09:00:00Z");
    await stores.identities.createTenant({ id: ACME, slug: "acme", name: "Acme", createdAt: clock.now() });
    await stores.identities.createTenant({ id: GLOBEX, slug: "globex", name: "Globex", createdAt: clock.now() });
    deps = { calls: stores.callRecords, clock, ids: new SequentialIds("call") };
  });

  it("records an incoming call from ringing to its end, with its legs, recordings and timeline", async () => {
    const call = await startCall(deps, {
      tenantId: ACME,
      direction: "inbound",
      from: "+15551234",
      to: "+15550100",
      numberId: "number-1",
      entry: "demo",
      leg: { id: "leg-caller", role: "caller", party: "sip:+15551234@192.0.2.10", sipCallId: "abc@192.0.2.10", protocol: "udp" },
    });
    expect(call).toMatchObject({ state: "ringing", result: null, trunkId: null, recordingIds: [], legs: [{ id: "leg-caller" }] });
    clock.advance(1000);
    const answered = await answerCall(deps, ACME, call.id);
    expect(answered).toMatchObject({ state: "answered", answeredAt: clock.now() });
    await answerCallLeg(deps, ACME, call.id, "leg-caller");
    clock.advance(500);
    expect((await answerCall(deps, ACME, call.id)).answeredAt).toEqual(answered.answeredAt);

    await recordCallEvent(deps, ACME, call.id, "play.ended", { legId: "leg-caller", outcome: { ended: "finished" } });
    await addCallRecording(deps, ACME, call.id, "rec-1");
    await addCallRecording(deps, ACME, call.id, "rec-1");
    const agentLeg = await addCallLeg(deps, ACME, call.id, {
      role: "agent",
      party: "sip:1001@10.0.0.5",
      sipCallId: "x",
      protocol: "tcp",
    });
    clock.advance(2000);
    await answerCallLeg(deps, ACME, call.id, agentLeg.id);
    await recordCallEvent(deps, ACME, call.id, "bridge.started", { legIds: ["leg-caller", agentLeg.id] });
    clock.advance(10_000);
    await endCallLeg(deps, ACME, call.id, agentLeg.id, { by: "callee", reason: "BYE" });
    clock.advance(1000);
    const ended = await endCall(deps, ACME, call.id, { result: "completed", cause: { by: "caller", reason: "BYE" } });
    expect(ended).toMatchObject({
      state: "ended",
      result: "completed",
      hangupCause: { by: "caller", reason: "BYE" },
      endedAt: clock.now(),
      durationMs: 14_500,
      recordingIds: ["rec-1"],
    });
    // The leg still open ends with the call; the one that ended keeps its own reason.
    expect(ended.legs.map((l) => [l.id, l.endReason?.by])).toEqual([
      ["leg-caller", "caller"],
      [agentLeg.id, "callee"],
    ]);
    clock.advance(1000);
    expect(await endCall(deps, ACME, call.id, { result: "failed", cause: { by: "platform", reason: "late" } })).toEqual(ended);
    expect(await failure(answerCall(deps, ACME, call.id))).toBe("conflict:call.ended");
    const timeline = await callTimeline(deps, identity("supervisor"), call.id, { after: 0, limit: 10 });
    expect(timeline.map((e) => [e.sequence, e.type])).toEqual([
      [1, "play.ended"],
      [2, "bridge.started"],
    ]);
  });

  it("lets supervisors and admins read calls, not agents, and never another tenant's", async () => {
    const call = await startCall(deps, { tenantId: ACME, direction: "outbound", from: "+15550100", to: "+4930123" });
    const admin: Principal = { kind: "api_key", tenantId: ACME, apiKeyId: "k" };
    for (const who of [admin, identity("admin"), identity("supervisor")]) {
      expect((await getCallRecord(deps, who, call.id)).id).toBe(call.id);
      expect((await listCallRecords(deps, who, { direction: "outbound" }, { limit: 10 })).items).toHaveLength(1);
    }
    expect(await failure(getCallRecord(deps, identity("agent"), call.id))).toBe("forbidden:auth.supervisor_required");
    expect(await failure(listCallRecords(deps, identity("agent"), {}, { limit: 10 }))).toBe("forbidden:auth.supervisor_required");
    const globex: Principal = { kind: "api_key", tenantId: GLOBEX, apiKeyId: "k2" };
    expect(await failure(getCallRecord(deps, globex, call.id))).toBe("not_found:call.not_found");
    expect(await failure(callTimeline(deps, globex, call.id, { after: 0, limit: 10 }))).toBe("not_found:call.not_found");
    expect((await listCallRecords(deps, globex, {}, { limit: 10 })).items).toEqual([]);
    expect(await failure(recordCallEvent(deps, GLOBEX, call.id, "x", {}))).toBe("not_found:call.not_found");
    expect(
      await failure(addCallLeg(deps, GLOBEX, call.id, { role: "callee", party: "p", sipCallId: "s", protocol: "udp" })),
    ).toBe("not_found:call.not_found");
    expect(await failure(endCallLeg(deps, ACME, call.id, "leg-nope", { by: "platform", reason: "x" }))).toBe(
      "not_found:call_leg.not_found",
    );
  });
});
