import type {
  AccessToken,
  AddParticipantsRequest,
  ApiKey,
  CreateApiKeyRequest,
  CreatedApiKey,
  CreateIdentityRequest,
  CreateTenantRequest,
  CreateTenantResponse,
  CreateThreadRequest,
  CreateUserRequest,
  EditMessageRequest,
  Identity,
  IdentityPage,
  IssueTokenRequest,
  Message,
  MessagePage,
  Participant,
  SendMessageRequest,
  SignInRequest,
  SignInResponse,
  Tenant,
  Thread,
  ThreadEvent,
  ThreadEventPage,
  ThreadPage,
  UpdateThreadRequest,
  User,
} from "@switchboard/protocol";
import { type CallOptions, generateIdempotencyKey, HttpClient, type HttpOptions } from "./http.js";

/** Cursor paging (identities, threads): pass the previous page's `next` as `after`. */
export interface PageParams {
  after?: string;
  limit?: number;
}

/** Sequence paging (messages, events): items with a sequence higher than `after`. */
export interface SequenceParams {
  after?: number;
  limit?: number;
}

export type SwitchboardClientOptions = HttpOptions;

const segment = encodeURIComponent;

/**
 * The typed REST client. Every method resolves with the server's answer or rejects with a
 * `SwitchboardError` (an HTTP error) or the `fetch` error (no answer).
 */
export class SwitchboardClient {
  readonly http: HttpClient;

  constructor(options: SwitchboardClientOptions) {
    this.http = new HttpClient(options);
  }

  readonly tenants = {
    /** Creates a tenant and its first API key; needs the platform operator key. */
    create: (request: CreateTenantRequest, options?: CallOptions): Promise<CreateTenantResponse> =>
      this.http.request({ method: "POST", path: "/v1/tenants", body: request, ...options }),
    /** The tenant the credential belongs to. */
    current: (options?: CallOptions): Promise<Tenant> => this.http.request({ method: "GET", path: "/v1/tenant", ...options }),
  };

  readonly auth = {
    /** Exchanges a user's email and password for an access token; sent without a credential. */
    signIn: (request: SignInRequest, options?: CallOptions): Promise<SignInResponse> =>
      this.http.request({ method: "POST", path: "/v1/auth/sign-in", body: request, anonymous: true, ...options }),
  };

  readonly users = {
    list: async (options?: CallOptions): Promise<User[]> =>
      (await this.http.request<{ items: User[] }>({ method: "GET", path: "/v1/users", ...options })).items,
    create: (request: CreateUserRequest, options?: CallOptions): Promise<User> =>
      this.http.request({ method: "POST", path: "/v1/users", body: request, ...options }),
  };

  readonly apiKeys = {
    list: async (options?: CallOptions): Promise<ApiKey[]> =>
      (await this.http.request<{ items: ApiKey[] }>({ method: "GET", path: "/v1/api-keys", ...options })).items,
    create: (request: CreateApiKeyRequest, options?: CallOptions): Promise<CreatedApiKey> =>
      this.http.request({ method: "POST", path: "/v1/api-keys", body: request, ...options }),
    /** Revokes a key; resolves with it, `revokedAt` set. */
    revoke: (apiKeyId: string, options?: CallOptions): Promise<ApiKey> =>
      this.http.request({ method: "DELETE", path: `/v1/api-keys/${segment(apiKeyId)}`, ...options }),
  };

  readonly identities = {
    create: (request: CreateIdentityRequest, options?: CallOptions): Promise<Identity> =>
      this.http.request({ method: "POST", path: "/v1/identities", body: request, ...options }),
    list: (params: PageParams = {}, options?: CallOptions): Promise<IdentityPage> =>
      this.http.request({
        method: "GET",
        path: "/v1/identities",
        query: { after: params.after, limit: params.limit },
        ...options,
      }),
    /** Every identity, fetching pages of `limit` as the iteration goes. */
    all: (params: Omit<PageParams, "after"> = {}, options?: CallOptions): AsyncGenerator<Identity, void, undefined> =>
      cursorPages((after) => this.identities.list({ ...params, after }, options)),
    get: (identityId: string, options?: CallOptions): Promise<Identity> =>
      this.http.request({ method: "GET", path: `/v1/identities/${segment(identityId)}`, ...options }),
    delete: (identityId: string, options?: CallOptions): Promise<void> =>
      this.http.request({ method: "DELETE", path: `/v1/identities/${segment(identityId)}`, ...options }),
    /** Issues an access token that acts as the identity (for a browser or the real-time socket). */
    issueToken: (identityId: string, request: IssueTokenRequest, options?: CallOptions): Promise<AccessToken> =>
      this.http.request({
        method: "POST",
        path: `/v1/identities/${segment(identityId)}/tokens`,
        body: request,
        ...options,
      }),
  };

  readonly chat = {
    createThread: (request: CreateThreadRequest, options?: CallOptions): Promise<Thread> =>
      this.http.request({ method: "POST", path: "/v1/chat/threads", body: request, ...options }),
    listThreads: (params: PageParams = {}, options?: CallOptions): Promise<ThreadPage> =>
      this.http.request({
        method: "GET",
        path: "/v1/chat/threads",
        query: { after: params.after, limit: params.limit },
        ...options,
      }),
    /** Every thread visible to the credential, fetching pages as the iteration goes. */
    allThreads: (params: Omit<PageParams, "after"> = {}, options?: CallOptions): AsyncGenerator<Thread, void, undefined> =>
      cursorPages((after) => this.chat.listThreads({ ...params, after }, options)),
    /** The operations on one thread; makes no request by itself. */
    thread: (threadId: string): ThreadClient => new ThreadClient(this.http, threadId),
  };
}

