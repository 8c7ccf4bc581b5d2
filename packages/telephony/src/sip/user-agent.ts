import { DomainError } from "@switchboard/core";
import { type Scheduler, systemScheduler } from "../scheduler/scheduler.js";
import type { AccessDecision, InboundAccess } from "./access/inbound-access.js";
import type { InboundCaller } from "./access/inbound-caller.js";
import { type TrunkMatch, trunkHa1 } from "./access/trunk-matcher.js";
import type { DigestAuthenticator } from "./auth/digest-authenticator.js";
import type { DigestCredentials } from "./auth/digest-client.js";
import { destinationOf } from "./dialog/destination.js";
import { dialogId } from "./dialog/dialog.js";
import { newCallId, newTag } from "./dialog/ids.js";
import { IncomingLeg } from "./leg/incoming-leg.js";
import type { Leg } from "./leg/leg.js";
import type { LegHost } from "./leg/model.js";
import { OutgoingLeg } from "./leg/outgoing-leg.js";
import { maxForwardsHeader } from "./message/cseq.js";
import { SipHeaders } from "./message/headers.js";
import type { SipParseFailure, SipRequest, SipResponse } from "./message/model.js";
import { fromHeader, nameAddrTag, toHeader } from "./message/name-addr.js";
import { createResponse, reasonPhrase } from "./message/response.js";
import { Registration, type RegistrationOptions } from "./registration/registration.js";
import { newBranch } from "./transaction/branch.js";
import type { ClientTransaction } from "./transaction/client-transaction.js";
import { TransactionLayer } from "./transaction/layer.js";
import type { ClientTransactionUser, Destination, Source, TransactionTransport, TransportProtocol } from "./transaction/model.js";
import { ServerInviteTransaction, type ServerTransaction } from "./transaction/server-transaction.js";
import type { SipTimerValues } from "./transaction/timers.js";
import { SipTransport, type SipTransportOptions } from "./transport/transport.js";
import { parseUri } from "./uri/uri.js";

/**
 * Methods every user agent implements (the Allow header). REFER and NOTIFY serve transfers inside calls
 * (RFC 3515); REGISTER is added for a user agent given `onRegister`.
 */
export const ALLOWED_METHODS = ["INVITE", "ACK", "CANCEL", "BYE", "OPTIONS", "INFO", "REFER", "NOTIFY"] as const;

/** Methods we know but do not serve: 405 with Allow rather than 501. */
const KNOWN_METHODS = new Set(["REGISTER", "SUBSCRIBE", "PUBLISH", "MESSAGE", "PRACK", "UPDATE"]);

/** Option tags a Require may name (RFC 4488's `norefersub`: a REFER without progress reports). */
const SUPPORTED_EXTENSIONS = new Set(["norefersub"]);

/** Serves a REGISTER: the registrar's `handle`. */
export type RegisterHandler = (request: SipRequest, source: Source) => SipResponse | Promise<SipResponse>;

