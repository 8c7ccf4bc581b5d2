import { SwitchboardError } from "@switchboard/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customer, DATABASES, type RunningServer, startServer } from "../testing/harness.js";

/** Expects the promise to fail with a problem of the given status and code. */
async function expectProblem(promise: Promise<unknown>, status: number, code: string): Promise<SwitchboardError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SwitchboardError);
  const problem = error as SwitchboardError;
  expect({ status: problem.status, code: problem.code }).toEqual({ status, code });
  return problem;
}

describe.each(DATABASES)("REST API on %s", (database) => {
  let running: RunningServer;
  beforeAll(async () => {
    running = await startServer(database);
  });
  afterAll(async () => {
    await running?.close();
  });

  describe("authentication and scopes", () => {
    it("refuses a request without a credential, with a problem document", async () => {
      const response = await fetch(`${running.baseUrl}/v1/identities`, { method: "POST", body: "{}" });
      expect(response.status).toBe(401);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
      const body = await response.json();
      expect(body).toMatchObject({ status: 401, code: "auth.missing", title: "Unauthenticated" });
    });

    it("refuses forged, malformed and expired tokens", async () => {
      const ada = await customer(running, "Ada");
      const forged = `${ada.token.slice(0, -4)}AAAA`;
      await expectProblem(running.client(forged).chat.listThreads(), 401, "auth.invalid_token");
      await expectProblem(running.client("not-a-token").chat.listThreads(), 401, "auth.invalid_token");
      const tenant = await running.admin.tenants.current();
      const past = new Date(Date.now() - 60_000);
      const expired = await running.server.domain.identity.tokens.sign(
        { tenantId: tenant.id, identityId: ada.id, scopes: ["chat"], expiresAt: past },
        new Date(past.getTime() - 60_000),
      );
      await expectProblem(running.client(expired).chat.listThreads(), 401, "auth.invalid_token");
    });

    it("issues tokens with the requested scopes and expiry, and enforces the scopes", async () => {
      const identity = await running.admin.identities.create({ displayName: "Voice only" });
      const before = Date.now();
      const voip = await running.admin.identities.issueToken(identity.id, { scopes: ["voip"], expiresInMinutes: 5 });
      const expiresAt = new Date(voip.expiresAt).getTime();
      expect(expiresAt).toBeGreaterThanOrEqual(before + 5 * 60_000 - 1000);
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + 5 * 60_000 + 1000);
      await expectProblem(running.client(voip.token).chat.createThread({ topic: "x" }), 403, "auth.scope_missing");
      const chat = await customer(running, "Chatty");
      await expectProblem(chat.client.identities.create({ displayName: "sneaky" }), 403, "auth.admin_required");
      await expectProblem(chat.client.apiKeys.list(), 403, "auth.admin_required");
      await expectProblem(
        running.admin.identities.issueToken(identity.id, { scopes: ["chat"], expiresInMinutes: 100_000 }),
        400,
        "request.invalid",
      );
    });

    it("stops accepting a token once its identity is deleted", async () => {
      const gone = await customer(running, "Gone");
      expect((await gone.client.chat.listThreads()).items).toEqual([]);
      await running.admin.identities.delete(gone.id);
      await expectProblem(gone.client.chat.listThreads(), 401, "auth.identity_gone");
    });

    it("creates, lists and revokes API keys; a revoked key stops working", async () => {
      const created = await running.admin.apiKeys.create({ name: "integration" });
      expect(created.key.startsWith("sk_")).toBe(true);
      expect(created.apiKey.prefix).toBe(created.key.slice(0, 10));
      const keyed = running.client(created.key);
      expect((await keyed.tenants.current()).slug).toBe("demo");
      const listed = await running.admin.apiKeys.list();
      expect(listed.map((k) => k.id)).toContain(created.apiKey.id);
      const revoked = await running.admin.apiKeys.revoke(created.apiKey.id);
      expect(revoked.revokedAt).not.toBeNull();
      await expectProblem(keyed.tenants.current(), 401, "auth.invalid_api_key");
    });

    it("signs users in by password with their role's scopes, and refuses a wrong password", async () => {
      const anonymous = running.client("");
      const admin = await anonymous.auth.signIn({
        tenant: "demo",
        email: "admin@demo.example",
        password: "correct horse battery",
      });
      expect(admin.user.role).toBe("admin");
      const adminClient = running.client(admin.token);
      const identity = await adminClient.identities.create({ displayName: "Made by a signed-in admin" });
      expect(identity.kind).toBe("customer");

      const agent = await running.admin.users.create({
        email: "Agent.Smith@Demo.Example",
        displayName: "Agent Smith",
        role: "agent",
        password: "another long password",
      });
      expect(agent.email).toBe("agent.smith@demo.example");
      const signedIn = await anonymous.auth.signIn({
        tenant: "demo",
        email: "agent.smith@demo.example",
        password: "another long password",
      });
      expect(signedIn.user.identityId).toBe(agent.identityId);
      await expectProblem(running.client(signedIn.token).users.list(), 403, "auth.admin_required");
      const thread = await running.client(signedIn.token).chat.createThread({ topic: "agent's own" });
      expect(thread.createdBy).toBe(agent.identityId);

      await expectProblem(
        anonymous.auth.signIn({ tenant: "demo", email: "admin@demo.example", password: "wrong password!" }),
        401,
        "auth.invalid_credentials",
      );
      await expectProblem(
        anonymous.auth.signIn({ tenant: "nope", email: "admin@demo.example", password: "correct horse battery" }),
        401,
        "auth.invalid_credentials",
      );
      await expectProblem(
        running.admin.users.create({
          email: "agent.smith@demo.example",
          displayName: "Twin",
          role: "agent",
          password: "0123456789ab",
        }),
        409,
        "user.email_taken",
      );
    });
  });

  describe("chat threads", () => {
    it("runs a conversation: participants, messages, edits, deletes, read receipts, paging", async () => {
      const ada = await customer(running, "Ada");
      const bob = await customer(running, "Bob");
      const eve = await customer(running, "Eve");
      const thread = await ada.client.chat.createThread({
        topic: "Order 1234",
        metadata: { orderId: "1234" },
        participants: [{ id: bob.id, displayName: "Bob from Support" }],
      });
      expect(thread).toMatchObject({ topic: "Order 1234", metadata: { orderId: "1234" }, createdBy: ada.id, lastSequence: 1 });

      const participants = await bob.client.chat.thread(thread.id).participants();
      expect(participants.map((p) => [p.id, p.displayName]).sort()).toEqual(
        [
          [ada.id, "Ada"],
          [bob.id, "Bob from Support"],
        ].sort(),
      );

      const first = await ada.client.chat.thread(thread.id).send({ content: "Hello", metadata: { lang: "en" } });
      const second = await bob.client.chat.thread(thread.id).send("Hi Ada, how can I help?");
      expect([first.sequence, second.sequence]).toEqual([2, 3]);
      expect(second.senderDisplayName).toBe("Bob from Support");

      const edited = await ada.client.chat.thread(thread.id).edit(first.id, { content: "Hello there" });
      expect(edited).toMatchObject({ id: first.id, content: "Hello there", sequence: 2 });
      expect(edited.editedAt).not.toBeNull();
      await expectProblem(bob.client.chat.thread(thread.id).edit(first.id, { content: "hijack" }), 403, "message.not_sender");
      await expectProblem(bob.client.chat.thread(thread.id).delete(first.id), 403, "message.not_sender");

      await bob.client.chat.thread(thread.id).delete(second.id);
      const deleted = await ada.client.chat.thread(thread.id).message(second.id);
      expect(deleted.content).toBe("");
      expect(deleted.deletedAt).not.toBeNull();

      await bob.client.chat.thread(thread.id).markRead(2);
      const afterRead = await ada.client.chat.thread(thread.id).participants();
      expect(afterRead.find((p) => p.id === bob.id)?.lastReadSequence).toBe(2);
      await expectProblem(bob.client.chat.thread(thread.id).markRead(999), 400, "read.invalid_sequence");

      await ada.client.chat.thread(thread.id).addParticipants({ participants: [{ id: eve.id }] });
      expect((await eve.client.chat.thread(thread.id).get()).topic).toBe("Order 1234");
      await ada.client.chat.thread(thread.id).removeParticipant(eve.id);
      await expectProblem(eve.client.chat.thread(thread.id).get(), 404, "thread.not_found");

      for (let i = 0; i < 5; i++) await ada.client.chat.thread(thread.id).send(`more ${i}`);
      const page1 = await bob.client.chat.thread(thread.id).messages({ after: 0, limit: 3 });
      expect(page1.items.map((m) => m.sequence)).toEqual([2, 3, 9]);
      expect(page1.next).toBe(9);
      const page2 = await bob.client.chat.thread(thread.id).messages({ after: page1.next ?? 0, limit: 50 });
      expect(page2.items.map((m) => [m.sequence, m.content])).toEqual([
        [10, "more 1"],
        [11, "more 2"],
        [12, "more 3"],
        [13, "more 4"],
      ]);
      expect(page2.next).toBeNull();

      const events = await bob.client.chat.thread(thread.id).events({ after: 0, limit: 200 });
      expect(events.items.map((e) => e.type)).toEqual([
        "chat.participants.added",
        "chat.message.received",
        "chat.message.received",
        "chat.message.edited",
        "chat.message.deleted",
        "chat.read",
        "chat.participants.added",
        "chat.participants.removed",
        "chat.message.received",
        "chat.message.received",
        "chat.message.received",
        "chat.message.received",
        "chat.message.received",
      ]);
      expect(events.items.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
      const updated = await ada.client.chat.thread(thread.id).update({ topic: "Order 1234 (refund)" });
      expect(updated).toMatchObject({ topic: "Order 1234 (refund)", lastSequence: 14 });
    });

    it("keeps threads private to their participants, but visible to the tenant's admin", async () => {
      const ada = await customer(running, "Ada");
      const mallory = await customer(running, "Mallory");
      const thread = await ada.client.chat.createThread({ topic: "private" });
      await expectProblem(mallory.client.chat.thread(thread.id).get(), 404, "thread.not_found");
      await expectProblem(mallory.client.chat.thread(thread.id).send("let me in"), 404, "thread.not_found");
      await expectProblem(mallory.client.chat.thread(thread.id).messages(), 404, "thread.not_found");
      expect((await mallory.client.chat.listThreads()).items.map((t) => t.id)).not.toContain(thread.id);
      expect((await running.admin.chat.thread(thread.id).get()).id).toBe(thread.id);
      await expectProblem(
        running.admin.chat.thread(thread.id).send("api keys are not participants"),
        403,
        "thread.not_participant",
      );
    });

    it("never duplicates a message sent again with the same idempotency key, even concurrently", async () => {
      const ada = await customer(running, "Ada");
      const thread = await ada.client.chat.createThread({ topic: "retries" });
      const once = await ada.client.chat.thread(thread.id).send({ content: "pay 10 EUR", idempotencyKey: "pay-1" });
      const again = await ada.client.chat.thread(thread.id).send({ content: "pay 10 EUR", idempotencyKey: "pay-1" });
      expect(again).toEqual(once);
      const raced = await Promise.all(
        Array.from({ length: 8 }, () =>
          ada.client.chat.thread(thread.id).send({ content: "pay 20 EUR", idempotencyKey: "pay-2" }),
        ),
      );
      expect(new Set(raced.map((m) => m.id)).size).toBe(1);
      const all = await ada.client.chat.thread(thread.id).messages({ after: 0, limit: 200 });
      expect(all.items.map((m) => m.content)).toEqual(["pay 10 EUR", "pay 20 EUR"]);
      expect((await ada.client.chat.thread(thread.id).get()).lastSequence).toBe(3);
    });
  });

  describe("bad input", () => {
    it("names the fields at fault", async () => {
      const ada = await customer(running, "Ada");
      const thread = await ada.client.chat.createThread({ topic: "validation" });
      const response = await fetch(`${running.baseUrl}/v1/chat/threads/${thread.id}/messages`, {
        method: "POST",
        headers: { authorization: `Bearer ${ada.token}`, "content-type": "application/json" },
        body: JSON.stringify({ content: 42, metadata: { a: 1 } }),
      });
      expect(response.status).toBe(400);
      const problem = await response.json();
      expect(problem.code).toBe("request.invalid");
      expect(problem.errors.map((e: { field: string }) => e.field).sort()).toEqual(["body.content", "body.metadata.a"]);
      await expectProblem(
        ada.client.chat.createThread({ topic: "x", participants: [{ id: "no-such-identity" }] }),
        400,
        "identity.not_found",
      );
    });

    it("rejects malformed JSON, oversized bodies and unknown routes with problems", async () => {
      const headers = { authorization: `Bearer ${running.apiKey}`, "content-type": "application/json" };
      const malformed = await fetch(`${running.baseUrl}/v1/identities`, { method: "POST", headers, body: "{nope" });
      expect([malformed.status, (await malformed.json()).code]).toEqual([400, "request.invalid_json"]);
      const huge = await fetch(`${running.baseUrl}/v1/identities`, {
        method: "POST",
        headers,
        body: JSON.stringify({ displayName: "x", metadata: { blob: "y".repeat(300 * 1024) } }),
      });
      expect([huge.status, (await huge.json()).code]).toEqual([413, "request.body_too_large"]);
      const unknown = await fetch(`${running.baseUrl}/v1/nothing-here`, { headers });
      expect([unknown.status, (await unknown.json()).code]).toEqual([404, "route.not_found"]);
    });
  });

  describe("service endpoints", () => {
    it("serves the OpenAPI description, its docs page, metrics, health and readiness", async () => {
      const openapi = await (await fetch(`${running.baseUrl}/openapi.json`)).json();
      expect(openapi.openapi).toMatch(/^3\./);
      expect(Object.keys(openapi.paths)).toEqual(
        expect.arrayContaining([
          "/v1/identities",
          "/v1/identities/{id}/tokens",
          "/v1/chat/threads",
          "/v1/chat/threads/{threadId}/messages",
          "/v1/chat/threads/{threadId}/read",
        ]),
      );
      expect(openapi.paths["/v1/chat/threads/{threadId}/messages"].post.requestBody).toBeDefined();
      const docs = await fetch(`${running.baseUrl}/docs/`);
      expect(docs.status).toBe(200);
      expect(await docs.text()).toContain("<html");
      const metrics = await (await fetch(`${running.baseUrl}/metrics`)).text();
      expect(metrics).toContain("switchboard_http_request_duration_seconds");
      expect(metrics).toContain("switchboard_realtime_connections");
      expect(await (await fetch(`${running.baseUrl}/healthz`)).json()).toEqual({ status: "ok" });
      expect(await (await fetch(`${running.baseUrl}/readyz`)).json()).toEqual({ status: "ready", database: database });
    });
  });
});

