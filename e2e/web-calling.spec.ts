import { randomInt } from "node:crypto";
import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
// The test client's subpath exports TypeScript sources only (`source` condition), which Playwright's loader does
// not use: it is imported by path.
import { SipTestClient } from "../packages/telephony/testing/sip-test-client.js";
import { api, createUser } from "./support/admin-console.js";
import { E2E_SIP_PORT } from "./support/env.js";

// Web calling on the agent desktop: a phone caller dials a number whose entry is a call queue; the queue's agent,
// signed in to the desktop in Chromium (a fake microphone that beeps), gets the call's offer card, accepts, and
// audio flows both ways (measured by energy on each side); the agent's keypad reaches the caller as RFC 4733
// digits; the agent hangs up and both sides end.

/** 8 kHz samples of a sine tone: what the caller says. */
const tone = (hz: number, ms: number) =>
  Int16Array.from({ length: (8 * ms) | 0 }, (_, i) => Math.round(9_000 * Math.sin((2 * Math.PI * hz * i) / 8_000)));

/** Mean power of samples (16-bit units squared). */
const power = (samples: Int16Array) => {
  let energy = 0;
  for (const sample of samples) energy += sample * sample;
  return samples.length === 0 ? 0 : energy / samples.length;
};

/** The RMS level of each `ms` stretch of 8 kHz samples. */
const levels = (samples: Int16Array, ms: number) => {
  const size = 8 * ms;
  const out: number[] = [];
  for (let i = 0; i + size <= samples.length; i += size) out.push(Math.sqrt(power(samples.subarray(i, i + size))));
  return out;
};

/** The caller's audio energy as the browser reports it (`getStats()` inbound-rtp `totalAudioEnergy`). */
const browserEnergy = async (page: Page) =>
  Number((await page.locator('section[aria-label="Call"]').getAttribute("data-audio-energy")) ?? "0");

/**
 * A call queue (no announcements, so the caller hears only the music until the agent answers), its agent signed in
 * to the desktop and available, with the browser registered for calls, and a number whose entry is the queue.
 */
