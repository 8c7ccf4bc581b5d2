import { type AttachmentLimits, checkFile, MAX_FILES_PER_MESSAGE } from "../attachments/limits.js";
import { h, setText, show } from "../rendering/dom.js";
import { formatFileSize } from "../rendering/format.js";
import { icon } from "../rendering/icons.js";
import { canSend, lengthFeedback } from "./length.js";

export interface ComposerCallbacks {
  send(content: string, files: File[], contentTypes: string[]): void;
  typing(): void;
  draftChanged(draft: string): void;
}

interface Picked {
  readonly file: File;
  readonly contentType: string;
  readonly previewUrl: string | undefined;
}

/**
 * The message field, its paperclip and send buttons, picked files and their problems. The draft stays
 * in the field until it is handed over to be sent, and a refused file never clears it.
 */
export class Composer {
  readonly element: HTMLElement;
  readonly textarea: HTMLTextAreaElement;
  readonly #callbacks: ComposerCallbacks;
  readonly #row: HTMLElement;
  readonly #send: HTMLButtonElement;
  readonly #attach: HTMLButtonElement;
  readonly #input: HTMLInputElement;
  readonly #files: HTMLElement;
  readonly #error: HTMLElement;
  readonly #errorText: HTMLElement;
  readonly #counter: HTMLElement;
  readonly #lengthHint: HTMLElement;
  #picked: Picked[] = [];
  #limits: AttachmentLimits | undefined;
  #enabled = false;
  /** The too-long message on show, so that shortening the draft takes it away (and nothing else). */
  #lengthError: string | undefined;

