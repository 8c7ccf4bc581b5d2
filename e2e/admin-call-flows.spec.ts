import { randomInt, randomUUID } from "node:crypto";
import { type APIRequestContext, expect, type Page, type TestInfo, test } from "@playwright/test";
// The test client's subpath exports TypeScript sources only (`source` condition), which Playwright's loader does
// not use: it is imported by path.
import { SipTestClient } from "../packages/telephony/testing/sip-test-client.js";
import { openPage, signIn, tone, wav } from "./support/admin-console.js";
import { E2E_API_KEY, E2E_SIP_PORT } from "./support/env.js";

// Call flows in the admin console: an admin adds a shared mailbox, builds an auto attendant whose menu sends
// 1 to the Sales line and has a holiday (a duplicate key shows the server's message at the key), publishes a
// change as version 2 (and sees version 1 read-only), is told when someone else published meanwhile, points
// a new number at the attendant, and sends the Sales line's timeouts to the new mailbox. A caller leaves a
// message in a shared mailbox over SIP; the admin plays it, marks it heard and deletes it.

const asKey = { authorization: `Bearer ${E2E_API_KEY}` };

async function api<T>(request: APIRequestContext, method: "GET" | "POST" | "PUT", path: string, data?: unknown): Promise<T> {
  const response = await request.fetch(path, { method, headers: asKey, ...(data === undefined ? {} : { data }) });
  expect(response.status(), `${method} ${path}: ${await response.text()}`).toBeLessThan(300);
  return (await response.json()) as T;
}

/** A fresh admin user in the demo tenant (its bootstrap key is the e2e key); the seeded admin's password is random. */
async function createAdmin(request: APIRequestContext) {
  const email = `admin-${randomUUID().slice(0, 8)}@e2e.example`;
  const password = `pw-${randomUUID()}`;
  const response = await request.post("/v1/users", {
    headers: asKey,
    data: { email, displayName: "Fiona Flows", role: "admin", password },
  });
  expect(response.status(), await response.text()).toBe(201);
  return { email, password };
}

/** A titled card of a page ("Business hours"). */
const section = (page: Page, title: string) =>
  page.locator("section.card").filter({ has: page.getByRole("heading", { name: title, exact: true, level: 2 }) });

const shot = (page: Page, testInfo: TestInfo, name: string) =>
  page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });

interface Attendant {
  id: string;
  version: number;
  name: string;
  schedule: { holidays: { date: string; name: string }[] } | null;
  businessHours: {
    greeting: { text: string } | null;
    menu: { options: { key: string; phrases: string[]; action: { kind: string; target?: Record<string, string> } }[] };
  };
}

