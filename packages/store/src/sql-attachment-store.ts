import { type Attachment, type AttachmentStore, notFound } from "@switchboard/core";
import type { Kysely, Selectable } from "kysely";
import { guard, isForeignKeyViolation } from "./errors.js";
import type { AttachmentsTable, Database } from "./schema.js";

const toAttachment = (r: Selectable<AttachmentsTable>): Attachment => ({
  id: r.id,
  tenantId: r.tenant_id,
  threadId: r.thread_id,
  uploaderId: r.uploader_id,
  fileName: r.file_name,
  contentType: r.content_type,
  size: r.size,
  createdAt: new Date(r.created_at),
});

const attachmentRow = (a: Attachment): Selectable<AttachmentsTable> => ({
  id: a.id,
  tenant_id: a.tenantId,
  thread_id: a.threadId,
  uploader_id: a.uploaderId,
  file_name: a.fileName,
  content_type: a.contentType,
  size: a.size,
  created_at: a.createdAt.toISOString(),
});

/** `AttachmentStore` on SQLite or PostgreSQL: the records of uploaded files (the bytes are in a `BlobStore`). */
export class SqlAttachmentStore implements AttachmentStore {
  constructor(private readonly db: Kysely<Database>) {}

  createAttachment(attachment: Attachment): Promise<Attachment> {
    return guard("create the attachment", async () => {
      const row = attachmentRow(attachment);
      try {
        await this.db.insertInto("attachments").values(row).execute();
      } catch (error) {
        if (isForeignKeyViolation(error)) throw notFound("tenant", attachment.tenantId);
        throw error;
      }
      return toAttachment(row);
    });
  }

  getAttachment(tenantId: string, id: string): Promise<Attachment | undefined> {
    return guard("read the attachment", async () => {
      const row = await this.db
        .selectFrom("attachments")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where("id", "=", id)
        .executeTakeFirst();
      return row && toAttachment(row);
    });
  }
}
