import { expect, type Locator, type Page, test } from "@playwright/test";

// The customer chat widget on the demo website (/demo): one script tag, rendered in a shadow root.
// Playwright's role locators reach into the (open) shadow root.

interface SessionAnswer {
  entryPoint: { name: string; greeting: string };
}

/** Opens the demo page and the chat; resolves with the widget and what the session call answered. */
async function openChat(page: Page): Promise<{ widget: Locator; log: Locator; session: SessionAnswer }> {
  await page.goto("/demo");
  const widget = page.locator("switchboard-widget");
  const sessionAnswer = page.waitForResponse((r) => r.url().endsWith("/v1/widget/sessions") && r.request().method() === "POST");
  await widget.getByRole("button", { name: /^Open chat/ }).click();
  const response = await sessionAnswer;
  expect(response.status(), await response.text()).toBeLessThan(300);
  const session = (await response.json()) as SessionAnswer;
  const dialog = widget.getByRole("dialog", { name: session.entryPoint.name });
  await expect(dialog).toBeVisible();
  return { widget, log: dialog.getByRole("log", { name: "Messages" }), session };
}

async function send(widget: Locator, text: string): Promise<void> {
  const field = widget.getByRole("textbox", { name: "Message" });
  await field.fill(text);
  await field.press("Enter");
  await expect(field).toHaveValue("");
}

test("a visitor chats with the bot on the demo site, and the conversation survives a reload", async ({ page }, testInfo) => {
  const { widget, log, session } = await openChat(page);
  await expect(log).toContainText(session.entryPoint.greeting);

  await send(widget, "What are your opening hours?");
  const mine = log.locator(".sb-item[data-own]").filter({ hasText: "What are your opening hours?" });
  await expect(mine).toBeVisible();
  await expect(mine).toContainText(/Sent|Read/);
  // An answer from the other side after the question: the bot's.
  const answer = log.locator(".sb-item[data-own] ~ .sb-item:not([data-own])").last();
  await expect(answer).toBeVisible({ timeout: 10_000 });
  const answerText = ((await answer.locator(".sb-bubble").first().textContent()) ?? "").replace(/^.*?: /, "").trim();
  expect(answerText.length).toBeGreaterThan(0);

  // The page's aggressive CSS (serif everything, loud uppercase buttons) does not reach the widget.
  const field = widget.getByRole("textbox", { name: "Message" });
  expect(await field.evaluate((el) => getComputedStyle(el).fontFamily)).toMatch(/^system-ui/);
  const sendButton = widget.getByRole("button", { name: "Send message" });
  expect(await sendButton.evaluate((el) => getComputedStyle(el).textTransform)).toBe("none");

  await page.screenshot({ path: testInfo.outputPath("widget-conversation.png") });

  // A reload resumes the same conversation, history and all; on a desktop the panel stays open, on a phone
  // (where it covers the page) it starts closed.
  await page.reload();
  if ((page.viewportSize()?.width ?? 1280) <= 480) await widget.getByRole("button", { name: /^Open chat/ }).click();
  await expect(widget.getByRole("dialog", { name: session.entryPoint.name })).toBeVisible();
  await expect(log.locator(".sb-item[data-own]").filter({ hasText: "What are your opening hours?" })).toBeVisible();
  await expect(log).toContainText(answerText.slice(0, 40));
  await page.screenshot({ path: testInfo.outputPath("widget-after-reload.png") });

  // Esc closes the panel and gives the focus back to the launcher.
  await field.focus();
  await page.keyboard.press("Escape");
  await expect(widget.getByRole("dialog")).toBeHidden();
  await expect(widget.getByRole("button", { name: /^Open chat/ })).toBeFocused();
});

test("a picture is sent as a thumbnail, and a file of the wrong type is refused in place", async ({ page }, testInfo) => {
  const { widget, log } = await openChat(page);
  const fileInput = widget.locator('input[type="file"]');

  await fileInput.setInputFiles({ name: "setup.exe", mimeType: "application/x-msdownload", buffer: Buffer.from("MZ\x90\x00") });
  await expect(widget.getByRole("alert").filter({ hasText: "setup.exe" })).toContainText("can't be sent");

  await fileInput.setInputFiles({ name: "broken-spoke.png", mimeType: "image/png", buffer: TINY_PNG });
  await expect(widget.getByRole("listitem").filter({ hasText: "broken-spoke.png" })).toBeVisible();
  await send(widget, "Here's the broken spoke");
  const mine = log.locator(".sb-item[data-own]").filter({ hasText: "Here's the broken spoke" });
  await expect(mine).toContainText(/Sent|Read/);
  const thumbnail = mine.getByRole("img", { name: "broken-spoke.png" });
  await expect(thumbnail).toBeVisible();
  // The thumbnail is served by the API (with the token in the query), not the local preview.
  await expect(thumbnail).toHaveAttribute("src", /\/v1\/attachments\/[^?]+\?token=/);
  expect(await thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await page.screenshot({ path: testInfo.outputPath("widget-attachment.png") });
});

test("the customer ends the chat and starts a new conversation", async ({ page }, testInfo) => {
  const { widget, log } = await openChat(page);
  await send(widget, "Thanks, that's all");
  await expect(log.locator(".sb-item[data-own]")).toContainText("Thanks, that's all");

  await widget.getByRole("button", { name: "End chat" }).click();
  await widget.getByRole("alertdialog").getByRole("button", { name: "End chat" }).click();
  await expect(widget.getByText("This chat has ended.")).toBeVisible();
  await expect(widget.getByRole("textbox", { name: "Message" })).toBeHidden();
  await page.screenshot({ path: testInfo.outputPath("widget-ended.png") });

  await widget.getByRole("button", { name: "Start a new conversation" }).click();
  await expect(widget.getByRole("textbox", { name: "Message" })).toBeVisible();
  await expect(log.locator(".sb-item[data-own]")).toHaveCount(0);
});

/** A 1 × 1 PNG. */
const TINY_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);
