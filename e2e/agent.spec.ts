import { type APIRequestContext, expect, type Locator, type Page, test } from "@playwright/test";
import { E2E_API_KEY } from "./support/env.js";

// The agent desktop end to end: a customer on the demo site asks the bot for a person, an agent signed in to
// /agent/ in another browser context gets the offer (countdown), accepts, both chat live (typing and read
// receipts included), the agent transfers to a colleague with a note, who resolves with a wrap-up code; the
// customer's widget says it ended. Then a supervisor's live view at /supervisor/, and both on a phone.

const asKey = { authorization: `Bearer ${E2E_API_KEY}` };
const unique = () => Math.random().toString(36).slice(2, 6).toUpperCase();

interface Created {
  email: string;
  password: string;
  name: string;
  identityId: string;
}

/** A fresh user of the demo tenant made a worker of the queue the demo entry point hands off to ("support"). */
async function createWorker(request: APIRequestContext, role: "agent" | "supervisor", name: string): Promise<Created> {
  const email = `${role}-${Date.now().toString(36)}-${unique().toLowerCase()}@demo.example`;
  const password = "agent-e2e-password";
  const user = await request.post("/v1/users", { headers: asKey, data: { email, displayName: name, role, password } });
  expect(user.status(), await user.text()).toBe(201);
  const { identityId } = (await user.json()) as { identityId: string };

  const queues = (await (await request.get("/v1/queues", { headers: asKey })).json()) as {
    items: { id: string; name: string }[];
  };
  let support = queues.items.find((q) => q.name === "support");
  if (!support) {
    const created = await request.post("/v1/queues", { headers: asKey, data: { name: "support" } });
    expect(created.status(), await created.text()).toBe(201);
    support = (await created.json()) as { id: string; name: string };
  }
  const worker = await request.put(`/v1/workers/${identityId}`, {
    headers: asKey,
    data: { queueIds: [support.id], capacity: 3 },
  });
  expect(worker.status(), await worker.text()).toBe(200);
  return { email, password, name, identityId };
}

