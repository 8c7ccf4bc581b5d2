import type {
  CallFrame,
  ClientFrame,
  ErrorFrame,
  IdentityFrame,
  ResumePoints,
  ThreadEvent,
  ThreadEventOf,
  ThreadEventType,
} from "@switchboard/protocol";
// The one runtime import from the protocol: a zod-free module, so browser bundles stay small.
import { formatResumeFrom } from "@switchboard/protocol/resume-points";

/**
 * What the client needs of a WebSocket. The browser's `WebSocket` and the `ws` package's both fit.
 * The handlers take `never` so that either implementation's own event types are accepted.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: never) => void) | null;
  onmessage: ((event: never) => void) | null;
  onclose: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

export type RealtimeState = "connecting" | "open" | "reconnecting" | "closed";

export interface ReconnectOptions {
  /** Delay before the first reconnect attempt; doubles per failed attempt. Default 500. */
  minDelayMs?: number;
  /** Upper bound of the delay. Default 30000. */
  maxDelayMs?: number;
  /** Fraction of each delay taken off at random, so clients do not all come back at once. Default 0.5. */
  jitter?: number;
}

export interface RealtimeClientOptions {
  /** The server's HTTP(S) origin; `http` becomes `ws` and `https` becomes `wss`. */
  baseUrl: string;
  /** An access token, or a function returning one; a function is called anew before every connection. */
  token: string | (() => string | Promise<string>);
  /** Defaults to `globalThis.WebSocket`; in Node pass the `ws` package's `WebSocket`. */
  WebSocket?: WebSocketConstructor;
  reconnect?: ReconnectOptions;
  /**
   * The last sequence already seen per thread, e.g. from storage: the first connection resumes from them.
   * Given, even empty, the first connection resumes: the server replays what it has for the identity's other threads.
   */
  resumeFrom?: ResumePoints;
  /** A connection that has not sent `ready` within this time is dropped and retried. Default 10000. */
  connectTimeoutMs?: number;
}

/** From the server's `ready` frame. */
export interface ReadyInfo {
  connectionId: string;
  identityId: string;
  heartbeatMs: number;
}

export interface RealtimeStats {
  /** Stored events dropped because their sequence was not above the last one seen for their thread. */
  duplicatesDropped: number;
  /** Stored events whose sequence skipped past the next expected one (a server fault; fetch the gap over REST). */
  gapsDetected: number;
  /** Connections that reached `ready` after the first one: successful reconnects. */
  reconnects: number;
  /** Sockets closed by the client because the server stopped answering. */
  heartbeatTimeouts: number;
}

/** An `error` frame from the server. */
export class RealtimeError extends Error {
  override readonly name = "RealtimeError";
  readonly code: string;
  readonly frame: ErrorFrame;

  constructor(frame: ErrorFrame) {
    super(frame.detail ? `${frame.title}: ${frame.detail}` : frame.title);
    this.code = frame.code;
    this.frame = frame;
  }
}

export type IdentityFrameType = IdentityFrame["type"];
export type IdentityFrameOf<T extends IdentityFrameType> = Extract<IdentityFrame, { type: T }>;
export type CallFrameType = CallFrame["type"];
export type CallFrameOf<T extends CallFrameType> = Extract<CallFrame, { type: T }>;

export type RealtimeEventMap = {
  /** Every thread event, typing included. */
  event: ThreadEvent;
  /**
   * Every frame addressed to the identity rather than to a thread (offers, presence, conversation updates,
   * the supervisor's live view). A newer server may send types this version does not know: ignore them.
   */
  frame: IdentityFrame;
  /** Web calling frames (`calls.registered`, `call.incoming`, `call.placing`, `call.connected`, `call.answered`, `call.ended`): see `CallingClient`. */
  call: CallFrame;
  state: RealtimeState;
  ready: ReadyInfo;
  /** Error frames (`RealtimeError`), socket errors, token failures, listener exceptions. */
  error: Error;
} & { [T in ThreadEventType]: ThreadEventOf<T> } & { [T in IdentityFrameType]: IdentityFrameOf<T> } & {
  [T in CallFrameType]: CallFrameOf<T>;
};

