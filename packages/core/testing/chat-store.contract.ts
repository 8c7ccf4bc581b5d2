import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type ChatStore,
  type IdentityStore,
  ManualClock,
  type Message,
  type MessageData,
  type MessageExtras,
  messageData,
  type NewMessage,
  type NewThread,
  NO_EXTRAS,
  type StoredThreadEvent,
  type Thread,
} from "../src/index.js";
import { expectDomainError } from "./identity-store.contract.js";

/** What the chat contract needs: a fresh, empty store per test, with identities to make tenants in. */
export interface ChatStoreFixture {
  readonly identities: IdentityStore;
  readonly chat: ChatStore;
  close(): Promise<void>;
}

const ACME = "tenant-acme";
const GLOBEX = "tenant-globex";
const alice = { id: "identity-alice", displayName: "Alice" };
const bob = { id: "identity-bob", displayName: "Bob" };
const carol = { id: "identity-carol", displayName: "Carol" };

/**
 * The behaviour every `ChatStore` shares: tenant scoping, the per-thread sequence, idempotent
 * sends, and the events each change appends. `make` is called once per test.
 */
export function chatStoreContract(name: string, make: () => Promise<ChatStoreFixture>): void {
  describe(`ChatStore contract: ${name}`, () => {
    let fixture: ChatStoreFixture;
    let chat: ChatStore;
    let clock: ManualClock;
    let messageCount = 0;

    const tick = (): Date => {
      clock.advance(1000);
      return clock.now();
    };

    const createThread = async (id = "thread-1", extra: Partial<NewThread> = {}) =>
      chat.createThread({
        id,
        tenantId: ACME,
        topic: `Topic of ${id}`,
        metadata: { channel: "web" },
        createdBy: alice.id,
        participants: [alice, bob],
        createdAt: tick(),
        ...extra,
      });

    const send = (threadId: string, senderId: string, extra: Partial<NewMessage> = {}) => {
      messageCount += 1;
      return chat.appendMessage({
        ...NO_EXTRAS,
        id: `message-${String(messageCount).padStart(4, "0")}`,
        tenantId: ACME,
        threadId,
        senderId,
        content: `Message number ${messageCount}`,
        metadata: {},
        idempotencyKey: null,
        createdAt: tick(),
        ...extra,
      });
    };

    const created = async (result: ReturnType<typeof send>) => {
      const r = await result;
      if (r.kind !== "created") throw new Error(`Expected a created message, got ${r.kind}`);
      return r;
    };

    const lastSequence = async (threadId = "thread-1") => (await chat.getThread(ACME, threadId))?.lastSequence;
    const eventTypes = async (threadId = "thread-1") => (await chat.listEvents(ACME, threadId, 0, 1000)).map((e) => e.type);

    beforeEach(async () => {
      fixture = await make();
      chat = fixture.chat;
      clock = new ManualClock("2026-03-01T09:00:00.000Z");
      messageCount = 0;
      await fixture.identities.createTenant({ id: ACME, slug: "acme", name: "Acme", createdAt: tick() });
      await fixture.identities.createTenant({ id: GLOBEX, slug: "globex", name: "Globex", createdAt: tick() });
    });

    afterEach(async () => {
      await fixture.close();
    });

    describe("threads", () => {
      it("creates a thread whose first event, sequence 1, adds the participants", async () => {
        const at = tick();
        const { thread, event } = await chat.createThread({
          id: "thread-1",
          tenantId: ACME,
          topic: "Billing question",
          metadata: { channel: "web", locale: "en" },
          createdBy: alice.id,
          participants: [alice, bob],
          createdAt: at,
        });
        const expected: Thread = {
          id: "thread-1",
          tenantId: ACME,
          topic: "Billing question",
          metadata: { channel: "web", locale: "en" },
          createdBy: alice.id,
          createdAt: at,
          lastSequence: 1,
        };
        expect(thread).toEqual(expected);
        expect(event).toEqual({
          tenantId: ACME,
          threadId: "thread-1",
          sequence: 1,
          type: "chat.participants.added",
          data: { participants: [alice, bob], addedBy: alice.id },
          createdAt: at,
        });
        expect(await chat.getThread(ACME, "thread-1")).toEqual(expected);
        expect(await chat.listEvents(ACME, "thread-1", 0, 10)).toEqual([event]);
        expect(await chat.listParticipants(ACME, "thread-1")).toEqual([
          { threadId: "thread-1", identityId: alice.id, displayName: "Alice", joinedSequence: 1, lastReadSequence: 0 },
          { threadId: "thread-1", identityId: bob.id, displayName: "Bob", joinedSequence: 1, lastReadSequence: 0 },
        ]);
        expect(await chat.getParticipant(ACME, "thread-1", bob.id)).toEqual({
          threadId: "thread-1",
          identityId: bob.id,
          displayName: "Bob",
          joinedSequence: 1,
          lastReadSequence: 0,
        });
        expect(await chat.getParticipant(ACME, "thread-1", carol.id)).toBeUndefined();
        expect(await chat.getThread(ACME, "thread-nope")).toBeUndefined();
      });

      it("creates a thread on behalf of the tenant (no creator)", async () => {
        const { thread, event } = await createThread("thread-1", { createdBy: null, participants: [carol] });
        expect(thread.createdBy).toBeNull();
        expect(event.data).toEqual({ participants: [carol], addedBy: null });
        expect((await chat.getThread(ACME, "thread-1"))?.createdBy).toBeNull();
      });

      it("updates the topic and metadata with a `chat.thread.updated` event", async () => {
        await createThread();
        const at = tick();
        const updated = await chat.updateThread(ACME, "thread-1", { topic: "New topic", metadata: { priority: "high" } }, at);
        expect(updated?.thread).toMatchObject({ topic: "New topic", metadata: { priority: "high" }, lastSequence: 2 });
        expect(updated?.event).toEqual({
          tenantId: ACME,
          threadId: "thread-1",
          sequence: 2,
          type: "chat.thread.updated",
          data: { topic: "New topic", metadata: { priority: "high" } },
          createdAt: at,
        });
        expect(await chat.getThread(ACME, "thread-1")).toEqual(updated?.thread);
      });

      it("appends no event when an update changes nothing, and none for an unknown thread", async () => {
        await createThread("thread-1", { metadata: { b: "2", a: "1" } });
        expect(
          await chat.updateThread(ACME, "thread-1", { topic: "Topic of thread-1", metadata: { a: "1", b: "2" } }, tick()),
        ).toBeUndefined();
        expect(await lastSequence()).toBe(1);
        expect(await chat.updateThread(ACME, "thread-nope", { topic: "x", metadata: {} }, tick())).toBeUndefined();
        const changed = await chat.updateThread(ACME, "thread-1", { topic: "Topic of thread-1", metadata: { a: "1" } }, tick());
        expect(changed?.event.sequence).toBe(2);
        expect(changed?.thread.metadata).toEqual({ a: "1" });
      });
    });

    describe("listThreads", () => {
      it("lists threads newest first, in pages", async () => {
        for (const id of ["thread-1", "thread-2", "thread-3", "thread-4", "thread-5"]) await createThread(id);
        const first = await chat.listThreads(ACME, { limit: 2 });
        expect(first.items.map((t) => t.id)).toEqual(["thread-5", "thread-4"]);
        expect(first.items[0]).toEqual(await chat.getThread(ACME, "thread-5"));
        expect(first.next).toEqual(expect.any(String));
        const second = await chat.listThreads(ACME, { after: first.next as string, limit: 2 });
        expect(second.items.map((t) => t.id)).toEqual(["thread-3", "thread-2"]);
        const third = await chat.listThreads(ACME, { after: second.next as string, limit: 2 });
        expect(third.items.map((t) => t.id)).toEqual(["thread-1"]);
        expect(third.next).toBeNull();
        const exact = await chat.listThreads(ACME, { limit: 5 });
        expect(exact.items).toHaveLength(5);
        expect(exact.next).toBeNull();
      });

      it("orders threads created at the same moment by id, newest id first", async () => {
        const at = tick();
        for (const id of ["thread-b", "thread-c", "thread-a"]) await createThread(id, { createdAt: at });
        const first = await chat.listThreads(ACME, { limit: 2 });
        expect(first.items.map((t) => t.id)).toEqual(["thread-c", "thread-b"]);
        const second = await chat.listThreads(ACME, { after: first.next as string, limit: 2 });
        expect(second.items.map((t) => t.id)).toEqual(["thread-a"]);
      });

      it("lists only the threads an identity is in when asked", async () => {
        await createThread("thread-1", { participants: [alice, bob] });
        await createThread("thread-2", { participants: [carol] });
        await createThread("thread-3", { participants: [bob, carol] });
        await createThread("thread-4", { participants: [alice] });
        await chat.removeParticipant(ACME, "thread-4", alice.id, null, tick());

        const bobs = await chat.listThreads(ACME, { identityId: bob.id, limit: 1 });
        expect(bobs.items.map((t) => t.id)).toEqual(["thread-3"]);
        const bobsNext = await chat.listThreads(ACME, { identityId: bob.id, after: bobs.next as string, limit: 1 });
        expect(bobsNext.items.map((t) => t.id)).toEqual(["thread-1"]);
        expect(bobsNext.next).toBeNull();
        expect((await chat.listThreads(ACME, { identityId: alice.id, limit: 10 })).items.map((t) => t.id)).toEqual(["thread-1"]);
        expect((await chat.listThreads(ACME, { identityId: "identity-nobody", limit: 10 })).items).toEqual([]);
      });

      it("rejects a cursor it did not hand out", async () => {
        await createThread();
        await expectDomainError(chat.listThreads(ACME, { after: "garbage", limit: 2 }), "page.invalid_cursor");
      });
    });

    describe("messages", () => {
      it("appends a message with the thread's next sequence and a `chat.message.received` event", async () => {
        await createThread();
        const at = tick();
        const result = await chat.appendMessage({
          ...NO_EXTRAS,
          id: "message-1",
          tenantId: ACME,
          threadId: "thread-1",
          senderId: bob.id,
          content: "Hello there",
          metadata: { source: "widget" },
          idempotencyKey: "key-1",
          createdAt: at,
        });
        const message: Message = {
          id: "message-1",
          threadId: "thread-1",
          sequence: 2,
          senderId: bob.id,
          senderDisplayName: "Bob",
          content: "Hello there",
          metadata: { source: "widget" },
          createdAt: at,
          editedAt: null,
          deletedAt: null,
          ...NO_EXTRAS,
        };
        expect(result).toEqual({
          kind: "created",
          message,
          event: {
            tenantId: ACME,
            threadId: "thread-1",
            sequence: 2,
            type: "chat.message.received",
            data: { message: messageData(message) },
            createdAt: at,
          },
        });
        expect(await chat.getMessage(ACME, "thread-1", "message-1")).toEqual(message);
        expect(await chat.getMessage(ACME, "thread-1", "message-nope")).toBeUndefined();
        expect(await lastSequence()).toBe(2);

        const next = await created(send("thread-1", alice.id));
        expect(next.message.sequence).toBe(3);
        expect(next.event.sequence).toBe(3);
        expect(next.message.senderDisplayName).toBe("Alice");
        expect(await lastSequence()).toBe(3);
        expect(await chat.listEvents(ACME, "thread-1", 1, 10)).toEqual([result.kind === "created" && result.event, next.event]);
      });

      it("keeps one sequence per thread", async () => {
        await createThread("thread-1");
        await createThread("thread-2");
        expect((await created(send("thread-1", bob.id))).message.sequence).toBe(2);
        expect((await created(send("thread-2", bob.id))).message.sequence).toBe(2);
        expect((await created(send("thread-1", bob.id))).message.sequence).toBe(3);
        expect(await lastSequence("thread-1")).toBe(3);
        expect(await lastSequence("thread-2")).toBe(2);
      });

      it("refuses a sender who is not a participant, and an unknown thread", async () => {
        await createThread();
        await expectDomainError(send("thread-1", carol.id), "thread.not_participant");
        await expectDomainError(send("thread-nope", bob.id), "thread.not_found");
        expect(await lastSequence()).toBe(1);
        expect(await chat.listMessages(ACME, "thread-1", 0, 10)).toEqual([]);
      });

      it("returns the first message for a retry with the same sender and key, without a new event", async () => {
        await createThread();
        const first = await created(send("thread-1", bob.id, { idempotencyKey: "retry-me", content: "First" }));
        const retry = await send("thread-1", bob.id, { idempotencyKey: "retry-me", content: "Second" });
        expect(retry).toEqual({ kind: "duplicate", message: first.message });
        expect(retry).not.toHaveProperty("event");
        expect(await lastSequence()).toBe(2);
        expect(await chat.listMessages(ACME, "thread-1", 0, 10)).toEqual([first.message]);
        expect(await eventTypes()).toEqual(["chat.participants.added", "chat.message.received"]);
      });

      it("treats the same key from another sender, or another key, as a new message", async () => {
        await createThread();
        const first = await created(send("thread-1", bob.id, { idempotencyKey: "k" }));
        const otherSender = await created(send("thread-1", alice.id, { idempotencyKey: "k" }));
        const otherKey = await created(send("thread-1", bob.id, { idempotencyKey: "k2" }));
        const noKey1 = await created(send("thread-1", bob.id));
        const noKey2 = await created(send("thread-1", bob.id));
        expect([first, otherSender, otherKey, noKey1, noKey2].map((r) => r.message.sequence)).toEqual([2, 3, 4, 5, 6]);
        await createThread("thread-2");
        const otherThread = await send("thread-2", bob.id, { idempotencyKey: "k" });
        expect(otherThread.kind).toBe("created");
      });

      it("creates exactly one message for concurrent sends with the same key", async () => {
        await createThread();
        const at = tick();
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            chat.appendMessage({
              ...NO_EXTRAS,
              id: `message-race-${i}`,
              tenantId: ACME,
              threadId: "thread-1",
              senderId: bob.id,
              content: `attempt ${i}`,
              metadata: {},
              idempotencyKey: "same",
              createdAt: at,
            }),
          ),
        );
        const winners = results.filter((r) => r.kind === "created");
        expect(winners).toHaveLength(1);
        const winner = winners[0]?.message as Message;
        for (const r of results) expect(r.message).toEqual(winner);
        expect(winner.sequence).toBe(2);
        expect(await lastSequence()).toBe(2);
        expect(await chat.listMessages(ACME, "thread-1", 0, 100)).toEqual([winner]);
        expect(await chat.listEvents(ACME, "thread-1", 0, 100)).toHaveLength(2);
      });

      it("gives concurrent sends distinct, gapless sequences", async () => {
        await createThread();
        const results = await Promise.all(Array.from({ length: 20 }, () => created(send("thread-1", bob.id))));
        const sequences = results.map((r) => r.message.sequence).sort((a, b) => a - b);
        expect(sequences).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
        for (const r of results) expect(r.event.sequence).toBe(r.message.sequence);
        expect(await lastSequence()).toBe(21);
        const events = await chat.listEvents(ACME, "thread-1", 0, 100);
        expect(events.map((e) => e.sequence)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
        const messages = await chat.listMessages(ACME, "thread-1", 0, 100);
        expect(messages.map((m) => m.sequence)).toEqual(sequences);
      });

      it("edits a message with a `chat.message.edited` event; the message keeps its sequence", async () => {
        await createThread();
        const original = await created(send("thread-1", bob.id, { metadata: { a: "1" } }));
        const at = tick();
        const edited = await chat.editMessage(
          ACME,
          "thread-1",
          original.message.id,
          { content: "Fixed typo", metadata: { a: "2" } },
          at,
        );
        const expected: Message = { ...original.message, content: "Fixed typo", metadata: { a: "2" }, editedAt: at };
        expect(edited.message).toEqual(expected);
        expect(edited.event).toEqual({
          tenantId: ACME,
          threadId: "thread-1",
          sequence: 3,
          type: "chat.message.edited",
          data: { message: messageData(expected) },
          createdAt: at,
        });
        expect(await chat.getMessage(ACME, "thread-1", original.message.id)).toEqual(expected);
        expect(await lastSequence()).toBe(3);
        await expectDomainError(
          chat.editMessage(ACME, "thread-1", "message-nope", { content: "x", metadata: {} }, tick()),
          "message.not_found",
        );
        await expectDomainError(
          chat.editMessage(ACME, "thread-nope", original.message.id, { content: "x", metadata: {} }, tick()),
          "message.not_found",
        );
        expect(await lastSequence()).toBe(3);
      });

      it("deletes a message: content and metadata go, the place stays, a `chat.message.deleted` event follows", async () => {
        await createThread();
        const original = await created(send("thread-1", bob.id, { metadata: { secret: "yes" } }));
        const at = tick();
        const deleted = await chat.deleteMessage(ACME, "thread-1", original.message.id, at);
        const expected: Message = { ...original.message, content: "", metadata: {}, deletedAt: at };
        expect(deleted.message).toEqual(expected);
        expect(deleted.event).toEqual({
          tenantId: ACME,
          threadId: "thread-1",
          sequence: 3,
          type: "chat.message.deleted",
          data: { messageId: original.message.id, deletedAt: at.toISOString() },
          createdAt: at,
        });
        expect(await chat.getMessage(ACME, "thread-1", original.message.id)).toEqual(expected);
        expect(await chat.listMessages(ACME, "thread-1", 0, 10)).toEqual([expected]);
        await expectDomainError(chat.deleteMessage(ACME, "thread-1", original.message.id, tick()), "message.deleted");
        await expectDomainError(
          chat.editMessage(ACME, "thread-1", original.message.id, { content: "back", metadata: {} }, tick()),
          "message.deleted",
        );
        await expectDomainError(chat.deleteMessage(ACME, "thread-1", "message-nope", tick()), "message.not_found");
        expect(await lastSequence()).toBe(3);
      });

      it("pages messages by sequence", async () => {
        await createThread();
        const sent: Message[] = [];
        for (let i = 0; i < 3; i++) sent.push((await created(send("thread-1", bob.id))).message);
        await chat.addParticipants(ACME, "thread-1", [carol], alice.id, tick()); // sequence 5: not a message
        for (let i = 0; i < 2; i++) sent.push((await created(send("thread-1", carol.id))).message);
        expect(sent.map((m) => m.sequence)).toEqual([2, 3, 4, 6, 7]);

        expect(await chat.listMessages(ACME, "thread-1", 0, 100)).toEqual(sent);
        expect(await chat.listMessages(ACME, "thread-1", 0, 2)).toEqual(sent.slice(0, 2));
        expect(await chat.listMessages(ACME, "thread-1", 3, 2)).toEqual([sent[2], sent[3]]);
        expect(await chat.listMessages(ACME, "thread-1", 4, 100)).toEqual(sent.slice(3));
        expect(await chat.listMessages(ACME, "thread-1", 7, 100)).toEqual([]);
        expect(await chat.listMessages(ACME, "thread-nope", 0, 100)).toEqual([]);
      });
    });

    describe("message extras", () => {
      const extras: MessageExtras = {
        attachments: [
          { id: "attachment-1", fileName: "invoice.pdf", contentType: "application/pdf", size: 52_133 },
          { id: "attachment-2", fileName: "photo «1».png", contentType: "image/png", size: 1 },
        ],
        quickReplies: [
          { label: "Yes", value: "yes" },
          { label: "No, thanks", value: "no" },
        ],
        card: {
          title: "Your order",
          text: "Shipped on Monday",
          imageUrl: "https://example.test/parcel.png",
          buttons: [{ label: "Track", url: "https://example.test/track" }, { label: "Help", value: "help" }, { label: "Plain" }],
        },
      };

      it("keeps attachments, quick replies and a card wherever the message is read", async () => {
        await createThread();
        const sent = await created(send("thread-1", bob.id, { ...extras, idempotencyKey: "with-extras" }));
        expect(sent.message).toMatchObject(extras);
        expect(sent.event.data).toEqual({ message: messageData(sent.message) });
        expect((sent.event.data as { message: MessageData }).message).toMatchObject(extras);
        expect(await chat.getMessage(ACME, "thread-1", sent.message.id)).toEqual(sent.message);
        expect(await chat.listMessages(ACME, "thread-1", 0, 10)).toEqual([sent.message]);
        expect(await chat.listEvents(ACME, "thread-1", 1, 10)).toEqual([sent.event]);
        const retry = await send("thread-1", bob.id, { idempotencyKey: "with-extras" });
        expect(retry).toEqual({ kind: "duplicate", message: sent.message });
      });

      it("keeps each part on its own: only a card, only quick replies, nothing", async () => {
        await createThread();
        const cardOnly = await created(send("thread-1", bob.id, { content: "", card: { title: "Just a title" } }));
        const repliesOnly = await created(send("thread-1", bob.id, { quickReplies: [{ label: "OK", value: "ok" }] }));
        const plain = await created(send("thread-1", bob.id));
        expect(cardOnly.message).toMatchObject({
          content: "",
          attachments: [],
          quickReplies: [],
          card: { title: "Just a title" },
        });
        expect(repliesOnly.message).toMatchObject({ attachments: [], quickReplies: [{ label: "OK", value: "ok" }], card: null });
        expect(plain.message).toMatchObject(NO_EXTRAS);
        expect(await chat.listMessages(ACME, "thread-1", 0, 10)).toEqual([cardOnly.message, repliesOnly.message, plain.message]);
      });

      it("keeps the extras through an edit, and forgets them on delete", async () => {
        await createThread();
        const sent = await created(send("thread-1", bob.id, extras));
        const edited = await chat.editMessage(ACME, "thread-1", sent.message.id, { content: "edited", metadata: {} }, tick());
        expect(edited.message).toMatchObject({ content: "edited", ...extras });
        expect(edited.event.data).toEqual({ message: messageData(edited.message) });
        expect(await chat.getMessage(ACME, "thread-1", sent.message.id)).toEqual(edited.message);

        const deleted = await chat.deleteMessage(ACME, "thread-1", sent.message.id, tick());
        expect(deleted.message).toMatchObject({ content: "", metadata: {}, ...NO_EXTRAS });
        expect(await chat.getMessage(ACME, "thread-1", sent.message.id)).toEqual(deleted.message);
        expect(await chat.listMessages(ACME, "thread-1", 0, 10)).toEqual([deleted.message]);
        // The earlier events still say what was sent: the log is history.
        const [received] = await chat.listEvents(ACME, "thread-1", 1, 1);
        expect(received).toEqual(sent.event);
      });

      it("returns copies: changing a result changes nothing stored", async () => {
        await createThread();
        const sent = await created(send("thread-1", bob.id, extras));
        const attachment = sent.message.attachments[0] as { fileName: string };
        attachment.fileName = "changed.pdf";
        (sent.message.quickReplies as unknown[]).length = 0;
        expect(await chat.getMessage(ACME, "thread-1", sent.message.id)).toMatchObject(extras);
      });
    });

    describe("participants", () => {
      it("adds only new participants and renamed ones, in one `chat.participants.added` event", async () => {
        await createThread();
        const at = tick();
        const event = await chat.addParticipants(
          ACME,
          "thread-1",
          [alice, { id: bob.id, displayName: "Robert" }, carol],
          alice.id,
          at,
        );
        expect(event).toEqual({
          tenantId: ACME,
          threadId: "thread-1",
          sequence: 2,
          type: "chat.participants.added",
          data: { participants: [{ id: bob.id, displayName: "Robert" }, carol], addedBy: alice.id },
          createdAt: at,
        });
        expect(await chat.listParticipants(ACME, "thread-1")).toEqual([
          { threadId: "thread-1", identityId: alice.id, displayName: "Alice", joinedSequence: 1, lastReadSequence: 0 },
          { threadId: "thread-1", identityId: bob.id, displayName: "Robert", joinedSequence: 1, lastReadSequence: 0 },
          { threadId: "thread-1", identityId: carol.id, displayName: "Carol", joinedSequence: 2, lastReadSequence: 0 },
        ]);
        expect(await lastSequence()).toBe(2);
        expect((await created(send("thread-1", bob.id))).message.senderDisplayName).toBe("Robert");
      });

      it("appends no event when nobody is new or renamed", async () => {
        await createThread();
        expect(await chat.addParticipants(ACME, "thread-1", [alice, bob], null, tick())).toBeUndefined();
        expect(await chat.addParticipants(ACME, "thread-1", [], null, tick())).toBeUndefined();
        expect(await chat.addParticipants(ACME, "thread-nope", [carol], null, tick())).toBeUndefined();
        expect(await lastSequence()).toBe(1);
        expect(await eventTypes()).toEqual(["chat.participants.added"]);
      });

      it("removes a participant with a `chat.participants.removed` event", async () => {
        await createThread();
        const at = tick();
        const event = await chat.removeParticipant(ACME, "thread-1", bob.id, alice.id, at);
        expect(event).toEqual({
          tenantId: ACME,
          threadId: "thread-1",
          sequence: 2,
          type: "chat.participants.removed",
          data: { participants: [bob], removedBy: alice.id },
          createdAt: at,
        });
        expect(await chat.getParticipant(ACME, "thread-1", bob.id)).toBeUndefined();
        expect((await chat.listParticipants(ACME, "thread-1")).map((p) => p.identityId)).toEqual([alice.id]);
        await expectDomainError(send("thread-1", bob.id), "thread.not_participant");

        expect(await chat.removeParticipant(ACME, "thread-1", bob.id, alice.id, tick())).toBeUndefined();
        expect(await chat.removeParticipant(ACME, "thread-1", carol.id, null, tick())).toBeUndefined();
        expect(await chat.removeParticipant(ACME, "thread-nope", alice.id, null, tick())).toBeUndefined();
        expect(await lastSequence()).toBe(2);

        const back = await chat.addParticipants(ACME, "thread-1", [bob], null, tick());
        expect(back?.sequence).toBe(3);
        expect((await chat.getParticipant(ACME, "thread-1", bob.id))?.joinedSequence).toBe(3);
      });

      it("lists an identity's memberships with where each began", async () => {
        await createThread("thread-1", { participants: [alice, bob] });
        await createThread("thread-2", { participants: [alice] });
        await createThread("thread-3", { participants: [bob] });
        await send("thread-2", alice.id);
        await chat.addParticipants(ACME, "thread-2", [bob], alice.id, tick());
        await chat.removeParticipant(ACME, "thread-1", bob.id, null, tick());

        const memberships = [...(await chat.membershipsOf(ACME, bob.id))].sort((a, b) => a.threadId.localeCompare(b.threadId));
        expect(memberships).toEqual([
          { threadId: "thread-2", joinedSequence: 3 },
          { threadId: "thread-3", joinedSequence: 1 },
        ]);
        expect(await chat.membershipsOf(ACME, carol.id)).toEqual([]);
      });
    });

    describe("read markers", () => {
      it("moves a read marker forward with a `chat.read` event, and never back", async () => {
        await createThread();
        await send("thread-1", alice.id);
        await send("thread-1", alice.id);
        const at = tick();
        const event = await chat.markRead(ACME, "thread-1", bob.id, 2, at);
        expect(event).toEqual({
          tenantId: ACME,
          threadId: "thread-1",
          sequence: 4,
          type: "chat.read",
          data: { identityId: bob.id, readUpTo: 2 },
          createdAt: at,
        });
        expect((await chat.getParticipant(ACME, "thread-1", bob.id))?.lastReadSequence).toBe(2);
        expect(await chat.markRead(ACME, "thread-1", bob.id, 2, tick())).toBeUndefined();
        expect(await chat.markRead(ACME, "thread-1", bob.id, 1, tick())).toBeUndefined();
        expect(await lastSequence()).toBe(4);
        const further = await chat.markRead(ACME, "thread-1", bob.id, 4, tick());
        expect(further?.sequence).toBe(5);
        expect((await chat.getParticipant(ACME, "thread-1", bob.id))?.lastReadSequence).toBe(4);
        expect((await chat.getParticipant(ACME, "thread-1", alice.id))?.lastReadSequence).toBe(0);
      });

      it("ignores a read marker of someone who is not a participant", async () => {
        await createThread();
        expect(await chat.markRead(ACME, "thread-1", carol.id, 1, tick())).toBeUndefined();
        expect(await chat.markRead(ACME, "thread-nope", bob.id, 1, tick())).toBeUndefined();
        expect(await lastSequence()).toBe(1);
      });
    });

    describe("events", () => {
      it("pages the event log by sequence, every kind of change in order", async () => {
        await createThread();
        const m = await created(send("thread-1", bob.id));
        await chat.editMessage(ACME, "thread-1", m.message.id, { content: "edited", metadata: {} }, tick());
        await chat.markRead(ACME, "thread-1", alice.id, 3, tick());
        await chat.addParticipants(ACME, "thread-1", [carol], bob.id, tick());
        await chat.removeParticipant(ACME, "thread-1", carol.id, bob.id, tick());
        await chat.updateThread(ACME, "thread-1", { topic: "t", metadata: {} }, tick());
        await chat.deleteMessage(ACME, "thread-1", m.message.id, tick());

        const all = await chat.listEvents(ACME, "thread-1", 0, 100);
        expect(all.map((e) => [e.sequence, e.type])).toEqual([
          [1, "chat.participants.added"],
          [2, "chat.message.received"],
          [3, "chat.message.edited"],
          [4, "chat.read"],
          [5, "chat.participants.added"],
          [6, "chat.participants.removed"],
          [7, "chat.thread.updated"],
          [8, "chat.message.deleted"],
        ]);
        for (const e of all) expect(e).toMatchObject({ tenantId: ACME, threadId: "thread-1" });
        expect(await chat.listEvents(ACME, "thread-1", 2, 3)).toEqual(all.slice(2, 5));
        expect(await chat.listEvents(ACME, "thread-1", 7, 10)).toEqual(all.slice(7));
        expect(await chat.listEvents(ACME, "thread-1", 8, 10)).toEqual([]);
        expect(await lastSequence()).toBe(8);
      });
    });

    describe("tenant scoping", () => {
      it("never shows or changes one tenant's thread through another tenant", async () => {
        await createThread();
        const m = await created(send("thread-1", bob.id));
        const before: StoredThreadEvent[] = [...(await chat.listEvents(ACME, "thread-1", 0, 100))];

        expect(await chat.getThread(GLOBEX, "thread-1")).toBeUndefined();
        expect(await chat.listThreads(GLOBEX, { limit: 10 })).toEqual({ items: [], next: null });
        expect(await chat.listThreads(GLOBEX, { identityId: bob.id, limit: 10 })).toEqual({ items: [], next: null });
        expect(await chat.getParticipant(GLOBEX, "thread-1", bob.id)).toBeUndefined();
        expect(await chat.listParticipants(GLOBEX, "thread-1")).toEqual([]);
        expect(await chat.getMessage(GLOBEX, "thread-1", m.message.id)).toBeUndefined();
        expect(await chat.listMessages(GLOBEX, "thread-1", 0, 100)).toEqual([]);
        expect(await chat.listEvents(GLOBEX, "thread-1", 0, 100)).toEqual([]);
        expect(await chat.membershipsOf(GLOBEX, bob.id)).toEqual([]);

        expect(await chat.updateThread(GLOBEX, "thread-1", { topic: "hijacked", metadata: {} }, tick())).toBeUndefined();
        expect(await chat.addParticipants(GLOBEX, "thread-1", [carol], null, tick())).toBeUndefined();
        expect(await chat.removeParticipant(GLOBEX, "thread-1", bob.id, null, tick())).toBeUndefined();
        expect(await chat.markRead(GLOBEX, "thread-1", bob.id, 2, tick())).toBeUndefined();
        await expectDomainError(
          chat.appendMessage({
            ...NO_EXTRAS,
            id: "message-intruder",
            tenantId: GLOBEX,
            threadId: "thread-1",
            senderId: bob.id,
            content: "intruder",
            metadata: {},
            idempotencyKey: null,
            createdAt: tick(),
          }),
          "thread.not_found",
        );
        await expectDomainError(
          chat.editMessage(GLOBEX, "thread-1", m.message.id, { content: "hijacked", metadata: {} }, tick()),
          "message.not_found",
        );
        await expectDomainError(chat.deleteMessage(GLOBEX, "thread-1", m.message.id, tick()), "message.not_found");

        // Nothing changed for the owner.
        expect(await chat.getThread(ACME, "thread-1")).toMatchObject({ topic: "Topic of thread-1", lastSequence: 2 });
        expect(await chat.getMessage(ACME, "thread-1", m.message.id)).toEqual(m.message);
        expect(await chat.listEvents(ACME, "thread-1", 0, 100)).toEqual(before);
        expect((await chat.listParticipants(ACME, "thread-1")).map((p) => [p.identityId, p.lastReadSequence])).toEqual([
          [alice.id, 0],
          [bob.id, 0],
        ]);
      });

      it("keeps threads of different tenants apart in lists and idempotency", async () => {
        await createThread("thread-1");
        await chat.createThread({
          id: "thread-g",
          tenantId: GLOBEX,
          topic: "Globex thread",
          metadata: {},
          createdBy: null,
          participants: [bob],
          createdAt: tick(),
        });
        expect((await chat.listThreads(ACME, { limit: 10 })).items.map((t) => t.id)).toEqual(["thread-1"]);
        expect((await chat.listThreads(GLOBEX, { limit: 10 })).items.map((t) => t.id)).toEqual(["thread-g"]);
        expect(await chat.membershipsOf(GLOBEX, bob.id)).toEqual([{ threadId: "thread-g", joinedSequence: 1 }]);
        expect(await chat.membershipsOf(ACME, bob.id)).toEqual([{ threadId: "thread-1", joinedSequence: 1 }]);
        const inGlobex = await chat.appendMessage({
          ...NO_EXTRAS,
          id: "message-g",
          tenantId: GLOBEX,
          threadId: "thread-g",
          senderId: bob.id,
          content: "hi",
          metadata: {},
          idempotencyKey: "k",
          createdAt: tick(),
        });
        const inAcme = await send("thread-1", bob.id, { idempotencyKey: "k" });
        expect([inGlobex.kind, inAcme.kind]).toEqual(["created", "created"]);
      });
    });
  });
}
