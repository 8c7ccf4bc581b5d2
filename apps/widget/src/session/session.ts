import type { WidgetSession } from "@switchboard/protocol";
import type { SwitchboardClient } from "@switchboard/sdk";
import { isStale, renewalDelay } from "./renewal.js";
import type { WidgetStorage } from "./storage.js";

/**
 * The visitor's widget session: starts or resumes it with the secret kept in the browser, hands out a
 * current token, and renews it before it expires (the same call, with the secret).
 */
export class WidgetSessionManager {
  readonly #client: Pick<SwitchboardClient, "widget">;
  readonly #entryPointId: string;
  readonly #storage: WidgetStorage;
  readonly #now: () => number;
  readonly #listeners = new Set<(session: WidgetSession, previous: WidgetSession | undefined) => void>();
  #session: WidgetSession | undefined;
  /** The expiry on this browser's clock, so a skewed clock neither renews in a loop nor too late. */
  #expiresAt = 0;
  #renewing: Promise<WidgetSession> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #suspended = false;

  constructor(
    client: Pick<SwitchboardClient, "widget">,
    entryPointId: string,
    storage: WidgetStorage,
    now: () => number = Date.now,
  ) {
    this.#client = client;
    this.#entryPointId = entryPointId;
    this.#storage = storage;
    this.#now = now;
  }

  get current(): WidgetSession | undefined {
    return this.#session;
  }

  /** Called with every session taken: the first, each renewal, a new conversation. */
  onChange(listener: (session: WidgetSession, previous: WidgetSession | undefined) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resumes the stored session (or starts one); `newConversation` starts over after an ended chat. */
  async start(options: { newConversation?: boolean } = {}): Promise<WidgetSession> {
    const secret = this.#session?.sessionSecret ?? this.#storage.get().sessionSecret;
    const session = await this.#client.widget.createSession({
      entryPointId: this.#entryPointId,
      ...(secret ? { sessionSecret: secret } : {}),
      ...(options.newConversation ? { newConversation: true } : {}),
    });
    this.#suspended = false;
    this.#accept(session);
    return session;
  }

  /** A token good for a while yet: the credential of every chat call and socket connection. */
  async token(): Promise<string> {
    const session = this.#session;
    if (!session) throw new Error("No widget session yet");
    if (!this.#suspended && isStale(new Date(this.#expiresAt).toISOString(), this.#now())) return (await this.renew()).token;
    return session.token;
  }

  /** Renews the token now (one call however many callers ask at once). */
  renew(): Promise<WidgetSession> {
    if (!this.#renewing) {
      this.#renewing = this.start().finally(() => {
        this.#renewing = undefined;
      });
    }
    return this.#renewing;
  }

  /** The server refused the token (401): the next `token()` renews it. */
  invalidate(): void {
    this.#expiresAt = 0;
  }

  /**
   * Stops renewing: once the conversation ended, renewing would start a new one by itself. `start()`
   * resumes renewals.
   */
  suspend(): void {
    this.#suspended = true;
    globalThis.clearTimeout(this.#timer);
  }

  dispose(): void {
    this.suspend();
    this.#listeners.clear();
  }

  #accept(session: WidgetSession): void {
    const previous = this.#session;
    const now = this.#now();
    const life = Math.min(Math.max(Date.parse(session.expiresAt) - now, 60_000), 86_400_000);
    this.#session = session;
    this.#expiresAt = Number.isNaN(life) ? now + 60_000 : now + life;
    this.#storage.update({
      sessionSecret: session.sessionSecret,
      conversationId: session.conversation.id,
      ended: session.conversation.status === "resolved",
    });
    globalThis.clearTimeout(this.#timer);
    if (!this.#suspended) {
      const delay = renewalDelay(new Date(this.#expiresAt).toISOString(), now);
      this.#timer = globalThis.setTimeout(() => {
        this.renew().catch(() => {
          // The next token() tries again; the controller shows errors of the calls that need it.
        });
      }, delay);
    }
    for (const listener of [...this.#listeners]) listener(session, previous);
  }
}