/** What a user agent needs of its transport: `SipTransport`, or an in-memory one in tests. */
export interface UserAgentTransport extends TransactionTransport {
  /** The address written in Via and Contact. */
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface UserAgentOptions {
  readonly transport: UserAgentTransport;
  readonly scheduler?: Scheduler;
  readonly timers?: Partial<SipTimerValues>;
  /** Server and User-Agent header value (default "Switchboard"). */
  readonly product?: string;
  /** User part of our Contact (default "switchboard"). */
  readonly contactUser?: string;
  /** A new call; answer, ring or reject the leg. Without a handler calls get 480. */
  readonly onInvite?: (leg: IncomingLeg) => void | Promise<void>;
  /** Registrations (a `Registrar`'s `handle`); without it REGISTER gets 405 and is not in Allow. */
  readonly onRegister?: RegisterHandler;
  /**
   * Checked for every request before a transaction exists: bans, rate limits, which trunk a new call came
   * from. Without it every source is served (a closed network, tests).
   */
  readonly access?: InboundAccess;
  /**
   * Authenticates new calls the access check cannot place by address (407), with the trunks' accounts
   * and, when users may call, the authenticator's own lookup. Its failures feed `access`'s scanner ban;
   * give the registrar this same instance so registration failures count too.
   */
  readonly authenticator?: DigestAuthenticator;
}

export interface InviteOptions {
  /** Our address of record (default `sip:<contactUser>@<host>`). */
  readonly from?: string;
  readonly fromDisplayName?: string;
  /** The SDP offer (the INVITE may go without one: the offer then comes in the 2xx). */
  readonly sdp?: string;
  /** Where to send it; by default the target's host, port and transport parameter. */
  readonly destination?: Destination;
  readonly headers?: readonly (readonly [string, string])[];
  /** Answers a 401 or 407 (an outbound trunk's challenge) with this account, here and in the dialog. */
  readonly credentials?: DigestCredentials;
}

/**
 * A SIP user agent that is client and server at once (RFC 3261 §8): it answers OPTIONS, hands new INVITEs
 * to `onInvite` as an `IncomingLeg`, places calls as `OutgoingLeg`s, matches in-dialog requests (BYE,
 * re-INVITE, INFO, REFER, NOTIFY) and CANCEL to their leg, hands REGISTER to `onRegister`, registers itself
 * with `registration`, and refuses everything else with the right status: 400 for malformed requests,
 * 405/501 for methods it does not serve, 481 for unknown dialogs and transactions, 415/416/420/483 for what
 * it cannot accept. With `access`, each new request is first admitted, refused (403, 503) or dropped
 * unanswered, and calls that must authenticate are challenged (407) before `onInvite` sees them.
 */
export class UserAgent {
  readonly transport: UserAgentTransport;
  private readonly layer: TransactionLayer;
  private readonly scheduler: Scheduler;
  private readonly legs = new Map<string, Leg>();
  private readonly pendingInvites = new Map<string, IncomingLeg>();
  private readonly product: string;
  private readonly contactUser: string;
  private inviteHandler: ((leg: IncomingLeg) => void | Promise<void>) | undefined;
  private registerHandler: RegisterHandler | undefined;
  private readonly access: InboundAccess | undefined;
  private readonly authenticator: DigestAuthenticator | undefined;
  /** What `access` decided for requests between `receive` and `serve`. */
  private readonly decisions = new WeakMap<SipRequest, AccessDecision>();
  private readonly registrations = new Set<Registration>();
  private readonly unsubscribe: (() => void)[] = [];
  private closed = false;
  private readonly host: LegHost;

  constructor(options: UserAgentOptions) {
    this.transport = options.transport;
    this.scheduler = options.scheduler ?? systemScheduler;
    this.product = options.product ?? "Switchboard";
    this.contactUser = options.contactUser ?? "switchboard";
    this.inviteHandler = options.onInvite;
    this.registerHandler = options.onRegister;
    this.access = options.access;
    this.authenticator = options.authenticator;
    const { access, authenticator } = options;
    if (access && authenticator) {
      this.unsubscribe.push(
        authenticator.onFailure((failure) => access.authenticationFailed(failure.source)),
        authenticator.onSuccess((source) => access.authenticationSucceeded(source)),
      );
    }
    this.layer = new TransactionLayer({
      transport: this.transport,
      scheduler: this.scheduler,
      ...(options.timers ? { timers: options.timers } : {}),
      onRequest: (request, transaction, source) => this.serve(request, transaction, source),
      onAck: (ack) => this.ack(ack),
      onStrayResponse: (response) => this.strayResponse(response),
    });
    const agent = this;
    this.host = {
      scheduler: this.scheduler,
      timers: this.layer.timers,
      sendRequest: (request, destination, user) => this.send(request, destination, user),
      sendAck: (ack, destination) => {
        this.addVia(ack, destination.protocol);
        this.layer.sendAck(ack, destination).catch(() => undefined);
      },
      contact: (protocol) => this.contact(protocol),
      get capabilityHeaders() {
        return agent.capabilityHeaders();
      },
      track: (id, leg) => this.legs.set(id, leg as Leg),
      untrack: (id) => this.legs.delete(id),
    };
  }

