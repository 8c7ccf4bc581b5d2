import { describe, expect, it } from "vitest";
import { ManualTimers, MemoryCallLeg, MemoryMixer, ScriptedDialer } from "../../testing/memory-call-media.js";
import { connectParties } from "../calls/connection.js";
import { ManualClock } from "../kernel/clock.js";
import { type ParkingEvent, ParkingLot } from "./parking.js";
import { FLOW_PROMPTS } from "./prompts.js";

const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};
const dial = { tenantId: "tenant-1", callId: "call-1", callerId: "+15557654321" };

function setup(options: { orbits?: string[] } = {}) {
  const timers = new ManualTimers(new ManualClock());
  const dialer = new ScriptedDialer();
  const mixer = new MemoryMixer();
  const events: ParkingEvent[] = [];
  const lot = new ParkingLot({
    dialer,
    mixer,
    timers,
    returnAfterMs: 60_000,
    ...(options.orbits ? { orbits: options.orbits } : {}),
    onEvent: (e) => events.push(e),
  });
  const caller = new MemoryCallLeg("caller");
  const agent = new MemoryCallLeg("agent");
  const connected = connectParties(caller, agent, { dialer, mixer, parking: lot }, dial, "1001");
  return { timers, dialer, mixer, lot, events, caller, agent, connected };
}

describe("park and pickup", () => {
  it("a transfer to the park code parks the caller in the first free orbit; the parker hears it and is let go", async () => {
    const { lot, caller, agent, connected, events } = setup();
    await settle();
    await expect(agent.requestTransfer({ kind: "extension", extension: "70" })).resolves.toBe("succeeded");
    await expect(connected).resolves.toEqual({ transfers: 0, parked: "71" });
    expect(agent.transcript).toEqual(["Parked on", "<digits 71>"]);
    expect(agent.hungUp?.reason).toBe("parked");
    expect(caller.hungUp).toBeUndefined();
    expect(caller.onHold).toBe(true);
    expect(lot.occupied("tenant-1")).toEqual(["71"]);
    expect(lot.occupied("tenant-2")).toEqual([]);
    expect(events).toEqual([{ type: "call.parked", tenantId: "tenant-1", callId: "call-1", orbit: "71" }]);
  });

  it("any phone dialling the orbit picks the call up; another tenant's phone cannot", async () => {
    const { lot, caller, agent, mixer } = setup();
    await settle();
    await agent.requestTransfer({ kind: "extension", extension: "70" });
    expect(lot.pickUp("tenant-2", "71")).toBeUndefined();
    const picked = lot.pickUp("tenant-1", "71");
    expect(picked?.caller).toBe(caller);
    expect(lot.pickUp("tenant-1", "71")).toBeUndefined();
    const picker = new MemoryCallLeg("picker");
    const talk = connectParties(caller, picker, { dialer: new ScriptedDialer(), mixer }, dial);
    await settle();
    expect(mixer.conferences.at(-1)?.legIds).toEqual(["caller", "picker"]);
    picker.hangUp();
    await talk;
    expect(caller.hungUp).toBeDefined();
  });

  it("rings the parker back when nobody picks it up, and connects them when they answer", async () => {
    const { timers, dialer, mixer, lot, caller, agent, events } = setup();
    await settle();
    await agent.requestTransfer({ kind: "extension", extension: "70" });
    const parker = new MemoryCallLeg("parker");
    dialer.answerWith({ ok: true, leg: parker });
    timers.advance(59_000);
    await settle();
    expect(dialer.dialled).toHaveLength(0);
    timers.advance(1_000);
    await settle();
    expect(dialer.dialled[0]?.target).toEqual({ kind: "extension", extension: "1001" });
    expect(mixer.conferences.at(-1)?.legIds).toEqual(["caller", "parker"]);
    expect(caller.onHold).toBe(false);
    expect(lot.occupied("tenant-1")).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: "call.returned", answered: true });
  });

  it("waits again when the parker does not answer, and after three returns tells the caller and hangs up", async () => {
    const { timers, dialer, lot, caller, agent } = setup();
    await settle();
    await agent.requestTransfer({ kind: "extension", extension: "70" });
    for (let round = 1; round <= 3; round++) {
      dialer.answerWith({ ok: false, failure: "no-answer" });
      timers.advance(60_000);
      await settle();
      expect(dialer.dialled).toHaveLength(round);
      expect(lot.occupied("tenant-1")).toEqual(round < 3 ? ["71"] : []);
    }
    expect(caller.transcript.at(-1)).toBe(FLOW_PROMPTS.cannotConnect.text);
    expect(caller.hungUp?.by).toBe("platform");
  });

  it("a caller who hangs up while parked frees the orbit", async () => {
    const { lot, caller, agent, timers, dialer } = setup();
    await settle();
    await agent.requestTransfer({ kind: "extension", extension: "70" });
    caller.hangUp();
    await settle();
    expect(lot.occupied("tenant-1")).toEqual([]);
    timers.advance(60_000);
    await settle();
    expect(dialer.dialled).toHaveLength(0);
  });

  it("with every orbit taken the transfer fails and the caller stays with the party", async () => {
    const { lot, caller, agent, mixer } = setup({ orbits: ["71"] });
    await lot.park(new MemoryCallLeg("someone"), { tenantId: "tenant-1", callId: "other", extension: undefined });
    await settle();
    await expect(agent.requestTransfer({ kind: "extension", extension: "70" })).resolves.toBe("failed");
    await settle();
    expect(caller.onHold).toBe(false);
    expect(mixer.rooms).toEqual([["agent", "caller"]]);
    agent.hangUp();
  });
});
