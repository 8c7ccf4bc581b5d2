import { DomainError } from "@switchboard/core";
import { type Scheduler, systemScheduler } from "../scheduler/scheduler.js";
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
import { newBranch } from "./transaction/branch.js";
import type { ClientTransaction } from "./transaction/client-transaction.js";
import { TransactionLayer } from "./transaction/layer.js";
import type { ClientTransactionUser, Destination, Source, TransactionTransport, TransportProtocol } from "./transaction/model.js";
import { ServerInviteTransaction, type ServerTransaction } from "./transaction/server-transaction.js";
import type { SipTimerValues } from "./transaction/timers.js";
import { SipTransport, type SipTransportOptions } from "./transport/transport.js";
import { parseUri } from "./uri/uri.js";

/** Methods this user agent implements (the Allow header). */
export const ALLOWED_METHODS = ["INVITE", "ACK", "CANCEL", "BYE", "OPTIONS", "INFO"] as const;

/** Methods we know but do not serve yet: 405 with Allow rather than 501. */
const KNOWN_METHODS = new Set(["REGISTER", "SUBSCRIBE", "NOTIFY", "PUBLISH", "MESSAGE", "REFER", "PRACK", "UPDATE"]);

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
}

/**
 * A SIP user agent that is client and server at once (RFC 3261 §8): it answers OPTIONS, hands new INVITEs
 * to `onInvite` as an `IncomingLeg`, places calls as `OutgoingLeg`s, matches in-dialog requests (BYE,
 * re-INVITE, INFO) and CANCEL to their leg, and refuses everything else with the right status: 400 for
 * malformed requests, 405/501 for methods it does not serve, 481 for unknown dialogs and transactions,
 * 415/416/420/483 for what it cannot accept.
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
  private closed = false;
  private readonly host: LegHost;

  constructor(options: UserAgentOptions) {
    this.transport = options.transport;
    this.scheduler = options.scheduler ?? systemScheduler;
    this.product = options.product ?? "Switchboard";
    this.contactUser = options.contactUser ?? "switchboard";
    this.inviteHandler = options.onInvite;
    this.layer = new TransactionLayer({
      transport: this.transport,
      scheduler: this.scheduler,
      ...(options.timers ? { timers: options.timers } : {}),
      onRequest: (request, transaction, source) => this.serve(request, transaction, source),
      onAck: (ack) => this.ack(ack),
      onStrayResponse: (response) => this.strayResponse(response),
    });
    const capabilityHeaders: [string, string][] = [
      ["Allow", ALLOWED_METHODS.join(", ")],
      ["Server", this.product],
    ];
    this.host = {
      scheduler: this.scheduler,
      timers: this.layer.timers,
      sendRequest: (request, destination, user) => this.send(request, destination, user),
      sendAck: (ack, destination) => {
        this.addVia(ack, destination.protocol);
        this.layer.sendAck(ack, destination).catch(() => undefined);
      },
      contact: (protocol) => this.contact(protocol),
      capabilityHeaders,
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

  /** Where the transport's messages go when the transport was created elsewhere. */
  receive(message: Parameters<TransactionLayer["receive"]>[0], source: Source): void {
    if (!this.closed) this.layer.receive(message, source);
  }

  set onInvite(handler: ((leg: IncomingLeg) => void | Promise<void>) | undefined) {
    this.inviteHandler = handler;
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
    return new OutgoingLeg(this.host, request, destination);
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

  private serve(request: SipRequest, transaction: ServerTransaction, source: Source): void {
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
        this.newCall(request, transaction, source);
        return;
      default:
        // BYE, INFO and re-INVITEs belong to a dialog: without a To tag there is none (§12.2.2).
        transaction.reply(481);
    }
  }

  /** Checks every request must pass, in the order of RFC 3261 §8.2; returns the refusal, if any. */
  private precheck(request: SipRequest): SipResponse | undefined {
    const capability = this.host.capabilityHeaders;
    if (!(ALLOWED_METHODS as readonly string[]).includes(request.method)) {
      const status = KNOWN_METHODS.has(request.method) ? 405 : 501;
      return createResponse(request, status, { toTag: newTag(), headers: capability });
    }
    const scheme = request.uri.slice(0, request.uri.indexOf(":")).toLowerCase();
    if (scheme !== "sip" && scheme !== "sips" && scheme !== "tel") return createResponse(request, 416, { toTag: newTag() });
    if (!parseUri(request.uri).ok) return createResponse(request, 400, { toTag: newTag(), reason: "Bad Request-URI" });
    const hops = maxForwardsHeader(request);
    if (request.headers.has("Max-Forwards") && hops === undefined) return createResponse(request, 400, { toTag: newTag() });
    if (hops === 0 && request.method !== "OPTIONS") return createResponse(request, 483, { toTag: newTag() });
    const required = request.headers.getAll("Require").filter((tag) => tag !== "");
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

  private newCall(request: SipRequest, transaction: ServerTransaction, source: Source): void {
    const handler = this.inviteHandler;
    if (!handler || this.closed) {
      transaction.reply(480, { toTag: newTag() });
      return;
    }
    if (!(transaction instanceof ServerInviteTransaction)) return;
    const leg = IncomingLeg.create(this.host, request, transaction, source);
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
    this.pendingInvites.get(inviteKey(invite.request))?.cancelled();
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