  constructor(callbacks: ComposerCallbacks, ids: { hint: string }) {
    this.#callbacks = callbacks;
    this.textarea = h("textarea", {
      class: "sb-textarea",
      rows: 1,
      placeholder: "Write a message…",
      "aria-label": "Message",
      "aria-describedby": ids.hint,
      enterkeyhint: "send",
      autocomplete: "off",
    });
    this.#input = h("input", { type: "file", multiple: true, hidden: true, tabindex: -1, "aria-hidden": "true" });
    this.#attach = h(
      "button",
      { class: "sb-compose-button", type: "button", "aria-label": "Attach a file", title: "Attach a file" },
      icon("paperclip"),
    );
    this.#send = h(
      "button",
      { class: "sb-compose-button sb-send", type: "button", "aria-label": "Send message", title: "Send" },
      icon("send"),
    );
    this.#row = h("div", { class: "sb-compose-row" }, this.#attach, this.textarea, this.#send, this.#input);
    this.#files = h("div", { class: "sb-files", role: "list", "aria-label": "Files to send", hidden: true });
    this.#errorText = h("span");
    const dismiss = h("button", { class: "sb-compose-error-dismiss", type: "button", "aria-label": "Dismiss" }, icon("close"));
    this.#error = h("div", { class: "sb-compose-error", role: "alert", hidden: true }, icon("alert"), this.#errorText, dismiss);
    this.#counter = h("span", { class: "sb-counter", "aria-live": "polite" });
    this.#lengthHint = h("span", { id: ids.hint, class: "sb-visually-hidden" }, "Enter sends, Shift+Enter adds a line.");
    const brand = h("span", { class: "sb-brand" }, "Powered by ", h("strong", {}, "Switchboard"));
    this.element = h(
      "div",
      { class: "sb-composer" },
      this.#error,
      this.#files,
      this.#row,
      h("div", { class: "sb-compose-foot" }, brand, this.#counter, this.#lengthHint),
    );

    this.textarea.addEventListener("keydown", (event) => {
      // Enter while an input method composes a word (Japanese, Chinese) confirms the word, not the message.
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        this.submit();
      }
    });
    this.textarea.addEventListener("input", () => {
      this.#refresh();
      this.#callbacks.draftChanged(this.textarea.value);
      if (this.textarea.value.trim() !== "") this.#callbacks.typing();
    });
    this.#send.addEventListener("click", () => {
      this.submit();
      this.textarea.focus();
    });
    this.#attach.addEventListener("click", () => this.#input.click());
    this.#input.addEventListener("change", () => {
      this.addFiles(Array.from(this.#input.files ?? []));
      this.#input.value = "";
      this.textarea.focus();
    });
    dismiss.addEventListener("click", () => this.showError(undefined));
    this.textarea.addEventListener("paste", (event) => {
      const files = Array.from(event.clipboardData?.files ?? []);
      if (files.length > 0) {
        event.preventDefault();
        this.addFiles(files);
      }
    });
  }

  /** The session's limits, and whether sending is possible at all (a conversation is open). */
  configure(limits: AttachmentLimits | undefined, enabled: boolean): void {
    this.#limits = limits;
    this.#enabled = enabled;
    this.#input.accept = limits?.attachmentTypes.join(",") ?? "";
    this.#attach.disabled = !enabled || !limits || limits.attachmentTypes.length === 0;
    this.#attach.hidden = !!limits && limits.attachmentTypes.length === 0;
    this.textarea.disabled = !enabled;
    this.#refresh();
  }

  setDraft(draft: string): void {
    this.textarea.value = draft;
    this.#refresh();
  }

  /** Hands the draft and files over to be sent, if they can be; clears them only then. */
  submit(): void {
    const max = this.#limits?.messageMaxLength ?? Number.POSITIVE_INFINITY;
    const content = this.textarea.value.trim();
    if (!this.#enabled || !canSend(content, this.#picked.length, max)) {
      this.#refresh();
      return;
    }
    const picked = this.#picked;
    this.#picked = [];
    this.#callbacks.send(
      content,
      picked.map((p) => p.file),
      picked.map((p) => p.contentType),
    );
    for (const p of picked) if (p.previewUrl) URL.revokeObjectURL(p.previewUrl);
    this.textarea.value = "";
    this.#callbacks.draftChanged("");
    this.showError(undefined);
    this.#renderFiles();
    this.#refresh();
  }

  /** Checks picked (or pasted) files against the limits: accepted ones wait beside the field, refused ones say why. */
  addFiles(files: readonly File[]): void {
    const limits = this.#limits;
    if (!limits || files.length === 0) return;
    const problems: string[] = [];
    for (const file of files) {
      if (this.#picked.length >= MAX_FILES_PER_MESSAGE) {
        problems.push(`One message can carry up to ${MAX_FILES_PER_MESSAGE} files.`);
        break;
      }
      const check = checkFile(file, limits);
      if (!check.ok) {
        problems.push(check.message);
        continue;
      }
      const previewUrl =
        check.contentType.startsWith("image/") && typeof URL.createObjectURL === "function"
          ? URL.createObjectURL(file)
          : undefined;
      this.#picked.push({ file, contentType: check.contentType, previewUrl });
    }
    this.showError(problems.length > 0 ? problems.join(" ") : undefined);
    this.#renderFiles();
    this.#refresh();
  }

  showError(message: string | undefined): void {
    setText(this.#errorText, message ?? "");
    show(this.#error, message !== undefined);
  }

  #removeFile(index: number): void {
    const [removed] = this.#picked.splice(index, 1);
    if (removed?.previewUrl) URL.revokeObjectURL(removed.previewUrl);
    this.#renderFiles();
    this.#refresh();
    this.textarea.focus();
  }

  #renderFiles(): void {
    this.#files.replaceChildren(
      ...this.#picked.map((p, i) => {
        const remove = h(
          "button",
          { class: "sb-file-chip-remove", type: "button", "aria-label": `Remove ${p.file.name}` },
          icon("close"),
        );
        remove.addEventListener("click", () => this.#removeFile(i));
        return h(
          "div",
          { class: "sb-file-chip", role: "listitem" },
          p.previewUrl ? h("img", { src: p.previewUrl, alt: "" }) : icon("file"),
          h("span", { class: "sb-file-chip-name" }, p.file.name),
          h("span", { class: "sb-file-chip-size" }, formatFileSize(p.file.size)),
          remove,
        );
      }),
    );
    show(this.#files, this.#picked.length > 0);
  }

  /** Grows the field with its text, and updates the counter and the send button. */
  #refresh(): void {
    const max = this.#limits?.messageMaxLength ?? Number.POSITIVE_INFINITY;
    const feedback = lengthFeedback(this.textarea.value, max);
    this.#send.disabled = !this.#enabled || !canSend(this.textarea.value, this.#picked.length, max);
    this.#row.toggleAttribute("data-over", feedback.over);
    this.#counter.toggleAttribute("data-over", feedback.over);
    setText(this.#counter, feedback.showCounter ? `${feedback.length.toLocaleString()} / ${max.toLocaleString()}` : "");
    this.textarea.setAttribute("aria-invalid", String(feedback.over));
    if (feedback.over) this.showError(feedback.message);
    else if (this.#errorText.textContent === this.#lengthError) this.showError(undefined);
    this.#lengthError = feedback.message;
    this.textarea.style.height = "auto";
    this.textarea.style.height = `${Math.min(this.textarea.scrollHeight, 132)}px`;
  }
}
