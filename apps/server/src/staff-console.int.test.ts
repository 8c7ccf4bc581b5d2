import type { Role, SupervisorLive } from "@switchboard/protocol";
import { SwitchboardError } from "@switchboard/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASES, type RunningServer, startServer } from "../testing/harness.js";

// What the admin console and the live view need beyond the routing tests: editing users (name, role,
// organization), an organization's live view for an in-house supervisor, and a conversation's routing log
// kept to its tenant.

/** The status, code and fields at fault of a rejected SDK call. */
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok" as const,
    (e: unknown) =>
      e instanceof SwitchboardError ? { status: e.status, code: e.code, fields: e.errors.map((f) => f.field) } : String(e),
  );

describe.each(DATABASES)("the staff console's API on %s", (database) => {
  let running: RunningServer;
  let entryPointId: string;

  beforeAll(async () => {
    running = await startServer(database);
    const [entryPoint] = await running.admin.entryPoints.list();
    entryPointId = (await running.admin.entryPoints.update(entryPoint?.id ?? "", { allowedOrigins: ["*"] })).id;
  });
  afterAll(async () => {
    await running?.close();
  });

  let count = 0;
  /** A signed-in user of the demo tenant and their client. */
  async function user(name: string, role: Role, organizationId: string | null = null) {
    const email = `${name.toLowerCase()}.${++count}.${database}@demo.example`;
    const created = await running.admin.users.create({
      email,
      displayName: name,
      role,
      password: "a long password",
      organizationId,
    });
    const { token } = await running.client("").auth.signIn({ tenant: "demo", email, password: "a long password" });
    return { ...created, token, client: running.client(token) };
  }

  /** A visitor of the demo website who asks for a person: a conversation handed to routing. */
  async function handedOff(): Promise<string> {
    const session = await running.client("").widget.createSession({ entryPointId });
    const visitor = running.client(session.token);
    await running.server.domain.bot.idle();
    await visitor.chat.thread(session.conversation.threadId).send("I want to talk to a person");
    await running.server.domain.bot.idle();
    await running.server.domain.routing.flush();
    return session.conversation.id;
  }

  it("renames a user and changes their role: the same token has the new rights, and the last admin stays", async () => {
    const ada = await user("Ada", "admin");
    expect((await ada.client.organizations.list()).length).toBeGreaterThanOrEqual(0);

    const renamed = await running.admin.users.update(ada.id, { displayName: "Ada Lovelace", role: "supervisor" });
    expect(renamed).toMatchObject({ id: ada.id, displayName: "Ada Lovelace", role: "supervisor", organizationId: null });
    expect((await running.admin.users.list()).find((u) => u.id === ada.id)?.displayName).toBe("Ada Lovelace");
    // Her agent identity has the new name: what customers and colleagues see.
    expect((await running.admin.identities.get(ada.identityId)).displayName).toBe("Ada Lovelace");
    expect((await running.admin.workers.list()).find((w) => w.id === ada.identityId)?.name).toBe("Ada Lovelace");
    // No longer an admin, with the token she signed in with: a supervisor's rights only.
    expect(await failureOf(ada.client.users.list())).toMatchObject({ status: 403, code: "auth.admin_required" });
    expect((await ada.client.supervisor.live()).queues.length).toBeGreaterThan(0);

    expect(await failureOf(running.admin.users.update(ada.id, { displayName: "" }))).toMatchObject({ status: 400 });
    expect(await failureOf(running.admin.users.update(ada.id, { role: "owner" as Role }))).toMatchObject({ status: 400 });

    // An agent of an organization becomes an admin only when moved in-house in the same change.
    const bpo = await running.admin.organizations.create({ name: `Admins-test ${database}` });
    const ann = await user("Ann", "agent", bpo.id);
    expect(await failureOf(running.admin.users.update(ann.id, { role: "admin" }))).toEqual({
      status: 400,
      code: "user.invalid",
      fields: ["organizationId"],
    });
    expect(await running.admin.users.update(ann.id, { role: "admin", organizationId: null })).toMatchObject({
      role: "admin",
      organizationId: null,
    });

    // The tenant's admins: the seeded one and Ann. Demoting both leaves the last standing.
    const admins = (await running.admin.users.list()).filter((u) => u.role === "admin");
    for (const admin of admins.slice(0, -1)) await running.admin.users.update(admin.id, { role: "supervisor" });
    const last = admins.at(-1);
    expect(await failureOf(running.admin.users.update(last?.id ?? "", { role: "agent" }))).toMatchObject({
      status: 409,
      code: "user.last_admin",
    });
    for (const admin of admins.slice(0, -1)) await running.admin.users.update(admin.id, { role: "admin" });

    // Another tenant's user is as good as absent.
    const other = await running.platform.tenants.create({ slug: `staff-${database}`, name: "Other" });
    expect(await failureOf(running.client(other.apiKey.key).users.update(ada.id, { displayName: "Mallory" }))).toMatchObject({
      status: 404,
      code: "user.not_found",
    });
  });

  it("gives an in-house supervisor an organization's live view on asking, and an outsourced one only theirs", async () => {
    const bpo = await running.admin.organizations.create({ name: `Callworks ${database}` });
    const spare = await running.admin.organizations.create({ name: `Spare ${database}` });
    const queue = await running.admin.queues.create({ name: `callworks-${database}`, organizationIds: [bpo.id] });
    const cal = await user("Cal", "agent", bpo.id);
    const ian = await user("Ian", "supervisor");
    const sue = await user("Sue", "supervisor", bpo.id);
    const ivy = await user("Ivy", "agent");
    await cal.client.agent.me();
    await ivy.client.agent.me();
    await cal.client.agent.setPresence("available");
    await ivy.client.agent.setPresence("available");

    // Supervisors read the organizations to pick one; an outsourced supervisor only theirs; agents none.
    expect((await ian.client.organizations.list()).map((o) => o.id)).toEqual(expect.arrayContaining([bpo.id, spare.id]));
    expect((await sue.client.organizations.list()).map((o) => o.id)).toEqual([bpo.id]);
    expect(await failureOf(ivy.client.organizations.list())).toMatchObject({ status: 403 });

    const everything = await ian.client.supervisor.live();
    expect(everything.queues.length).toBeGreaterThan(1);
    const filtered: SupervisorLive = await ian.client.supervisor.live({ organizationId: bpo.id });
    expect(filtered.queues.map((q) => q.id)).toEqual([queue.id]);
    expect(filtered.agents.map((a) => a.id).sort()).toEqual([cal.identityId, sue.identityId].sort());
    // Among the queue's agents, only the organization's count (Ivy, in-house, works it too).
    expect(filtered.queues[0]?.agents.available).toBe(1);
    expect(everything.queues.find((q) => q.id === queue.id)?.agents.available).toBe(2);
    expect(await running.admin.supervisor.live({ organizationId: bpo.id })).toMatchObject({
      queues: [{ id: queue.id }],
    });
    expect((await ian.client.supervisor.live({ organizationId: spare.id })).queues).toEqual([]);

    // An outsourced supervisor: their own view by name, another's is not found; so is one that does not exist.
    expect((await sue.client.supervisor.live({ organizationId: bpo.id })).queues.map((q) => q.id)).toEqual([queue.id]);
    const missing = { status: 404, code: "organization.not_found" };
    expect(await failureOf(sue.client.supervisor.live({ organizationId: spare.id }))).toMatchObject(missing);
    expect(await failureOf(ian.client.supervisor.live({ organizationId: "org-nope" }))).toMatchObject(missing);
    expect(await failureOf(ivy.client.supervisor.live({ organizationId: bpo.id }))).toMatchObject({ status: 403 });
    const other = await running.platform.tenants.create({ slug: `live-${database}`, name: "Other" });
    expect(await failureOf(running.client(other.apiKey.key).supervisor.live({ organizationId: bpo.id }))).toMatchObject(missing);

    await cal.client.agent.setPresence("offline");
    await ivy.client.agent.setPresence("offline");
  });

  it("tells supervisors what routing did with a conversation, with reasons, and never another tenant", async () => {
    const conversationId = await handedOff();
    const log = await running.admin.conversations.routingLog(conversationId);
    expect(log[0]).toMatchObject({ type: "job.queued", data: expect.objectContaining({ subject: conversationId }) });
    expect(log.every((e) => e.reason.length > 0)).toBe(true);
    expect(log.map((e) => e.position)).toEqual([...log.map((e) => e.position)].sort((a, b) => a - b));
    const sam = await user("Sam", "supervisor");
    expect((await sam.client.conversations.routingLog(conversationId)).map((e) => e.type)).toEqual(log.map((e) => e.type));
    const agent = await user("Abe", "agent");
    expect(await failureOf(agent.client.conversations.routingLog(conversationId))).toMatchObject({ status: 403 });

    const other = await running.platform.tenants.create({ slug: `log-${database}`, name: "Other" });
    expect(await failureOf(running.client(other.apiKey.key).conversations.routingLog(conversationId))).toMatchObject({
      status: 404,
      code: "conversation.not_found",
    });
    expect(await failureOf(running.admin.conversations.routingLog("cnv-nope"))).toMatchObject({ status: 404 });
    await running.admin.conversations.resolve(conversationId);
  });
});
