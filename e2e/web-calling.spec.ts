import { randomInt } from "node:crypto";
import { type APIRequestContext, type Browser, expect, type Locator, type Page, test } from "@playwright/test";
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
async function agentAtDesk(page: Page, request: APIRequestContext, call: { conferenceMode?: boolean } = {}) {
  const tag = Math.random().toString(36).slice(2, 7);
  const queue = await api<{ id: string; name: string }>(request, "POST", "/v1/queues", {
    name: `Phone sales ${tag}`,
    alertSeconds: 45,
    call: { announceEverySeconds: 0, announcePosition: false, announceExpectedWait: false, ...call },
  });
  const agent = await createUser(request, "agent", `Hedy Lamarr ${tag}`);
  await api(request, "PUT", `/v1/workers/${agent.identityId}`, { queueIds: [queue.id], capacity: 4 });
  const e164 = `+1555${randomInt(1_000_000, 9_999_999)}`;
  await api(request, "POST", "/v1/phone-numbers", {
    e164,
    label: `Web calling ${tag}`,
    entry: { kind: "queue", queueId: queue.id },
  });

  await signInToDesk(page, agent);
  return { queue, e164 };
}

/** Signs the agent in to the desktop, available, the browser registered for calls. */
async function signInToDesk(page: Page, agent: { email: string; password: string }) {
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
}

/**
 * A colleague with an extension of their own (a phone account linked to their user), signed in to the desktop
 * on another computer (a second browser context): transfers and experts reach them there.
 */