async function agentAtDesk(page: Page, request: APIRequestContext) {
  const tag = Math.random().toString(36).slice(2, 7);
  const queue = await api<{ id: string; name: string }>(request, "POST", "/v1/queues", {
    name: `Phone sales ${tag}`,
    alertSeconds: 45,
    call: { announceEverySeconds: 0, announcePosition: false, announceExpectedWait: false },
  });
  const agent = await createUser(request, "agent", `Hedy Lamarr ${tag}`);
  await api(request, "PUT", `/v1/workers/${agent.identityId}`, { queueIds: [queue.id], capacity: 4 });
  const e164 = `+1555${randomInt(1_000_000, 9_999_999)}`;
  await api(request, "POST", "/v1/phone-numbers", {
    e164,
    label: `Web calling ${tag}`,
    entry: { kind: "queue", queueId: queue.id },
  });

  await page.goto("/agent/");
  await page.getByLabel("Workspace").fill("demo");
  await page.getByLabel("Email").fill(agent.email);
  await page.getByLabel("Password").fill(agent.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  const presence = page.getByRole("combobox", { name: "Presence" });
  await expect(presence).toBeVisible();
  await presence.selectOption("available");
  await expect(presence).toHaveValue("available");
  await expect(page.getByRole("status").filter({ hasText: "Calls: on this computer" })).toBeVisible({ timeout: 10_000 });
  return { queue, e164 };
}

test("an agent answers a queue's phone call in the browser: audio both ways, keypad to the caller, hang up", async ({
  page,
  request,
}, testInfo) => {
  test.skip(testInfo.project.name === "mobile", "the agent desktop takes calls on a computer");
  test.setTimeout(120_000);
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`) });
  const { queue, e164 } = await agentAtDesk(page, request);

  const caller = await SipTestClient.start();
  try {
    const call = await caller.call(`sip:${e164}@127.0.0.1:${E2E_SIP_PORT}`);
    expect((await call.answered)?.ok, "the queue answers the caller").toBe(true);

    // The offer rings on the desk: the queue, the caller's number, the countdown, and Accept.
    const offer = page.locator(".offer-card-call");
    await expect(offer).toBeVisible({ timeout: 20_000 });
    await expect(offer).toContainText(`Incoming call · ${queue.name}`);
    await expect(offer.getByRole("timer")).toHaveText(/^0:[0-4]\d$/);
    const accept = offer.getByRole("button", { name: "Accept" });
    await expect(accept).toBeEnabled();
    await shot("web-calling-1-offer");
    await accept.click();

    // Connected: the call panel, the offer gone, the timer running.
    const panel = page.getByRole("region", { name: "Call" });
    await expect(panel).toHaveAttribute("data-phase", "connected", { timeout: 20_000 });
    await expect(offer).toBeHidden();
    await expect(panel.getByRole("timer", { name: "Call time" })).toHaveText(/^0:0[1-9]$/, { timeout: 5_000 });
    const connectedAt = call.recording().length;

    // The caller speaks (700 Hz); the browser's received audio energy rises.
    void call.play(tone(700, 12_000));
    await expect.poll(() => browserEnergy(page), { timeout: 15_000 }).toBeGreaterThan(0.001);
    const energyBefore = await browserEnergy(page);
    await expect.poll(() => browserEnergy(page), { timeout: 10_000 }).toBeGreaterThan(energyBefore);
    await expect(panel.locator(".call-quality")).not.toHaveAttribute("data-quality", "unknown");

    // The agent's fake microphone (Chromium's beep, twice a second) reaches the caller.
    await call.waitForAudio(connectedAt / 8_000 + 3, 10_000);
    const heard = call.recording().slice(connectedAt);
    expect(heard.length, "the caller receives audio after the answer").toBeGreaterThan(8_000 * 2);
    expect(power(heard), "the caller hears the browser's microphone").toBeGreaterThan(1_000);
    // Beeps, not the queue's music: loud stretches between silent ones.
    const windows = levels(heard, 100);
    expect(windows.filter((rms) => rms > 1_000).length / windows.length, "beeps").toBeGreaterThan(0.1);
    expect(windows.filter((rms) => rms < 100).length / windows.length, "silence between beeps").toBeGreaterThan(0.2);
    await shot("web-calling-2-call");

    // Mute: the caller hears silence; unmuted, the beeps again.
    const mute = panel.getByRole("button", { name: "Mute" });
    await mute.click();
    await expect(panel.getByRole("button", { name: "Unmute" })).toHaveAttribute("aria-pressed", "true");
    await page.waitForTimeout(500);
    const mutedFrom = call.recording().length;
    await call.waitForAudio(mutedFrom / 8_000 + 1.5, 5_000);
    expect(Math.max(...levels(call.recording().slice(mutedFrom), 100)), "muted: silence").toBeLessThan(300);
    await panel.getByRole("button", { name: "Unmute" }).click();
    await expect(panel.getByRole("button", { name: "Mute" })).toHaveAttribute("aria-pressed", "false");

    // Hold (the REST API): the caller hears the hold music, continuous, instead of the beeps; then back.
    await panel.getByRole("button", { name: "Hold" }).click();
    await expect(panel.getByText("On hold")).toBeVisible();
    await page.waitForTimeout(800);
    const heldFrom = call.recording().length;
    await call.waitForAudio(heldFrom / 8_000 + 1.5, 5_000);
    const held = levels(call.recording().slice(heldFrom), 100);
    expect(held.filter((rms) => rms < 100).length / held.length, "held: the music, no gaps").toBeLessThan(0.2);
    await panel.getByRole("button", { name: "Resume" }).click();
    await expect(panel.getByText("On hold")).toBeHidden();
    await expect(page.locator(".call-alert")).toHaveCount(0);

    // The keypad: 5 reaches the caller as an RFC 4733 event.
    await panel.getByRole("button", { name: "Keypad" }).click();
    const keypad = panel.getByRole("group", { name: "Keypad" });
    await keypad.getByRole("button", { name: "Key 5" }).click();
    const digits = await call.waitForDtmf(1, 10_000);
    expect(digits.map((d) => d.digit)).toContain("5");
    await expect(keypad.getByLabel("Keys sent")).toHaveText("5");
    await shot("web-calling-3-keypad");

    // The agent hangs up: the caller's call ends, and the desk says how it went.
    await panel.getByRole("button", { name: "Hang up" }).click();
    await expect(panel).toBeHidden();
    await expect(call.ended).resolves.toBeDefined();
    await expect(page.getByRole("status").filter({ hasText: /Call with .+ ended after \d+:\d\d: you hung up/ })).toBeVisible();
    await shot("web-calling-4-ended");
  } finally {
    await caller.close();
  }
});

test("a refused microphone: the desk says why and the call is refused with media_refused", async ({
  page,
  request,
}, testInfo) => {
  test.skip(testInfo.project.name === "mobile", "the agent desktop takes calls on a computer");
  test.setTimeout(90_000);
  // The person blocked the microphone for this site.
  await page.addInitScript(() => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException("Permission denied", "NotAllowedError"));
  });
  const sent: string[] = [];
  page.on("websocket", (socket) => socket.on("framesent", ({ payload }) => sent.push(String(payload))));
  const { e164 } = await agentAtDesk(page, request);

  const caller = await SipTestClient.start();
  try {
    const call = await caller.call(`sip:${e164}@127.0.0.1:${E2E_SIP_PORT}`);
    expect((await call.answered)?.ok).toBe(true);
    const offer = page.locator(".offer-card-call");
    await offer.getByRole("button", { name: "Accept" }).click({ timeout: 20_000 });
    await expect(page.getByRole("alert").filter({ hasText: "Microphone access is blocked" })).toBeVisible();
    await expect(offer).toBeHidden();
    await expect(page.getByRole("region", { name: "Call" })).toBeHidden();
    expect(sent.map((f) => JSON.parse(f) as { type: string; reason?: string })).toContainEqual(
      expect.objectContaining({ type: "call.reject", reason: "media_refused" }),
    );
    await page.screenshot({ path: testInfo.outputPath("web-calling-microphone-refused.png") });
    await call.hangup();
  } finally {
    await caller.close();
  }
});
