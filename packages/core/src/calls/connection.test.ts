import { describe, expect, it } from "vitest";
import { MemoryCallLeg, MemoryMixer, ScriptedDialer } from "../../testing/memory-call-media.js";
import { MemoryRecordingStore } from "../../testing/memory-recording-store.js";
import { CallConnection, type ConnectionEvent, connectParties, DEFAULT_RECORDING_CONSENT } from "./connection.js";

const dial = { tenantId: "tenant-1", callId: "call-1", callerId: "+15551234567" };
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

function setup(options: { participantsAllowed?: boolean; record?: boolean } = {}) {
  const caller = new MemoryCallLeg("caller");
  const agent = new MemoryCallLeg("agent");
  const dialer = new ScriptedDialer();
  const mixer = new MemoryMixer();
  const recordings = new MemoryRecordingStore(() => new Date(0));
  const events: ConnectionEvent[] = [];
  const deps = {
    dialer,
    mixer,
    recordings,
    identityOf: async (_tenantId: string, extension: string) => (extension === "1002" ? "identity-ben" : undefined),
  };
  const connection = new CallConnection(caller, { leg: agent, extension: "1001", identityId: "identity-ana" }, deps, dial, {
    onEvent: (event) => events.push(event),
    ...(options.participantsAllowed !== undefined ? { participantsAllowed: options.participantsAllowed } : {}),
    ...(options.record ? { record: { consent: [{ kind: "speech", text: "We record calls." }] } } : {}),
  });
  const room = () => mixer.conferences[0];
  return { caller, agent, dialer, mixer, recordings, events, deps, connection, room };
}

const types = (events: ConnectionEvent[]) => events.map((event) => event.type);

describe("a caller connected to an agent", () => {
  it("talks in one conference until the agent hangs up, then the caller is hung up", async () => {
    const { caller, agent, mixer, connection } = setup();
    expect(mixer.rooms).toEqual([["caller", "agent"]]);
    expect(connection.state.parties.map((p) => [p.legId, p.role])).toEqual([
      ["caller", "caller"],
      ["agent", "agent"],
    ]);
    expect(connection.involves("identity-ana")).toBe(true);
    expect(connection.involves("identity-ben")).toBe(false);
    agent.hangUp();
    await expect(connection.done).resolves.toEqual({ transfers: 0 });
    expect(caller.hungUp?.by).toBe("platform");
    expect(mixer.rooms).toEqual([]);
  });

  it("follows a blind transfer from the agent's phone: music while the target rings, then the caller talks to the target", async () => {
    const { caller, agent, dialer, mixer, connection, events } = setup();
    const expert = new MemoryCallLeg("expert");
    dialer.answerWith({ ok: true, leg: expert });
    await expect(agent.requestTransfer({ kind: "extension", extension: "1002" })).resolves.toBe("succeeded");
    await settle();
    expect(dialer.dialled[0]).toMatchObject({ target: { kind: "extension", extension: "1002" }, options: dial });
    expect(caller.events.map((e) => e.type)).toEqual(expect.arrayContaining(["hold.started", "hold.ended"]));
    expect(agent.hungUp?.reason).toBe("transferred");
    expect(mixer.rooms).toEqual([["caller", "expert"]]);
    expect(events).toContainEqual({
      type: "transfer.completed",
      mode: "blind",
      target: { kind: "extension", extension: "1002" },
    });
    caller.hangUp();
    await expect(connection.done).resolves.toEqual({ transfers: 1 });
    expect(expert.hungUp?.by).toBe("platform");
  });

  it("brings the caller back to the agent when a blind transfer's target does not answer", async () => {
    const { caller, agent, dialer, mixer, connection, events } = setup();
    dialer.answerWith({ ok: false, failure: "no-answer", status: 408 });
    await expect(agent.requestTransfer({ kind: "number", e164: "+15557654321" })).resolves.toBe("failed");
    await settle();
    expect(agent.hungUp).toBeUndefined();
    expect(caller.onHold).toBe(false);
    expect(mixer.rooms).toEqual([["caller", "agent"]]);
    expect(types(events)).toContain("transfer.failed");
    agent.hangUp();
    await expect(connection.done).resolves.toEqual({ transfers: 0 });
  });

  it("plays the caller hold music while the agent's phone holds the call, and from the API", async () => {
    const { caller, agent, connection } = setup();
    agent.holdKey(true);
    await settle();
    expect(caller.onHold).toBe(true);
    expect(connection.state.callerHeld).toBe(true);
    agent.holdKey(false);
    await settle();
    expect(caller.onHold).toBe(false);
    await connection.hold();
    expect(caller.onHold).toBe(true);
    await connection.resume();
    expect(caller.onHold).toBe(false);
    agent.hangUp();
    await connection.done;
  });

  it("refuses transfers and controls once the call is over", async () => {
    const { caller, agent, connection } = setup();
    caller.hangUp();
    await connection.done;
    await expect(agent.requestTransfer({ kind: "extension", extension: "1002" })).resolves.toBe("refused");
    await expect(connection.transfer({ kind: "extension", extension: "1002" })).rejects.toMatchObject({ code: "call.ended" });
    await expect(connection.startRecording()).rejects.toMatchObject({ code: "call.ended" });
  });

  it("connectParties keeps the two talking until one hangs up", async () => {
    const caller = new MemoryCallLeg("caller");
    const agent = new MemoryCallLeg("agent");
    const mixer = new MemoryMixer();
    const done = connectParties(caller, agent, { dialer: new ScriptedDialer(), mixer }, dial, "1001");
    expect(mixer.rooms).toEqual([["caller", "agent"]]);
    caller.hangUp();
    await expect(done).resolves.toEqual({ transfers: 0 });
    expect(agent.hungUp?.by).toBe("platform");
  });
});