type Listener<K extends keyof RealtimeEventMap> = (payload: RealtimeEventMap[K]) => void;

const OPEN = 1;

interface Waiter {
  predicate: (event: ThreadEvent) => boolean;
  resolve: (event: ThreadEvent) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * The real-time socket of one identity. It reconnects by itself after any close it did not ask for,
 * resuming from the last stored sequence it saw per thread, and never emits a stored event twice.
 */
export class RealtimeClient {
  readonly #options: RealtimeClientOptions;
  readonly #WebSocket: WebSocketConstructor;
  readonly #sequences = new Map<string, number>();
  readonly #listeners = new Map<keyof RealtimeEventMap, Set<(payload: never) => void>>();
  readonly #waiters = new Set<Waiter>();
  readonly #stats: RealtimeStats = { duplicatesDropped: 0, gapsDetected: 0, reconnects: 0, heartbeatTimeouts: 0 };

  #state: RealtimeState = "closed";
  #socket: WebSocketLike | undefined;
  #ready: ReadyInfo | undefined;
  /** Once a connection reached `ready`, every later one resumes, even with no points yet. */
  #everReady = false;
  #attempt = 0;
  #lastReceivedAt = 0;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #connectTimer: ReturnType<typeof setTimeout> | undefined;
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #watchdogTimer: ReturnType<typeof setTimeout> | undefined;
  #pingId = 0;
  /** Bumped by `close()`, so that a connection attempt still awaiting its token knows it is stale. */
  #epoch = 0;
  #pending: { resolve: (ready: ReadyInfo) => void; reject: (error: Error) => void }[] = [];

  constructor(options: RealtimeClientOptions) {
    const WebSocketImpl = options.WebSocket ?? (globalThis.WebSocket as WebSocketConstructor | undefined);
    if (typeof WebSocketImpl !== "function") {
      throw new TypeError("No WebSocket implementation: pass options.WebSocket (in Node, the `ws` package's)");
    }
    this.#options = options;
    this.#WebSocket = WebSocketImpl;
    for (const [threadId, sequence] of Object.entries(options.resumeFrom ?? {})) {
      this.#sequences.set(threadId, sequence);
    }
  }

  get state(): RealtimeState {
    return this.#state;
  }

  /** The current connection's `ready` frame; undefined while not open. */
  get ready(): ReadyInfo | undefined {
    return this.#ready;
  }

