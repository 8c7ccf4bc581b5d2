import { CallController } from "../calling/call-controller.js";
import { inCall } from "../calling/call-state.js";
import { CallView } from "../calling/call-view.js";
import { Composer } from "../composer/composer.js";
import type { ChatController, WidgetSnapshot } from "../conversation/controller.js";
import { unreadCount } from "../conversation/state.js";
import { statusLine } from "../conversation/status.js";
import { currentQuickReplies, timeline, typingText } from "../conversation/timeline.js";
import { h, setText, show } from "./dom.js";
import { initials } from "./format.js";
import { icon } from "./icons.js";
import { patchRow, type RenderContext, type Row, renderRow, rowSignature } from "./messages.js";

interface Mounted {
  readonly element: HTMLElement;
  readonly signature: string;
}

/** Scrolled within this distance of the bottom counts as reading the latest messages: new ones scroll into view. */
const STICKY_PX = 80;

/**
 * The widget's DOM inside its shadow root: launcher, panel, header, message list, composer. It renders
 * the controller's snapshots (once per animation frame) and turns clicks and keys into its calls.
 */
export class WidgetView {
  readonly #controller: ChatController;
  readonly #root: HTMLElement;
  readonly #launcher: HTMLButtonElement;
  readonly #badge: HTMLElement;
  readonly #panel: HTMLElement;
  readonly #avatar: HTMLElement;
  readonly #title: HTMLElement;
  readonly #dot: HTMLElement;
  readonly #statusText: HTMLElement;
  readonly #endButton: HTMLButtonElement;
  readonly #callButton: HTMLButtonElement;
  readonly #call: CallController;
  readonly #callView: CallView;
  readonly #confirm: HTMLElement;
  readonly #confirmYes: HTMLButtonElement;
  readonly #connection: HTMLElement;
  readonly #notice: HTMLElement;
  readonly #noticeText: HTMLElement;
  readonly #scroll: HTMLElement;
  readonly #afterHours: HTMLElement;
  readonly #log: HTMLElement;
  readonly #typing: HTMLElement;
  readonly #typingText: HTMLElement;
  readonly #quick: HTMLElement;
  readonly #state: HTMLElement;
  readonly #ended: HTMLElement;
  readonly #composer: Composer;
  readonly #rows = new Map<string, Mounted>();
  #open = false;
  #frame = 0;
  #quickSignature = "";
  #draftTimer: ReturnType<typeof setTimeout> | undefined;
  #lastRowCount = 0;
  #focusFieldWhenReady = false;
  readonly #onToggle: ((open: boolean) => void) | undefined;

  constructor(
    shadow: ShadowRoot,
    controller: ChatController,
    options: { accent: string; onAccent: string; css: string; onToggle?: (open: boolean) => void },
  ) {
    this.#controller = controller;
    this.#onToggle = options.onToggle;
    const id = (name: string) => `sb-${name}`;

    this.#badge = h("span", { class: "sb-badge", "aria-hidden": "true", hidden: true });
    this.#launcher = h(
      "button",
      { class: "sb-launcher", type: "button", "aria-label": "Open chat", "aria-expanded": "false", "aria-controls": id("panel") },
      icon("chat", "sb-icon sb-launcher-chat"),
      icon("chevronDown", "sb-icon sb-launcher-close"),
      this.#badge,
    );

