import type { Principal } from "../identity/model.js";
import { DomainError } from "../kernel/domain-error.js";
import { accessThread, actingIdentity } from "./access.js";
import type { ChatDeps } from "./deps.js";
import { CHAT_LIMITS, type Participant, type ParticipantData } from "./model.js";

export interface ParticipantInput {
  readonly id: string;
  readonly displayName?: string;
}

/** Checks that every participant is an identity of the tenant and fills in missing display names. */
export async function resolveParticipants(
  deps: ChatDeps,
  tenantId: string,
  input: readonly ParticipantInput[],
): Promise<ParticipantData[]> {
  if (input.length > CHAT_LIMITS.participantsPerRequest) {
    throw new DomainError(
      "participants.too_many",
      "invalid",
      `At most ${CHAT_LIMITS.participantsPerRequest} participants per request.`,
      [{ field: "participants", message: `at most ${CHAT_LIMITS.participantsPerRequest}` }],
    );
  }
  const byId = new Map<string, ParticipantData>();
  for (const [index, p] of input.entries()) {
    const identity = await deps.identities.getIdentity(tenantId, p.id);
    if (!identity) {
      throw new DomainError("identity.not_found", "invalid", `No identity with id ${p.id}.`, [
        { field: `participants.${index}.id`, message: "no such identity in this tenant" },
      ]);
    }
    byId.set(p.id, { id: p.id, displayName: p.displayName ?? identity.displayName });
  }
  return [...byId.values()];
}

export async function listParticipants(deps: ChatDeps, principal: Principal, threadId: string): Promise<readonly Participant[]> {
  const { actor } = await accessThread(deps, principal, threadId);
  return deps.chat.listParticipants(actor.tenantId, threadId);
}

/** Participants may add others; admins may add anyone to any thread of the tenant. */
export async function addParticipants(
  deps: ChatDeps,
  principal: Principal,
  threadId: string,
  input: readonly ParticipantInput[],
): Promise<void> {
  const { actor } = await accessThread(deps, principal, threadId);
  const participants = await resolveParticipants(deps, actor.tenantId, input);
  const event = await deps.chat.addParticipants(actor.tenantId, threadId, participants, actingIdentity(actor), deps.clock.now());
  if (event) deps.publisher.publish(event);
}

/** Participants may remove anyone (including leaving themselves); admins likewise. */
export async function removeParticipant(
  deps: ChatDeps,
  principal: Principal,
  threadId: string,
  identityId: string,
): Promise<void> {
  const { actor } = await accessThread(deps, principal, threadId);
  const event = await deps.chat.removeParticipant(actor.tenantId, threadId, identityId, actingIdentity(actor), deps.clock.now());
  if (!event) {
    throw new DomainError("participant.not_found", "not_found", `The identity ${identityId} is not in the thread.`);
  }
  deps.publisher.publish(event);
}
