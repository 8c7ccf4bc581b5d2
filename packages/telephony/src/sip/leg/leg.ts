import { type DtmfEvent, isDtmfDigit } from "../../rtp/dtmf/digits.js";
import type { TimerHandle } from "../../scheduler/scheduler.js";
import type { Dialog } from "../dialog/dialog.js";
import { cseqHeader } from "../message/cseq.js";
import type { SipRequest, SipResponse } from "../message/model.js";
import { createResponse } from "../message/response.js";
import type { TransportProtocol } from "../transaction/model.js";
import type { ServerInviteTransaction, ServerTransaction } from "../transaction/server-transaction.js";
import { Listeners } from "./listeners.js";
import type { LegEnd, LegHost, LegState, ReinviteReply } from "./model.js";

/** How an answer (our 2xx to an INVITE) turned out. */
export type AnswerOutcome = "confirmed" | "ack-timeout" | "ended";

/** How a re-INVITE we sent turned out. */
export type ReinviteOutcome = { readonly ok: true; readonly sdp?: string } | { readonly ok: false; readonly status: number };

interface PendingAnswer {
  readonly seq: number;
  readonly handles: TimerHandle[];
  readonly resolve: (outcome: AnswerOutcome) => void;
}

const noop = () => undefined;

/**
 * One side of a call as SIP sees it: a dialog and the INVITE sessions inside it. Both directions share
 * the in-dialog behaviour (BYE, re-INVITE for hold and resume, INFO, the 2xx retransmission until ACK);
 * `IncomingLeg` and `OutgoingLeg` add how the call was set up.
 */
export abstract class Leg {
  protected dialog: Dialog | undefined;
  protected current: LegState;
  protected endReason: LegEnd | undefined;
  /** Our SDP and the peer's, as last agreed (or offered). */
  localSdp: string | undefined;
  remoteSdp: string | undefined;
  private readonly endedListeners = new Listeners<LegEnd>();
  private readonly byeListeners = new Listeners<void>();
  private readonly dtmfListeners = new Listeners<DtmfEvent>();
  private readonly infoListeners = new Listeners<SipRequest>();
  private reinviteHandler: ((offer: string | undefined) => ReinviteReply | Promise<ReinviteReply>) | undefined;
  private pendingAnswer: PendingAnswer | undefined;
  private sendingReinvite = false;
  private receivingReinvite = false;
  protected byeAfterAck = false;
  private resolveEnded: (end: LegEnd) => void = noop;
  /** Settles once, when the leg ends for whatever reason. */
  readonly ended: Promise<LegEnd>;

  protected constructor(
    protected readonly host: LegHost,
    readonly direction: "incoming" | "outgoing",
    readonly callId: string,
    /** The transport the call was set up on; in-dialog requests default to it. */
    readonly protocol: TransportProtocol,
    initial: LegState,
  ) {
    this.current = initial;
    this.ended = new Promise((resolve) => {
      this.resolveEnded = resolve;
    });
  }

  get state(): LegState {
    return this.current;
  }

  get endedBecause(): LegEnd | undefined {
    return this.endReason;
  }

  /** Identifies the dialog (Call-ID and tags) once there is one. */
  get dialogId(): string | undefined {
    return this.dialog?.id;
  }

  onEnded(listener: (end: LegEnd) => void): () => void {
    if (this.endReason) {
      listener(this.endReason);
      return noop;
    }
    return this.endedListeners.add(listener);
  }

  /** The peer hung up (BYE). */
  onBye(listener: () => void): () => void {
    return this.byeListeners.add(listener);
  }

  /** Keys pressed by the peer: SIP INFO here, RFC 4733 and in-band once media reports them (`reportDtmf`). */
  onDtmf(listener: (event: DtmfEvent) => void): () => void {
    return this.dtmfListeners.add(listener);
  }

  onInfo(listener: (request: SipRequest) => void): () => void {
    return this.infoListeners.add(listener);
  }

  /** Decides the answer to a re-INVITE (hold, resume, codec change); without a handler, our last SDP is repeated. */
  setReinviteHandler(handler: (offer: string | undefined) => ReinviteReply | Promise<ReinviteReply>): void {
    this.reinviteHandler = handler;
  }

  /** For the media layer: a key it heard on this leg. */
  reportDtmf(event: DtmfEvent): void {
    if (this.current !== "ended") this.dtmfListeners.emit(event);
  }

  abstract hangup(): Promise<void>;

  /** An in-dialog request the user agent matched to this leg (not ACK, not CANCEL). */
  handleRequest(request: SipRequest, transaction: ServerTransaction): void {
    const dialog = this.dialog;
    if (!dialog || this.current === "ended") {
      transaction.reply(481);
      return;
    }
    if (!dialog.acceptRemoteSequence(request)) {
      transaction.reply(500, { reason: "Out of Order" });
      return;
    }
    switch (request.method) {
      case "BYE":
        transaction.reply(200);
        this.remoteBye();
        return;
      case "INVITE":
        this.handleReinvite(request, transaction as ServerInviteTransaction, dialog);
        return;
      case "INFO":
        transaction.reply(200);
        this.infoListeners.emit(request);
        this.infoDtmf(request);
        return;
      default:
        transaction.reply(200, { headers: this.host.capabilityHeaders });
    }
  }