  /** Listens on `transport` options and serves as a user agent on them. */
  static async listen(
    options: Omit<UserAgentOptions, "transport"> & Omit<SipTransportOptions, "onMessage" | "onMalformed">,
  ): Promise<UserAgent> {
    let agent: UserAgent | undefined;
    const transport = await SipTransport.listen({
      ...options,
      onMessage: (message, source) => agent?.receive(message, source),
      onMalformed: (failure, source) => agent?.malformed(failure, source),
    });
    agent = new UserAgent({ ...options, transport });
    return agent;
  }

  /**
   * Where the transport's messages go when the transport was created elsewhere. New requests pass the
   * access check here, before the transaction layer: a dropped request leaves no transaction and no 100.
   */
  receive(message: Parameters<TransactionLayer["receive"]>[0], source: Source): void {
    if (this.closed) return;
    if (message.type === "request" && this.access && !this.layer.hasServerTransaction(message)) {
      const decision = this.access.admit(message, source);
      if (decision.action === "drop") return;
      this.decisions.set(message, decision);
    }
    this.layer.receive(message, source);
  }

  set onInvite(handler: ((leg: IncomingLeg) => void | Promise<void>) | undefined) {
    this.inviteHandler = handler;
  }

  set onRegister(handler: RegisterHandler | undefined) {
    this.registerHandler = handler;
  }

  /** The methods in our Allow header. */
  get allowedMethods(): readonly string[] {
    return this.registerHandler ? [...ALLOWED_METHODS, "REGISTER"] : ALLOWED_METHODS;
  }

  get port(): number {
    return this.transport.port;
  }

  /** Calls in progress or established. */
  get activeLegs(): number {
    return new Set(this.legs.values()).size;
  }

  get transactions(): { clients: number; servers: number } {
    return this.layer.size;
  }

  /** Our Contact URI for a transport. */
  contact(protocol: TransportProtocol): string {
    const host = this.transport.host.includes(":") ? `[${this.transport.host}]` : this.transport.host;
    return `sip:${this.contactUser}@${host}:${this.transport.port}${protocol === "tcp" ? ";transport=tcp" : ""}`;
  }

  /** Places a call to `target` (a SIP URI). */
  invite(target: string, options: InviteOptions = {}): OutgoingLeg {
    const destination = options.destination ?? destinationOf(target);
    if (!destination || !parseUri(target).ok) throw new DomainError("sip.invalid_target", "invalid", `Cannot call ${target}.`);
    const host = this.transport.host.includes(":") ? `[${this.transport.host}]` : this.transport.host;
    const from = options.from ?? `sip:${this.contactUser}@${host}`;
    const display = options.fromDisplayName === undefined ? "" : `"${options.fromDisplayName.replace(/(["\\])/g, "\\$1")}" `;
    const headers = new SipHeaders([
      ["Max-Forwards", "70"],
      ["From", `${display}<${from}>;tag=${newTag()}`],
      ["To", `<${target}>`],
      ["Call-ID", newCallId(this.transport.host)],
      ["CSeq", "1 INVITE"],
      ["Contact", `<${this.contact(destination.protocol)}>`],
      ["Allow", ALLOWED_METHODS.join(", ")],
      ["User-Agent", this.product],
    ]);
    for (const [name, value] of options.headers ?? []) headers.append(name, value);
    const body = Buffer.from(options.sdp ?? "");
    if (body.length > 0) headers.append("Content-Type", "application/sdp");
    const request: SipRequest = { type: "request", method: "INVITE", uri: target, headers, body };
    return new OutgoingLeg(this.host, request, destination, options.credentials);
  }

