import type { IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type ClientFrame,
  type Conversation,
  type IdentityFrame,
  type Offer,
  parseResumeFrom,
  type ResumePoints,
  type ServerFrame,
  type ThreadEvent,
} from "@switchboard/protocol";
import { afterEach, describe, expect, expectTypeOf, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import {
  RealtimeClient,
  type RealtimeClientOptions,
  RealtimeError,
  type RealtimeState,
  type WebSocketConstructor,
} from "./realtime.js";

/** One connection as the scripted server sees it. */
class Connection {
  readonly frames: ClientFrame[] = [];
  readonly closed: Promise<void>;
  readonly url: URL;
  #frameWaiters: (() => void)[] = [];

  constructor(
    readonly socket: WebSocket,
    request: IncomingMessage,
  ) {
    this.url = new URL(request.url ?? "/", "http://127.0.0.1");
    this.closed = new Promise((resolve) => socket.once("close", () => resolve()));
    socket.on("message", (data) => {
      this.frames.push(JSON.parse(String(data)) as ClientFrame);
      for (const wake of this.#frameWaiters.splice(0)) wake();
    });
  }

  get token(): string | null {
    return this.url.searchParams.get("token");
  }

  /** The parsed `resumeFrom` query; null when the client sent none. */
  get resumeFrom(): ResumePoints | null {
    const value = this.url.searchParams.get("resumeFrom");
    return value === null ? null : (parseResumeFrom(value) ?? null);
  }

  send(...frames: ServerFrame[]): void {
    for (const frame of frames) this.socket.send(JSON.stringify(frame));
  }

  ready(heartbeatMs = 30_000, identityId = "idn_1"): void {
    this.send({ type: "ready", connectionId: `con_${Math.random()}`, identityId, heartbeatMs });
  }

  /** Answers every ping with a pong, as a healthy server does. */
  answerPings(): void {
    this.socket.on("message", (data) => {
      const frame = JSON.parse(String(data)) as ClientFrame;
      if (frame.type === "ping") this.send({ type: "pong", ...(frame.id ? { id: frame.id } : {}) });
    });
  }

  async waitForFrame(predicate: (frame: ClientFrame) => boolean, timeoutMs = 2000): Promise<ClientFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error("No matching client frame");
      await new Promise<void>((resolve) => {
        this.#frameWaiters.push(resolve);
        setTimeout(resolve, 20);
      });
    }
  }
}

