import { randomInt, randomUUID } from "node:crypto";
import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
// The test client's subpath exports TypeScript sources only (`source` condition), which Playwright's loader does
// not use: it is imported by path.
import { SipTestClient, type TestCall } from "../packages/telephony/testing/sip-test-client.js";
import { api, asKey, createUser, eventually, openPage, section, shot, signIn, tone, wav } from "./support/admin-console.js";
import { E2E_SIP_PORT } from "./support/env.js";

// Recordings in the admin console: an admin sets how long call recordings are kept (0 days gets the server's
// message at the field), finds uploaded audio among the recordings, filters them by kind, plays one and
// deletes one. On a connected call's page, the Live panel holds and resumes the caller, mutes and unmutes
// the agent, records the call, and hangs up; the recording is then listed with a link to its call.

interface Uploaded {
  id: string;
  durationMs: number;
}

async function upload(request: APIRequestContext, ms: number): Promise<Uploaded> {
  const response = await request.post("/v1/recordings", {
    headers: { ...asKey, "content-type": "audio/wav" },
    data: wav(tone(440, ms, 16_000), 16_000),
  });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as Uploaded;
}

/** The recordings table's rows (not the player's row under the one playing). */
const recordingRows = (page: Page) =>
  page
    .getByRole("table", { name: "Recordings" })
    .getByRole("row")
    .filter({ has: page.getByRole("button", { name: /^(Play|Hide) the / }) });