  get stats(): RealtimeStats {
    return { ...this.#stats };
  }

  /** Opens the socket; resolves at the first `ready` (retrying as needed), rejects if `close()` comes first. */
  connect(): Promise<ReadyInfo> {
    if (this.#state === "open" && this.#ready) return Promise.resolve(this.#ready);
    const ready = new Promise<ReadyInfo>((resolve, reject) => this.#pending.push({ resolve, reject }));
    // `connect()` then `close()` without awaiting (a UI unmounting) must not be an unhandled rejection.
    ready.catch(() => {});
    if (this.#state === "closed") {
      this.#setState("connecting");
      void this.#open();
    }
    return ready;
  }

  /** Closes the socket for good: no reconnect until `connect()` is called again. Sequences are kept. */
  close(): void {
    if (this.#state === "closed") return;
    this.#epoch++;
    this.#teardown();
    this.#setState("closed");
    const closed = new Error("The real-time client was closed");
    for (const pending of this.#pending.splice(0)) pending.reject(closed);
    for (const waiter of [...this.#waiters]) this.#settle(waiter, () => waiter.reject(closed));
  }

  /** Tells the thread's other participants the caller is typing; false when not connected (typing is ephemeral). */
  typing(threadId: string): boolean {
    return this.#sendFrame({ type: "typing", threadId });
  }

  /**
   * Sends a control frame (`calls.register`, `call.answer`, …); false when the socket is not open, as nothing is
   * queued: the caller decides whether to wait for the next `ready` or give up.
   */
  send(frame: ClientFrame): boolean {
    return this.#sendFrame(frame);
  }

  /** The last stored sequence seen per thread: what a reconnect resumes from. */
  resumePoints(): ResumePoints {
    return Object.fromEntries(this.#sequences);
  }

  lastSequence(threadId: string): number | undefined {
    return this.#sequences.get(threadId);
  }

  /** Subscribes; returns the function that unsubscribes. */
  on<K extends keyof RealtimeEventMap>(name: K, listener: Listener<K>): () => void {
    let set = this.#listeners.get(name);
    if (!set) {
      set = new Set();
      this.#listeners.set(name, set);
    }
    set.add(listener);
    return () => this.off(name, listener);
  }

  off<K extends keyof RealtimeEventMap>(name: K, listener: Listener<K>): void {
    this.#listeners.get(name)?.delete(listener);
  }

  /**
   * Resolves with the next thread event that matches, or rejects after `timeoutMs`. Only events that
   * arrive after the call count: start waiting before doing what causes the event.
   */
  waitFor<E extends ThreadEvent>(predicate: (event: ThreadEvent) => event is E, timeoutMs?: number): Promise<E>;
  waitFor(predicate: (event: ThreadEvent) => boolean, timeoutMs?: number): Promise<ThreadEvent>;
  waitFor(predicate: (event: ThreadEvent) => boolean, timeoutMs = 5000): Promise<ThreadEvent> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve,
        reject,
        timer: globalThis.setTimeout(
          () => this.#settle(waiter, () => reject(new Error(`No matching real-time event within ${timeoutMs} ms`))),
          timeoutMs,
        ),
      };
      this.#waiters.add(waiter);
    });
  }

  async #open(): Promise<void> {
    const epoch = this.#epoch;
    let token: string;
    try {
      token = typeof this.#options.token === "string" ? this.#options.token : await this.#options.token();
    } catch (error) {
      if (epoch !== this.#epoch) return;
      this.#emit("error", toError(error, "Could not get a real-time token"));
      this.#scheduleReconnect();
      return;
    }
    // close() may have been called while the token was being fetched.
    if (epoch !== this.#epoch) return;

    let socket: WebSocketLike;
    try {
      socket = new this.#WebSocket(this.#url(token));
    } catch (error) {
      this.#emit("error", toError(error, "Could not open the real-time socket"));
      this.#scheduleReconnect();
      return;
    }
    this.#socket = socket;
    const current = () => this.#socket === socket;
    socket.onmessage = (event: { data: unknown }) => {
      if (current()) this.#receive(event.data);
    };
    socket.onerror = () => {
      if (current()) this.#emit("error", new Error("Real-time socket error"));
    };
    socket.onclose = () => {
      if (current()) this.#lost();
    };
    this.#connectTimer = globalThis.setTimeout(() => {
      if (!current()) return;
      this.#emit("error", new Error("The server did not send ready in time"));
      this.#lost();
    }, this.#options.connectTimeoutMs ?? 10_000);
  }

  #url(token: string): string {
    const url = new URL(this.#options.baseUrl);
    url.protocol = url.protocol === "https:" || url.protocol === "wss:" ? "wss:" : "ws:";
    url.pathname = `${url.pathname.replace(/\/+$/, "")}/v1/realtime`;
    url.search = "";
    url.hash = "";
    url.searchParams.set("token", token);
    if (this.#everReady || this.#sequences.size > 0 || this.#options.resumeFrom !== undefined) {
      // Sent even when empty: it asks the server to replay what the identity's threads missed.
      url.searchParams.set("resumeFrom", formatResumeFrom(this.resumePoints()));
    }
    return url.toString();
  }

  #receive(data: unknown): void {
    this.#lastReceivedAt = Date.now();
    let frame: { type?: unknown };
    try {
      frame = JSON.parse(typeof data === "string" ? data : new TextDecoder().decode(data as ArrayBuffer));
    } catch (error) {
      this.#emit("error", toError(error, "Unreadable real-time frame"));
      return;
    }
    if (typeof frame !== "object" || frame === null) return;
    switch (frame.type) {
      case "ready":
        this.#onReady(frame as ReadyInfo);
        return;
      case "pong":
        return;
      case "error":
        this.#emit("error", new RealtimeError(frame as ErrorFrame));
        return;
      default:
        if (typeof frame.type !== "string") return;
        if (isThreadEvent(frame)) this.#onEvent(frame);
        else if (isCallFrame(frame)) this.#onCallFrame(frame);
        else if (isIdentityFrame(frame)) this.#onIdentityFrame(frame);
    }
  }

  /** Identity frames carry no thread sequence: never deduplicated, never part of a resume. */
  #onIdentityFrame(frame: IdentityFrame): void {
    this.#emit("frame", frame);
    this.#emit(frame.type, frame as never);
  }

  /** Call frames are for this socket only (the registration is per socket): not identity frames. */
  #onCallFrame(frame: CallFrame): void {
    this.#emit("call", frame);
    this.#emit(frame.type, frame as never);
  }

  #onReady(frame: ReadyInfo): void {
    globalThis.clearTimeout(this.#connectTimer);
    const firstOnThisSocket = this.#ready === undefined;
    if (this.#everReady && firstOnThisSocket) this.#stats.reconnects++;
    this.#everReady = true;
    this.#attempt = 0;
    const ready: ReadyInfo = { connectionId: frame.connectionId, identityId: frame.identityId, heartbeatMs: frame.heartbeatMs };
    this.#ready = ready;
    this.#startHeartbeat(frame.heartbeatMs);
    for (const pending of this.#pending.splice(0)) pending.resolve(ready);
    this.#setState("open");
    this.#emit("ready", ready);
  }

  #onEvent(event: ThreadEvent): void {
    // Typing is not stored: its sequence is the thread's current one, so it neither advances nor dedupes.
    if (event.type !== "chat.typing") {
      const last = this.#sequences.get(event.threadId);
      if (last !== undefined && event.sequence <= last) {
        this.#stats.duplicatesDropped++;
        return;
      }
      if (last !== undefined && event.sequence > last + 1) this.#stats.gapsDetected++;
      this.#sequences.set(event.threadId, event.sequence);
    }
    this.#emit("event", event);
    this.#emit(event.type, event as never);
    for (const waiter of [...this.#waiters]) {
      let matches = false;
      try {
        matches = waiter.predicate(event);
      } catch (error) {
        this.#settle(waiter, () => waiter.reject(toError(error, "waitFor predicate threw")));
        continue;
      }
      if (matches) this.#settle(waiter, () => waiter.resolve(event));
    }
  }

  #startHeartbeat(heartbeatMs: number): void {
    this.#stopHeartbeat();
    if (!(heartbeatMs > 0)) return;
    this.#pingTimer = globalThis.setInterval(() => {
      this.#pingId++;
      this.#sendFrame({ type: "ping", id: String(this.#pingId) });
    }, heartbeatMs);
    const deadAfter = 2 * heartbeatMs;
    const check = () => {
      const silentFor = Date.now() - this.#lastReceivedAt;
      if (silentFor < deadAfter) {
        this.#watchdogTimer = globalThis.setTimeout(check, deadAfter - silentFor);
        return;
      }
      this.#stats.heartbeatTimeouts++;
      this.#emit("error", new Error(`No frame from the server for ${silentFor} ms: reconnecting`));
      this.#lost();
    };
    this.#watchdogTimer = globalThis.setTimeout(check, deadAfter);
  }

