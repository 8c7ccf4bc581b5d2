import { isTenantAdmin, requireAdmin, type TenantPrincipal, tenantOf } from "../identity/authorize.js";
import type { Principal } from "../identity/model.js";
import { DomainError, type FieldIssue, notFound } from "../kernel/domain-error.js";
import { referrersOf } from "./auto-attendants.js";
import type { FlowDeps } from "./deps.js";
import type { Announcement, Mailbox, VoicemailMessage } from "./model.js";
import { checkMailboxSettings, FLOW_LIMITS } from "./validate.js";

/** What an admin sends for a mailbox: a PIN goes in (and is kept only as a hash), never out. */
export interface MailboxInput {
  readonly name: string;
  /** The user whose personal mailbox it is (one each); null or absent: a shared mailbox. */
  readonly ownerUserId?: string | null;
  readonly greeting?: Announcement | null;
  /** Default 120. */
  readonly maxMessageSeconds?: number;
  /** 4-12 digits, for listening by phone; null or absent: not by phone. */
  readonly pin?: string | null;
  readonly notifyEmails?: readonly string[];
}

/** Fields given replace the mailbox's; `pin: null` removes the PIN, a PIN left out stays. */
export type MailboxPatch = Partial<MailboxInput>;

const invalid = (issues: FieldIssue[]) => new DomainError("mailbox.invalid", "invalid", "The mailbox is not valid.", issues);

async function check(deps: FlowDeps, tenantId: string, mailbox: Omit<Mailbox, "pinHash">, pin: string | null | undefined) {
  const issues = checkMailboxSettings({ ...mailbox, pin });
  if (mailbox.ownerUserId !== null) {
    if (typeof mailbox.ownerUserId !== "string" || !(await deps.users.getUser(tenantId, mailbox.ownerUserId))) {
      issues.push({ field: "ownerUserId", message: "no such user" });
    }
  }
  if (issues.length > 0) throw invalid(issues);
}

const pinHashOf = async (deps: FlowDeps, pin: string | null | undefined): Promise<string | null> =>
  pin ? deps.passwords.hash(pin) : null;

/** A shared mailbox, or a user's personal one (admins); a user has one at most (`mailbox.owner_taken`). */
export async function createMailbox(deps: FlowDeps, principal: Principal, input: MailboxInput): Promise<Mailbox> {
  const { tenantId } = requireAdmin(principal);
  const now = deps.clock.now();
  const fields = {
    id: deps.ids.next(),
    tenantId,
    name: typeof input.name === "string" ? input.name.trim() : input.name,
    ownerUserId: input.ownerUserId ?? null,
    greeting: input.greeting ?? null,
    maxMessageSeconds: input.maxMessageSeconds ?? FLOW_LIMITS.messageSeconds.default,
    notifyEmails: [...(input.notifyEmails ?? [])],
    createdAt: now,
    updatedAt: now,
  };
  await check(deps, tenantId, fields, input.pin);
  return deps.voicemail.createMailbox({ ...fields, pinHash: await pinHashOf(deps, input.pin) });
}

/** Whether the principal may see the mailbox and its messages: admins, and the owner of a personal one. */
const mayListen = (actor: TenantPrincipal, mailbox: Mailbox): boolean =>
  isTenantAdmin(actor) ||
  (actor.kind === "identity" &&
    actor.userId !== undefined &&
    mailbox.ownerUserId !== null &&
    actor.userId === mailbox.ownerUserId);

/** A mailbox the principal may listen to; `mailbox.not_found` for one they may not, as for none. */
async function visibleMailbox(deps: FlowDeps, actor: TenantPrincipal, id: string): Promise<Mailbox> {
  const mailbox = await deps.voicemail.getMailbox(actor.tenantId, id);
  if (!mailbox || !mayListen(actor, mailbox)) throw notFound("mailbox", id);
  return mailbox;
}

/** A mailbox (admins, and its owner). */
export async function getMailbox(deps: FlowDeps, principal: Principal, id: string): Promise<Mailbox> {
  return visibleMailbox(deps, tenantOf(principal), id);
}

/** By name: every mailbox for admins; for anyone else, their own personal mailbox if they have one. */
export async function listMailboxes(deps: FlowDeps, principal: Principal): Promise<readonly Mailbox[]> {
  const actor = tenantOf(principal);
  if (isTenantAdmin(actor)) return deps.voicemail.listMailboxes(actor.tenantId);
  if (actor.kind !== "identity" || actor.userId === undefined) return [];
  const own = await deps.voicemail.findMailboxByOwner(actor.tenantId, actor.userId);
  return own ? [own] : [];
}

