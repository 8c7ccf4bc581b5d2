import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type Conversation,
  type ConversationEvent,
  type ConversationStore,
  type Handoff,
  type IdentityStore,
  ManualClock,
  type WidgetSession,
} from "../src/index.js";
import { expectDomainError } from "./identity-store.contract.js";

/** What the conversation contract needs: a fresh, empty store per test, with identities to make tenants in. */
export interface ConversationStoreFixture {
  readonly identities: IdentityStore;
  readonly conversations: ConversationStore;
  close(): Promise<void>;
}

const ACME = "tenant-acme";
const GLOBEX = "tenant-globex";

/**
 * The behaviour every `ConversationStore` shares: the timeline's sequence (an outbox written with each
 * change), the list's filters and pages, queue positions, JSON round-trips, widget sessions, and
 * tenant scoping.
 */
export function conversationStoreContract(name: string, make: () => Promise<ConversationStoreFixture>): void {
  describe(`ConversationStore contract: ${name}`, () => {
    let fixture: ConversationStoreFixture;
    let store: ConversationStore;
    let clock: ManualClock;

    const tick = (): Date => {
      clock.advance(1000);
      return clock.now();
    };

    const conversation = (id: string, extra: Partial<Conversation> = {}): Conversation => {
      const at = tick();
      return {
        id,
        tenantId: ACME,
        threadId: `thread-of-${id}`,
        channel: "web_chat",
        entryPointId: "entry-1",
        customerIdentityId: "identity-visitor",
        customerId: null,
        verified: false,
        status: "bot",
        intent: null,
        queue: "general",
        handoff: null,
        agentId: null,
        wrapUpCode: null,
        botState: null,
        createdAt: at,
        updatedAt: at,
        awaitingSince: null,
        resolvedAt: null,
        ...extra,
      };
    };

    const create = async (id: string, extra: Partial<Conversation> = {}) =>
      (await store.createConversation(conversation(id, extra))).conversation;

    const handoff = (at: Date): Handoff => ({
      reason: "intent_requires_agent",
      intent: "refund",
      queue: "billing",
      customer: {
        identityId: "identity-visitor",
        customerId: "customer-1",
        name: "Ada Lovelace",
        email: "ada@example.test",
        verified: true,
      },
      summary: "Wants a refund for order 1234.\nVerified by email.",
      at: at.toISOString(),
    });

    const ids = async (filter: Parameters<ConversationStore["listConversations"]>[1], tenantId = ACME) =>
      (await store.listConversations(tenantId, filter, { limit: 100 })).items.map((c) => c.id);

    const sequences = async (id: string) =>
      (await store.listConversationEvents(ACME, id, 0, 1000)).map((e) => [e.sequence, e.type]);

    beforeEach(async () => {
      fixture = await make();
      store = fixture.conversations;
      clock = new ManualClock("2026-03-01T09:00:00.000Z");
      await fixture.identities.createTenant({ id: ACME, slug: "acme", name: "Acme", createdAt: tick() });
      await fixture.identities.createTenant({ id: GLOBEX, slug: "globex", name: "Globex", createdAt: tick() });
    });

    afterEach(async () => {
      await fixture.close();
    });

    describe("conversations", () => {
      it("creates a conversation with its `conversation.created` event, sequence 1", async () => {
        const input = conversation("conversation-1", { status: "awaiting_agent", awaitingSince: clock.now() });
        const { conversation: created, event } = await store.createConversation(input);
        expect(created).toEqual(input);
        const expected: ConversationEvent = {
          tenantId: ACME,
          conversationId: "conversation-1",
          sequence: 1,
          type: "conversation.created",
          data: { entryPointId: "entry-1", channel: "web_chat", status: "awaiting_agent" },
          createdAt: input.createdAt,
        };
        expect(event).toEqual(expected);
        expect(await store.getConversation(ACME, "conversation-1")).toEqual(input);
        expect(await store.getConversationByThread(ACME, "thread-of-conversation-1")).toEqual(input);
        expect(await store.listConversationEvents(ACME, "conversation-1", 0, 10)).toEqual([expected]);
        expect(await store.getConversation(ACME, "conversation-nope")).toBeUndefined();
        expect(await store.getConversationByThread(ACME, "thread-nope")).toBeUndefined();
      });

      it("keeps every field: customer, verification, intent, handoff, agent, wrap-up code, dates", async () => {
        const at = tick();
        const input = conversation("conversation-1", {
          customerId: "customer-1",
          verified: true,
          status: "resolved",
          intent: "refund",
          queue: "billing",
          handoff: handoff(at),
          agentId: "identity-agent-1",
          wrapUpCode: "follow_up",
          botState: { step: "done" },
          awaitingSince: at,
          resolvedAt: tick(),
          updatedAt: tick(),
        });
        expect((await store.createConversation(input)).conversation).toEqual(input);
        expect(await store.getConversation(ACME, "conversation-1")).toEqual(input);
      });

      it("round-trips any JSON bot state", async () => {
        const states: unknown[] = [
          null,
          { step: "ask_email", tries: 2, nested: { list: [1, "two", null, { deep: true }] }, empty: {} },
          ["a", 1, false, null, [], {}],
          [],
          "just text with “quotes” and \\ backslashes",
          0,
          -12.5,
          true,
          false,
        ];
        for (const [i, botState] of states.entries()) {
          const id = `conversation-${i}`;
          expect((await store.createConversation(conversation(id, { botState }))).conversation.botState).toEqual(botState);
          expect((await store.getConversation(ACME, id))?.botState).toEqual(botState);
          const changed = await store.changeConversation(ACME, id, {
            patch: { botState: states[states.length - 1 - i] },
            at: tick(),
          });
          expect(changed?.conversation.botState).toEqual(states[states.length - 1 - i]);
          expect((await store.getConversation(ACME, id))?.botState).toEqual(states[states.length - 1 - i]);
        }
      });

      it("refuses a second conversation for the same thread", async () => {
        await create("conversation-1", { threadId: "thread-1" });
        await expect(store.createConversation(conversation("conversation-2", { threadId: "thread-1" }))).rejects.toThrow();
        expect(await store.getConversation(ACME, "conversation-2")).toBeUndefined();
        expect((await store.getConversationByThread(ACME, "thread-1"))?.id).toBe("conversation-1");
      });

      it("refuses a conversation of a tenant that does not exist", async () => {
        await expectDomainError(
          store.createConversation(conversation("conversation-1", { tenantId: "tenant-nope" })),
          "tenant.not_found",
        );
        expect(await store.getConversation("tenant-nope", "conversation-1")).toBeUndefined();
      });
    });

    describe("changes and the timeline", () => {
      it("applies a patch with its event, the timeline's next sequence", async () => {
        const original = await create("conversation-1");
        const at = tick();
        const h = handoff(at);
        const result = await store.changeConversation(ACME, "conversation-1", {
          patch: { status: "awaiting_agent", handoff: h, awaitingSince: at, intent: "refund", botState: { handedOff: true } },
          event: { type: "conversation.handed_off", data: { handoff: h } },
          at,
        });
        const expected: Conversation = {
          ...original,
          status: "awaiting_agent",
          handoff: h,
          awaitingSince: at,
          intent: "refund",
          botState: { handedOff: true },
          updatedAt: at,
        };
        expect(result).toEqual({
          conversation: expected,
          event: {
            tenantId: ACME,
            conversationId: "conversation-1",
            sequence: 2,
            type: "conversation.handed_off",
            data: { handoff: h },
            createdAt: at,
          },
        });
        expect(await store.getConversation(ACME, "conversation-1")).toEqual(expected);
        expect(await store.listConversationEvents(ACME, "conversation-1", 1, 10)).toEqual([result?.event]);
      });

      it("applies a patch without an event, leaving the timeline alone", async () => {
        const original = await create("conversation-1");
        const at = tick();
        const result = await store.changeConversation(ACME, "conversation-1", { patch: { botState: ["step", 2] }, at });
        expect(result).toEqual({ conversation: { ...original, botState: ["step", 2], updatedAt: at }, event: undefined });
        expect(await sequences("conversation-1")).toEqual([[1, "conversation.created"]]);
        const next = await store.changeConversation(ACME, "conversation-1", {
          patch: {},
          event: { type: "conversation.intent_detected", data: { intent: "refund", confidence: 0.92 } },
          at: tick(),
        });
        expect(next?.event?.sequence).toBe(2);
        expect(next?.event?.data).toEqual({ intent: "refund", confidence: 0.92 });
      });

      it("records an event with an empty patch, touching only updatedAt", async () => {
        const original = await create("conversation-1", { botState: { keep: "me" }, intent: "billing" });
        const at = tick();
        const result = await store.changeConversation(ACME, "conversation-1", {
          patch: {},
          event: { type: "conversation.verification_started", data: { maskedEmail: "a**@example.test" } },
          at,
        });
        expect(result?.conversation).toEqual({ ...original, updatedAt: at });
        expect(result?.event).toMatchObject({ sequence: 2, type: "conversation.verification_started" });
      });

      it("changes only the fields the patch names; null clears, undefined keeps", async () => {
        const at0 = tick();
        const original = await create("conversation-1", {
          customerId: "customer-1",
          verified: true,
          intent: "refund",
          handoff: handoff(at0),
          botState: { a: 1 },
          awaitingSince: at0,
          status: "awaiting_agent",
        });
        const at = tick();
        const cleared = await store.changeConversation(ACME, "conversation-1", {
          patch: {
            customerId: null,
            intent: null,
            handoff: null,
            botState: null,
            awaitingSince: null,
            status: undefined,
            verified: undefined,
            resolvedAt: undefined,
          },
          at,
        });
        const expected: Conversation = {
          ...original,
          customerId: null,
          intent: null,
          handoff: null,
          botState: null,
          awaitingSince: null,
          updatedAt: at,
        };
        expect(cleared?.conversation).toEqual(expected);
        expect(await store.getConversation(ACME, "conversation-1")).toEqual(expected);

        const at2 = tick();
        const resolved = await store.changeConversation(ACME, "conversation-1", {
          patch: { status: "resolved", resolvedAt: at2, verified: false },
          event: { type: "conversation.resolved", data: { by: null, wrapUpCode: null } },
          at: at2,
        });
        expect(resolved?.conversation).toEqual({
          ...expected,
          status: "resolved",
          resolvedAt: at2,
          verified: false,
          updatedAt: at2,
        });
      });

      it("sets and clears the agent, the wrap-up code and the queue, as an agent takes, transfers and resolves", async () => {
        const original = await create("conversation-1", { status: "awaiting_agent", awaitingSince: tick() });
        const assignedAt = tick();
        const assigned = await store.changeConversation(ACME, "conversation-1", {
          patch: { status: "with_agent", agentId: "identity-agent-1", awaitingSince: null },
          event: {
            type: "conversation.assigned",
            data: { agentId: "identity-agent-1", agentName: "Grace Hopper", queue: "general" },
          },
          at: assignedAt,
        });
        const withAgent: Conversation = {
          ...original,
          status: "with_agent",
          agentId: "identity-agent-1",
          awaitingSince: null,
          updatedAt: assignedAt,
        };
        expect(assigned?.conversation).toEqual(withAgent);
        expect(await store.getConversation(ACME, "conversation-1")).toEqual(withAgent);

        // A transfer to another queue: it waits there, and the agent keeps it until the next one accepts.
        const transferredAt = tick();
        const transferred = await store.changeConversation(ACME, "conversation-1", {
          patch: { status: "awaiting_agent", awaitingSince: transferredAt, queue: "billing", agentId: undefined },
          event: {
            type: "conversation.transferred",
            data: { from: "identity-agent-1", to: { kind: "queue", id: "queue-billing", name: "billing" }, note: null },
          },
          at: transferredAt,
        });
        const waiting: Conversation = {
          ...withAgent,
          status: "awaiting_agent",
          awaitingSince: transferredAt,
          queue: "billing",
          updatedAt: transferredAt,
        };
        expect(transferred?.conversation).toEqual(waiting);
        expect(await store.countAwaitingBefore(ACME, "general", tick())).toBe(0);
        expect(await store.countAwaitingBefore(ACME, "billing", tick())).toBe(1);

        const resolvedAt = tick();
        const resolved = await store.changeConversation(ACME, "conversation-1", {
          patch: { status: "resolved", resolvedAt, agentId: "identity-agent-2", wrapUpCode: "follow_up", awaitingSince: null },
          event: { type: "conversation.resolved", data: { by: "identity-agent-2", wrapUpCode: "follow_up" } },
          at: resolvedAt,
        });
        const done: Conversation = {
          ...waiting,
          status: "resolved",
          resolvedAt,
          agentId: "identity-agent-2",
          wrapUpCode: "follow_up",
          awaitingSince: null,
          updatedAt: resolvedAt,
        };
        expect(resolved?.conversation).toEqual(done);
        expect(await store.getConversation(ACME, "conversation-1")).toEqual(done);

        // Null clears them; undefined keeps them.
        const kept = await store.changeConversation(ACME, "conversation-1", {
          patch: { agentId: undefined, wrapUpCode: undefined, queue: undefined },
          at: tick(),
        });
        expect(kept?.conversation).toMatchObject({ agentId: "identity-agent-2", wrapUpCode: "follow_up", queue: "billing" });
        const clearedAt = tick();
        const cleared = await store.changeConversation(ACME, "conversation-1", {
          patch: { agentId: null, wrapUpCode: null, queue: "general" },
          at: clearedAt,
        });
        expect(cleared?.conversation).toEqual({
          ...done,
          agentId: null,
          wrapUpCode: null,
          queue: "general",
          updatedAt: clearedAt,
        });
        expect(await store.getConversation(ACME, "conversation-1")).toEqual(cleared?.conversation);
        expect(await sequences("conversation-1")).toEqual([
          [1, "conversation.created"],
          [2, "conversation.assigned"],
          [3, "conversation.transferred"],
          [4, "conversation.resolved"],
        ]);
      });

      it("round-trips the data of the assignment, transfer and resolution events", async () => {
        await create("conversation-1");
        const changes: Parameters<ConversationStore["changeConversation"]>[2]["event"][] = [
          {
            type: "conversation.assigned",
            data: { agentId: "identity-agent-1", agentName: "Grace “Amazing” Hopper", queue: "billing" },
          },
          {
            type: "conversation.transferred",
            data: {
              from: "identity-agent-1",
              to: { kind: "worker", id: "identity-agent-2", name: "Alan Turing" },
              note: "Knows the refund rules.\nCall back after 5 \\ or never.",
            },
          },
          {
            type: "conversation.transferred",
            data: { from: null, to: { kind: "queue", id: "queue-vip", name: "vip" }, note: null },
          },
          { type: "conversation.resolved", data: { by: "identity-agent-2", wrapUpCode: "no_response" } },
          { type: "conversation.resolved", data: { by: null, wrapUpCode: null } },
        ];
        const recorded: (ConversationEvent | undefined)[] = [];
        for (const event of changes) {
          recorded.push((await store.changeConversation(ACME, "conversation-1", { patch: {}, event, at: tick() }))?.event);
        }
        expect(recorded.map((e) => e && { type: e.type, data: e.data })).toEqual(changes);
        expect(await store.listConversationEvents(ACME, "conversation-1", 1, 100)).toEqual(recorded);
      });

      it("numbers each conversation's timeline on its own, every event type in order", async () => {
        await create("conversation-1");
        await create("conversation-2");
        const record = (id: string, event: Parameters<ConversationStore["changeConversation"]>[2]["event"]) =>
          store.changeConversation(ACME, id, { patch: {}, event, at: tick() });
        await record("conversation-1", { type: "conversation.intent_detected", data: { intent: "refund", confidence: 0.5 } });
        await record("conversation-2", { type: "conversation.resolved", data: { by: "identity-agent", wrapUpCode: "resolved" } });
        await record("conversation-1", { type: "conversation.verification_started", data: { maskedEmail: "a**@x.test" } });
        await record("conversation-1", { type: "conversation.verification_failed", data: { reason: "wrong_code" } });
        await record("conversation-1", { type: "conversation.customer_verified", data: { customerId: "c-1", name: "Ada" } });
        await record("conversation-1", { type: "conversation.handed_off", data: { handoff: handoff(clock.now()) } });
        await record("conversation-1", {
          type: "conversation.assigned",
          data: { agentId: "identity-agent-1", agentName: "Grace Hopper", queue: "billing" },
        });
        await record("conversation-1", {
          type: "conversation.transferred",
          data: {
            from: "identity-agent-1",
            to: { kind: "worker", id: "identity-agent-2", name: "Alan Turing" },
            note: "Knows the “refund” rules.\nCall back after 5.",
          },
        });
        await record("conversation-1", {
          type: "conversation.transferred",
          data: { from: null, to: { kind: "queue", id: "queue-vip", name: "vip" }, note: null },
        });
        await record("conversation-1", { type: "conversation.resolved", data: { by: null, wrapUpCode: null } });

        const all = await store.listConversationEvents(ACME, "conversation-1", 0, 100);
        expect(all.map((e) => [e.sequence, e.type])).toEqual([
          [1, "conversation.created"],
          [2, "conversation.intent_detected"],
          [3, "conversation.verification_started"],
          [4, "conversation.verification_failed"],
          [5, "conversation.customer_verified"],
          [6, "conversation.handed_off"],
          [7, "conversation.assigned"],
          [8, "conversation.transferred"],
          [9, "conversation.transferred"],
          [10, "conversation.resolved"],
        ]);
        for (const e of all) expect(e).toMatchObject({ tenantId: ACME, conversationId: "conversation-1" });
        expect(await sequences("conversation-2")).toEqual([
          [1, "conversation.created"],
          [2, "conversation.resolved"],
        ]);
        expect(await store.listConversationEvents(ACME, "conversation-1", 2, 3)).toEqual(all.slice(2, 5));
        expect(await store.listConversationEvents(ACME, "conversation-1", 6, 10)).toEqual(all.slice(6));
        expect(await store.listConversationEvents(ACME, "conversation-1", 10, 10)).toEqual([]);
        expect(await store.listConversationEvents(ACME, "conversation-1", 0, 0)).toEqual([]);
        expect(await store.listConversationEvents(ACME, "conversation-nope", 0, 10)).toEqual([]);
      });

      it("gives concurrent changes distinct, gapless sequences", async () => {
        await create("conversation-1");
        const at = tick();
        const results = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            store.changeConversation(ACME, "conversation-1", {
              patch: { botState: { turn: i } },
              event: { type: "conversation.intent_detected", data: { intent: `intent-${i}`, confidence: i / 12 } },
              at,
            }),
          ),
        );
        const numbers = results.map((r) => r?.event?.sequence ?? 0).sort((a, b) => a - b);
        expect(numbers).toEqual(Array.from({ length: 12 }, (_, i) => i + 2));
        const events = await store.listConversationEvents(ACME, "conversation-1", 0, 100);
        expect(events.map((e) => e.sequence)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
        // The stored state is the one of the change that took the last sequence.
        const last = results.find((r) => r?.event?.sequence === 13);
        expect((await store.getConversation(ACME, "conversation-1"))?.botState).toEqual(last?.conversation.botState);
      });

      it("changes nothing for an unknown conversation", async () => {
        expect(
          await store.changeConversation(ACME, "conversation-nope", {
            patch: { status: "resolved" },
            event: { type: "conversation.resolved", data: { by: null, wrapUpCode: null } },
            at: tick(),
          }),
        ).toBeUndefined();
        expect(await store.changeConversation(ACME, "conversation-nope", { patch: {}, at: tick() })).toBeUndefined();
        expect(await store.listConversationEvents(ACME, "conversation-nope", 0, 10)).toEqual([]);
      });
    });

    describe("the list", () => {
      it("lists conversations newest first, in pages, ties by id", async () => {
        for (const id of ["conversation-1", "conversation-2", "conversation-3"]) await create(id);
        const at = tick();
        for (const id of ["conversation-5", "conversation-6", "conversation-4"])
          await create(id, { createdAt: at, updatedAt: at });
        const first = await store.listConversations(ACME, {}, { limit: 2 });
        expect(first.items.map((c) => c.id)).toEqual(["conversation-6", "conversation-5"]);
        expect(first.items[0]).toEqual(await store.getConversation(ACME, "conversation-6"));
        const second = await store.listConversations(ACME, {}, { limit: 2, after: first.next as string });
        expect(second.items.map((c) => c.id)).toEqual(["conversation-4", "conversation-3"]);
        const third = await store.listConversations(ACME, {}, { limit: 2, after: second.next as string });
        expect(third.items.map((c) => c.id)).toEqual(["conversation-2", "conversation-1"]);
        expect(third.next).toBeNull();
        const exact = await store.listConversations(ACME, {}, { limit: 6 });
        expect(exact.items).toHaveLength(6);
        expect(exact.next).toBeNull();
      });

      it("filters by status, entry point, customer identity, customer and queue, alone or together", async () => {
        await create("c-1", { status: "bot", entryPointId: "entry-1", customerIdentityId: "visitor-1" });
        await create("c-2", {
          status: "awaiting_agent",
          entryPointId: "entry-2",
          customerIdentityId: "visitor-1",
          queue: "billing",
        });
        await create("c-3", {
          status: "with_agent",
          entryPointId: "entry-1",
          customerIdentityId: "visitor-2",
          customerId: "customer-2",
        });
        await create("c-4", {
          status: "awaiting_agent",
          entryPointId: "entry-1",
          customerIdentityId: "visitor-2",
          customerId: "customer-2",
        });
        await create("c-5", { status: "resolved", entryPointId: "entry-2", customerIdentityId: "visitor-3", queue: "billing" });

        expect(await ids({})).toEqual(["c-5", "c-4", "c-3", "c-2", "c-1"]);
        expect(await ids({ status: "awaiting_agent" })).toEqual(["c-4", "c-2"]);
        expect(await ids({ entryPointId: "entry-2" })).toEqual(["c-5", "c-2"]);
        expect(await ids({ customerIdentityId: "visitor-2" })).toEqual(["c-4", "c-3"]);
        expect(await ids({ customerId: "customer-2" })).toEqual(["c-4", "c-3"]);
        expect(await ids({ queue: "billing" })).toEqual(["c-5", "c-2"]);
        expect(await ids({ queue: "general", status: "awaiting_agent" })).toEqual(["c-4"]);
        expect(await ids({ entryPointId: "entry-1", customerIdentityId: "visitor-1" })).toEqual(["c-1"]);
        expect(
          await ids({
            status: "with_agent",
            entryPointId: "entry-1",
            customerIdentityId: "visitor-2",
            customerId: "customer-2",
            queue: "general",
          }),
        ).toEqual(["c-3"]);
        expect(await ids({ status: "resolved", queue: "general" })).toEqual([]);
        expect(await ids({ customerIdentityId: "" })).toEqual([]);

        // A filter sees the conversation as it is now.
        await store.changeConversation(ACME, "c-1", {
          patch: { status: "awaiting_agent", customerId: "customer-9" },
          at: tick(),
        });
        expect(await ids({ status: "awaiting_agent" })).toEqual(["c-4", "c-2", "c-1"]);
        expect(await ids({ customerId: "customer-9" })).toEqual(["c-1"]);
      });

      it("filters by agent, alone or with the other filters, as the conversation is now", async () => {
        await create("c-1", { status: "with_agent", agentId: "agent-1" });
        await create("c-2", { status: "with_agent", agentId: "agent-2", queue: "billing" });
        await create("c-3", { status: "resolved", agentId: "agent-1", wrapUpCode: "resolved", queue: "billing" });
        await create("c-4", { status: "awaiting_agent" });
        await store.createConversation(conversation("c-g", { tenantId: GLOBEX, agentId: "agent-1" }));

        expect(await ids({ agentId: "agent-1" })).toEqual(["c-3", "c-1"]);
        expect(await ids({ agentId: "agent-2" })).toEqual(["c-2"]);
        expect(await ids({ agentId: "agent-1", status: "with_agent" })).toEqual(["c-1"]);
        expect(await ids({ agentId: "agent-1", queue: "billing" })).toEqual(["c-3"]);
        expect(await ids({ agentId: "agent-nobody" })).toEqual([]);
        expect(await ids({ agentId: "agent-1" }, GLOBEX)).toEqual(["c-g"]);

        await store.changeConversation(ACME, "c-4", { patch: { status: "with_agent", agentId: "agent-1" }, at: tick() });
        await store.changeConversation(ACME, "c-1", { patch: { agentId: "agent-2" }, at: tick() });
        expect(await ids({ agentId: "agent-1" })).toEqual(["c-4", "c-3"]);
        expect(await ids({ agentId: "agent-2" })).toEqual(["c-2", "c-1"]);
        await store.changeConversation(ACME, "c-2", { patch: { agentId: null }, at: tick() });
        expect(await ids({ agentId: "agent-2" })).toEqual(["c-1"]);

        const first = await store.listConversations(ACME, { agentId: "agent-1" }, { limit: 1 });
        expect(first.items.map((c) => c.id)).toEqual(["c-4"]);
        const second = await store.listConversations(ACME, { agentId: "agent-1" }, { limit: 1, after: first.next as string });
        expect(second).toEqual({ items: [await store.getConversation(ACME, "c-3")], next: null });
      });

      it("pages a filtered list", async () => {
        for (let i = 1; i <= 5; i++) await create(`c-${i}`, { queue: i % 2 === 0 ? "billing" : "general" });
        const first = await store.listConversations(ACME, { queue: "general" }, { limit: 2 });
        expect(first.items.map((c) => c.id)).toEqual(["c-5", "c-3"]);
        const second = await store.listConversations(ACME, { queue: "general" }, { limit: 2, after: first.next as string });
        expect(second).toEqual({ items: [await store.getConversation(ACME, "c-1")], next: null });
      });

      it("rejects a cursor it did not hand out", async () => {
        await create("conversation-1");
        await expectDomainError(store.listConversations(ACME, {}, { after: "garbage", limit: 2 }), "page.invalid_cursor");
      });
    });

    describe("queue positions", () => {
      it("counts the conversations of the queue that have waited since strictly before", async () => {
        const t = (minute: number) => new Date(Date.UTC(2026, 2, 1, 10, minute));
        await create("c-1", { status: "awaiting_agent", awaitingSince: t(1) });
        await create("c-2", { status: "awaiting_agent", awaitingSince: t(2) });
        await create("c-3", { status: "awaiting_agent", awaitingSince: t(2) });
        await create("c-4", { status: "awaiting_agent", awaitingSince: t(3) });
        await create("c-5", { status: "awaiting_agent", awaitingSince: t(0), queue: "billing" });
        await create("c-6", { status: "with_agent", awaitingSince: t(0) });
        await create("c-7", { status: "resolved", awaitingSince: t(0) });
        await create("c-8", { status: "bot" });
        await create("c-9", { status: "awaiting_agent", awaitingSince: null });
        await store.createConversation(conversation("c-g", { tenantId: GLOBEX, status: "awaiting_agent", awaitingSince: t(0) }));

        expect(await store.countAwaitingBefore(ACME, "general", t(1))).toBe(0);
        expect(await store.countAwaitingBefore(ACME, "general", t(2))).toBe(1);
        expect(await store.countAwaitingBefore(ACME, "general", new Date(t(2).getTime() + 1))).toBe(3);
        expect(await store.countAwaitingBefore(ACME, "general", t(3))).toBe(3);
        expect(await store.countAwaitingBefore(ACME, "general", t(60))).toBe(4);
        expect(await store.countAwaitingBefore(ACME, "billing", t(60))).toBe(1);
        expect(await store.countAwaitingBefore(ACME, "nobody", t(60))).toBe(0);
        expect(await store.countAwaitingBefore(GLOBEX, "general", t(60))).toBe(1);

        // Taken by an agent: no longer in the queue.
        await store.changeConversation(ACME, "c-1", { patch: { status: "with_agent" }, at: tick() });
        expect(await store.countAwaitingBefore(ACME, "general", t(60))).toBe(3);
      });
    });

    describe("widget sessions", () => {
      const session = (id: string, extra: Partial<WidgetSession> = {}): WidgetSession => ({
        id,
        tenantId: ACME,
        entryPointId: "entry-1",
        identityId: `identity-of-${id}`,
        secretDigest: `digest-of-${id}`,
        createdAt: tick(),
        ...extra,
      });

      it("creates a session and finds it by its secret's digest, whatever the tenant", async () => {
        const acme = session("session-1");
        expect(await store.createWidgetSession(acme)).toEqual(acme);
        const globex = await store.createWidgetSession(session("session-2", { tenantId: GLOBEX, entryPointId: "entry-g" }));
        expect(await store.findWidgetSession("digest-of-session-1")).toEqual(acme);
        expect(await store.findWidgetSession("digest-of-session-2")).toEqual(globex);
        expect(await store.findWidgetSession("digest-nope")).toBeUndefined();
      });

      it("refuses a digest that is taken, in any tenant", async () => {
        const first = await store.createWidgetSession(session("session-1", { secretDigest: "same" }));
        await expectDomainError(
          store.createWidgetSession(session("session-2", { secretDigest: "same" })),
          "widget_session.secret_taken",
        );
        await expectDomainError(
          store.createWidgetSession(session("session-3", { secretDigest: "same", tenantId: GLOBEX })),
          "widget_session.secret_taken",
        );
        expect(await store.findWidgetSession("same")).toEqual(first);
      });

      it("refuses a session of a tenant that does not exist", async () => {
        await expectDomainError(store.createWidgetSession(session("session-1", { tenantId: "tenant-nope" })), "tenant.not_found");
        expect(await store.findWidgetSession("digest-of-session-1")).toBeUndefined();
      });
    });

    describe("tenant scoping", () => {
      it("never shows or changes one tenant's conversation through another tenant", async () => {
        const original = await create("conversation-1", {
          status: "with_agent",
          awaitingSince: tick(),
          agentId: "identity-agent-1",
        });
        const before = await store.listConversationEvents(ACME, "conversation-1", 0, 100);

        expect(await store.getConversation(GLOBEX, "conversation-1")).toBeUndefined();
        expect(await store.getConversationByThread(GLOBEX, original.threadId)).toBeUndefined();
        expect(await store.listConversations(GLOBEX, {}, { limit: 10 })).toEqual({ items: [], next: null });
        expect(await store.listConversations(GLOBEX, { agentId: "identity-agent-1" }, { limit: 10 })).toEqual({
          items: [],
          next: null,
        });
        expect(await store.listConversations(GLOBEX, { customerIdentityId: original.customerIdentityId }, { limit: 10 })).toEqual(
          {
            items: [],
            next: null,
          },
        );
        expect(await store.listConversationEvents(GLOBEX, "conversation-1", 0, 100)).toEqual([]);
        expect(await store.countAwaitingBefore(GLOBEX, "general", tick())).toBe(0);
        expect(
          await store.changeConversation(GLOBEX, "conversation-1", {
            patch: { status: "resolved", botState: "hijacked", agentId: "identity-intruder", wrapUpCode: "x", queue: "stolen" },
            event: { type: "conversation.resolved", data: { by: null, wrapUpCode: null } },
            at: tick(),
          }),
        ).toBeUndefined();

        expect(await store.getConversation(ACME, "conversation-1")).toEqual(original);
        expect(await store.listConversationEvents(ACME, "conversation-1", 0, 100)).toEqual(before);
      });

      it("keeps the lists of different tenants apart", async () => {
        await create("conversation-1");
        await store.createConversation(conversation("conversation-g", { tenantId: GLOBEX }));
        expect(await ids({})).toEqual(["conversation-1"]);
        expect(await ids({}, GLOBEX)).toEqual(["conversation-g"]);
        expect(await ids({ entryPointId: "entry-1" }, GLOBEX)).toEqual(["conversation-g"]);
      });
    });
  });
}
