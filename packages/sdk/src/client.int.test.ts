import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Message, Problem, Thread } from "@switchboard/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { SwitchboardClient } from "./client.js";
import { SwitchboardError } from "./http.js";

interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

type Handler = (request: Recorded, res: ServerResponse, req: IncomingMessage) => void;

/** A scripted HTTP server: every request is recorded, then answered by `handler`. */
async function startServer(handler: Handler) {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      raw += chunk;
    });
    req.on("end", () => {
      const recorded = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: raw === "" ? undefined : req.headers["content-type"] === "application/json" ? JSON.parse(raw) : raw,
      };
      requests.push(recorded);
      handler(recorded, res, req);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  stops.push(stop);
  return { baseUrl: `http://127.0.0.1:${port}`, requests };
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

const json = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
  if (body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
};

const problem = (res: ServerResponse, body: Problem, headers: Record<string, string> = {}) => {
  res.writeHead(body.status, { "content-type": "application/problem+json", ...headers }).end(JSON.stringify(body));
};

const message = (sequence: number, content = `m${sequence}`): Message => ({
  id: `msg_${sequence}`,
  sequence,
  senderId: "idn_1",
  senderDisplayName: "Ada",
  content,
  metadata: {},
  createdAt: "2025-01-01T00:00:00.000Z",
  editedAt: null,
  deletedAt: null,
  attachments: [],
  quickReplies: [],
  card: null,
});

const thread: Thread = {
  id: "thr_1",
  topic: "Billing",
  metadata: { order: "42" },
  createdBy: null,
  createdAt: "2025-01-01T00:00:00.000Z",
  lastSequence: 0,
};

describe("errors", () => {
  it("turns a problem+json answer into a SwitchboardError with its code and fields", async () => {
    const { baseUrl } = await startServer((_req, res) =>
      problem(res, {
        type: "https://switchboard.dev/problems/validation",
        title: "Invalid request",
        status: 400,
        code: "request.invalid",
        detail: "2 fields are invalid",
        errors: [
          { field: "content", message: "Too short" },
          { field: "metadata.color", message: "Expected string" },
        ],
      }),
    );
    const client = new SwitchboardClient({ baseUrl, credential: "sk_test" });
    const error = await client.chat
      .thread("thr_1")
      .send("")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SwitchboardError);
    expect(error).toBeInstanceOf(Error);
    const e = error as SwitchboardError;
    expect(e.name).toBe("SwitchboardError");
    expect(e.status).toBe(400);
    expect(e.code).toBe("request.invalid");
    expect(e.message).toBe("Invalid request: 2 fields are invalid");
    expect(e.errors).toEqual([
      { field: "content", message: "Too short" },
      { field: "metadata.color", message: "Expected string" },
    ]);
    expect(e.problem.type).toBe("https://switchboard.dev/problems/validation");
    expect(e.retryAfterSeconds).toBeUndefined();
  });

  it("gives a non-problem error answer (a proxy's HTML page) a synthetic problem", async () => {
    const { baseUrl } = await startServer((_req, res) => {
      res.writeHead(502, "Bad Gateway", { "content-type": "text/html" }).end("<h1>502</h1>");
    });
    const client = new SwitchboardClient({ baseUrl, credential: "sk_test" });
    const error = (await client.tenants.current().catch((e: unknown) => e)) as SwitchboardError;
    expect(error).toBeInstanceOf(SwitchboardError);
    expect(error.status).toBe(502);
    expect(error.code).toBe("http.502");
    expect(error.message).toBe("Bad Gateway");
    expect(error.errors).toEqual([]);
  });

  it("a 404 problem keeps its code", async () => {
    const { baseUrl } = await startServer((_req, res) =>
      problem(res, { type: "about:blank", title: "Thread not found", status: 404, code: "thread.not_found" }),
    );
    const client = new SwitchboardClient({ baseUrl, credential: "sk_test" });
    await expect(client.chat.thread("nope").get()).rejects.toMatchObject({
      status: 404,
      code: "thread.not_found",
      message: "Thread not found",
    });
  });
});

