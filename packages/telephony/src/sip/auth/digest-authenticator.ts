import { randomBytes, timingSafeEqual } from "node:crypto";
import { newTag } from "../dialog/ids.js";
import { type Credentials, digestResponseFromHa1, formatCredentials, parseCredentials } from "../message/digest.js";
import type { SipRequest, SipResponse } from "../message/model.js";
import { createResponse } from "../message/response.js";
import type { Source } from "../transaction/model.js";
import { sameUri } from "../uri/uri-equals.js";
import { NonceIssuer } from "./nonce.js";
import { NonceCounts } from "./nonce-counts.js";

/**
 * Who challenges: a user agent or registrar answers 401 with WWW-Authenticate and reads Authorization; a
 * proxy-like edge (our answer to a trunk's INVITE) answers 407 with Proxy-Authenticate and reads
 * Proxy-Authorization (RFC 3261 §22.2, §22.3).
 */
export type ChallengeKind = "www" | "proxy";

/** H(A1) = MD5(username:realm:password) of an account, or undefined when there is no such account. */
export type Ha1Lookup = (username: string, realm: string) => Promise<string | undefined> | string | undefined;

export interface DigestAuthenticatorOptions {
  /** The protection space; a function when it depends on the request (one realm per tenant's domain). */
  readonly realm: string | ((request: SipRequest) => string);
  readonly lookup: Ha1Lookup;
  /** Default challenge kind (default `www`). */
  readonly kind?: ChallengeKind;
  /** HMAC key for nonces; nodes of one deployment share it. Default: random per process. */
  readonly secret?: string | Buffer;
  /** How long a nonce is accepted (default 5 minutes); later it earns a `stale=true` challenge. */
  readonly nonceLifetimeMs?: number;
  /** Wall clock for nonces (default `Date.now`). */
  readonly clock?: () => number;
  /** Nonces whose counts are remembered for replay detection (default 50,000). */
  readonly maxTrackedNonces?: number;
}

/** Why a request carrying credentials was refused: these count toward a scanner ban. */
export type AuthenticationFailureReason =
  | "wrong-credentials"
  | "unknown-user"
  | "invalid-nonce"
  | "malformed-credentials"
  | "uri-mismatch";

export type AuthenticationOutcome =
  | { readonly kind: "authenticated"; readonly username: string; readonly realm: string }
  /** Not a failure: the first step of every digest exchange, or a correct answer to an old nonce. */
  | {
      readonly kind: "challenged";
      readonly why: "no-credentials" | "stale-nonce" | "replayed";
      readonly response: SipResponse;
    }
  | {
      readonly kind: "failed";
      readonly why: AuthenticationFailureReason;
      readonly username?: string;
      /** A new challenge (401/407), or 400 for credentials that do not parse or name another URI. */
      readonly response: SipResponse;
    };

export interface AuthenticationFailure {
  readonly source: Source;
  readonly method: string;
  readonly why: AuthenticationFailureReason;
  readonly username?: string;
}

export interface AuthenticateOptions {
  readonly kind?: ChallengeKind;
  /** Replaces the account lookup for this request (the user agent adds trunks' credentials this way). */
  readonly lookup?: Ha1Lookup;
}

const HEADERS = {
  www: { status: 401, challenge: "WWW-Authenticate", credentials: "Authorization" },
  proxy: { status: 407, challenge: "Proxy-Authenticate", credentials: "Proxy-Authorization" },
} as const;

/**
 * Server side of SIP digest authentication (RFC 3261 §22 with RFC 2617, MD5, `qop=auth` offered and the
 * RFC 2069 form without qop accepted). Nonces are stateless and signed (`NonceIssuer`); an expired nonce with
 * an otherwise correct response gets `stale=true` so the client retries without asking its user; the digest
 * `uri` must name the Request-URI; nonce counts are checked for replays (`NonceCounts`). Passwords are never
 * seen: accounts are looked up as H(A1). Unknown users and wrong passwords get the same answer, so the
 * challenge does not tell a scanner which usernames exist.
 */
export class DigestAuthenticator {
  readonly lookup: Ha1Lookup;
  private readonly nonces: NonceIssuer;
  private readonly counts: NonceCounts;
  private readonly clock: () => number;
  private readonly lifetimeMs: number;
  private readonly failureListeners = new Set<(failure: AuthenticationFailure) => void>();
  private readonly successListeners = new Set<(source: Source, username: string) => void>();

  constructor(private readonly options: DigestAuthenticatorOptions) {
    this.lookup = options.lookup;
    this.clock = options.clock ?? Date.now;
    this.lifetimeMs = options.nonceLifetimeMs ?? 300_000;
    const secret =
      options.secret === undefined
        ? NonceIssuer.randomSecret()
        : typeof options.secret === "string"
          ? Buffer.from(options.secret)
          : options.secret;
    this.nonces = new NonceIssuer({ secret, lifetimeMs: this.lifetimeMs, clock: this.clock });
    this.counts = new NonceCounts(options.maxTrackedNonces);
  }

  /** The realm this request is challenged in. */
  realmOf(request: SipRequest): string {
    return typeof this.options.realm === "string" ? this.options.realm : this.options.realm(request);
  }

