import { randomUUID } from "node:crypto";
import { type APIRequestContext, expect, test } from "@playwright/test";
import { openPage, signIn } from "./support/admin-console.js";
import { E2E_API_KEY } from "./support/env.js";

// The admin console for outsourced agent organizations and routing: an admin creates an organization,
// moves an agent into it and assigns it a queue (and cannot delete it while someone belongs to it), picks it
// in the live view, reads why routing did what it did with a conversation, and gives an intent its routing.

const asKey = { authorization: `Bearer ${E2E_API_KEY}` };

async function api<T>(request: APIRequestContext, method: "GET" | "POST" | "PUT", path: string, data?: unknown): Promise<T> {
  const response = await request.fetch(path, { method, headers: asKey, ...(data === undefined ? {} : { data }) });
  expect(response.status(), `${method} ${path}: ${await response.text()}`).toBeLessThan(300);
  return (await response.json()) as T;
}

/** A user of the demo tenant, created with the bootstrap key; the seeded admin's password is random. */
async function createUser(request: APIRequestContext, role: "admin" | "agent", displayName: string) {
  const email = `${role}-${randomUUID().slice(0, 8)}@e2e.example`;
  const password = `pw-${randomUUID()}`;
  const user = await api<{ id: string }>(request, "POST", "/v1/users", { email, displayName, role, password });
  return { ...user, email, password, displayName };
}

/**
 * A queue whose no-agents rule asks the customer to leave a message, and a website entry point of the demo bot
 * handing off to it: a conversation there shows routing's reasons (queued, the exception, the redirect).
 */
async function lineWith(request: APIRequestContext, queueName: string) {
  const queue = await api<{ id: string }>(request, "POST", "/v1/queues", {
    name: queueName,
    noAgents: { when: "none_signed_in", target: { kind: "leave_message" } },
  });
  const entryPoints = await api<{ items: { name: string; botIdentityId: string | null }[] }>(request, "GET", "/v1/entry-points");
  const demo = entryPoints.items.find((e) => e.name === "Northwind Bikes");
  const entry = await api<{ id: string }>(request, "POST", "/v1/entry-points", {
    name: `Line ${queueName}`,
    botIdentityId: demo?.botIdentityId,
    handoffQueue: queueName,
    allowedOrigins: ["*"],
  });
  return { queueId: queue.id, entryPointId: entry.id };
}

/** A visitor at the entry point who asks for a person; resolves once routing has dealt with them. */
async function handedOff(request: APIRequestContext, entryPointId: string): Promise<string> {
  const session = await request.post("/v1/widget/sessions", {
    headers: { origin: "https://shop.example" },
    data: { entryPointId },
  });
  expect(session.status(), await session.text()).toBeLessThan(300);
  const { token, conversation } = (await session.json()) as { token: string; conversation: { id: string; threadId: string } };
  const sent = await request.post(`/v1/chat/threads/${conversation.threadId}/messages`, {
    headers: { authorization: `Bearer ${token}` },
    data: { content: "I want to talk to a person" },
  });
  expect(sent.status(), await sent.text()).toBe(201);
  await expect
    .poll(
      async () =>
        (await api<{ items: { type: string }[] }>(request, "GET", `/v1/conversations/${conversation.id}/routing`)).items.map(
          (e) => e.type,
        ),
      { timeout: 15_000 },
    )
    .toContain("job.redirected");
  return conversation.id;
}

