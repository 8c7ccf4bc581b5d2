import { accessAsParticipant, accessThread } from "../chat/access.js";
import type { ChatDeps } from "../chat/deps.js";
import type { Principal } from "../identity/model.js";
import { DomainError, notFound } from "../kernel/domain-error.js";
import { ATTACHMENT_SIGNATURES, type Attachment, contentMatchesType } from "./model.js";
import type { AttachmentStore, BlobStore } from "./ports.js";

export interface AttachmentDeps extends ChatDeps {
  readonly attachmentStore: AttachmentStore;
  readonly blobs: BlobStore;
  /** The largest file accepted, in bytes. */
  readonly attachmentMaxBytes: number;
}

export interface UploadInput {
  readonly fileName: string;
  readonly contentType: string;
  readonly bytes: Uint8Array;
}

const blobKey = (a: Pick<Attachment, "tenantId" | "id">) => `${a.tenantId}/${a.id}`;

/** Stores a file a participant will attach to a message in the thread. */
export async function uploadAttachment(
  deps: AttachmentDeps,
  principal: Principal,
  threadId: string,
  input: UploadInput,
): Promise<Attachment> {
  const { actor, self } = await accessAsParticipant(deps, principal, threadId);
  const contentType = input.contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (!ATTACHMENT_SIGNATURES[contentType]) {
    throw new DomainError(
      "attachment.unsupported_type",
      "invalid",
      `Attach images (PNG, JPEG, GIF, WebP) or PDF files, not ${contentType || "this type"}.`,
      [{ field: "content-type", message: `one of ${Object.keys(ATTACHMENT_SIGNATURES).join(", ")}` }],
    );
  }
  if (input.bytes.length === 0) {
    throw new DomainError("attachment.empty", "invalid", "The file is empty.");
  }
  if (input.bytes.length > deps.attachmentMaxBytes) {
    throw new DomainError(
      "attachment.too_large",
      "too_large",
      `Files up to ${Math.floor(deps.attachmentMaxBytes / 1024)} KiB can be attached.`,
    );
  }
  if (!contentMatchesType(input.bytes, contentType)) {
    throw new DomainError("attachment.type_mismatch", "invalid", `The file's content is not ${contentType}.`);
  }
  const fileName = input.fileName.replace(/[\\/\r\n"]/g, "_").slice(0, 200) || "file";
  const attachment: Attachment = {
    id: deps.ids.next(),
    tenantId: actor.tenantId,
    threadId,
    uploaderId: self.identityId,
    fileName,
    contentType,
    size: input.bytes.length,
    createdAt: deps.clock.now(),
  };
  await deps.blobs.put(blobKey(attachment), input.bytes);
  return deps.attachmentStore.createAttachment(attachment);
}

/** A file and its bytes, for anyone who may read its thread. */
export async function readAttachment(
  deps: AttachmentDeps,
  principal: Principal,
  id: string,
): Promise<{ attachment: Attachment; bytes: Uint8Array }> {
  const tenantId = (principal.kind === "platform" ? undefined : principal.tenantId) ?? "";
  const attachment = await deps.attachmentStore.getAttachment(tenantId, id);
  if (!attachment) throw notFound("attachment", id);
  await accessThread(deps, principal, attachment.threadId);
  const bytes = await deps.blobs.get(blobKey(attachment));
  if (!bytes) throw notFound("attachment", id);
  return { attachment, bytes };
}
