import type { Conversation } from "@switchboard/protocol";
import type { SwitchboardClient } from "@switchboard/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { DATABASES, type RunningServer, startServer } from "../testing/harness.js";

interface Frame {
  type: string;
  [key: string]: unknown;
}

describe.each(DATABASES)("routing to human agents on %s", (database) => {
  let running: RunningServer;
  let entryPointId: string;
  let supportQueueId: string;

  beforeAll(async () => {
    running = await startServer(database);
    const [entryPoint] = await running.admin.entryPoints.list();
    entryPointId = (await running.admin.entryPoints.update(entryPoint?.id ?? "", { allowedOrigins: ["*"] })).id;
    supportQueueId = (await queues()).find((q) => q.name === "support")?.id ?? "";
    await patchQueue(supportQueueId, { wrapUpSeconds: 0 });
  });
  afterAll(async () => {
    await running?.close();
  });

  const api = async (path: string, init: { method?: string; token?: string; body?: unknown } = {}) => {
    const response = await fetch(`${running.baseUrl}${path}`, {
      method: init.method ?? "GET",
      headers: {
        authorization: `Bearer ${init.token ?? running.apiKey}`,
        ...(init.body ? { "content-type": "application/json" } : {}),
      },
      ...(init.body ? { body: JSON.stringify(init.body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const queues = async () => (await api("/v1/queues")).body.items as { id: string; name: string }[];
  const patchQueue = (id: string, body: unknown) => api(`/v1/queues/${id}`, { method: "PATCH", body });

  /** A signed-in agent with a socket that records the frames addressed to them. */
  async function agent(name: string) {
    const email = `${name.toLowerCase()}.${Math.random().toString(36).slice(2)}@demo.example`;
    await running.admin.users.create({ email, displayName: name, role: "agent", password: "a long password" });
    const { token, user } = await running.client("").auth.signIn({ tenant: "demo", email, password: "a long password" });
    const frames: Frame[] = [];
    const socket = new WebSocket(`${running.baseUrl.replace("http", "ws")}/v1/realtime?token=${token}`);
    socket.on("message", (data) => frames.push(JSON.parse(data.toString())));
    await new Promise<void>((resolve) => socket.once("open", () => resolve()));
    await expect.poll(() => frames.some((f) => f.type === "ready")).toBe(true);
    const me = async () => (await api("/v1/agent/me", { token })).body;
    await me();
    const setPresence = (presence: string) => api("/v1/agent/presence", { method: "PUT", token, body: { presence } });
    const nextOffer = async () => {
      await expect.poll(() => frames.some((f) => f.type === "routing.offer"), { timeout: 5000 }).toBe(true);
      const index = frames.findIndex((f) => f.type === "routing.offer");
      const [frame] = frames.splice(index, 1);
      return (frame as unknown as { offer: { id: string; conversationId: string; expiresAt: string } }).offer;
    };
    return {
      name,
      token,
      identityId: user.identityId,
      frames,
      socket,
      me,
      setPresence,
      nextOffer,
      client: running.client(token),
    };
  }

  /** A visitor in the widget who asks for a person. */
  async function waitingCustomer(): Promise<{ conversation: Conversation; client: SwitchboardClient }> {
    const session = await api("/v1/widget/sessions", { body: { entryPointId }, method: "POST" });
    const client = running.client(session.body.token);
    await running.server.domain.bot.idle();
    await client.chat.thread(session.body.conversation.threadId).send("I want to talk to a person");
    await running.server.domain.bot.idle();
    await running.server.domain.routing.flush();
    return { conversation: await client.conversations.get(session.body.conversation.id), client };
  }

  it("offers a handed-off conversation to an available agent, who accepts and chats with the customer", async () => {
    const sam = await agent("Sam");
    // A new agent serves every queue of the tenant: the chat queue, and the demo's call queues.
    expect((await sam.me()).worker).toMatchObject({ presence: "offline" });
    expect((await sam.me()).worker.settings.queueIds).toContain(supportQueueId);
    await sam.setPresence("available");
    const { conversation, client: customer } = await waitingCustomer();
    expect(conversation.status).toBe("awaiting_agent");

    const offer = await sam.nextOffer();
    expect(offer.conversationId).toBe(conversation.id);
    expect(new Date(offer.expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect((await sam.me()).offers.map((o: { id: string }) => o.id)).toEqual([offer.id]);

    const accepted = await api(`/v1/offers/${offer.id}/accept`, { method: "POST", token: sam.token });
    expect(accepted.body).toMatchObject({ status: "with_agent", agentId: sam.identityId });
    await expect.poll(() => sam.frames.some((f) => f.type === "routing.offer_ended" && f.outcome === "accepted")).toBe(true);
    await expect.poll(() => sam.frames.some((f) => f.type === "routing.presence" && f.load === 1)).toBe(true);
    const mine = await sam.me();
    expect(mine.conversations.map((c: Conversation) => c.id)).toEqual([conversation.id]);
    expect(mine.worker.load).toBe(1);

    await sam.client.chat.thread(conversation.threadId).send("Hi, I'm Sam. How can I help?");
    const seen = await customer.chat.thread(conversation.threadId).messages();
    expect(seen.items.map((m) => m.content)).toContain("Hi, I'm Sam. How can I help?");
    expect((await customer.conversations.get(conversation.id)).agentId).toBe(sam.identityId);

    const resolved = await api(`/v1/conversations/${conversation.id}/resolve`, {
      method: "POST",
      token: sam.token,
      body: { wrapUpCode: "resolved" },
    });
    expect(resolved.body).toMatchObject({ status: "resolved", wrapUpCode: "resolved" });
    await running.server.domain.routing.flush();
    expect((await sam.me()).worker.load).toBe(0);
    const timeline = await running.admin.conversations.timeline(conversation.id);
    expect(timeline.map((e) => e.type)).toEqual(expect.arrayContaining(["conversation.assigned", "conversation.resolved"]));
    // Supervisors can read what routing did with it, and why.
    const log = await api(`/v1/conversations/${conversation.id}/routing`);
    expect(log.body.items.map((e: { type: string }) => e.type)).toEqual([
      "job.queued",
      "offer.issued",
      "offer.accepted",
      "job.assigned",
      "job.completed",
    ]);
    expect(log.body.items.every((e: { reason: string }) => e.reason.length > 0)).toBe(true);
    expect((await api(`/v1/conversations/${conversation.id}/routing`, { token: sam.token })).status).toBe(403);
    sam.socket.close();
    await sam.setPresence("offline");
  });

  it("gives a declined offer to the next agent, and a transfer to a named colleague", async () => {
    const ana = await agent("Ana");
    const ben = await agent("Ben");
    await ana.setPresence("available");
    await ben.setPresence("available");
    const { conversation } = await waitingCustomer();
    const first = await Promise.race([
      ana.nextOffer().then((o) => ({ o, who: ana, other: ben })),
      ben.nextOffer().then((o) => ({ o, who: ben, other: ana })),
    ]);
    expect(first.o.conversationId).toBe(conversation.id);
    expect((await api(`/v1/offers/${first.o.id}/decline`, { method: "POST", token: first.who.token })).status).toBe(204);
    const second = await first.other.nextOffer();
    expect(second.conversationId).toBe(conversation.id);
    await api(`/v1/offers/${second.id}/accept`, { method: "POST", token: first.other.token });

    const transfer = await api(`/v1/conversations/${conversation.id}/transfer`, {
      method: "POST",
      token: first.other.token,
      body: { workerId: first.who.identityId, note: "billing question, you know this customer" },
    });
    expect(transfer.body).toMatchObject({ status: "awaiting_agent" });
    const directed = await first.who.nextOffer();
    const taken = await api(`/v1/offers/${directed.id}/accept`, { method: "POST", token: first.who.token });
    expect(taken.body).toMatchObject({ status: "with_agent", agentId: first.who.identityId });
    const participants = await running.admin.chat.thread(conversation.threadId).participants();
    expect(participants.map((p) => p.id)).toContain(first.who.identityId);
    expect(participants.map((p) => p.id)).not.toContain(first.other.identityId);
    await api(`/v1/conversations/${conversation.id}/resolve`, { method: "POST", token: first.who.token, body: {} });
    for (const a of [ana, ben]) {
      a.socket.close();
      await a.setPresence("offline");
    }
  });

  it("carries out the no-agents redirect: the customer is asked to leave a message", async () => {
    const quiet = await api("/v1/queues", {
      method: "POST",
      body: { name: `quiet-${database}`, noAgents: { when: "none_signed_in", target: { kind: "leave_message" } } },
    });
    expect(quiet.status).toBe(201);
    const entry = await running.admin.entryPoints.create({
      name: "Quiet line",
      botIdentityId: (await running.admin.entryPoints.get(entryPointId)).botIdentityId,
      handoffQueue: `quiet-${database}`,
      allowedOrigins: ["*"],
    });
    const session = await api("/v1/widget/sessions", { method: "POST", body: { entryPointId: entry.id } });
    const client = running.client(session.body.token);
    await running.server.domain.bot.idle();
    await client.chat.thread(session.body.conversation.threadId).send("agent please");
    await running.server.domain.bot.idle();
    await running.server.domain.routing.flush();
    await expect
      .poll(async () =>
        (await client.chat.thread(session.body.conversation.threadId).messages()).items.map((m) => m.content).join("\n"),
      )
      .toContain("Leave us a message");
    // Out of routing, waiting for follow-up; a restart does not queue it again.
    await expect.poll(async () => (await client.conversations.get(session.body.conversation.id)).status).toBe("follow_up");
    const timeline = await running.admin.conversations.timeline(session.body.conversation.id);
    expect(timeline.map((e) => e.type)).toContain("conversation.left_for_follow_up");
  });

  it("fires the timeout redirect when nobody answers in time", async () => {
    const hurried = await api("/v1/queues", {
      method: "POST",
      body: {
        name: `hurried-${database}`,
        timeout: { seconds: 1, target: { kind: "end", message: "Sorry, nobody could answer. We'll email you." } },
      },
    });
    const entry = await running.admin.entryPoints.create({
      name: "Hurried line",
      botIdentityId: (await running.admin.entryPoints.get(entryPointId)).botIdentityId,
      handoffQueue: hurried.body.name,
      allowedOrigins: ["*"],
    });
    const session = await api("/v1/widget/sessions", { method: "POST", body: { entryPointId: entry.id } });
    const client = running.client(session.body.token);
    await running.server.domain.bot.idle();
    await client.chat.thread(session.body.conversation.threadId).send("talk to a human");
    await running.server.domain.bot.idle();
    await expect
      .poll(async () => (await client.conversations.get(session.body.conversation.id)).status, { timeout: 5000 })
      .toBe("resolved");
    const said = (await client.chat.thread(session.body.conversation.threadId).messages()).items.map((m) => m.content);
    expect(said).toContain("Sorry, nobody could answer. We'll email you.");
  });

  it("sends a handoff where its intent's rule says, with the rule's priority", async () => {
    const settings = await running.admin.knowledge.botSettings();
    await running.admin.knowledge.saveBotSettings({
      ...settings,
      intents: settings.intents.map((i) =>
        i.name === "complaint" ? { ...i, routing: { queue: `Complaints ${database}`, priority: 2 } } : i,
      ),
    });
    const session = await api("/v1/widget/sessions", { method: "POST", body: { entryPointId } });
    const client = running.client(session.body.token);
    await running.server.domain.bot.idle();
    await client.chat.thread(session.body.conversation.threadId).send("I want to make a complaint");
    await running.server.domain.bot.idle();
    await running.server.domain.routing.flush();
    await expect
      .poll(async () => (await client.conversations.get(session.body.conversation.id)).queue)
      .toBe(`Complaints ${database}`);
    const complaints = (await queues()).find((q) => q.name === `Complaints ${database}`);
    expect(complaints).toBeDefined();
    const live = await api("/v1/supervisor/live");
    expect(live.body.queues.find((q: { id: string }) => q.id === complaints?.id)?.waiting).toBe(1);
    await running.admin.knowledge.saveBotSettings(settings);
  });

  it("shows supervisors the queues and agents, and keeps agents from other tenants' offers", async () => {
    const { conversation } = await waitingCustomer();
    const live = await api("/v1/supervisor/live");
    const support = live.body.queues.find((q: { id: string }) => q.id === supportQueueId);
    expect(support.waiting).toBeGreaterThanOrEqual(1);
    expect(support.longestWaitSeconds).toBeGreaterThanOrEqual(0);
    const agentToken = (await agent("Cleo")).token;
    expect((await api("/v1/supervisor/live", { token: agentToken })).status).toBe(403);

    const other = await running.platform.tenants.create({ slug: `other-routing-${database}`, name: "Other" });
    await running
      .client(other.apiKey.key)
      .users.create({ email: "eve@other.example", displayName: "Eve", role: "agent", password: "a long password" });
    const eve = await running
      .client("")
      .auth.signIn({ tenant: `other-routing-${database}`, email: "eve@other.example", password: "a long password" });
    const offers = running.server.domain.routing.offersFor((await running.admin.tenants.current()).id, "");
    expect(offers).toEqual([]);
    const stolen = await api(`/v1/conversations/${conversation.id}`, { token: eve.token });
    expect(stolen.status).toBe(404);
    // A resolve without a body is fine (the wrap-up code is optional).
    const bare = await fetch(`${running.baseUrl}/v1/conversations/${conversation.id}/resolve`, {
      method: "POST",
      headers: { authorization: `Bearer ${running.apiKey}` },
    });
    expect(bare.status).toBe(200);
  });
});