test("an admin runs an outsourced organization: its users and queues, the live view, routing reasons and intent routing", async ({
  page,
  request,
}, testInfo) => {
  // A long journey through six pages; slower on the phone viewport.
  test.setTimeout(90_000);
  const tag = randomUUID().slice(0, 6);
  const organizationName = `Teleperfect ${tag}`;
  const queueName = `outsourced-${tag}`;
  const intentName = `warranty_${tag}`;
  const admin = await createUser(request, "admin", "Erin Admin");
  const agent = await createUser(request, "agent", `Olga Outsourced ${tag}`);
  const line = await lineWith(request, queueName);
  const botSettings = await api<Record<string, unknown>>(request, "GET", "/v1/knowledge/bot-settings");

  try {
    await signIn(page, admin);

    // Organizations: create one.
    await openPage(page, "Organizations");
    await page.getByRole("button", { name: "Add organization" }).click();
    const create = page.getByRole("dialog", { name: "Add an organization" });
    await create.getByRole("button", { name: "Add organization" }).click();
    await expect(create.getByText("Enter a name.")).toBeVisible();
    await create.getByLabel("Name").fill(organizationName);
    await create.getByRole("button", { name: "Add organization" }).click();
    await expect(create).toBeHidden();
    const organizations = page.getByRole("table", { name: "Organizations" });
    await expect(organizations.getByRole("row", { name: new RegExp(organizationName) })).toContainText("None yet");

    // Users: the agent moves to the organization.
    await openPage(page, "Users");
    const users = page.getByRole("table", { name: "Users" });
    await users.getByRole("button", { name: agent.displayName, exact: true }).click();
    const editUser = page.getByRole("dialog", { name: `Edit ${agent.displayName}` });
    await expect(editUser.getByLabel("Display name")).toHaveValue(agent.displayName);
    await editUser.getByLabel("Organization").selectOption({ label: organizationName });
    await page.screenshot({ path: testInfo.outputPath("admin-user-dialog.png") });
    await editUser.getByRole("button", { name: "Save" }).click();
    await expect(editUser).toBeHidden();
    await expect(users.getByRole("row", { name: new RegExp(agent.displayName) })).toContainText(organizationName);
    const listed = await api<{ items: { id: string; organizationId: string | null }[] }>(request, "GET", "/v1/users");
    const organizationId = listed.items.find((u) => u.id === agent.id)?.organizationId;
    expect(organizationId).toBeTruthy();

    // Queues: the organization works the queue too.
    await openPage(page, "Queues");
    const queues = page.getByRole("table", { name: "Queues" });
    await queues.getByRole("button", { name: queueName, exact: true }).click();
    const editQueue = page.getByRole("dialog", { name: `Edit queue ${queueName}` });
    await editQueue.getByRole("checkbox", { name: organizationName }).check();
    await expect(editQueue.getByText("no agent signed in")).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath("admin-queue-dialog.png") });
    await editQueue.getByRole("button", { name: "Save" }).click();
    await expect(editQueue).toBeHidden();
    await expect(queues.getByRole("row", { name: new RegExp(queueName) })).toContainText(organizationName);
    const queue = await api<{ organizationIds: string[] }>(request, "GET", `/v1/queues/${line.queueId}`);
    expect(queue.organizationIds).toEqual([organizationId]);

    // The organization's row shows both; it cannot go while someone belongs to it, and says why.
    await openPage(page, "Organizations");
    const row = organizations.getByRole("row", { name: new RegExp(organizationName) });
    await expect(row).toContainText(queueName);
    await expect(row.getByRole("link", { name: "1" })).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath("admin-organizations.png") });
    await row.getByRole("button", { name: organizationName, exact: true }).click();
    const editOrganization = page.getByRole("dialog", { name: `Edit ${organizationName}` });
    await editOrganization.getByRole("button", { name: "Delete" }).click();
    await editOrganization.getByRole("button", { name: "Delete organization" }).click();
    await expect(editOrganization.getByRole("alert")).toContainText("still belongs to the organization");
    await editOrganization.getByRole("button", { name: "Close" }).click();
    await expect(editOrganization).toBeHidden();

    // The live view: the organization's queues and agents only.
    await page.goto("/supervisor/live");
    await expect(page.getByRole("heading", { name: "Live view", level: 1 })).toBeVisible();
    await page.getByLabel("Organization").selectOption({ label: organizationName });
    await expect(page).toHaveURL(/organization=/);
    await expect(page.getByText(`The queues of ${organizationName} and its agents`)).toBeVisible();
    const liveQueues = page.locator(".live-table").first();
    await expect(liveQueues.locator("tbody tr")).toHaveCount(1);
    await expect(liveQueues).toContainText(queueName);
    await expect(page.getByText(agent.displayName)).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath("supervisor-organization.png") });

    // A conversation's routing, with the engine's reasons.
    const conversationId = await handedOff(request, line.entryPointId);
    await page.goto(`/admin/conversations/${conversationId}`);
    const log = page.getByRole("list", { name: "Routing log" });
    const entry = (title: string) => log.getByRole("listitem").filter({ hasText: title });
    // Nobody of the queue is signed in: the exception fires as the conversation arrives, and says so.
    await expect(entry(`No agents exception in ${queueName}`)).toContainText(`no agent of ${queueName} for a chat is signed in`);
    await expect(entry("Redirected: leave a message for follow-up")).toContainText(`no agents redirect from ${queueName}`);
    await page.screenshot({ path: testInfo.outputPath("admin-routing-log.png"), fullPage: true });

    // An intent's routing in the bot settings: its queue, priority and a required skill.
    await page.goto("/admin/knowledge/bot");
    await page.getByRole("button", { name: "Add intent" }).click();
    const intent = page.locator("details.intent").last();
    await intent.getByLabel("Name").fill(intentName);
    await intent.getByLabel("Examples").fill(`my ${tag} warranty claim`);
    await intent.getByLabel("Queue").fill(queueName);
    await intent.getByLabel("Priority").fill("11");
    await intent.getByRole("button", { name: "Add required skill" }).click();
    await intent.getByLabel("Skill 1", { exact: true }).fill("warranty");
    await intent.getByLabel("Minimum level of skill 1").fill("2");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(intent.getByRole("alert")).toContainText("Priority");
    await intent.getByLabel("Priority").fill("3");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
    const saved = await api<{ intents: { name: string; routing?: unknown }[] }>(request, "GET", "/v1/knowledge/bot-settings");
    expect(saved.intents.find((i) => i.name === intentName)?.routing).toEqual({
      queue: queueName,
      priority: 3,
      requiredSkills: [{ skill: "warranty", minLevel: 2 }],
    });
    // Read back after a reload: the summary in the intent's header, the fields in it.
    await page.reload();
    const reloaded = page.locator("details.intent", { hasText: intentName });
    await expect(reloaded.locator("summary")).toContainText(`→ ${queueName} · priority 3 · warranty ≥ 2`);
    await reloaded.locator("summary").click();
    await expect(reloaded.getByLabel("Queue")).toHaveValue(queueName);
    await page.screenshot({ path: testInfo.outputPath("admin-intent-routing.png"), fullPage: true });
  } finally {
    // The demo bot's settings as they were, for the other journeys.
    await api(request, "PUT", "/v1/knowledge/bot-settings", botSettings);
  }
});
