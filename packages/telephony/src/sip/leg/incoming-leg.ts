import type { InboundCaller } from "../access/inbound-caller.js";
import { Dialog } from "../dialog/dialog.js";
import { newTag } from "../dialog/ids.js";
import type { SipRequest } from "../message/model.js";
import { fromHeader, type NameAddr, toHeader } from "../message/name-addr.js";
import type { Source } from "../transaction/model.js";
import type { ServerInviteTransaction } from "../transaction/server-transaction.js";
import { type AnswerOutcome, createInviteResponse, Leg } from "./leg.js";
import { Listeners } from "./listeners.js";
import type { LegHost } from "./model.js";

/**
 * A call that reached us (we are the UAS): ring it, answer it with SDP, reject it, or see it cancelled.
 * The 100 Trying went out when the INVITE arrived.
 */
export class IncomingLeg extends Leg {
  private readonly cancelListeners = new Listeners<void>();
  readonly from: NameAddr | undefined;
  readonly to: NameAddr | undefined;

  private constructor(
    host: LegHost,
    readonly invite: SipRequest,
    private readonly transaction: ServerInviteTransaction,
    readonly source: Source,
    dialog: Dialog,
    /** Which trunk or account the call came from, when the user agent checks access (undefined otherwise). */
    readonly caller: InboundCaller | undefined,
  ) {
    super(host, "incoming", dialog.callId, source.protocol, "offered");
    this.dialog = dialog;
    this.from = fromHeader(invite);
    this.to = toHeader(invite);
    if (invite.body.length > 0) this.remoteSdp = invite.body.toString("utf8");
    host.track(dialog.id, this);
    // If the INVITE transaction dies before an answer (timer H after a failure, or L), nothing is left to do.
    transaction.onTerminated(() => {
      if (this.current === "offered" || this.current === "ringing") this.finish({ by: "local", cause: "error" });
    });
  }

  /** Undefined when the INVITE lacks what a dialog needs (the user agent answers 400 then). */
  static create(
    host: LegHost,
    invite: SipRequest,
    transaction: ServerInviteTransaction,
    source: Source,
    caller?: InboundCaller,
  ): IncomingLeg | undefined {
    const dialog = Dialog.asUas(invite, newTag());
    return dialog === undefined ? undefined : new IncomingLeg(host, invite, transaction, source, dialog, caller);
  }

  /** The caller's SDP offer, if the INVITE carried one. */
  get offer(): string | undefined {
    return this.invite.body.length > 0 ? this.invite.body.toString("utf8") : undefined;
  }

  /** The Request-URI: the number or address the caller dialled. */
  get requestUri(): string {
    return this.invite.uri;
  }

  /** The caller cancelled before we answered (a 487 went back already). */
  onCancel(listener: () => void): () => void {
    return this.cancelListeners.add(listener);
  }

  /** 180 Ringing. */
  ring(): void {
    if (this.current !== "offered") return;
    this.current = "ringing";
    this.transaction.respond(createInviteResponse(this.invite, 180, this.dialog?.localTag, this.host, this.protocol));
  }

  /** 183 Session Progress with early media. */
  progress(sdp: string): void {
    if (this.current !== "offered" && this.current !== "ringing") return;
    this.localSdp = sdp;
    this.transaction.respond(createInviteResponse(this.invite, 183, this.dialog?.localTag, this.host, this.protocol, sdp));
  }

  /** 200 OK with our SDP answer; resolves when the ACK arrives (or never does, or the call ends first). */
  answer(sdp: string): Promise<AnswerOutcome> {
    if (this.current !== "offered" && this.current !== "ringing") return Promise.resolve("ended");
    this.current = "answering";
    this.localSdp = sdp;
    this.dialog?.confirm();
    return this.deliver2xx(this.transaction, this.ok2xx(this.invite, this.transaction, sdp));
  }

  /** A final failure (486 Busy Here by default, 488 for an unacceptable offer, 404 for an unknown number). */
  reject(status = 486, reason?: string): void {
    if (this.current !== "offered" && this.current !== "ringing") return;
    this.transaction.respond(
      createInviteResponse(this.invite, status, this.dialog?.localTag, this.host, this.protocol, undefined, reason),
    );
    this.finish({ by: "local", cause: "rejected", status });
  }

  /** Before the answer: reject with 480; after: BYE (deferred until the ACK, §15). */
  hangup(): Promise<void> {
    switch (this.current) {
      case "offered":
      case "ringing":
        this.reject(480);
        return Promise.resolve();
      case "answering":
        this.byeAfterAck = true;
        return this.ended.then(() => undefined);
      case "confirmed": {
        const bye = this.sendBye();
        this.finish({ by: "local", cause: "bye" });
        return bye;
      }
      default:
        return Promise.resolve();
    }
  }

  /** The user agent matched a CANCEL to our INVITE (and answered it 200). */
  cancelled(): void {
    if (this.current !== "offered" && this.current !== "ringing") return;
    this.transaction.respond(createInviteResponse(this.invite, 487, this.dialog?.localTag, this.host, this.protocol));
    this.cancelListeners.emit();
    this.finish({ by: "remote", cause: "cancel" });
  }

  protected override remoteBye(): void {
    // A BYE in an early dialog (RFC 3261 §15): the INVITE still deserves its final response.
    if (this.current === "offered" || this.current === "ringing") {
      this.transaction.respond(createInviteResponse(this.invite, 487, this.dialog?.localTag, this.host, this.protocol));
    }
    super.remoteBye();
  }

  protected override finish(end: Parameters<Leg["finish"]>[0]): void {
    super.finish(end);
    this.cancelListeners.clear();
  }
}
