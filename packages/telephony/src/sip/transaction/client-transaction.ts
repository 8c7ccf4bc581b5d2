import type { Scheduler, TimerHandle } from "../../scheduler/scheduler.js";
import { parseCSeq } from "../message/cseq.js";
import { SipHeaders } from "../message/headers.js";
import type { SipRequest, SipResponse } from "../message/model.js";
import type { ClientTransactionUser, Destination, TransactionTransport } from "./model.js";
import { isReliable } from "./model.js";
import { type SipTimerValues, timerD } from "./timers.js";

export type ClientInviteState = "calling" | "proceeding" | "accepted" | "completed" | "terminated";
export type ClientNonInviteState = "trying" | "proceeding" | "completed" | "terminated";

interface ClientContext {
  readonly transport: TransactionTransport;
  readonly scheduler: Scheduler;
  readonly timers: SipTimerValues;
  readonly onTerminated: (key: string) => void;
}

abstract class ClientTransactionBase {
  protected readonly reliable: boolean;
  private readonly handles: TimerHandle[] = [];

  constructor(
    readonly key: string,
    readonly request: SipRequest,
    readonly destination: Destination,
    protected readonly user: ClientTransactionUser,
    protected readonly context: ClientContext,
  ) {
    this.reliable = isReliable(destination.protocol);
  }

  abstract get state(): string;
  abstract receive(response: SipResponse): void;

  protected send(message: SipRequest): void {
    this.context.transport.sendRequest(message, this.destination).catch((error: unknown) => this.transportFailed(error));
  }

  protected timer(delay: number, task: () => void): TimerHandle {
    const handle = this.context.scheduler.schedule(delay, task);
    this.handles.push(handle);
    return handle;
  }

  protected clearTimers(): void {
    for (const handle of this.handles.splice(0)) handle.cancel();
  }

  protected terminate(): void {
    this.clearTimers();
    this.context.onTerminated(this.key);
  }

  protected abstract transportFailed(error: unknown): void;
}

/** RFC 3261 §17.1.1 with the Accepted state of RFC 6026: timers A, B, D (and M). */
export class ClientInviteTransaction extends ClientTransactionBase {
  private current: ClientInviteState = "calling";
  private ack: SipRequest | undefined;

  get state(): ClientInviteState {
    return this.current;
  }

  start(): void {
    this.send(this.request);
    if (!this.reliable) {
      let interval = this.context.timers.t1;
      const retransmit = () => {
        if (this.current !== "calling") return;
        this.send(this.request);
        interval *= 2;
        this.timer(interval, retransmit);
      };
      this.timer(interval, retransmit);
    }
    this.timer(64 * this.context.timers.t1, () => {
      if (this.current !== "calling") return;
      this.current = "terminated";
      this.terminate();
      this.user.onTimeout();
    });
  }

  receive(response: SipResponse): void {
    const status = response.status;
    if (this.current === "calling" || this.current === "proceeding") {
      if (status < 200) {
        if (this.current === "calling") {
          this.current = "proceeding";
          this.clearTimers();
        }
        this.user.onResponse(response);
      } else if (status < 300) {
        this.current = "accepted";
        this.clearTimers();
        // Timer M: keep passing 2xx retransmissions (and forks) to the TU, which ACKs them.
        this.timer(64 * this.context.timers.t1, () => this.finish());
        this.user.onResponse(response);
      } else {
        this.current = "completed";
        this.clearTimers();
        this.ack = ackForNonSuccess(this.request, response);
        this.send(this.ack);
        this.timer(timerD(this.context.timers, this.reliable), () => this.finish());
        this.user.onResponse(response);
      }
    } else if (this.current === "accepted") {
      if (status >= 200 && status < 300) this.user.onResponse(response);
    } else if (this.current === "completed") {
      if (status >= 300 && this.ack) this.send(this.ack);
    }
  }

  private finish(): void {
    if (this.current === "terminated") return;
    this.current = "terminated";
    this.terminate();
  }

  protected transportFailed(error: unknown): void {
    if (this.current === "terminated") return;
    const wasPending = this.current === "calling" || this.current === "proceeding";
    this.current = "terminated";
    this.terminate();
    if (wasPending) this.user.onTransportError(error);
  }
}

/** RFC 3261 §17.1.2: timers E, F and K. */
export class ClientNonInviteTransaction extends ClientTransactionBase {
  private current: ClientNonInviteState = "trying";

  get state(): ClientNonInviteState {
    return this.current;
  }

  start(): void {
    this.send(this.request);
    if (!this.reliable) {
      let interval = this.context.timers.t1;
      const retransmit = () => {
        if (this.current !== "trying" && this.current !== "proceeding") return;
        this.send(this.request);
        interval = this.current === "proceeding" ? this.context.timers.t2 : Math.min(2 * interval, this.context.timers.t2);
        this.timer(interval, retransmit);
      };
      this.timer(interval, retransmit);
    }
    this.timer(64 * this.context.timers.t1, () => {
      if (this.current !== "trying" && this.current !== "proceeding") return;
      this.current = "terminated";
      this.terminate();
      this.user.onTimeout();
    });
  }

  receive(response: SipResponse): void {
    if (this.current !== "trying" && this.current !== "proceeding") return;
    if (response.status < 200) {
      this.current = "proceeding";
      this.user.onResponse(response);
      return;
    }
    this.current = "completed";
    this.clearTimers();
    this.timer(this.reliable ? 0 : this.context.timers.t4, () => {
      this.current = "terminated";
      this.terminate();
    });
    this.user.onResponse(response);
  }

  protected transportFailed(error: unknown): void {
    if (this.current !== "trying" && this.current !== "proceeding") return;
    this.current = "terminated";
    this.terminate();
    this.user.onTransportError(error);
  }
}

export type ClientTransaction = ClientInviteTransaction | ClientNonInviteTransaction;

export type { ClientContext };

/** RFC 3261 §17.1.1.3: the ACK a client INVITE transaction sends itself for a 300-699 response. */
export function ackForNonSuccess(invite: SipRequest, response: SipResponse): SipRequest {
  const headers = new SipHeaders();
  const via = invite.headers.get("Via");
  if (via !== undefined) headers.append("Via", via);
  for (const route of invite.headers.getAll("Route")) headers.append("Route", route);
  headers.append("Max-Forwards", "70");
  for (const [name, from] of [
    ["From", invite],
    ["To", response],
    ["Call-ID", invite],
  ] as const) {
    const value = from.headers.get(name);
    if (value !== undefined) headers.append(name, value);
  }
  const seq = parseCSeq(invite.headers.get("CSeq") ?? "")?.seq ?? 1;
  headers.append("CSeq", `${seq} ACK`);
  return { type: "request", method: "ACK", uri: invite.uri, headers, body: Buffer.alloc(0) };
}