describe("consult transfer", () => {
  it("holds the caller while the agent talks to the target alone, then hands the caller over", async () => {
    const { caller, agent, dialer, mixer, connection, events } = setup();
    dialer.ringUntilTold();
    const consulting = connection.consult({ kind: "extension", extension: "1002" });
    await settle();
    expect(caller.onHold).toBe(true);
    expect(connection.state.consultation).toEqual({ target: { kind: "extension", extension: "1002" }, state: "ringing" });
    const expert = new MemoryCallLeg("expert");
    dialer.ringing[0]?.answer(expert);
    await expect(consulting).resolves.toBe("answered");
    expect(mixer.rooms).toEqual([["caller"], ["agent", "expert"]]);
    expect(connection.state.consultation?.state).toBe("talking");
    await connection.completeConsultation();
    expect(agent.hungUp?.reason).toBe("transferred");
    expect(caller.onHold).toBe(false);
    expect(mixer.rooms).toEqual([["caller", "expert"]]);
    expect(types(events)).toEqual(
      expect.arrayContaining(["consultation.started", "consultation.ended", "transfer.completed", "participant.left"]),
    );
    expect(events).toContainEqual({ type: "consultation.ended", outcome: "completed" });
    expert.hangUp();
    await expect(connection.done).resolves.toEqual({ transfers: 1 });
  });

  it("cancelled, hangs up the target and puts the agent back with the caller", async () => {
    const { caller, agent, dialer, mixer, connection } = setup();
    const expert = new MemoryCallLeg("expert");
    dialer.answerWith({ ok: true, leg: expert });
    await connection.consult({ kind: "extension", extension: "1002" });
    await connection.cancelConsultation();
    expect(expert.hungUp?.reason).toBe("the consultation was cancelled");
    expect(caller.onHold).toBe(false);
    expect(mixer.rooms).toEqual([["caller", "agent"]]);
    expect(connection.state.consultation).toBeNull();
    agent.hangUp();
    await connection.done;
  });

  it("cancelled while the target rings, stops the ringing", async () => {
    const { caller, dialer, mixer, connection, events } = setup();
    dialer.ringUntilTold();
    const consulting = connection.consult({ kind: "number", e164: "+15557654321" });
    await settle();
    await connection.cancelConsultation();
    expect(dialer.ringing[0]?.settled).toBe(true);
    await expect(consulting).resolves.toBe("failed");
    expect(events).toContainEqual({ type: "consultation.ended", outcome: "cancelled" });
    expect(caller.onHold).toBe(false);
    expect(mixer.rooms).toEqual([["caller", "agent"]]);
  });

  it("merged, makes a three-party call; the agent may leave and the target stays with the caller", async () => {
    const { caller, agent, dialer, mixer, connection } = setup();
    const expert = new MemoryCallLeg("expert");
    dialer.answerWith({ ok: true, leg: expert });
    await connection.consult({ kind: "extension", extension: "1002" });
    await connection.mergeConsultation();
    expect(mixer.rooms).toEqual([["caller", "expert", "agent"]]);
    expect(caller.onHold).toBe(false);
    expect(connection.state.parties.map((p) => p.role)).toEqual(["caller", "agent", "participant"]);
    agent.hangUp();
    await settle();
    expect(caller.hungUp).toBeUndefined();
    expect(connection.state.parties.map((p) => [p.legId, p.role])).toEqual([
      ["caller", "caller"],
      ["expert", "agent"],
    ]);
    expert.hangUp();
    await connection.done;
    expect(caller.hungUp?.by).toBe("platform");
  });

  it("the agent hanging up while talking to the target completes the transfer", async () => {
    const { caller, dialer, agent, mixer, connection } = setup();
    const expert = new MemoryCallLeg("expert");
    dialer.answerWith({ ok: true, leg: expert });
    await connection.consult({ kind: "extension", extension: "1002" });
    agent.hangUp();
    await settle();
    expect(caller.hungUp).toBeUndefined();
    expect(caller.onHold).toBe(false);
    expect(mixer.rooms).toEqual([["caller", "expert"]]);
    caller.hangUp();
    await expect(connection.done).resolves.toEqual({ transfers: 1 });
  });

  it("a target that does not answer brings the agent back; the target hanging up does too", async () => {
    const { caller, dialer, mixer, connection, events } = setup();
    dialer.answerWith({ ok: false, failure: "busy", status: 486 });
    await expect(connection.consult({ kind: "extension", extension: "1002" })).resolves.toBe("failed");
    expect(mixer.rooms).toEqual([["caller", "agent"]]);
    expect(caller.onHold).toBe(false);
    const expert = new MemoryCallLeg("expert");
    dialer.answerWith({ ok: true, leg: expert });
    await connection.consult({ kind: "extension", extension: "1002" });
    expert.hangUp();
    await settle();
    expect(events).toContainEqual({ type: "consultation.ended", outcome: "target_hung_up" });
    expect(mixer.rooms).toEqual([["caller", "agent"]]);
    expect(caller.onHold).toBe(false);
  });

  it("refuses a second transfer while one is in progress, and completing with none", async () => {
    const { dialer, connection } = setup();
    await expect(connection.completeConsultation()).rejects.toMatchObject({ code: "call.no_consultation" });
    dialer.answerWith({ ok: true, leg: new MemoryCallLeg("expert") });
    await connection.consult({ kind: "extension", extension: "1002" });
    await expect(connection.transfer({ kind: "extension", extension: "1003" })).rejects.toMatchObject({
      code: "call.transfer_in_progress",
    });
  });
});

