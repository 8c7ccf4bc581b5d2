import { randomBytes } from "node:crypto";
import { cseqHeader } from "../message/cseq.js";
import { digestResponse, formatCredentials, parseCredentials } from "../message/digest.js";
import type { SipRequest, SipResponse } from "../message/model.js";
import type { ClientTransactionUser } from "../transaction/model.js";

/** An account to answer digest challenges with (a trunk's or a phone's). */
export interface DigestCredentials {
  readonly username: string;
  readonly password: string;
  /** Answer only challenges of this realm (default: any realm, as most phones do). */
  readonly realm?: string;
}

/**
 * The request again with credentials answering `challenge` (a 401 or 407 to it), per RFC 3261 §22.2: every
 * Digest challenge we can answer gets its Authorization or Proxy-Authorization (credentials for those realms
 * sent before are replaced), the CSeq is incremented, and the Via removed so the user agent adds one with a
 * new branch (it is a new transaction). Undefined when no challenge can be answered: another scheme or
 * algorithm, `qop` without `auth`, or a realm the credentials are not for.
 */
export function authorizedRequest(
  request: SipRequest,
  challenge: SipResponse,
  credentials: DigestCredentials,
): SipRequest | undefined {
  const authorized = withCredentials(request, challenge, credentials);
  if (!authorized) return undefined;
  authorized.headers.delete("Via");
  const cseq = cseqHeader(request);
  if (cseq) authorized.headers.set("CSeq", `${cseq.seq + 1} ${cseq.method}`);
  return authorized;
}

/**
 * A new request with credentials for a challenge received earlier (RFC 3261 §22.1: a user agent may send
 * cached credentials preemptively), the nonce count `nc` telling the server it is not a replay. Undefined
 * when the challenge cannot be answered.
 */
export function withCredentials(
  request: SipRequest,
  challenge: SipResponse,
  credentials: DigestCredentials,
  count = 1,
): SipRequest | undefined {
  const answers: [string, string, string][] = [];
  for (const [challengeName, answerName] of [
    ["WWW-Authenticate", "Authorization"],
    ["Proxy-Authenticate", "Proxy-Authorization"],
  ] as const) {
    for (const value of challenge.headers.getAll(challengeName)) {
      const parsed = parseCredentials(value);
      if (parsed?.scheme.toLowerCase() !== "digest") continue;
      const realm = parsed.params.get("realm");
      const nonce = parsed.params.get("nonce");
      const algorithm = parsed.params.get("algorithm") ?? "MD5";
      const qops = parsed.params
        .get("qop")
        ?.split(",")
        .map((q) => q.trim().toLowerCase());
      if (realm === undefined || nonce === undefined || algorithm.toUpperCase() !== "MD5") continue;
      if (credentials.realm !== undefined && credentials.realm !== realm) continue;
      if (qops !== undefined && !qops.includes("auth")) continue;
      const cnonce = randomBytes(8).toString("hex");
      const nc = count.toString(16).padStart(8, "0");
      const response = digestResponse({
        username: credentials.username,
        password: credentials.password,
        realm,
        nonce,
        method: request.method,
        uri: request.uri,
        ...(qops === undefined ? {} : { qop: "auth" as const, nc, cnonce }),
      });
      const params = new Map<string, string>([
        ["username", credentials.username],
        ["realm", realm],
        ["nonce", nonce],
        ["uri", request.uri],
        ["response", response],
        ["algorithm", "MD5"],
      ]);
      const opaque = parsed.params.get("opaque");
      if (opaque !== undefined) params.set("opaque", opaque);
      if (qops !== undefined) {
        params.set("qop", "auth");
        params.set("nc", nc);
        params.set("cnonce", cnonce);
      }
      answers.push([answerName, realm, formatCredentials({ scheme: "Digest", params }, "response")]);
    }
  }
  if (answers.length === 0) return undefined;
  const headers = request.headers.clone();
  for (const [name, realm] of answers) {
    const kept = headers.getAll(name).filter((value) => parseCredentials(value)?.params.get("realm") !== realm);
    headers.delete(name);
    for (const value of kept) headers.append(name, value);
  }
  for (const [name, , value] of answers) headers.append(name, value);
  return { ...request, headers };
}

/** Whether a challenge only says our nonce grew old (RFC 2617 §3.2.1): worth answering again. */
function isStale(challenge: SipResponse): boolean {
  for (const name of ["WWW-Authenticate", "Proxy-Authenticate"]) {
    for (const value of challenge.headers.getAll(name)) {
      if (parseCredentials(value)?.params.get("stale")?.toLowerCase() === "true") return true;
    }
  }
  return false;
}

export interface DigestRetryOptions {
  /** Sends a request in a new client transaction (the user agent's `sendRequest`). */
  readonly send: (request: SipRequest, user: ClientTransactionUser) => void;
  readonly credentials: DigestCredentials | undefined;
  /**
   * Told of each authorized request before it is sent (a leg updates its INVITE and dialog CSeq); returning
   * false abandons the retry and passes the challenge on (a call cancelled meanwhile).
   */
  readonly beforeRetry?: (request: SipRequest) => boolean;
  /** Told of each challenge answered, so a caller may reuse it for its next requests. */
  readonly onChallenge?: (challenge: SipResponse) => void;
}

/**
 * Sends `request`, answering 401 and 407 challenges with `credentials`: the one mechanism an INVITE, a
 * REGISTER and any in-dialog request share. A challenge to credentials already sent is answered again only
 * when it is `stale=true` (RFC 3261 §22.2: rejected credentials are not retried), at most three times;
 * otherwise the challenge goes to `user` as the final response.
 */
export function sendWithDigest(request: SipRequest, user: ClientTransactionUser, options: DigestRetryOptions): void {
  let current = request;
  let retries = 0;
  const wrapped: ClientTransactionUser = {
    onResponse: (response) => {
      const challenged = response.status === 401 || response.status === 407;
      if (challenged && options.credentials && retries < 3 && (retries === 0 || isStale(response))) {
        const next = authorizedRequest(current, response, options.credentials);
        if (next && (options.beforeRetry?.(next) ?? true)) {
          retries++;
          options.onChallenge?.(response);
          current = next;
          options.send(next, wrapped);
          return;
        }
      }
      user.onResponse(response);
    },
    onTimeout: () => user.onTimeout(),
    onTransportError: (error) => user.onTransportError(error),
  };
  options.send(request, wrapped);
}
