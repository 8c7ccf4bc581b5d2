import { describe, expect, it } from "vitest";
import { MemoryCallLeg, MemoryMixer, ScriptedDialer } from "../../testing/memory-call-media.js";
import { connectParties } from "./connect.js";

const dial = { tenantId: "tenant-1", callId: "call-1", callerId: "+15551234567" };
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup() {
  const caller = new MemoryCallLeg("caller");
  const agent = new MemoryCallLeg("agent");
  const dialer = new ScriptedDialer();
  const mixer = new MemoryMixer();
  return { caller, agent, dialer, mixer, deps: { dialer, mixer } };
}

describe("connecting a caller to a party", () => {
  it("bridges them until the party hangs up, then hangs up the caller", async () => {
    const { caller, agent, mixer, deps } = setup();
    const done = connectParties(caller, agent, deps, dial);
    await settle();
    expect(mixer.bridges.map((b) => b.legIds)).toEqual([["caller", "agent"]]);
    agent.hangUp();
    await expect(done).resolves.toEqual({ transfers: 0 });
    expect(caller.hungUp?.by).toBe("platform");
  });

  it("follows a blind transfer: music while the target rings, then the caller talks to the target", async () => {
    const { caller, agent, dialer, mixer, deps } = setup();
    const expert = new MemoryCallLeg("expert");
    dialer.answerWith({ ok: true, leg: expert });
    const done = connectParties(caller, agent, deps, dial);
    await settle();
    const asked = agent.requestTransfer({ kind: "extension", extension: "1002" });
    await expect(asked).resolves.toBe("succeeded");
    await settle();
    expect(dialer.dialled[0]).toMatchObject({ target: { kind: "extension", extension: "1002" }, options: dial });
    expect(caller.events.map((e) => e.type)).toEqual(expect.arrayContaining(["hold.started", "hold.ended"]));
    expect(agent.hungUp?.reason).toBe("transferred");
    expect(mixer.bridges.map((b) => b.legIds)).toEqual([
      ["caller", "agent"],
      ["caller", "expert"],
    ]);
    caller.hangUp();
    await expect(done).resolves.toEqual({ transfers: 1 });
    expect(expert.hungUp?.by).toBe("platform");
  });

  it("brings the caller back to the party when the transfer target does not answer", async () => {
    const { caller, agent, dialer, mixer, deps } = setup();
    dialer.answerWith({ ok: false, failure: "no-answer", status: 408 });
    const done = connectParties(caller, agent, deps, dial);
    await settle();
    await expect(agent.requestTransfer({ kind: "number", e164: "+15557654321" })).resolves.toBe("failed");
    await settle();
    expect(agent.hungUp).toBeUndefined();
    expect(caller.onHold).toBe(false);
    expect(mixer.bridges.map((b) => b.legIds)).toEqual([
      ["caller", "agent"],
      ["caller", "agent"],
    ]);
    agent.hangUp();
    await expect(done).resolves.toEqual({ transfers: 0 });
  });

  it("plays the caller hold music while the party has the call on hold, and reconnects them after", async () => {
    const { caller, agent, deps } = setup();
    const done = connectParties(caller, agent, deps, dial);
    await settle();
    agent.holdKey(true);
    await settle();
    expect(caller.onHold).toBe(true);
    agent.holdKey(false);
    await settle();
    expect(caller.onHold).toBe(false);
    agent.hangUp();
    await expect(done).resolves.toEqual({ transfers: 0 });
  });

  it("refuses transfers once the connection is over", async () => {
    const { caller, agent, deps } = setup();
    const done = connectParties(caller, agent, deps, dial);
    await settle();
    caller.hangUp();
    await done;
    await expect(agent.requestTransfer({ kind: "extension", extension: "1002" })).resolves.toBe("refused");
  });
});