describe("429 retry", () => {
  const tooMany = (res: ServerResponse, retryAfter: string) =>
    problem(
      res,
      { type: "about:blank", title: "Too many requests", status: 429, code: "rate_limited" },
      { "retry-after": retryAfter },
    );

  it("is off by default: the error carries retryAfterSeconds", async () => {
    const { baseUrl, requests } = await startServer((_req, res) => tooMany(res, "7"));
    const client = new SwitchboardClient({ baseUrl, credential: "sk_test" });
    const error = (await client.users.list().catch((e: unknown) => e)) as SwitchboardError;
    expect(error.status).toBe(429);
    expect(error.code).toBe("rate_limited");
    expect(error.retryAfterSeconds).toBe(7);
    expect(requests).toHaveLength(1);
  });

  it("waits for Retry-After, then succeeds, even for a POST", async () => {
    let calls = 0;
    const { baseUrl, requests } = await startServer((_req, res) => {
      calls++;
      if (calls === 1) tooMany(res, "1");
      else json(res, 201, thread);
    });
    const client = new SwitchboardClient({ baseUrl, credential: "sk_test", retry: { maxRetries: 2 } });
    const started = Date.now();
    const created = await client.chat.createThread({ topic: "Billing" });
    const elapsed = Date.now() - started;
    expect(created).toEqual(thread);
    expect(requests).toHaveLength(2);
    expect(requests[1]?.body).toEqual({ topic: "Billing" });
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(3000);
  });

  it("gives up after maxRetries and throws the last 429", async () => {
    const { baseUrl, requests } = await startServer((_req, res) => tooMany(res, "0"));
    const client = new SwitchboardClient({ baseUrl, credential: "sk_test", retry: { maxRetries: 3 } });
    const error = (await client.tenants.current().catch((e: unknown) => e)) as SwitchboardError;
    expect(error.status).toBe(429);
    expect(error.retryAfterSeconds).toBe(0);
    expect(requests).toHaveLength(4);
  });

  it("does not wait longer than maxRetryAfterSeconds", async () => {
    const { baseUrl, requests } = await startServer((_req, res) => tooMany(res, "120"));
    const client = new SwitchboardClient({
      baseUrl,
      credential: "sk_test",
      retry: { maxRetries: 3, maxRetryAfterSeconds: 10 },
    });
    const started = Date.now();
    await expect(client.tenants.current()).rejects.toMatchObject({ status: 429, retryAfterSeconds: 120 });
    expect(requests).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe("network errors and idempotency", () => {
  it("a send gets an idempotency key, and its retry after a dropped connection sends the same key", async () => {
    const { baseUrl, requests } = await startServer((_req, res, raw) => {
      if (requests.length === 1) raw.socket.destroy();
      else json(res, 201, { ...message(1, "hello"), id: "msg_first" });
    });
    const client = new SwitchboardClient({
      baseUrl,
      credential: "sk_test",
      retry: { maxRetries: 2, networkBackoffMs: 10 },
    });
    const sent = await client.chat.thread("thr_1").send("hello");
    expect(sent.id).toBe("msg_first");
    expect(requests).toHaveLength(2);
    const [first, second] = requests.map((r) => r.body as { content: string; idempotencyKey: string });
    expect(first?.content).toBe("hello");
    expect(first?.idempotencyKey).toMatch(/^[0-9a-f-]{32,36}$/);
    expect(second).toEqual(first);
    expect(requests.every((r) => r.url === "/v1/chat/threads/thr_1/messages")).toBe(true);
  });

  it("keeps the caller's idempotency key, and makes a new one per send otherwise", async () => {
    const { baseUrl, requests } = await startServer((_req, res) => json(res, 201, message(1)));
    const thread = new SwitchboardClient({ baseUrl, credential: "sk_test" }).chat.thread("thr_1");
    await thread.send({ content: "a", idempotencyKey: "mine-1", metadata: { k: "v" } });
    await thread.send({ content: "b" });
    await thread.send("c");
    const bodies = requests.map((r) => r.body as { idempotencyKey: string });
    expect(bodies[0]).toEqual({ content: "a", idempotencyKey: "mine-1", metadata: { k: "v" } });
    expect(bodies[1]?.idempotencyKey).not.toBe(bodies[2]?.idempotencyKey);
    expect(new Set(bodies.map((b) => b.idempotencyKey)).size).toBe(3);
  });

  it("never retries a non-idempotent request after a network error", async () => {
    const { baseUrl, requests } = await startServer((_req, _res, raw) => raw.socket.destroy());
    const client = new SwitchboardClient({
      baseUrl,
      credential: "sk_test",
      retry: { maxRetries: 3, networkBackoffMs: 10 },
    });
    await expect(client.chat.createThread({ topic: "x" })).rejects.toBeInstanceOf(TypeError);
    expect(requests).toHaveLength(1);
  });

  it("retries a GET after a network error", async () => {
    const { baseUrl, requests } = await startServer((_req, res, raw) => {
      if (requests.length < 3) raw.socket.destroy();
      else json(res, 200, thread);
    });
    const client = new SwitchboardClient({
      baseUrl,
      credential: "sk_test",
      retry: { maxRetries: 2, networkBackoffMs: 5 },
    });
    await expect(client.chat.thread("thr_1").get()).resolves.toEqual(thread);
    expect(requests).toHaveLength(3);
  });

  it("does not retry network errors when retries are off (the default)", async () => {
    const { baseUrl, requests } = await startServer((_req, _res, raw) => raw.socket.destroy());
    const client = new SwitchboardClient({ baseUrl, credential: "sk_test" });
    await expect(client.chat.thread("thr_1").send("x")).rejects.toBeInstanceOf(TypeError);
    expect(requests).toHaveLength(1);
  });
});

describe("credentials", () => {
  it("sends the key as a bearer token, and calls a credential function before every request", async () => {
    const { baseUrl, requests } = await startServer((_req, res) =>
      json(res, 200, { id: "ten_1", slug: "acme", name: "Acme", createdAt: "2025-01-01T00:00:00.000Z" }),
    );
    await new SwitchboardClient({ baseUrl, credential: "sk_live_abc" }).tenants.current();
    let n = 0;
    const rotating = new SwitchboardClient({
      baseUrl,
      credential: async () => {
        n++;
        return `token-${n}`;
      },
    });
    const tenant = await rotating.tenants.current();
    await rotating.tenants.current();
    expect(tenant.slug).toBe("acme");
    expect(requests.map((r) => r.headers.authorization)).toEqual(["Bearer sk_live_abc", "Bearer token-1", "Bearer token-2"]);
  });

  it("signs in without a credential", async () => {
    const { baseUrl, requests } = await startServer((_req, res) =>
      json(res, 200, {
        token: "at_1",
        expiresAt: "2025-01-01T01:00:00.000Z",
        user: {
          id: "usr_1",
          email: "ada@acme.test",
          displayName: "Ada",
          role: "agent",
          identityId: "idn_1",
          createdAt: "2025-01-01T00:00:00.000Z",
        },
      }),
    );
    const client = new SwitchboardClient({ baseUrl, credential: "sk_should_not_be_sent" });
    const session = await client.auth.signIn({ tenant: "acme", email: "ada@acme.test", password: "correct horse" });
    expect(session.token).toBe("at_1");
    expect(session.user.role).toBe("agent");
    expect(requests[0]?.method).toBe("POST");
    expect(requests[0]?.url).toBe("/v1/auth/sign-in");
    expect(requests[0]?.headers.authorization).toBeUndefined();
    expect(requests[0]?.headers["content-type"]).toBe("application/json");
    expect(requests[0]?.body).toEqual({ tenant: "acme", email: "ada@acme.test", password: "correct horse" });
  });
});

describe("endpoints", () => {
  it("maps every method to its verb, path, query and body", async () => {
    const { baseUrl, requests } = await startServer((req, res) => {
      const key = `${req.method} ${req.url.split("?")[0]}`;
      const answers: Record<string, [number, unknown]> = {
        "POST /v1/tenants": [201, { tenant: { id: "ten_2" }, apiKey: { key: "sk_x" } }],
        "GET /v1/users": [200, { items: [{ id: "usr_1" }] }],
        "POST /v1/users": [201, { id: "usr_2" }],
        "GET /v1/api-keys": [200, { items: [{ id: "key_1" }] }],
        "POST /v1/api-keys": [201, { apiKey: { id: "key_2" }, key: "sk_y" }],
        "DELETE /v1/api-keys/key_1": [200, { id: "key_1", revokedAt: "2025-01-02T00:00:00.000Z" }],
        "POST /v1/identities": [201, { id: "idn_2" }],
        "GET /v1/identities": [200, { items: [{ id: "idn_1" }], next: null }],
        "GET /v1/identities/idn%2F1": [200, { id: "idn/1" }],
        "DELETE /v1/identities/idn_1": [204, undefined],
        "POST /v1/identities/idn_1/tokens": [201, { token: "at_2", expiresAt: "x" }],
        "POST /v1/chat/threads": [201, thread],
        "GET /v1/chat/threads": [200, { items: [thread], next: null }],
        "PATCH /v1/chat/threads/thr_1": [200, { ...thread, topic: "Refund" }],
        "GET /v1/chat/threads/thr_1/participants": [200, { items: [{ id: "idn_1" }] }],
        "POST /v1/chat/threads/thr_1/participants": [204, undefined],
        "DELETE /v1/chat/threads/thr_1/participants/idn_2": [204, undefined],
        "GET /v1/chat/threads/thr_1/messages": [200, { items: [message(4)], next: null }],
        "GET /v1/chat/threads/thr_1/messages/msg_4": [200, message(4)],
        "PATCH /v1/chat/threads/thr_1/messages/msg_4": [200, { ...message(4, "fixed") }],
        "DELETE /v1/chat/threads/thr_1/messages/msg_4": [204, undefined],
        "POST /v1/chat/threads/thr_1/read": [204, undefined],
        "POST /v1/chat/threads/thr_1/typing": [204, undefined],
        "GET /v1/chat/threads/thr_1/events": [200, { items: [], next: null }],
      };
      const answer = answers[key];
      if (!answer) problem(res, { type: "about:blank", title: key, status: 404, code: "route.not_found" });
      else json(res, answer[0], answer[1]);
    });
    const client = new SwitchboardClient({ baseUrl, credential: "sk_test" });
    const t = client.chat.thread("thr_1");

    expect((await client.tenants.create({ slug: "acme", name: "Acme" })).apiKey.key).toBe("sk_x");
    expect((await client.users.list()).map((u) => u.id)).toEqual(["usr_1"]);
    await client.users.create({ email: "b@acme.test", displayName: "B", role: "supervisor", password: "0123456789" });
    expect((await client.apiKeys.list())[0]?.id).toBe("key_1");
    expect((await client.apiKeys.create({ name: "ci" })).key).toBe("sk_y");
    expect((await client.apiKeys.revoke("key_1")).revokedAt).toBe("2025-01-02T00:00:00.000Z");
    await client.identities.create({ kind: "customer", displayName: "Bob", externalId: "crm-7" });
    await client.identities.list({ after: "idn_0", limit: 10 });
    expect((await client.identities.get("idn/1")).id).toBe("idn/1");
    await expect(client.identities.delete("idn_1")).resolves.toBeUndefined();
    expect((await client.identities.issueToken("idn_1", { scopes: ["chat"], expiresInMinutes: 30 })).token).toBe("at_2");
    await client.chat.createThread({ topic: "Billing", participants: [{ id: "idn_1" }] });
    await client.chat.listThreads({ limit: 5 });
    expect((await t.update({ topic: "Refund" })).topic).toBe("Refund");
    expect((await t.participants()).map((p) => p.id)).toEqual(["idn_1"]);
    await expect(t.addParticipants({ participants: [{ id: "idn_2", displayName: "Bo" }] })).resolves.toBeUndefined();
    await t.removeParticipant("idn_2");
    expect((await t.messages({ after: 3, limit: 2 })).items[0]?.sequence).toBe(4);
    expect((await t.message("msg_4")).id).toBe("msg_4");
    expect((await t.edit("msg_4", { content: "fixed" })).content).toBe("fixed");
    await t.delete("msg_4");
    await t.markRead(4);
    await t.typing();
    await t.events({ after: 2 });

    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "POST /v1/tenants",
      "GET /v1/users",
      "POST /v1/users",
      "GET /v1/api-keys",
      "POST /v1/api-keys",
      "DELETE /v1/api-keys/key_1",
      "POST /v1/identities",
      "GET /v1/identities?after=idn_0&limit=10",
      "GET /v1/identities/idn%2F1",
      "DELETE /v1/identities/idn_1",
      "POST /v1/identities/idn_1/tokens",
      "POST /v1/chat/threads",
      "GET /v1/chat/threads?limit=5",
      "PATCH /v1/chat/threads/thr_1",
      "GET /v1/chat/threads/thr_1/participants",
      "POST /v1/chat/threads/thr_1/participants",
      "DELETE /v1/chat/threads/thr_1/participants/idn_2",
      "GET /v1/chat/threads/thr_1/messages?after=3&limit=2",
      "GET /v1/chat/threads/thr_1/messages/msg_4",
      "PATCH /v1/chat/threads/thr_1/messages/msg_4",
      "DELETE /v1/chat/threads/thr_1/messages/msg_4",
      "POST /v1/chat/threads/thr_1/read",
      "POST /v1/chat/threads/thr_1/typing",
      "GET /v1/chat/threads/thr_1/events?after=2",
    ]);
    const bodyOf = (line: string) => requests.find((r) => `${r.method} ${r.url}` === line)?.body;
    expect(bodyOf("POST /v1/tenants")).toEqual({ slug: "acme", name: "Acme" });
    expect(bodyOf("POST /v1/identities/idn_1/tokens")).toEqual({ scopes: ["chat"], expiresInMinutes: 30 });
    expect(bodyOf("POST /v1/chat/threads")).toEqual({ topic: "Billing", participants: [{ id: "idn_1" }] });
    expect(bodyOf("PATCH /v1/chat/threads/thr_1")).toEqual({ topic: "Refund" });
    expect(bodyOf("POST /v1/chat/threads/thr_1/participants")).toEqual({
      participants: [{ id: "idn_2", displayName: "Bo" }],
    });
    expect(bodyOf("PATCH /v1/chat/threads/thr_1/messages/msg_4")).toEqual({ content: "fixed" });
    expect(bodyOf("POST /v1/chat/threads/thr_1/read")).toEqual({ sequence: 4 });
    expect(bodyOf("POST /v1/chat/threads/thr_1/typing")).toBeUndefined();
    expect(requests.find((r) => r.method === "DELETE")?.headers["content-type"]).toBeUndefined();
  });

  it("starts a widget session without a credential, reads and resolves conversations", async () => {
    const { baseUrl, requests } = await startServer((req, res) => {
      if (req.url === "/v1/widget/sessions") json(res, 201, { identityId: "idn_9", token: "at_9", resumed: false });
      else json(res, 200, { id: "cnv_1", status: req.method === "POST" ? "resolved" : "bot" });
    });
    const client = new SwitchboardClient({ baseUrl, credential: "at_old" });
    const session = await client.widget.createSession({ entryPointId: "ep_1", sessionSecret: "s3cret" });
    expect(session.token).toBe("at_9");
    expect((await client.conversations.get("cnv_1")).status).toBe("bot");
    expect((await client.conversations.resolve("cnv_1")).status).toBe("resolved");
    expect(requests.map((r) => `${r.method} ${r.url} ${r.headers.authorization ?? "-"}`)).toEqual([
      "POST /v1/widget/sessions -",
      "GET /v1/conversations/cnv_1 Bearer at_old",
      "POST /v1/conversations/cnv_1/resolve Bearer at_old",
    ]);
    expect(requests[0]?.body).toEqual({ entryPointId: "ep_1", sessionSecret: "s3cret" });
  });

  it("uploads an attachment as the raw body with its content type, and builds its download URL", async () => {
    const { baseUrl, requests } = await startServer((_req, res) =>
      json(res, 201, { id: "att_1", fileName: "a b.gif", contentType: "image/gif", size: 6 }),
    );
    const client = new SwitchboardClient({ baseUrl, credential: "at_1" });
    const file = new Blob(["GIF89a"], { type: "image/gif" });
    const attachment = await client.chat.thread("thr_1").uploadAttachment(file, "a b.gif");
    expect(attachment.id).toBe("att_1");
    expect(requests[0]?.url).toBe("/v1/chat/threads/thr_1/attachments?fileName=a+b.gif");
    expect(requests[0]?.headers["content-type"]).toBe("image/gif");
    expect(requests[0]?.body).toBe("GIF89a");
    await client.chat.thread("thr_1").uploadAttachment(new Blob(["%PDF-"]), "x.pdf", { contentType: "application/pdf" });
    expect(requests[1]?.headers["content-type"]).toBe("application/pdf");
    expect(client.attachments.url("att/1", "t k")).toBe(`${baseUrl}/v1/attachments/att%2F1?token=t+k`);
  });

  it("iterates every message across pages, following `next`", async () => {
    const all = Array.from({ length: 7 }, (_, i) => message(i + 1));
    const { baseUrl, requests } = await startServer((req, res) => {
      const query = new URL(req.url, "http://x").searchParams;
      const after = Number(query.get("after") ?? 0);
      const limit = Number(query.get("limit") ?? 50);
      const items = all.filter((m) => m.sequence > after).slice(0, limit);
      const last = items.at(-1);
      json(res, 200, { items, next: last && last.sequence < 7 ? last.sequence : null });
    });
    const t = new SwitchboardClient({ baseUrl, credential: "sk_test" }).chat.thread("thr_1");
    const seen: number[] = [];
    for await (const m of t.allMessages({ after: 1, limit: 3 })) seen.push(m.sequence);
    expect(seen).toEqual([2, 3, 4, 5, 6, 7]);
    expect(requests.map((r) => r.url)).toEqual([
      "/v1/chat/threads/thr_1/messages?after=1&limit=3",
      "/v1/chat/threads/thr_1/messages?after=4&limit=3",
    ]);
  });

  it("iterates every identity across cursor pages", async () => {
    const { baseUrl, requests } = await startServer((req, res) => {
      const after = new URL(req.url, "http://x").searchParams.get("after");
      if (after === null) json(res, 200, { items: [{ id: "a" }, { id: "b" }], next: "cur_b" });
      else json(res, 200, { items: [{ id: "c" }], next: null });
    });
    const client = new SwitchboardClient({ baseUrl, credential: "sk_test" });
    const ids: string[] = [];
    for await (const identity of client.identities.all({ limit: 2 })) ids.push(identity.id);
    expect(ids).toEqual(["a", "b", "c"]);
    expect(requests.map((r) => r.url)).toEqual(["/v1/identities?limit=2", "/v1/identities?after=cur_b&limit=2"]);
  });

  it("keeps a path prefix in the base URL and passes an abort signal", async () => {
    const { baseUrl, requests } = await startServer(() => {
      // Never answers: the abort must end the call.
    });
    const client = new SwitchboardClient({ baseUrl: `${baseUrl}/api/`, credential: "sk_test" });
    const controller = new AbortController();
    const call = client.chat.thread("thr_1").get({ signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: "AbortError" });
    expect(requests[0]?.url).toBe("/api/v1/chat/threads/thr_1");
  });
});

describe("admin endpoints", () => {
  it("maps entry points, customers, the knowledge base and conversation lists to their verbs, paths and bodies", async () => {
    const { baseUrl, requests } = await startServer((req, res) => {
      if (req.method === "DELETE") json(res, 204);
      else if (/^\/v1\/(entry-points|knowledge\/faqs|conversations\/[^/]+\/timeline)(\?|$)/.test(req.url)) {
        json(res, 200, { items: [{ id: "x" }] });
      } else json(res, 200, { items: [], next: null, id: "x", created: 2, updated: 0, rejected: [] });
    });
    const client = new SwitchboardClient({ baseUrl, credential: "at_admin" });

    expect(await client.entryPoints.list()).toEqual([{ id: "x" }]);
    await client.entryPoints.create({ name: "Website", allowedOrigins: ["*"] });
    await client.entryPoints.get("ep/1");
    await client.entryPoints.update("ep_1", { enabled: false, businessHours: null });
    await client.entryPoints.delete("ep_1");

    await client.customers.list({ query: "ada lovelace", after: "cur_1", limit: 20 });
    await client.customers.list();
    await client.customers.create({ name: "Ada", email: "ada@example.com" });
    await client.customers.get("cus_1");
    const imported = await client.customers.importCsv("name,email\nAda,ada@example.com\nGrace,grace@example.com\n");
    expect(imported).toMatchObject({ created: 2, updated: 0, rejected: [] });
    await client.customers.importJson([{ name: "Alan" }]);

    expect(await client.knowledge.faqs()).toEqual([{ id: "x" }]);
    await client.knowledge.createFaq({ question: "Q?", answer: "A.", alternatives: ["Q2?"] });
    await client.knowledge.updateFaq("faq_1", { question: "Q?", answer: "B." });
    await client.knowledge.deleteFaq("faq_1");
    await client.knowledge.botSettings();
    const settings = { synonyms: [], intents: [], answerThreshold: 0.5, suggestThreshold: 0.25, maxMisunderstandings: 2 };
    await client.knowledge.saveBotSettings(settings);

    await client.conversations.list({ status: "awaiting_agent", entryPointId: "ep_1", after: "cur_2", limit: 10 });
    await client.conversations.list({ status: "with_agent", agentId: "idn_a" });
    expect(await client.conversations.timeline("cnv_1")).toEqual([{ id: "x" }]);

    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "GET /v1/entry-points",
      "POST /v1/entry-points",
      "GET /v1/entry-points/ep%2F1",
      "PATCH /v1/entry-points/ep_1",
      "DELETE /v1/entry-points/ep_1",
      "GET /v1/customers?query=ada+lovelace&after=cur_1&limit=20",
      "GET /v1/customers",
      "POST /v1/customers",
      "GET /v1/customers/cus_1",
      "POST /v1/customers/import",
      "POST /v1/customers/import",
      "GET /v1/knowledge/faqs",
      "POST /v1/knowledge/faqs",
      "PUT /v1/knowledge/faqs/faq_1",
      "DELETE /v1/knowledge/faqs/faq_1",
      "GET /v1/knowledge/bot-settings",
      "PUT /v1/knowledge/bot-settings",
      "GET /v1/conversations?status=awaiting_agent&entryPointId=ep_1&after=cur_2&limit=10",
      "GET /v1/conversations?status=with_agent&agentId=idn_a",
      "GET /v1/conversations/cnv_1/timeline?limit=200",
    ]);
    expect(requests.every((r) => r.headers.authorization === "Bearer at_admin")).toBe(true);
    const body = (method: string, url: string) => requests.find((r) => r.method === method && r.url === url)?.body;
    expect(body("PATCH", "/v1/entry-points/ep_1")).toEqual({ enabled: false, businessHours: null });
    expect(body("PUT", "/v1/knowledge/faqs/faq_1")).toEqual({ question: "Q?", answer: "B." });
    expect(body("PUT", "/v1/knowledge/bot-settings")).toEqual(settings);
    const [csv, rows] = requests.filter((r) => r.url === "/v1/customers/import");
    // CSV goes as the raw body with its own content type; a JSON import as JSON.
    expect(csv?.headers["content-type"]).toBe("text/csv");
    expect(csv?.body).toBe("name,email\nAda,ada@example.com\nGrace,grace@example.com\n");
    expect(rows?.headers["content-type"]).toBe("application/json");
    expect(rows?.body).toEqual([{ name: "Alan" }]);
  });
});

