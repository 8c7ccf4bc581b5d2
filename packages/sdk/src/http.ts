import type { Problem } from "@switchboard/protocol";

/** A bearer credential (tenant API key `sk_...` or access token), or a function that returns the current one. */
export type Credential = string | (() => string | Promise<string>);

/** The subset of `fetch` the client uses; `globalThis.fetch` fits, so does any test double. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface RetryOptions {
  /** How many times one call may be retried in total (429s and network errors together). Default 0: no retries. */
  maxRetries?: number;
  /** A 429 whose `Retry-After` asks for longer than this is not retried but thrown. Default 60. */
  maxRetryAfterSeconds?: number;
  /** Delay before retrying a network error; doubles on each attempt. Default 250. */
  networkBackoffMs?: number;
}

export interface HttpOptions {
  /** The server's origin, optionally with a path prefix, e.g. `https://switchboard.example.com`. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <credential>`; a function is called before every request, so tokens can rotate. */
  credential?: Credential;
  /** Defaults to `globalThis.fetch`. */
  fetch?: FetchLike;
  retry?: RetryOptions;
}

export type QueryValue = string | number | undefined;

export interface CallOptions {
  signal?: AbortSignal;
}

export interface RequestSpec extends CallOptions {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  query?: Record<string, QueryValue>;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is with its own content type instead of a JSON body (a file upload). */
  raw?: { data: Blob | BufferSource; contentType: string };
  /** Send without `Authorization` even when a credential is configured (sign-in). */
  anonymous?: boolean;
  /** The `Accept` header; defaults to JSON and problems. */
  accept?: string;
  /**
   * Whether a network error may be retried. Defaults to true for GET only. Set it for a request the
   * server deduplicates, such as a message send with an idempotency key.
   */
  idempotent?: boolean;
}

/** An HTTP error answer from the server, carrying its RFC 9457 problem. */
export class SwitchboardError extends Error {
  override readonly name = "SwitchboardError";
  readonly status: number;
  readonly code: string;
  readonly problem: Problem;
  /** From `Retry-After` on a 429, in seconds. */
  readonly retryAfterSeconds: number | undefined;

  constructor(problem: Problem, retryAfterSeconds?: number) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.status = problem.status;
    this.code = problem.code;
    this.problem = problem;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** The fields at fault of a validation error; empty otherwise. */
  get errors(): { field: string; message: string }[] {
    return this.problem.errors ?? [];
  }
}

