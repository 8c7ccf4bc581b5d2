import { type DtmfEvent, isDtmfDigit } from "../../rtp/dtmf/digits.js";
import type { TimerHandle } from "../../scheduler/scheduler.js";
import { type DigestCredentials, sendWithDigest } from "../auth/digest-client.js";
import type { Dialog, DialogRequestOptions } from "../dialog/dialog.js";
import { cseqHeader } from "../message/cseq.js";
import type { SipRequest, SipResponse } from "../message/model.js";
import { parseNameAddr } from "../message/name-addr.js";
import { createResponse } from "../message/response.js";
import type { ClientTransactionUser, Destination, TransportProtocol } from "../transaction/model.js";
import type { ServerInviteTransaction, ServerTransaction } from "../transaction/server-transaction.js";
import { Listeners } from "./listeners.js";
import type { LegEnd, LegHost, LegState, ReinviteReply } from "./model.js";
import { OutgoingRefer } from "./outgoing-refer.js";
import { type IncomingRefer, type ReferHandler, ReferSubscription } from "./refer-subscription.js";
import { SIPFRAG_CONTENT_TYPE } from "./sipfrag.js";

/** How an answer (our 2xx to an INVITE) turned out. */
export type AnswerOutcome = "confirmed" | "ack-timeout" | "ended";

/** How a re-INVITE we sent turned out. */
export type ReinviteOutcome = { readonly ok: true; readonly sdp?: string } | { readonly ok: false; readonly status: number };

interface PendingAnswer {
  readonly seq: number;
  readonly handles: TimerHandle[];
  readonly resolve: (outcome: AnswerOutcome) => void;
}

export interface ReferOptions {
  /** Referred-By (RFC 3892): who asks for the transfer, e.g. our AOR. */
  readonly referredBy?: string;
  /** Ask for no progress reports (`Refer-Sub: false`, RFC 4488). */
  readonly noSubscription?: boolean;
  readonly headers?: readonly (readonly [string, string])[];
}