describe("routing endpoints", () => {
  it("maps the agent, offers, transfers, queues, workers and the supervisor's view to their verbs, paths and bodies", async () => {
    const { baseUrl, requests } = await startServer((req, res) => {
      const key = `${req.method} ${req.url.split("?")[0]}`;
      const answers: Record<string, [number, unknown]> = {
        "GET /v1/agent/me": [200, { worker: { id: "idn_a", presence: "offline" }, offers: [], conversations: [], queues: [] }],
        "PUT /v1/agent/presence": [204, undefined],
        "POST /v1/offers/ofr_1/accept": [200, { id: "cnv_1", status: "with_agent" }],
        "POST /v1/offers/ofr%2F2/decline": [204, undefined],
        "POST /v1/conversations/cnv_1/transfer": [200, { id: "cnv_1", status: "awaiting_agent" }],
        "POST /v1/conversations/cnv_1/resolve": [200, { id: "cnv_1", status: "resolved" }],
        "GET /v1/queues": [200, { items: [{ id: "que_1", name: "support" }] }],
        "POST /v1/queues": [201, { id: "que_2", name: "billing" }],
        "GET /v1/queues/que_2": [200, { id: "que_2", name: "billing" }],
        "PATCH /v1/queues/que_2": [200, { id: "que_2", name: "billing", alertSeconds: 45 }],
        "DELETE /v1/queues/que_2": [204, undefined],
        "GET /v1/workers": [200, { items: [{ id: "idn_a" }, { id: "idn_b" }] }],
        "PUT /v1/workers/idn_a": [200, { id: "idn_a", settings: { capacity: 3, queueIds: ["que_1"] } }],
        "GET /v1/supervisor/live": [200, { at: "2025-01-01T00:00:00.000Z", queues: [], agents: [] }],
        "GET /v1/conversations/cnv%2F1/routing": [
          200,
          { items: [{ position: 1, type: "job.queued", at: "2025-01-01T00:00:00.000Z", reason: "handed off", data: {} }] },
        ],
      };
      const answer = answers[key];
      if (!answer) problem(res, { type: "about:blank", title: key, status: 404, code: "route.not_found" });
      else json(res, answer[0], answer[1]);
    });
    const client = new SwitchboardClient({ baseUrl, credential: "at_agent" });

    expect((await client.agent.me()).worker.id).toBe("idn_a");
    await expect(client.agent.setPresence("available")).resolves.toBeUndefined();
    expect((await client.offers.accept("ofr_1")).status).toBe("with_agent");
    await expect(client.offers.decline("ofr/2")).resolves.toBeUndefined();
    expect((await client.conversations.transfer("cnv_1", { queueId: "que_1", note: "Billing question" })).status).toBe(
      "awaiting_agent",
    );
    expect((await client.conversations.resolve("cnv_1", { wrapUpCode: "resolved" })).status).toBe("resolved");
    await client.conversations.resolve("cnv_1");
    expect((await client.queues.list()).map((q) => q.name)).toEqual(["support"]);
    await client.queues.create({ name: "billing", wrapUpCodes: ["refund"] });
    expect((await client.queues.get("que_2")).name).toBe("billing");
    expect((await client.queues.update("que_2", { alertSeconds: 45 })).alertSeconds).toBe(45);
    await expect(client.queues.delete("que_2")).resolves.toBeUndefined();
    expect((await client.workers.list()).map((w) => w.id)).toEqual(["idn_a", "idn_b"]);
    expect((await client.workers.update("idn_a", { capacity: 3, queueIds: ["que_1"] })).settings.capacity).toBe(3);
    expect((await client.supervisor.live()).queues).toEqual([]);
    expect((await client.supervisor.live({ organizationId: "org_1" })).agents).toEqual([]);
    expect((await client.conversations.routingLog("cnv/1")).map((e) => `${e.type}: ${e.reason}`)).toEqual([
      "job.queued: handed off",
    ]);

    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "GET /v1/agent/me",
      "PUT /v1/agent/presence",
      "POST /v1/offers/ofr_1/accept",
      "POST /v1/offers/ofr%2F2/decline",
      "POST /v1/conversations/cnv_1/transfer",
      "POST /v1/conversations/cnv_1/resolve",
      "POST /v1/conversations/cnv_1/resolve",
      "GET /v1/queues",
      "POST /v1/queues",
      "GET /v1/queues/que_2",
      "PATCH /v1/queues/que_2",
      "DELETE /v1/queues/que_2",
      "GET /v1/workers",
      "PUT /v1/workers/idn_a",
      "GET /v1/supervisor/live",
      "GET /v1/supervisor/live?organizationId=org_1",
      "GET /v1/conversations/cnv%2F1/routing",
    ]);
    expect(requests.every((r) => r.headers.authorization === "Bearer at_agent")).toBe(true);
    const [, presence, , , transfer, resolveWithCode, resolvePlain, , createQueue, , patchQueue, , , putWorker] = requests;
    expect(presence?.body).toEqual({ presence: "available" });
    expect(transfer?.body).toEqual({ queueId: "que_1", note: "Billing question" });
    expect(resolveWithCode?.body).toEqual({ wrapUpCode: "resolved" });
    // Without a wrap-up code, an empty object: a server that validates the body accepts it, an older one ignores it.
    expect(resolvePlain?.body).toEqual({});
    expect(createQueue?.body).toEqual({ name: "billing", wrapUpCodes: ["refund"] });
    expect(patchQueue?.body).toEqual({ alertSeconds: 45 });
    expect(putWorker?.body).toEqual({ capacity: 3, queueIds: ["que_1"] });
  });

  it("reports an expired offer as a SwitchboardError with its code", async () => {
    const { baseUrl } = await startServer((_req, res) =>
      problem(res, { type: "about:blank", title: "Offer expired", status: 409, code: "offer.expired" }),
    );
    const client = new SwitchboardClient({ baseUrl, credential: "at_agent" });
    await expect(client.offers.accept("ofr_1")).rejects.toMatchObject({ status: 409, code: "offer.expired" });
  });
});

