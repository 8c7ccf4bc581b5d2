import {
  countingSecrets,
  createMemoryStores,
  OutboxEmail,
  plainPasswords,
  scriptedCodes,
  transparentTokens,
} from "@switchboard/core/testing";
import { beforeEach, describe, expect, it } from "vitest";
import type { ChatDeps } from "../chat/deps.js";
import type { ThreadEvent } from "../chat/model.js";
import { importCustomers } from "../customers/customers.js";
import type { IdentityDeps } from "../identity/deps.js";
import { createIdentity } from "../identity/identities.js";
import { ManualClock } from "../kernel/clock.js";
import { DomainError } from "../kernel/domain-error.js";
import { SequentialIds } from "../kernel/ids.js";
import { defaultVerificationPolicy } from "../verification/model.js";
import { checkCode, startVerification, type VerificationDeps } from "../verification/verification.js";
import { isOpen } from "./business-hours.js";
import { handOff, queuePosition } from "./conversations.js";
import type { ConversationDeps } from "./deps.js";
import { createEntryPoint } from "./entry-points.js";
import type { ConversationEvent, EntryPoint } from "./model.js";
import { startWidgetSession } from "./widget-sessions.js";

const TENANT = "tenant-1";
const SITE = "https://shop.example";

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (e: unknown) => (e instanceof DomainError ? e.code : String(e)),
  );