describe("attended transfer from a phone (REFER with Replaces)", () => {
  it("the agent consulted the target on another call: the target takes this one, both of the agent's legs end", async () => {
    const { caller, agent, mixer, deps, connection, events } = setup();
    // The agent's phone called the target: another connection, the agent's second leg as its caller.
    const agentSecondLeg = new MemoryCallLeg("agent-2");
    const target = new MemoryCallLeg("target");
    const consultation = new CallConnection(agentSecondLeg, { leg: target, extension: "1002" }, deps, dial);
    const connections = { connectionOf: (legId: string) => [connection, consultation].find((c) => c.hasLeg(legId)) };
    Object.assign(deps, { connections });
    await expect(agent.requestTransfer({ kind: "extension", extension: "1002" }, "agent-2")).resolves.toBe("succeeded");
    await settle();
    expect(agent.hungUp?.reason).toBe("transferred");
    expect(agentSecondLeg.hungUp?.reason).toBe("transferred");
    expect(target.hungUp).toBeUndefined();
    await expect(consultation.done).resolves.toEqual({ transfers: 0 });
    expect(mixer.rooms).toEqual([["caller", "target"]]);
    expect(connection.state.parties.map((p) => [p.legId, p.role, p.identityId])).toEqual([
      ["caller", "caller", null],
      ["target", "agent", "identity-ben"],
    ]);
    expect(events).toContainEqual({
      type: "transfer.completed",
      mode: "consult",
      target: { kind: "extension", extension: "1002" },
    });
    caller.hangUp();
    await expect(connection.done).resolves.toEqual({ transfers: 1 });
    expect(target.hungUp?.by).toBe("platform");
  });

  it("fails, leaving the call as it was, when the named leg is in no connection or its call has more parties", async () => {
    const { agent, mixer, deps, connection } = setup();
    Object.assign(deps, { connections: { connectionOf: () => undefined } });
    await expect(agent.requestTransfer({ kind: "extension", extension: "1002" }, "nowhere")).resolves.toBe("failed");
    expect(agent.hungUp).toBeUndefined();
    const busy = new CallConnection(new MemoryCallLeg("agent-2"), { leg: new MemoryCallLeg("target") }, deps, dial);
    deps.dialer.answerWith({ ok: true, leg: new MemoryCallLeg("third") });
    await busy.addParticipant({ kind: "extension", extension: "1003" });
    Object.assign(deps, { connections: { connectionOf: () => busy } });
    await expect(agent.requestTransfer({ kind: "extension", extension: "1002" }, "agent-2")).resolves.toBe("failed");
    expect(busy.over).toBe(false);
    expect(connection.state.parties.map((p) => p.legId)).toEqual(["caller", "agent"]);
    expect(mixer.rooms[0]).toEqual(["caller", "agent"]);
  });
});

