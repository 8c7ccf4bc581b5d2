import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { E2E_API_KEY } from "./support/env.js";

// The queue exceptions as a customer lives them, in the widget: a queue with no agent signed in asks the
// customer to leave a message (the conversation waits for follow-up), and a queue whose timeout passes
// ends the conversation with its message, about when it should (the timeout fires within a second).

const asKey = { authorization: `Bearer ${E2E_API_KEY}` };
const unique = () => Math.random().toString(36).slice(2, 8);

/** A queue with the given exception, and a website entry point of the demo bot handing off to it. */
async function lineWith(request: APIRequestContext, queue: Record<string, unknown>): Promise<string> {
  const created = await request.post("/v1/queues", { headers: asKey, data: queue });
  expect(created.status(), await created.text()).toBe(201);
  const entryPoints = (await (await request.get("/v1/entry-points", { headers: asKey })).json()) as {
    items: { name: string; botIdentityId: string | null }[];
  };
  const demo = entryPoints.items.find((e) => e.name === "Northwind Bikes");
  const entry = await request.post("/v1/entry-points", {
    headers: asKey,
    data: {
      name: `Line ${queue.name}`,
      botIdentityId: demo?.botIdentityId,
      handoffQueue: queue.name,
      allowedOrigins: ["*"],
    },
  });
  expect(entry.status(), await entry.text()).toBe(201);
  return ((await entry.json()) as { id: string }).id;
}

/** A page of the customer's website embedding the widget for `entryPointId` (served by the test). */
async function openSite(page: Page, entryPointId: string) {
  await page.route("**/e2e-site", (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<!doctype html><html><head><title>Shop</title></head><body><h1>Shop</h1>
        <script src="/widget.js" data-entry-point="${entryPointId}" async></script></body></html>`,
    }),
  );
  await page.goto("/e2e-site");
  const widget = page.locator("switchboard-widget");
  await widget.getByRole("button", { name: /^Open chat/ }).click();
  const field = widget.getByRole("textbox", { name: "Message" });
  await expect(field).toBeVisible();
  return {
    widget,
    log: widget.getByRole("log", { name: "Messages" }),
    say: async (text: string) => {
      await field.fill(text);
      await field.press("Enter");
      await expect(field).toHaveValue("");
    },
  };
}

test("no agent signed in: the customer is asked to leave a message, and the conversation waits for follow-up", async ({
  page,
  request,
}) => {
  const name = `quiet-${unique()}`;
  const entryPointId = await lineWith(request, {
    name,
    noAgents: { when: "none_signed_in", target: { kind: "leave_message" } },
  });
  const customer = await openSite(page, entryPointId);
  await customer.say("I want to talk to a person");
  await expect(customer.log).toContainText("Leave us a message", { timeout: 15_000 });
  await customer.say("Please call me back about my order 1042.");
  await expect(customer.log).toContainText("order 1042");
  // The conversation stays open for someone to follow up, not ended, and the widget says so.
  await expect(customer.widget.getByText("This chat has ended.")).toBeHidden();
  await expect(customer.widget.getByText("we'll get back to you here")).toBeVisible({ timeout: 10_000 });
  const conversations = (await (await request.get("/v1/conversations", { headers: asKey })).json()) as {
    items: { queue: string | null; status: string }[];
  };
  expect(conversations.items.find((c) => c.queue === name)?.status).toBe("follow_up");
});

test("the timeout redirect ends the conversation with its message once the customer has waited too long", async ({
  page,
  request,
}) => {
  const name = `hurried-${unique()}`;
  const entryPointId = await lineWith(request, {
    name,
    timeout: { seconds: 2, target: { kind: "end", message: "Sorry, nobody could answer in time. We'll email you." } },
  });
  const customer = await openSite(page, entryPointId);
  await customer.say("I want to talk to a person");
  // Handed off, waiting; two seconds later (within one more) the queue gives up with its message.
  await expect(customer.log).toContainText("Sorry, nobody could answer in time.", { timeout: 10_000 });
  await expect(customer.widget.getByText("This chat has ended.")).toBeVisible({ timeout: 10_000 });
});
