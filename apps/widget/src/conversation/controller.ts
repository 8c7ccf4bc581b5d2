import type { AttachmentRef, Conversation, Message, ThreadEvent, WidgetSession } from "@switchboard/protocol";
import {
  type FetchLike,
  generateIdempotencyKey,
  RealtimeClient,
  RealtimeError,
  type RealtimeState,
  SwitchboardClient,
  SwitchboardError,
  type ThreadClient,
  type WebSocketConstructor,
} from "@switchboard/sdk";
import { TypingThrottle } from "../composer/typing.js";
import { WidgetSessionManager } from "../session/session.js";
import type { StoredWidget, WidgetStorage } from "../session/storage.js";
import { explain } from "./errors.js";
import {
  type ChatAction,
  type ChatState,
  CLIENT_KEY,
  chatReducer,
  initialChatState,
  type LocalFile,
  lastMessageSequence,
} from "./state.js";

export type Phase =
  /** Nothing started yet: the visitor has not opened the chat and has no conversation to resume. */
  | { readonly kind: "idle" }
  | { readonly kind: "starting" }
  | { readonly kind: "failed"; readonly message: string; readonly retryable: boolean }
  | { readonly kind: "ready" };

/** Everything the view shows; a new object on every change. */
export interface WidgetSnapshot {
  readonly phase: Phase;
  readonly entryPoint: WidgetSession["entryPoint"] | undefined;
  readonly limits: WidgetSession["limits"] | undefined;
  readonly conversation: Conversation | undefined;
  readonly chat: ChatState | undefined;
  readonly historyLoaded: boolean;
  readonly connection: RealtimeState | "idle";
  /** The end-chat call is on its way. */
  readonly ending: boolean;
  /** A problem to show once (ending the chat failed, ...). */
  readonly notice: string | undefined;
}

interface Outgoing {
  readonly content: string;
  readonly files: readonly File[];
  readonly contentTypes: readonly string[];
  readonly uploaded: (AttachmentRef | undefined)[];
  readonly previews: readonly (string | undefined)[];
  readonly createdAt: string;
  /** The last failure may pass by itself (the network): sent again when the browser is back online. */
  retryable: boolean;
}

export interface ChatControllerOptions {
  readonly baseUrl: string;
  readonly entryPointId: string;
  readonly storage: WidgetStorage;
  /** The browser's by default; tests script the server. */
  readonly fetch?: FetchLike | undefined;
  readonly WebSocket?: WebSocketConstructor | undefined;
}

/** While the real-time socket is down, the open panel asks for new messages this often. */
const POLL_MESSAGES_MS = 5000;
const POLL_WAITING_MS = 10_000;
const POLL_CONVERSATION_MS = 30_000;

/**
 * The widget's brain: the session, the conversation's state, sends with their retries, read marks,
 * typing, and the real-time socket. The view renders its snapshots and calls its methods; it touches
 * no DOM besides the page's visibility and online state.
 */