  #stopHeartbeat(): void {
    globalThis.clearInterval(this.#pingTimer);
    globalThis.clearTimeout(this.#watchdogTimer);
    this.#pingTimer = undefined;
    this.#watchdogTimer = undefined;
  }

  /** The current socket is gone or dead: drop it and come back later. */
  #lost(): void {
    this.#teardown();
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    const { minDelayMs = 500, maxDelayMs = 30_000, jitter = 0.5 } = this.#options.reconnect ?? {};
    const base = Math.min(maxDelayMs, minDelayMs * 2 ** this.#attempt);
    const delay = base * (1 - jitter * Math.random());
    this.#attempt++;
    this.#setState(this.#everReady ? "reconnecting" : "connecting");
    globalThis.clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = globalThis.setTimeout(() => {
      this.#reconnectTimer = undefined;
      void this.#open();
    }, delay);
  }

  /** Detaches and closes the current socket and stops every timer. */
  #teardown(): void {
    this.#stopHeartbeat();
    globalThis.clearTimeout(this.#connectTimer);
    globalThis.clearTimeout(this.#reconnectTimer);
    this.#connectTimer = undefined;
    this.#reconnectTimer = undefined;
    this.#ready = undefined;
    const socket = this.#socket;
    this.#socket = undefined;
    if (!socket) return;
    // No-ops rather than null: `ws` throws an 'error' event that has no listener (closing while connecting).
    socket.onmessage = ignore;
    socket.onerror = ignore;
    socket.onclose = ignore;
    try {
      const terminate = (socket as { terminate?: () => void }).terminate;
      // `ws` waits up to 30 s for a dead peer's close frame; terminate drops the connection at once.
      if (typeof terminate === "function") terminate.call(socket);
      else socket.close(1000);
    } catch {
      // Already closing: nothing to do.
    }
  }

  #sendFrame(frame: ClientFrame): boolean {
    const socket = this.#socket;
    if (!socket || socket.readyState !== OPEN || this.#state !== "open") return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  #setState(state: RealtimeState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#emit("state", state);
  }

  #emit<K extends keyof RealtimeEventMap>(name: K, payload: RealtimeEventMap[K]): void {
    const listeners = this.#listeners.get(name);
    if (!listeners) return;
    for (const listener of [...listeners]) {
      try {
        (listener as Listener<K>)(payload);
      } catch (error) {
        // One faulty listener must not break delivery to the others or the socket's bookkeeping.
        if (name !== "error") this.#emit("error", toError(error, `A "${name}" listener threw`));
      }
    }
  }

  #settle(waiter: Waiter, settle: () => void): void {
    if (!this.#waiters.delete(waiter)) return;
    globalThis.clearTimeout(waiter.timer);
    settle();
  }
}

const ignore = (): void => {};

function isThreadEvent(frame: { type?: unknown }): frame is ThreadEvent {
  const candidate = frame as { type: string; threadId?: unknown; sequence?: unknown };
  return candidate.type.startsWith("chat.") && typeof candidate.threadId === "string" && typeof candidate.sequence === "number";
}

/** Every call frame's type (a record, so a frame added to the protocol fails to compile until it is named here). */
const CALL_FRAMES: Record<CallFrameType, true> = {
  "calls.registered": true,
  "call.incoming": true,
  "call.placing": true,
  "call.connected": true,
  "call.answered": true,
  "call.ended": true,
};
const CALL_FRAME_TYPES: ReadonlySet<string> = new Set(Object.keys(CALL_FRAMES));

function isCallFrame(frame: { type?: unknown }): frame is CallFrame {
  return CALL_FRAME_TYPES.has(frame.type as string);
}

/**
 * A namespaced frame that is not a thread event (`routing.offer`, `supervisor.live`, …). The dot keeps a
 * future frame type from ever landing on a listener of the client's own events (`state`, `event`, …).
 */
function isIdentityFrame(frame: { type?: unknown }): frame is IdentityFrame {
  const type = frame.type as string;
  return type.includes(".") && !type.startsWith("chat.");
}

function toError(error: unknown, message: string): Error {
  return error instanceof Error ? error : new Error(message, { cause: error });
}
