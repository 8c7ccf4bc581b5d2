import type { Principal } from "../identity/model.js";
import { DomainError, notFound } from "../kernel/domain-error.js";
import { accessAsParticipant, accessThread } from "./access.js";
import type { ChatDeps } from "./deps.js";
import { clampPageSize, type StoredThreadEvent } from "./model.js";

/** Marks the thread read up to a sequence (a read receipt the other participants see). */
export async function markRead(deps: ChatDeps, principal: Principal, threadId: string, readUpTo: number): Promise<void> {
  const { actor, self } = await accessAsParticipant(deps, principal, threadId);
  const thread = await deps.chat.getThread(actor.tenantId, threadId);
  if (!thread) throw notFound("thread", threadId);
  if (!Number.isInteger(readUpTo) || readUpTo < 0 || readUpTo > thread.lastSequence) {
    throw new DomainError("read.invalid_sequence", "invalid", `The thread's sequence is at ${thread.lastSequence}.`, [
      { field: "sequence", message: `an integer from 0 to ${thread.lastSequence}` },
    ]);
  }
  const event = await deps.chat.markRead(actor.tenantId, threadId, self.identityId, readUpTo, deps.clock.now());
  if (event) deps.publisher.publish(event);
}

/** Tells the other participants that this one is typing. Not stored: it matters only now. */
export async function sendTyping(deps: ChatDeps, principal: Principal, threadId: string): Promise<void> {
  const { actor, self } = await accessAsParticipant(deps, principal, threadId);
  const thread = await deps.chat.getThread(actor.tenantId, threadId);
  if (!thread) throw notFound("thread", threadId);
  deps.publisher.publish({
    tenantId: actor.tenantId,
    threadId,
    sequence: thread.lastSequence,
    type: "chat.typing",
    data: { identityId: self.identityId, displayName: self.displayName },
    createdAt: deps.clock.now(),
  });
}

export interface EventPage {
  readonly items: readonly StoredThreadEvent[];
  readonly next: number | null;
}

/** The thread's stored events after a sequence: what a client missed while away. */
export async function listThreadEvents(
  deps: ChatDeps,
  principal: Principal,
  threadId: string,
  options: { after: number; limit: number },
): Promise<EventPage> {
  const { actor } = await accessThread(deps, principal, threadId);
  const limit = clampPageSize(options.limit);
  const rows = await deps.chat.listEvents(actor.tenantId, threadId, options.after, limit + 1);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, next: rows.length > limit && last ? last.sequence : null };
}