describe("the browser side", () => {
  let running: RunningServer;
  beforeAll(async () => {
    running = await startServer("sqlite");
  });
  afterAll(async () => {
    await running?.close();
  });

  it("lets pages on other sites call the API (CORS preflight), with bearer tokens only", async () => {
    const preflight = await fetch(`${running.baseUrl}/v1/chat/threads/t/messages`, {
      method: "OPTIONS",
      headers: {
        origin: "https://shop.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("authorization");
    expect(preflight.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("serves the widget, the demo site with its stylesheet and its entry point, and the admin console", async () => {
    const demo = await (await fetch(`${running.baseUrl}/demo`)).text();
    const [entryPoint] = await running.admin.entryPoints.list();
    expect(demo).toContain(`data-entry-point="${entryPoint?.id}"`);
    expect((await fetch(`${running.baseUrl}/demo/site.css`)).headers.get("content-type")).toContain("text/css");
    expect((await fetch(`${running.baseUrl}/widget.js`)).headers.get("content-type")).toContain("javascript");
    const admin = await fetch(`${running.baseUrl}/admin/conversations`);
    expect([admin.status, admin.headers.get("content-type")]).toEqual([200, "text/html; charset=utf-8"]);
    expect((await fetch(`${running.baseUrl}/admin/assets/missing.js`)).status).toBe(404);
  });
});

describe("rate limiting", () => {
  let running: RunningServer;
  beforeAll(async () => {
    running = await startServer("sqlite", { rateLimitPerMinute: 5 });
  });
  afterAll(async () => {
    await running?.close();
  });

  it("answers 429 with Retry-After once a credential exceeds its rate, without affecting others", async () => {
    const ada = await customer(running, "Ada");
    for (let i = 0; i < 5; i++) await ada.client.chat.listThreads();
    const response = await fetch(`${running.baseUrl}/v1/chat/threads`, { headers: { authorization: `Bearer ${ada.token}` } });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await response.json()).toMatchObject({ status: 429, code: "rate_limited" });
    const bob = await customer(running, "Bob");
    expect((await bob.client.chat.listThreads()).items).toEqual([]);
  });
});
