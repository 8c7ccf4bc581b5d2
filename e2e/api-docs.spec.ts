import { expect, test } from "@playwright/test";

// The browsable API reference at /docs: a developer finds the chat operations and their schemas.
test("the API docs page lists the chat operations and opens one", async ({ page }, testInfo) => {
  await page.goto("/docs");
  await expect(page.getByRole("heading", { name: /Switchboard API/ })).toBeVisible();
  const send = page.locator(".opblock-post", { hasText: "/v1/chat/threads/{threadId}/messages" }).first();
  await expect(send).toBeVisible();
  await send.locator(".opblock-summary").click();
  await expect(send.getByText("idempotencyKey").first()).toBeVisible();
  await expect(page.locator(".opblock", { hasText: "/v1/identities/{id}/tokens" }).first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("api-docs.png"), fullPage: false });
});

test("the OpenAPI document and health endpoints answer", async ({ request }) => {
  const openapi = await (await request.get("/openapi.json")).json();
  expect(openapi.info.title).toBe("Switchboard API");
  expect((await request.get("/readyz")).ok()).toBe(true);
});
