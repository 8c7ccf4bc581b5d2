import { randomInt, randomUUID } from "node:crypto";
import { type APIRequestContext, expect, type Page, type TestInfo, test } from "@playwright/test";
// The test client's subpath exports TypeScript sources only (`source` condition), which Playwright's loader does
// not use: it is imported by path.
import { SipTestClient, type TestCall } from "../packages/telephony/testing/sip-test-client.js";
import { E2E_API_KEY } from "../playwright.config.js";
import { openPage, signIn } from "./support/admin-console.js";
import { E2E_SIP_PORT } from "./support/env.js";

// Telephony in the admin console: the demo number and phone are listed; an admin adds numbers (a bad E.164
// shows the server's message at the field), a trunk with an allow list and a password, and a phone, and no
// password ever shows again; a call placed to the demo number over SIP shows in Calls with its legs, its
// timeline and its recording.

const asKey = { authorization: `Bearer ${E2E_API_KEY}` };

/** A fresh admin user in the demo tenant (its bootstrap key is the e2e key); the seeded admin's password is random. */
async function createAdmin(request: APIRequestContext) {
  const email = `admin-${randomUUID().slice(0, 8)}@e2e.example`;
  const password = `pw-${randomUUID()}`;
  const response = await request.post("/v1/users", {
    headers: asKey,
    data: { email, displayName: "Tom Telephony", role: "admin", password },
  });
  expect(response.status(), await response.text()).toBe(201);
  return { email, password };
}

/** The page's whole markup, input values included: where a password must not be. */
const everything = (page: Page) =>
  page.evaluate(() => {
    const values = Array.from(document.querySelectorAll("input, textarea"), (el) => (el as HTMLInputElement).value);
    return `${document.documentElement.outerHTML}\n${values.join("\n")}`;
  });

const shot = (page: Page, testInfo: TestInfo, name: string) =>
  page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });

