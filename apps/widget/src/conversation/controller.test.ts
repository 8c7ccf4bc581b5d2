import type { Conversation, Message, ThreadEvent, WidgetSession } from "@switchboard/protocol";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type KeyValueStorage, WidgetStorage } from "../session/storage.js";
import { ChatController } from "./controller.js";
import { CLIENT_KEY } from "./state.js";

/**
 * The controller against a scripted server (fetch) and socket: the glue between the reducer, the sdk and
 * the session, where sends, renewals and reloads meet.
 */

const THREAD = "thr_1";
const ME = "idn_me";
const BOT = "idn_bot";

interface Recorded {
  method: string;
  path: string;
  body: unknown;
  authorization: string | undefined;
}

class FakeServer {
  readonly requests: Recorded[] = [];
  readonly messages: Message[] = [];
  sequence = 1;
  tokens = 0;
  conversations = 1;
  status: Conversation["status"] = "bot";
  /** The next sends fail without an answer (the network is down). */
  offline = false;
  /** The next chat call answers 401 once (the token expired). */
  expireToken = false;
  readonly keys = new Map<string, Message>();

  message(senderId: string, content: string, metadata: Record<string, string> = {}): Message {
    this.sequence++;
    const message: Message = {
      id: `msg_${this.sequence}`,
      sequence: this.sequence,
      senderId,
      senderDisplayName: senderId === BOT ? "Bot" : "Visitor",
      content,
      metadata,
      createdAt: new Date(Date.UTC(2025, 2, 12, 10, 0, this.sequence)).toISOString(),
      editedAt: null,
      deletedAt: null,
      attachments: [],
      quickReplies: [],
      card: null,
    };
    this.messages.push(message);
    return message;
  }

  conversation(): Conversation {
    return {
      id: `cnv_${this.conversations}`,
      threadId: THREAD,
      status: this.status,
      queuePosition: null,
    } as Conversation;
  }

  readonly fetch = async (url: string, init: RequestInit): Promise<Response> => {
    const { pathname, searchParams } = new URL(url);
    const method = init.method ?? "GET";
    const body = typeof init.body === "string" ? (JSON.parse(init.body) as unknown) : undefined;
    const authorization = (init.headers as Record<string, string>).authorization;
    this.requests.push({ method, path: pathname, body, authorization });
    const json = (status: number, value?: unknown) =>
      new Response(value === undefined ? null : JSON.stringify(value), {
        status,
        headers: { "content-type": "application/json" },
      });

    if (pathname === "/v1/widget/sessions") {
      const request = body as { sessionSecret?: string; newConversation?: boolean };
      if (request.newConversation) {
        this.conversations++;
        this.status = "bot";
      }
      this.tokens++;
      const session: WidgetSession = {
        identityId: ME,
        token: `token-${this.tokens}`,
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        sessionSecret: request.sessionSecret ?? "secret",
        resumed: request.sessionSecret !== undefined,
        conversation: this.conversation(),
        entryPoint: { id: "ep_1", name: "Shop", greeting: "Hi!", open: true, afterHoursMessage: "" },
        limits: { attachmentMaxBytes: 1000, attachmentTypes: ["image/png"], messageMaxLength: 100 },
      };
      return json(201, session);
    }
    if (this.expireToken) {
      this.expireToken = false;
      return new Response(JSON.stringify({ type: "about:blank", title: "Expired", status: 401, code: "auth.invalid_token" }), {
        status: 401,
      });
    }
    const thread = `/v1/chat/threads/${THREAD}`;
    if (pathname === `${thread}/participants`) {
      return json(200, {
        items: [
          { id: ME, displayName: "Visitor", joinedSequence: 1, lastReadSequence: 0 },
          { id: BOT, displayName: "Bot", joinedSequence: 1, lastReadSequence: 0 },
        ],
      });
    }
    if (pathname === `${thread}/messages` && method === "GET") {
      const after = Number(searchParams.get("after") ?? 0);
      return json(200, { items: this.messages.filter((m) => m.sequence > after), next: null });
    }
    if (pathname === `${thread}/messages` && method === "POST") {
      if (this.offline) throw new TypeError("Failed to fetch");
      const request = body as { content: string; idempotencyKey: string; metadata: Record<string, string> };
      const known = this.keys.get(request.idempotencyKey);
      if (known) return json(201, known);
      const message = this.message(ME, request.content, request.metadata);
      this.keys.set(request.idempotencyKey, message);
      return json(201, message);
    }
    if (pathname === `${thread}/read`) return json(204);
    if (pathname.startsWith("/v1/conversations/")) {
      if (pathname.endsWith("/resolve")) this.status = "resolved";
      return json(200, this.conversation());
    }
    return json(404, { type: "about:blank", title: "Not found", status: 404, code: "route.not_found" });
  };

  posts(path: string): Recorded[] {
    return this.requests.filter((r) => r.method === "POST" && r.path.endsWith(path));
  }
}

/** A socket that opens at once and delivers what the test pushes. */
class FakeSocket {
  static readonly all: FakeSocket[] = [];
  readyState = 0;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: unknown) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(readonly url: string) {
    FakeSocket.all.push(this);
    queueMicrotask(() => {
      this.readyState = 1;
      this.push({ type: "ready", connectionId: "c1", identityId: ME, heartbeatMs: 0 });
    });
  }

  push(frame: unknown): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  send(): void {}

  close(): void {
    this.readyState = 3;
  }
}