  /** The ACK of one of our 2xx responses. */
  handleAck(ack: SipRequest): void {
    const pending = this.pendingAnswer;
    const seq = cseqHeader(ack)?.seq;
    if (!pending || seq !== pending.seq) return;
    this.pendingAnswer = undefined;
    for (const handle of pending.handles) handle.cancel();
    if (ack.body.length > 0) this.remoteSdp = ack.body.toString("utf8");
    this.receivingReinvite = false;
    if (this.current === "answering") this.current = "confirmed";
    pending.resolve("confirmed");
    if (this.byeAfterAck) {
      this.byeAfterAck = false;
      void this.hangup();
    }
  }

  /** Offers new SDP in a re-INVITE (hold: `a=sendonly`; resume: `a=sendrecv`). */
  reinvite(sdp: string): Promise<ReinviteOutcome> {
    const dialog = this.dialog;
    if (!dialog || this.current !== "confirmed" || this.sendingReinvite || this.receivingReinvite || this.pendingAnswer) {
      return Promise.resolve({ ok: false, status: 491 });
    }
    const destination = dialog.destination(this.protocol);
    if (!destination) return Promise.resolve({ ok: false, status: 416 });
    this.sendingReinvite = true;
    const request = dialog.createRequest("INVITE", {
      contact: this.host.contact(destination.protocol),
      body: Buffer.from(sdp),
      headers: this.host.capabilityHeaders,
    });
    const seq = dialog.localSeq;
    return new Promise((resolve) => {
      let ack: SipRequest | undefined;
      const done = (outcome: ReinviteOutcome) => {
        this.sendingReinvite = false;
        resolve(outcome);
      };
      this.host.sendRequest(request, destination, {
        onResponse: (response) => {
          if (response.status < 200) return;
          if (response.status >= 300) {
            done({ ok: false, status: response.status });
            // RFC 3261 §14.1: a 481 or 408 to a re-INVITE means the dialog is gone.
            if (response.status === 481 || response.status === 408)
              this.finish({ by: "remote", cause: "error", status: response.status });
            return;
          }
          if (!ack) {
            dialog.refreshTarget(response);
            ack = dialog.createRequest("ACK", { cseq: seq });
            this.localSdp = sdp;
            if (response.body.length > 0) this.remoteSdp = response.body.toString("utf8");
            done({ ok: true, ...(response.body.length > 0 ? { sdp: response.body.toString("utf8") } : {}) });
          }
          this.host.sendAck(ack, destination);
        },
        onTimeout: () => {
          done({ ok: false, status: 408 });
          void this.hangup();
        },
        onTransportError: () => done({ ok: false, status: 503 }),
      });
    });
  }

  /** Sends an INFO (e.g. `application/dtmf-relay`) in the dialog; resolves with the final status. */
  sendInfo(body: string, contentType: string): Promise<number> {
    const dialog = this.dialog;
    const destination = dialog?.destination(this.protocol);
    if (!dialog || !destination || this.current !== "confirmed") return Promise.resolve(481);
    const request = dialog.createRequest("INFO", { body: Buffer.from(body), contentType });
    return new Promise((resolve) => {
      this.host.sendRequest(request, destination, {
        onResponse: (response) => {
          if (response.status >= 200) resolve(response.status);
        },
        onTimeout: () => resolve(408),
        onTransportError: () => resolve(503),
      });
    });
  }

  /** A retransmitted 2xx arriving after its transaction ended: the ACK went missing, send it again. */
  handleStray2xx(_response: SipResponse): void {}

  /** Sends a BYE in the dialog; resolves when it is answered or given up. */
  protected sendBye(): Promise<void> {
    const dialog = this.dialog;
    const destination = dialog?.destination(this.protocol);
    if (!dialog || !destination) return Promise.resolve();
    const request = dialog.createRequest("BYE", { headers: [] });
    return new Promise((resolve) => {
      this.host.sendRequest(request, destination, {
        onResponse: (response) => {
          if (response.status >= 200) resolve();
        },
        onTimeout: () => resolve(),
        onTransportError: () => resolve(),
      });
    });
  }