/** A random key for `SendMessageRequest.idempotencyKey`; works in insecure browser contexts too. */
export function generateIdempotencyKey(): string {
  const crypto = globalThis.crypto;
  if (typeof crypto?.randomUUID === "function") return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  if (typeof crypto?.getRandomValues === "function") crypto.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Seconds from a `Retry-After` header (delay seconds or HTTP date); undefined when absent or malformed. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  // An HTTP date always names its weekday or month; this keeps "-3" from parsing as a year.
  const at = /[a-z]/i.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      globalThis.clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = globalThis.setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/** The request core shared by every namespace of `SwitchboardClient`. */
export class HttpClient {
  readonly baseUrl: string;
  readonly #credential: Credential | undefined;
  readonly #fetch: FetchLike;
  readonly #maxRetries: number;
  readonly #maxRetryAfterSeconds: number;
  readonly #networkBackoffMs: number;

  constructor(options: HttpOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#credential = options.credential;
    const fetchImpl = options.fetch ?? globalThis.fetch;
    if (typeof fetchImpl !== "function") throw new TypeError("No fetch implementation: pass options.fetch");
    // Called as a method of this class, the browser's `fetch` would throw "Illegal invocation".
    this.#fetch = (url, init) => fetchImpl(url, init);
    this.#maxRetries = options.retry?.maxRetries ?? 0;
    this.#maxRetryAfterSeconds = options.retry?.maxRetryAfterSeconds ?? 60;
    this.#networkBackoffMs = options.retry?.networkBackoffMs ?? 250;
  }

  /** Sends one request, retrying as configured; resolves with the parsed JSON body (undefined for 204). */
  async request<T>(spec: RequestSpec): Promise<T> {
    return (await readBody(await this.#exchange(spec))) as T;
  }

  /** Sends one request, retrying as configured; resolves with the body as a Blob (a file download). */
  async download(spec: RequestSpec): Promise<Blob> {
    return (await this.#exchange(spec)).blob();
  }

  /** Sends a request until it succeeds or may not be retried; resolves with the successful response. */
  async #exchange(spec: RequestSpec): Promise<Response> {
    const idempotent = spec.idempotent ?? spec.method === "GET";
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await this.#send(spec);
      } catch (error) {
        if (spec.signal?.aborted || !idempotent || attempt >= this.#maxRetries) throw error;
        await sleep(this.#networkBackoffMs * 2 ** attempt, spec.signal);
        continue;
      }
      if (response.ok) return response;
      const error = await toError(response);
      const wait = error.retryAfterSeconds;
      // A 429 was refused before any work was done, so retrying it is safe for every method.
      if (error.status === 429 && attempt < this.#maxRetries && (wait ?? 0) <= this.#maxRetryAfterSeconds) {
        await sleep((wait ?? 1) * 1000, spec.signal);
        continue;
      }
      throw error;
    }
  }

  async #send(spec: RequestSpec): Promise<Response> {
    const headers: Record<string, string> = { accept: spec.accept ?? "application/json, application/problem+json" };
    if (!spec.anonymous && this.#credential !== undefined) {
      const credential = typeof this.#credential === "string" ? this.#credential : await this.#credential();
      headers.authorization = `Bearer ${credential}`;
    }
    const init: RequestInit = { method: spec.method, headers };
    if (spec.raw !== undefined) {
      headers["content-type"] = spec.raw.contentType;
      init.body = spec.raw.data;
    } else if (spec.body !== undefined) {
      headers["content-type"] = "application/json";
      init.body = JSON.stringify(spec.body);
    }
    if (spec.signal) init.signal = spec.signal;
    return this.#fetch(this.url(spec.path, spec.query), init);
  }

  /** The absolute URL of an API path such as `/v1/tenant`, with the defined query values. */
  url(path: string, query?: Record<string, QueryValue>): string {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined) params.set(name, String(value));
    }
    const search = params.toString();
    return `${this.baseUrl}${path}${search ? `?${search}` : ""}`;
  }
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  return text === "" ? undefined : JSON.parse(text);
}

async function toError(response: Response): Promise<SwitchboardError> {
  const retryAfter = response.status === 429 ? parseRetryAfter(response.headers.get("retry-after")) : undefined;
  let body: unknown;
  try {
    body = JSON.parse(await response.text());
  } catch {
    body = undefined;
  }
  // Not every error comes from our server (proxies, load balancers): give those a problem too.
  const problem: Problem = isProblem(body)
    ? body
    : {
        type: "about:blank",
        title: response.statusText || `HTTP ${response.status}`,
        status: response.status,
        code: `http.${response.status}`,
      };
  return new SwitchboardError(problem, retryAfter);
}

/**
 * Whether a body has the shape of our RFC 9457 problem. Written by hand rather than with the protocol's
 * schema so that browser bundles of the sdk do not carry the schema library.
 */
export function isProblem(body: unknown): body is Problem {
  if (typeof body !== "object" || body === null) return false;
  const p = body as Record<string, unknown>;
  const optionalString = (value: unknown) => value === undefined || typeof value === "string";
  return (
    typeof p.type === "string" &&
    typeof p.title === "string" &&
    typeof p.code === "string" &&
    Number.isInteger(p.status) &&
    optionalString(p.detail) &&
    optionalString(p.instance) &&
    (p.errors === undefined ||
      (Array.isArray(p.errors) &&
        p.errors.every(
          (e: unknown) =>
            typeof e === "object" &&
            e !== null &&
            typeof (e as { field?: unknown }).field === "string" &&
            typeof (e as { message?: unknown }).message === "string",
        )))
  );
}
