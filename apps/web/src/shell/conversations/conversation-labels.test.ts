import type { Conversation, ConversationEvent, Message } from "@switchboard/protocol";
import { describe, expect, it } from "vitest";
import { customerLabel, describeEvent, intentLabel, isStatus, speakerOf, statusOf } from "./conversation-labels.js";

const conversation: Conversation = {
  id: "cnv_1",
  threadId: "thr_1",
  channel: "web_chat",
  entryPointId: "ep_1",
  customerIdentityId: "idn_customer_abc123",
  customerId: null,
  verified: false,
  status: "bot",
  intent: null,
  queue: "support",
  handoff: null,
  agentId: null,
  wrapUpCode: null,
  queuePosition: null,
  createdAt: "2025-01-01T00:00:00.000Z",
  updatedAt: "2025-01-01T00:00:00.000Z",
  awaitingSince: null,
  resolvedAt: null,
};

const event = (type: string, data: Record<string, unknown>): ConversationEvent => ({
  type,
  sequence: 1,
  createdAt: "2025-01-01T00:00:00.000Z",
  data,
});

const message = (senderId: string): Message => ({
  id: "msg_1",
  sequence: 1,
  senderId,
  senderDisplayName: "",
  content: "hi",
  metadata: {},
  createdAt: "2025-01-01T00:00:00.000Z",
  editedAt: null,
  deletedAt: null,
  attachments: [],
  quickReplies: [],
  card: null,
});

describe("conversation labels", () => {
  it("names statuses and intents in words", () => {
    expect(statusOf("awaiting_agent")).toMatchObject({ label: "Waiting for an agent", tone: "warning" });
    expect(isStatus("resolved")).toBe(true);
    expect(isStatus("open")).toBe(false);
    expect(isStatus(null)).toBe(false);
    expect(intentLabel("order_status")).toBe("Order status");
  });

  it("names the customer by the handoff once known, else as a visitor", () => {
    expect(customerLabel(conversation)).toBe("Visitor abc123");
    expect(customerLabel({ ...conversation, verified: true })).toBe("Verified customer");
    const handoff = {
      reason: "customer_request" as const,
      intent: null,
      queue: "support",
      customer: { identityId: "idn_1", customerId: "cus_1", name: "Ada Lovelace", email: null, verified: true },
      summary: "",
      at: "2025-01-01T00:00:00.000Z",
    };
    expect(customerLabel({ ...conversation, handoff })).toBe("Ada Lovelace");
  });

  it("describes timeline events, and unknown ones by their type", () => {
    expect(describeEvent(event("conversation.intent_detected", { intent: "billing", confidence: 0.87 }))).toEqual({
      title: "Intent: Billing",
      detail: "Recognized by the bot (87% sure).",
    });
    expect(describeEvent(event("conversation.verification_failed", { reason: "wrong_code" })).detail).toBe(
      "Because of a wrong code.",
    );
    expect(describeEvent(event("conversation.handed_off", { handoff: { queue: "billing", reason: "no_bot" } }))).toEqual({
      title: "Handed off to billing",
      detail: "No bot at this entry point",
    });
    expect(describeEvent(event("conversation.assigned", { agentId: "idn_a", agentName: "Grace", queue: "support" }))).toEqual({
      title: "Accepted by Grace",
      detail: "From the support queue.",
    });
    expect(
      describeEvent(
        event("conversation.transferred", { from: "idn_a", to: { kind: "queue", id: "q", name: "billing" }, note: "Refund" }),
      ),
    ).toEqual({ title: "Transferred to the billing queue", detail: "Note: Refund" });
    expect(
      describeEvent(event("conversation.transferred", { to: { kind: "worker", id: "w", name: "Alan" }, note: null })),
    ).toEqual({
      title: "Transferred to Alan",
      detail: undefined,
    });
    expect(describeEvent(event("conversation.resolved", { by: "idn_a", wrapUpCode: "follow_up" })).detail).toBe(
      "Wrap-up: Follow up.",
    );
    expect(describeEvent(event("conversation.csat_received", {})).title).toBe("csat received");
  });

  it("tells the customer's messages from the bot's and the agents'", () => {
    const bots = new Set(["idn_bot"]);
    expect(speakerOf(message("idn_customer_abc123"), conversation.customerIdentityId, bots)).toBe("customer");
    expect(speakerOf(message("idn_bot"), conversation.customerIdentityId, bots)).toBe("bot");
    expect(speakerOf(message("idn_agent"), conversation.customerIdentityId, bots)).toBe("agent");
  });
});