test("an admin manages numbers, trunks and phones, and passwords never show again", async ({ page, request }, testInfo) => {
  const admin = await createAdmin(request);
  const tag = randomUUID().slice(0, 6);
  await signIn(page, admin);

  // Phone numbers: the demo number, then a bad number (the server's message at the field), then a good one.
  await openPage(page, "Phone numbers");
  const numbers = page.getByRole("table", { name: "Phone numbers" });
  const demo = numbers.getByRole("row").filter({ hasText: "+15550100" });
  await expect(demo).toContainText("Demo line");
  await expect(demo).toContainText("demo");
  await page.getByRole("button", { name: "Add number" }).click();
  const add = page.getByRole("dialog", { name: "Add a phone number" });
  const numberField = add.getByLabel("Number", { exact: true });
  await numberField.fill("555 0199");
  await add.getByLabel("Label").fill(`Sales ${tag}`);
  await add.getByRole("button", { name: "Add number" }).click();
  await expect(add.getByText("a plus and 2 to 15 digits, the first not 0, e.g. +15550100")).toBeVisible();
  await expect(numberField).toHaveAttribute("aria-invalid", "true");
  await shot(page, testInfo, "telephony-number-invalid");
  const e164 = `+1555${randomInt(1_000_000, 9_999_999)}`;
  await numberField.fill(e164);
  await add.getByRole("button", { name: "Add number" }).click();
  await expect(add).toBeHidden();
  const added = numbers.getByRole("row").filter({ hasText: e164 });
  await expect(added).toContainText(`Sales ${tag}`);
  await expect(added).toContainText("Platform carrier");
  await shot(page, testInfo, "telephony-numbers");

  // Trunks: an allow list with a bad line (the server names it), then fixed, with an inbound password.
  const secret = `trunk-secret-${tag}`;
  await openPage(page, "Trunks");
  await page.getByRole("link", { name: "Add trunk" }).first().click();
  await expect(page.getByRole("heading", { name: "New trunk", level: 1 })).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill(`Carrier ${tag}`);
  const allowList = page.getByLabel("Allow list");
  await allowList.fill("203.0.113.0/24\nnot-a-block");
  await page.getByRole("switch", { name: "Require a password" }).click();
  await page.getByLabel("Inbound username").fill(`carrier-${tag}`);
  await page.getByLabel("Inbound password").fill(secret);
  await page.getByRole("button", { name: "Add trunk" }).click();
  await expect(page.getByText("not-a-block is not an IPv4 or IPv6 address or CIDR block")).toBeVisible();
  await expect(allowList).toHaveAttribute("aria-invalid", "true");
  await allowList.fill("203.0.113.0/24\n2001:db8:10::/48");
  await page.getByRole("button", { name: "Add trunk" }).click();
  await expect(page.getByRole("heading", { name: "Trunks", level: 1 })).toBeVisible();
  const trunkRow = page
    .getByRole("table", { name: "Trunks" })
    .getByRole("row")
    .filter({ hasText: `Carrier ${tag}` });
  await expect(trunkRow).toContainText("2 address blocks, with a password");
  expect(await everything(page)).not.toContain(secret);
  await shot(page, testInfo, "telephony-trunks");
  // Its page says a password is set, and keeps it when saved with the field left empty.
  await trunkRow.getByRole("link", { name: `Carrier ${tag}` }).click();
  await expect(page.getByRole("heading", { name: `Carrier ${tag}`, level: 1 })).toBeVisible();
  await expect(page.getByLabel("Allow list")).toHaveValue("203.0.113.0/24\n2001:db8:10::/48");
  await expect(page.getByLabel("Inbound password")).toHaveValue("");
  await expect(page.getByText("Password set")).toBeVisible();
  await page.getByRole("switch", { name: "Your own carrier (BYOC)" }).click();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
  await expect(page.getByText("Password set")).toBeVisible();
  expect(await everything(page)).not.toContain(secret);
  await shot(page, testInfo, "telephony-trunk");

  // Phones: the demo phone, then a new one; its password never shows again, nor after a reset.
  await openPage(page, "Phones");
  const phones = page.getByRole("table", { name: "Phones" });
  await expect(phones.getByRole("row").filter({ hasText: "Ana Lopez" })).toContainText("1001");
  const settings = page.locator(".card").filter({ hasText: "Phone settings" });
  await expect(settings).toContainText("switchboard");
  await expect(settings).toContainText("5060");
  const extension = String(randomInt(200_000, 999_999));
  const phoneSecret = `phone-secret-${tag}`;
  await page.getByRole("button", { name: "Add phone" }).click();
  const phoneDialog = page.getByRole("dialog", { name: "Add a phone" });
  await phoneDialog.getByLabel("Username", { exact: true }).fill(`agent-${tag}`);
  await phoneDialog.getByLabel("Extension").fill(extension);
  await phoneDialog.getByLabel("Display name").fill(`Agent ${tag}`);
  await phoneDialog.getByLabel("Password").fill(phoneSecret);
  await phoneDialog.getByRole("button", { name: "Add phone" }).click();
  await expect(phoneDialog).toBeHidden();
  await expect(page.getByRole("status").filter({ hasText: `Phone ${extension} added` })).toBeVisible();
  const newPhone = phones.getByRole("row").filter({ hasText: `agent-${tag}` });
  await expect(newPhone).toContainText(extension);
  expect(await everything(page)).not.toContain(phoneSecret);
  await shot(page, testInfo, "telephony-phones");
  await newPhone.getByRole("button", { name: `Edit phone ${extension}` }).click();
  const editPhone = page.getByRole("dialog", { name: `Edit phone ${extension}` });
  await expect(editPhone.getByLabel("Extension")).toHaveValue(extension);
  await editPhone.getByRole("button", { name: "Reset password" }).click();
  const reset = page.getByRole("dialog", { name: `New password for phone ${extension}` });
  await reset.getByLabel("New password").fill("short");
  await reset.getByRole("button", { name: "Set password" }).click();
  await expect(reset.getByText("at least 8 characters", { exact: true })).toBeVisible();
  await reset.getByLabel("New password").fill(`${phoneSecret}-2`);
  await reset.getByRole("button", { name: "Set password" }).click();
  await expect(reset).toBeHidden();
  await expect(page.getByRole("status").filter({ hasText: "password" })).toBeVisible();
  expect(await everything(page)).not.toContain(phoneSecret);
});

interface CallRecordJson {
  id: string;
  state: string;
  result: string | null;
  recordingIds: string[];
  legs: { sipCallId: string }[];
}

interface CallEventJson {
  sequence: number;
  type: string;
  data: { key?: string; outcome?: { ended?: string; digits?: string } };
}

