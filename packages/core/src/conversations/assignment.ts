import { addParticipants, removeParticipant } from "../chat/participants.js";
import type { Principal } from "../identity/model.js";
import { systemPrincipal } from "../identity/model.js";
import { DomainError } from "../kernel/domain-error.js";
import { accessConversation, changeConversation } from "./conversations.js";
import type { ConversationDeps } from "./deps.js";
import type { Conversation } from "./model.js";

export interface AgentRef {
  readonly identityId: string;
  readonly displayName: string;
}

/**
 * An agent took the conversation (accepted its offer): they join its thread, it is theirs, and an agent
 * who had it before (a transfer) leaves the thread.
 */
export async function assignConversation(
  deps: ConversationDeps,
  conversation: Conversation,
  agent: AgentRef,
): Promise<Conversation> {
  if (conversation.status === "resolved") {
    throw new DomainError("conversation.resolved", "conflict", "The conversation has ended.");
  }
  const system = systemPrincipal(conversation.tenantId);
  await addParticipants(deps.chat, system, conversation.threadId, [{ id: agent.identityId, displayName: agent.displayName }]);
  const previous = conversation.agentId;
  if (previous && previous !== agent.identityId) {
    await removeParticipant(deps.chat, system, conversation.threadId, previous).catch((error: unknown) => {
      // Already gone (they left the thread themselves): nothing to undo.
      if (!(error instanceof DomainError && error.code === "participant.not_found")) throw error;
    });
  }
  return changeConversation(deps, conversation.tenantId, conversation.id, {
    patch: { status: "with_agent", agentId: agent.identityId, awaitingSince: null },
    event: {
      type: "conversation.assigned",
      data: { agentId: agent.identityId, agentName: agent.displayName, queue: conversation.queue },
    },
  });
}

export type TransferTarget =
  | { readonly kind: "queue"; readonly id: string; readonly name: string }
  | { readonly kind: "worker"; readonly id: string; readonly name: string };

/**
 * The agent (or an admin) sends the conversation on to a queue or a colleague. It waits again (its new
 * queue, when a queue); the current agent stays in the thread until the next one accepts.
 */
export async function transferConversation(
  deps: ConversationDeps,
  principal: Principal,
  id: string,
  target: TransferTarget,
  note: string | null,
): Promise<Conversation> {
  const { actor, conversation } = await accessConversation(deps, principal, id);
  // A conversation left for follow-up is picked up by transferring it to a queue or a person.
  if (conversation.status !== "with_agent" && conversation.status !== "awaiting_agent" && conversation.status !== "follow_up") {
    throw new DomainError(
      "conversation.not_transferable",
      "conflict",
      `A conversation ${conversation.status} cannot be transferred.`,
    );
  }
  return changeConversation(deps, actor.tenantId, id, {
    patch: {
      status: "awaiting_agent",
      awaitingSince: deps.chat.clock.now(),
      ...(target.kind === "queue" ? { queue: target.name } : {}),
    },
    event: {
      type: "conversation.transferred",
      data: { from: conversation.agentId, to: { kind: target.kind, id: target.id, name: target.name }, note },
    },
  });
}
