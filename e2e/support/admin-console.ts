import { randomUUID } from "node:crypto";
import { type APIRequestContext, expect, type Page, type TestInfo } from "@playwright/test";
import { E2E_API_KEY } from "./env.js";

// What the admin console's journeys share: the API as the demo tenant's admin key, a fresh user, signing in,
// the navigation, screenshots, and audio to upload.

export const asKey = { authorization: `Bearer ${E2E_API_KEY}` };

/** A request as the demo tenant's admin key (or `token`); fails the test on an answer of 300 or more. */
export async function api<T>(
  request: APIRequestContext,
  method: "GET" | "POST" | "PUT" | "DELETE",
  path: string,
  data?: unknown,
  token?: string,
): Promise<T> {
  const headers = token ? { authorization: `Bearer ${token}` } : asKey;
  const response = await request.fetch(path, { method, headers, ...(data === undefined ? {} : { data }) });
  expect(response.status(), `${method} ${path}: ${await response.text()}`).toBeLessThan(300);
  return (response.status() === 204 ? undefined : await response.json()) as T;
}

export interface CreatedUser {
  id: string;
  identityId: string;
  email: string;
  password: string;
  displayName: string;
}

/** A fresh user of the demo tenant (its bootstrap key is the e2e key); the seeded admin's password is random. */
export async function createUser(
  request: APIRequestContext,
  role: "admin" | "agent" | "supervisor",
  displayName: string,
): Promise<CreatedUser> {
  const email = `${role}-${randomUUID().slice(0, 8)}@e2e.example`;
  const password = `pw-${randomUUID()}`;
  const user = await api<{ id: string; identityId: string }>(request, "POST", "/v1/users", {
    email,
    displayName,
    role,
    password,
  });
  return { id: user.id, identityId: user.identityId, email, password, displayName };
}

/** Signs in to the admin console. */
export async function signIn(page: Page, user: { email: string; password: string }) {
  await page.goto("/admin/");
  await expect(page.getByRole("heading", { name: "Sign in to the admin console" })).toBeVisible();
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Conversations", level: 1 })).toBeVisible();
}

/** Opens a page from the navigation: the sidebar on a desktop, the menu on a phone. */
export async function openPage(page: Page, name: string) {
  const menu = page.getByRole("button", { name: "Open menu" });
  const phone = await menu.isVisible();
  if (phone) await menu.click();
  const nav = page.getByRole("navigation", { name: "Admin console" });
  await nav.getByRole("link", { name, exact: true }).click();
  if (phone) await expect(nav).toBeHidden();
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
}

/** A titled card of a page ("Live"). */
export const section = (page: Page, title: string | RegExp) =>
  page.locator("section.card").filter({ has: page.getByRole("heading", { name: title, level: 2 }) });

export const shot = (page: Page, testInfo: TestInfo, name: string) =>
  page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });

/** Samples of a sine tone at `rate` Hz. */
export const tone = (hz: number, ms: number, rate = 8_000) =>
  Int16Array.from({ length: Math.floor((rate * ms) / 1000) }, (_, i) =>
    Math.round(9_000 * Math.sin((2 * Math.PI * hz * i) / rate)),
  );

/** A mono 16-bit WAV file of the samples. */
export function wav(samples: Int16Array, rate = 8_000): Buffer {
  const header = Buffer.alloc(44);
  header.write("RIFF", 0);
  header.writeUInt32LE(36 + samples.length * 2, 4);
  header.write("WAVEfmt ", 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36);
  header.writeUInt32LE(samples.length * 2, 40);
  return Buffer.concat([header, Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength)]);
}

/** Polls until `check` gives a value (call records and live state change as a call goes). */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}
