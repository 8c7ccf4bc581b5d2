import { RealtimeClient, type SwitchboardClient, SwitchboardError } from "@switchboard/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { customer, DATABASES, type RunningServer, startServer } from "../testing/harness.js";

const statusOf = (promise: Promise<unknown>): Promise<{ status: number; code: string } | "ok"> =>
  promise.then(
    () => "ok" as const,
    (e: unknown) => (e instanceof SwitchboardError ? { status: e.status, code: e.code } : { status: 0, code: String(e) }),
  );

describe.each(DATABASES)("tenant isolation on %s", (database) => {
  let running: RunningServer;
  let acme: SwitchboardClient;
  beforeAll(async () => {
    running = await startServer(database);
    const created = await running.platform.tenants.create({ slug: "acme", name: "Acme Corp" });
    expect(created.tenant.slug).toBe("acme");
    acme = running.client(created.apiKey.key);
  });
  afterAll(async () => {
    await running?.close();
  });

  it("only the platform key creates tenants, and a slug is taken once", async () => {
    expect(await statusOf(running.admin.tenants.create({ slug: "other", name: "Other" }))).toEqual({
      status: 403,
      code: "auth.platform_required",
    });
    expect(await statusOf(running.platform.tenants.create({ slug: "acme", name: "Again" }))).toEqual({
      status: 409,
      code: "tenant.slug_taken",
    });
    expect(await statusOf(running.platform.identities.create({}))).toEqual({ status: 403, code: "auth.tenant_required" });
  });

  it("no resource of one tenant is visible or changeable from another", async () => {
    // The demo tenant's resources...
    const ada = await customer(running, "Ada");
    const bob = await customer(running, "Bob");
    const thread = await ada.client.chat.createThread({ topic: "demo only", participants: [{ id: bob.id }] });
    const message = await ada.client.chat.thread(thread.id).send("secret");
    const demoKey = await running.admin.apiKeys.create({ name: "demo key" });
    // ...and a customer of Acme with a valid chat token.
    const wile = await customer(running, "Wile", acme);

    const notFound = { status: 404, code: "identity.not_found" };
    expect(await statusOf(acme.identities.get(ada.id))).toEqual(notFound);
    expect(await statusOf(acme.identities.issueToken(ada.id, { scopes: ["chat"] }))).toEqual(notFound);
    expect(await statusOf(acme.identities.delete(ada.id))).toEqual(notFound);
    expect(await statusOf(acme.apiKeys.revoke(demoKey.apiKey.id))).toEqual({ status: 404, code: "api_key.not_found" });

    const threadGone = { status: 404, code: "thread.not_found" };
    for (const client of [acme, wile.client]) {
      const t = client.chat.thread(thread.id);
      expect(await statusOf(t.get())).toEqual(threadGone);
      expect(await statusOf(t.update({ topic: "pwned" }))).toEqual(threadGone);
      expect(await statusOf(t.participants())).toEqual(threadGone);
      expect(await statusOf(t.addParticipants({ participants: [{ id: wile.id }] }))).toEqual(threadGone);
      expect(await statusOf(t.removeParticipant(bob.id))).toEqual(threadGone);
      expect(await statusOf(t.messages())).toEqual(threadGone);
      expect(await statusOf(t.message(message.id))).toEqual(threadGone);
      expect(await statusOf(t.send("hello?"))).toEqual(threadGone);
      expect(await statusOf(t.edit(message.id, { content: "x" }))).toEqual(threadGone);
      expect(await statusOf(t.delete(message.id))).toEqual(threadGone);
      expect(await statusOf(t.markRead(1))).toEqual(threadGone);
      expect(await statusOf(t.typing())).toEqual(threadGone);
      expect(await statusOf(t.events())).toEqual(threadGone);
    }
    // Another tenant's identity cannot be put into a thread.
    expect(await statusOf(wile.client.chat.createThread({ topic: "x", participants: [{ id: ada.id }] }))).toEqual({
      status: 400,
      code: "identity.not_found",
    });

    // Lists hold only the caller's tenant.
    const acmeIdentities = await acme.identities.list({ limit: 200 });
    expect(acmeIdentities.items.map((i) => i.id)).toEqual([wile.id]);
    expect((await acme.chat.listThreads()).items).toEqual([]);
    expect((await acme.users.list()).map((u) => u.email)).toEqual([]);
    expect((await acme.apiKeys.list()).map((k) => k.name)).toEqual(["initial admin key"]);
    expect((await acme.tenants.current()).slug).toBe("acme");

    // The thread is intact for its own tenant.
    expect((await ada.client.chat.thread(thread.id).messages()).items.map((m) => m.content)).toEqual(["secret"]);
    expect((await bob.client.chat.thread(thread.id).participants()).length).toBe(2);
  });

  it("another tenant's socket receives none of the thread's events, even when it asks to resume it", async () => {
    const ada = await customer(running, "Ada");
    const thread = await ada.client.chat.createThread({ topic: "demo only" });
    await ada.client.chat.thread(thread.id).send("one");
    const wile = await customer(running, "Wile", acme);
    const received: string[] = [];
    const socket = new RealtimeClient({
      baseUrl: running.baseUrl,
      token: wile.token,
      WebSocket: WebSocket as never,
      resumeFrom: { [thread.id]: 0 },
    });
    socket.on("event", (e) => received.push(`${e.threadId}:${e.sequence}`));
    await socket.connect();
    await ada.client.chat.thread(thread.id).send("two");
    await ada.client.chat.thread(thread.id).typing();
    // A thread of Wile's own, to know when delivery has caught up.
    const own = await wile.client.chat.createThread({ topic: "mine" });
    await socket.waitFor((e) => e.threadId === own.id);
    socket.close();
    expect(received).toEqual([`${own.id}:1`]);
  });
});