/** Polls until `check` gives a value (call records are written as the call goes). */
async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting for the call record");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** 8 kHz samples of a sine tone: what the caller "says" into the recording. */
const tone = (hz: number, ms: number) =>
  Int16Array.from({ length: (8 * ms) | 0 }, (_, i) => Math.round(9_000 * Math.sin((2 * Math.PI * hz * i) / 8_000)));

test("a call to the demo number shows in Calls with its legs, timeline and recording", async ({ page, request }, testInfo) => {
  test.setTimeout(90_000);
  const admin = await createAdmin(request);

  // A SIP caller on this machine dials the demo number: a key, then star to record a message, then hangs up.
  const caller = await SipTestClient.start();
  let callId: string;
  try {
    const call: TestCall = await caller.call(`sip:+15550100@127.0.0.1:${E2E_SIP_PORT}`);
    const outcome = await call.answered;
    expect(outcome?.ok, "the demo number answers").toBe(true);
    const record = await eventually(async () => {
      const calls = await request.get("/v1/calls?limit=20", { headers: asKey });
      return ((await calls.json()) as { items: CallRecordJson[] }).items.find((c) =>
        c.legs.some((l) => l.sipCallId === call.leg.callId),
      );
    });
    callId = record.id;
    const events = async () =>
      (
        (await (await request.get(`/v1/calls/${callId}/events?limit=500`, { headers: asKey })).json()) as {
          items: CallEventJson[];
        }
      ).items;

    await call.waitForAudio(1);
    await call.sendDtmf("5");
    await expect.poll(async () => (await events()).some((e) => e.type === "key.pressed" && e.data.key === "5")).toBe(true);
    await call.sendDtmf("*");
    // The instructions play to the end, then the beep and the recording: speak, then press pound.
    await expect
      .poll(
        async () => {
          const all = await events();
          const star = all.find((e) => e.type === "collect.ended" && e.data.outcome?.digits === "*");
          return star !== undefined && all.some((e) => e.sequence > star.sequence && e.type === "play.ended");
        },
        { timeout: 20_000 },
      )
      .toBe(true);
    await call.play(tone(600, 1_500));
    await call.sendDtmf("#");
    await expect.poll(async () => (await events()).some((e) => e.type === "record.ended"), { timeout: 15_000 }).toBe(true);
    await call.hangup();
    await expect
      .poll(async () => {
        const detail = (await (await request.get(`/v1/calls/${callId}`, { headers: asKey })).json()) as CallRecordJson;
        return detail.state === "ended" ? detail.recordingIds.length : -1;
      })
      .toBe(1);
  } finally {
    await caller.close();
  }

  // The admin finds it among the calls, with the volume chart, and opens it.
  await signIn(page, admin);
  await openPage(page, "Calls");
  await expect(page.getByRole("img", { name: /^Calls per/ })).toBeVisible();
  const list = page.getByRole("list", { name: "Calls" });
  const row = list.locator(`a[href$="/calls/${callId}"]`);
  await expect(row).toContainText("+15550100");
  await expect(row).toContainText("Completed");
  await expect(row).toContainText("1 recording");
  await page.getByRole("combobox", { name: "Result" }).selectOption("completed");
  await expect(page).toHaveURL(/result=completed/);
  await expect(row).toBeVisible();
  await shot(page, testInfo, "telephony-calls");
  await row.click();

  await expect(page.getByRole("heading", { level: 1 })).toContainText("+15550100");
  const timeline = page.getByRole("list", { name: "Timeline" });
  await expect(timeline).toContainText("Key pressed: 5");
  await expect(timeline).toContainText("Key pressed: star (*)");
  await expect(timeline).toContainText("Prompt played");
  await expect(timeline).toContainText("Recording made");
  await expect(timeline).toContainText("Flow “demo” ended");
  await expect(page.getByRole("list", { name: "Legs" })).toContainText("Caller");
  // The recording is fetched with the token and plays from a Blob URL.
  const audio = page.getByRole("list", { name: "Recordings" }).locator("audio");
  await expect(audio).toHaveAttribute("src", /^blob:/);
  await expect.poll(() => audio.evaluate((el: HTMLAudioElement) => el.duration)).toBeGreaterThan(1);
  await shot(page, testInfo, "telephony-call");
});