async function signIn(page: Page, path: string, who: Created): Promise<void> {
  await page.goto(path);
  await page.getByLabel("Workspace").fill("demo");
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** The customer's side: the demo site with the widget open, and the id of the conversation it started. */
async function openWidget(
  page: Page,
): Promise<{ widget: Locator; log: Locator; conversationId: string; say: (text: string) => Promise<void> }> {
  await page.goto("/demo");
  const widget = page.locator("switchboard-widget");
  const session = page.waitForResponse((r) => r.url().endsWith("/v1/widget/sessions") && r.request().method() === "POST");
  await widget.getByRole("button", { name: /^Open chat/ }).click();
  const { conversation } = (await (await session).json()) as { conversation: { id: string } };
  const log = widget.getByRole("log", { name: "Messages" });
  const field = widget.getByRole("textbox", { name: "Message" });
  await expect(field).toBeVisible();
  const say = async (text: string) => {
    await field.fill(text);
    await field.press("Enter");
    await expect(field).toHaveValue("");
  };
  return { widget, log, conversationId: conversation.id, say };
}

test("an agent takes a chat handed off by the bot, chats live, transfers it to a colleague who resolves it", async ({
  browser,
  page,
  request,
}, testInfo) => {
  test.skip(testInfo.project.name === "mobile", "the agent desktop is for desktops; its phone layout has its own test");
  test.setTimeout(120_000);
  const shot = (p: Page, name: string) => p.screenshot({ path: testInfo.outputPath(`${name}.png`) });

  const agent = await createWorker(request, "agent", `Grace Hopper ${unique()}`);
  await signIn(page, "/agent/", agent);
  const presence = page.getByRole("combobox", { name: "Presence" });
  await expect(presence).toBeVisible();
  await expect(page.getByText("You're not taking chats")).toBeVisible();
  await presence.selectOption("available");
  await expect(presence).toHaveValue("available");
  await expect(page.getByText("Waiting for the next chat")).toBeVisible();
  await shot(page, "agent-1-available");

  // The customer, in a browser of their own.
  const customerContext = await browser.newContext();
  const customerPage = await customerContext.newPage();
  const customer = await openWidget(customerPage);
  await customer.say("I want to talk to a person");

  // The offer rings on the agent's desk, counting down.
  const offer = page.locator(`.offer-card[data-conversation-id="${customer.conversationId}"]`);
  await expect(offer).toBeVisible({ timeout: 15_000 });
  await expect(offer).toContainText("Incoming chat · support");
  await expect(offer.getByText("The customer asked for a person")).toBeVisible();
  const timer = offer.getByRole("timer");
  await expect(timer).toHaveText(/^0:[0-3]\d$/);
  const first = await timer.textContent();
  await expect(timer).not.toHaveText(first ?? "", { timeout: 3000 });
  await shot(page, "agent-2-offer");
  await offer.getByRole("button", { name: "Accept" }).click();
  await expect(offer).toBeHidden();

  // The whole conversation is there, the bot's part included, with the customer's details beside it.
  const agentLog = page.getByRole("log", { name: "Messages" });
  await expect(agentLog).toContainText("I want to talk to a person");
  await expect(agentLog.locator('[data-speaker="bot"]').first()).toBeVisible();
  await expect(agentLog).toContainText("Handed off to support");
  const panel = page.getByRole("complementary", { name: "Customer" });
  await expect(panel).toContainText("Handoff from the bot");
  await expect(panel).toContainText("Not verified");
  await expect(page.getByRole("navigation", { name: "Your conversations" }).getByRole("button")).toHaveCount(1);

  // A canned response: "/hi" and Enter inserts it, Enter again sends it.
  const composer = page.getByRole("textbox", { name: "Message" });
  await composer.fill("/hi");
  await expect(page.getByRole("listbox", { name: "Canned responses" })).toBeVisible();
  await composer.press("Enter");
  await expect(composer).toHaveValue(/^Hi there, this is Grace\./);
  await composer.press("Enter");
  await expect(composer).toHaveValue("");
  await expect(customer.log).toContainText("this is Grace", { timeout: 10_000 });

  // The customer types: the agent sees it; the customer answers: the agent gets it live.
  const customerField = customer.widget.getByRole("textbox", { name: "Message" });
  await customerField.pressSequentially("My order", { delay: 30 });
  await expect(page.getByText(/is typing…/)).toBeVisible({ timeout: 10_000 });
  await customerField.pressSequentially(" from last week hasn't arrived");
  await customerField.press("Enter");
  await expect(agentLog).toContainText("My order from last week hasn't arrived");

  await composer.fill("Sorry about that! Let me check where it is.");
  await composer.press("Enter");
  await expect(customer.log).toContainText("Let me check where it is.");
  // The widget is open and on screen: the customer has read it.
  await expect(agentLog.locator(".desk-receipt-read")).toBeVisible({ timeout: 10_000 });
  await shot(page, "agent-3-conversation");
  await shot(customerPage, "customer-1-with-agent");

  // Grace transfers to a colleague with a note; the chat leaves her desk.
  const alan = await createWorker(request, "agent", `Alan Turing ${unique()}`);
  const alanContext = await browser.newContext();
  const alanPage = await alanContext.newPage();
  await signIn(alanPage, "/agent/", alan);
  await alanPage.getByRole("combobox", { name: "Presence" }).selectOption("available");
  await expect(alanPage.getByText("Waiting for the next chat")).toBeVisible();

  await page.getByRole("button", { name: "Transfer" }).click();
  const transfer = page.getByRole("dialog", { name: /^Transfer / });
  await transfer.getByRole("tab", { name: "A colleague" }).click();
  await transfer.getByRole("radio", { name: alan.name }).check();
  await transfer.getByLabel(/Note for the next agent/).fill("Order from last week, not arrived. Checking the courier.");
  await shot(page, "agent-4-transfer");
  await transfer.getByRole("button", { name: "Transfer" }).click();
  await expect(transfer).toBeHidden();
  await expect(agentLog).toBeHidden();
  await expect(page.getByText(`Transferred to ${alan.name}.`)).toBeVisible();

  // Alan gets it as an offer, takes it, and has the whole story: the bot, Grace, the customer, the note.
  const alanOffer = alanPage.locator(`.offer-card[data-conversation-id="${customer.conversationId}"]`);
  await expect(alanOffer).toBeVisible({ timeout: 15_000 });
  await alanOffer.getByRole("button", { name: "Accept" }).click();
  const alanLog = alanPage.getByRole("log", { name: "Messages" });
  await expect(alanLog).toContainText("Let me check where it is.");
  await expect(alanLog.locator('[data-speaker="agent"]').first()).toBeVisible();
  await expect(alanPage.getByRole("complementary", { name: "Customer" })).toContainText("Checking the courier.");
  const alanComposer = alanPage.getByRole("textbox", { name: "Message" });
  await alanComposer.fill("Hi, Alan here. The courier has it: it arrives tomorrow.");
  await alanComposer.press("Enter");
  await expect(customer.log).toContainText("it arrives tomorrow");

  // Alan resolves with a wrap-up code: the conversation leaves his desk, and the customer's chat ends.
  await alanPage.getByRole("button", { name: "Resolve" }).click();
  const dialog = alanPage.getByRole("dialog", { name: "Resolve the conversation" });
  await expect(dialog.getByRole("radio", { name: "Resolved" })).toBeChecked();
  await dialog.getByRole("radio", { name: "Follow up" }).check();
  await shot(alanPage, "agent-5-resolve");
  await dialog.getByRole("button", { name: "Resolve" }).click();
  await expect(dialog).toBeHidden();
  await expect(alanLog).toBeHidden();
  await expect(alanPage.getByText("Conversation resolved.")).toBeVisible();
  await expect(customer.widget.getByText("This chat has ended.")).toBeVisible({ timeout: 40_000 });
  await shot(alanPage, "agent-6-resolved");
  await shot(customerPage, "customer-2-ended");

  for (const desk of [page, alanPage]) {
    const select = desk.getByRole("combobox", { name: "Presence" });
    await select.selectOption("offline");
    await expect(select).toHaveValue("offline");
  }
  await alanContext.close();
  await customerContext.close();
});

test("a supervisor watches queues and agents live", async ({ page, request }, testInfo) => {
  test.skip(testInfo.project.name === "mobile", "covered by the phone layout test");
  const supervisor = await createWorker(request, "supervisor", `Alan Turing ${unique()}`);
  await signIn(page, "/supervisor/", supervisor);
  await expect(page.getByRole("heading", { name: "Live view" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Live" })).toBeVisible();
  const queues = page.getByRole("table").first();
  await expect(queues.getByRole("row", { name: /support/ })).toBeVisible();
  await expect(page.getByRole("img", { name: /Waiting per queue: .*support/ })).toBeVisible();
  const agents = page.getByRole("table").nth(1);
  const alan = agents.getByRole("row", { name: new RegExp(supervisor.name) });
  await expect(alan).toContainText("Offline");

  // Alan takes chats too: going available on the desk (another tab: sessions are per tab) shows here at once.
  const desk = await page.context().newPage();
  await signIn(desk, "/agent/", supervisor);
  await desk.getByRole("combobox", { name: "Presence" }).selectOption("available");
  await expect(alan).toContainText("Available", { timeout: 10_000 });
  await page.screenshot({ path: testInfo.outputPath("supervisor-live.png"), fullPage: true });
  await desk.getByRole("combobox", { name: "Presence" }).selectOption("offline");
  await desk.close();
});

test("the agent desktop and the live view fit a phone", async ({ page, request }, testInfo) => {
  test.skip(testInfo.project.name !== "mobile", "the phone layout");
  const agent = await createWorker(request, "supervisor", `Ada Lovelace ${unique()}`);
  await signIn(page, "/agent/", agent);
  await expect(page.getByRole("combobox", { name: "Presence" })).toBeVisible();
  const tabs = page.getByRole("tablist", { name: "Show" });
  await expect(tabs).toBeVisible();
  await tabs.getByRole("tab", { name: /Chats/ }).click();
  await expect(page.getByRole("navigation", { name: "Your conversations" })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: testInfo.outputPath("agent-phone.png") });

  await page.goto("/supervisor/");
  await expect(page.getByRole("heading", { name: "Live view" })).toBeVisible();
  await expect(page.getByRole("img", { name: /Waiting per queue/ })).toBeVisible();
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(wide).toBeLessThanOrEqual(0);
  await page.screenshot({ path: testInfo.outputPath("supervisor-phone.png"), fullPage: true });
});
