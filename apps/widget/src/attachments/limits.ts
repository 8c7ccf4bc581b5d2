import type { WidgetSession } from "@switchboard/protocol";
import { formatFileSize } from "../rendering/format.js";

export type AttachmentLimits = WidgetSession["limits"];

/** What the widget knows of a picked file before uploading it. */
export interface FileInfo {
  readonly name: string;
  /** The browser's guess; empty for some files. */
  readonly type: string;
  readonly size: number;
}

export type FileCheck =
  | { readonly ok: true; readonly contentType: string }
  | { readonly ok: false; readonly reason: "too_large" | "unsupported_type" | "empty"; readonly message: string };

/** Content types by extension, for files the browser gives no type (some PDFs, drag and drop from odd sources). */
const BY_EXTENSION: Readonly<Record<string, string>> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  pdf: "application/pdf",
};

export function contentTypeOf(file: Pick<FileInfo, "name" | "type">): string {
  if (file.type) return file.type.toLowerCase();
  const extension = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase() ?? "";
  return BY_EXTENSION[extension] ?? "application/octet-stream";
}

/** Names the allowed types for people: "PNG, JPEG or PDF". */
export function describeTypes(types: readonly string[]): string {
  const names = [...new Set(types.map((t) => (t.split("/")[1] ?? t).toUpperCase()))];
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}

/** Checks a file against the entry point's limits before uploading (the server checks again, and the content too). */
export function checkFile(file: FileInfo, limits: AttachmentLimits): FileCheck {
  const contentType = contentTypeOf(file);
  if (!limits.attachmentTypes.includes(contentType)) {
    return {
      ok: false,
      reason: "unsupported_type",
      message: `“${file.name}” can't be sent: only ${describeTypes(limits.attachmentTypes)} files are accepted.`,
    };
  }
  if (file.size === 0) return { ok: false, reason: "empty", message: `“${file.name}” is empty.` };
  if (file.size > limits.attachmentMaxBytes) {
    return {
      ok: false,
      reason: "too_large",
      message: `“${file.name}” is ${formatFileSize(file.size)}; files can be up to ${formatFileSize(limits.attachmentMaxBytes)}.`,
    };
  }
  return { ok: true, contentType };
}

/** How many files one message may carry (the protocol's `attachmentIds` maximum). */
export const MAX_FILES_PER_MESSAGE = 10;
