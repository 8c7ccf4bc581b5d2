import type { Scheduler } from "../../scheduler/scheduler.js";
import type { SipRequest } from "../message/model.js";
import type { ClientTransaction } from "../transaction/client-transaction.js";
import type { ClientTransactionUser, Destination, TransportProtocol } from "../transaction/model.js";
import type { SipTimerValues } from "../transaction/timers.js";

/** Why a leg ended, and who ended it. */
export interface LegEnd {
  readonly by: "local" | "remote";
  readonly cause: "bye" | "cancel" | "rejected" | "timeout" | "ack-timeout" | "error" | "shutdown";
  /** The final status of a failed or rejected INVITE. */
  readonly status?: number;
}

export type LegState = "calling" | "offered" | "ringing" | "answering" | "confirmed" | "ended";

/** What a leg answers to a re-INVITE: an SDP body, or a failure status (488 for an unacceptable offer). */
export type ReinviteReply = { readonly sdp: string } | { readonly status: number };

/** What a leg needs from its user agent: transactions, timers and its own addresses. */
export interface LegHost {
  readonly scheduler: Scheduler;
  readonly timers: SipTimerValues;
  /** Sends a request in a new client transaction, adding our Via (fresh branch) when it has none. */
  sendRequest(request: SipRequest, destination: Destination, user: ClientTransactionUser): ClientTransaction;
  /** Sends the ACK of a 2xx, with a fresh Via, outside any transaction. */
  sendAck(ack: SipRequest, destination: Destination): void;
  /** Our Contact URI for a transport. */
  contact(protocol: TransportProtocol): string;
  /** Allow, Supported and Server headers for our responses. */
  readonly capabilityHeaders: readonly (readonly [string, string])[];
  /** Indexes the leg's dialog so in-dialog requests find it, or forgets it once the leg ended. */
  track(dialogId: string, leg: unknown): void;
  untrack(dialogId: string): void;
}