  /** Sends a 2xx to an INVITE and, over UDP, retransmits it (T1 doubling to T2) until the ACK (§13.3.1.4). */
  protected deliver2xx(transaction: ServerInviteTransaction, response: SipResponse): Promise<AnswerOutcome> {
    const seq = cseqHeader(response)?.seq ?? 0;
    transaction.respond(response);
    return new Promise((resolve) => {
      const pending: PendingAnswer = { seq, handles: [], resolve };
      this.pendingAnswer = pending;
      const { scheduler, timers } = this.host;
      if (transaction.source.protocol === "udp") {
        let interval = timers.t1;
        const again = () => {
          if (this.pendingAnswer !== pending) return;
          transaction.respond(response);
          interval = Math.min(2 * interval, timers.t2);
          pending.handles.push(scheduler.schedule(interval, again));
        };
        pending.handles.push(scheduler.schedule(interval, again));
      }
      pending.handles.push(
        scheduler.schedule(64 * timers.t1, () => {
          if (this.pendingAnswer !== pending) return;
          this.pendingAnswer = undefined;
          for (const handle of pending.handles) handle.cancel();
          resolve("ack-timeout");
          // The session is confirmed but broken: end it with a BYE (§13.3.1.4).
          this.current = "confirmed";
          void this.sendBye();
          this.finish({ by: "local", cause: "ack-timeout" });
        }),
      );
    });
  }

  protected remoteBye(): void {
    this.byeListeners.emit();
    this.finish({ by: "remote", cause: "bye" });
  }

  protected finish(end: LegEnd): void {
    if (this.current === "ended") return;
    this.current = "ended";
    this.endReason = end;
    const pending = this.pendingAnswer;
    if (pending) {
      this.pendingAnswer = undefined;
      for (const handle of pending.handles) handle.cancel();
      pending.resolve("ended");
    }
    if (this.dialog) {
      this.dialog.state = "terminated";
      this.host.untrack(this.dialog.id);
    }
    this.endedListeners.emit(end);
    this.endedListeners.clear();
    this.resolveEnded(end);
    this.byeListeners.clear();
    this.dtmfListeners.clear();
    this.infoListeners.clear();
  }

  private handleReinvite(request: SipRequest, transaction: ServerInviteTransaction, dialog: Dialog): void {
    if (this.sendingReinvite) {
      transaction.reply(491);
      return;
    }
    if (this.current !== "confirmed" || this.receivingReinvite || this.pendingAnswer) {
      // §14.2: an INVITE while the previous one is not finished.
      transaction.reply(500, { headers: [["Retry-After", "1"]] });
      return;
    }
    this.receivingReinvite = true;
    dialog.refreshTarget(request);
    const offer = request.body.length > 0 ? request.body.toString("utf8") : undefined;
    const handler = this.reinviteHandler;
    const decide = async (): Promise<ReinviteReply> => {
      if (handler) return handler(offer);
      return this.localSdp === undefined ? { status: 488 } : { sdp: this.localSdp };
    };
    decide()
      .catch((): ReinviteReply => ({ status: 500 }))
      .then((reply) => {
        if (this.current === "ended") {
          transaction.reply(481);
          return;
        }
        if ("status" in reply) {
          this.receivingReinvite = false;
          transaction.reply(reply.status);
          return;
        }
        if (offer !== undefined) this.remoteSdp = offer;
        this.localSdp = reply.sdp;
        const response = this.ok2xx(request, transaction, reply.sdp);
        void this.deliver2xx(transaction, response);
      });
  }

  /** A 2xx to an INVITE with our Contact, capabilities and SDP. */
  protected ok2xx(request: SipRequest, transaction: ServerInviteTransaction, sdp: string): SipResponse {
    return createInviteResponse(request, 200, this.dialog?.localTag, this.host, transaction.source.protocol, sdp);
  }

  private infoDtmf(request: SipRequest): void {
    const type = (request.headers.get("Content-Type") ?? "").toLowerCase();
    const body = request.body.toString("utf8").trim();
    let digit: string | undefined;
    if (type.startsWith("application/dtmf-relay")) digit = /^Signal\s*=\s*(\S)/im.exec(body)?.[1];
    else if (type.startsWith("application/dtmf")) digit = body.slice(0, 1);
    const normalized = digit?.toUpperCase();
    if (normalized !== undefined && isDtmfDigit(normalized)) this.dtmfListeners.emit({ digit: normalized, source: "info" });
  }
}

/** A response to an INVITE that creates or refreshes a dialog: To tag, Contact, Record-Route copied (§12.1.1). */
export function createInviteResponse(
  invite: SipRequest,
  status: number,
  localTag: string | undefined,
  host: Pick<LegHost, "contact" | "capabilityHeaders">,
  protocol: TransportProtocol,
  sdp?: string,
  reason?: string,
): SipResponse {
  const headers: [string, string][] = [];
  for (const route of invite.headers.getAll("Record-Route")) headers.push(["Record-Route", route]);
  if (status > 100 && status < 300) headers.push(["Contact", `<${host.contact(protocol)}>`]);
  headers.push(...(host.capabilityHeaders as [string, string][]));
  if (sdp !== undefined) headers.push(["Content-Type", "application/sdp"]);
  return createResponse(invite, status, {
    ...(reason === undefined ? {} : { reason }),
    ...(localTag === undefined ? {} : { toTag: localTag }),
    headers,
    ...(sdp === undefined ? {} : { body: Buffer.from(sdp) }),
  });
}
