import type { AttachmentRef, Card } from "@switchboard/protocol";
import type { LocalFile } from "../conversation/state.js";
import type { TimelineItem } from "../conversation/timeline.js";
import { h, setAttributes, setText, show } from "./dom.js";
import { formatFileSize, formatMessageTime, initials, linkify, safeUrl } from "./format.js";
import { icon } from "./icons.js";

export interface RenderContext {
  readonly now: Date;
  readonly attachmentUrl: (attachmentId: string) => string;
  readonly retry: (key: string) => void;
  readonly discard: (key: string) => void;
  /** A card button with a value: sent as the customer's message. */
  readonly reply: (value: string) => void;
  /** Cards and quick replies are inactive once the chat ended. */
  readonly ended: boolean;
}

/** One row of the message list: a message, an own message on its way, a notice, or the entry point's greeting. */
export type Row =
  | TimelineItem
  | { readonly kind: "greeting"; readonly key: string; readonly name: string; readonly text: string };

/**
 * What a row's element depends on: it is rebuilt only when this changes. A rebuilt row is a new node in
 * the live log, announced again by screen readers, so what changes often (the end of a run, the receipt)
 * is patched in place by `patchRow` instead.
 */
export function rowSignature(row: Row, ended: boolean): string {
  switch (row.kind) {
    case "message": {
      const m = row.message;
      return JSON.stringify([m.id, m.content, m.editedAt, m.deletedAt, m.attachments, m.card, row.own, row.groupStart, ended]);
    }
    case "pending":
      return JSON.stringify([row.pending.status, row.pending.error, row.groupStart, row.pending.content]);
    case "notice":
      return row.text;
    case "greeting":
      return `${row.name}\n${row.text}`;
  }
}

export function renderRow(row: Row, ctx: RenderContext): HTMLElement {
  switch (row.kind) {
    case "message":
      return renderMessage(row, ctx);
    case "pending":
      return renderPending(row, ctx);
    case "notice":
      return h("p", { class: "sb-notice" }, row.text);
    case "greeting":
      return h(
        "div",
        { class: "sb-item", "data-start": true, "data-end": true },
        sender(row.name),
        h("div", { class: "sb-bubble" }, h("span", { class: "sb-visually-hidden" }, `${row.name}: `), row.text),
      );
  }
}

function sender(name: string): HTMLElement {
  return h("div", { class: "sb-sender", "aria-hidden": "true" }, h("span", { class: "sb-avatar" }, initials(name)), name);
}

function textContent(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const segment of linkify(text)) {
    fragment.append(
      segment.kind === "text"
        ? segment.text
        : h("a", { href: segment.href, target: "_blank", rel: "noopener noreferrer nofollow" }, segment.text),
    );
  }
  return fragment;
}

function renderMessage(row: Extract<Row, { kind: "message" }>, ctx: RenderContext): HTMLElement {
  const m = row.message;
  const element = h("div", { class: "sb-item" });
  setAttributes(element, { "data-own": row.own, "data-start": row.groupStart });
  const who = row.own ? "You" : m.senderDisplayName || "Support";
  if (!row.own && row.groupStart) element.append(sender(who));

  if (m.deletedAt) {
    element.append(
      h(
        "div",
        { class: "sb-bubble sb-bubble-deleted" },
        h("span", { class: "sb-visually-hidden" }, `${who}: `),
        "This message was deleted",
      ),
    );
  } else {
    if (m.content !== "" || (m.attachments.length === 0 && !m.card)) {
      const bubble = h(
        "div",
        { class: "sb-bubble" },
        h("span", { class: "sb-visually-hidden" }, `${who}: `),
        textContent(m.content),
      );
      if (m.editedAt) bubble.append(h("span", { class: "sb-edited" }, " (edited)"));
      element.append(bubble);
    }
    if (m.attachments.length > 0) element.append(renderAttachments(m.attachments, ctx));
    if (m.card) element.append(renderCard(m.card, ctx));
  }

  element.append(
    h(
      "div",
      { class: "sb-meta" },
      h("time", { datetime: m.createdAt }, formatMessageTime(new Date(m.createdAt), ctx.now)),
      h("span", { class: "sb-receipt" }),
    ),
  );
  patchRow(element, row);
  return element;
}

/** Updates what changes without rebuilding the row: whether it ends a run (and shows its time), and its receipt. */
export function patchRow(element: HTMLElement, row: Row): void {
  if (row.kind !== "message") return;
  element.toggleAttribute("data-end", row.groupEnd);
  const meta = element.querySelector<HTMLElement>(".sb-meta");
  const receipt = element.querySelector<HTMLElement>(".sb-receipt");
  if (!meta || !receipt) return;
  show(meta, row.groupEnd || row.receipt !== undefined);
  setText(receipt, row.receipt === "read" ? "· Read" : row.receipt === "sent" ? "· Sent" : "");
  receipt.classList.toggle("sb-meta-read", row.receipt === "read");
}

