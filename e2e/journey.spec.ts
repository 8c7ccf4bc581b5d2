import { expect, type Page, test } from "@playwright/test";
import { E2E_MAILBOX_URL } from "./support/env.js";

// The seed's first data flow, in the browser: a customer on the company's website chats with the bot,
// gets an answer from the knowledge base, proves who they are with a code sent by email, asks for a
// person and is handed off; after a reload the whole conversation is still there.

interface Email {
  to: string;
  text: string;
  receivedAt: string;
}

async function codeEmailedTo(page: Page, address: string, since: string): Promise<string> {
  let code: string | undefined;
  await expect
    .poll(
      async () => {
        const emails = (await (await page.request.get(E2E_MAILBOX_URL)).json()) as Email[];
        const email = emails.reverse().find((e) => e.to.includes(address) && e.receivedAt >= since);
        code = email?.text.match(/\b(\d{6})\b/)?.[1];
        return code;
      },
      { timeout: 10_000 },
    )
    .toBeTruthy();
  return code ?? "";
}

test("a customer chats with the bot, verifies by email code, is handed off, and finds it all after a reload", async ({
  page,
}, testInfo) => {
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`) });
  await page.goto("/demo");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await page.getByRole("button", { name: "Open chat" }).click();

  const log = page.getByRole("log", { name: "Messages" });
  await expect(log).toContainText("Northwind Bikes assistant");
  await shot("1-greeting");

  const composer = page.getByRole("textbox", { name: "Message" });
  const say = async (text: string) => {
    await composer.fill(text);
    await composer.press("Enter");
  };

  await say("How long does delivery take?");
  await expect(log).toContainText("Parts and accessories ship within 1 business day");
  await shot("2-faq-answer");

  const since = new Date().toISOString();
  await say("I'd like to verify my account");
  await expect(log).toContainText(/email/i);
  await say("ada@example.com");
  await expect(log).toContainText("a**@example.com");
  await say(await codeEmailedTo(page, "ada@example.com", since));
  await expect(log).toContainText("Ada");
  await shot("3-verified");

  await say("I want to talk to a person");
  await expect(log).toContainText(/number \d+ in the queue/);
  await shot("4-handed-off");

  await page.reload();
  const reopen = page.getByRole("button", { name: /Open chat|Close chat/ });
  if ((await reopen.getAttribute("aria-expanded")) !== "true") await reopen.click();
  await expect(log).toContainText("How long does delivery take?");
  await expect(log).toContainText("Parts and accessories ship within 1 business day");
  await expect(log).toContainText(/number \d+ in the queue/);
  await shot("5-after-reload");
});