export class ChatController {
  readonly #client: SwitchboardClient;
  readonly #session: WidgetSessionManager;
  readonly #storage: WidgetStorage;
  readonly #baseUrl: string;
  readonly #WebSocket: WebSocketConstructor | undefined;
  readonly #listeners = new Set<(snapshot: WidgetSnapshot) => void>();
  readonly #outbox = new Map<string, Outgoing>();
  readonly #typing = new TypingThrottle(3000);
  #snapshot: WidgetSnapshot = {
    phase: { kind: "idle" },
    entryPoint: undefined,
    limits: undefined,
    conversation: undefined,
    chat: undefined,
    historyLoaded: false,
    connection: "idle",
    ending: false,
    notice: undefined,
  };
  #realtime: RealtimeClient | undefined;
  /** The visitor the socket was opened for: a new visitor needs a new socket. */
  #realtimeIdentity: string | undefined;
  #thread: ThreadClient | undefined;
  /** Bumped when the conversation changes, so answers about the previous one are dropped. */
  #generation = 0;
  #deliveries: Promise<void> = Promise.resolve();
  #panelOpen = false;
  #readSent = 0;
  /** A session a renewal brought with a new conversation, because the shown one ended meanwhile. */
  #nextSession: WidgetSession | undefined;
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;
  #pollTimer: ReturnType<typeof setTimeout> | undefined;
  #typingTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #cleanups: (() => void)[] = [];

  constructor(options: ChatControllerOptions) {
    this.#baseUrl = options.baseUrl;
    this.#storage = options.storage;
    this.#WebSocket = options.WebSocket;
    const fetch = options.fetch ? { fetch: options.fetch } : {};
    this.#session = new WidgetSessionManager(
      new SwitchboardClient({ baseUrl: options.baseUrl, ...fetch }),
      options.entryPointId,
      options.storage,
    );
    this.#client = new SwitchboardClient({ baseUrl: options.baseUrl, credential: () => this.#session.token(), ...fetch });
    this.#cleanups.push(this.#session.onChange((session, previous) => this.#onSessionChange(session, previous)));
    this.#listen(globalThis, "online", () => this.#retryAfterOffline());
    this.#listen(globalThis.document, "visibilitychange", () => this.#onVisibility());
  }

  get snapshot(): WidgetSnapshot {
    return this.#snapshot;
  }

  /** The conversation's real-time socket (calls from the chat use it), while there is one. */
  get realtime(): RealtimeClient | undefined {
    return this.#realtime;
  }

  subscribe(listener: (snapshot: WidgetSnapshot) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** What the browser kept: the draft, and whether there is a conversation to resume at once. */
  stored(): StoredWidget {
    return this.#storage.get();
  }

  /** Starts or resumes the session; does nothing while one is starting or ready. */
  async start(): Promise<void> {
    const phase = this.#snapshot.phase.kind;
    if (phase === "starting" || phase === "ready") return;
    this.#set({ phase: { kind: "starting" } });
    try {
      await this.#session.start();
    } catch (error) {
      const explained = explain(error);
      if (!explained.retryable) console.warn("[switchboard widget]", error instanceof Error ? error.message : error);
      this.#set({ phase: { kind: "failed", ...explained } });
    }
  }

  /** The panel opened or closed: while it is open and the page visible, new messages are marked read. */
  setPanelOpen(open: boolean): void {
    this.#panelOpen = open;
    if (open) {
      this.#markRead();
      if (this.#snapshot.phase.kind === "ready") this.#refreshConversation();
    }
    this.#schedulePoll();
  }

  /** Sends a message with files; shown at once, confirmed or failed later. */
  send(content: string, files: readonly File[] = [], contentTypes: readonly string[] = []): void {
    const chat = this.#snapshot.chat;
    if (!chat || !this.#thread) return;
    const key = generateIdempotencyKey();
    const previews = files.map((file, i) =>
      (contentTypes[i] ?? file.type).startsWith("image/") && typeof URL.createObjectURL === "function"
        ? URL.createObjectURL(file)
        : undefined,
    );
    const local: LocalFile[] = files.map((file, i) => ({
      name: file.name,
      contentType: contentTypes[i] ?? file.type,
      size: file.size,
      previewUrl: previews[i],
    }));
    const createdAt = new Date().toISOString();
    this.#outbox.set(key, { content, files, contentTypes, uploaded: [], previews, createdAt, retryable: true });
    this.#dispatch({ type: "send", key, content, files: local, createdAt });
    this.#saveOutbox();
    this.#typing.reset();
    this.#deliver(key);
  }

  retry(key: string): void {
    if (!this.#outbox.has(key)) return;
    this.#dispatch({ type: "retry", key });
    this.#deliver(key);
  }

  /** Drops a failed message the customer gives up on. */
  discard(key: string): void {
    this.#forget(key);
    this.#dispatch({ type: "discard", key });
  }

  /** The customer is typing: tells the others, at most once per 3 s. */
  typing(): void {
    const chat = this.#snapshot.chat;
    if (!chat || !this.#thread || this.#ended() || !this.#typing.shouldSend(Date.now())) return;
    if (this.#realtime?.typing(chat.threadId)) return;
    this.#thread.typing().catch(() => {
      // Typing is a courtesy: never worth an error.
    });
  }

  saveDraft(draft: string): void {
    this.#storage.update({ draft: draft === "" ? undefined : draft });
  }

  /** The customer ends the chat. */
  async resolve(): Promise<void> {
    const conversation = this.#snapshot.conversation;
    if (!conversation || this.#snapshot.ending || conversation.status === "resolved") return;
    this.#set({ ending: true, notice: undefined });
    const generation = this.#generation;
    try {
      const resolved = await this.#authed(() => this.#client.conversations.resolve(conversation.id));
      if (generation !== this.#generation) return;
      this.#set({ ending: false });
      this.#setConversation(resolved);
    } catch (error) {
      if (generation === this.#generation)
        this.#set({ ending: false, notice: `Couldn't end the chat. ${explain(error).message}` });
    }
  }

  /** After an ended chat: a new conversation, with the same visitor. */
  async startNew(): Promise<void> {
    // A conversation a renewal already opened is resumed rather than left behind for a third one.
    const newConversation = this.#nextSession === undefined;
    this.#set({ phase: { kind: "starting" }, notice: undefined });
    try {
      await this.#session.start({ newConversation });
    } catch (error) {
      this.#set({ phase: { kind: "failed", ...explain(error) } });
    }
  }

  dismissNotice(): void {
    if (this.#snapshot.notice !== undefined) this.#set({ notice: undefined });
  }

  /** Where an attachment downloads, with the current token (for `<img src>` and links). */
  attachmentUrl(attachmentId: string): string {
    return this.#client.attachments.url(attachmentId, this.#session.current?.token ?? "");
  }

  dispose(): void {
    this.#generation++;
    this.#session.dispose();
    this.#realtime?.close();
    this.#realtime = undefined;
    for (const timer of [this.#refreshTimer, this.#pollTimer, this.#typingTimer]) globalThis.clearTimeout(timer);
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    for (const key of [...this.#outbox.keys()]) this.#forget(key, false);
    this.#listeners.clear();
  }

  // --- sessions and conversations ---

  #onSessionChange(session: WidgetSession, previous: WidgetSession | undefined): void {
    const shown = this.#snapshot.conversation;
    const renewal = this.#snapshot.phase.kind === "ready" && previous !== undefined && shown !== undefined;
    // A start (the first, a retry, a new conversation), or the server no longer knew the secret and made a new visitor.
    if (!renewal || !shown || session.identityId !== previous?.identityId) {
      this.#enter(session);
      return;
    }
    this.#set({ entryPoint: session.entryPoint, limits: session.limits });
    if (session.conversation.id === shown.id) {
      this.#setConversation(session.conversation);
      return;
    }
    // The renewal brought a new conversation: the one on screen ended meanwhile. Keep showing it, ended;
    // starting over resumes the new one.
    this.#nextSession = session;
    this.#setConversation({ ...shown, status: "resolved", queuePosition: null });
  }

  /** Shows a session's conversation: fresh state, its history, live events. */
  #enter(session: WidgetSession): void {
    this.#generation++;
    const generation = this.#generation;
    const { conversation } = session;
    this.#thread = this.#client.chat.thread(conversation.threadId);
    this.#readSent = 0;
    this.#nextSession = undefined;
    for (const key of [...this.#outbox.keys()]) this.#forget(key, false);
    this.#set({
      phase: { kind: "ready" },
      entryPoint: session.entryPoint,
      limits: session.limits,
      conversation,
      chat: initialChatState(session.identityId, conversation.threadId),
      historyLoaded: false,
      ending: false,
      notice: undefined,
    });
    if (conversation.status === "resolved") {
      this.#whenEnded();
    } else if (!this.#realtime || this.#realtimeIdentity !== session.identityId) {
      this.#connect(session.identityId);
    }
    void this.#loadHistory(generation);
    this.#schedulePoll();
  }

  #setConversation(conversation: Conversation): void {
    const was = this.#snapshot.conversation;
    this.#set({ conversation });
    if (conversation.status === "resolved" && was?.status !== "resolved") this.#whenEnded();
  }

  /** An ended conversation gets no more events, and its token must not be renewed: that would open a new one. */
  #whenEnded(): void {
    this.#session.suspend();
    this.#realtime?.close();
    this.#realtime = undefined;
    this.#storage.update({ ended: true, draft: undefined });
    this.#set({ connection: "idle" });
  }

  #ended(): boolean {
    return this.#snapshot.conversation?.status === "resolved";
  }

  #refreshConversation(): void {
    const conversation = this.#snapshot.conversation;
    if (!conversation || this.#ended()) return;
    const generation = this.#generation;
    this.#authed(() => this.#client.conversations.get(conversation.id))
      .then((fresh) => {
        if (generation === this.#generation) this.#setConversation(fresh);
      })
      .catch(() => {
        // The status line keeps its last state; the next event or poll tries again.
      });
  }

  /** Events that may change the conversation's status come in bursts: ask once after them. */
  #scheduleRefresh(): void {
    globalThis.clearTimeout(this.#refreshTimer);
    this.#refreshTimer = globalThis.setTimeout(() => this.#refreshConversation(), 400);
  }

  /** While the panel is open: the queue position, and messages when the socket is down. */
  #schedulePoll(): void {
    globalThis.clearTimeout(this.#pollTimer);
    if (!this.#panelOpen || this.#snapshot.phase.kind !== "ready" || this.#ended()) return;
    const socketDown = this.#snapshot.connection !== "open";
    const waiting = this.#snapshot.conversation?.status === "awaiting_agent";
    const delay = socketDown ? POLL_MESSAGES_MS : waiting ? POLL_WAITING_MS : POLL_CONVERSATION_MS;
    this.#pollTimer = globalThis.setTimeout(() => {
      if (socketDown) void this.#catchUp(this.#generation);
      this.#refreshConversation();
      this.#schedulePoll();
    }, delay);
  }

  // --- history and live events ---

  async #loadHistory(generation: number): Promise<void> {
    const thread = this.#thread;
    if (!thread) return;
    try {
      const [participants, messages] = await Promise.all([
        this.#authed(() => thread.participants()),
        this.#authed(async () => {
          const all: Message[] = [];
          for await (const message of thread.allMessages({ limit: 200 })) all.push(message);
          return all;
        }),
      ]);
      if (generation !== this.#generation) return;
      this.#dispatch({ type: "history", messages });
      this.#dispatch({ type: "participants", participants });
      this.#set({ historyLoaded: true });
      this.#resendStoredOutbox();
      this.#markRead();
    } catch (error) {
      if (generation !== this.#generation) return;
      this.#set({ phase: { kind: "failed", ...explain(error) } });
    }
  }

  /** Messages after the last one known: after the socket (re)opens, and while it is down. */
  async #catchUp(generation: number): Promise<void> {
    const thread = this.#thread;
    const chat = this.#snapshot.chat;
    if (!thread || !chat || !this.#snapshot.historyLoaded) return;
    try {
      const page = await this.#authed(() => thread.messages({ after: lastMessageSequence(chat), limit: 200 }));
      if (generation === this.#generation && page.items.length > 0) {
        this.#dispatch({ type: "history", messages: page.items });
        this.#markRead();
        this.#scheduleRefresh();
      }
    } catch {
      // The next poll or event tries again.
    }
  }

  #connect(identityId: string): void {
    this.#realtime?.close();
    const realtime = new RealtimeClient({
      baseUrl: this.#baseUrl,
      token: () => this.#session.token(),
      ...(this.#WebSocket ? { WebSocket: this.#WebSocket } : {}),
    });
    this.#realtime = realtime;
    this.#realtimeIdentity = identityId;
    realtime.on("event", (event) => this.#onEvent(event));
    // The server tells the customer when the conversation changes (queue position, agent, end).
    realtime.on("conversation.updated", (frame) => {
      const shown = this.#snapshot.conversation;
      if (shown && frame.conversation.id === shown.id) this.#setConversation(frame.conversation);
    });
    realtime.on("state", (state) => {
      if (this.#realtime !== realtime) return;
      this.#set({ connection: state });
      this.#schedulePoll();
    });
    // The first connection sees only live events: what came before it is read over REST, and so is
    // anything between the history page and the socket's `ready`. Later reconnects resume by themselves.
    realtime.on("ready", () => void this.#catchUp(this.#generation));
    realtime.on("error", (error) => {
      if (error instanceof RealtimeError && error.code.startsWith("auth.")) this.#session.invalidate();
    });
    realtime.connect().catch(() => {
      // Rejects only when closed first.
    });
  }

  #onEvent(event: ThreadEvent): void {
    const chat = this.#snapshot.chat;
    if (!chat || event.threadId !== chat.threadId) return;
    this.#dispatch({ type: "event", event, now: Date.now() });
    if (event.type === "chat.typing") this.#scheduleTypingTick();
    else if (event.type !== "chat.read") this.#scheduleRefresh();
    if (event.type === "chat.message.received") this.#markRead();
  }

  #scheduleTypingTick(): void {
    globalThis.clearTimeout(this.#typingTimer);
    const next = Math.min(...(this.#snapshot.chat?.typing.map((t) => t.until) ?? []));
    if (!Number.isFinite(next)) return;
    this.#typingTimer = globalThis.setTimeout(
      () => {
        this.#dispatch({ type: "tick", now: Date.now() });
        this.#scheduleTypingTick();
      },
      Math.max(0, next - Date.now()) + 50,
    );
  }

  #onVisibility(): void {
    if (globalThis.document?.visibilityState === "visible") this.#markRead();
  }

  #markRead(): void {
    const chat = this.#snapshot.chat;
    const visible = globalThis.document?.visibilityState !== "hidden";
    if (!chat || !this.#thread || !this.#panelOpen || !visible || !this.#snapshot.historyLoaded || this.#ended()) return;
    const sequence = lastMessageSequence(chat);
    if (sequence <= chat.selfReadUpTo || sequence <= this.#readSent) return;
    const previous = this.#readSent;
    this.#readSent = sequence;
    const generation = this.#generation;
    const thread = this.#thread;
    this.#authed(() => thread.markRead(sequence))
      .then(() => {
        if (generation === this.#generation) this.#dispatch({ type: "markedRead", sequence });
      })
      .catch(() => {
        if (generation === this.#generation && this.#readSent === sequence) this.#readSent = previous;
      });
  }

  // --- sending ---

  /** Sends run one after another, so they keep their order in the thread. */
  #deliver(key: string): void {
    const generation = this.#generation;
    this.#deliveries = this.#deliveries.then(() => this.#deliverNow(key, generation));
  }

  async #deliverNow(key: string, generation: number): Promise<void> {
    const outgoing = this.#outbox.get(key);
    const thread = this.#thread;
    if (!outgoing || !thread || generation !== this.#generation) return;
    try {
      for (const [i, file] of outgoing.files.entries()) {
        if (outgoing.uploaded[i]) continue;
        const contentType = outgoing.contentTypes[i] ?? file.type;
        const attachment = await this.#authed(() => thread.uploadAttachment(file, file.name, { contentType }));
        outgoing.uploaded[i] = attachment;
      }
      const attachmentIds = outgoing.uploaded.flatMap((a) => (a ? [a.id] : []));
      const message = await this.#authed(() =>
        thread.send({
          content: outgoing.content,
          idempotencyKey: key,
          metadata: { [CLIENT_KEY]: key },
          ...(attachmentIds.length > 0 ? { attachmentIds } : {}),
        }),
      );
      if (generation !== this.#generation) return;
      this.#forget(key);
      this.#dispatch({ type: "sent", key, message });
    } catch (error) {
      if (generation !== this.#generation) return;
      const explained = explain(error);
      outgoing.retryable = explained.retryable;
      this.#dispatch({ type: "sendFailed", key, error: explained.message });
    }
  }

  #retryAfterOffline(): void {
    for (const [key, outgoing] of this.#outbox) {
      const pending = this.#snapshot.chat?.pending.find((p) => p.key === key);
      if (pending?.status === "failed" && outgoing.retryable) this.retry(key);
    }
    if (this.#snapshot.phase.kind === "failed" && this.#snapshot.phase.retryable) void this.start();
  }

  #forget(key: string, save = true): void {
    const outgoing = this.#outbox.get(key);
    if (!outgoing) return;
    this.#outbox.delete(key);
    for (const url of outgoing.previews) if (url) URL.revokeObjectURL(url);
    if (save) this.#saveOutbox();
  }

  /** Text sends survive a reload: they are sent again, with the same key, on the next start. */
  #saveOutbox(): void {
    const threadId = this.#snapshot.chat?.threadId;
    if (!threadId) return;
    const entries = [...this.#outbox.entries()]
      .filter(([, o]) => o.files.length === 0)
      .map(([key, o]) => ({ key, threadId, content: o.content, createdAt: o.createdAt }));
    this.#storage.update({ outbox: entries.length > 0 ? entries : undefined });
  }

  #resendStoredOutbox(): void {
    const chat = this.#snapshot.chat;
    const stored = (this.#storage.get().outbox ?? []).filter((entry) => entry.threadId === chat?.threadId);
    if (!chat || stored.length === 0) return;
    const confirmed = new Set(chat.messages.flatMap((m) => (m.metadata[CLIENT_KEY] ? [m.metadata[CLIENT_KEY]] : [])));
    for (const entry of stored) {
      if (confirmed.has(entry.key) || this.#outbox.has(entry.key)) continue;
      this.#outbox.set(entry.key, {
        content: entry.content,
        files: [],
        contentTypes: [],
        uploaded: [],
        previews: [],
        createdAt: entry.createdAt,
        retryable: true,
      });
      this.#dispatch({ type: "send", key: entry.key, content: entry.content, files: [], createdAt: entry.createdAt });
      this.#deliver(entry.key);
    }
    this.#saveOutbox();
  }

  // --- plumbing ---

  /** Runs a call; after a 401 (the token expired or was revoked) renews the session once and runs it again. */
  async #authed<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof SwitchboardError) || error.status !== 401 || this.#ended()) throw error;
      this.#session.invalidate();
      return call();
    }
  }

  #dispatch(action: ChatAction): void {
    const chat = this.#snapshot.chat;
    if (!chat) return;
    const next = chatReducer(chat, action);
    if (next !== chat) this.#set({ chat: next });
  }

  #set(change: Partial<WidgetSnapshot>): void {
    this.#snapshot = { ...this.#snapshot, ...change };
    for (const listener of [...this.#listeners]) listener(this.#snapshot);
  }

  #listen(target: EventTarget | undefined, type: string, handler: () => void): void {
    // Outside a browser (tests) there is no window or document to listen to.
    if (typeof target?.addEventListener !== "function") return;
    target.addEventListener(type, handler);
    this.#cleanups.push(() => target.removeEventListener(type, handler));
  }
}
