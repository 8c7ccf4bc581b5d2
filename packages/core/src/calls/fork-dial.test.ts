import { describe, expect, it } from "vitest";
import { MemoryCallLeg } from "../../testing/memory-call-media.js";
import type { DialOptions, DialOutcome } from "./dialer.js";
import { type DialBranch, forkDial } from "./fork-dial.js";

/** A branch the test answers or fails; it stops ringing (cancelled) when its `abandon` settles. */
function ringingBranch() {
  let settle: (outcome: DialOutcome) => void = () => undefined;
  let abandoned = false;
  const branch: DialBranch = (options: DialOptions) =>
    new Promise<DialOutcome>((resolve) => {
      settle = resolve;
      void options.abandon?.then(() => {
        abandoned = true;
        resolve({ ok: false, failure: "cancelled" });
      });
    });
  return {
    branch,
    answer: (leg: MemoryCallLeg) => settle({ ok: true, leg }),
    fail: (failure: DialOutcome & { ok: false }) => settle(failure),
    get abandoned() {
      return abandoned;
    },
  };
}

const options: DialOptions = { tenantId: "t1", callId: "call-1" };
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("forkDial", () => {
  it("gives the call to the first branch that answers and stops the others ringing", async () => {
    const desk = ringingBranch();
    const browser = ringingBranch();
    const dialing = forkDial([desk.branch, browser.branch], options);
    await tick();
    const leg = new MemoryCallLeg("browser-leg");
    browser.answer(leg);
    const outcome = await dialing;
    expect(outcome).toEqual({ ok: true, leg });
    expect(desk.abandoned).toBe(true);
  });

  it("hangs up a branch that answers just after another won", async () => {
    const late = new MemoryCallLeg("late");
    const first = new MemoryCallLeg("first");
    const outcome = await forkDial([async () => ({ ok: true, leg: first }), async () => ({ ok: true, leg: late })], options);
    expect(outcome.ok && outcome.leg).toBe(first);
    expect(await late.ended).toEqual(expect.objectContaining({ reason: "answered elsewhere" }));
  });

  it("reports the most telling failure when nobody answers: busy before no answer before not registered", async () => {
    const outcome = await forkDial(
      [
        async () => ({ ok: false, failure: "not-registered" }),
        async () => ({ ok: false, failure: "no-answer", status: 408 }),
        async () => ({ ok: false, failure: "busy", status: 486 }),
      ],
      options,
    );
    expect(outcome).toEqual({ ok: false, failure: "busy", status: 486 });
  });

  it("ends every branch when the person declines on one device (a 6xx), but not when one device is busy", async () => {
    const desk = ringingBranch();
    const browser = ringingBranch();
    const dialing = forkDial([desk.branch, browser.branch], options);
    await tick();
    desk.fail({ ok: false, failure: "busy", status: 486 });
    await tick();
    expect(browser.abandoned).toBe(false);
    browser.fail({ ok: false, failure: "rejected", status: 603 });
    expect(await dialing).toEqual({ ok: false, failure: "rejected", status: 603 });

    const phone = ringingBranch();
    const laptop = ringingBranch();
    const second = forkDial([phone.branch, laptop.branch], options);
    await tick();
    laptop.fail({ ok: false, failure: "rejected", status: 603 });
    expect(await second).toEqual({ ok: false, failure: "rejected", status: 603 });
    expect(phone.abandoned).toBe(true);
  });

  it("is cancelled when the caller gives up, every branch stopped", async () => {
    let giveUp: () => void = () => undefined;
    const abandon = new Promise<void>((resolve) => {
      giveUp = resolve;
    });
    const desk = ringingBranch();
    const browser = ringingBranch();
    const dialing = forkDial([desk.branch, browser.branch], { ...options, abandon });
    await tick();
    giveUp();
    expect(await dialing).toEqual({ ok: false, failure: "cancelled", status: 487 });
    expect(desk.abandoned && browser.abandoned).toBe(true);
  });

  it("is not registered when there is nothing to ring", async () => {
    expect(await forkDial([], options)).toEqual({ ok: false, failure: "not-registered" });
  });
});
