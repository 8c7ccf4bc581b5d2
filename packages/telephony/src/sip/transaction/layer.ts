import { DomainError } from "@switchboard/core";
import { type Scheduler, systemScheduler } from "../../scheduler/scheduler.js";
import { parseCSeq } from "../message/cseq.js";
import type { SipMessage, SipRequest, SipResponse } from "../message/model.js";
import { fromHeader, nameAddrTag } from "../message/name-addr.js";
import { BRANCH_MAGIC_COOKIE, topVia, viaBranch } from "../message/via.js";
import {
  type ClientContext,
  ClientInviteTransaction,
  ClientNonInviteTransaction,
  type ClientTransaction,
} from "./client-transaction.js";
import type { ClientTransactionUser, Destination, Source, TransactionTransport } from "./model.js";
import {
  type ServerContext,
  ServerInviteTransaction,
  ServerNonInviteTransaction,
  type ServerTransaction,
} from "./server-transaction.js";
import { DEFAULT_SIP_TIMERS, type SipTimerValues } from "./timers.js";

export interface TransactionLayerOptions {
  readonly transport: TransactionTransport;
  readonly scheduler?: Scheduler;
  readonly timers?: Partial<SipTimerValues>;
  /** A new request (not ACK) with the server transaction that will carry its response. */
  readonly onRequest: (request: SipRequest, transaction: ServerTransaction, source: Source) => void;
  /** An ACK that matched no transaction: the ACK of a 2xx, for the dialog layer. */
  readonly onAck?: (request: SipRequest, source: Source) => void;
  /** A response that matched no client transaction (a 2xx retransmitted after the transaction ended). */
  readonly onStrayResponse?: (response: SipResponse, source: Source) => void;
}

/**
 * RFC 3261 §17: creates, matches (§17.1.3, §17.2.3) and forgets transactions. Requests are matched by the top
 * Via's branch (with the magic cookie), sent-by and method, ACK going to its INVITE; responses by branch and
 * CSeq method. Retransmissions happen inside the transactions, over UDP only.
 */
export class TransactionLayer {
  private readonly clients = new Map<string, ClientTransaction>();
  private readonly servers = new Map<string, ServerTransaction>();
  private readonly clientContext: ClientContext;
  private readonly serverContext: ServerContext;
  readonly timers: SipTimerValues;

  constructor(private readonly options: TransactionLayerOptions) {
    this.timers = { ...DEFAULT_SIP_TIMERS, ...options.timers };
    const scheduler = options.scheduler ?? systemScheduler;
    this.clientContext = {
      transport: options.transport,
      scheduler,
      timers: this.timers,
      onTerminated: (key) => this.clients.delete(key),
    };
    this.serverContext = {
      transport: options.transport,
      scheduler,
      timers: this.timers,
      onTerminated: (key) => this.servers.delete(key),
    };
  }

  /** Transactions alive (for tests and metrics). */
  get size(): { clients: number; servers: number } {
    return { clients: this.clients.size, servers: this.servers.size };
  }

  receive(message: SipMessage, source: Source): void {
    if (message.type === "response") {
      const key = clientKey(message);
      const transaction = key === undefined ? undefined : this.clients.get(key);
      if (transaction) transaction.receive(message);
      else this.options.onStrayResponse?.(message, source);
      return;
    }
    const key = serverKey(message, message.method);
    const existing = this.servers.get(key);
    if (existing) {
      existing.receive(message);
      return;
    }
    if (message.method === "ACK") {
      this.options.onAck?.(message, source);
      return;
    }
    const transaction =
      message.method === "INVITE"
        ? new ServerInviteTransaction(key, message, source, this.serverContext)
        : new ServerNonInviteTransaction(key, message, source, this.serverContext);
    this.servers.set(key, transaction);
    if (transaction instanceof ServerInviteTransaction) transaction.start();
    this.options.onRequest(message, transaction, source);
  }

  /** Starts a client transaction; the request's top Via must carry a fresh branch (see `newBranch`). */
  sendRequest(request: SipRequest, destination: Destination, user: ClientTransactionUser): ClientTransaction {
    if (request.method === "ACK") throw new DomainError("sip.ack_is_not_a_transaction", "invalid", "Send an ACK with sendAck.");
    const branch = viaBranchOf(request);
    if (branch === undefined) throw new DomainError("sip.branch_missing", "invalid", "The request needs a Via with a branch.");
    const key = `${branch}|${request.method}`;
    const transaction =
      request.method === "INVITE"
        ? new ClientInviteTransaction(key, request, destination, user, this.clientContext)
        : new ClientNonInviteTransaction(key, request, destination, user, this.clientContext);
    this.clients.set(key, transaction);
    transaction.start();
    return transaction;
  }

  /** The ACK of a 2xx is its own request, outside any transaction (§17.1.1.3); sent once per 2xx received. */
  sendAck(ack: SipRequest, destination: Destination): Promise<void> {
    return this.options.transport.sendRequest(ack, destination);
  }

  /** Whether a request belongs to a transaction we already serve (a retransmission, or the ACK of a failure). */
  hasServerTransaction(request: SipRequest): boolean {
    return this.servers.has(serverKey(request, request.method));
  }

  /** The INVITE transaction a CANCEL refers to (same branch and sent-by, §9.2). */
  findInviteFor(cancel: SipRequest): ServerInviteTransaction | undefined {
    const transaction = this.servers.get(serverKey(cancel, "INVITE"));
    return transaction instanceof ServerInviteTransaction ? transaction : undefined;
  }
}

function viaBranchOf(message: SipMessage): string | undefined {
  const via = topVia(message);
  return via === undefined ? undefined : viaBranch(via);
}

function clientKey(response: SipResponse): string | undefined {
  const branch = viaBranchOf(response);
  const cseq = parseCSeq(response.headers.get("CSeq") ?? "");
  return branch === undefined || cseq === undefined ? undefined : `${branch}|${cseq.method}`;
}

function serverKey(request: SipRequest, method: string): string {
  const matched = method === "ACK" ? "INVITE" : method;
  const via = topVia(request);
  const branch = via === undefined ? undefined : viaBranch(via);
  if (via !== undefined && branch?.startsWith(BRANCH_MAGIC_COOKIE)) {
    return `${branch}|${via.host.toLowerCase()}:${via.port ?? 5060}|${matched}`;
  }
  // RFC 2543 peers: no usable branch, so match on the dialog and sequence identifiers (§17.2.3, simplified).
  const cseq = parseCSeq(request.headers.get("CSeq") ?? "");
  const from = fromHeader(request);
  const fromTag = from === undefined ? "" : (nameAddrTag(from) ?? "");
  return `2543|${request.headers.get("Call-ID")}|${fromTag}|${cseq?.seq}|${request.headers.get("Via")}|${matched}`;
}