test("an admin keeps call recordings a number of days, and lists, filters, plays and deletes recordings", async ({
  page,
  request,
}, testInfo) => {
  const admin = await createUser(request, "admin", "Rita Recordings");
  const older = await upload(request, 1_500);
  const newer = await upload(request, 2_500);
  await signIn(page, admin);
  await openPage(page, "Recordings");

  // Retention: 0 days is refused, with the server's message at the field; 30 days is kept.
  const retention = section(page, "Keeping call recordings");
  await retention.getByLabel("Keep call recordings").selectOption("days");
  const days = retention.getByLabel("Days");
  await days.fill("0");
  await retention.getByRole("button", { name: "Save" }).click();
  await expect(retention.getByText("1 to 3650, or null to keep recordings for ever")).toBeVisible();
  await expect(days).toHaveAttribute("aria-invalid", "true");
  await shot(page, testInfo, "recordings-retention-invalid");
  await days.fill("30");
  await retention.getByRole("button", { name: "Save" }).click();
  await expect(retention.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
  await expect(retention).toContainText("Now: kept 30 days");
  expect(await api(request, "GET", "/v1/recording-retention")).toEqual({ retentionDays: 30 });

  // The uploads are listed newest first; the kind filter keeps only its kind (and stays in the URL).
  const kind = page.getByRole("combobox", { name: "Kind" });
  await kind.selectOption("upload");
  await expect(page).toHaveURL(/kind=upload/);
  const rows = recordingRows(page);
  await expect(rows.first()).toContainText("Uploaded audio");
  await expect(rows.first()).toContainText("0:02");
  const count = await rows.count();
  expect(count).toBeGreaterThanOrEqual(2);
  await kind.selectOption("call");
  await expect(page).toHaveURL(/kind=call/);
  await expect(page.getByRole("table", { name: "Recordings" }).or(page.getByText("No recording of this kind"))).toBeVisible();
  await expect(rows.filter({ hasText: "Uploaded audio" })).toHaveCount(0);
  await kind.selectOption("upload");

  // Play the newest: fetched with the token, played from a Blob URL; its download names it.
  await rows
    .first()
    .getByRole("button", { name: /^Play the uploaded audio of/ })
    .click();
  const player = page.getByRole("table", { name: "Recordings" }).locator(".recording-player");
  await expect(player.locator("audio")).toHaveAttribute("src", /^blob:/);
  await expect(player.getByRole("link", { name: "Download" })).toHaveAttribute("download", `recording-${newer.id}.wav`);
  await expect.poll(() => player.locator("audio").evaluate((el: HTMLAudioElement) => el.duration)).toBeGreaterThan(2);
  await shot(page, testInfo, "recordings-playing");

  // Delete it: asked once more, then gone from the list and from the API.
  await rows.first().getByRole("button", { name: "Delete", exact: true }).click();
  await rows.first().getByRole("button", { name: "Delete recording" }).click();
  await expect(rows).toHaveCount(count - 1);
  expect((await request.get(`/v1/recordings/${newer.id}`, { headers: asKey })).status()).toBe(404);
  await rows
    .first()
    .getByRole("button", { name: /^Play the uploaded audio of/ })
    .click();
  await expect(player.getByRole("link", { name: "Download" })).toHaveAttribute("download", `recording-${older.id}.wav`);

  // Back to keeping them for ever (the default), as the next journey expects.
  await retention.getByLabel("Keep call recordings").selectOption("forever");
  await retention.getByRole("button", { name: "Save" }).click();
  await expect(retention).toContainText("Now: kept for ever");
  expect(await api(request, "GET", "/v1/recording-retention")).toEqual({ retentionDays: null });
});

interface CallRecordJson {
  id: string;
  state: string;
  legs: { sipCallId: string }[];
}

/** A queue of one fresh agent, in conference mode, on a number of its own; the agent's phone registered and answering. */
async function queueWithAgent(request: APIRequestContext, tag: string) {
  const agent = await createUser(request, "agent", `Lena Live ${tag}`);
  const extension = String(randomInt(100_000, 99_999_999));
  const sip = { username: `live-${tag}`, password: `phone-${randomUUID()}` };
  await api(request, "POST", "/v1/sip-accounts", { ...sip, extension, displayName: agent.displayName, userId: agent.id });
  const queue = await api<{ id: string }>(request, "POST", "/v1/queues", {
    name: `Live line ${tag}`,
    wrapUpSeconds: 0,
    call: {
      greeting: null,
      music: null,
      announceEverySeconds: 0,
      announcePosition: false,
      announceExpectedWait: false,
      conferenceMode: true,
    },
  });
  await api(request, "PUT", `/v1/workers/${agent.identityId}`, {
    capacity: 1,
    channelCosts: { chat: 1, voice: 1 },
    queueIds: [queue.id],
  });
  const { token } = await api<{ token: string }>(request, "POST", "/v1/auth/sign-in", {
    tenant: "demo",
    email: agent.email,
    password: agent.password,
  });
  await api(request, "PUT", "/v1/agent/presence", { presence: "available" }, token);
  const e164 = `+1555${randomInt(1_000_000, 9_999_999)}`;
  await api(request, "POST", "/v1/phone-numbers", { e164, entry: { kind: "queue", queueId: queue.id } });

  const phone = await SipTestClient.start();
  const registered = await phone.register(`sip:127.0.0.1:${E2E_SIP_PORT}`, sip);
  expect(registered.ok, "the agent's phone registers").toBe(true);
  phone.acceptCalls();
  return { agent, extension, e164, phone };
}

test("a connected call's Live panel holds the caller, mutes the agent, records and hangs up", async ({
  page,
  request,
}, testInfo) => {
  test.setTimeout(90_000);
  const tag = randomUUID().slice(0, 6);
  const admin = await createUser(request, "admin", "Sam Supervisor");
  const line = await queueWithAgent(request, tag);
  const caller = await SipTestClient.start();
  let call: TestCall | undefined;
  try {
    call = await caller.call(`sip:${line.e164}@127.0.0.1:${E2E_SIP_PORT}`);
    expect((await call.answered)?.ok, "the queue answers").toBe(true);
    const sipCallId = call.leg.callId;
    const callId = await eventually(async () => {
      const calls = (await api<{ items: CallRecordJson[] }>(request, "GET", "/v1/calls?limit=20")).items;
      return calls.find((c) => c.legs.some((l) => l.sipCallId === sipCallId))?.id;
    }, "the call record");
    // Connected once the agent's phone answered the queue's offer.
    await eventually(
      async () => ((await request.get(`/v1/calls/${callId}/live`, { headers: asKey })).ok() ? true : undefined),
      "the agent to answer",
    );

    await signIn(page, admin);
    await page.goto(`/admin/calls/${callId}`);
    const live = section(page, "Live");
    await expect(live).toBeVisible();
    const summary = live.getByRole("status").first();
    await expect(summary).toHaveText("Caller connected · Not recording · 2 on the call");
    const parties = live.getByRole("list", { name: "Parties" });
    await expect(parties.getByRole("listitem")).toHaveCount(2);
    await expect(parties.getByRole("listitem").first()).toContainText("Caller");
    const agentName = `${line.agent.displayName} (${line.extension})`;
    await expect(parties.getByRole("listitem").nth(1)).toContainText(agentName);
    await shot(page, testInfo, "live-connected");

    // Hold, then take the caller back.
    await live.getByRole("button", { name: "Hold the caller" }).click();
    await expect(summary).toContainText("Caller on hold");
    await expect(parties.getByRole("listitem").first()).toContainText("On hold");
    expect((await api<{ callerHeld: boolean }>(request, "GET", `/v1/calls/${callId}/live`)).callerHeld).toBe(true);
    await live.getByRole("button", { name: "Resume the caller" }).click();
    await expect(summary).toContainText("Caller connected");
    await expect(parties.getByRole("listitem").first()).not.toContainText("On hold");

    // Mute the agent, then unmute.
    await live.getByRole("button", { name: `Mute ${agentName}` }).click();
    await expect(summary).toContainText("1 muted");
    await expect(parties.getByRole("listitem").nth(1)).toContainText("Muted");
    const muted = await api<{ parties: { role: string; muted: boolean }[] }>(request, "GET", `/v1/calls/${callId}/live`);
    expect(muted.parties.find((p) => p.role === "agent")?.muted).toBe(true);
    await live.getByRole("button", { name: `Unmute ${agentName}` }).click();
    await expect(summary).not.toContainText("muted");

    // Record (after the consent announcement), then stop: a call recording of this call.
    await live.getByRole("button", { name: "Start recording" }).click();
    await expect(summary).toContainText("Recording", { timeout: 20_000 });
    await expect(live.getByRole("button", { name: "Pause recording" })).toBeVisible();
    await live.getByRole("button", { name: "Stop recording" }).click();
    await expect(summary).toContainText("Not recording");
    await shot(page, testInfo, "live-controlled");

    // Hang up for everyone: the caller's call ends, the panel goes, and the page says how the call ended.
    await live.getByRole("button", { name: "Hang up", exact: true }).click();
    await live.getByRole("button", { name: "Hang up for everyone" }).click();
    await call.ended;
    await expect(live).toBeHidden();
    await expect(page.getByText("Completed").first()).toBeVisible({ timeout: 15_000 });
    await shot(page, testInfo, "live-ended");

    // The recording is listed as a call recording, linked to its call.
    await openPage(page, "Recordings");
    await page.getByRole("combobox", { name: "Kind" }).selectOption("call");
    const link = recordingRows(page)
      .first()
      .getByRole("link", { name: /^View the call of the call recording/ });
    await expect(link).toHaveAttribute("href", new RegExp(`/calls/${callId}$`));
    await link.click();
    await expect(page).toHaveURL(new RegExp(`/admin/calls/${callId}$`));
    await expect(page.getByRole("list", { name: "Recordings" }).locator("audio")).toHaveAttribute("src", /^blob:/);
  } finally {
    await call?.hangup().catch(() => undefined);
    await caller.close();
    await line.phone.close();
  }
});