export async function updateMailbox(deps: FlowDeps, principal: Principal, id: string, patch: MailboxPatch): Promise<Mailbox> {
  const { tenantId } = requireAdmin(principal);
  const existing = await deps.voicemail.getMailbox(tenantId, id);
  if (!existing) throw notFound("mailbox", id);
  const { pinHash, ...rest } = existing;
  const merged = {
    ...rest,
    ...(patch.name !== undefined ? { name: typeof patch.name === "string" ? patch.name.trim() : patch.name } : {}),
    ...(patch.ownerUserId !== undefined ? { ownerUserId: patch.ownerUserId } : {}),
    ...(patch.greeting !== undefined ? { greeting: patch.greeting } : {}),
    ...(patch.maxMessageSeconds !== undefined ? { maxMessageSeconds: patch.maxMessageSeconds } : {}),
    ...(patch.notifyEmails !== undefined ? { notifyEmails: [...patch.notifyEmails] } : {}),
    updatedAt: deps.clock.now(),
  };
  await check(deps, tenantId, merged, patch.pin);
  return deps.voicemail.updateMailbox({
    ...merged,
    pinHash: patch.pin === undefined ? pinHash : await pinHashOf(deps, patch.pin),
  });
}

/**
 * Deletes a mailbox with its messages and their audio (admins); refused with `mailbox.in_use` while a phone
 * number, an auto attendant or a queue sends calls to it. (A person's calls reach their personal mailbox
 * through their extension, not by its id.)
 */
export async function deleteMailbox(deps: FlowDeps, principal: Principal, id: string): Promise<void> {
  const { tenantId } = requireAdmin(principal);
  if (!(await deps.voicemail.getMailbox(tenantId, id))) throw notFound("mailbox", id);
  const referrers = await referrersOf(deps, tenantId, "voicemail", id);
  if (referrers.length > 0) {
    throw new DomainError(
      "mailbox.in_use",
      "conflict",
      `Calls are sent to this mailbox by ${referrers.join(", ")}: change them first.`,
    );
  }
  const messages = await deps.voicemail.listMessages(tenantId, id);
  if (!(await deps.voicemail.deleteMailbox(tenantId, id))) throw notFound("mailbox", id);
  await deleteAudio(deps, tenantId, messages);
}

/**
 * Deletes the audio of messages already deleted: after their rows, so that a failure here leaves a file
 * behind, never a message without its audio.
 */
async function deleteAudio(deps: FlowDeps, tenantId: string, messages: readonly VoicemailMessage[]): Promise<void> {
  const { recordings } = deps;
  if (!recordings) return;
  await Promise.all(messages.map((m) => recordings.delete(tenantId, m.recordingId)));
}

/** A mailbox's messages, oldest first (admins, and the owner of a personal mailbox). */
export async function listVoicemailMessages(
  deps: FlowDeps,
  principal: Principal,
  mailboxId: string,
): Promise<readonly VoicemailMessage[]> {
  const actor = tenantOf(principal);
  await visibleMailbox(deps, actor, mailboxId);
  return deps.voicemail.listMessages(actor.tenantId, mailboxId);
}

/** A message the principal may listen to; `voicemail_message.not_found` otherwise, as for none. */
export async function getVoicemailMessage(deps: FlowDeps, principal: Principal, id: string): Promise<VoicemailMessage> {
  const actor = tenantOf(principal);
  const message = await deps.voicemail.getMessage(actor.tenantId, id);
  const mailbox = message && (await deps.voicemail.getMailbox(actor.tenantId, message.mailboxId));
  if (!message || !mailbox || !mayListen(actor, mailbox)) throw notFound("voicemail_message", id);
  return message;
}

/** Marks a message heard or new again. */
export async function markVoicemailMessage(
  deps: FlowDeps,
  principal: Principal,
  id: string,
  change: { readonly heard: boolean },
): Promise<VoicemailMessage> {
  const message = await getVoicemailMessage(deps, principal, id);
  if (typeof change.heard !== "boolean") {
    throw new DomainError("voicemail_message.invalid", "invalid", "Say whether the message was heard.", [
      { field: "heard", message: "true or false" },
    ]);
  }
  if (message.heard === change.heard) return message;
  return deps.voicemail.updateMessage({ ...message, heard: change.heard });
}

/** Deletes a message with its audio. */
export async function deleteVoicemailMessage(deps: FlowDeps, principal: Principal, id: string): Promise<void> {
  const message = await getVoicemailMessage(deps, principal, id);
  if (!(await deps.voicemail.deleteMessage(message.tenantId, id))) throw notFound("voicemail_message", id);
  await deleteAudio(deps, message.tenantId, [message]);
}
