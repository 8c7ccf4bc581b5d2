import { randomBytes } from "node:crypto";
import http from "node:http";
import net from "node:net";
import type { ThreadEvent } from "@switchboard/protocol";
import { RealtimeClient } from "@switchboard/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { customer, DATABASES, type RunningServer, startServer } from "../testing/harness.js";

/** A TCP proxy the test can cut, like a network that drops every connection at once. */
async function cuttableProxy(targetPort: number) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((inbound) => {
    const outbound = net.connect(targetPort, "127.0.0.1");
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {});
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    cut() {
      for (const s of sockets) s.destroy();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const storedSequences = (events: readonly ThreadEvent[], threadId: string) =>
  events.filter((e) => e.threadId === threadId && e.type !== "chat.typing").map((e) => e.sequence);

/** Waits until an event matching the predicate has been recorded (it may have arrived already). */
async function until(
  events: readonly ThreadEvent[],
  predicate: (e: ThreadEvent) => boolean,
  timeout = 5000,
): Promise<ThreadEvent> {
  await expect.poll(() => events.some(predicate), { timeout, interval: 10 }).toBe(true);
  return events.find(predicate) as ThreadEvent;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Attempts a WebSocket upgrade that the server should refuse; returns the status and problem code. */
function refusedUpgrade(url: string): Promise<{ status: number; code: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, {
      headers: {
        connection: "Upgrade",
        upgrade: "websocket",
        "sec-websocket-version": "13",
        "sec-websocket-key": randomBytes(16).toString("base64"),
      },
    });
    request.on("upgrade", () => reject(new Error("the server accepted the upgrade")));
    request.on("response", (response) => {
      let body = "";
      response.on("data", (chunk) => {
        body += chunk;
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, code: JSON.parse(body).code }));
    });
    request.on("error", reject);
  });
}