  /** A registration of ours at a registrar (call `register()` on it); stopped when the agent closes. */
  registration(options: RegistrationOptions): Registration {
    const registration = new Registration(
      {
        scheduler: this.scheduler,
        sendRequest: (request, destination, user) => this.send(request, destination, user),
        contact: (protocol) => this.contact(protocol),
        product: this.product,
        localHost: this.transport.host,
      },
      options,
    );
    this.registrations.add(registration);
    return registration;
  }

  /** An out-of-dialog request such as OPTIONS (a ping); resolves with the final response or a timeout. */
  request(method: string, target: string, destination?: Destination): Promise<SipResponse | "timeout" | "error"> {
    const where = destination ?? destinationOf(target);
    if (!where) return Promise.resolve("error");
    const host = this.transport.host.includes(":") ? `[${this.transport.host}]` : this.transport.host;
    const headers = new SipHeaders([
      ["Max-Forwards", "70"],
      ["From", `<sip:${this.contactUser}@${host}>;tag=${newTag()}`],
      ["To", `<${target}>`],
      ["Call-ID", newCallId(this.transport.host)],
      ["CSeq", `1 ${method}`],
      ["User-Agent", this.product],
    ]);
    const request: SipRequest = { type: "request", method, uri: target, headers, body: Buffer.alloc(0) };
    return new Promise((resolve) => {
      this.send(request, where, {
        onResponse: (response) => {
          if (response.status >= 200) resolve(response);
        },
        onTimeout: () => resolve("timeout"),
        onTransportError: () => resolve("error"),
      });
    });
  }

  /** Ends every call (BYE or CANCEL, without waiting long for answers) and closes the transport. */
  async close(): Promise<void> {
    if (this.closed) return;
    for (const registration of this.registrations) registration.stop();
    for (const unsubscribe of this.unsubscribe.splice(0)) unsubscribe();
    const hangups = [...new Set(this.legs.values())].map((leg) => leg.hangup());
    await Promise.race([Promise.all(hangups), new Promise((resolve) => setTimeout(resolve, 200))]);
    this.closed = true;
    await this.transport.close();
  }

  /** Answers a message that did not parse: 400 (505, 513) when it was a request we can address, else silence. */
  malformed(failure: SipParseFailure, source: Source): void {
    const partial = failure.partial;
    if (!partial || partial.method === "ACK" || partial.headers.get("Via") === undefined) return;
    const response = createResponse(partial, failure.status, {
      reason: reasonPhrase(failure.status),
      toTag: newTag(),
      headers: [
        ["Warning", `399 switchboard "${failure.reason.replace(/["\\]/g, "")}"`],
        ["Server", this.product],
      ],
    });
    this.transport.sendResponse(response, source).catch(() => undefined);
  }

  private send(request: SipRequest, destination: Destination, user: ClientTransactionUser): ClientTransaction {
    if (request.headers.get("Via") === undefined) this.addVia(request, destination.protocol);
    return this.layer.sendRequest(request, destination, user);
  }

  private addVia(request: SipRequest, protocol: TransportProtocol): void {
    const host = this.transport.host.includes(":") ? `[${this.transport.host}]` : this.transport.host;
    request.headers.prepend(
      "Via",
      `SIP/2.0/${protocol.toUpperCase()} ${host}:${this.transport.port};branch=${newBranch()};rport`,
    );
  }

  private capabilityHeaders(): readonly (readonly [string, string])[] {
    return [
      ["Allow", this.allowedMethods.join(", ")],
      ["Server", this.product],
    ];
  }