describe("conversations: widget sessions, handoff, verification", () => {
  let clock: ManualClock;
  let deps: ConversationDeps;
  let verification: VerificationDeps;
  let entryPoint: EntryPoint;
  let threadEvents: ThreadEvent[];
  let conversationEvents: ConversationEvent[];
  let outbox: OutboxEmail;

  beforeEach(async () => {
    const stores = createMemoryStores();
    clock = new ManualClock("2026-06-01T10:00:00Z");
    const ids = new SequentialIds("x");
    threadEvents = [];
    conversationEvents = [];
    const identity: IdentityDeps = {
      store: stores.identities,
      clock,
      ids,
      tokens: transparentTokens,
      passwords: plainPasswords,
      secrets: countingSecrets(),
      tokenPolicy: { defaultMinutes: 60, maxMinutes: 600 },
      organizations: stores.organizations,
    };
    const chat: ChatDeps = {
      chat: stores.chat,
      identities: stores.identities,
      attachmentStore: stores.attachments,
      publisher: { publish: (e) => threadEvents.push(e) },
      clock,
      ids,
    };
    deps = {
      chat,
      identity,
      conversations: stores.conversations,
      entryPoints: stores.entryPoints,
      customers: stores.customers,
      queues: stores.queues,
      events: { publishConversationEvent: (e) => conversationEvents.push(e) },
      widgetTokenMinutes: 30,
    };
    outbox = new OutboxEmail();
    verification = {
      conversation: deps,
      customers: stores.customers,
      challenges: stores.verifications,
      email: outbox,
      codes: scriptedCodes("123456", "654321"),
      policy: defaultVerificationPolicy,
      senderName: async () => "Northwind Bikes",
    };
    await stores.identities.createTenant({ id: TENANT, slug: "t", name: "T", createdAt: clock.now() });
    const bot = await createIdentity(identity, TENANT, { kind: "bot", displayName: "Assistant" });
    entryPoint = await createEntryPoint(deps, TENANT, {
      name: "Website",
      botIdentityId: bot.id,
      allowedOrigins: [SITE],
      handoffQueue: "support",
    });
    await importCustomers({ customers: stores.customers, clock, ids }, TENANT, [
      { name: "Ada Lovelace", email: "ada@example.com", externalId: "C-1" },
      { name: "Grace Hopper", email: "grace@example.com" },
    ]);
  });

  it("starts a visitor's conversation with the bot, and resumes it with the session secret", async () => {
    const started = await startWidgetSession(deps, { entryPointId: entryPoint.id, origin: SITE });
    expect(started.conversation).toMatchObject({ status: "bot", queue: "support", customerIdentityId: started.identityId });
    expect(started.expiresAt.getTime() - clock.now().getTime()).toBe(30 * 60_000);
    expect(conversationEvents.map((e) => e.type)).toEqual(["conversation.created"]);
    expect(threadEvents[0]).toMatchObject({
      type: "chat.participants.added",
      threadId: started.conversation.threadId,
      data: { participants: [{ id: started.identityId }, { id: entryPoint.botIdentityId }] },
    });

    const again = await startWidgetSession(deps, {
      entryPointId: entryPoint.id,
      origin: SITE,
      sessionSecret: started.sessionSecret,
    });
    expect(again).toMatchObject({ resumed: true, identityId: started.identityId });
    expect(again.conversation.id).toBe(started.conversation.id);
    const stranger = await startWidgetSession(deps, { entryPointId: entryPoint.id, origin: SITE, sessionSecret: "sk_forged" });
    expect(stranger.identityId).not.toBe(started.identityId);
  });

  it("refuses unknown entry points and origins the entry point does not allow", async () => {
    expect(await codeOf(startWidgetSession(deps, { entryPointId: "nope", origin: SITE }))).toBe("entry_point.not_found");
    expect(await codeOf(startWidgetSession(deps, { entryPointId: entryPoint.id, origin: "https://evil.example" }))).toBe(
      "widget.origin_not_allowed",
    );
    expect(await codeOf(startWidgetSession(deps, { entryPointId: entryPoint.id, origin: undefined }))).toBe(
      "widget.origin_not_allowed",
    );
  });

  it("hands off once, with a record, and queues conversations in the order they started waiting", async () => {
    const a = (await startWidgetSession(deps, { entryPointId: entryPoint.id, origin: SITE })).conversation;
    const b = (await startWidgetSession(deps, { entryPointId: entryPoint.id, origin: SITE })).conversation;
    const handedA = await handOff(deps, a, { reason: "customer_request", intent: null, summary: "wants a person" });
    clock.advance(1000);
    const handedB = await handOff(deps, b, { reason: "not_understood", intent: null, summary: "?" });
    expect(handedA).toMatchObject({
      status: "awaiting_agent",
      handoff: { reason: "customer_request", queue: "support", customer: { verified: false, name: null } },
    });
    expect(await queuePosition(deps, handedA)).toBe(1);
    expect(await queuePosition(deps, handedB)).toBe(2);
    const twice = await handOff(deps, handedA, { reason: "not_understood", intent: null, summary: "again" });
    expect(twice.handoff?.reason).toBe("customer_request");
  });

  it("verifies with an emailed code; the record then names the customer", async () => {
    const { conversation } = await startWidgetSession(deps, { entryPointId: entryPoint.id, origin: SITE });
    expect(await startVerification(verification, conversation, "nobody@example.com")).toEqual({ kind: "unknown_email" });
    expect(await startVerification(verification, conversation, " ADA@example.com ")).toEqual({
      kind: "started",
      maskedEmail: "a**@example.com",
    });
    expect(outbox.sent).toHaveLength(1);
    expect(outbox.sent[0]).toMatchObject({ to: "ada@example.com" });
    expect(outbox.sent[0]?.text).toContain("123456");
    expect(await checkCode(verification, conversation, "999999")).toEqual({ kind: "rejected", attemptsLeft: 2 });
    const accepted = await checkCode(verification, conversation, "123456");
    expect(accepted).toMatchObject({ kind: "accepted", customerName: "Ada Lovelace" });
    const verified = await deps.conversations.getConversation(TENANT, conversation.id);
    expect(verified).toMatchObject({ verified: true });
    const handed = await handOff(deps, verified ?? conversation, {
      reason: "intent_requires_agent",
      intent: "billing",
      summary: "invoice",
    });
    expect(handed.handoff?.customer).toMatchObject({ name: "Ada Lovelace", email: "ada@example.com", verified: true });
    expect(await checkCode(verification, conversation, "123456")).toEqual({ kind: "no_challenge" });
  });

  it("locks out after the attempts run out, and lets codes expire", async () => {
    const { conversation } = await startWidgetSession(deps, { entryPointId: entryPoint.id, origin: SITE });
    await startVerification(verification, conversation, "ada@example.com");
    await checkCode(verification, conversation, "000000");
    await checkCode(verification, conversation, "000000");
    expect(await checkCode(verification, conversation, "000000")).toEqual({ kind: "locked", minutes: 15 });
    expect(await checkCode(verification, conversation, "123456")).toEqual({ kind: "locked", minutes: 15 });
    expect(await startVerification(verification, conversation, "ada@example.com")).toEqual({ kind: "locked", minutes: 15 });
    clock.advance(15 * 60_000);
    expect(await startVerification(verification, conversation, "ada@example.com")).toMatchObject({ kind: "started" });
    clock.advance(10 * 60_000);
    expect(await checkCode(verification, conversation, "654321")).toEqual({ kind: "expired" });
  });

  it("knows business hours in the entry point's time zone", () => {
    const hours = { timeZone: "Europe/Berlin", weekly: { "1": [["09:00", "17:00"]] as [string, string][] } };
    expect(isOpen(hours, new Date("2026-06-01T07:30:00Z"))).toBe(true); // Monday 09:30 in Berlin
    expect(isOpen(hours, new Date("2026-06-01T06:30:00Z"))).toBe(false); // Monday 08:30
    expect(isOpen(hours, new Date("2026-06-01T15:00:00Z"))).toBe(false); // Monday 17:00
    expect(isOpen(hours, new Date("2026-05-31T10:00:00Z"))).toBe(false); // Sunday
    expect(isOpen(null, new Date())).toBe(true);
  });
});