    this.#avatar = h("div", { class: "sb-avatar", "aria-hidden": "true" });
    this.#title = h("h2", { class: "sb-title", id: id("title") }, "Chat");
    this.#dot = h("span", { class: "sb-dot", "aria-hidden": "true" });
    this.#statusText = h("span", { class: "sb-status-text" });
    this.#endButton = h("button", { class: "sb-header-button sb-end", type: "button", hidden: true }, "End chat");
    this.#callButton = h(
      "button",
      { class: "sb-header-button sb-call-button", type: "button", title: "Call us from your browser", hidden: true },
      icon("phone"),
      h("span", { class: "sb-call-button-label" }, "Call us"),
    );
    this.#call = new CallController({ signaling: () => controller.realtime });
    const startCall = () => {
      const conversation = this.#controller.snapshot.conversation;
      if (conversation) void this.#call.start(conversation.id, conversation.agentId);
    };
    this.#callButton.addEventListener("click", startCall);
    this.#callView = new CallView(this.#call, {
      title: () => this.#controller.snapshot.entryPoint?.name ?? "Chat",
      callAgain: startCall,
    });
    this.#call.subscribe(() => this.#schedule());
    const close = h(
      "button",
      { class: "sb-header-button sb-close", type: "button", "aria-label": "Minimize chat", title: "Minimize" },
      icon("chevronDown"),
    );
    const header = h(
      "header",
      { class: "sb-header" },
      this.#avatar,
      this.#title,
      this.#callButton,
      this.#endButton,
      close,
      h("p", { class: "sb-status", id: id("status"), role: "status" }, this.#dot, this.#statusText),
    );

    const cancel = h("button", { class: "sb-button sb-button-ghost", type: "button" }, "Keep chatting");
    this.#confirmYes = h("button", { class: "sb-button sb-button-danger", type: "button" }, "End chat");
    this.#confirm = h(
      "div",
      { class: "sb-bar sb-bar-confirm", role: "alertdialog", "aria-labelledby": id("confirm-text"), hidden: true },
      h("span", { class: "sb-bar-text", id: id("confirm-text") }, "End this chat?"),
      cancel,
      this.#confirmYes,
    );
    this.#connection = h(
      "div",
      { class: "sb-bar sb-bar-warn", role: "status", hidden: true },
      icon("offline"),
      h("span", { class: "sb-bar-text" }, "Connection lost. Reconnecting…"),
    );
    this.#noticeText = h("span", { class: "sb-bar-text" });
    const noticeClose = h("button", { class: "sb-header-button", type: "button", "aria-label": "Dismiss" }, icon("close"));
    this.#notice = h(
      "div",
      { class: "sb-bar sb-bar-error", role: "alert", hidden: true },
      icon("alert"),
      this.#noticeText,
      noticeClose,
    );

    this.#afterHours = h("p", { class: "sb-intro-note", hidden: true });
    this.#log = h("div", { class: "sb-log", role: "log", "aria-live": "polite", "aria-label": "Messages", tabindex: "0" });
    this.#typingText = h("span");
    this.#typing = h(
      "div",
      { class: "sb-typing", role: "status", hidden: true },
      h("span", { class: "sb-typing-dots", "aria-hidden": "true" }, h("span"), h("span"), h("span")),
      this.#typingText,
    );
    this.#quick = h("div", { class: "sb-quick", role: "group", "aria-label": "Suggested replies", hidden: true });
    this.#scroll = h("div", { class: "sb-scroll" }, this.#afterHours, this.#log, this.#typing, this.#quick);
    this.#state = h("div", { class: "sb-state", hidden: true });

    this.#composer = new Composer(
      {
        send: (content, files, types) => {
          this.#controller.send(content, files, types);
          this.#scrollToBottom();
        },
        typing: () => this.#controller.typing(),
        draftChanged: (draft) => {
          globalThis.clearTimeout(this.#draftTimer);
          this.#draftTimer = globalThis.setTimeout(() => this.#controller.saveDraft(draft), 300);
        },
      },
      { hint: id("compose-hint") },
    );
    this.#composer.setDraft(controller.stored().draft ?? "");

    const startNew = h("button", { class: "sb-button sb-button-primary", type: "button" }, "Start a new conversation");
    this.#ended = h(
      "div",
      { class: "sb-ended", hidden: true },
      h("span", {}, "This chat has ended. Thanks for getting in touch!"),
      startNew,
    );

    this.#panel = h(
      "div",
      {
        class: "sb-panel",
        id: id("panel"),
        role: "dialog",
        "aria-modal": "false",
        "aria-labelledby": id("title"),
        "aria-describedby": id("status"),
        tabindex: "-1",
      },
      header,
      this.#callView.element,
      this.#confirm,
      this.#connection,
      this.#notice,
      this.#scroll,
      this.#state,
      this.#ended,
      this.#composer.element,
    );
    this.#panel.inert = true;

    this.#root = h(
      "div",
      { class: "sb", style: `--sb-accent: ${options.accent}; --sb-on-accent: ${options.onAccent}` },
      this.#panel,
      this.#launcher,
    );
    const style = h("style", {}, options.css);
    shadow.append(style, this.#root);

    this.#launcher.addEventListener("click", () => this.toggle());
    close.addEventListener("click", () => this.close());
    this.#endButton.addEventListener("click", () => this.#askToEnd());
    cancel.addEventListener("click", () => {
      show(this.#confirm, false);
      this.#endButton.focus();
    });
    this.#confirmYes.addEventListener("click", () => {
      void this.#controller.resolve().then(() => {
        show(this.#confirm, false);
        this.#schedule();
      });
    });
    noticeClose.addEventListener("click", () => this.#controller.dismissNotice());
    startNew.addEventListener("click", () => {
      void this.#controller.startNew().then(() => this.#composer.textarea.focus());
    });
    this.#root.addEventListener("keydown", (event) => {
      if (event.key !== "Escape" || !this.#open) return;
      event.stopPropagation();
      if (!this.#confirm.hidden) {
        show(this.#confirm, false);
        this.#endButton.focus();
      } else {
        this.close();
      }
    });
    this.#scroll.addEventListener("dragover", (event) => {
      if (event.dataTransfer?.types.includes("Files")) event.preventDefault();
    });
    this.#scroll.addEventListener("drop", (event) => {
      const files = Array.from(event.dataTransfer?.files ?? []);
      if (files.length === 0) return;
      event.preventDefault();
      this.#composer.addFiles(files);
    });
    controller.subscribe(() => this.#schedule());
    this.#render();
  }

  get isOpen(): boolean {
    return this.#open;
  }

  /** Opens the panel; `restore` (it was open before a reload) leaves the page's focus where it is. */
  open(options: { restore?: boolean } = {}): void {
    if (this.#open) return;
    this.#open = true;
    this.#root.setAttribute("data-open", "");
    this.#panel.inert = false;
    // Full screen on a phone, the panel is modal: the page behind it is out of reach.
    const fullScreen = globalThis.matchMedia?.("(max-width: 480px)").matches ?? false;
    this.#panel.setAttribute("aria-modal", String(fullScreen));
    this.#launcher.setAttribute("aria-expanded", "true");
    this.#launcher.setAttribute("aria-label", "Close chat");
    void this.#controller.start();
    this.#controller.setPanelOpen(true);
    this.#render();
    this.#scrollToBottom(true);
    // On touch screens focusing the field would pop the keyboard over the conversation: focus the dialog.
    this.#onToggle?.(true);
    if (options.restore) return;
    const touch = globalThis.matchMedia?.("(pointer: coarse)").matches ?? false;
    this.#panel.focus({ preventScroll: true });
    // The field is disabled until the conversation is loaded: it takes the focus then (see #render).
    this.#focusFieldWhenReady = !touch;
    this.#focusField();
  }

  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#root.removeAttribute("data-open");
    this.#panel.inert = true;
    show(this.#confirm, false);
    this.#launcher.setAttribute("aria-expanded", "false");
    this.#controller.setPanelOpen(false);
    this.#onToggle?.(false);
    this.#render();
    this.#launcher.focus();
  }

  toggle(): void {
    if (this.#open) this.close();
    else this.open();
  }

  /** Moves the focus to the message field once it can take it, unless the visitor has moved it elsewhere meanwhile. */
  #focusField(): void {
    if (!this.#focusFieldWhenReady || !this.#open || this.#composer.textarea.disabled) return;
    this.#focusFieldWhenReady = false;
    const active = (this.#root.getRootNode() as ShadowRoot).activeElement;
    if (active === null || active === this.#panel) this.#composer.textarea.focus({ preventScroll: true });
  }

  #askToEnd(): void {
    show(this.#confirm, true);
    this.#confirmYes.focus();
  }

  #schedule(): void {
    if (this.#frame !== 0) return;
    const raf = globalThis.requestAnimationFrame ?? ((callback: () => void) => globalThis.setTimeout(callback, 16));
    this.#frame = raf(() => {
      this.#frame = 0;
      this.#render();
    }) as number;
  }

  #render(): void {
    const snapshot = this.#controller.snapshot;
    const { phase, entryPoint, conversation, chat } = snapshot;
    const ended = conversation?.status === "resolved";
    const ready = phase.kind === "ready";

    // Launcher: its badge counts what the customer has not seen.
    const unread = chat && !this.#open ? unreadCount(chat) : 0;
    setText(this.#badge, unread > 9 ? "9+" : String(unread));
    show(this.#badge, unread > 0);
    if (!this.#open) {
      this.#launcher.setAttribute(
        "aria-label",
        unread > 0 ? `Open chat, ${unread} unread message${unread === 1 ? "" : "s"}` : "Open chat",
      );
    }

    // Header.
    const name = entryPoint?.name ?? "Chat";
    setText(this.#title, name);
    setText(this.#avatar, initials(name) || "?");
    const agentName = chat ? this.#agentName(snapshot) : undefined;
    const status =
      phase.kind === "failed"
        ? { text: "Unavailable", tone: "offline" as const }
        : conversation && ready
          ? statusLine(conversation, { agentName, open: entryPoint?.open ?? true })
          : { text: "Connecting…", tone: "waiting" as const };
    setText(this.#statusText, status.text);
    this.#dot.setAttribute("data-tone", status.tone);
    show(this.#endButton, ready && !!conversation && !ended);
    show(this.#callButton, ready && !!conversation && !ended);
    this.#callButton.disabled = inCall(this.#call.state);
    if (conversation) this.#call.observeAgent(conversation.agentId, agentName);
    this.#endButton.disabled = snapshot.ending;
    this.#confirmYes.disabled = snapshot.ending;
    setText(this.#confirmYes, snapshot.ending ? "Ending…" : "End chat");
    if (ended) show(this.#confirm, false);

    show(this.#connection, ready && !ended && snapshot.connection === "reconnecting");
    setText(this.#noticeText, snapshot.notice ?? "");
    show(this.#notice, snapshot.notice !== undefined);

    // Body: a whole-panel state while starting or failed, else the conversation.
    const showState = !ready || (!snapshot.historyLoaded && (chat?.messages.length ?? 0) === 0);
    this.#renderState(snapshot, showState);
    show(this.#scroll, !showState);
    show(this.#composer.element, ready && !ended);
    show(this.#ended, ready && ended);
    this.#composer.configure(snapshot.limits, ready && !ended);
    this.#focusField();

    if (!chat || showState) return;
    const nearBottom = this.#scroll.scrollHeight - this.#scroll.scrollTop - this.#scroll.clientHeight < STICKY_PX;

    const afterHours = entryPoint && !entryPoint.open && !ended ? entryPoint.afterHoursMessage : "";
    setText(this.#afterHours, afterHours);
    show(this.#afterHours, afterHours !== "");

    const rows: Row[] = timeline(chat);
    if (ended) rows.push({ kind: "notice", key: "ended", text: "Chat ended" });
    const greeting = entryPoint?.greeting.trim();
    if (greeting && !chat.messages.some((m) => m.content.trim() === greeting)) {
      rows.unshift({ kind: "greeting", key: "greeting", name, text: greeting });
    }
    const ctx: RenderContext = {
      now: new Date(),
      attachmentUrl: (attachmentId) => this.#controller.attachmentUrl(attachmentId),
      retry: (key) => this.#controller.retry(key),
      discard: (key) => this.#controller.discard(key),
      reply: (value) => {
        this.#controller.send(value);
        this.#scrollToBottom();
      },
      ended,
    };
    this.#renderRows(rows, ctx);

    const typing = ended ? undefined : typingText(chat);
    setText(this.#typingText, typing ? `${typing}…` : "");
    show(this.#typing, typing !== undefined);

    const replies = ended ? [] : currentQuickReplies(chat);
    const signature = JSON.stringify(replies);
    if (signature !== this.#quickSignature) {
      this.#quickSignature = signature;
      this.#quick.replaceChildren(
        ...replies.map((reply) => {
          const chip = h("button", { class: "sb-chip", type: "button" }, reply.label);
          chip.addEventListener("click", () => {
            this.#controller.send(reply.value);
            this.#scrollToBottom();
            this.#composer.textarea.focus({ preventScroll: true });
          });
          return chip;
        }),
      );
    }
    show(this.#quick, replies.length > 0);

    const grew = rows.length > this.#lastRowCount;
    this.#lastRowCount = rows.length;
    if (nearBottom || (grew && rows[rows.length - 1]?.kind === "pending")) this.#scrollToBottom();
  }

  /** Keeps each row's element while its content is the same, so focus, selection and loaded images survive renders. */
  #renderRows(rows: readonly Row[], ctx: RenderContext): void {
    const keep = new Set<string>();
    let previous: Element | null = null;
    for (const row of rows) {
      keep.add(row.key);
      const signature = rowSignature(row, ctx.ended);
      let mounted = this.#rows.get(row.key);
      if (!mounted || mounted.signature !== signature) {
        const element = renderRow(row, ctx);
        for (const img of element.querySelectorAll("img")) img.addEventListener("load", () => this.#keepBottom(), { once: true });
        if (mounted) {
          // Same row, new content: no entrance animation.
          element.style.animation = "none";
          mounted.element.replaceWith(element);
        }
        mounted = { element, signature };
        this.#rows.set(row.key, mounted);
      } else {
        patchRow(mounted.element, row);
      }
      const expected: Element | null = previous ? previous.nextElementSibling : this.#log.firstElementChild;
      if (expected !== mounted.element) {
        if (previous) previous.after(mounted.element);
        else this.#log.prepend(mounted.element);
      }
      previous = mounted.element;
    }
    for (const [key, mounted] of this.#rows) {
      if (keep.has(key)) continue;
      mounted.element.remove();
      this.#rows.delete(key);
    }
  }

  #renderState(snapshot: WidgetSnapshot, visible: boolean): void {
    show(this.#state, visible);
    if (!visible) return;
    const { phase } = snapshot;
    const key = phase.kind === "failed" ? `failed:${phase.message}:${phase.retryable}` : "loading";
    if (this.#state.dataset.key === key) return;
    this.#state.dataset.key = key;
    if (phase.kind === "failed") {
      const children: Node[] = [h("div", { class: "sb-state-icon" }, icon("alert")), h("p", { role: "alert" }, phase.message)];
      if (phase.retryable) {
        const retry = h("button", { class: "sb-button sb-button-primary", type: "button" }, icon("retry"), "Try again");
        retry.addEventListener("click", () => void this.#controller.start());
        children.push(retry);
      }
      this.#state.replaceChildren(...children);
    } else {
      this.#state.replaceChildren(
        h("div", { class: "sb-spinner", role: "progressbar", "aria-label": "Loading the conversation" }),
      );
    }
  }

  /** The agent's name, once one is in the chat: the latest other participant who is not the one who answered first. */
  #agentName(snapshot: WidgetSnapshot): string | undefined {
    const chat = snapshot.chat;
    if (!chat || snapshot.conversation?.status !== "with_agent") return undefined;
    const others = Object.entries(chat.others);
    const botId = chat.messages.find((m) => m.senderId !== chat.selfId)?.senderId;
    const agent = others.filter(([id]) => id !== botId).pop();
    return agent?.[1];
  }

  #keepBottom(): void {
    if (this.#scroll.scrollHeight - this.#scroll.scrollTop - this.#scroll.clientHeight < STICKY_PX * 4) this.#scrollToBottom();
  }

  #scrollToBottom(instant = false): void {
    const scroll = () => {
      if (instant) this.#scroll.style.scrollBehavior = "auto";
      this.#scroll.scrollTop = this.#scroll.scrollHeight;
      if (instant) this.#scroll.style.scrollBehavior = "";
    };
    scroll();
    (globalThis.requestAnimationFrame ?? ((callback: () => void) => globalThis.setTimeout(callback, 16)))(scroll);
  }
}