describe("telephony endpoints", () => {
  it("maps numbers, trunks, phones and call records to their verbs, paths, queries and bodies", async () => {
    const { baseUrl, requests } = await startServer((req, res) => {
      const path = req.url.split("?")[0] ?? "";
      if (req.method === "DELETE") json(res, 204);
      else if (path === "/v1/calls") json(res, 200, { items: [{ id: "cal_1" }], next: null });
      else if (/^\/v1\/(phone-numbers|trunks|sip-accounts)$/.test(path) && req.method === "GET") {
        json(res, 200, { items: [{ id: "x" }] });
      } else if (path.endsWith("/events")) json(res, 200, { items: [{ sequence: 1, type: "key.pressed" }] });
      else json(res, req.method === "POST" ? 201 : 200, { id: "x", hasPassword: true });
    });
    const client = new SwitchboardClient({ baseUrl, credential: "at_admin" });
    const t = client.telephony;

    expect(await t.phoneNumbers.list()).toEqual([{ id: "x" }]);
    await t.phoneNumbers.create({ e164: "+15550123", label: "Main line", entry: { kind: "flow", flow: "demo" } });
    await t.phoneNumbers.get("pn/1");
    await t.phoneNumbers.update("pn_1", { label: "Sales", trunkId: null });
    await t.phoneNumbers.delete("pn_1");

    expect(await t.trunks.list()).toEqual([{ id: "x" }]);
    await t.trunks.create({ name: "carrier", inbound: { allowList: ["203.0.113.0/24"] } });
    await t.trunks.get("trk_1");
    await t.trunks.update("trk_1", { outbound: { host: "sip.example.com", digest: { username: "acct" } } });
    await t.trunks.delete("trk_1");

    expect(await t.sipAccounts.list()).toEqual([{ id: "x" }]);
    await t.sipAccounts.create({ username: "ada", extension: "1002", password: "a long password" });
    await t.sipAccounts.get("sip_1");
    await t.sipAccounts.update("sip_1", { displayName: "Ada L." });
    await t.sipAccounts.resetPassword("sip_1", "another long one");
    await t.sipAccounts.delete("sip_1");

    await t.calls.list({
      direction: "inbound",
      result: "missed",
      since: new Date("2025-01-01T00:00:00.000Z"),
      until: "2025-01-02T00:00:00.000Z",
      after: "cur_1",
      limit: 25,
    });
    expect((await t.calls.list()).items).toEqual([{ id: "cal_1" }]);
    await t.calls.get("cal_1");
    expect(await t.calls.events("cal_1", { after: 3, limit: 10 })).toEqual([{ sequence: 1, type: "key.pressed" }]);
    expect(t.calls.recordingUrl("cal_1", "rec/1")).toBe(`${baseUrl}/v1/calls/cal_1/recordings/rec%2F1`);

    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "GET /v1/phone-numbers",
      "POST /v1/phone-numbers",
      "GET /v1/phone-numbers/pn%2F1",
      "PATCH /v1/phone-numbers/pn_1",
      "DELETE /v1/phone-numbers/pn_1",
      "GET /v1/trunks",
      "POST /v1/trunks",
      "GET /v1/trunks/trk_1",
      "PATCH /v1/trunks/trk_1",
      "DELETE /v1/trunks/trk_1",
      "GET /v1/sip-accounts",
      "POST /v1/sip-accounts",
      "GET /v1/sip-accounts/sip_1",
      "PATCH /v1/sip-accounts/sip_1",
      "POST /v1/sip-accounts/sip_1/password",
      "DELETE /v1/sip-accounts/sip_1",
      "GET /v1/calls?direction=inbound&result=missed&since=2025-01-01T00%3A00%3A00.000Z&until=2025-01-02T00%3A00%3A00.000Z&after=cur_1&limit=25",
      "GET /v1/calls",
      "GET /v1/calls/cal_1",
      "GET /v1/calls/cal_1/events?after=3&limit=10",
    ]);
    expect(requests.every((r) => r.headers.authorization === "Bearer at_admin")).toBe(true);
    const body = (method: string, url: string) => requests.find((r) => r.method === method && r.url === url)?.body;
    expect(body("POST", "/v1/phone-numbers")).toEqual({
      e164: "+15550123",
      label: "Main line",
      entry: { kind: "flow", flow: "demo" },
    });
    expect(body("PATCH", "/v1/phone-numbers/pn_1")).toEqual({ label: "Sales", trunkId: null });
    expect(body("PATCH", "/v1/trunks/trk_1")).toEqual({ outbound: { host: "sip.example.com", digest: { username: "acct" } } });
    expect(body("POST", "/v1/sip-accounts/sip_1/password")).toEqual({ password: "another long one" });
  });

  it("reads a whole timeline across full pages, stopping at a short one", async () => {
    const { baseUrl, requests } = await startServer((req, res) => {
      const after = Number(new URL(req.url, "http://x").searchParams.get("after"));
      const items = Array.from({ length: Math.max(0, Math.min(2, 5 - after)) }, (_, i) => ({ sequence: after + i + 1 }));
      json(res, 200, { items });
    });
    const client = new SwitchboardClient({ baseUrl, credential: "at_admin" });
    const events = await client.telephony.calls.allEvents("cal_1", { limit: 2 });
    expect(events.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5]);
    expect(requests.map((r) => r.url)).toEqual([
      "/v1/calls/cal_1/events?after=0&limit=2",
      "/v1/calls/cal_1/events?after=2&limit=2",
      "/v1/calls/cal_1/events?after=4&limit=2",
    ]);
  });

  it("downloads a recording as a Blob with the bearer token, and reports a missing one as a problem", async () => {
    const wav = Buffer.from("RIFF\u0024\u0000\u0000\u0000WAVEfmt ");
    const { baseUrl, requests } = await startServer((req, res) => {
      if (req.url.endsWith("/rec_1")) res.writeHead(200, { "content-type": "audio/wav" }).end(wav);
      else problem(res, { type: "about:blank", title: "Not found", status: 404, code: "recording.not_found" });
    });
    const client = new SwitchboardClient({ baseUrl, credential: "at_admin" });
    const blob = await client.telephony.calls.recording("cal_1", "rec_1");
    expect(blob.type).toBe("audio/wav");
    expect(Buffer.from(await blob.arrayBuffer())).toEqual(wav);
    expect(requests[0]?.headers.authorization).toBe("Bearer at_admin");
    expect(requests[0]?.headers.accept).toBe("audio/wav, application/problem+json");
    await expect(client.telephony.calls.recording("cal_1", "rec_2")).rejects.toMatchObject({
      status: 404,
      code: "recording.not_found",
    });
  });
});
