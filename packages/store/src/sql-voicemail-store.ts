import {
  type Announcement,
  DomainError,
  type Mailbox,
  notFound,
  type VoicemailMessage,
  type VoicemailStore,
} from "@switchboard/core";
import type { Kysely, Selectable } from "kysely";
import { guard, isForeignKeyViolation, uniqueViolation } from "./errors.js";
import type { Database, MailboxesTable, VoicemailMessagesTable } from "./schema.js";

const toMailbox = (r: Selectable<MailboxesTable>): Mailbox => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  ownerUserId: r.owner_user_id,
  greeting: r.greeting === null ? null : (JSON.parse(r.greeting) as Announcement),
  maxMessageSeconds: r.max_message_seconds,
  pinHash: r.pin_hash,
  notifyEmails: JSON.parse(r.notify_emails) as string[],
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

const mailboxRow = (m: Mailbox): Selectable<MailboxesTable> => ({
  id: m.id,
  tenant_id: m.tenantId,
  name: m.name,
  owner_user_id: m.ownerUserId,
  greeting: m.greeting === null ? null : JSON.stringify(m.greeting),
  max_message_seconds: m.maxMessageSeconds,
  pin_hash: m.pinHash,
  notify_emails: JSON.stringify(m.notifyEmails),
  created_at: m.createdAt.toISOString(),
  updated_at: m.updatedAt.toISOString(),
});

const toMessage = (r: Selectable<VoicemailMessagesTable>): VoicemailMessage => ({
  id: r.id,
  tenantId: r.tenant_id,
  mailboxId: r.mailbox_id,
  callId: r.call_id,
  caller: r.caller,
  recordingId: r.recording_id,
  durationMs: r.duration_ms,
  transcript: r.transcript,
  heard: r.heard !== 0,
  createdAt: new Date(r.created_at),
});

const messageRow = (m: VoicemailMessage): Selectable<VoicemailMessagesTable> => ({
  id: m.id,
  tenant_id: m.tenantId,
  mailbox_id: m.mailboxId,
  call_id: m.callId,
  caller: m.caller,
  recording_id: m.recordingId,
  duration_ms: m.durationMs,
  transcript: m.transcript,
  heard: m.heard ? 1 : 0,
  created_at: m.createdAt.toISOString(),
});

/** Turns the constraint a mailbox write broke into the core's error for it; other errors pass unchanged. */
function conflict(error: unknown, m: Mailbox): unknown {
  const unique = uniqueViolation(error);
  if (unique === "mailboxes(tenant_id,name)") {
    return new DomainError("mailbox.name_taken", "conflict", `A mailbox named ${m.name} exists already.`, [], { cause: error });
  }
  if (unique === "mailboxes(tenant_id,owner_user_id)") {
    return new DomainError("mailbox.owner_taken", "conflict", "The user has a personal mailbox already.", [], { cause: error });
  }
  if (isForeignKeyViolation(error)) return notFound("tenant", m.tenantId);
  return error;
}

/** `VoicemailStore` on SQLite or PostgreSQL: mailboxes (names and owners unique per tenant) and their messages. */
export class SqlVoicemailStore implements VoicemailStore {
  constructor(private readonly db: Kysely<Database>) {}

  createMailbox(mailbox: Mailbox): Promise<Mailbox> {
    return guard("create the mailbox", async () => {
      const row = mailboxRow(mailbox);
      try {
        await this.db.insertInto("mailboxes").values(row).execute();
      } catch (error) {
        throw conflict(error, mailbox);
      }
      return toMailbox(row);
    });
  }

  updateMailbox(mailbox: Mailbox): Promise<Mailbox> {
    return guard("update the mailbox", async () => {
      const { id, tenant_id, created_at, ...fields } = mailboxRow(mailbox);
      let row: Selectable<MailboxesTable> | undefined;
      try {
        row = await this.db
          .updateTable("mailboxes")
          .set(fields)
          .where("tenant_id", "=", tenant_id)
          .where("id", "=", id)
          .returningAll()
          .executeTakeFirst();
      } catch (error) {
        throw conflict(error, mailbox);
      }
      if (!row) throw notFound("mailbox", id);
      return toMailbox(row);
    });
  }

