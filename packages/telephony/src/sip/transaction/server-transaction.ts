import type { Scheduler, TimerHandle } from "../../scheduler/scheduler.js";
import type { SipRequest, SipResponse } from "../message/model.js";
import { createResponse } from "../message/response.js";
import type { Source, TransactionTransport } from "./model.js";
import { isReliable } from "./model.js";
import type { SipTimerValues } from "./timers.js";

export type ServerInviteState = "proceeding" | "accepted" | "completed" | "confirmed" | "terminated";
export type ServerNonInviteState = "trying" | "proceeding" | "completed" | "terminated";

export interface ServerContext {
  readonly transport: TransactionTransport;
  readonly scheduler: Scheduler;
  readonly timers: SipTimerValues;
  readonly onTerminated: (key: string) => void;
}

abstract class ServerTransactionBase {
  protected readonly reliable: boolean;
  protected last: SipResponse | undefined;
  private readonly handles: TimerHandle[] = [];
  private terminatedListeners: (() => void)[] = [];

  constructor(
    readonly key: string,
    readonly request: SipRequest,
    readonly source: Source,
    protected readonly context: ServerContext,
  ) {
    this.reliable = isReliable(source.protocol);
  }

  abstract get state(): string;
  /** The TU's response; the transaction decides whether and how often it goes out. */
  abstract respond(response: SipResponse): void;
  /** A retransmission of the request, or for INVITE an ACK, matched to this transaction. */
  abstract receive(request: SipRequest): void;

  /** Shorthand for `respond(createResponse(request, status, ...))`. */
  reply(status: number, options?: Parameters<typeof createResponse>[2]): SipResponse {
    const response = createResponse(this.request, status, options);
    this.respond(response);
    return response;
  }

  /** The final response sent, if any. */
  get finalResponse(): SipResponse | undefined {
    return this.last !== undefined && this.last.status >= 200 ? this.last : undefined;
  }

  onTerminated(listener: () => void): void {
    this.terminatedListeners.push(listener);
  }

  protected send(response: SipResponse): void {
    this.last = response;
    this.resend();
  }

  protected resend(): void {
    if (this.last === undefined) return;
    // A response that cannot be sent is lost like a datagram; retransmission or the peer's timers recover.
    this.context.transport.sendResponse(this.last, this.source).catch(() => undefined);
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
    for (const listener of this.terminatedListeners.splice(0)) listener();
  }
}

/** RFC 3261 §17.2.1 with the Accepted state of RFC 6026: timers G, H, I (and L). */
export class ServerInviteTransaction extends ServerTransactionBase {
  private current: ServerInviteState = "proceeding";
  private ackTimeoutListeners: (() => void)[] = [];

  get state(): ServerInviteState {
    return this.current;
  }

  /** Timer H fired: the peer never acknowledged our final non-2xx response. */
  onAckTimeout(listener: () => void): void {
    this.ackTimeoutListeners.push(listener);
  }

  /** 100 Trying at once, so that the client stops retransmitting (§17.2.1). */
  start(): void {
    this.respond(createResponse(this.request, 100));
  }

  respond(response: SipResponse): void {
    const status = response.status;
    if (this.current === "proceeding") {
      if (status < 200) {
        this.send(response);
      } else if (status < 300) {
        this.send(response);
        this.current = "accepted";
        // Timer L: absorb retransmitted INVITEs while the TU retransmits its 2xx until the ACK.
        this.timer(64 * this.context.timers.t1, () => this.finish());
      } else {
        this.send(response);
        this.current = "completed";
        if (!this.reliable) {
          let interval = this.context.timers.t1;
          const retransmit = () => {
            if (this.current !== "completed") return;
            this.resend();
            interval = Math.min(2 * interval, this.context.timers.t2);
            this.timer(interval, retransmit);
          };
          this.timer(interval, retransmit);
        }
        this.timer(64 * this.context.timers.t1, () => {
          if (this.current !== "completed") return;
          this.finish();
          for (const listener of this.ackTimeoutListeners.splice(0)) listener();
        });
      }
    } else if (this.current === "accepted" && status >= 200 && status < 300) {
      this.send(response);
    }
  }

  receive(request: SipRequest): void {
    if (request.method === "ACK") {
      if (this.current !== "completed") return;
      this.current = "confirmed";
      this.clearTimers();
      this.timer(this.reliable ? 0 : this.context.timers.t4, () => this.finish());
      return;
    }
    if (this.current === "proceeding" || this.current === "completed") this.resend();
  }

  private finish(): void {
    if (this.current === "terminated") return;
    this.current = "terminated";
    this.terminate();
  }
}

/** RFC 3261 §17.2.2: timer J. */
export class ServerNonInviteTransaction extends ServerTransactionBase {
  private current: ServerNonInviteState = "trying";

  get state(): ServerNonInviteState {
    return this.current;
  }

  respond(response: SipResponse): void {
    if (this.current === "completed" || this.current === "terminated") return;
    this.send(response);
    if (response.status < 200) {
      this.current = "proceeding";
      return;
    }
    this.current = "completed";
    this.timer(this.reliable ? 0 : 64 * this.context.timers.t1, () => {
      this.current = "terminated";
      this.terminate();
    });
  }

  receive(): void {
    if (this.current === "proceeding" || this.current === "completed") this.resend();
  }
}

export type ServerTransaction = ServerInviteTransaction | ServerNonInviteTransaction;
