import type { Conversation, ConversationEvent, ConversationStatus, Handoff, Message } from "@switchboard/protocol";
import type { Tone } from "../../shell/ui/tone.js";

export const STATUSES: readonly { value: ConversationStatus; label: string; tone: Tone }[] = [
  { value: "bot", label: "With the bot", tone: "accent" },
  { value: "awaiting_agent", label: "Waiting for an agent", tone: "warning" },
  { value: "with_agent", label: "With an agent", tone: "success" },
  { value: "follow_up", label: "Waiting for follow-up", tone: "warning" },
  { value: "resolved", label: "Resolved", tone: "neutral" },
];

export const statusOf = (status: ConversationStatus) =>
  STATUSES.find((s) => s.value === status) ?? { value: status, label: status, tone: "neutral" as Tone };

export const isStatus = (value: string | null): value is ConversationStatus => STATUSES.some((s) => s.value === value);

const HANDOFF_REASONS: Record<Handoff["reason"], string> = {
  customer_request: "The customer asked for a person",
  not_understood: "The bot did not understand",
  intent_requires_agent: "The intent needs an agent",
  no_bot: "No bot at this entry point",
};

export const handoffReason = (reason: Handoff["reason"]): string => HANDOFF_REASONS[reason] ?? reason;

/** A wrap-up code in words: "follow_up" → "Follow up". */
export const wrapUpLabel = (code: string): string => intentLabel(code);

/** "order_status" → "Order status". */
export const intentLabel = (intent: string): string => {
  const words = intent.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** Who the conversation is with, as well as the list knows: the handoff names them once verified. */
export function customerLabel(conversation: Conversation): string {
  const name = conversation.handoff?.customer.name;
  if (name) return name;
  return conversation.verified ? "Verified customer" : `Visitor ${conversation.customerIdentityId.slice(-6)}`;
}

const VERIFICATION_FAILURES: Record<string, string> = {
  wrong_code: "a wrong code",
  expired: "an expired code",
  locked: "too many attempts",
  unknown_email: "an unknown email",
};

/** One line for a timeline event, in words; unknown event types show their type. */
export function describeEvent(event: ConversationEvent): { title: string; detail?: string } {
  const data = event.data;
  const text = (key: string): string | undefined => (typeof data[key] === "string" ? (data[key] as string) : undefined);
  switch (event.type) {
    case "conversation.created":
      return { title: "Conversation started", detail: text("status") === "bot" ? "The bot answered first." : undefined };
    case "conversation.intent_detected": {
      const confidence = typeof data.confidence === "number" ? ` (${Math.round(data.confidence * 100)}% sure)` : "";
      return { title: `Intent: ${intentLabel(text("intent") ?? "unknown")}`, detail: `Recognized by the bot${confidence}.` };
    }
    case "conversation.verification_started":
      return {
        title: "Verification started",
        detail: text("maskedEmail") ? `A code was sent to ${text("maskedEmail")}.` : undefined,
      };
    case "conversation.verification_failed":
      return {
        title: "Verification failed",
        detail: `Because of ${VERIFICATION_FAILURES[text("reason") ?? ""] ?? text("reason") ?? "an error"}.`,
      };
    case "conversation.customer_verified":
      return { title: "Customer verified", detail: text("name") ? `Identified as ${text("name")}.` : undefined };
    case "conversation.handed_off": {
      const handoff = data.handoff as Partial<Handoff> | undefined;
      return {
        title: `Handed off${handoff?.queue ? ` to ${handoff.queue}` : ""}`,
        detail: handoff?.reason ? handoffReason(handoff.reason) : undefined,
      };
    }
    case "conversation.assigned":
      return {
        title: `Accepted by ${text("agentName") ?? "an agent"}`,
        detail: text("queue") ? `From the ${text("queue")} queue.` : undefined,
      };
    case "conversation.transferred": {
      const to = data.to as { kind?: string; name?: string } | undefined;
      const target = to?.name ? `${to.kind === "worker" ? "" : "the "}${to.name}${to.kind === "queue" ? " queue" : ""}` : "";
      return { title: `Transferred${target ? ` to ${target}` : ""}`, detail: text("note") ? `Note: ${text("note")}` : undefined };
    }
    case "conversation.left_for_follow_up":
      return {
        title: "Left for follow-up",
        detail: `${text("reason") ?? "Nobody could take it"}; the customer was asked to leave a message${text("queue") ? ` (${text("queue")} queue)` : ""}.`,
      };
    case "conversation.resolved":
      return { title: "Resolved", detail: text("wrapUpCode") ? `Wrap-up: ${wrapUpLabel(text("wrapUpCode") ?? "")}.` : undefined };
    default:
      return { title: event.type.replace(/^conversation\./, "").replace(/_/g, " ") };
  }
}

export type Speaker = "customer" | "bot" | "agent";

/** Who wrote a message: the conversation's customer, one of the bots, or a person of the team. */
export function speakerOf(message: Message, customerIdentityId: string, botIds: ReadonlySet<string>): Speaker {
  if (message.senderId === customerIdentityId) return "customer";
  return botIds.has(message.senderId) ? "bot" : "agent";
}
