import type { Attachment, AttachmentStore } from "../src/index.js";
import { copyDate, type MemoryStoreOptions, requireNewId, requireTenant } from "./memory-rows.js";

const copyAttachment = (a: Attachment): Attachment => ({
  id: a.id,
  tenantId: a.tenantId,
  threadId: a.threadId,
  uploaderId: a.uploaderId,
  fileName: a.fileName,
  contentType: a.contentType,
  size: a.size,
  createdAt: copyDate(a.createdAt),
});

/** An in-memory `AttachmentStore` with the same semantics as the SQL one, for unit tests. */
export class MemoryAttachmentStore implements AttachmentStore {
  private readonly attachments = new Map<string, Attachment>();

  constructor(private readonly options: MemoryStoreOptions = {}) {}

  async createAttachment(attachment: Attachment): Promise<Attachment> {
    await requireTenant(this.options, attachment.tenantId);
    requireNewId(this.attachments, attachment.id);
    const stored = copyAttachment(attachment);
    this.attachments.set(stored.id, stored);
    return copyAttachment(stored);
  }

  async getAttachment(tenantId: string, id: string): Promise<Attachment | undefined> {
    const a = this.attachments.get(id);
    return a && a.tenantId === tenantId ? copyAttachment(a) : undefined;
  }
}
