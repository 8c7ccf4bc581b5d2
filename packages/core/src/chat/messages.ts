import { requireScope } from "../identity/authorize.js";
import type { Principal } from "../identity/model.js";
import { DomainError, notFound } from "../kernel/domain-error.js";
import { accessAsParticipant, accessThread, checkContent, checkMetadata } from "./access.js";
import type { ChatDeps } from "./deps.js";
import {
  type AttachmentRef,
  type Card,
  CHAT_LIMITS,
  clampPageSize,
  type Message,
  type Metadata,
  type QuickReply,
} from "./model.js";
import type { AppendMessageResult, NewMessage } from "./ports.js";

export interface SendMessageInput {
  readonly content: string;
  readonly metadata?: Metadata;
  readonly idempotencyKey?: string;
  /** Files the sender uploaded to this thread. */
  readonly attachmentIds?: readonly string[];
  readonly quickReplies?: readonly QuickReply[];
  readonly card?: Card;
}

export type SendMessageResult = { readonly kind: "created" | "duplicate"; readonly message: Message };

/**
 * Sends a message as the acting participant. A retry with the same idempotency key returns the first message.
 *
 * The common send, an identity's message without files, goes straight to the store: the store
 * checks in the appending transaction that the sender is in the thread, so reading the participant
 * beforehand would only repeat that check. Everything else (and any input that will be refused) takes
 * the full path: access first, then the files, then the input, so a refusal is the same either way.
 */
export async function sendMessage(
  deps: ChatDeps,
  principal: Principal,
  threadId: string,
  input: SendMessageInput,
): Promise<SendMessageResult> {
  const acting = requireScope(principal, "chat");
  if (acting.kind === "identity" && (input.attachmentIds ?? []).length === 0 && isValidInput(input)) {
    return sendChecked(deps, principal, threadId, acting.tenantId, acting.identityId, input);
  }
  const { actor, self } = await accessAsParticipant(deps, principal, threadId);
  const attachments = await resolveAttachments(deps, actor.tenantId, threadId, self.identityId, input.attachmentIds ?? []);
  checkInput(input, attachments.length > 0);
  const result = await deps.chat.appendMessage(newMessage(deps, actor.tenantId, threadId, self.identityId, input, attachments));
  if (result.kind === "created") deps.publisher.publish(result.event);
  return { kind: result.kind, message: result.message };
}

/** An identity's valid message without files, with the participant check left to the store. */
async function sendChecked(
  deps: ChatDeps,
  principal: Principal,
  threadId: string,
  tenantId: string,
  senderId: string,
  input: SendMessageInput,
): Promise<SendMessageResult> {
  let result: AppendMessageResult;
  try {
    result = await deps.chat.appendMessage(newMessage(deps, tenantId, threadId, senderId, input, []));
  } catch (error) {
    // The store cannot tell an outsider (who must learn nothing of the thread) from an admin: the access check can.
    if (error instanceof DomainError && (error.code === "thread.not_participant" || error.code === "thread.not_found")) {
      await accessAsParticipant(deps, principal, threadId);
    }
    throw error;
  }
  if (result.kind === "created") {
    deps.publisher.publish(result.event);
  } else {
    // The store answers a retry before it looks at the sender: only someone still in the thread gets the first message.
    await accessAsParticipant(deps, principal, threadId);
  }
  return { kind: result.kind, message: result.message };
}

function newMessage(
  deps: ChatDeps,
  tenantId: string,
  threadId: string,
  senderId: string,
  input: SendMessageInput,
  attachments: readonly AttachmentRef[],
): NewMessage {
  return {
    id: deps.ids.next(),
    tenantId,
    threadId,
    senderId,
    content: input.content,
    metadata: input.metadata ?? {},
    idempotencyKey: input.idempotencyKey ?? null,
    attachments,
    quickReplies: input.quickReplies ?? [],
    card: input.card ?? null,
    createdAt: deps.clock.now(),
  };
}