/** Seconds a REFER's implicit subscription lasts unless its final report comes first. */
const REFER_SUBSCRIPTION_SECONDS = 180;

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
  private referHandler: ReferHandler | undefined;
  private readonly subscriptions = new Set<ReferSubscription>();
  private readonly refers = new Map<number, OutgoingRefer>();
  /** Answers 401/407 challenges to our requests in this dialog (a trunk may challenge a BYE or re-INVITE). */
  protected credentials: DigestCredentials | undefined;
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

  /** The dialog's Call-ID and tags as this side holds them (for matching a Replaces), once there is one. */
  get dialogTags(): { readonly callId: string; readonly localTag: string; readonly remoteTag: string } | undefined {
    const dialog = this.dialog;
    return dialog ? { callId: dialog.callId, localTag: dialog.localTag, remoteTag: dialog.remoteTag } : undefined;
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

  /**
   * Decides what to do with a REFER (a transfer request, RFC 3515) on this leg: accepted (202, then progress
   * reports through `refer.subscription`) unless the handler calls `refer.reject(status)`. Without a handler
   * a REFER gets 403: this leg does not take transfers.
   */
  onRefer(handler: ReferHandler | undefined): void {
    this.referHandler = handler;
  }

  /** The account our requests in this dialog answer challenges with. */
  useCredentials(credentials: DigestCredentials | undefined): void {
    this.credentials = credentials;
  }

  /**
   * Asks the peer to call `target` (a blind transfer; an attended one embeds `?Replaces=` in the target):
   * sends REFER with Refer-To and reports the peer's progress from its NOTIFYs (RFC 3515).
   */
  refer(target: string, options: ReferOptions = {}): OutgoingRefer {
    const dialog = this.dialog;
    const destination = dialog?.destination(this.protocol);
    const refer = new OutgoingRefer(dialog ? dialog.localSeq + 1 : 0, this.host.scheduler, () => {
      for (const [id, pending] of this.refers) if (pending === refer) this.refers.delete(id);
    });
    if (!dialog || !destination || this.current !== "confirmed") {
      refer.answered(481, false);
      return refer;
    }
    const headers: [string, string][] = [["Refer-To", `<${target}>`]];
    if (options.referredBy !== undefined) headers.push(["Referred-By", `<${options.referredBy}>`]);
    if (options.noSubscription) headers.push(["Refer-Sub", "false"], ["Supported", "norefersub"]);
    headers.push(...((options.headers ?? []) as [string, string][]));
    const request = dialog.createRequest("REFER", { contact: this.host.contact(destination.protocol), headers });
    this.refers.set(refer.id, refer);
    this.sendInDialog(request, destination, {
      onResponse: (response) => {
        if (response.status < 200) return;
        const subscribed = (response.headers.get("Refer-Sub") ?? "true").trim().toLowerCase() !== "false";
        const id = cseqHeader(response)?.seq ?? refer.id;
        // Answered after a digest challenge: the REFER that counts has the later CSeq, and so has its Event id.
        if (id !== refer.id) {
          this.refers.delete(refer.id);
          this.refers.set(id, refer);
        }
        refer.answered(response.status, subscribed && !options.noSubscription);
      },
      onTimeout: () => refer.answered(408, false),
      onTransportError: () => refer.answered(503, false),
    });
    return refer;
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
      case "REFER":
        this.handleRefer(request, transaction);
        return;
      case "NOTIFY":
        this.handleNotify(request, transaction);
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
    return new Promise((resolve) => {
      let ack: SipRequest | undefined;
      const done = (outcome: ReinviteOutcome) => {
        this.sendingReinvite = false;
        resolve(outcome);
      };
      this.sendInDialog(request, destination, {
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
            // The CSeq of the INVITE answered, which a digest challenge may have moved on.
            ack = dialog.createRequest("ACK", { cseq: cseqHeader(response)?.seq ?? dialog.localSeq });
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
    return this.requestInDialog("INFO", { body: Buffer.from(body), contentType });
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
      this.sendInDialog(request, destination, {
        onResponse: (response) => {
          if (response.status >= 200) resolve();
        },
        onTimeout: () => resolve(),
        onTransportError: () => resolve(),
      });
    });
  }

  /** Sends a request in the dialog and resolves with its final status (408 or 503 when none came). */
  protected requestInDialog(method: string, options: DialogRequestOptions): Promise<number> {
    const dialog = this.dialog;
    const destination = dialog?.destination(this.protocol);
    if (!dialog || !destination || this.current === "ended") return Promise.resolve(481);
    const request = dialog.createRequest(method, options);
    return new Promise((resolve) => {
      this.sendInDialog(request, destination, {
        onResponse: (response) => {
          if (response.status >= 200) resolve(response.status);
        },
        onTimeout: () => resolve(408),
        onTransportError: () => resolve(503),
      });
    });
  }

  /** Sends in a new client transaction, answering a digest challenge once with the leg's credentials. */
  protected sendInDialog(request: SipRequest, destination: Destination, user: ClientTransactionUser): void {
    sendWithDigest(request, user, {
      send: (next, wrapped) => this.host.sendRequest(next, destination, wrapped),
      credentials: this.credentials,
      beforeRetry: (next) => {
        const seq = cseqHeader(next)?.seq;
        // The retry took the next CSeq of the dialog (RFC 3261 §22.2).
        if (this.dialog && seq !== undefined && seq > this.dialog.localSeq) this.dialog.localSeq = seq;
        return this.current !== "ended" || request.method === "BYE";
      },
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
    for (const subscription of this.subscriptions) subscription.end();
    this.subscriptions.clear();
    for (const refer of [...this.refers.values()]) refer.ended();
    this.refers.clear();
    this.referHandler = undefined;
  }

  /** RFC 3515 §2.4: a REFER names exactly one Refer-To; the handler accepts (202) or rejects it. */
  private handleRefer(request: SipRequest, transaction: ServerTransaction): void {
    const referTo = request.headers.getAll("Refer-To");
    const target = referTo.length === 1 ? parseNameAddr(referTo[0] ?? "") : undefined;
    if (!target) {
      transaction.reply(400, { reason: referTo.length === 1 ? "Bad Refer-To" : "Exactly One Refer-To Required" });
      return;
    }
    const referredByValue = request.headers.get("Referred-By");
    const referredBy = referredByValue === undefined ? undefined : parseNameAddr(referredByValue);
    const handler = this.referHandler;
    if (!handler) {
      transaction.reply(403, { reason: "Transfer Not Allowed" });
      return;
    }
    const subscribed = (request.headers.get("Refer-Sub") ?? "true").trim().toLowerCase() !== "false";
    const id = cseqHeader(request)?.seq ?? 0;
    const subscription = new ReferSubscription(
      (headers, body) =>
        this.requestInDialog("NOTIFY", {
          headers,
          body: Buffer.from(body),
          contentType: SIPFRAG_CONTENT_TYPE,
          // NOTIFY refreshes the subscription's target (RFC 6665 §4.2.2), so it names ours.
          contact: this.host.contact(this.protocol),
        }),
      id,
      this.host.scheduler,
      REFER_SUBSCRIPTION_SECONDS,
      subscribed,
    );
    let rejection: number | undefined;
    const refer: IncomingRefer = {
      target,
      ...(referredBy === undefined ? {} : { referredBy }),
      request,
      subscription,
      reject: (status) => {
        rejection ??= status >= 300 && status <= 699 ? status : 403;
      },
    };
    Promise.resolve()
      .then(() => handler(refer))
      .then(
        () => rejection,
        () => 500,
      )
      .then((status) => {
        if (this.current === "ended") {
          transaction.reply(481);
          return;
        }
        if (status !== undefined) {
          subscription.end();
          transaction.reply(status);
          return;
        }
        transaction.reply(202, { headers: subscribed ? [] : [["Refer-Sub", "false"]] });
        if (subscribed) this.subscriptions.add(subscription);
        subscription.start();
      });
  }

  /** A NOTIFY of one of our REFERs' subscriptions (the only event package we subscribe to). */
  private handleNotify(request: SipRequest, transaction: ServerTransaction): void {
    const event = (request.headers.get("Event") ?? "").trim();
    const [pkg = "", ...params] = event.split(";").map((part) => part.trim());
    if (pkg.toLowerCase() !== "refer") {
      transaction.reply(489, { reason: "Bad Event", headers: [["Allow-Events", "refer"]] });
      return;
    }
    const idParam = params.find((param) => param.toLowerCase().startsWith("id="));
    const id = idParam === undefined ? undefined : Number(idParam.slice(3));
    // RFC 3515 §2.4.6: the id may be left out for the first REFER of a dialog.
    const refer = id === undefined ? this.refers.values().next().value : this.refers.get(id);
    if (!refer) {
      transaction.reply(481, { reason: "Subscription Does Not Exist" });
      return;
    }
    transaction.reply(refer.notified(request));
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
