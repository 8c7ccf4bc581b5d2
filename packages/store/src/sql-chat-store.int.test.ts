import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AppendMessageResult, DomainError, type NewMessage, NO_EXTRAS } from "@switchboard/core";
import { createTestSchema, postgresAvailable } from "@switchboard/store/testing";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { openStore, type Store, StoreError } from "./index.js";
import { SqlChatStore } from "./sql-chat-store.js";

const hasPostgres = await postgresAvailable();

const TENANT = "tenant-1";
const AT = new Date("2026-05-01T09:00:00.000Z");

type Outcome = AppendMessageResult | { kind: "refused"; code: string } | { kind: "failed"; error: unknown };

const outcome = (promise: Promise<AppendMessageResult>): Promise<Outcome> =>
  promise.then(
    (r) => r,
    (error: unknown) => (error instanceof DomainError ? { kind: "refused", code: error.code } : { kind: "failed", error }),
  );

/** Group commit: the sends of one turn of the event loop share a transaction, and one send's failure is its own. */
function groupCommitSuite(dialect: string, open: () => Promise<{ store: Store; cleanup: () => Promise<void> }>) {
  describe(`SqlChatStore group commit: ${dialect}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let ids = 0;

    const message = (threadId: string, senderId: string, extra: Partial<NewMessage> = {}): NewMessage => ({
      ...NO_EXTRAS,
      id: `message-${String(++ids).padStart(4, "0")}`,
      tenantId: TENANT,
      threadId,
      senderId,
      content: `message ${ids}`,
      metadata: {},
      idempotencyKey: null,
      createdAt: AT,
      ...extra,
    });

    const sequencesOf = async (chat: SqlChatStore, threadId: string) =>
      (await chat.listEvents(TENANT, threadId, 0, 1000)).map((e) => `${e.sequence}:${e.type}`);

    beforeEach(async () => {
      ({ store, cleanup } = await open());
      ids = 0;
      await store.identities.createTenant({ id: TENANT, slug: "acme", name: "Acme", createdAt: AT });
      for (const id of ["ada", "bob", "eve"]) {
        await store.identities.createIdentity({
          id,
          tenantId: TENANT,
          kind: "customer",
          displayName: id.toUpperCase(),
          externalId: null,
          metadata: {},
          createdAt: AT,
        });
      }
      for (const threadId of ["thread-a", "thread-b", "thread-c"]) {
        await store.chat.createThread({
          id: threadId,
          tenantId: TENANT,
          topic: "",
          metadata: {},
          createdBy: "ada",
          participants: [
            { id: "ada", displayName: "Ada" },
            { id: "bob", displayName: "Bob" },
          ],
          createdAt: AT,
        });
      }
    });

    afterEach(async () => {
      vi.restoreAllMocks();
      await store.close();
      await cleanup();
    });

    it("writes the sends of one tick in one transaction, each with its own sequence, in the order they came", async () => {
      const chat = new SqlChatStore(store.db);
      const transactions = vi.spyOn(store.db, "transaction");
      const sends = ["thread-b", "thread-a", "thread-b", "thread-c", "thread-b", "thread-a"].map((threadId, i) =>
        chat.appendMessage(message(threadId, i % 2 === 0 ? "ada" : "bob")),
      );
      const results = await Promise.all(sends);
      expect(transactions).toHaveBeenCalledTimes(1);
      expect(results.map((r) => [r.kind, r.message.threadId, r.message.sequence, r.message.content])).toEqual([
        ["created", "thread-b", 2, "message 1"],
        ["created", "thread-a", 2, "message 2"],
        ["created", "thread-b", 3, "message 3"],
        ["created", "thread-c", 2, "message 4"],
        ["created", "thread-b", 4, "message 5"],
        ["created", "thread-a", 3, "message 6"],
      ]);
      for (const r of results) {
        if (r.kind !== "created") throw new Error("expected a new message");
        expect(r.event.sequence).toBe(r.message.sequence);
        expect(await chat.getMessage(TENANT, r.message.threadId, r.message.id)).toEqual(r.message);
      }
      expect(await sequencesOf(chat, "thread-b")).toEqual([
        "1:chat.participants.added",
        "2:chat.message.received",
        "3:chat.message.received",
        "4:chat.message.received",
      ]);
    });

    it("refuses a send alone: the others of its transaction are written, and no sequence is lost", async () => {
      const chat = new SqlChatStore(store.db);
      const transactions = vi.spyOn(store.db, "transaction");
      const results = await Promise.all([
        outcome(chat.appendMessage(message("thread-a", "ada"))),
        outcome(chat.appendMessage(message("thread-a", "eve"))),
        outcome(chat.appendMessage(message("thread-nope", "ada"))),
        outcome(chat.appendMessage(message("thread-a", "bob"))),
      ]);
      expect(transactions).toHaveBeenCalledTimes(1);
      expect(
        results.map((r) => ("message" in r ? `${r.kind} ${r.message.sequence}` : r.kind === "refused" ? r.code : "failed")),
      ).toEqual(["created 2", "thread.not_participant", "thread.not_found", "created 3"]);
      expect(await sequencesOf(chat, "thread-a")).toEqual([
        "1:chat.participants.added",
        "2:chat.message.received",
        "3:chat.message.received",
      ]);
    });

    it("answers a key sent twice in one transaction, and again later, with the first message", async () => {
      const chat = new SqlChatStore(store.db);
      const [first, again] = await Promise.all([
        chat.appendMessage(message("thread-a", "bob", { idempotencyKey: "k1", content: "pay" })),
        chat.appendMessage(message("thread-a", "bob", { idempotencyKey: "k1", content: "pay twice?" })),
      ]);
      expect(first?.kind).toBe("created");
      expect(again).toEqual({ kind: "duplicate", message: first?.message });
      const later = await chat.appendMessage(message("thread-a", "bob", { idempotencyKey: "k1" }));
      expect(later).toEqual({ kind: "duplicate", message: first?.message });
      // Another sender's key is its own.
      expect((await chat.appendMessage(message("thread-a", "ada", { idempotencyKey: "k1" }))).kind).toBe("created");
      // A sender no longer in the thread still gets its message back for a retry (the core checks access).
      await chat.removeParticipant(TENANT, "thread-a", "bob", "ada", AT);
      expect(await chat.appendMessage(message("thread-a", "bob", { idempotencyKey: "k1" }))).toEqual(later);
      expect(await outcome(chat.appendMessage(message("thread-a", "bob", { idempotencyKey: "k2" })))).toEqual({
        kind: "refused",
        code: "thread.not_participant",
      });
    });

    it("writes each send alone when their transaction fails, so one broken send fails only itself", async () => {
      const chat = new SqlChatStore(store.db);
      const taken = await chat.appendMessage(message("thread-a", "ada"));
      const transactions = vi.spyOn(store.db, "transaction");
      const results = await Promise.all([
        outcome(chat.appendMessage(message("thread-a", "ada"))),
        // The same id as a stored message: the insert breaks the whole transaction.
        outcome(chat.appendMessage({ ...message("thread-b", "bob"), id: taken.message.id })),
        outcome(chat.appendMessage(message("thread-c", "bob"))),
      ]);
      expect(transactions).toHaveBeenCalledTimes(4);
      expect(results[0]).toMatchObject({ kind: "created", message: { threadId: "thread-a", sequence: 3 } });
      expect(results[1]).toMatchObject({ kind: "failed" });
      expect((results[1] as { error: unknown }).error).toBeInstanceOf(StoreError);
      expect(results[2]).toMatchObject({ kind: "created", message: { threadId: "thread-c", sequence: 2 } });
      // The broken send took no sequence: the next one in its thread is 2.
      expect((await chat.appendMessage(message("thread-b", "bob"))).message.sequence).toBe(2);
    });

    it("keeps each thread's sequence gapless with several batches in flight", async () => {
      const chat = new SqlChatStore(store.db, { batchesInFlight: 3, maxBatchSize: 4 });
      const threads = ["thread-c", "thread-a", "thread-b"];
      const results: AppendMessageResult[] = [];
      for (let round = 0; round < 5; round++) {
        const sends = Array.from({ length: 20 }, (_, i) =>
          chat.appendMessage(
            message(threads[i % 3] ?? "thread-a", i % 2 === 0 ? "ada" : "bob", { idempotencyKey: `r${round}-${i}` }),
          ),
        );
        results.push(...(await Promise.all(sends)));
      }
      expect(results.every((r) => r.kind === "created")).toBe(true);
      for (const threadId of threads) {
        // Batches in flight together commit in any order (as concurrent sends always could on PostgreSQL).
        const sequences = results
          .filter((r) => r.message.threadId === threadId)
          .map((r) => r.message.sequence)
          .sort((a, b) => a - b);
        expect(sequences).toEqual(Array.from({ length: sequences.length }, (_, i) => i + 2));
        const events = await chat.listEvents(TENANT, threadId, 0, 1000);
        expect(events.map((e) => e.sequence)).toEqual(Array.from({ length: sequences.length + 1 }, (_, i) => i + 1));
      }
    });
  });
}

groupCommitSuite("SQLite", async () => {
  const dir = mkdtempSync(join(tmpdir(), "switchboard-chat-"));
  const store = openStore({ sqlitePath: join(dir, "switchboard.db") });
  await store.migrate();
  return { store, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
});

describe.skipIf(!hasPostgres)("PostgreSQL", () => {
  groupCommitSuite("PostgreSQL", async () => {
    const schema = await createTestSchema();
    const store = openStore({ url: schema.url, poolSize: 5 });
    await store.migrate();
    return { store, cleanup: schema.drop };
  });
});
