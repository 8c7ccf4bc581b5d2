import type { Conversation, Message } from "@switchboard/protocol";
import { handoffReason } from "../../shell/conversations/conversation-labels.js";

/** Who wrote a message, as the agent reads a transcript. */
export type DeskSpeaker = "customer" | "me" | "agent" | "bot";

export interface SpeakerContext {
  readonly customerIdentityId: string;
  readonly me: string;
  /** The tenant's agents (worker ids), when known. */
  readonly agentIds: ReadonlySet<string> | undefined;
  /** When the bot handed off (ISO), if it did. */
  readonly handoffAt: string | undefined;
}

export function speakerOf(message: Message, context: SpeakerContext): DeskSpeaker {
  if (message.senderId === context.customerIdentityId) return "customer";
  if (message.senderId === context.me) return "me";
  if (context.agentIds?.has(message.senderId)) return "agent";
  if (context.agentIds && context.agentIds.size > 0) return "bot";
  // Without the list of agents: before the handoff only the bot spoke for the company.
  if (context.handoffAt !== undefined && message.createdAt <= context.handoffAt) return "bot";
  return "agent";
}

export type TranscriptItem =
  | { readonly kind: "divider"; readonly key: string; readonly text: string }
  | {
      readonly kind: "message";
      readonly key: string;
      readonly message: Message;
      readonly speaker: DeskSpeaker;
      /** The first of a run by one sender (or after a pause): shows the name and time. */
      readonly head: boolean;
      /** On the agent's last message: whether the customer has read it. */
      readonly receipt: "sent" | "read" | undefined;
    };

/** Messages by one sender this close together read as one run. */
const RUN_GAP_MS = 5 * 60_000;

/**
 * The transcript as the desk shows it: messages in runs, a divider where the bot handed off (the bot part
 * above, the human part below), and the customer's read receipt on the agent's last message.
 */
export function transcriptItems(
  messages: readonly Message[],
  conversation: Pick<Conversation, "customerIdentityId" | "handoff">,
  context: Omit<SpeakerContext, "customerIdentityId" | "handoffAt">,
  customerReadUpTo: number,
): TranscriptItem[] {
  const handoff = conversation.handoff;
  const speakers: SpeakerContext = {
    ...context,
    customerIdentityId: conversation.customerIdentityId,
    handoffAt: handoff?.at,
  };
  const items: TranscriptItem[] = [];
  const lastMine = messages.findLast((m) => m.senderId === context.me)?.id;
  let handoffShown = handoff === null;
  let previous: Message | undefined;
  for (const message of messages) {
    if (!handoffShown && handoff && message.createdAt > handoff.at) {
      items.push(handoffDivider(handoff));
      handoffShown = true;
      previous = undefined;
    }
    const head =
      previous === undefined ||
      previous.senderId !== message.senderId ||
      Date.parse(message.createdAt) - Date.parse(previous.createdAt) > RUN_GAP_MS;
    items.push({
      kind: "message",
      key: message.id,
      message,
      speaker: speakerOf(message, speakers),
      head,
      receipt: message.id === lastMine ? (customerReadUpTo >= message.sequence ? "read" : "sent") : undefined,
    });
    previous = message;
  }
  if (!handoffShown && handoff) items.push(handoffDivider(handoff));
  return items;
}

function handoffDivider(handoff: NonNullable<Conversation["handoff"]>): TranscriptItem {
  return { kind: "divider", key: "handoff", text: `Handed off to ${handoff.queue} · ${handoffReason(handoff.reason)}` };
}
