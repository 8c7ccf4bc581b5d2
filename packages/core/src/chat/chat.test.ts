import { MemoryAttachmentStore, MemoryChatStore, MemoryIdentityStore } from "@switchboard/core/testing";
import { beforeEach, describe, expect, it } from "vitest";
import type { Principal } from "../identity/model.js";
import { ManualClock } from "../kernel/clock.js";
import { DomainError } from "../kernel/domain-error.js";
import { SequentialIds } from "../kernel/ids.js";
import type { ChatDeps } from "./deps.js";
import { deleteMessage, editMessage, listMessages, sendMessage } from "./messages.js";
import type { ThreadEvent } from "./model.js";
import { addParticipants, listParticipants, removeParticipant } from "./participants.js";
import { listThreadEvents, markRead, sendTyping } from "./receipts.js";
import { createThread, listThreads } from "./threads.js";

const TENANT = "tenant-1";
const as = (identityId: string, scopes: ("chat" | "voip" | "admin")[] = ["chat"]): Principal => ({
  kind: "identity",
  tenantId: TENANT,
  identityId,
  scopes,
});
const apiKey: Principal = { kind: "api_key", tenantId: TENANT, apiKeyId: "key-1" };

const codeOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (e: unknown) => (e instanceof DomainError ? e.code : String(e)),
  );