/** The operations on one chat thread, from `client.chat.thread(threadId)`. */
export class ThreadClient {
  readonly threadId: string;
  readonly #http: HttpClient;
  readonly #path: string;

  constructor(http: HttpClient, threadId: string) {
    this.#http = http;
    this.threadId = threadId;
    this.#path = `/v1/chat/threads/${segment(threadId)}`;
  }

  get(options?: CallOptions): Promise<Thread> {
    return this.#http.request({ method: "GET", path: this.#path, ...options });
  }

  update(request: UpdateThreadRequest, options?: CallOptions): Promise<Thread> {
    return this.#http.request({ method: "PATCH", path: this.#path, body: request, ...options });
  }

  async participants(options?: CallOptions): Promise<Participant[]> {
    const page = await this.#http.request<{ items: Participant[] }>({
      method: "GET",
      path: `${this.#path}/participants`,
      ...options,
    });
    return page.items;
  }

  addParticipants(request: AddParticipantsRequest, options?: CallOptions): Promise<void> {
    return this.#http.request({ method: "POST", path: `${this.#path}/participants`, body: request, ...options });
  }

  removeParticipant(identityId: string, options?: CallOptions): Promise<void> {
    return this.#http.request({
      method: "DELETE",
      path: `${this.#path}/participants/${segment(identityId)}`,
      ...options,
    });
  }

  /**
   * Sends a message. Without an `idempotencyKey` one is generated, so the request is retried safely
   * after a network error (when retries are enabled): the server answers a repeat with the first message.
   */
  send(message: string | SendMessageRequest, options?: CallOptions): Promise<Message> {
    const request = typeof message === "string" ? { content: message } : message;
    const body: SendMessageRequest = { ...request, idempotencyKey: request.idempotencyKey ?? generateIdempotencyKey() };
    return this.#http.request({
      method: "POST",
      path: `${this.#path}/messages`,
      body,
      idempotent: true,
      ...options,
    });
  }

  /** One page of messages with a sequence higher than `after`, oldest first. */
  messages(params: SequenceParams = {}, options?: CallOptions): Promise<MessagePage> {
    return this.#http.request({
      method: "GET",
      path: `${this.#path}/messages`,
      query: { after: params.after, limit: params.limit },
      ...options,
    });
  }

  /** Every message after `after` (default: from the start), fetching pages of `limit` as the iteration goes. */
  allMessages(params: SequenceParams = {}, options?: CallOptions): AsyncGenerator<Message, void, undefined> {
    return sequencePages(params.after ?? 0, (after) => this.messages({ ...params, after }, options));
  }

  message(messageId: string, options?: CallOptions): Promise<Message> {
    return this.#http.request({ method: "GET", path: `${this.#path}/messages/${segment(messageId)}`, ...options });
  }

  edit(messageId: string, request: EditMessageRequest, options?: CallOptions): Promise<Message> {
    return this.#http.request({
      method: "PATCH",
      path: `${this.#path}/messages/${segment(messageId)}`,
      body: request,
      ...options,
    });
  }

  delete(messageId: string, options?: CallOptions): Promise<void> {
    return this.#http.request({
      method: "DELETE",
      path: `${this.#path}/messages/${segment(messageId)}`,
      ...options,
    });
  }

  /** Marks everything up to `sequence` as read by the caller. */
  markRead(sequence: number, options?: CallOptions): Promise<void> {
    return this.#http.request({ method: "POST", path: `${this.#path}/read`, body: { sequence }, ...options });
  }

  /** Tells the other participants the caller is typing (the socket's `typing()` does the same without HTTP). */
  typing(options?: CallOptions): Promise<void> {
    return this.#http.request({ method: "POST", path: `${this.#path}/typing`, ...options });
  }

  /** One page of the thread's stored events with a sequence higher than `after`. */
  events(params: SequenceParams = {}, options?: CallOptions): Promise<ThreadEventPage> {
    return this.#http.request({
      method: "GET",
      path: `${this.#path}/events`,
      query: { after: params.after, limit: params.limit },
      ...options,
    });
  }

  /** Every stored event after `after`, fetching pages as the iteration goes: to catch up without a socket. */
  allEvents(params: SequenceParams = {}, options?: CallOptions): AsyncGenerator<ThreadEvent, void, undefined> {
    return sequencePages(params.after ?? 0, (after) => this.events({ ...params, after }, options));
  }
}

async function* cursorPages<T>(
  fetchPage: (after: string | undefined) => Promise<{ items: T[]; next: string | null }>,
): AsyncGenerator<T, void, undefined> {
  let after: string | undefined;
  do {
    const page = await fetchPage(after);
    yield* page.items;
    after = page.next ?? undefined;
  } while (after !== undefined);
}

async function* sequencePages<T>(
  from: number,
  fetchPage: (after: number) => Promise<{ items: T[]; next: number | null }>,
): AsyncGenerator<T, void, undefined> {
  let after: number | null = from;
  while (after !== null) {
    const page: { items: T[]; next: number | null } = await fetchPage(after);
    yield* page.items;
    // A server that answered `next` without moving forward would loop forever.
    after = page.next !== null && page.next > after ? page.next : null;
  }
}