async function colleagueAtDesk(browser: Browser, request: APIRequestContext, name: string, username: string) {
  const tag = Math.random().toString(36).slice(2, 7);
  const user = await createUser(request, "agent", `${name} ${tag}`);
  const extension = String(randomInt(3_000, 9_999));
  await api(request, "POST", "/v1/sip-accounts", {
    username: `${username}-${tag}`,
    extension,
    password: `secret-${tag}-pw`,
    displayName: user.displayName,
    userId: user.id,
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await signInToDesk(page, user);
  return { extension, page, close: () => context.close() };
}

/** The caller dials the queue's number and the agent accepts the offer in the desk: the connected call panel. */
async function callAnswered(page: Page, caller: SipTestClient, e164: string) {
  const call = await caller.call(`sip:${e164}@127.0.0.1:${E2E_SIP_PORT}`);
  expect((await call.answered)?.ok, "the queue answers the caller").toBe(true);
  await page.locator(".offer-card-call").getByRole("button", { name: "Accept" }).click({ timeout: 20_000 });
  const panel = page.getByRole("region", { name: "Call" });
  await expect(panel).toHaveAttribute("data-phase", "connected", { timeout: 20_000 });
  return { call, panel };
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

    // Record: the caller hears that the call is recorded; stopped, the recording is on the call's record.
    await panel.getByRole("button", { name: "Record" }).click();
    await expect(panel.getByText("Recording", { exact: true })).toBeVisible({ timeout: 15_000 });
    await panel.getByRole("button", { name: "Stop rec." }).click();
    await expect(panel.getByText("Recording", { exact: true })).toBeHidden();
    await expect
      .poll(
        async () =>
          (await api<{ recordingIds: string[] }>(request, "GET", `/v1/calls/${await panel.getAttribute("data-call-id")}`))
            .recordingIds.length,
        {
          timeout: 10_000,
        },
      )
      .toBe(1);

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

test("an agent transfers the caller to a colleague's extension: the colleague's desktop rings, answers, and talks", async ({
  page,
  browser,
  request,
}, testInfo) => {
  test.skip(testInfo.project.name === "mobile", "the agent desktop takes calls on a computer");
  test.setTimeout(120_000);
  const { e164 } = await agentAtDesk(page, request);
  // The colleague has an extension (a phone account linked to their user) and is signed in on another computer.
  const colleague = await colleagueAtDesk(browser, request, "Grace Hopper", "grace");
  const { extension, page: colleaguePage } = colleague;

  const caller = await SipTestClient.start();
  try {
    const { call, panel } = await callAnswered(page, caller, e164);

    // Transfer to the colleague's extension.
    await panel.getByRole("button", { name: "Transfer" }).click();
    const form = panel.getByRole("form", { name: "Transfer the call" });
    await form.getByLabel("Extension or number").fill(extension);
    await page.screenshot({ path: testInfo.outputPath("web-calling-transfer-form.png") });
    await form.getByRole("button", { name: "Transfer" }).click();

    // The colleague's desktop rings (no queue offer: a transfer), they answer; the first agent is out of the call.
    const ringing = colleaguePage.locator(".ringing-call");
    await expect(ringing).toBeVisible({ timeout: 20_000 });
    await colleaguePage.screenshot({ path: testInfo.outputPath("web-calling-transfer-ringing.png") });
    await ringing.getByRole("button", { name: "Answer" }).click();
    const colleaguePanel = colleaguePage.getByRole("region", { name: "Call" });
    await expect(colleaguePanel).toHaveAttribute("data-phase", "connected", { timeout: 20_000 });
    await expect(panel).toBeHidden({ timeout: 10_000 });

    // The caller now hears the colleague's microphone (beeps), and the colleague hears the caller.
    const transferredAt = call.recording().length;
    void call.play(tone(700, 8_000));
    await call.waitForAudio(transferredAt / 8_000 + 2, 10_000);
    const windows = levels(call.recording().slice(transferredAt), 100);
    expect(windows.filter((rms) => rms > 1_000).length / windows.length, "the colleague's beeps").toBeGreaterThan(0.1);
    await expect.poll(() => browserEnergy(colleaguePage), { timeout: 15_000 }).toBeGreaterThan(0.001);
    await colleaguePage.screenshot({ path: testInfo.outputPath("web-calling-transfer-answered.png") });

    await call.hangup();
    await expect(colleaguePanel).toBeHidden({ timeout: 10_000 });
  } finally {
    await caller.close();
    await colleague.close();
  }
});

test("a consult transfer: the agent talks to the colleague first while the caller hears music, then completes it", async ({
  page,
  browser,
  request,
}, testInfo) => {
  test.skip(testInfo.project.name === "mobile", "the agent desktop takes calls on a computer");
  test.setTimeout(120_000);
  const { e164 } = await agentAtDesk(page, request);
  const colleague = await colleagueAtDesk(browser, request, "Mary Jackson", "mary");
  const { extension, page: colleaguePage } = colleague;

  const caller = await SipTestClient.start();
  try {
    const { call, panel } = await callAnswered(page, caller, e164);

    await panel.getByRole("button", { name: "Transfer" }).click();
    const form = panel.getByRole("form", { name: "Transfer the call" });
    await form.getByLabel("Extension or number").fill(extension);
    await form.getByLabel("Talk to them first").check();
    await form.getByRole("button", { name: "Transfer" }).click();
    const ringing = colleaguePage.locator(".ringing-call");
    await expect(ringing).toBeVisible({ timeout: 20_000 });
    await ringing.getByRole("button", { name: "Answer" }).click();

    // Consulting: the agent and the colleague talk; the caller hears the hold music, continuous.
    const consultation = panel.getByRole("status", { name: "Consultation" });
    await expect(consultation).toContainText(`Talking to ${extension}`, { timeout: 20_000 });
    const heldFrom = call.recording().length;
    await call.waitForAudio(heldFrom / 8_000 + 1.5, 5_000);
    const held = levels(call.recording().slice(heldFrom), 100);
    expect(held.filter((rms) => rms < 100).length / held.length, "the caller hears music, no gaps").toBeLessThan(0.2);
    await page.screenshot({ path: testInfo.outputPath("web-calling-consult.png") });

    // Complete: the colleague has the caller; the agent is out.
    await consultation.getByRole("button", { name: "Complete transfer" }).click();
    await expect(panel).toBeHidden({ timeout: 10_000 });
    const colleaguePanel = colleaguePage.getByRole("region", { name: "Call" });
    await expect(colleaguePanel).toHaveAttribute("data-phase", "connected");
    const from = call.recording().length;
    await call.waitForAudio(from / 8_000 + 2, 10_000);
    const windows = levels(call.recording().slice(from), 100);
    expect(windows.filter((rms) => rms > 1_000).length / windows.length, "the colleague's beeps").toBeGreaterThan(0.1);
    await call.hangup();
    await expect(colleaguePanel).toBeHidden({ timeout: 10_000 });
  } finally {
    await caller.close();
    await colleague.close();
  }
});

test("an agent adds a colleague (an expert) to the call: a three-way call, then the colleague leaves", async ({
  page,
  browser,
  request,
}, testInfo) => {
  test.skip(testInfo.project.name === "mobile", "the agent desktop takes calls on a computer");
  test.setTimeout(120_000);
  // Conference mode: the agent joins the caller in a conference, so an expert can be added.
  const { e164 } = await agentAtDesk(page, request, { conferenceMode: true });
  const expert = await colleagueAtDesk(browser, request, "Ada Lovelace", "ada");
  const { extension, page: expertPage } = expert;

  const caller = await SipTestClient.start();
  try {
    const { call, panel } = await callAnswered(page, caller, e164);
    const callId = (await panel.getAttribute("data-call-id")) ?? "";

    await panel.getByRole("button", { name: "Add" }).click();
    const form = panel.getByRole("form", { name: "Add someone to the call" });
    await form.getByLabel("Extension or number").fill(extension);
    await form.getByRole("button", { name: "Add to call" }).click();
    const ringing = expertPage.locator(".ringing-call");
    await expect(ringing).toBeVisible({ timeout: 20_000 });
    await ringing.getByRole("button", { name: "Answer" }).click();
    const expertPanel = expertPage.getByRole("region", { name: "Call" });
    await expect(expertPanel).toHaveAttribute("data-phase", "connected", { timeout: 20_000 });

    // Three on the call: the caller, the agent and the expert, who hears the others.
    await expect
      .poll(async () => (await api<{ parties: unknown[] }>(request, "GET", `/v1/calls/${callId}/live`)).parties.length, {
        timeout: 10_000,
      })
      .toBe(3);
    void call.play(tone(700, 6_000));
    await expect.poll(() => browserEnergy(expertPage), { timeout: 15_000 }).toBeGreaterThan(0.001);
    await page.screenshot({ path: testInfo.outputPath("web-calling-three-way.png") });

    // The expert leaves; the agent and the caller go on.
    await expertPanel.getByRole("button", { name: "Hang up" }).click();
    await expect(expertPanel).toBeHidden({ timeout: 10_000 });
    await expect
      .poll(async () => (await api<{ parties: unknown[] }>(request, "GET", `/v1/calls/${callId}/live`)).parties.length, {
        timeout: 10_000,
      })
      .toBe(2);
    await expect(panel).toHaveAttribute("data-phase", "connected");
    await call.hangup();
    await expect(panel).toBeHidden({ timeout: 10_000 });
  } finally {
    await caller.close();
    await expert.close();
  }
});

test("an agent calls a colleague's desk phone from the browser: it rings, answers, both hear each other", async ({
  page,
  request,
}, testInfo) => {
  test.skip(testInfo.project.name === "mobile", "the agent desktop takes calls on a computer");
  test.setTimeout(90_000);
  await agentAtDesk(page, request);
  // A colleague's desk phone: a SIP account of its own, registered, answering with a 1 kHz tone.
  const tag = Math.random().toString(36).slice(2, 7);
  const extension = String(randomInt(3_000, 9_999));
  const password = `secret-${tag}-pw`;
  await api(request, "POST", "/v1/sip-accounts", { username: `desk-${tag}`, extension, password, displayName: "Desk phone" });
  const phone = await SipTestClient.start();
  try {
    const registered = await phone.register(`sip:127.0.0.1:${E2E_SIP_PORT}`, { username: `desk-${tag}`, password });
    expect(registered.ok).toBe(true);
    phone.acceptCalls({ play: tone(1_000, 20_000) });

    await page.getByRole("button", { name: "Call", exact: true }).click();
    const form = page.getByRole("form", { name: "Place a call" });
    await form.getByLabel("Extension or number").fill(extension);
    await form.getByRole("button", { name: "Call" }).click();
    const answered = await phone.nextCall();
    const panel = page.getByRole("region", { name: "Call" });
    await expect(panel).toHaveAttribute("data-phase", "connected", { timeout: 20_000 });
    await expect(panel).toContainText(extension);

    // The phone's tone reaches the browser; the browser's beeps reach the phone.
    await expect.poll(() => browserEnergy(page), { timeout: 15_000 }).toBeGreaterThan(0.001);
    const from = answered.recording().length;
    await answered.waitForAudio(from / 8_000 + 2, 10_000);
    const windows = levels(answered.recording().slice(from), 100);
    expect(windows.filter((rms) => rms > 1_000).length / windows.length, "the browser's beeps").toBeGreaterThan(0.1);
    await page.screenshot({ path: testInfo.outputPath("web-calling-dial-out.png") });

    await answered.hangup();
    await expect(panel).toBeHidden({ timeout: 10_000 });
    await expect(page.getByRole("status").filter({ hasText: /Call with .+ ended after \d+:\d\d/ })).toBeVisible();
  } finally {
    await phone.unregister().catch(() => undefined);
    await phone.close();
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

/**
 * A queue for calls from the website's chat (no announcements: the customer hears the music until an agent
 * answers), an entry point that hands off to it (the demo's bot answers the chat first), and its agent signed in
 * to the desktop in a browser of their own, available, taking chat and calls at once (capacity 2, 1 each).
 */
async function webCallDesk(browser: Browser, request: APIRequestContext) {
  const tag = Math.random().toString(36).slice(2, 7);
  const queue = await api<{ id: string; name: string }>(request, "POST", "/v1/queues", {
    name: `web-calls-${tag}`,
    alertSeconds: 45,
    call: { announceEverySeconds: 0, announcePosition: false, announceExpectedWait: false },
  });
  const agent = await createUser(request, "agent", `Katherine Johnson ${tag}`);
  await api(request, "PUT", `/v1/workers/${agent.identityId}`, {
    queueIds: [queue.id],
    capacity: 2,
    channelCosts: { chat: 1, voice: 1 },
  });
  const { items } = await api<{ items: { id: string; botIdentityId: string | null }[] }>(request, "GET", "/v1/entry-points");
  const demo = items[0];
  if (!demo) throw new Error("the demo tenant has no entry point");
  const entryPoint = await api<{ id: string; name: string }>(request, "POST", "/v1/entry-points", {
    name: `Bike shop ${tag}`,
    botIdentityId: demo.botIdentityId,
    handoffQueue: queue.name,
    allowedOrigins: ["*"],
  });

  // The agent's desktop: a computer's screen whatever the project.
  const agentContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const desk = await agentContext.newPage();
  await desk.goto("/agent/");
  await desk.getByLabel("Workspace").fill("demo");
  await desk.getByLabel("Email").fill(agent.email);
  await desk.getByLabel("Password").fill(agent.password);
  await desk.getByRole("button", { name: "Sign in" }).click();
  const presence = desk.getByRole("combobox", { name: "Presence" });
  await expect(presence).toBeVisible();
  await presence.selectOption("available");
  await expect(presence).toHaveValue("available");
  await expect(desk.getByRole("status").filter({ hasText: "Calls: on this computer" })).toBeVisible({ timeout: 10_000 });
  return { queue, entryPoint, desk, agentContext };
}

/**
 * The demo site with its widget on the given entry point, the chat open. The page's script tag is pointed at the
 * entry point as the parser inserts it, before the (async) script runs. (Not by rewriting the page with
 * `page.route`: Chromium then counts the page as public and blocks its socket to 127.0.0.1, Local Network Access.)
 */
async function openWidgetOn(page: Page, entryPointId: string) {
  await page.addInitScript((id) => {
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of Array.from(record.addedNodes)) {
          if (node instanceof HTMLScriptElement && node.dataset.entryPoint !== undefined) node.dataset.entryPoint = id;
        }
      }
    }).observe(document, { childList: true, subtree: true });
  }, entryPointId);
  await page.goto("/demo");
  const widget = page.locator("switchboard-widget");
  await widget.getByRole("button", { name: /^Open chat/ }).click();
  await expect(widget.getByRole("textbox", { name: "Message" })).toBeVisible();
  return widget;
}

/** The widget's call panel's received audio energy (`getStats()` inbound-rtp `totalAudioEnergy`). */
const widgetEnergy = async (panel: Locator) => Number((await panel.getAttribute("data-audio-energy")) ?? "0");

test("a customer calls from the widget chat; an agent answers in the desktop; both hear each other; the agent sends a key; hang up", async ({
  browser,
  page,
  request,
}, testInfo) => {
  test.setTimeout(120_000);
  const phone = testInfo.project.name === "mobile";
  const shot = (p: Page, name: string) => p.screenshot({ path: testInfo.outputPath(`${name}.png`) });
  const { queue, entryPoint, desk, agentContext } = await webCallDesk(browser, request);
  const received: string[] = [];
  page.on("websocket", (socket) => socket.on("framereceived", ({ payload }) => received.push(String(payload))));
  try {
    // The customer, chatting on the website (on a phone in the mobile project), calls.
    const widget = await openWidgetOn(page, entryPoint.id);
    await expect(widget.getByRole("dialog", { name: entryPoint.name })).toBeVisible();
    const callUs = widget.getByRole("button", { name: "Call us" });
    await expect(callUs).toBeVisible();
    await shot(page, `widget-call-0-chat${phone ? "-phone" : ""}`);
    await callUs.click();
    const panel = widget.getByRole("region", { name: "Call" });
    await expect(panel).toBeVisible();
    await expect(callUs).toBeDisabled();

    // The media comes up: the customer waits in the queue, hearing its music.
    await expect(panel).toHaveAttribute("data-phase", "waiting", { timeout: 20_000 });
    await expect(panel.getByRole("status")).toHaveText("Waiting for an agent…");
    await expect(panel.getByRole("timer", { name: "Call time" })).toHaveText(/^0:0[1-9]$/, { timeout: 5_000 });
    await expect
      .poll(() => widgetEnergy(panel), { timeout: 15_000, message: "the queue's music reaches the customer" })
      .toBeGreaterThan(0);
    await shot(page, `widget-call-1-waiting${phone ? "-phone" : ""}`);

    // The call rings the agent's desk as a web call from the chat.
    const offer = desk.locator(".offer-card-call");
    await expect(offer).toBeVisible({ timeout: 20_000 });
    await expect(offer).toContainText(`Web call · ${queue.name}`);
    await shot(desk, `widget-call-2-agent-offer${phone ? "-phone" : ""}`);
    await offer.getByRole("button", { name: "Accept" }).click();
    const agentPanel = desk.getByRole("region", { name: "Call" });
    await expect(agentPanel).toHaveAttribute("data-phase", "connected", { timeout: 20_000 });
    // The customer is told who answered.
    await expect(panel).toHaveAttribute("data-phase", "talking", { timeout: 10_000 });
    await expect(panel).toContainText("On a call with Katherine Johnson");

    // Both hear each other: each side's received audio energy grows (Chromium's fake microphone beeps).
    const agentEnergy = async () => Number((await agentPanel.getAttribute("data-audio-energy")) ?? "0");
    await expect
      .poll(agentEnergy, { timeout: 15_000, message: "the customer's microphone reaches the agent" })
      .toBeGreaterThan(0.001);
    const agentBefore = await agentEnergy();
    await expect.poll(agentEnergy, { timeout: 10_000 }).toBeGreaterThan(agentBefore);
    const customerBefore = await widgetEnergy(panel);
    await expect
      .poll(() => widgetEnergy(panel), { timeout: 10_000, message: "the agent's microphone reaches the customer" })
      .toBeGreaterThan(customerBefore);

    // The agent presses a key; the call goes on.
    await agentPanel.getByRole("button", { name: "Keypad" }).click();
    const agentKeypad = agentPanel.getByRole("group", { name: "Keypad" });
    await agentKeypad.getByRole("button", { name: "Key 5" }).click();
    await expect(agentKeypad.getByLabel("Keys sent")).toHaveText("5");
    // The customer's keypad too (the queue ignores it): keys go out, the call stays up.
    await panel.getByRole("button", { name: "Keypad" }).click();
    await panel.getByRole("group", { name: "Keypad" }).getByRole("button", { name: "Key 1" }).click();
    await expect(panel.getByRole("group", { name: "Keypad" }).getByLabel("Keys sent")).toHaveText("1");
    await page.waitForTimeout(1_000);
    await expect(agentPanel).toHaveAttribute("data-phase", "connected");
    await expect(panel).not.toHaveAttribute("data-phase", "ended");
    const afterKeys = await widgetEnergy(panel);
    await expect.poll(() => widgetEnergy(panel), { timeout: 10_000 }).toBeGreaterThan(afterKeys);
    await shot(page, `widget-call-3-on-call${phone ? "-phone" : ""}`);
    await shot(desk, `widget-call-3-agent-on-call${phone ? "-phone" : ""}`);

    // Mute on the customer's side.
    await panel.getByRole("button", { name: "Mute" }).click();
    await expect(panel.getByRole("button", { name: "Unmute" })).toHaveAttribute("aria-pressed", "true");
    await panel.getByRole("button", { name: "Unmute" }).click();

    // The customer hangs up: the agent's call ends too.
    await panel.getByRole("button", { name: "Hang up" }).click();
    await expect(panel).toHaveAttribute("data-phase", "ended");
    await expect(panel.getByRole("status")).toHaveText("Call ended");
    await expect(panel).toContainText("You hung up.");
    await expect(agentPanel).toBeHidden({ timeout: 10_000 });
    await shot(page, `widget-call-4-ended${phone ? "-phone" : ""}`);
    await panel.getByRole("button", { name: "Close" }).click();
    await expect(panel).toBeHidden();
    await expect(callUs).toBeEnabled();
  } catch (error) {
    const calls = received.filter((f) => f.includes('"call.') || f.includes('"error"'));
    testInfo.attach("call-frames", { body: calls.join("\n"), contentType: "text/plain" });
    throw error;
  } finally {
    await agentContext.close();
  }
});

test("a customer whose microphone is blocked is told how to allow it, and no call is placed", async ({
  page,
  request,
}, testInfo) => {
  test.setTimeout(60_000);
  await page.addInitScript(() => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException("Permission denied", "NotAllowedError"));
  });
  const sent: string[] = [];
  page.on("websocket", (socket) => socket.on("framesent", ({ payload }) => sent.push(String(payload))));
  const { items } = await api<{ items: { id: string }[] }>(request, "GET", "/v1/entry-points");
  const widget = await openWidgetOn(page, items[0]?.id ?? "");
  await widget.getByRole("button", { name: "Call us" }).click();
  const panel = widget.getByRole("region", { name: "Call" });
  await expect(panel.getByRole("alert")).toHaveText("Allow the microphone in your browser to call us.");
  await expect(panel).toHaveAttribute("data-phase", "ended");
  expect(sent.some((f) => f.includes('"call.start"'))).toBe(false);
  await page.screenshot({
    path: testInfo.outputPath(`widget-call-microphone-blocked${testInfo.project.name === "mobile" ? "-phone" : ""}.png`),
  });
});