  private serve(request: SipRequest, transaction: ServerTransaction, source: Source): void {
    const decision = this.decisions.get(request);
    if (decision?.action === "reject") {
      transaction.reply(decision.status, { toTag: newTag(), headers: decision.headers });
      return;
    }
    const refuse = this.precheck(request);
    if (refuse) {
      transaction.respond(refuse);
      return;
    }
    const to = toHeader(request);
    const toTag = to === undefined ? undefined : nameAddrTag(to);
    if (request.method === "CANCEL") {
      this.cancel(request, transaction);
      return;
    }
    if (request.method === "REGISTER") {
      this.register(request, transaction, source);
      return;
    }
    if (toTag !== undefined) {
      const leg = this.findLeg(request, toTag);
      if (!leg) {
        transaction.reply(481);
        return;
      }
      leg.handleRequest(request, transaction);
      return;
    }
    switch (request.method) {
      case "OPTIONS":
        transaction.reply(200, { toTag: newTag(), headers: [...this.host.capabilityHeaders, ["Accept", "application/sdp"]] });
        return;
      case "INVITE":
        this.admitCall(request, transaction, source, decision?.action === "accept" ? decision.caller : undefined);
        return;
      case "REFER":
        // RFC 3515 allows a REFER outside a dialog; we take transfers only inside calls.
        transaction.reply(403, { toTag: newTag(), reason: "Out-of-Dialog REFER Not Accepted" });
        return;
      default:
        // BYE, INFO and re-INVITEs belong to a dialog: without a To tag there is none (§12.2.2).
        transaction.reply(481);
    }
  }

  /** Checks every request must pass, in the order of RFC 3261 §8.2; returns the refusal, if any. */
  private precheck(request: SipRequest): SipResponse | undefined {
    const capability = this.host.capabilityHeaders;
    if (!this.allowedMethods.includes(request.method)) {
      const status = KNOWN_METHODS.has(request.method) ? 405 : 501;
      return createResponse(request, status, { toTag: newTag(), headers: capability });
    }
    const scheme = request.uri.slice(0, request.uri.indexOf(":")).toLowerCase();
    if (scheme !== "sip" && scheme !== "sips" && scheme !== "tel") return createResponse(request, 416, { toTag: newTag() });
    if (!parseUri(request.uri).ok) return createResponse(request, 400, { toTag: newTag(), reason: "Bad Request-URI" });
    const hops = maxForwardsHeader(request);
    if (request.headers.has("Max-Forwards") && hops === undefined) return createResponse(request, 400, { toTag: newTag() });
    if (hops === 0 && request.method !== "OPTIONS") return createResponse(request, 483, { toTag: newTag() });
    const required = request.headers
      .getAll("Require")
      .filter((tag) => tag !== "" && !SUPPORTED_EXTENSIONS.has(tag.toLowerCase()));
    if (required.length > 0 && request.method !== "CANCEL") {
      return createResponse(request, 420, { toTag: newTag(), headers: [["Unsupported", required.join(", ")]] });
    }
    if (request.method === "INVITE" && request.body.length > 0) {
      const type = (request.headers.get("Content-Type") ?? "").split(";")[0]?.trim().toLowerCase();
      const encoding = (request.headers.get("Content-Encoding") ?? "identity").toLowerCase();
      if (type !== "application/sdp" || encoding !== "identity") {
        return createResponse(request, 415, {
          toTag: newTag(),
          headers: [
            ["Accept", "application/sdp"],
            ["Accept-Encoding", "identity"],
          ],
        });
      }
    }
    return undefined;
  }

  private register(request: SipRequest, transaction: ServerTransaction, source: Source): void {
    const handler = this.registerHandler;
    if (!handler) {
      transaction.reply(405, { toTag: newTag(), headers: this.host.capabilityHeaders });
      return;
    }
    // The registrar failing leaves the phone a 500, not a hanging transaction.
    Promise.resolve()
      .then(() => handler(request, source))
      .then(
        (response) => transaction.respond(response),
        () => transaction.reply(500, { toTag: newTag() }),
      );
  }