describe("participants and muting", () => {
  it("adds an expert while the call goes on; the expert can be muted and removed", async () => {
    const { caller, agent, dialer, mixer, connection, events } = setup();
    const expert = new MemoryCallLeg("expert");
    dialer.answerWith({ ok: true, leg: expert });
    await expect(connection.addParticipant({ kind: "extension", extension: "1002" })).resolves.toBe("answered");
    expect(caller.onHold).toBe(false);
    expect(mixer.rooms).toEqual([["caller", "agent", "expert"]]);
    expect(connection.involves("identity-ben")).toBe(true);
    await connection.mute("expert", true);
    expect(mixer.conferences[0]?.isMuted("expert")).toBe(true);
    expect(connection.state.parties.find((p) => p.legId === "expert")?.muted).toBe(true);
    await connection.mute("expert", false);
    await expect(connection.mute("nobody", true)).rejects.toMatchObject({ code: "call.party_not_found" });
    await connection.removeParticipant("expert");
    await settle();
    expect(expert.hungUp?.reason).toBe("removed from the call");
    expect(mixer.rooms).toEqual([["caller", "agent"]]);
    expect(types(events)).toEqual(expect.arrayContaining(["participant.joined", "participant.muted", "participant.left"]));
    agent.hangUp();
    await connection.done;
  });

  it("refuses participants when the queue's conference mode is off", async () => {
    const { connection } = setup({ participantsAllowed: false });
    await expect(connection.addParticipant({ kind: "extension", extension: "1002" })).rejects.toMatchObject({
      code: "call.participants_not_allowed",
    });
  });

  it("a participant that does not answer leaves the call as it was", async () => {
    const { dialer, mixer, connection } = setup();
    dialer.answerWith({ ok: false, failure: "no-answer" });
    await expect(connection.addParticipant({ kind: "number", e164: "+15557654321" })).resolves.toBe("failed");
    expect(mixer.rooms).toEqual([["caller", "agent"]]);
  });
});

