/**
 * What the widget keeps in the visitor's browser, per entry point: the session's secret (so a reload or a new
 * tab resumes the conversation), whether that conversation ended, the unsent draft and text messages still on
 * their way. localStorage may be missing or refuse writes (private modes, blocked storage): then it lives in
 * memory for this page only.
 */
export interface StoredWidget {
  sessionSecret?: string;
  /** The conversation the visitor saw last. */
  conversationId?: string;
  /** It ended: do not resume it by itself on the next page view. */
  ended?: boolean;
  draft?: string;
  /** Text sends not yet confirmed when the page went away: sent again (same key) on the next start. */
  outbox?: { key: string; threadId: string; content: string; createdAt: string }[];
}

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const storageKey = (entryPointId: string): string => `switchboard.widget.${entryPointId}`;

export class WidgetStorage {
  readonly #key: string;
  readonly #storage: KeyValueStorage | undefined;
  #memory: StoredWidget = {};

  constructor(entryPointId: string, storage: KeyValueStorage | undefined = browserStorage()) {
    this.#key = storageKey(entryPointId);
    this.#storage = storage;
    this.#memory = this.#read();
  }

  get(): StoredWidget {
    return { ...this.#memory };
  }

  /** Merges the change into what is stored; undefined values remove their key. */
  update(change: Partial<StoredWidget>): void {
    const next: Record<string, unknown> = { ...this.#memory, ...change };
    for (const [name, value] of Object.entries(next)) if (value === undefined) delete next[name];
    this.#memory = next as StoredWidget;
    try {
      this.#storage?.setItem(this.#key, JSON.stringify(this.#memory));
    } catch {
      // Quota or blocked storage: memory is all we have.
    }
  }

  /** Re-reads what another tab may have written (the storage event). */
  reload(): StoredWidget {
    this.#memory = this.#read();
    return this.get();
  }

  get key(): string {
    return this.#key;
  }

  #read(): StoredWidget {
    try {
      const raw = this.#storage?.getItem(this.#key);
      const parsed: unknown = raw ? JSON.parse(raw) : {};
      return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as StoredWidget) : {};
    } catch {
      return {};
    }
  }
}

function browserStorage(): KeyValueStorage | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    // Accessing localStorage throws where the browser blocks it for the page.
    return undefined;
  }
}
