import type { SipRequest, SipResponse } from "../message/model.js";

export type TransportProtocol = "udp" | "tcp";

/** Where a request goes: resolved address and port (no DNS SRV/NAPTR here). */
export interface Destination {
  readonly protocol: TransportProtocol;
  readonly host: string;
  readonly port: number;
}

/** Where a message came from, which is where a response goes (RFC 3261 §18.2.2 refines it by Via). */
export interface Source {
  readonly protocol: TransportProtocol;
  readonly address: string;
  readonly port: number;
  /** The TCP connection it arrived on, to answer on the same one while it is open. */
  readonly connectionId?: number;
}

/** What the transaction layer needs from a transport. */
export interface TransactionTransport {
  /** Rejects when the message cannot be sent (TCP connection refused). */
  sendRequest(request: SipRequest, destination: Destination): Promise<void>;
  sendResponse(response: SipResponse, source: Source): Promise<void>;
}

export const isReliable = (protocol: TransportProtocol): boolean => protocol !== "udp";

/** The transaction user of a client transaction (RFC 3261 §17.1). */
export interface ClientTransactionUser {
  onResponse(response: SipResponse): void;
  /** Timer B or F fired: treat as a 408 (§8.1.3.1). */
  onTimeout(): void;
  /** The transport failed: treat as a 503 (§8.1.3.1). */
  onTransportError(error: unknown): void;
}