  /** Hears every failure (wrong password, forged nonce, ...): how a scanner ban learns of them. */
  onFailure(listener: (failure: AuthenticationFailure) => void): () => void {
    this.failureListeners.add(listener);
    return () => this.failureListeners.delete(listener);
  }

  onSuccess(listener: (source: Source, username: string) => void): () => void {
    this.successListeners.add(listener);
    return () => this.successListeners.delete(listener);
  }

  /** A fresh challenge for `request` (401 or 407, with To tag). */
  challenge(request: SipRequest, kind: ChallengeKind = this.options.kind ?? "www", stale = false): SipResponse {
    const realm = this.realmOf(request);
    const params = new Map<string, string>([
      ["realm", realm],
      ["nonce", this.nonces.issue(realm)],
      ["algorithm", "MD5"],
      ["qop", "auth"],
    ]);
    if (stale) params.set("stale", "TRUE");
    const value = formatCredentials({ scheme: "Digest", params }, "challenge");
    return createResponse(request, HEADERS[kind].status, { toTag: newTag(), headers: [[HEADERS[kind].challenge, value]] });
  }

  async authenticate(request: SipRequest, source: Source, options: AuthenticateOptions = {}): Promise<AuthenticationOutcome> {
    const kind = options.kind ?? this.options.kind ?? "www";
    const realm = this.realmOf(request);
    const credentials = request.headers
      .getAll(HEADERS[kind].credentials)
      .map(parseCredentials)
      .find((c): c is Credentials => c !== undefined && c.scheme.toLowerCase() === "digest" && c.params.get("realm") === realm);
    if (!credentials) return { kind: "challenged", why: "no-credentials", response: this.challenge(request, kind) };

    const param = (name: string) => credentials.params.get(name);
    const username = param("username");
    const nonce = param("nonce");
    const uri = param("uri");
    const response = param("response");
    const qop = param("qop");
    const nc = param("nc");
    const cnonce = param("cnonce");
    const algorithm = param("algorithm") ?? "MD5";
    if (username === undefined || nonce === undefined || uri === undefined || response === undefined) {
      return this.fail(request, source, kind, "malformed-credentials", username, 400);
    }
    // We offer only MD5 and qop=auth; credentials for anything else cannot answer our challenge.
    if (algorithm.toUpperCase() !== "MD5" || (qop !== undefined && qop.toLowerCase() !== "auth")) {
      return { kind: "challenged", why: "no-credentials", response: this.challenge(request, kind) };
    }
    if (qop !== undefined && (nc === undefined || !/^[0-9a-fA-F]{8}$/.test(nc) || cnonce === undefined)) {
      return this.fail(request, source, kind, "malformed-credentials", username, 400);
    }
    // RFC 2617 §3.2.2.5: the credentials must be for this request's resource, or they are someone else's.
    if (!sameUri(uri, request.uri)) return this.fail(request, source, kind, "uri-mismatch", username, 400);
    const nonceCheck = this.nonces.check(nonce, realm);
    if (nonceCheck.kind === "invalid") return this.fail(request, source, kind, "invalid-nonce", username);

    const ha1 = await (options.lookup ?? this.lookup)(username, realm);
    // Computed even for an unknown user, so both cases take the same path.
    const expected = digestResponseFromHa1(ha1 ?? randomBytes(16).toString("hex"), {
      nonce,
      method: request.method,
      uri,
      ...(qop === undefined ? {} : { qop: "auth" as const, nc: nc ?? "", cnonce: cnonce ?? "" }),
    });
    const given = Buffer.from(response.toLowerCase());
    const correct = given.length === expected.length && timingSafeEqual(given, Buffer.from(expected));
    if (ha1 === undefined) return this.fail(request, source, kind, "unknown-user", username);
    if (!correct) return this.fail(request, source, kind, "wrong-credentials", username);
    // RFC 2617 §3.2.1: stale only for a response that was right for its nonce.
    if (nonceCheck.kind === "expired") {
      return { kind: "challenged", why: "stale-nonce", response: this.challenge(request, kind, true) };
    }
    if (qop !== undefined) {
      const now = this.clock();
      const count = this.counts.check(nonce, Number.parseInt(nc ?? "0", 16), nonceCheck.issuedAt + this.lifetimeMs, now);
      if (count !== "fresh") return { kind: "challenged", why: "replayed", response: this.challenge(request, kind, true) };
    }
    for (const listener of [...this.successListeners]) notify(() => listener(source, username));
    return { kind: "authenticated", username, realm };
  }

  private fail(
    request: SipRequest,
    source: Source,
    kind: ChallengeKind,
    why: AuthenticationFailureReason,
    username: string | undefined,
    status?: 400,
  ): AuthenticationOutcome {
    const failure: AuthenticationFailure = {
      source,
      method: request.method,
      why,
      ...(username === undefined ? {} : { username }),
    };
    for (const listener of [...this.failureListeners]) notify(() => listener(failure));
    const response =
      status === 400
        ? createResponse(request, 400, {
            toTag: newTag(),
            reason: why === "uri-mismatch" ? "Digest URI Mismatch" : "Bad Credentials",
          })
        : this.challenge(request, kind);
    return { kind: "failed", why, ...(username === undefined ? {} : { username }), response };
  }
}

/** A listener (the ban, a logger) failing must not change the answer to the request. */
function notify(call: () => void): void {
  try {
    call();
  } catch {
    // Ignored on purpose: see above.
  }
}