describe.each(DATABASES)("real-time delivery on %s", (database) => {
  let running: RunningServer;
  beforeAll(async () => {
    running = await startServer(database);
  });
  afterAll(async () => {
    await running?.close();
  });

  const connect = async (token: string, baseUrl = running.baseUrl, resumeFrom?: Record<string, number>) => {
    const events: ThreadEvent[] = [];
    const client = new RealtimeClient({
      baseUrl,
      token,
      WebSocket: WebSocket as never,
      reconnect: { minDelayMs: 50, maxDelayMs: 200 },
      ...(resumeFrom ? { resumeFrom } : {}),
    });
    client.on("event", (e) => events.push(e));
    await client.connect();
    return { client, events };
  };

  it("delivers every kind of thread event live to every participant, and typing to the others", async () => {
    const ada = await customer(running, "Ada");
    const bob = await customer(running, "Bob");
    const adaSocket = await connect(ada.token);
    const bobSocket = await connect(bob.token);
    const thread = await ada.client.chat.createThread({ topic: "live", participants: [{ id: bob.id }] });
    const added = await until(bobSocket.events, (e) => e.threadId === thread.id && e.type === "chat.participants.added");
    expect(added.sequence).toBe(1);

    const sent = await ada.client.chat.thread(thread.id).send("hello Bob");
    const received = await until(bobSocket.events, (e) => e.type === "chat.message.received" && e.threadId === thread.id);
    expect(received).toMatchObject({ sequence: 2, data: { message: { id: sent.id, content: "hello Bob", senderId: ada.id } } });

    expect(bobSocket.client.typing(thread.id)).toBe(true);
    const typing = await until(adaSocket.events, (e) => e.type === "chat.typing");
    expect(typing).toMatchObject({ threadId: thread.id, sequence: 2, data: { identityId: bob.id, displayName: "Bob" } });

    await ada.client.chat.thread(thread.id).edit(sent.id, { content: "hello, Bob" });
    await ada.client.chat.thread(thread.id).delete(sent.id);
    await bob.client.chat.thread(thread.id).markRead(3);
    await ada.client.chat.thread(thread.id).update({ topic: "live (renamed)" });
    await ada.client.chat.thread(thread.id).removeParticipant(bob.id);
    await ada.client.chat.thread(thread.id).send("Bob no longer hears this");
    await until(adaSocket.events, (e) => e.threadId === thread.id && e.sequence === 8);

    const types = (events: ThreadEvent[]) => events.filter((e) => e.threadId === thread.id).map((e) => `${e.sequence} ${e.type}`);
    expect(types(adaSocket.events)).toEqual([
      "1 chat.participants.added",
      "2 chat.message.received",
      "2 chat.typing",
      "3 chat.message.edited",
      "4 chat.message.deleted",
      "5 chat.read",
      "6 chat.thread.updated",
      "7 chat.participants.removed",
      "8 chat.message.received",
    ]);
    // Bob saw his own removal and nothing after it; his own typing is not echoed back to him.
    expect(bobSocket.events.filter((e) => e.threadId === thread.id).map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    adaSocket.client.close();
    bobSocket.client.close();
  });

  it("after the network drops mid-stream, the client resumes and gets every missed event exactly once", async () => {
    const ada = await customer(running, "Ada");
    const bob = await customer(running, "Bob");
    const thread = await ada.client.chat.createThread({ topic: "resume", participants: [{ id: bob.id }] });
    const proxy = await cuttableProxy(Number(new URL(running.baseUrl).port));
    const bobSocket = await connect(bob.token, proxy.url, { [thread.id]: 1 });
    const total = 150;
    let cuts = 0;
    for (let i = 1; i <= total; i++) {
      await ada.client.chat.thread(thread.id).send({ content: `message ${i}`, idempotencyKey: `m-${i}` });
      // Cut the network twice while messages are flowing.
      if (i === 40 || i === 100) {
        proxy.cut();
        cuts += 1;
      }
    }
    const last = total + 1;
    await until(bobSocket.events, (e) => e.threadId === thread.id && e.sequence === last, 15_000);
    expect(cuts).toBe(2);
    expect(bobSocket.client.stats.reconnects).toBeGreaterThanOrEqual(2);
    expect(storedSequences(bobSocket.events, thread.id)).toEqual(range(2, last));
    expect(bobSocket.client.stats.duplicatesDropped).toBe(0);
    const contents = bobSocket.events.flatMap((e) => (e.type === "chat.message.received" ? [e.data.message.content] : []));
    expect(contents).toEqual(range(1, total).map((i) => `message ${i}`));
    bobSocket.client.close();
    await proxy.close();
  });

  it("replays from ?resumeFrom, and from the joining point for threads the client did not name", async () => {
    const ada = await customer(running, "Ada");
    const bob = await customer(running, "Bob");
    const named = await ada.client.chat.createThread({ topic: "named", participants: [{ id: bob.id }] });
    for (let i = 0; i < 5; i++) await ada.client.chat.thread(named.id).send(`n${i}`);
    // Bob is added to this thread while offline, after three messages.
    const unnamed = await ada.client.chat.createThread({ topic: "unnamed" });
    for (let i = 0; i < 3; i++) await ada.client.chat.thread(unnamed.id).send(`u${i}`);
    await ada.client.chat.thread(unnamed.id).addParticipants({ participants: [{ id: bob.id }] });
    await ada.client.chat.thread(unnamed.id).send("welcome Bob");

    const frames: { type: string; threadId?: string; sequence?: number }[] = [];
    const url = `${running.baseUrl.replace("http", "ws")}/v1/realtime?token=${bob.token}&resumeFrom=${named.id}:3`;
    const socket = new WebSocket(url);
    socket.on("message", (data) => frames.push(JSON.parse(data.toString())));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out with ${JSON.stringify(frames)}`)), 5000);
      const check = setInterval(() => {
        if (frames.filter((f) => f.threadId).length >= 5) {
          clearInterval(check);
          clearTimeout(timer);
          resolve();
        }
      }, 20);
    });
    socket.close();
    expect(frames[0]?.type).toBe("ready");
    const of = (id: string) => frames.filter((f) => f.threadId === id).map((f) => f.sequence);
    expect(of(named.id)).toEqual([4, 5, 6]);
    expect(of(unnamed.id)).toEqual([5, 6]);
  });

  it("refuses a malformed resume point and an API key before upgrading, with a problem", async () => {
    const ada = await customer(running, "Ada");
    expect(await refusedUpgrade(`${running.baseUrl}/v1/realtime?token=${ada.token}&resumeFrom=nonsense`)).toEqual({
      status: 400,
      code: "realtime.invalid_resume",
    });
    expect(await refusedUpgrade(`${running.baseUrl}/v1/realtime?token=${running.apiKey}`)).toEqual({
      status: 403,
      code: "realtime.identity_required",
    });
    expect(await refusedUpgrade(`${running.baseUrl}/v1/realtime`)).toEqual({ status: 401, code: "auth.missing" });
  });
});

describe("socket lifetime", () => {
  let running: RunningServer;
  beforeAll(async () => {
    running = await startServer("sqlite", { heartbeatMs: 200 });
  });
  afterAll(async () => {
    await running?.close();
  });

  it("closes a socket that stops answering pings within two heartbeat intervals", async () => {
    const ada = await customer(running, "Ada");
    // A client that completes the WebSocket handshake and then goes silent: it never answers a ping.
    const port = Number(new URL(running.baseUrl).port);
    const raw = net.connect(port, "127.0.0.1");
    const closed = new Promise<void>((resolve) => raw.on("close", () => resolve()));
    let handshake = "";
    raw.on("data", (chunk) => {
      handshake += chunk.toString("latin1");
    });
    raw.write(
      `GET /v1/realtime?token=${ada.token} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
        `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${randomBytes(16).toString("base64")}\r\n\r\n`,
    );
    await expect.poll(() => handshake.startsWith("HTTP/1.1 101"), { timeout: 3000 }).toBe(true);
    await expect.poll(() => running.server.hub.connectionCount, { timeout: 3000 }).toBe(1);
    // The server pings, finds the ping unanswered one interval later, and drops the connection.
    await closed;
    await expect.poll(() => running.server.hub.connectionCount).toBe(0);
  });

  it("closes a socket with code 4001 when its access token expires", async () => {
    const ada = await customer(running, "Ada");
    const tenant = await running.admin.tenants.current();
    const now = new Date();
    const shortLived = await running.server.domain.identity.tokens.sign(
      { tenantId: tenant.id, identityId: ada.id, scopes: ["chat"], expiresAt: new Date(now.getTime() + 1500) },
      now,
    );
    const socket = new WebSocket(`${running.baseUrl.replace("http", "ws")}/v1/realtime?token=${shortLived}`);
    const code = await new Promise<number>((resolve) => socket.on("close", (c) => resolve(c)));
    expect(code).toBe(4001);
  });
});
