import type { AgentOrganization, Conversation, Queue, Role } from "@switchboard/protocol";
import { SwitchboardError } from "@switchboard/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { DATABASES, type RunningServer, startServer } from "../testing/harness.js";

interface Frame {
  type: string;
  [key: string]: unknown;
}

interface LiveFrame {
  queues: { id: string; agents: Record<string, number> }[];
  agents: { id: string }[];
}

/** The status, code and fields at fault of a rejected SDK call. */
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok" as const,
    (e: unknown) =>
      e instanceof SwitchboardError ? { status: e.status, code: e.code, fields: e.errors.map((f) => f.field) } : String(e),
  );

describe.each(DATABASES)("agent organizations on %s", (database) => {
  let running: RunningServer;
  let tenantId: string;
  let bpo: AgentOrganization;
  let bpoQueue: Queue;
  let supportQueueId: string;
  let mainEntryId: string;
  let bpoEntryId: string;
  let ann: Awaited<ReturnType<typeof user>>;
  let sue: Awaited<ReturnType<typeof user>>;
  let ian: Awaited<ReturnType<typeof user>>;
  let ivy: Awaited<ReturnType<typeof user>>;

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

  /** A signed-in user of the demo tenant, with a socket that records the frames addressed to them. */
  async function user(name: string, role: Role, organizationId: string | null) {
    const email = `${name.toLowerCase()}.${database}@demo.example`;
    const created = await running.admin.users.create({
      email,
      displayName: name,
      role,
      password: "a long password",
      organizationId,
    });
    const { token } = await running.client("").auth.signIn({ tenant: "demo", email, password: "a long password" });
    const frames: Frame[] = [];
    const socket = new WebSocket(`${running.baseUrl.replace("http", "ws")}/v1/realtime?token=${token}`);
    // Ready once the server greets it (expect.poll is for tests, and users are made before them).
    const ready = new Promise<void>((resolve) =>
      socket.on("message", (data) => {
        const frame = JSON.parse(data.toString()) as Frame;
        frames.push(frame);
        if (frame.type === "ready") resolve();
      }),
    );
    await ready;
    const me = async () => (await api("/v1/agent/me", { token })).body;
    // Their worker record, with the queues they start with.
    await me();
    return {
      name,
      id: created.id,
      identityId: created.identityId,
      token,
      frames,
      socket,
      me,
      client: running.client(token),
      setPresence: (presence: string) => api("/v1/agent/presence", { method: "PUT", token, body: { presence } }),
      lastLive: () => frames.filter((f) => f.type === "supervisor.live").at(-1)?.live as LiveFrame | undefined,
    };
  }

  /** A visitor in the widget of the entry point who asks for a person, waiting in its queue. */
  async function waitingCustomer(entryPointId: string): Promise<Conversation> {
    const session = await api("/v1/widget/sessions", { method: "POST", body: { entryPointId } });
    const client = running.client(session.body.token);
    await running.server.domain.bot.idle();
    await client.chat.thread(session.body.conversation.threadId).send("I want to talk to a person");
    await running.server.domain.bot.idle();
    await running.server.domain.routing.flush();
    const conversation = await client.conversations.get(session.body.conversation.id);
    expect(conversation.status).toBe("awaiting_agent");
    return conversation;
  }

  beforeAll(async () => {
    running = await startServer(database);
    tenantId = (await running.admin.tenants.current()).id;
    const [entryPoint] = await running.admin.entryPoints.list();
    const main = await running.admin.entryPoints.update(entryPoint?.id ?? "", { allowedOrigins: ["*"] });
    mainEntryId = main.id;
    supportQueueId = (await running.admin.queues.list()).find((q) => q.name === "support")?.id ?? "";
    await running.admin.queues.update(supportQueueId, { wrapUpSeconds: 0 });

    bpo = await running.admin.organizations.create({ name: "Teleperfect" });
    bpoQueue = await running.admin.queues.create({ name: "outsourced", wrapUpSeconds: 0, organizationIds: [bpo.id] });
    bpoEntryId = (
      await running.admin.entryPoints.create({
        name: "Outsourced line",
        botIdentityId: main.botIdentityId,
        handoffQueue: bpoQueue.name,
        allowedOrigins: ["*"],
      })
    ).id;
    ann = await user("Ann", "agent", bpo.id);
    sue = await user("Sue", "supervisor", bpo.id);
    ian = await user("Ian", "supervisor", null);
    ivy = await user("Ivy", "agent", null);
  });

  afterAll(async () => {
    for (const u of [ann, sue, ian, ivy]) u?.socket.close();
    await running?.close();
  });

  it("lets admins manage organizations, and users and queues name only the tenant's", async () => {
    const admin = running.admin;
    expect(bpoQueue.organizationIds).toEqual([bpo.id]);
    expect((await admin.organizations.list()).map((o) => o.name)).toEqual(["Teleperfect"]);
    expect(await admin.organizations.rename(bpo.id, { name: "Teleperfect EU" })).toMatchObject({
      id: bpo.id,
      name: "Teleperfect EU",
    });
    expect((await admin.organizations.get(bpo.id)).name).toBe("Teleperfect EU");
    expect(await failureOf(admin.organizations.create({ name: "Teleperfect EU" }))).toMatchObject({
      status: 409,
      code: "organization.name_taken",
    });
    // Agents may not read them; supervisors may (to pick one in the live view), but not change them.
    expect(await failureOf(ann.client.organizations.list())).toMatchObject({ status: 403, code: "auth.supervisor_required" });
    expect((await sue.client.organizations.list()).map((o) => o.id)).toEqual([bpo.id]);
    expect(await failureOf(sue.client.organizations.create({ name: "Mine" }))).toMatchObject({ status: 403 });

    const users = await admin.users.list();
    expect(users.find((u) => u.id === ann.id)?.organizationId).toBe(bpo.id);
    expect(users.find((u) => u.id === ivy.id)?.organizationId).toBeNull();
    expect(
      await failureOf(
        admin.users.create({
          email: `boss.${database}@demo.example`,
          displayName: "Boss",
          role: "admin",
          password: "a long password",
          organizationId: bpo.id,
        }),
      ),
    ).toEqual({ status: 400, code: "user.invalid", fields: ["organizationId"] });
    expect(await failureOf(admin.queues.create({ name: "nowhere", organizationIds: ["org-nope"] }))).toEqual({
      status: 400,
      code: "queue.invalid",
      fields: ["organizationIds.0"],
    });
    // A patch that does not name the organizations keeps them (and every other setting it leaves out).
    const patched = await admin.queues.update(bpoQueue.id, { serviceLevelSeconds: 30 });
    expect(patched).toMatchObject({ organizationIds: [bpo.id], wrapUpSeconds: 0, serviceLevelSeconds: 30 });

    expect(await failureOf(admin.organizations.delete(bpo.id))).toMatchObject({ status: 409, code: "organization.in_use" });
    const spare = await admin.organizations.create({ name: "Spare" });
    await admin.organizations.delete(spare.id);
    expect(await failureOf(admin.organizations.get(spare.id))).toMatchObject({ status: 404, code: "organization.not_found" });
  });

  it("shows an outsourced supervisor only their queues and their agents, live too; an in-house one everything", async () => {
    expect((await ann.me()).worker.settings.queueIds).toEqual([bpoQueue.id]);
    expect((await ivy.me()).worker.settings.queueIds).toEqual(expect.arrayContaining([supportQueueId, bpoQueue.id]));
    await ann.setPresence("available");
    await ivy.setPresence("available");

    const outsourced = (await api("/v1/supervisor/live", { token: sue.token })).body as LiveFrame;
    expect(outsourced.queues.map((q) => q.id)).toEqual([bpoQueue.id]);
    expect(outsourced.agents.map((a) => a.id).sort()).toEqual([ann.identityId, sue.identityId].sort());
    // Among the queue's agents, only their own count.
    expect(outsourced.queues[0]?.agents.available).toBe(1);

    const inHouse = (await api("/v1/supervisor/live", { token: ian.token })).body as LiveFrame;
    expect(inHouse.queues.map((q) => q.id)).toEqual(expect.arrayContaining([supportQueueId, bpoQueue.id]));
    expect(inHouse.agents.map((a) => a.id)).toEqual(
      expect.arrayContaining([ann.identityId, sue.identityId, ian.identityId, ivy.identityId]),
    );
    expect(inHouse.queues.find((q) => q.id === bpoQueue.id)?.agents.available).toBe(2);
    expect((await api("/v1/supervisor/live")).body.queues).toHaveLength(inHouse.queues.length);

    // The live frames: one view per organization among the connected supervisors.
    await expect.poll(() => sue.lastLive()?.agents.length, { timeout: 5000 }).toBe(2);
    expect(sue.lastLive()?.queues.map((q) => q.id)).toEqual([bpoQueue.id]);
    await expect.poll(() => ian.lastLive()?.queues.length, { timeout: 5000 }).toBe(inHouse.queues.length);
    expect(ian.lastLive()?.agents.map((a) => a.id)).toEqual(expect.arrayContaining([ann.identityId, ivy.identityId]));

    // Queues and transfer targets as the agents see them.
    expect((await ann.client.queues.list()).map((q) => q.id)).toEqual([bpoQueue.id]);
    expect(await failureOf(ann.client.queues.get(supportQueueId))).toMatchObject({ status: 404, code: "queue.not_found" });
    expect((await ann.client.queues.get(bpoQueue.id)).name).toBe("outsourced");
    expect((await ann.me()).queues.map((q: { id: string }) => q.id)).toEqual([bpoQueue.id]);
    expect((await ann.client.workers.list()).map((w) => w.id).sort()).toEqual([ann.identityId, sue.identityId].sort());
    expect((await ivy.client.queues.list()).map((q) => q.id)).toEqual(expect.arrayContaining([supportQueueId, bpoQueue.id]));
    expect((await ivy.client.workers.list()).map((w) => w.id)).toEqual(expect.arrayContaining([ann.identityId, ian.identityId]));

    await ivy.setPresence("offline");
  });

  it("offers an outsourced agent only work of their queues, and keeps them to their queues' conversations", async () => {
    await ann.setPresence("available");
    const inHouseWork = await waitingCustomer(mainEntryId);
    expect(inHouseWork.queue).toBe("support");
    expect(running.server.domain.routing.offersFor(tenantId, ann.identityId)).toEqual([]);

    const ours = await waitingCustomer(bpoEntryId);
    await expect.poll(() => ann.frames.some((f) => f.type === "routing.offer"), { timeout: 5000 }).toBe(true);
    const offers = ann.frames
      .filter((f) => f.type === "routing.offer")
      .map((f) => f.offer as { id: string; conversationId: string });
    expect(offers.map((o) => o.conversationId)).toEqual([ours.id]);
    const accepted = await api(`/v1/offers/${offers[0]?.id}/accept`, { method: "POST", token: ann.token });
    expect(accepted.body).toMatchObject({ status: "with_agent", agentId: ann.identityId });

    // Reading: their own conversation, not another queue's.
    expect((await ann.client.conversations.get(ours.id)).id).toBe(ours.id);
    expect(await failureOf(ann.client.conversations.get(inHouseWork.id))).toMatchObject({
      status: 404,
      code: "conversation.not_found",
    });
    // What routing did: their supervisor sees it for their queue only; an in-house supervisor for both.
    expect((await api(`/v1/conversations/${ours.id}/routing`, { token: sue.token })).status).toBe(200);
    expect(await api(`/v1/conversations/${inHouseWork.id}/routing`, { token: sue.token })).toMatchObject({
      status: 404,
      body: { code: "conversation.not_found" },
    });
    expect((await api(`/v1/conversations/${inHouseWork.id}/routing`, { token: ian.token })).status).toBe(200);

    // Membership: only queues assigned to their organization.
    expect(await failureOf(running.admin.workers.update(ann.identityId, { queueIds: [bpoQueue.id, supportQueueId] }))).toEqual({
      status: 400,
      code: "worker.queue_not_assigned",
      fields: ["queueIds.1"],
    });
    expect((await ann.me()).worker.settings.queueIds).toEqual([bpoQueue.id]);

    // Transfers: not to a queue of others, nor to an agent outside the organization.
    const transfer = (body: unknown) => api(`/v1/conversations/${ours.id}/transfer`, { method: "POST", token: ann.token, body });
    expect(await transfer({ queueId: supportQueueId })).toMatchObject({ status: 404, body: { code: "queue.not_found" } });
    expect(await transfer({ workerId: ivy.identityId })).toMatchObject({ status: 404, body: { code: "worker.not_found" } });
    expect((await ann.client.conversations.get(ours.id)).status).toBe("with_agent");
    const resolved = await api(`/v1/conversations/${ours.id}/resolve`, { method: "POST", token: ann.token, body: {} });
    expect(resolved.body).toMatchObject({ status: "resolved" });
    await api(`/v1/conversations/${inHouseWork.id}/resolve`, { method: "POST", body: {} });
  });

  it("takes the queue from its agents when the organization is taken off it, and from a user moved in-house", async () => {
    await running.admin.queues.update(bpoQueue.id, { organizationIds: [] });
    await expect.poll(async () => (await ann.me()).worker.settings.queueIds, { timeout: 5000 }).toEqual([]);
    expect(await ann.client.queues.list()).toEqual([]);
    expect((await api("/v1/supervisor/live", { token: sue.token })).body.queues).toEqual([]);

    await running.admin.queues.update(bpoQueue.id, { organizationIds: [bpo.id] });
    await running.admin.workers.update(ann.identityId, { queueIds: [bpoQueue.id] });
    // Moved in-house, Ann sees every queue at once (with the same token), and may join any.
    expect(await running.admin.users.update(ann.id, { organizationId: null })).toMatchObject({ organizationId: null });
    expect((await ann.client.queues.list()).map((q) => q.id)).toEqual(expect.arrayContaining([supportQueueId, bpoQueue.id]));
    expect((await running.admin.workers.update(ann.identityId, { queueIds: [supportQueueId] })).settings.queueIds).toEqual([
      supportQueueId,
    ]);
    // Back to the organization: she keeps only what it may work.
    await running.admin.users.update(ann.id, { organizationId: bpo.id });
    await expect.poll(async () => (await ann.me()).worker.settings.queueIds, { timeout: 5000 }).toEqual([]);
    await ann.setPresence("offline");
  });

  it("gives a supervisor moved into an organization its view at once, on their open socket too", async () => {
    await running.admin.users.update(ian.id, { organizationId: bpo.id });
    const live = (await api("/v1/supervisor/live", { token: ian.token })).body as LiveFrame;
    expect(live.queues.map((q) => q.id)).toEqual([bpoQueue.id]);
    expect(live.agents.map((a) => a.id)).not.toContain(ivy.identityId);
    const seen = ian.frames.length;
    // Something changes: the next live frame on Ian's socket is the organization's view.
    await ivy.setPresence("available");
    await expect
      .poll(
        () =>
          (
            ian.frames
              .slice(seen)
              .filter((f) => f.type === "supervisor.live")
              .at(-1)?.live as LiveFrame
          )?.queues,
        {
          timeout: 5000,
        },
      )
      .toEqual([expect.objectContaining({ id: bpoQueue.id })]);
    await ivy.setPresence("offline");
    await running.admin.users.update(ian.id, { organizationId: null });
    expect((await api("/v1/supervisor/live", { token: ian.token })).body.queues.length).toBeGreaterThan(1);
  });

  it("keeps one tenant's organizations out of another's reach", async () => {
    const other = await running.platform.tenants.create({ slug: `other-orgs-${database}`, name: "Other" });
    const otherAdmin = running.client(other.apiKey.key);
    const theirs = await otherAdmin.organizations.create({ name: "Teleperfect EU" });
    expect((await otherAdmin.organizations.list()).map((o) => o.id)).toEqual([theirs.id]);
    expect(await failureOf(otherAdmin.organizations.get(bpo.id))).toMatchObject({ status: 404, code: "organization.not_found" });
    expect(await failureOf(otherAdmin.organizations.delete(bpo.id))).toMatchObject({ status: 404 });

    const admin = running.admin;
    expect((await admin.organizations.list()).map((o) => o.id)).not.toContain(theirs.id);
    expect(await failureOf(admin.organizations.get(theirs.id))).toMatchObject({ status: 404, code: "organization.not_found" });
    expect(await failureOf(admin.organizations.rename(theirs.id, { name: "Mine now" }))).toMatchObject({ status: 404 });
    expect(await failureOf(admin.organizations.delete(theirs.id))).toMatchObject({ status: 404 });
    expect(await failureOf(admin.queues.create({ name: "borrowed", organizationIds: [theirs.id] }))).toEqual({
      status: 400,
      code: "queue.invalid",
      fields: ["organizationIds.0"],
    });
    expect(await failureOf(admin.queues.update(bpoQueue.id, { organizationIds: [bpo.id, theirs.id] }))).toEqual({
      status: 400,
      code: "queue.invalid",
      fields: ["organizationIds.1"],
    });
    expect(
      await failureOf(
        admin.users.create({
          email: `mole.${database}@demo.example`,
          displayName: "Mole",
          role: "agent",
          password: "a long password",
          organizationId: theirs.id,
        }),
      ),
    ).toEqual({ status: 400, code: "user.invalid", fields: ["organizationId"] });
    expect(await failureOf(admin.users.update(ivy.id, { organizationId: theirs.id }))).toEqual({
      status: 400,
      code: "user.invalid",
      fields: ["organizationId"],
    });
    // Another tenant's user is as good as absent.
    expect(await failureOf(otherAdmin.users.update(ivy.id, { organizationId: theirs.id }))).toMatchObject({
      status: 404,
      code: "user.not_found",
    });
    expect((await admin.queues.get(bpoQueue.id)).organizationIds).toEqual([bpo.id]);
  });
});