describe("recording", () => {
  it("announces consent to everyone, records the conference, pauses, resumes, and saves with the call", async () => {
    const { caller, agent, mixer, recordings, connection, events } = setup();
    await connection.startRecording();
    expect(caller.played.at(-1)).toEqual(DEFAULT_RECORDING_CONSENT);
    expect(agent.played.at(-1)).toEqual(DEFAULT_RECORDING_CONSENT);
    const capture = mixer.conferences[0]?.recordings[0];
    expect(connection.state.recording).toBe("on");
    capture?.tick(50);
    await connection.pauseRecording();
    expect(connection.state.recording).toBe("paused");
    capture?.tick(50);
    await connection.resumeRecording();
    capture?.tick(25);
    await expect(connection.startRecording()).rejects.toMatchObject({ code: "call.recording_running" });
    const saved = await connection.stopRecording();
    expect(saved).toMatchObject({ id: "recording-1", callId: "call-1", durationMs: 1500 });
    expect(recordings.recordings[0]).toMatchObject({ tenantId: "tenant-1", callId: "call-1" });
    expect(connection.state.recording).toBe("off");
    expect(types(events).filter((t) => t.startsWith("recording."))).toEqual([
      "recording.started",
      "recording.paused",
      "recording.resumed",
      "recording.stopped",
    ]);
    expect(events).toContainEqual({ type: "recording.started", consent: true });
    await expect(connection.pauseRecording()).rejects.toMatchObject({ code: "call.not_recording" });
  });

  it("records from the start when the queue says so, and saves what runs when the call ends", async () => {
    const { caller, agent, mixer, recordings, connection, events } = setup({ record: true });
    await settle();
    expect(caller.played.at(-1)).toEqual([{ kind: "speech", text: "We record calls." }]);
    mixer.conferences[0]?.recordings[0]?.tick(10);
    agent.hangUp();
    await connection.done;
    expect(recordings.recordings).toHaveLength(1);
    expect(events).toContainEqual({ type: "recording.stopped", recordingId: "recording-1", durationMs: 200 });
  });

  it("refuses recording where no recording store is configured", async () => {
    const caller = new MemoryCallLeg("caller");
    const agent = new MemoryCallLeg("agent");
    const connection = new CallConnection(
      caller,
      { leg: agent },
      { dialer: new ScriptedDialer(), mixer: new MemoryMixer() },
      dial,
    );
    await expect(connection.startRecording({ consent: false })).rejects.toMatchObject({ code: "call.recording_unavailable" });
  });
});

describe("handing the caller back to the flows", () => {
  it("hangs up the agent and keeps the caller, with the next target", async () => {
    const caller = new MemoryCallLeg("caller");
    const agent = new MemoryCallLeg("agent");
    const connection = new CallConnection<{ queueId: string }>(
      caller,
      { leg: agent },
      { dialer: new ScriptedDialer(), mixer: new MemoryMixer() },
      dial,
    );
    await connection.hold();
    await connection.handOff({ queueId: "q-2" });
    await expect(connection.done).resolves.toEqual({ transfers: 1, next: { queueId: "q-2" } });
    expect(agent.hungUp?.by).toBe("platform");
    expect(caller.hungUp).toBeUndefined();
    expect(caller.onHold).toBe(false);
  });
});