test("an admin builds call flows: a mailbox, an auto attendant with a menu and a holiday, its number, a queue's timeout", async ({
  page,
  request,
}, testInfo) => {
  // A long journey through five pages; slower on the phone viewport.
  test.setTimeout(120_000);
  const tag = randomUUID().slice(0, 6);
  const mailboxName = `Returns ${tag}`;
  const attendantName = `Returns line ${tag}`;
  const queues = await api<{ items: { id: string; name: string }[] }>(request, "GET", "/v1/queues");
  const sales = queues.items.find((q) => q.name === "Sales line");
  expect(sales, "the demo tenant's Sales line").toBeDefined();
  await signIn(page, await createAdmin(request));

  // Mailboxes: a shared one with a greeting and a PIN.
  await openPage(page, "Mailboxes");
  await page.getByRole("button", { name: "Add mailbox" }).click();
  const addMailbox = page.getByRole("dialog", { name: "Add a mailbox" });
  await addMailbox.getByLabel("Name", { exact: true }).fill(mailboxName);
  await addMailbox.getByLabel("Greeting", { exact: true }).fill("You have reached returns. Please leave a message.");
  await addMailbox.getByLabel("PIN", { exact: true }).fill("2468");
  await addMailbox.getByRole("button", { name: "Add mailbox" }).click();
  await expect(addMailbox).toBeHidden();
  const mailboxRow = page.getByRole("table", { name: "Mailboxes" }).getByRole("row").filter({ hasText: mailboxName });
  await expect(mailboxRow).toContainText("Has PIN");
  await expect(mailboxRow).toContainText("Shared");
  const mailboxes = await api<{ items: { id: string; name: string; hasPin: boolean }[] }>(request, "GET", "/v1/mailboxes");
  const mailbox = mailboxes.items.find((m) => m.name === mailboxName);
  expect(mailbox?.hasPin).toBe(true);
  await shot(page, testInfo, "call-flows-mailboxes");

  // Auto attendants: a new one, with a greeting, a menu and a holiday.
  await openPage(page, "Auto attendants");
  await expect(page.getByRole("table", { name: "Auto attendants" })).toContainText("Northwind main line");
  await page.getByRole("link", { name: "Add auto attendant" }).first().click();
  await expect(page.getByRole("heading", { name: "New auto attendant", level: 1 })).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill(attendantName);
  const business = section(page, "Business hours");
  await business.getByLabel("Greeting", { exact: true }).fill("Thank you for calling Northwind returns.");
  await business.getByLabel("Menu prompt", { exact: true }).fill("For sales, press 1. To leave a message, press 2.");
  await business.getByRole("button", { name: "Add option" }).click();
  const first = business.getByRole("group", { name: "Option 1" });
  await first.getByLabel("Spoken phrases").fill("Sales, buy a bike");
  await first.getByRole("combobox", { name: "Queue" }).selectOption({ label: "Sales line" });
  await business.getByRole("button", { name: "Add option" }).click();
  const second = business.getByRole("group", { name: "Option 2" });
  // The same key twice: the server says so, at the second option's key.
  await second.getByRole("combobox", { name: "Key" }).selectOption("1");
  await second.getByRole("combobox", { name: "Send to" }).selectOption({ label: "Voicemail" });
  await second.getByRole("combobox", { name: "Mailbox" }).selectOption({ label: mailboxName });
  await page.getByRole("switch", { name: "Open on a schedule" }).click();
  await page.getByRole("button", { name: "Add holiday" }).click();
  await page.getByLabel("Holiday 1 date").fill("2026-12-25");
  await page.getByLabel("Holiday 1 name").fill("Christmas");
  await page.getByRole("button", { name: "Create auto attendant" }).click();
  await expect(second.getByText("Another option uses 1.")).toBeVisible();
  await expect(second.getByRole("combobox", { name: "Key" })).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("alert")).toContainText("Business hours › Menu › Option 2 › Key");
  await shot(page, testInfo, "call-flows-attendant-invalid");
  await second.getByRole("combobox", { name: "Key" }).selectOption("2");
  await page.getByRole("button", { name: "Create auto attendant" }).click();
  await expect(page.getByRole("heading", { name: attendantName, level: 1 })).toBeVisible();
  await expect(page.getByText("Version 1", { exact: true })).toBeVisible();
  const attendantId = decodeURIComponent(new URL(page.url()).pathname.split("/").at(-1) ?? "");
  const created = await api<Attendant>(request, "GET", `/v1/auto-attendants/${attendantId}`);
  expect(created.version).toBe(1);
  expect(created.schedule?.holidays).toEqual([{ date: "2026-12-25", name: "Christmas" }]);
  expect(created.businessHours.menu.options).toEqual([
    { key: "1", phrases: ["sales", "buy a bike"], action: { kind: "redirect", target: { kind: "queue", queueId: sales?.id } } },
    { key: "2", phrases: [], action: { kind: "redirect", target: { kind: "voicemail", mailboxId: mailbox?.id } } },
  ]);

  // A change is published as version 2; version 1 stays readable.
  await business.getByLabel("Greeting", { exact: true }).fill("Thanks for calling Northwind returns.");
  await page.getByRole("button", { name: "Publish version 2" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Published version 2" })).toBeVisible();
  await expect(page.getByText("Version 2", { exact: true })).toBeVisible();
  expect((await api<Attendant>(request, "GET", `/v1/auto-attendants/${attendantId}`)).businessHours.greeting?.text).toBe(
    "Thanks for calling Northwind returns.",
  );
  await page.getByRole("button", { name: "View" }).click();
  const earlier = page.getByRole("dialog", { name: "Version 1" });
  await expect(earlier).toContainText("Thank you for calling Northwind returns.");
  await expect(earlier).toContainText("Queue Sales line");
  await earlier.getByRole("button", { name: "Close" }).first().click();
  await expect(earlier).toBeHidden();
  await shot(page, testInfo, "call-flows-attendant");

  // Someone else publishes meanwhile: the page says so, and a reload shows their version.
  const current = await api<Attendant & Record<string, unknown>>(request, "GET", `/v1/auto-attendants/${attendantId}`);
  const { id: _id, version: _version, createdAt: _c, updatedAt: _u, ...settings } = current;
  await api(request, "PUT", `/v1/auto-attendants/${attendantId}`, { ...settings, speechInput: true, expectedVersion: 2 });
  await page.getByRole("switch", { name: "Speech input" }).click();
  await page.getByRole("button", { name: "Publish version 3" }).click();
  await expect(page.getByRole("alert")).toContainText("Someone else published a change");
  await page.getByRole("button", { name: "Reload" }).click();
  await expect(page.getByText("Version 3", { exact: true })).toBeVisible();
  await expect(page.getByRole("switch", { name: "Speech input" })).toHaveAttribute("aria-checked", "true");

  // Phone numbers: a new number answered by the attendant.
  await openPage(page, "Phone numbers");
  await page.getByRole("button", { name: "Add number" }).click();
  const addNumber = page.getByRole("dialog", { name: "Add a phone number" });
  const e164 = `+1555${randomInt(1_000_000, 9_999_999)}`;
  await addNumber.getByLabel("Number", { exact: true }).fill(e164);
  await addNumber.getByLabel("Label").fill(`Returns ${tag}`);
  await addNumber.getByRole("combobox", { name: "Answered by" }).selectOption({ label: "Auto attendant" });
  await addNumber.getByRole("combobox", { name: "Auto attendant" }).selectOption({ label: attendantName });
  await addNumber.getByRole("button", { name: "Add number" }).click();
  await expect(addNumber).toBeHidden();
  const numbers = page.getByRole("table", { name: "Phone numbers" });
  await expect(numbers.getByRole("row").filter({ hasText: e164 })).toContainText(`Auto attendant ${attendantName}`);
  await expect(numbers.getByRole("row").filter({ hasText: "+15550101" })).toContainText("Auto attendant Northwind main line");
  const listed = await api<{ items: { e164: string; entry: unknown }[] }>(request, "GET", "/v1/phone-numbers");
  expect(listed.items.find((n) => n.e164 === e164)?.entry).toEqual({ kind: "auto_attendant", autoAttendantId: attendantId });
  await shot(page, testInfo, "call-flows-numbers");

  // Queues: the Sales line's timeouts go to the new mailbox.
  await openPage(page, "Queues");
  await page.getByRole("table", { name: "Queues" }).getByRole("button", { name: "Sales line", exact: true }).click();
  const editQueue = page.getByRole("dialog", { name: "Edit queue Sales line" });
  const timeout = editQueue.getByRole("group", { name: "Time out to" });
  await expect(timeout.getByRole("combobox", { name: "Time out to" })).toHaveValue("voicemail");
  await timeout.getByRole("combobox", { name: "Mailbox" }).selectOption({ label: mailboxName });
  // Its music on hold: a WAV file uploaded from the computer (any rate; kept as telephone audio).
  // (Named "Music on hold" while on the default track, "Music on hold: source" once a recording is chosen.)
  await editQueue.getByRole("combobox", { name: /^Music on hold(: source)?$/ }).selectOption("recording");
  await editQueue.getByLabel("Music on hold: upload a WAV file").setInputFiles({
    name: "music.wav",
    mimeType: "audio/wav",
    // 16 kHz, as a sound editor would save music.
    buffer: wav(tone(523, 2_000, 16_000), 16_000),
  });
  await expect(editQueue.getByRole("status").filter({ hasText: "Uploaded music.wav (2 s)." })).toBeVisible();
  await shot(page, testInfo, "call-flows-queue");
  await editQueue.getByRole("button", { name: "Save" }).click();
  await expect(editQueue).toBeHidden();
  const queue = await api<{ timeout: unknown; call: { music: { kind: string; recordingId?: string } | null } }>(
    request,
    "GET",
    `/v1/queues/${sales?.id}`,
  );
  expect(queue.timeout).toEqual({ seconds: 180, target: { kind: "voicemail", mailboxId: mailbox?.id } });
  expect(queue.call.music?.kind).toBe("recording");
  const music = await request.get(`/v1/recordings/${queue.call.music?.recordingId}/audio`, { headers: asKey });
  expect(music.headers()["content-type"]).toBe("audio/wav");
});

test("a caller leaves a voicemail; the admin plays it, marks it heard and deletes it", async ({ page, request }, testInfo) => {
  test.setTimeout(90_000);
  const tag = randomUUID().slice(0, 6);
  const mailbox = await api<{ id: string; name: string }>(request, "POST", "/v1/mailboxes", {
    name: `Messages ${tag}`,
    greeting: { kind: "speech", text: "Leave a message." },
  });
  const e164 = `+1555${randomInt(1_000_000, 9_999_999)}`;
  await api(request, "POST", "/v1/phone-numbers", { e164, entry: { kind: "voicemail", mailboxId: mailbox.id } });
  const messages = async () =>
    (await api<{ items: { id: string; heard: boolean }[] }>(request, "GET", `/v1/mailboxes/${mailbox.id}/messages`)).items;

  // A SIP caller on this machine hears the greeting and the beep, says something, and presses pound.
  const caller = await SipTestClient.start();
  try {
    const call = await caller.call(`sip:${e164}@127.0.0.1:${E2E_SIP_PORT}`);
    expect((await call.answered)?.ok, "the number answers").toBe(true);
    const calls = async () =>
      (await api<{ items: { id: string; legs: { sipCallId: string }[] }[] }>(request, "GET", "/v1/calls?limit=20")).items;
    await expect.poll(async () => (await calls()).some((c) => c.legs.some((l) => l.sipCallId === call.leg.callId))).toBe(true);
    const callId = (await calls()).find((c) => c.legs.some((l) => l.sipCallId === call.leg.callId))?.id;
    const events = async () =>
      (await api<{ items: { type: string }[] }>(request, "GET", `/v1/calls/${callId}/events?limit=500`)).items.map((e) => e.type);
    // The greeting played to its end: the recording starts with the beep.
    await expect.poll(async () => (await events()).includes("play.ended"), { timeout: 20_000 }).toBe(true);
    await call.play(tone(500, 1_500));
    await call.sendDtmf("#");
    await expect.poll(async () => (await messages()).length, { timeout: 15_000 }).toBe(1);
    await call.hangup();
  } finally {
    await caller.close();
  }

  await signIn(page, await createAdmin(request));
  await openPage(page, "Mailboxes");
  await page.getByRole("link", { name: mailbox.name }).click();
  await expect(page.getByRole("heading", { name: mailbox.name, level: 1 })).toBeVisible();
  await expect(page.getByText("1 message, 1 new")).toBeVisible();
  const row = page.getByRole("table", { name: "Messages" }).getByRole("row").nth(1);
  await expect(row).toContainText("New");
  await row.getByRole("button", { name: /^Play/ }).click();
  // The audio comes with the session's token, into a Blob URL the player plays.
  const audio = page.locator("audio");
  await expect(audio).toHaveAttribute("src", /^blob:/);
  expect(
    await audio.evaluate(
      (el: HTMLAudioElement) =>
        new Promise((resolve) => {
          if (el.readyState >= 1) resolve(el.duration);
          else el.addEventListener("loadedmetadata", () => resolve(el.duration), { once: true });
        }),
    ),
  ).toBeGreaterThan(0.5);
  await shot(page, testInfo, "call-flows-voicemail");
  await row.getByRole("button", { name: "Mark heard" }).click();
  await expect(row.getByRole("button", { name: "Mark new" })).toBeVisible();
  await expect(page.getByText("1 message", { exact: true })).toBeVisible();
  expect((await messages())[0]?.heard).toBe(true);
  await row.getByRole("button", { name: "Delete", exact: true }).click();
  await row.getByRole("button", { name: "Delete message" }).click();
  await expect(page.getByText("No messages")).toBeVisible();
  expect(await messages()).toEqual([]);
});