describe("chat use cases", () => {
  let deps: ChatDeps;
  let published: ThreadEvent[];
  let clock: ManualClock;

  beforeEach(async () => {
    const identities = new MemoryIdentityStore();
    clock = new ManualClock("2026-05-01T09:00:00Z");
    published = [];
    deps = {
      chat: new MemoryChatStore(),
      identities,
      attachmentStore: new MemoryAttachmentStore({ tenants: identities }),
      publisher: { publish: (e) => published.push(e) },
      clock,
      ids: new SequentialIds("x"),
    };
    await identities.createTenant({ id: TENANT, slug: "t", name: "T", createdAt: clock.now() });
    for (const [id, displayName] of [
      ["ada", "Ada"],
      ["bob", "Bob"],
      ["eve", "Eve"],
    ] as const) {
      await identities.createIdentity({
        id,
        tenantId: TENANT,
        kind: "customer",
        displayName,
        externalId: null,
        metadata: {},
        createdAt: clock.now(),
      });
    }
  });

  it("adds the creating identity to its thread and announces the participants as event 1", async () => {
    const thread = await createThread(deps, as("ada"), { topic: "Help", participants: [{ id: "bob", displayName: "Bobby" }] });
    expect(thread).toMatchObject({ topic: "Help", createdBy: "ada", lastSequence: 1 });
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      type: "chat.participants.added",
      sequence: 1,
      data: {
        participants: [
          { id: "ada", displayName: "Ada" },
          { id: "bob", displayName: "Bobby" },
        ],
        addedBy: "ada",
      },
    });
    const byKey = await createThread(deps, apiKey, { topic: "By key", participants: [{ id: "eve" }] });
    expect(byKey.createdBy).toBeNull();
    expect((await listParticipants(deps, apiKey, byKey.id)).map((p) => p.identityId)).toEqual(["eve"]);
    expect(await codeOf(createThread(deps, apiKey, { topic: "empty", participants: [] }))).toBe("thread.no_participants");
  });

  it("lets only participants speak, and only senders edit or delete", async () => {
    const thread = await createThread(deps, as("ada"), { topic: "", participants: [{ id: "bob" }] });
    const sent = await sendMessage(deps, as("ada"), thread.id, { content: "hi" });
    expect(sent).toMatchObject({ kind: "created", message: { sequence: 2, senderId: "ada", senderDisplayName: "Ada" } });
    expect(await codeOf(sendMessage(deps, as("eve"), thread.id, { content: "hi" }))).toBe("thread.not_found");
    expect(await codeOf(sendMessage(deps, apiKey, thread.id, { content: "hi" }))).toBe("thread.not_participant");
    expect(await codeOf(sendMessage(deps, as("ada", ["voip"]), thread.id, { content: "hi" }))).toBe("auth.scope_missing");
    expect(await codeOf(editMessage(deps, as("bob"), thread.id, sent.message.id, { content: "x" }))).toBe("message.not_sender");
    expect(await codeOf(deleteMessage(deps, as("bob"), thread.id, sent.message.id))).toBe("message.not_sender");

    clock.advance(1000);
    const edited = await editMessage(deps, as("ada"), thread.id, sent.message.id, { content: "hi Bob" });
    expect(edited.editedAt?.toISOString()).toBe("2026-05-01T09:00:01.000Z");
    await deleteMessage(deps, as("ada"), thread.id, sent.message.id);
    expect(await codeOf(editMessage(deps, as("ada"), thread.id, sent.message.id, { content: "back" }))).toBe("message.deleted");
    expect(published.map((e) => `${e.sequence}:${e.type}`)).toEqual([
      "1:chat.participants.added",
      "2:chat.message.received",
      "3:chat.message.edited",
      "4:chat.message.deleted",
    ]);
  });

  it("validates content and metadata before storing anything", async () => {
    const thread = await createThread(deps, as("ada"), { topic: "" });
    expect(await codeOf(sendMessage(deps, as("ada"), thread.id, { content: "   " }))).toBe("message.empty");
    expect(await codeOf(sendMessage(deps, as("ada"), thread.id, { content: "x".repeat(8001) }))).toBe("message.too_long");
    const metadata = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, "v"]));
    expect(await codeOf(sendMessage(deps, as("ada"), thread.id, { content: "ok", metadata }))).toBe("metadata.invalid");
    expect((await listMessages(deps, as("ada"), thread.id, { after: 0, limit: 50 })).items).toEqual([]);
    expect(published).toHaveLength(1);
  });

  it("returns the first message for a repeated idempotency key and publishes it once", async () => {
    const thread = await createThread(deps, as("ada"), { topic: "" });
    const first = await sendMessage(deps, as("ada"), thread.id, { content: "pay", idempotencyKey: "k1" });
    const second = await sendMessage(deps, as("ada"), thread.id, { content: "pay", idempotencyKey: "k1" });
    expect(second).toEqual({ kind: "duplicate", message: first.message });
    expect(published.filter((e) => e.type === "chat.message.received")).toHaveLength(1);
  });

  it("moves read markers forward only, and sends typing without storing it", async () => {
    const thread = await createThread(deps, as("ada"), { topic: "", participants: [{ id: "bob" }] });
    await sendMessage(deps, as("ada"), thread.id, { content: "one" });
    await markRead(deps, as("bob"), thread.id, 2);
    await markRead(deps, as("bob"), thread.id, 1);
    expect(await codeOf(markRead(deps, as("bob"), thread.id, 4))).toBe("read.invalid_sequence");
    await sendTyping(deps, as("bob"), thread.id);
    const typing = published.at(-1);
    expect(typing).toMatchObject({ type: "chat.typing", sequence: 3, data: { identityId: "bob", displayName: "Bob" } });
    const stored = await listThreadEvents(deps, as("ada"), thread.id, { after: 0, limit: 10 });
    expect(stored.items.map((e) => e.type)).toEqual(["chat.participants.added", "chat.message.received", "chat.read"]);
    expect(stored.items[2]?.data).toEqual({ identityId: "bob", readUpTo: 2 });
  });

  it("adds and removes participants, and lists threads per identity or for the admin", async () => {
    const thread = await createThread(deps, as("ada"), { topic: "" });
    await addParticipants(deps, as("ada"), thread.id, [{ id: "bob" }]);
    await addParticipants(deps, as("ada"), thread.id, [{ id: "bob" }]);
    expect(published.map((e) => e.type)).toEqual(["chat.participants.added", "chat.participants.added"]);
    expect(await codeOf(addParticipants(deps, as("ada"), thread.id, [{ id: "ghost" }]))).toBe("identity.not_found");
    expect((await listThreads(deps, as("bob"), { limit: 10 })).items.map((t) => t.id)).toEqual([thread.id]);
    expect((await listThreads(deps, as("eve"), { limit: 10 })).items).toEqual([]);
    await removeParticipant(deps, as("bob"), thread.id, "bob");
    expect(await codeOf(removeParticipant(deps, as("ada"), thread.id, "bob"))).toBe("participant.not_found");
    expect((await listThreads(deps, as("bob"), { limit: 10 })).items).toEqual([]);
    expect((await listThreads(deps, apiKey, { limit: 10 })).items.map((t) => t.id)).toEqual([thread.id]);
  });

  it("refuses a removed participant's sends at once, a retry of a message sent before the removal too", async () => {
    const thread = await createThread(deps, as("ada"), { topic: "" });
    await addParticipants(deps, as("ada"), thread.id, [{ id: "bob" }]);
    const first = await sendMessage(deps, as("bob"), thread.id, { content: "hello", idempotencyKey: "k1" });
    expect(first.kind).toBe("created");
    expect((await sendMessage(deps, as("bob"), thread.id, { content: "hello", idempotencyKey: "k1" })).kind).toBe("duplicate");
    await removeParticipant(deps, as("ada"), thread.id, "bob");
    // An outsider learns nothing of the thread, whether or not it sent something there before.
    expect(await codeOf(sendMessage(deps, as("bob"), thread.id, { content: "still here?" }))).toBe("thread.not_found");
    expect(await codeOf(sendMessage(deps, as("bob"), thread.id, { content: "hello", idempotencyKey: "k1" }))).toBe(
      "thread.not_found",
    );
    expect(await codeOf(sendMessage(deps, as("eve"), thread.id, { content: "hi" }))).toBe("thread.not_found");
    const messages = await listMessages(deps, as("ada"), thread.id, { after: 0, limit: 10 });
    expect(messages.items.map((m) => m.content)).toEqual(["hello"]);
  });

  it("pages messages by sequence with a cursor to the next page", async () => {
    const thread = await createThread(deps, as("ada"), { topic: "" });
    for (let i = 0; i < 5; i++) await sendMessage(deps, as("ada"), thread.id, { content: `m${i}` });
    const first = await listMessages(deps, as("ada"), thread.id, { after: 0, limit: 2 });
    expect(first.items.map((m) => m.content)).toEqual(["m0", "m1"]);
    expect(first.next).toBe(3);
    const rest = await listMessages(deps, as("ada"), thread.id, { after: 3, limit: 10 });
    expect(rest.items.map((m) => m.sequence)).toEqual([4, 5, 6]);
    expect(rest.next).toBeNull();
  });
});