interface ScriptedServer {
  baseUrl: string;
  connections: Connection[];
  /** The next connection not yet handed out, in arrival order. */
  nextConnection(timeoutMs?: number): Promise<Connection>;
  wss: WebSocketServer;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startServer(options: { reject?: (attempt: number) => number | undefined } = {}): Promise<ScriptedServer> {
  let attempts = 0;
  const wss = new WebSocketServer({
    host: "127.0.0.1",
    port: 0,
    path: "/v1/realtime",
    verifyClient: (_info, callback) => {
      attempts++;
      const status = options.reject?.(attempts);
      if (status === undefined) callback(true);
      else callback(false, status);
    },
  });
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  const connections: Connection[] = [];
  let handedOut = 0;
  const arrivals: (() => void)[] = [];
  wss.on("connection", (socket, request) => {
    connections.push(new Connection(socket, request));
    for (const wake of arrivals.splice(0)) wake();
  });
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  );
  const { port } = wss.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    connections,
    wss,
    async nextConnection(timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs;
      while (connections.length <= handedOut) {
        if (Date.now() > deadline) throw new Error(`No connection #${handedOut + 1} within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          arrivals.push(resolve);
          setTimeout(resolve, 20);
        });
      }
      const connection = connections[handedOut++];
      if (!connection) throw new Error("unreachable");
      return connection;
    },
  };
}

function client(server: ScriptedServer, options: Partial<RealtimeClientOptions> = {}) {
  const rt = new RealtimeClient({
    baseUrl: server.baseUrl,
    token: "at_test",
    WebSocket,
    reconnect: { minDelayMs: 10, maxDelayMs: 40 },
    ...options,
  });
  const states: RealtimeState[] = [];
  const events: ThreadEvent[] = [];
  const errors: Error[] = [];
  rt.on("state", (s) => states.push(s));
  rt.on("event", (e) => events.push(e));
  rt.on("error", (e) => errors.push(e));
  cleanups.push(() => rt.close());
  return { rt, states, events, errors };
}

const at = "2025-01-01T00:00:00.000Z";

function received(threadId: string, sequence: number, content = `${threadId}#${sequence}`): ThreadEvent {
  return {
    type: "chat.message.received",
    threadId,
    sequence,
    createdAt: at,
    data: {
      message: {
        id: `msg_${threadId}_${sequence}`,
        sequence,
        senderId: "idn_2",
        senderDisplayName: "Bob",
        content,
        metadata: {},
        createdAt: at,
        editedAt: null,
        deletedAt: null,
        attachments: [],
        quickReplies: [],
        card: null,
      },
    },
  };
}

function typing(threadId: string, sequence: number): ThreadEvent {
  return { type: "chat.typing", threadId, sequence, createdAt: at, data: { identityId: "idn_2", displayName: "Bob" } };
}

const seqs = (events: ThreadEvent[]) =>
  events.map((e) => `${e.type === "chat.typing" ? "typing:" : ""}${e.threadId}:${e.sequence}`);
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("RealtimeClient", () => {
  it("accepts the browser's and the ws package's WebSocket constructors", () => {
    expectTypeOf(WebSocket).toExtend<WebSocketConstructor>();
    expectTypeOf<typeof globalThis.WebSocket>().toExtend<WebSocketConstructor>();
  });

  it("connects with the token, resolves at ready, receives events and tracks sequences per thread", async () => {
    const server = await startServer();
    const { rt, events, states } = client(server);
    const byType: string[] = [];
    rt.on("chat.message.received", (e) => byType.push(e.data.message.content));
    rt.on("chat.read", (e) => byType.push(`read:${e.data.identityId}@${e.data.readUpTo}`));

    const connecting = rt.connect();
    const conn = await server.nextConnection();
    expect(conn.token).toBe("at_test");
    expect(conn.url.pathname).toBe("/v1/realtime");
    expect(conn.resumeFrom).toBeNull();
    conn.send({ type: "ready", connectionId: "con_1", identityId: "idn_1", heartbeatMs: 30_000 });
    await expect(connecting).resolves.toEqual({ connectionId: "con_1", identityId: "idn_1", heartbeatMs: 30_000 });
    expect(rt.state).toBe("open");
    expect(rt.ready?.connectionId).toBe("con_1");

    const last = rt.waitFor((e) => e.threadId === "thr_b" && e.sequence === 5);
    conn.send(received("thr_a", 1), received("thr_a", 2), {
      type: "chat.read",
      threadId: "thr_a",
      sequence: 3,
      createdAt: at,
      data: { identityId: "idn_2", readUpTo: 2 },
    });
    conn.send(received("thr_b", 5));
    const final = await last;
    expect(final.type).toBe("chat.message.received");

    expect(seqs(events)).toEqual(["thr_a:1", "thr_a:2", "thr_a:3", "thr_b:5"]);
    expect(byType).toEqual(["thr_a#1", "thr_a#2", "read:idn_2@2", "thr_b#5"]);
    expect(rt.resumePoints()).toEqual({ thr_a: 3, thr_b: 5 });
    expect(rt.lastSequence("thr_a")).toBe(3);
    expect(rt.lastSequence("thr_c")).toBeUndefined();
    expect(rt.stats).toEqual({ duplicatesDropped: 0, gapsDetected: 0, reconnects: 0, heartbeatTimeouts: 0 });
    expect(states).toEqual(["connecting", "open"]);
  });

  it("reconnects after the server kills the socket, resumes from the last sequences and drops re-sent duplicates", async () => {
    const server = await startServer();
    let tokens = 0;
    const { rt, events, states } = client(server, {
      token: async () => {
        tokens++;
        return `at_${tokens}`;
      },
    });
    const connecting = rt.connect();
    const first = await server.nextConnection();
    first.ready();
    await connecting;
    const seen = rt.waitFor((e) => e.threadId === "thr_b" && e.sequence === 1);
    first.send(received("thr_a", 1), received("thr_a", 2), received("thr_a", 3), received("thr_b", 1));
    await seen;

    first.socket.terminate();
    const second = await server.nextConnection();
    expect(second.token).toBe("at_2");
    expect(second.resumeFrom).toEqual({ thr_a: 3, thr_b: 1 });
    expect(states).toEqual(["connecting", "open", "reconnecting"]);

    second.ready();
    const done = rt.waitFor((e) => e.threadId === "thr_b" && e.sequence === 2);
    // A careless server replays from too early: the client must not emit those twice.
    second.send(
      received("thr_a", 2),
      received("thr_a", 3),
      received("thr_a", 4),
      received("thr_b", 1),
      received("thr_a", 3),
      received("thr_b", 2),
    );
    await done;
    expect(seqs(events)).toEqual(["thr_a:1", "thr_a:2", "thr_a:3", "thr_b:1", "thr_a:4", "thr_b:2"]);
    expect(rt.stats.duplicatesDropped).toBe(4);
    expect(rt.stats.reconnects).toBe(1);
    expect(rt.resumePoints()).toEqual({ thr_a: 4, thr_b: 2 });
    expect(states).toEqual(["connecting", "open", "reconnecting", "open"]);

    // And once more: the next resume carries the newer points.
    second.socket.terminate();
    const third = await server.nextConnection();
    expect(third.resumeFrom).toEqual({ thr_a: 4, thr_b: 2 });
    expect(third.token).toBe("at_3");
  });

  it("typing events neither move sequences nor get dropped as duplicates", async () => {
    const server = await startServer();
    const { rt, events } = client(server);
    const typingSeen: string[] = [];
    rt.on("chat.typing", (e) => typingSeen.push(`${e.threadId}:${e.data.displayName}`));
    const connecting = rt.connect();
    const conn = await server.nextConnection();
    conn.ready();
    await connecting;

    const done = rt.waitFor((e) => e.threadId === "thr_c" && e.type === "chat.message.received");
    conn.send(
      received("thr_a", 5),
      typing("thr_a", 5),
      typing("thr_a", 5),
      received("thr_a", 6),
      // Typing in a thread not seen yet carries its current sequence: that must not become a resume point,
      // or the stored event with the same sequence would be dropped.
      typing("thr_c", 10),
      received("thr_c", 10),
    );
    await done;
    expect(seqs(events)).toEqual(["thr_a:5", "typing:thr_a:5", "typing:thr_a:5", "thr_a:6", "typing:thr_c:10", "thr_c:10"]);
    expect(typingSeen).toEqual(["thr_a:Bob", "thr_a:Bob", "thr_c:Bob"]);
    expect(rt.resumePoints()).toEqual({ thr_a: 6, thr_c: 10 });
    expect(rt.stats.duplicatesDropped).toBe(0);

    const typingOnly = rt.waitFor((e) => e.type === "chat.typing" && e.threadId === "thr_d");
    conn.send(typing("thr_d", 3));
    await typingOnly;
    expect(rt.lastSequence("thr_d")).toBeUndefined();

    expect(rt.typing("thr_a")).toBe(true);
    expect(await conn.waitForFrame((f) => f.type === "typing")).toEqual({ type: "typing", threadId: "thr_a" });
  });

  it("pings at heartbeatMs and reconnects when the server stops answering", async () => {
    const server = await startServer();
    const { rt, states, errors } = client(server);
    const connecting = rt.connect();
    const silent = await server.nextConnection();
    silent.ready(50);
    await connecting;
    const readyAt = Date.now();

    // This server never answers pings: after 2 × 50 ms of silence the client gives up on it.
    await silent.closed;
    const deadAfter = Date.now() - readyAt;
    expect(deadAfter).toBeGreaterThanOrEqual(90);
    expect(deadAfter).toBeLessThan(1000);
    const pings = silent.frames.filter((f) => f.type === "ping");
    expect(pings.length).toBeGreaterThanOrEqual(1);
    expect(pings[0]).toEqual({ type: "ping", id: "1" });
    expect(rt.stats.heartbeatTimeouts).toBe(1);
    expect(errors.some((e) => e.message.includes("No frame from the server"))).toBe(true);

    const healthy = await server.nextConnection();
    // It had reached ready once, so it resumes even though no events were seen yet.
    expect(healthy.resumeFrom).toEqual({});
    healthy.answerPings();
    healthy.ready(100);
    await delay(700);
    expect(server.connections).toHaveLength(2);
    expect(rt.state).toBe("open");
    expect(rt.stats.heartbeatTimeouts).toBe(1);
    expect(healthy.frames.filter((f) => f.type === "ping").length).toBeGreaterThanOrEqual(4);
    expect(states).toEqual(["connecting", "open", "reconnecting", "open"]);
  });

  it("close() closes for good: no reconnect, pending waits rejected", async () => {
    const server = await startServer();
    const { rt, states } = client(server);
    const connecting = rt.connect();
    const conn = await server.nextConnection();
    conn.ready();
    await connecting;
    const waiting = rt.waitFor(() => true, 10_000);

    rt.close();
    await expect(waiting).rejects.toThrow("closed");
    await conn.closed;
    await delay(200);
    expect(server.connections).toHaveLength(1);
    expect(rt.state).toBe("closed");
    expect(states).toEqual(["connecting", "open", "closed"]);
    expect(rt.typing("thr_a")).toBe(false);
  });

  it("close() while connecting rejects connect() and opens nothing later", async () => {
    const server = await startServer();
    const { rt, states } = client(server, {
      token: () => new Promise((resolve) => setTimeout(() => resolve("late"), 50)),
    });
    const connecting = rt.connect();
    rt.close();
    await expect(connecting).rejects.toThrow("closed");
    await delay(150);
    expect(server.connections).toHaveLength(0);
    expect(states).toEqual(["connecting", "closed"]);
  });

  it("can connect again after close(), resuming where it stopped", async () => {
    const server = await startServer();
    const { rt } = client(server);
    const first = rt.connect();
    const conn = await server.nextConnection();
    conn.ready();
    await first;
    const seen = rt.waitFor((e) => e.sequence === 2);
    conn.send(received("thr_a", 1), received("thr_a", 2));
    await seen;
    rt.close();

    const again = rt.connect();
    const next = await server.nextConnection();
    expect(next.resumeFrom).toEqual({ thr_a: 2 });
    next.ready();
    await again;
    expect(rt.state).toBe("open");
  });

  it("starts from the given resume points", async () => {
    const server = await startServer();
    const { rt, events } = client(server, { resumeFrom: { thr_a: 7, "thr:colon": 2 } });
    const connecting = rt.connect();
    const conn = await server.nextConnection();
    expect(conn.resumeFrom).toEqual({ thr_a: 7, "thr:colon": 2 });
    conn.ready();
    await connecting;
    const done = rt.waitFor((e) => e.sequence === 8);
    conn.send(received("thr_a", 7), received("thr_a", 8));
    await done;
    expect(seqs(events)).toEqual(["thr_a:8"]);
    expect(rt.stats.duplicatesDropped).toBe(1);
  });

  it("resumes on the first connection when given empty resume points, and not without any", async () => {
    const server = await startServer();
    const withEmpty = client(server, { resumeFrom: {} }).rt;
    void withEmpty.connect();
    expect((await server.nextConnection()).resumeFrom).toEqual({});
    const without = client(server).rt;
    void without.connect();
    expect((await server.nextConnection()).resumeFrom).toBeNull();
    withEmpty.close();
    without.close();
  });

  it("keeps retrying the first connection until the server accepts it", async () => {
    const server = await startServer({ reject: (attempt) => (attempt <= 2 ? 503 : undefined) });
    const { rt, errors, states } = client(server);
    const connecting = rt.connect();
    const conn = await server.nextConnection();
    conn.ready();
    await expect(connecting).resolves.toMatchObject({ identityId: "idn_1" });
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(states).toEqual(["connecting", "open"]);
    expect(conn.resumeFrom).toBeNull();
  });

  it("drops a connection that never sends ready and tries again", async () => {
    const server = await startServer();
    const { rt, errors } = client(server, { connectTimeoutMs: 100 });
    const connecting = rt.connect();
    const mute = await server.nextConnection();
    await mute.closed;
    const second = await server.nextConnection();
    second.ready();
    await connecting;
    expect(errors.map((e) => e.message)).toContain("The server did not send ready in time");
    expect(rt.state).toBe("open");
  });

  it("reports an error frame as a RealtimeError and stays open", async () => {
    const server = await startServer();
    const { rt, errors } = client(server);
    const connecting = rt.connect();
    const conn = await server.nextConnection();
    conn.ready();
    await connecting;
    const gotError = new Promise<Error>((resolve) => rt.on("error", resolve));
    conn.send({ type: "error", code: "thread.not_found", title: "Thread not found", detail: "thr_x" });
    const error = await gotError;
    expect(error).toBeInstanceOf(RealtimeError);
    expect((error as RealtimeError).code).toBe("thread.not_found");
    expect(error.message).toBe("Thread not found: thr_x");
    expect(errors).toHaveLength(1);
    expect(rt.state).toBe("open");
  });

  it("a throwing listener does not stop delivery or tracking", async () => {
    const server = await startServer();
    const { rt, events, errors } = client(server);
    rt.on("chat.message.received", () => {
      throw new Error("listener bug");
    });
    const connecting = rt.connect();
    const conn = await server.nextConnection();
    conn.ready();
    await connecting;
    const done = rt.waitFor((e) => e.sequence === 2);
    conn.send(received("thr_a", 1), received("thr_a", 2));
    await done;
    expect(seqs(events)).toEqual(["thr_a:1", "thr_a:2"]);
    expect(rt.lastSequence("thr_a")).toBe(2);
    expect(errors.map((e) => e.message)).toEqual(["listener bug", "listener bug"]);
  });

  it("counts a gap in a thread's sequences", async () => {
    const server = await startServer();
    const { rt, events } = client(server);
    const connecting = rt.connect();
    const conn = await server.nextConnection();
    conn.ready();
    await connecting;
    const done = rt.waitFor((e) => e.sequence === 5);
    conn.send(received("thr_a", 1), received("thr_a", 2), received("thr_a", 5));
    await done;
    expect(seqs(events)).toEqual(["thr_a:1", "thr_a:2", "thr_a:5"]);
    expect(rt.stats.gapsDetected).toBe(1);
  });

  it("waitFor rejects after its timeout", async () => {
    const server = await startServer();
    const { rt } = client(server);
    await expect(rt.waitFor(() => true, 50)).rejects.toThrow("No matching real-time event within 50 ms");
  });

  it("surfaces identity frames by type and as `frame`, never deduplicated and never part of a resume", async () => {
    const server = await startServer();
    const { rt, events } = client(server);
    const frames: IdentityFrame[] = [];
    const offers: string[] = [];
    const presences: string[] = [];
    rt.on("frame", (f) => frames.push(f));
    rt.on("routing.offer", (f) => offers.push(f.offer.id));
    rt.on("routing.presence", (f) => presences.push(`${f.presence}/${f.load}`));
    const ended = new Promise<string>((resolve) => rt.on("routing.offer_ended", (f) => resolve(`${f.offerId}:${f.outcome}`)));

    const connecting = rt.connect();
    const conn = await server.nextConnection();
    conn.ready();
    await connecting;
    const last = rt.waitFor((e) => e.sequence === 2);
    const presence: ServerFrame = { type: "routing.presence", presence: "available", load: 1 };
    conn.send(received("thr_a", 1), { type: "routing.offer", offer: offer("ofr_1") }, presence, presence);
    // Unknown to this version, and a frame whose type could pass for one of the client's own events.
    conn.socket.send(JSON.stringify({ type: "routing.future", whatever: true }));
    conn.socket.send(JSON.stringify({ type: "state", value: "bogus" }));
    conn.send({ type: "routing.offer_ended", offerId: "ofr_1", outcome: "accepted" }, received("thr_a", 2));
    await last;
    await expect(ended).resolves.toBe("ofr_1:accepted");

    expect(offers).toEqual(["ofr_1"]);
    expect(presences).toEqual(["available/1", "available/1"]);
    expect(frames.map((f) => f.type)).toEqual([
      "routing.offer",
      "routing.presence",
      "routing.presence",
      "routing.future",
      "routing.offer_ended",
    ]);
    expect(seqs(events)).toEqual(["thr_a:1", "thr_a:2"]);
    expect(rt.resumePoints()).toEqual({ thr_a: 2 });
    expect(rt.stats.duplicatesDropped).toBe(0);

    // After a reconnect the resume names threads only.
    conn.socket.terminate();
    const again = await server.nextConnection();
    expect(again.resumeFrom).toEqual({ thr_a: 2 });
  });
});

function offer(id: string): Offer {
  const conversation: Conversation = {
    id: "cnv_1",
    threadId: "thr_a",
    channel: "web_chat",
    entryPointId: "ep_1",
    customerIdentityId: "idn_c",
    customerId: null,
    verified: false,
    status: "awaiting_agent",
    intent: null,
    queue: "support",
    handoff: null,
    agentId: null,
    wrapUpCode: null,
    queuePosition: 1,
    createdAt: at,
    updatedAt: at,
    awaitingSince: at,
    resolvedAt: null,
  };
  return {
    id,
    jobId: "job_1",
    conversationId: conversation.id,
    queueId: "que_1",
    queueName: "support",
    channel: "chat",
    call: null,
    issuedAt: at,
    expiresAt: at,
    conversation,
  };
}