/** Throws the first thing wrong with the message's own fields (its files are checked before, by the caller). */
function checkInput(input: SendMessageInput, hasAttachments: boolean): void {
  checkContent(input.content, hasAttachments || input.card !== undefined);
  checkMetadata(input.metadata ?? {});
  if ((input.quickReplies ?? []).length > CHAT_LIMITS.quickRepliesPerMessage) {
    throw new DomainError("message.too_many_quick_replies", "invalid", "Too many quick replies.", [
      { field: "quickReplies", message: `at most ${CHAT_LIMITS.quickRepliesPerMessage}` },
    ]);
  }
  if (input.idempotencyKey !== undefined && input.idempotencyKey.length > CHAT_LIMITS.idempotencyKeyMaxLength) {
    throw new DomainError("message.invalid_idempotency_key", "invalid", "The idempotency key is too long.", [
      { field: "idempotencyKey", message: `at most ${CHAT_LIMITS.idempotencyKeyMaxLength} characters` },
    ]);
  }
}

function isValidInput(input: SendMessageInput): boolean {
  try {
    checkInput(input, false);
    return true;
  } catch (error) {
    if (error instanceof DomainError) return false;
    throw error;
  }
}

/** The sender's own uploads to this thread, as the message will carry them. */
async function resolveAttachments(
  deps: ChatDeps,
  tenantId: string,
  threadId: string,
  senderId: string,
  ids: readonly string[],
): Promise<AttachmentRef[]> {
  if (ids.length > CHAT_LIMITS.attachmentsPerMessage) {
    throw new DomainError("message.too_many_attachments", "invalid", "Too many attachments.", [
      { field: "attachmentIds", message: `at most ${CHAT_LIMITS.attachmentsPerMessage}` },
    ]);
  }
  const refs: AttachmentRef[] = [];
  for (const [index, id] of [...new Set(ids)].entries()) {
    const a = await deps.attachmentStore.getAttachment(tenantId, id);
    if (!a || a.threadId !== threadId || a.uploaderId !== senderId) {
      throw new DomainError("attachment.not_found", "invalid", `No attachment ${id} uploaded by you to this thread.`, [
        { field: `attachmentIds.${index}`, message: "upload the file to this thread first" },
      ]);
    }
    refs.push({ id: a.id, fileName: a.fileName, contentType: a.contentType, size: a.size });
  }
  return refs;
}

async function ownMessage(deps: ChatDeps, principal: Principal, threadId: string, messageId: string) {
  const { actor, self } = await accessAsParticipant(deps, principal, threadId);
  const message = await deps.chat.getMessage(actor.tenantId, threadId, messageId);
  if (!message) throw notFound("message", messageId);
  if (message.senderId !== self.identityId) {
    throw new DomainError("message.not_sender", "forbidden", "Only the sender may change or delete a message.");
  }
  if (message.deletedAt) throw new DomainError("message.deleted", "conflict", "The message has been deleted.");
  return { actor, message };
}

export async function editMessage(
  deps: ChatDeps,
  principal: Principal,
  threadId: string,
  messageId: string,
  patch: { content: string; metadata?: Metadata },
): Promise<Message> {
  const { actor, message } = await ownMessage(deps, principal, threadId, messageId);
  checkContent(patch.content);
  const metadata = patch.metadata ?? message.metadata;
  checkMetadata(metadata);
  const edited = await deps.chat.editMessage(
    actor.tenantId,
    threadId,
    messageId,
    { content: patch.content, metadata },
    deps.clock.now(),
  );
  deps.publisher.publish(edited.event);
  return edited.message;
}

export async function deleteMessage(deps: ChatDeps, principal: Principal, threadId: string, messageId: string): Promise<void> {
  const { actor } = await ownMessage(deps, principal, threadId, messageId);
  const deleted = await deps.chat.deleteMessage(actor.tenantId, threadId, messageId, deps.clock.now());
  deps.publisher.publish(deleted.event);
}

export async function getMessage(deps: ChatDeps, principal: Principal, threadId: string, messageId: string): Promise<Message> {
  const { actor } = await accessThread(deps, principal, threadId);
  const message = await deps.chat.getMessage(actor.tenantId, threadId, messageId);
  if (!message) throw notFound("message", messageId);
  return message;
}

export interface MessagePage {
  readonly items: readonly Message[];
  /** The sequence to pass as `after` for the next page, or null when this page reaches the end. */
  readonly next: number | null;
}

export async function listMessages(
  deps: ChatDeps,
  principal: Principal,
  threadId: string,
  options: { after: number; limit: number },
): Promise<MessagePage> {
  const { actor } = await accessThread(deps, principal, threadId);
  const limit = clampPageSize(options.limit);
  const rows = await deps.chat.listMessages(actor.tenantId, threadId, options.after, limit + 1);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, next: rows.length > limit && last ? last.sequence : null };
}