  /**
   * A new call the access check placed: by source address (a trunk), or only after digest (407) with a
   * trunk's account or, when users may call, any account the authenticator knows.
   */
  private admitCall(request: SipRequest, transaction: ServerTransaction, source: Source, match: TrunkMatch | undefined): void {
    if (match === undefined) {
      this.newCall(request, transaction, source, undefined);
      return;
    }
    if (match.kind === "trunk") {
      this.newCall(request, transaction, source, { kind: "trunk", trunks: match.trunks, by: "address" });
      return;
    }
    const authenticator = this.authenticator;
    if (match.kind === "forbidden" || !authenticator) {
      transaction.reply(403, { toTag: newTag() });
      return;
    }
    const lookup = (username: string, realm: string) =>
      trunkHa1(match.trunks, username, realm) ?? (match.users ? authenticator.lookup(username, realm) : undefined);
    authenticator.authenticate(request, source, { kind: "proxy", lookup }).then(
      (outcome) => {
        // Cancelled (487) while the account was looked up.
        if (transaction.finalResponse) return;
        if (outcome.kind !== "authenticated") {
          transaction.respond(outcome.response);
          return;
        }
        const trunk = match.trunks.find((candidate) => candidate.digest?.username === outcome.username);
        this.newCall(
          request,
          transaction,
          source,
          trunk ? { kind: "trunk", trunks: [trunk], by: "digest" } : { kind: "user", username: outcome.username },
        );
      },
      () => {
        if (!transaction.finalResponse) transaction.reply(500, { toTag: newTag() });
      },
    );
  }

  private newCall(request: SipRequest, transaction: ServerTransaction, source: Source, caller: InboundCaller | undefined): void {
    const handler = this.inviteHandler;
    if (!handler || this.closed) {
      transaction.reply(480, { toTag: newTag() });
      return;
    }
    if (!(transaction instanceof ServerInviteTransaction)) return;
    const leg = IncomingLeg.create(this.host, request, transaction, source, caller);
    if (!leg) {
      transaction.reply(400, { toTag: newTag() });
      return;
    }
    // Kept until the leg ends: a CANCEL after the answer finds it and changes nothing.
    const key = inviteKey(request);
    this.pendingInvites.set(key, leg);
    leg.onEnded(() => this.pendingInvites.delete(key));
    // The application's handler failing leaves the caller a 500, not a hanging call or a crashed process.
    try {
      const running = handler(leg);
      if (running instanceof Promise) running.catch(() => leg.reject(500));
    } catch {
      leg.reject(500);
    }
  }

  private cancel(cancel: SipRequest, transaction: ServerTransaction): void {
    const invite = this.layer.findInviteFor(cancel);
    if (!invite) {
      transaction.reply(481);
      return;
    }
    transaction.reply(200);
    const leg = this.pendingInvites.get(inviteKey(invite.request));
    if (leg) leg.cancelled();
    // No leg yet (its caller was still being authenticated): the INVITE ends here (RFC 3261 §9.2).
    else if (!invite.finalResponse) invite.reply(487, { toTag: newTag() });
  }

  private ack(ack: SipRequest): void {
    const to = toHeader(ack);
    const toTag = to === undefined ? undefined : nameAddrTag(to);
    if (toTag === undefined) return;
    this.findLeg(ack, toTag)?.handleAck(ack);
  }

  private strayResponse(response: SipResponse): void {
    if (response.status < 200 || response.status >= 300) return;
    const from = fromHeader(response);
    const to = toHeader(response);
    const callId = response.headers.get("Call-ID");
    const local = from === undefined ? undefined : nameAddrTag(from);
    const remote = to === undefined ? undefined : nameAddrTag(to);
    if (callId === undefined || local === undefined || remote === undefined) return;
    this.legs.get(dialogId(callId, local, remote))?.handleStray2xx(response);
  }

  private findLeg(request: SipRequest, toTag: string): Leg | undefined {
    const from = fromHeader(request);
    const fromTag = from === undefined ? undefined : nameAddrTag(from);
    const callId = request.headers.get("Call-ID");
    if (callId === undefined || fromTag === undefined) return undefined;
    return this.legs.get(dialogId(callId, toTag, fromTag));
  }
}

/** The INVITE a CANCEL or a retransmission refers to: Call-ID, From tag and CSeq number. */
function inviteKey(request: SipRequest): string {
  const from = fromHeader(request);
  return `${request.headers.get("Call-ID")}\n${from === undefined ? "" : nameAddrTag(from)}\n${Number.parseInt(request.headers.get("CSeq") ?? "", 10)}`;
}
