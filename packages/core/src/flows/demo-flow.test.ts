import { describe, expect, it } from "vitest";
import { MemoryCallLeg, MemoryMixer, ScriptedDialer } from "../../testing/memory-call-media.js";
import { DEMO_PROMPTS, runDemoFlow } from "./demo-flow.js";

const context = { tenantId: "tenant-1", callId: "call-1", caller: "+15551234567" };

/** Lets the flow run until it waits on the caller again. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function start(leg = new MemoryCallLeg("caller")) {
  const dialer = new ScriptedDialer();
  const mixer = new MemoryMixer();
  const done = runDemoFlow(leg, { dialer, mixer }, context);
  return { leg, dialer, mixer, done };
}

describe("the demo flow", () => {
  it("greets the caller and reads back every key pressed", async () => {
    const { leg, done } = start();
    await settle();
    expect(leg.transcript.slice(0, 2)).toEqual([DEMO_PROMPTS.greeting.text, DEMO_PROMPTS.menu.text]);
    leg.press("5");
    await settle();
    leg.press("#");
    await settle();
    expect(leg.transcript).toContain("<digits 5>");
    expect(leg.transcript).toContain("<digits #>");
    leg.hangUp();
    await expect(done).resolves.toBe("caller-hung-up");
  });

  it("lets a key interrupt the greeting and reads that key back", async () => {
    const leg = new MemoryCallLeg("caller");
    leg.holdPlayback = true;
    const { done } = start(leg);
    await settle();
    expect(leg.waitingFor).toBe("play");
    leg.press("7");
    await settle();
    expect(leg.transcript).toContain("<digits 7>");
    leg.hangUp();
    await expect(done).resolves.toBe("caller-hung-up");
  });

  it("records a message on star and plays it back", async () => {
    const { leg, done } = start();
    await settle();
    leg.press("*");
    await settle();
    expect(leg.transcript).toContain(DEMO_PROMPTS.recordInstructions.text);
    expect(leg.waitingFor).toBe("record");
    const recording = leg.speak(2_000);
    await settle();
    expect(leg.transcript).toContain(`<recording ${recording.id}>`);
    leg.hangUp();
    await expect(done).resolves.toBe("caller-hung-up");
  });

  it("says goodbye and hangs up after three silences", async () => {
    const { leg, done } = start();
    for (let i = 0; i < 3; i++) {
      await settle();
      expect(leg.waitingFor).toBe("collect");
      leg.timeOut();
    }
    await expect(done).resolves.toBe("no-input");
    expect(leg.transcript.at(-1)).toBe(DEMO_PROMPTS.goodbye.text);
    expect(leg.hungUp?.by).toBe("platform");
  });

  it("on zero rings the operator extension and bridges the caller to the agent who answers", async () => {
    const { leg, dialer, mixer, done } = start();
    const agent = new MemoryCallLeg("agent");
    dialer.answerWith({ ok: true, leg: agent });
    await settle();
    leg.press("0");
    await settle();
    expect(dialer.dialled[0]?.target).toEqual({ kind: "extension", extension: "1001" });
    expect(dialer.dialled[0]?.options).toMatchObject({ tenantId: "tenant-1", callId: "call-1", callerId: "+15551234567" });
    expect(mixer.conferences.map((c) => c.joined)).toEqual([["caller", "agent"]]);
    expect(leg.events.map((e) => e.type)).toContain("hold.started");
    expect(leg.onHold).toBe(false);
    agent.hangUp();
    await expect(done).resolves.toBe("transferred");
    expect(leg.hungUp?.by).toBe("platform");
  });

  it("says so and hangs up when no agent's phone is registered", async () => {
    const { leg, done } = start();
    await settle();
    leg.press("0");
    await expect(done).resolves.toBe("no-agent");
    expect(leg.transcript.at(-1)).toBe(DEMO_PROMPTS.noAgent.text);
    expect(leg.hungUp?.reason).toContain("not-registered");
  });

  it("stops at once when the caller hangs up during the greeting", async () => {
    const leg = new MemoryCallLeg("caller");
    leg.holdPlayback = true;
    const { done } = start(leg);
    await settle();
    leg.hangUp();
    await expect(done).resolves.toBe("caller-hung-up");
  });
});
