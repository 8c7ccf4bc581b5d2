import { DomainError, type Mailbox, notFound, type VoicemailMessage, type VoicemailStore } from "../src/index.js";
import {
  byCreation,
  compareText,
  copyDate,
  jsonCopy,
  type MemoryStoreOptions,
  requireNewId,
  requireTenant,
} from "./memory-rows.js";

/** A copy as the SQL store would return it: greeting and emails round-tripped through JSON. */
const copyMailbox = (m: Mailbox): Mailbox => ({
  id: m.id,
  tenantId: m.tenantId,
  name: m.name,
  ownerUserId: m.ownerUserId,
  greeting: jsonCopy(m.greeting),
  maxMessageSeconds: m.maxMessageSeconds,
  pinHash: m.pinHash,
  notifyEmails: [...m.notifyEmails],
  createdAt: copyDate(m.createdAt),
  updatedAt: copyDate(m.updatedAt),
});

const copyMessage = (m: VoicemailMessage): VoicemailMessage => ({
  id: m.id,
  tenantId: m.tenantId,
  mailboxId: m.mailboxId,
  callId: m.callId,
  caller: m.caller,
  recordingId: m.recordingId,
  durationMs: m.durationMs,
  transcript: m.transcript,
  heard: m.heard,
  createdAt: copyDate(m.createdAt),
});

/** An in-memory `VoicemailStore` with the same semantics as the SQL one, for unit tests. */
export class MemoryVoicemailStore implements VoicemailStore {
  private readonly mailboxes = new Map<string, Mailbox>();
  private readonly messages = new Map<string, VoicemailMessage>();

  constructor(private readonly options: MemoryStoreOptions = {}) {}

  async createMailbox(mailbox: Mailbox): Promise<Mailbox> {
    await requireTenant(this.options, mailbox.tenantId);
    requireNewId(this.mailboxes, mailbox.id);
    this.requireUnique(mailbox);
    const stored = copyMailbox(mailbox);
    this.mailboxes.set(stored.id, stored);
    return copyMailbox(stored);
  }

  async updateMailbox(mailbox: Mailbox): Promise<Mailbox> {
    const existing = this.mailboxes.get(mailbox.id);
    if (!existing || existing.tenantId !== mailbox.tenantId) throw notFound("mailbox", mailbox.id);
    this.requireUnique(mailbox);
    const stored = copyMailbox({ ...mailbox, createdAt: existing.createdAt });
    this.mailboxes.set(stored.id, stored);
    return copyMailbox(stored);
  }

  async deleteMailbox(tenantId: string, id: string): Promise<boolean> {
    const existing = this.mailboxes.get(id);
    if (!existing || existing.tenantId !== tenantId) return false;
    this.mailboxes.delete(id);
    for (const [messageId, message] of this.messages) if (message.mailboxId === id) this.messages.delete(messageId);
    return true;
  }

  async getMailbox(tenantId: string, id: string): Promise<Mailbox | undefined> {
    const m = this.mailboxes.get(id);
    return m && m.tenantId === tenantId ? copyMailbox(m) : undefined;
  }

  async findMailboxByOwner(tenantId: string, userId: string): Promise<Mailbox | undefined> {
    const m = [...this.mailboxes.values()].find((x) => x.tenantId === tenantId && x.ownerUserId === userId);
    return m && copyMailbox(m);
  }

  async listMailboxes(tenantId: string): Promise<readonly Mailbox[]> {
    return [...this.mailboxes.values()]
      .filter((m) => m.tenantId === tenantId)
      .sort((a, b) => compareText(a.name, b.name))
      .map(copyMailbox);
  }

  async addMessage(message: VoicemailMessage): Promise<VoicemailMessage> {
    // The mailbox must be the message's tenant's (so the tenant exists).
    const mailbox = this.mailboxes.get(message.mailboxId);
    if (!mailbox || mailbox.tenantId !== message.tenantId) throw notFound("mailbox", message.mailboxId);
    requireNewId(this.messages, message.id);
    const stored = copyMessage(message);
    this.messages.set(stored.id, stored);
    return copyMessage(stored);
  }

  async getMessage(tenantId: string, id: string): Promise<VoicemailMessage | undefined> {
    const m = this.messages.get(id);
    return m && m.tenantId === tenantId ? copyMessage(m) : undefined;
  }

  async listMessages(tenantId: string, mailboxId: string): Promise<readonly VoicemailMessage[]> {
    return [...this.messages.values()]
      .filter((m) => m.tenantId === tenantId && m.mailboxId === mailboxId)
      .sort(byCreation)
      .map(copyMessage);
  }

  async updateMessage(message: VoicemailMessage): Promise<VoicemailMessage> {
    const existing = this.messages.get(message.id);
    if (!existing || existing.tenantId !== message.tenantId) throw notFound("voicemail_message", message.id);
    // Only what happens to a message after it was left changes: heard, transcribed.
    const stored = copyMessage({ ...existing, heard: message.heard, transcript: message.transcript });
    this.messages.set(stored.id, stored);
    return copyMessage(stored);
  }

  async setTranscript(tenantId: string, messageId: string, transcript: string | null): Promise<VoicemailMessage | undefined> {
    const existing = this.messages.get(messageId);
    if (!existing || existing.tenantId !== tenantId) return undefined;
    const stored = copyMessage({ ...existing, transcript });
    this.messages.set(stored.id, stored);
    return copyMessage(stored);
  }

  async deleteMessage(tenantId: string, id: string): Promise<boolean> {
    const existing = this.messages.get(id);
    if (!existing || existing.tenantId !== tenantId) return false;
    this.messages.delete(id);
    return true;
  }

  /** The unique indexes on (tenant, name) and (tenant, owner). */
  private requireUnique(mailbox: Mailbox): void {
    const others = [...this.mailboxes.values()].filter((m) => m.tenantId === mailbox.tenantId && m.id !== mailbox.id);
    if (others.some((m) => m.name === mailbox.name)) {
      throw new DomainError("mailbox.name_taken", "conflict", `A mailbox named ${mailbox.name} exists already.`);
    }
    if (mailbox.ownerUserId !== null && others.some((m) => m.ownerUserId === mailbox.ownerUserId)) {
      throw new DomainError("mailbox.owner_taken", "conflict", "The user has a personal mailbox already.");
    }
  }
}
