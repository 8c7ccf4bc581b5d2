/** Files customers and agents attach to messages: images and PDFs, checked by type, content and size. */
export interface Attachment {
  readonly id: string;
  readonly tenantId: string;
  readonly threadId: string;
  /** The identity that uploaded it; only it may attach it to a message. */
  readonly uploaderId: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
  readonly createdAt: Date;
}

/** The content types accepted, each with the leading bytes its files start with. */
export const ATTACHMENT_SIGNATURES: Readonly<Record<string, readonly (readonly number[])[]>> = {
  "image/png": [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  "image/jpeg": [[0xff, 0xd8, 0xff]],
  "image/gif": [
    [0x47, 0x49, 0x46, 0x38, 0x37, 0x61],
    [0x47, 0x49, 0x46, 0x38, 0x39, 0x61],
  ],
  "image/webp": [[0x52, 0x49, 0x46, 0x46]],
  "application/pdf": [[0x25, 0x50, 0x44, 0x46, 0x2d]],
};

/** Whether the bytes start like a file of the content type (a renamed .exe is not a PNG). */
export function contentMatchesType(bytes: Uint8Array, contentType: string): boolean {
  const signatures = ATTACHMENT_SIGNATURES[contentType];
  if (!signatures) return false;
  const webpTail = contentType !== "image/webp" || String.fromCharCode(...bytes.subarray(8, 12)) === "WEBP";
  return webpTail && signatures.some((sig) => sig.every((b, i) => bytes[i] === b));
}
