import { randomUUID } from "node:crypto";
import { type APIRequestContext, expect, type Page, type TestInfo, test } from "@playwright/test";
import { E2E_API_KEY } from "../playwright.config.js";

// The admin console at /admin/: an admin signs in, finds the demo's website entry point and copies its embed
// code, adds a question to the knowledge base, imports customers from CSV, and reads a conversation.

const asKey = { authorization: `Bearer ${E2E_API_KEY}` };

/** A fresh admin user in the demo tenant (its bootstrap key is the e2e key); the seeded admin's password is random. */
async function createAdmin(request: APIRequestContext) {
  const email = `admin-${randomUUID().slice(0, 8)}@e2e.example`;
  const password = `pw-${randomUUID()}`;
  const response = await request.post("/v1/users", {
    headers: asKey,
    data: { email, displayName: "Erin Admin", role: "admin", password },
  });
  expect(response.status(), await response.text()).toBe(201);
  return { email, password };
}

async function signIn(page: Page, user: { email: string; password: string }, testInfo?: TestInfo) {
  await page.goto("/admin/");
  await expect(page.getByRole("heading", { name: "Sign in to the admin console" })).toBeVisible();
  await expect(page.getByLabel("Workspace")).toHaveValue("demo");
  if (testInfo) await page.screenshot({ path: testInfo.outputPath("admin-sign-in.png") });
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Conversations", level: 1 })).toBeVisible();
}

/** Opens a page from the navigation: the sidebar on a desktop, the menu on a phone. */
async function openPage(page: Page, name: string) {
  const menu = page.getByRole("button", { name: "Open menu" });
  const phone = await menu.isVisible();
  if (phone) await menu.click();
  const nav = page.getByRole("navigation", { name: "Admin console" });
  await nav.getByRole("link", { name }).click();
  if (phone) await expect(nav).toBeHidden(); // the menu closes itself once a page is chosen
}

