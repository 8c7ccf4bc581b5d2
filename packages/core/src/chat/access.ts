import { isTenantAdmin, requireScope, type TenantPrincipal } from "../identity/authorize.js";
import type { Principal } from "../identity/model.js";
import { DomainError, type FieldIssue, notFound } from "../kernel/domain-error.js";
import type { ChatDeps } from "./deps.js";
import { CHAT_LIMITS, type Metadata, type Participant, type Thread } from "./model.js";

export interface ThreadAccess {
  readonly actor: TenantPrincipal;
  readonly thread: Thread;
  /** The acting identity's participation; undefined for an admin or API key outside the thread. */
  readonly self: Participant | undefined;
}

/** The identity acting, or null when an API key (the tenant itself) acts. */
export const actingIdentity = (actor: TenantPrincipal): string | null => (actor.kind === "identity" ? actor.identityId : null);

/**
 * Loads a thread for a principal with the `chat` scope. A participant sees its threads; an admin sees
 * every thread of its tenant; anyone else gets `thread.not_found`, exactly as for a thread that does
 * not exist, so thread ids of other tenants and other people leak nothing.
 */
export async function accessThread(deps: ChatDeps, principal: Principal, threadId: string): Promise<ThreadAccess> {
  const actor = requireScope(principal, "chat");
  const thread = await deps.chat.getThread(actor.tenantId, threadId);
  if (!thread) throw notFound("thread", threadId);
  const self = actor.kind === "identity" ? await deps.chat.getParticipant(actor.tenantId, threadId, actor.identityId) : undefined;
  if (!self && !isTenantAdmin(actor)) throw notFound("thread", threadId);
  return { actor, thread, self };
}

export interface ParticipantAccess {
  readonly actor: TenantPrincipal;
  readonly self: Participant;
}

/**
 * The acting identity's participation in a thread: only participants speak in a thread. Reads just
 * the participant (the hot path of every send); the thread is read only to tell the refusals apart.
 */
export async function accessAsParticipant(deps: ChatDeps, principal: Principal, threadId: string): Promise<ParticipantAccess> {
  const actor = requireScope(principal, "chat");
  const self = actor.kind === "identity" ? await deps.chat.getParticipant(actor.tenantId, threadId, actor.identityId) : undefined;
  if (self) return { actor, self };
  await accessThread(deps, principal, threadId);
  throw new DomainError("thread.not_participant", "forbidden", "Only a participant of the thread may do this.");
}

export function checkMetadata(metadata: Metadata, field = "metadata"): void {
  const entries = Object.entries(metadata);
  const issues: FieldIssue[] = [];
  if (entries.length > CHAT_LIMITS.metadataMaxEntries) {
    issues.push({ field, message: `at most ${CHAT_LIMITS.metadataMaxEntries} entries` });
  }
  for (const [key, value] of entries) {
    if (value.length > CHAT_LIMITS.metadataValueMaxLength) {
      issues.push({ field: `${field}.${key}`, message: `at most ${CHAT_LIMITS.metadataValueMaxLength} characters` });
    }
  }
  if (issues.length > 0) throw new DomainError("metadata.invalid", "invalid", "The metadata is too large.", issues);
}

/** Text is required unless the message carries something else (a file or a card). */
export function checkContent(content: string, hasOtherParts = false): void {
  if (content.trim().length === 0 && !hasOtherParts) {
    throw new DomainError("message.empty", "invalid", "A message needs content.", [
      { field: "content", message: "must not be empty" },
    ]);
  }
  if (content.length > CHAT_LIMITS.contentMaxLength) {
    throw new DomainError("message.too_long", "too_large", `A message has at most ${CHAT_LIMITS.contentMaxLength} characters.`, [
      { field: "content", message: `at most ${CHAT_LIMITS.contentMaxLength} characters` },
    ]);
  }
}
