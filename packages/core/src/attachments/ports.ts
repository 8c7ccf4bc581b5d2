import type { Attachment } from "./model.js";

/** The attachments' records (who uploaded what to which thread). */
export interface AttachmentStore {
  createAttachment(attachment: Attachment): Promise<Attachment>;
  getAttachment(tenantId: string, id: string): Promise<Attachment | undefined>;
}

/** The attachments' bytes, by key (a filesystem directory, or an object store when scaled out). */
export interface BlobStore {
  put(key: string, bytes: Uint8Array): Promise<void>;
  get(key: string): Promise<Uint8Array | undefined>;
  /** Removes the blob; nothing happens when there is none (a retried deletion is not an error). */
  delete(key: string): Promise<void>;
}