  deleteMailbox(tenantId: string, id: string): Promise<boolean> {
    return guard("delete the mailbox", async () => {
      // Its messages go by cascade.
      const result = await this.db
        .deleteFrom("mailboxes")
        .where("tenant_id", "=", tenantId)
        .where("id", "=", id)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    });
  }

  getMailbox(tenantId: string, id: string): Promise<Mailbox | undefined> {
    return this.findMailbox(tenantId, "id", id);
  }

  findMailboxByOwner(tenantId: string, userId: string): Promise<Mailbox | undefined> {
    return this.findMailbox(tenantId, "owner_user_id", userId);
  }

  listMailboxes(tenantId: string): Promise<readonly Mailbox[]> {
    return guard("list mailboxes", async () => {
      const rows = await this.db.selectFrom("mailboxes").selectAll().where("tenant_id", "=", tenantId).orderBy("name").execute();
      return rows.map(toMailbox);
    });
  }

  addMessage(message: VoicemailMessage): Promise<VoicemailMessage> {
    return guard("keep the voicemail message", async () => {
      const row = messageRow(message);
      try {
        await this.db.transaction().execute(async (trx) => {
          // The mailbox's foreign key does not know tenants: the mailbox must be the message's tenant's.
          const mailbox = await trx
            .selectFrom("mailboxes")
            .select("id")
            .where("tenant_id", "=", message.tenantId)
            .where("id", "=", message.mailboxId)
            .executeTakeFirst();
          if (!mailbox) throw notFound("mailbox", message.mailboxId);
          await trx.insertInto("voicemail_messages").values(row).execute();
        });
      } catch (error) {
        // The mailbox went between the check and the write.
        throw isForeignKeyViolation(error) ? notFound("mailbox", message.mailboxId) : error;
      }
      return toMessage(row);
    });
  }

  getMessage(tenantId: string, id: string): Promise<VoicemailMessage | undefined> {
    return guard("read the voicemail message", async () => {
      const row = await this.db
        .selectFrom("voicemail_messages")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where("id", "=", id)
        .executeTakeFirst();
      return row && toMessage(row);
    });
  }

  listMessages(tenantId: string, mailboxId: string): Promise<readonly VoicemailMessage[]> {
    return guard("list voicemail messages", async () => {
      const rows = await this.db
        .selectFrom("voicemail_messages")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where("mailbox_id", "=", mailboxId)
        .orderBy("created_at")
        .orderBy("id")
        .execute();
      return rows.map(toMessage);
    });
  }

  updateMessage(message: VoicemailMessage): Promise<VoicemailMessage> {
    return guard("update the voicemail message", async () => {
      // Only what happens to a message after it was left changes: heard, transcribed.
      const row = await this.db
        .updateTable("voicemail_messages")
        .set({ heard: message.heard ? 1 : 0, transcript: message.transcript })
        .where("tenant_id", "=", message.tenantId)
        .where("id", "=", message.id)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw notFound("voicemail_message", message.id);
      return toMessage(row);
    });
  }

  setTranscript(tenantId: string, messageId: string, transcript: string | null): Promise<VoicemailMessage | undefined> {
    return guard("keep the voicemail transcript", async () => {
      // One column: a message marked heard while it was transcribed stays heard.
      const row = await this.db
        .updateTable("voicemail_messages")
        .set({ transcript })
        .where("tenant_id", "=", tenantId)
        .where("id", "=", messageId)
        .returningAll()
        .executeTakeFirst();
      return row && toMessage(row);
    });
  }

  deleteMessage(tenantId: string, id: string): Promise<boolean> {
    return guard("delete the voicemail message", async () => {
      const result = await this.db
        .deleteFrom("voicemail_messages")
        .where("tenant_id", "=", tenantId)
        .where("id", "=", id)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    });
  }

  private findMailbox(tenantId: string, column: "id" | "owner_user_id", value: string): Promise<Mailbox | undefined> {
    return guard("read the mailbox", async () => {
      const row = await this.db
        .selectFrom("mailboxes")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where(column, "=", value)
        .executeTakeFirst();
      return row && toMailbox(row);
    });
  }
}