test("an admin signs in, copies the website's embed code, adds a question and imports customers", async ({
  page,
  context,
  request,
  baseURL,
}, testInfo) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL ?? "" });
  const admin = await createAdmin(request);

  await signIn(page, admin, testInfo);
  await page.screenshot({ path: testInfo.outputPath("admin-conversations.png") });

  // Entry points: the demo's website, its settings and the embed code.
  await openPage(page, "Entry points");
  const website = page.getByRole("list", { name: "Entry points" }).getByRole("link", { name: /Northwind Bikes/ });
  await expect(website).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("admin-entry-points.png") });
  await website.click();
  await expect(page.getByRole("heading", { name: "Northwind Bikes", level: 1 })).toBeVisible();
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue("Northwind Bikes");
  await expect(page.getByLabel("Handoff queue")).toHaveValue("support");
  const code = page.locator(".code-block-code");
  await expect(code).toContainText("data-entry-point=");
  await page.getByRole("button", { name: "Copy" }).click();
  await expect(page.getByRole("button", { name: "Copied" })).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(await code.textContent());
  expect(copied).toMatch(/^<script src="http:\/\/[^"]+\/widget\.js" data-entry-point="[^"]+" async><\/script>$/);
  await page.screenshot({ path: testInfo.outputPath("admin-entry-point.png") });

  // Knowledge base: add a question with another phrasing, then find it.
  const faqTag = randomUUID().slice(0, 6);
  const question = `Do you rent out cargo bikes? ${faqTag}`;
  await openPage(page, "Knowledge base");
  await expect(page.getByRole("list", { name: "Questions" })).toBeVisible();
  await page.getByRole("button", { name: "Add question" }).click();
  const dialog = page.getByRole("dialog", { name: "Add a question" });
  await dialog.getByLabel("Question").fill(question);
  await dialog.getByLabel("Answer").fill("Yes: cargo bikes can be rented by the day in every store.");
  await dialog.getByLabel("Add to other ways to ask").fill("Can I hire a cargo bike?");
  await dialog.getByRole("button", { name: "Add", exact: true }).click();
  await expect(dialog.getByText("Can I hire a cargo bike?")).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("admin-faq-dialog.png") });
  await dialog.getByRole("button", { name: "Add question" }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole("searchbox", { name: "Search the knowledge base" }).fill(`hire ${faqTag}`); // one word of the phrasing, one of the question
  const questions = page.getByRole("list", { name: "Questions" }).getByRole("listitem");
  await expect(questions).toHaveCount(1);
  await expect(questions.first()).toContainText(question);
  await page.screenshot({ path: testInfo.outputPath("admin-knowledge.png") });

  // Customers: import two by pasted CSV and see them listed.
  const tag = randomUUID().slice(0, 6);
  const csv = [
    "name,email,phone,externalId,tier",
    `Katherine Johnson ${tag},katherine-${tag}@example.com,+15555550110,K-${tag}-1,gold`,
    `Dorothy Vaughan ${tag},dorothy-${tag}@example.com,,K-${tag}-2,silver`,
  ].join("\n");
  await openPage(page, "Customers");
  await expect(page.getByRole("heading", { name: "Customers", level: 1 })).toBeVisible();
  await page.getByRole("button", { name: "Import CSV" }).click();
  const importDialog = page.getByRole("dialog", { name: "Import customers" });
  await importDialog.getByRole("tab", { name: "Paste CSV" }).click();
  await importDialog.getByLabel("CSV text").fill(csv);
  await expect(importDialog.getByText("2 rows")).toBeVisible();
  await importDialog.getByRole("button", { name: "Import 2 customers" }).click();
  const result = importDialog.getByRole("status");
  await expect(result).toContainText("2created");
  await expect(result).toContainText("0rejected");
  await page.screenshot({ path: testInfo.outputPath("admin-import-result.png") });
  await importDialog.getByRole("button", { name: "Done" }).click();
  await page.getByRole("searchbox", { name: "Search customers" }).fill(tag);
  const rows = page.locator("tbody tr");
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: `Katherine Johnson ${tag}` })).toContainText(`katherine-${tag}@example.com`);
  await expect(rows.filter({ hasText: `Dorothy Vaughan ${tag}` })).toContainText("tier: silver");
  await page.screenshot({ path: testInfo.outputPath("admin-customers.png") });
});

test("an admin reads a conversation's transcript and timeline", async ({ page, request, baseURL }, testInfo) => {
  const admin = await createAdmin(request);
  // A visitor opens the website's chat (as the widget does) and asks the bot something.
  const entryPoints = (await (await request.get("/v1/entry-points", { headers: asKey })).json()) as {
    items: { id: string; name: string }[];
  };
  const website = entryPoints.items.find((e) => e.name === "Northwind Bikes");
  expect(website).toBeDefined();
  const session = await request.post("/v1/widget/sessions", {
    headers: { origin: baseURL ?? "" },
    data: { entryPointId: website?.id },
  });
  expect(session.status(), await session.text()).toBeLessThan(300);
  const { token, conversation } = (await session.json()) as { token: string; conversation: { id: string; threadId: string } };
  const question = `How long does delivery take? ${randomUUID().slice(0, 6)}`;
  const sent = await request.post(`/v1/chat/threads/${conversation.threadId}/messages`, {
    headers: { authorization: `Bearer ${token}` },
    data: { content: question },
  });
  expect(sent.status(), await sent.text()).toBe(201);

  await signIn(page, admin);
  await page.getByRole("combobox").first().selectOption("bot");
  await expect(page).toHaveURL(/status=bot/);
  const listed = page.getByRole("list", { name: "Conversations" }).getByRole("link");
  await expect(listed.first()).toBeVisible();
  await expect(listed.filter({ hasText: "With the bot" }).first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("admin-conversation-list.png") });
  await page.goto(`/admin/conversations/${conversation.id}`);
  const transcript = page.getByRole("list", { name: "Messages" });
  await expect(transcript.locator(".message-customer")).toContainText(question);
  await expect(transcript.locator(".message-bot").first()).toBeVisible();
  await expect(page.getByText("Conversation started")).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("admin-conversation.png"), fullPage: true });
});