function memoryStorage(): KeyValueStorage {
  const map = new Map<string, string>();
  return { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}

const controllers: ChatController[] = [];
afterEach(() => {
  for (const controller of controllers.splice(0)) controller.dispose();
  FakeSocket.all.length = 0;
});

function controllerFor(server: FakeServer, backing = memoryStorage()): ChatController {
  const controller = new ChatController({
    baseUrl: "https://chat.example",
    entryPointId: "ep_1",
    storage: new WidgetStorage("ep_1", backing),
    fetch: server.fetch,
    WebSocket: FakeSocket,
  });
  controllers.push(controller);
  return controller;
}

async function started(controller: ChatController): Promise<void> {
  await controller.start();
  await vi.waitFor(() => expect(controller.snapshot.historyLoaded).toBe(true));
}

describe("ChatController", () => {
  it("starts the session, loads the history, and sends with an idempotency key the echo is recognized by", async () => {
    const server = new FakeServer();
    server.message(BOT, "Hi! How can we help?");
    const controller = controllerFor(server);
    await started(controller);
    expect(controller.snapshot.chat?.messages.map((m) => m.content)).toEqual(["Hi! How can we help?"]);

    controller.send("Do you fix e-bikes?");
    expect(controller.snapshot.chat?.pending).toMatchObject([{ content: "Do you fix e-bikes?", status: "sending" }]);
    await vi.waitFor(() => expect(controller.snapshot.chat?.pending).toEqual([]));
    const [post] = server.posts("/messages");
    const body = post?.body as { idempotencyKey: string; metadata: Record<string, string> };
    expect(body.metadata[CLIENT_KEY]).toBe(body.idempotencyKey);
    expect(post?.authorization).toBe("Bearer token-1");
    expect(controller.snapshot.chat?.messages.map((m) => m.content)).toEqual(["Hi! How can we help?", "Do you fix e-bikes?"]);
  });

  it("delivers live events of its thread only", async () => {
    const server = new FakeServer();
    const controller = controllerFor(server);
    await started(controller);
    await vi.waitFor(() => expect(controller.snapshot.connection).toBe("open"));
    const event = (threadId: string, content: string): ThreadEvent => ({
      type: "chat.message.received",
      threadId,
      sequence: 5,
      createdAt: "2025-03-12T10:00:05.000Z",
      data: { message: { ...server.message(BOT, content), sequence: 5 } },
    });
    FakeSocket.all[0]?.push(event("thr_other", "not for this chat"));
    FakeSocket.all[0]?.push(event(THREAD, "We open at nine."));
    expect(controller.snapshot.chat?.messages.map((m) => m.content)).toEqual(["We open at nine."]);
  });

  it("keeps a failed send with its text, and a retry sends the same key", async () => {
    const server = new FakeServer();
    const controller = controllerFor(server);
    await started(controller);
    server.offline = true;
    controller.send("Are you open on Sunday?");
    await vi.waitFor(() => expect(controller.snapshot.chat?.pending[0]?.status).toBe("failed"));
    const failed = controller.snapshot.chat?.pending[0];
    expect(failed).toMatchObject({ content: "Are you open on Sunday?", error: expect.stringMatching(/offline/) });

    server.offline = false;
    controller.retry(failed?.key ?? "");
    await vi.waitFor(() => expect(controller.snapshot.chat?.pending).toEqual([]));
    expect(controller.snapshot.chat?.messages.map((m) => m.content)).toEqual(["Are you open on Sunday?"]);
    const keys = server.posts("/messages").map((r) => (r.body as { idempotencyKey: string }).idempotencyKey);
    expect(keys).toEqual([failed?.key, failed?.key]);
  });

  it("sends a text still on its way when the page went away again on the next page view, once", async () => {
    const server = new FakeServer();
    const backing = memoryStorage();
    const first = controllerFor(server, backing);
    await started(first);
    server.offline = true;
    first.send("Sent just before closing the tab");
    await vi.waitFor(() => expect(first.snapshot.chat?.pending[0]?.status).toBe("failed"));
    first.dispose();

    server.offline = false;
    const second = controllerFor(server, backing);
    await started(second);
    await vi.waitFor(() =>
      expect(second.snapshot.chat?.messages.map((m) => m.content)).toEqual(["Sent just before closing the tab"]),
    );
    expect(second.snapshot.chat?.pending).toEqual([]);
    const third = controllerFor(server, backing);
    await started(third);
    expect(server.messages).toHaveLength(1);
  });

  it("renews the token after a 401 and runs the call again", async () => {
    const server = new FakeServer();
    const controller = controllerFor(server);
    await started(controller);
    server.expireToken = true;
    controller.send("Still there?");
    await vi.waitFor(() => expect(controller.snapshot.chat?.pending).toEqual([]));
    const sends = server.posts("/messages");
    expect(sends.map((r) => r.authorization)).toEqual(["Bearer token-1", "Bearer token-2"]);
  });

  it("ends the chat, then starts a new conversation on request", async () => {
    const server = new FakeServer();
    const controller = controllerFor(server);
    await started(controller);
    await controller.resolve();
    expect(controller.snapshot.conversation?.status).toBe("resolved");
    expect(controller.snapshot.connection).toBe("idle");

    await controller.startNew();
    await vi.waitFor(() => expect(controller.snapshot.historyLoaded).toBe(true));
    expect(controller.snapshot.conversation).toMatchObject({ id: "cnv_2", status: "bot" });
    expect(server.posts("/v1/widget/sessions").at(-1)?.body).toEqual({
      entryPointId: "ep_1",
      sessionSecret: "secret",
      newConversation: true,
    });
  });
});
