import type { Message, WidgetSession } from "@switchboard/protocol";
import { type SwitchboardClient, SwitchboardError } from "@switchboard/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASES, type RunningServer, startServer } from "../testing/harness.js";
import { codeSentTo, startSmtpSink } from "../testing/smtp-sink.js";

const SHOP = "https://shop.example";

describe.each(DATABASES)("bot-first web chat on %s", (database) => {
  let running: RunningServer;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let entryPointId: string;

  beforeAll(async () => {
    sink = await startSmtpSink();
    running = await startServer(database, { smtpUrl: sink.url, attachmentMaxBytes: 4096 });
    const website = (await running.admin.entryPoints.list()).find((e) => e.name === "Northwind Bikes");
    if (!website) throw new Error("the demo tenant has no Website entry point");
    entryPointId = (await running.admin.entryPoints.update(website.id, { allowedOrigins: [SHOP] })).id;
  });
  afterAll(async () => {
    await running?.close();
    await sink?.close();
  });

  /** The widget's session call, from a page at `origin`. */
  async function openWidget(
    body: Record<string, unknown>,
    origin = SHOP,
  ): Promise<{ status: number; body: WidgetSession & { code?: string } }> {
    const response = await fetch(`${running.baseUrl}/v1/widget/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json", origin },
      body: JSON.stringify({ entryPointId, ...body }),
    });
    return { status: response.status, body: await response.json() };
  }

  /** A visitor: their session and an sdk client with their token. */
  async function visitor() {
    const { status, body } = await openWidget({});
    expect(status).toBe(201);
    const client = running.client(body.token);
    const thread = client.chat.thread(body.conversation.threadId);
    const messages = async () => (await thread.messages({ after: 0, limit: 200 })).items;
    /** Sends as the customer and waits until the bot has answered everything. */
    const say = async (text: string): Promise<Message[]> => {
      const sent = await thread.send(text);
      await running.server.domain.bot.idle();
      return (await messages()).filter((m) => m.sequence > sent.sequence && m.senderId !== body.identityId);
    };
    await running.server.domain.bot.idle();
    return { session: body, client, thread, messages, say };
  }

  const botText = (replies: readonly Message[]) => replies.map((m) => m.content).join("\n");

  it("opens a conversation with the bot, which greets the visitor with quick replies", async () => {
    const v = await visitor();
    expect(v.session.conversation).toMatchObject({
      status: "bot",
      channel: "web_chat",
      entryPointId,
      verified: false,
      queuePosition: null,
    });
    expect(v.session.entryPoint.name).toBe("Northwind Bikes");
    expect(v.session.limits.attachmentMaxBytes).toBe(4096);
    await running.server.domain.bot.idle();
    const [greeting] = await v.messages();
    expect(greeting?.senderId).not.toBe(v.session.identityId);
    expect(greeting?.content).toContain("Northwind Bikes assistant");
    expect(greeting?.quickReplies.length).toBeGreaterThan(0);
  });

  it("answers from the knowledge base, also with a typo", async () => {
    const v = await visitor();
    expect(botText(await v.say("How long does delivery take?"))).toContain("Parts and accessories ship within 1 business day");
    expect(botText(await v.say("when r u open on saturdya"))).toContain("Saturday 10:00");
  });

  it("verifies the customer with a code sent by email, then hands off with who they are and what they want", async () => {
    const v = await visitor();
    const askEmail = botText(await v.say("Where is my order? It hasn't arrived"));
    expect(askEmail.toLowerCase()).toContain("email");
    expect(botText(await v.say("ada@example.com"))).toContain("a**@example.com");
    const code = codeSentTo(sink.received, "ada@example.com");
    expect(code).toMatch(/^\d{6}$/);
    const afterCode = botText(await v.say(code ?? ""));
    expect(afterCode).toContain("Ada");
    expect(afterCode).toMatch(/number \d+ in the queue/);

    const conversation = await v.client.conversations.get(v.session.conversation.id);
    expect(conversation).toMatchObject({ status: "awaiting_agent", verified: true, intent: "order_status", queue: "support" });
    expect(conversation.handoff).toMatchObject({
      reason: "intent_requires_agent",
      intent: "order_status",
      customer: { name: "Ada Lovelace", email: "ada@example.com", verified: true, identityId: v.session.identityId },
    });
    expect(conversation.handoff?.summary.length).toBeGreaterThan(10);
    expect(conversation.queuePosition).toBeGreaterThanOrEqual(1);

    const timeline = await running.admin.conversations.timeline(conversation.id);
    expect(timeline.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        "conversation.created",
        "conversation.intent_detected",
        "conversation.verification_started",
        "conversation.customer_verified",
        "conversation.handed_off",
      ]),
    );
    // Once handed off, the bot stays quiet.
    expect(await v.say("hello? anyone?")).toEqual([]);
  });

  it("locks verification after three wrong codes, and a right code no longer works", async () => {
    const v = await visitor();
    await v.say("I have a question about my invoice");
    await v.say("grace@example.com");
    const code = codeSentTo(sink.received, "grace@example.com") ?? "";
    const wrong = code === "000000" ? "111111" : "000000";
    expect(botText(await v.say(wrong))).toMatch(/2/);
    await v.say(wrong);
    const locked = botText(await v.say(wrong));
    expect(locked.toLowerCase()).toMatch(/locked|too many|minutes/);
    await v.say(code);
    expect((await v.client.conversations.get(v.session.conversation.id)).verified).toBe(false);
  });

  it("hands off at once when the customer asks for a person, and later visitors queue behind", async () => {
    const first = await visitor();
    await first.say("I want to talk to a real person please");
    const one = await first.client.conversations.get(first.session.conversation.id);
    expect(one).toMatchObject({
      status: "awaiting_agent",
      handoff: { reason: "customer_request", customer: { verified: false } },
    });
    const second = await visitor();
    await second.say("agent please");
    const two = await second.client.conversations.get(second.session.conversation.id);
    expect(two.queuePosition).toBe((one.queuePosition ?? 0) + 1);
  });

  it("hands off after failing to understand twice", async () => {
    const v = await visitor();
    await v.say("flibbertigibbet quantum marmalade");
    await v.say("zxqv blorp snark");
    const conversation = await v.client.conversations.get(v.session.conversation.id);
    expect(conversation.handoff?.reason).toBe("not_understood");
  });

  it("out of business hours, says when the team will answer and still queues the conversation", async () => {
    const website = await running.admin.entryPoints.get(entryPointId);
    const closed = await running.admin.entryPoints.create({
      name: "After hours",
      botIdentityId: website.botIdentityId,
      allowedOrigins: [SHOP],
      businessHours: { timeZone: "Europe/Berlin", weekly: {} },
      afterHoursMessage: "We're closed now; we'll reply by email when we open at 9:00.",
    });
    const { status, body } = await openWidget({ entryPointId: closed.id });
    expect(status).toBe(201);
    expect(body.entryPoint.open).toBe(false);
    const thread = running.client(body.token).chat.thread(body.conversation.threadId);
    await thread.send("I need to speak to someone");
    await running.server.domain.bot.idle();
    const replies = (await thread.messages()).items.map((m) => m.content);
    expect(replies).toContain("We're closed now; we'll reply by email when we open at 9:00.");
    expect((await running.admin.conversations.get(body.conversation.id)).status).toBe("awaiting_agent");
  });

  it("resumes the same conversation after a reload, and starts a new one when asked", async () => {
    const v = await visitor();
    await v.say("Do you repair bikes?");
    const reload = await openWidget({ sessionSecret: v.session.sessionSecret });
    expect(reload.status).toBe(200);
    expect(reload.body.resumed).toBe(true);
    expect(reload.body.conversation.id).toBe(v.session.conversation.id);
    expect(reload.body.identityId).toBe(v.session.identityId);
    const history = await running.client(reload.body.token).chat.thread(reload.body.conversation.threadId).messages();
    expect(history.items.map((m) => m.content)).toContain("Do you repair bikes?");
    const fresh = await openWidget({ sessionSecret: v.session.sessionSecret, newConversation: true });
    expect(fresh.status).toBe(201);
    expect(fresh.body.conversation.id).not.toBe(v.session.conversation.id);
    expect(fresh.body.identityId).toBe(v.session.identityId);
  });

  it("refuses an unknown entry point, a page from another origin, and a switched-off entry point", async () => {
    expect(await openWidget({ entryPointId: "no-such-entry-point" })).toMatchObject({
      status: 404,
      body: { code: "entry_point.not_found" },
    });
    expect(await openWidget({}, "https://evil.example")).toMatchObject({
      status: 403,
      body: { code: "widget.origin_not_allowed" },
    });
    const closed = await running.admin.entryPoints.create({ name: "Closed", allowedOrigins: [SHOP], enabled: false });
    expect(await openWidget({ entryPointId: closed.id })).toMatchObject({ status: 403, body: { code: "entry_point.disabled" } });
  });

  describe("attachments", () => {
    const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);
    const PDF = new TextEncoder().encode("%PDF-1.4\n%EOF\n");

    async function upload(v: Awaited<ReturnType<typeof visitor>>, bytes: Uint8Array, type: string, name = "file") {
      const response = await fetch(
        `${running.baseUrl}/v1/chat/threads/${v.session.conversation.threadId}/attachments?fileName=${encodeURIComponent(name)}`,
        {
          method: "POST",
          headers: { authorization: `Bearer ${v.session.token}`, "content-type": type },
          body: Buffer.from(bytes),
        },
      );
      return { status: response.status, body: await response.json() };
    }

    it("stores images and PDFs, sends them in messages and serves them to the thread's participants", async () => {
      const v = await visitor();
      const png = await upload(v, PNG, "image/png", "broken-spoke.png");
      expect(png).toMatchObject({
        status: 201,
        body: { fileName: "broken-spoke.png", contentType: "image/png", size: PNG.length },
      });
      const pdf = await upload(v, PDF, "application/pdf", "receipt.pdf");
      expect(pdf.status).toBe(201);
      const message = await v.thread.send({ content: "", attachmentIds: [png.body.id, pdf.body.id] });
      expect(message.attachments.map((a) => a.fileName)).toEqual(["broken-spoke.png", "receipt.pdf"]);
      const download = await fetch(`${running.baseUrl}/v1/attachments/${png.body.id}?token=${v.session.token}`);
      expect(download.headers.get("content-type")).toBe("image/png");
      expect(new Uint8Array(await download.arrayBuffer())).toEqual(PNG);
      const stranger = await visitor();
      const denied = await fetch(`${running.baseUrl}/v1/attachments/${png.body.id}?token=${stranger.session.token}`);
      expect([denied.status, (await denied.json()).code]).toEqual([404, "thread.not_found"]);
      await expect(stranger.thread.send({ content: "", attachmentIds: [png.body.id] })).rejects.toThrow(SwitchboardError);
    });

    it("refuses other types, content that lies about its type, and files over the limit", async () => {
      const v = await visitor();
      expect(await upload(v, new TextEncoder().encode("hello"), "text/plain")).toMatchObject({
        status: 400,
        body: { code: "attachment.unsupported_type" },
      });
      expect(await upload(v, PDF, "image/png")).toMatchObject({ status: 400, body: { code: "attachment.type_mismatch" } });
      const big = new Uint8Array(4097);
      big.set(PNG);
      expect(await upload(v, big, "image/png")).toMatchObject({ status: 413, body: { code: "attachment.too_large" } });
      const tooLong = await fetch(`${running.baseUrl}/v1/chat/threads/${v.session.conversation.threadId}/messages`, {
        method: "POST",
        headers: { authorization: `Bearer ${v.session.token}`, "content-type": "application/json" },
        body: JSON.stringify({ content: "x".repeat(8001) }),
      });
      expect([tooLong.status, (await tooLong.json()).code]).toEqual([400, "request.invalid"]);
      expect((await v.messages()).filter((m) => m.senderId === v.session.identityId)).toEqual([]);
    });
  });

  describe("administration", () => {
    it("imports customers from CSV (creating, updating, and reporting bad rows) and finds them", async () => {
      const csv =
        "name,email,account number,city\nLinus Torvalds,linus@example.com,C-2001,Portland\nAda Lovelace,ada@example.com,C-1001,London\n,no-name@example.com,,\n";
      const result = await running.admin.customers.importCsv(csv);
      expect(result).toEqual({ created: 1, updated: 1, rejected: [{ row: 3, reason: "name must not be empty" }] });
      const found = await running.admin.customers.list({ query: "linus" });
      expect(found.items).toMatchObject([
        { name: "Linus Torvalds", email: "linus@example.com", externalId: "C-2001", attributes: { city: "Portland" } },
      ]);
      const ada = (await running.admin.customers.list({ query: "ada@" })).items[0];
      expect(ada?.attributes).toMatchObject({ city: "London" });
    });

    it("teaches the bot a new answer as soon as it is added to the knowledge base", async () => {
      const v = await visitor();
      await running.admin.knowledge.createFaq({
        question: "Do you rent out tandem bicycles?",
        answer: "Yes! Tandems rent for $45 a day, helmets included.",
      });
      expect(botText(await v.say("can I rent a tandem bicycle?"))).toContain("Tandems rent for $45 a day");
    });

    it("validates entry points and bot settings with the fields at fault", async () => {
      const bad = await running.admin.entryPoints
        .create({
          name: "x",
          allowedOrigins: ["not an origin"],
          businessHours: { timeZone: "Mars/Olympus", weekly: { "1": [["18:00", "09:00"]] } },
        })
        .catch((e: unknown) => e as SwitchboardError);
      expect(bad).toBeInstanceOf(SwitchboardError);
      expect((bad as SwitchboardError).errors.map((e) => e.field).sort()).toEqual([
        "allowedOrigins.0",
        "businessHours.timeZone",
        "businessHours.weekly.1.0",
      ]);
      const settings = await running.admin.knowledge.botSettings();
      await expect(
        running.admin.knowledge.saveBotSettings({ ...settings, answerThreshold: 0.2, suggestThreshold: 0.5 }),
      ).rejects.toMatchObject({ code: "bot.invalid_thresholds" });
    });

    it("lists conversations by status for the admin, and only their own for a customer", async () => {
      const v = await visitor();
      await v.say("human please");
      const waiting = await running.admin.conversations.list({ status: "awaiting_agent", limit: 200 });
      expect(waiting.items.map((c) => c.id)).toContain(v.session.conversation.id);
      expect(waiting.items.every((c) => c.status === "awaiting_agent")).toBe(true);
      const own = await v.client.conversations.list({});
      expect(own.items.map((c) => c.id)).toEqual([v.session.conversation.id]);
      await expect(v.client.conversations.timeline(v.session.conversation.id)).rejects.toMatchObject({
        code: "auth.admin_required",
      });
    });

    it("keeps every new resource inside its tenant", async () => {
      const created = await running.platform.tenants.create({ slug: `other-${database}`, name: "Other" });
      const other: SwitchboardClient = running.client(created.apiKey.key);
      const v = await visitor();
      const faq = (await running.admin.knowledge.faqs())[0];
      const customer = (await running.admin.customers.list({})).items[0];
      const notFound = (p: Promise<unknown>) => expect(p).rejects.toMatchObject({ status: 404 });
      await notFound(other.entryPoints.get(entryPointId));
      await notFound(other.entryPoints.update(entryPointId, { enabled: false }));
      await notFound(other.conversations.get(v.session.conversation.id));
      await notFound(other.conversations.timeline(v.session.conversation.id));
      await notFound(other.customers.get(customer?.id ?? ""));
      await notFound(other.knowledge.updateFaq(faq?.id ?? "", { question: "q", answer: "a" }));
      await notFound(other.knowledge.deleteFaq(faq?.id ?? ""));
      expect(await other.entryPoints.list()).toEqual([]);
      expect((await other.conversations.list({})).items).toEqual([]);
      expect((await other.customers.list({})).items).toEqual([]);
      expect(await other.knowledge.faqs()).toEqual([]);
    });
  });
});
