import type { Mailbox, MailboxInput, MailboxPatch, User, VoicemailMessage } from "@switchboard/protocol";
import { type AnnouncementForm, announcementForm, announcementOrNull } from "../auto-attendants/announcement.js";

export const MESSAGE_SECONDS = { min: 10, max: 600, default: 120 } as const;
export const MAX_NOTIFY_EMAILS = 20;

/** A mailbox as its editor holds it. The PIN is write-only: typed to set a new one, never shown. */
export interface MailboxForm {
  name: string;
  /** Empty: a shared mailbox. */
  ownerUserId: string;
  /** Empty text: the standard greeting with the mailbox's name. */
  greeting: AnnouncementForm;
  /** As typed. */
  maxMessageSeconds: string;
  /** A new PIN; empty keeps the one set (if any). */
  pin: string;
  removePin: boolean;
  notifyEmails: string[];
}

export function formFromMailbox(mailbox: Mailbox | undefined): MailboxForm {
  return {
    name: mailbox?.name ?? "",
    ownerUserId: mailbox?.ownerUserId ?? "",
    greeting: announcementForm(mailbox?.greeting ?? null),
    maxMessageSeconds: String(mailbox?.maxMessageSeconds ?? MESSAGE_SECONDS.default),
    pin: "",
    removePin: false,
    notifyEmails: [...(mailbox?.notifyEmails ?? [])],
  };
}

const wholeNumber = (text: string): number => (/^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN);

/** Problems that keep the mailbox from being saved, by field (the server's names). */
export function validateMailbox(form: MailboxForm): Record<string, string> {
  const errors: Record<string, string> = {};
  const name = form.name.trim();
  if (name === "") errors.name = "Enter a name: callers may hear it in the standard greeting.";
  else if (name.length > 100) errors.name = "At most 100 characters.";
  const seconds = wholeNumber(form.maxMessageSeconds);
  if (!(seconds >= MESSAGE_SECONDS.min && seconds <= MESSAGE_SECONDS.max)) {
    errors.maxMessageSeconds = `Whole seconds, ${MESSAGE_SECONDS.min} to ${MESSAGE_SECONDS.max}.`;
  }
  if (!form.removePin && form.pin !== "" && !/^\d{4,12}$/.test(form.pin)) errors.pin = "4 to 12 digits.";
  if (form.notifyEmails.length > MAX_NOTIFY_EMAILS) errors.notifyEmails = `At most ${MAX_NOTIFY_EMAILS} addresses.`;
  return errors;
}

/** A new mailbox: everything the form says; a PIN only when one was typed. */
export function mailboxInput(form: MailboxForm): MailboxInput {
  return {
    name: form.name.trim(),
    ownerUserId: form.ownerUserId === "" ? null : form.ownerUserId,
    greeting: announcementOrNull(form.greeting),
    maxMessageSeconds: wholeNumber(form.maxMessageSeconds),
    notifyEmails: [...form.notifyEmails],
    ...(form.pin !== "" && !form.removePin ? { pin: form.pin } : {}),
  };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Only what changed, so that a save keeps what someone else changed meanwhile; the PIN only when a new one
 * was typed (`pin`) or removed (`pin: null`). Empty: nothing to save.
 */
export function mailboxPatch(mailbox: Mailbox, form: MailboxForm): MailboxPatch {
  const next = mailboxInput(form);
  const before = mailboxInput(formFromMailbox(mailbox));
  return {
    ...(next.name !== before.name ? { name: next.name } : {}),
    ...(next.ownerUserId !== before.ownerUserId ? { ownerUserId: next.ownerUserId } : {}),
    ...(!same(next.greeting, before.greeting) ? { greeting: next.greeting } : {}),
    ...(next.maxMessageSeconds !== before.maxMessageSeconds ? { maxMessageSeconds: next.maxMessageSeconds } : {}),
    ...(!same(next.notifyEmails, before.notifyEmails) ? { notifyEmails: next.notifyEmails } : {}),
    ...(form.removePin && mailbox.hasPin ? { pin: null } : next.pin !== undefined ? { pin: next.pin } : {}),
  };
}

/** An address to notify, as typed, checked. */
export function normalizeEmail(text: string): { value: string } | { error: string } {
  const value = text.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) || value.length > 254)
    return { error: "An email address, e.g. team@example.com." };
  return { value };
}

/** Whose mailbox it is, in words: "Shared", or the owner's name. */
export function ownerLabel(mailbox: Pick<Mailbox, "ownerUserId">, users: readonly Pick<User, "id" | "displayName">[]): string {
  if (mailbox.ownerUserId === null) return "Shared";
  return users.find((u) => u.id === mailbox.ownerUserId)?.displayName ?? "A former user";
}

/** Users who may own a mailbox: each has one personal mailbox at most, so those who have one are left out. */
export function ownerChoices(
  users: readonly Pick<User, "id" | "displayName">[],
  mailboxes: readonly Pick<Mailbox, "id" | "ownerUserId">[],
  editing: Pick<Mailbox, "id"> | undefined,
): { value: string; label: string }[] {
  const taken = new Set(mailboxes.filter((m) => m.id !== editing?.id && m.ownerUserId !== null).map((m) => m.ownerUserId));
  return [
    { value: "", label: "Nobody: a shared mailbox" },
    ...[...users]
      .filter((u) => !taken.has(u.id))
      .sort((a, b) => a.displayName.localeCompare(b.displayName))
      .map((u) => ({ value: u.id, label: u.displayName })),
  ];
}

/** A message's length as a clock: "0:07", "2:05". */
export function formatMessageDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
}

/** Newest first, as a mailbox is read. */
export const newestFirst = (messages: readonly VoicemailMessage[]): VoicemailMessage[] =>
  [...messages].sort((a, b) => b.createdAt.localeCompare(a.createdAt));

/** "3 messages, 1 new". */
export function messageCount(messages: readonly Pick<VoicemailMessage, "heard">[]): string {
  const fresh = messages.filter((m) => !m.heard).length;
  const total = `${messages.length} ${messages.length === 1 ? "message" : "messages"}`;
  return fresh > 0 ? `${total}, ${fresh} new` : total;
}