function renderAttachments(attachments: readonly AttachmentRef[], ctx: RenderContext): HTMLElement {
  const list = h("div", { class: "sb-attachments" });
  for (const attachment of attachments) {
    const url = ctx.attachmentUrl(attachment.id);
    if (attachment.contentType.startsWith("image/")) {
      list.append(
        h(
          "a",
          { class: "sb-image", href: url, target: "_blank", rel: "noopener noreferrer", title: attachment.fileName },
          h("img", { src: url, alt: attachment.fileName, decoding: "async" }),
        ),
      );
    } else {
      list.append(fileRow(attachment.fileName, attachment.size, url));
    }
  }
  return list;
}

function fileRow(name: string, size: number, url: string | undefined, note?: string): HTMLElement {
  const body = [
    h("span", { class: "sb-file-icon" }, icon("file")),
    h(
      "span",
      { class: "sb-file-text" },
      h("span", { class: "sb-file-name" }, name),
      h("span", { class: "sb-file-size" }, note ? `${formatFileSize(size)} · ${note}` : formatFileSize(size)),
    ),
  ];
  return url
    ? h("a", { class: "sb-file", href: url, target: "_blank", rel: "noopener noreferrer", download: name }, ...body)
    : h("div", { class: "sb-file" }, ...body);
}

function renderCard(card: Card, ctx: RenderContext): HTMLElement {
  const imageUrl = safeUrl(card.imageUrl);
  const image = imageUrl ? h("img", { src: imageUrl, alt: "", referrerpolicy: "no-referrer" }) : null;
  // A picture that does not load is left out rather than shown broken.
  image?.addEventListener("error", () => image.remove(), { once: true });
  const element = h(
    "div",
    { class: "sb-card" },
    image,
    h(
      "div",
      { class: "sb-card-body" },
      h("p", { class: "sb-card-title" }, card.title),
      card.text ? h("p", { class: "sb-card-text" }, card.text) : null,
    ),
  );
  const buttons = (card.buttons ?? []).flatMap((button): HTMLElement[] => {
    const url = safeUrl(button.url);
    if (url) {
      return [
        h(
          "a",
          { class: "sb-card-button", href: url, target: "_blank", rel: "noopener noreferrer" },
          button.label,
          icon("external"),
        ),
      ];
    }
    const value = button.value;
    if (!value) return [];
    const action = h("button", { class: "sb-card-button", type: "button", disabled: ctx.ended }, button.label);
    action.addEventListener("click", () => ctx.reply(value));
    return [action];
  });
  if (buttons.length > 0) element.append(h("div", { class: "sb-card-buttons" }, ...buttons));
  return element;
}

function renderPending(row: Extract<Row, { kind: "pending" }>, ctx: RenderContext): HTMLElement {
  const p = row.pending;
  const element = h("div", { class: "sb-item", "data-own": true, "data-end": true, "data-status": p.status });
  setAttributes(element, { "data-start": row.groupStart });
  if (p.content !== "") {
    element.append(h("div", { class: "sb-bubble" }, h("span", { class: "sb-visually-hidden" }, "You: "), textContent(p.content)));
  }
  if (p.files.length > 0) element.append(renderLocalFiles(p.files, p.status === "sending"));
  if (p.status === "sending") {
    element.append(h("div", { class: "sb-meta" }, "Sending…"));
    return element;
  }
  const retry = h("button", { class: "sb-link-button", type: "button" }, icon("retry"), "Retry");
  retry.addEventListener("click", () => ctx.retry(p.key));
  const remove = h(
    "button",
    { class: "sb-link-button sb-quiet", type: "button", "aria-label": "Remove this unsent message" },
    "Remove",
  );
  remove.addEventListener("click", () => ctx.discard(p.key));
  element.append(
    h(
      "div",
      { class: "sb-failed", role: "alert" },
      h("span", { class: "sb-failed-text" }, icon("alert"), `Not sent. ${p.error ?? ""}`.trim()),
      retry,
      remove,
    ),
  );
  return element;
}

function renderLocalFiles(files: readonly LocalFile[], uploading: boolean): HTMLElement {
  const list = h("div", { class: "sb-attachments" });
  for (const file of files) {
    if (file.previewUrl) {
      list.append(h("div", { class: "sb-image" }, h("img", { src: file.previewUrl, alt: file.name })));
    } else {
      list.append(fileRow(file.name, file.size, undefined, uploading ? "Uploading…" : undefined));
    }
  }
  return list;
}
