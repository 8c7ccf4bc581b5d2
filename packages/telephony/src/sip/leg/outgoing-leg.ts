import { type DigestCredentials, sendWithDigest } from "../auth/digest-client.js";
import { Dialog } from "../dialog/dialog.js";
import { SipHeaders } from "../message/headers.js";
import type { SipRequest, SipResponse } from "../message/model.js";
import { nameAddrTag, toHeader } from "../message/name-addr.js";
import type { Destination } from "../transaction/model.js";
import { Leg } from "./leg.js";
import { Listeners } from "./listeners.js";
import type { LegHost } from "./model.js";

/** How an INVITE we sent turned out. */
export type InviteOutcome =
  | { readonly ok: true; readonly response: SipResponse }
  | { readonly ok: false; readonly status: number; readonly response?: SipResponse };

/**
 * A call we place (we are the UAC): the INVITE goes out at once; `answered` settles on the final response.
 * The ACK of a 2xx is ours to send (and to repeat for each retransmitted 2xx); a failure's ACK is the
 * transaction's. CANCEL waits for a provisional response, as RFC 3261 §9.1 requires. Given credentials, a
 * 401 or 407 is answered with a new INVITE (same Call-ID and From tag, next CSeq, RFC 3261 §22.2), which
 * then is the INVITE that CANCEL and ACK refer to.
 */
export class OutgoingLeg extends Leg {
  private readonly progressListeners = new Listeners<SipResponse>();
  private ack: { request: SipRequest; destination: Destination } | undefined;
  private provisional = false;
  private cancelRequested = false;
  private cancelSent = false;
  private resolveAnswered: (outcome: InviteOutcome) => void = () => undefined;
  readonly answered: Promise<InviteOutcome>;
  private request: SipRequest;

  constructor(
    host: LegHost,
    invite: SipRequest,
    private readonly destination: Destination,
    credentials?: DigestCredentials,
  ) {
    super(host, "outgoing", invite.headers.get("Call-ID") ?? "", destination.protocol, "calling");
    this.request = invite;
    this.credentials = credentials;
    this.answered = new Promise((resolve) => {
      this.resolveAnswered = resolve;
    });
    if (invite.body.length > 0) this.localSdp = invite.body.toString("utf8");
    sendWithDigest(
      invite,
      {
        onResponse: (response) => this.response(response),
        onTimeout: () => this.failed(408, "timeout"),
        onTransportError: () => this.failed(503, "error"),
      },
      {
        send: (next, user) => host.sendRequest(next, destination, user),
        credentials,
        beforeRetry: (next) => {
          if (this.cancelRequested || this.current === "ended") return false;
          this.request = next;
          this.provisional = false;
          return true;
        },
      },
    );
  }

  /** The INVITE as last sent (after a digest challenge, the one with credentials). */
  get invite(): SipRequest {
    return this.request;
  }

  /** 1xx responses (180 Ringing, 183 Session Progress with early media). */
  onProgress(listener: (response: SipResponse) => void): () => void {
    return this.progressListeners.add(listener);
  }

  /** Abandons the call before it is answered (CANCEL, §9.1); a 487 then ends it. */
  cancel(): void {
    if (this.current !== "calling" && this.current !== "ringing") return;
    this.cancelRequested = true;
    if (this.provisional) this.sendCancel();
  }

  /** Before the answer: CANCEL; after: BYE. */
  hangup(): Promise<void> {
    if (this.current === "calling" || this.current === "ringing") {
      this.cancel();
      return this.ended.then(() => undefined);
    }
    if (this.current !== "confirmed") return Promise.resolve();
    const bye = this.sendBye();
    this.finish({ by: "local", cause: "bye" });
    return bye;
  }

  override handleStray2xx(response: SipResponse): void {
    if (this.ack && nameAddrTag(toHeader(response) ?? { uri: "", params: new Map() }) === this.dialog?.remoteTag) {
      this.host.sendAck(this.ack.request, this.ack.destination);
    }
  }

  private response(response: SipResponse): void {
    const status = response.status;
    if (status < 200) {
      this.provisional = true;
      if (status > 100) {
        if (this.current === "calling") this.current = "ringing";
        if (!this.dialog && nameAddrTag(toHeader(response) ?? { uri: "", params: new Map() }) !== undefined) {
          const early = Dialog.asUac(this.invite, response);
          if (early) {
            this.dialog = early;
            this.host.track(early.id, this);
          }
        }
        if (response.body.length > 0) this.remoteSdp = response.body.toString("utf8");
        this.progressListeners.emit(response);
      }
      if (this.cancelRequested && !this.cancelSent) this.sendCancel();
      return;
    }
    if (status >= 300) {
      const cancelled = this.cancelRequested && status === 487;
      this.resolveAnswered({ ok: false, status, response });
      this.finish(cancelled ? { by: "local", cause: "cancel", status } : { by: "remote", cause: "rejected", status });
      return;
    }
    const tag = nameAddrTag(toHeader(response) ?? { uri: "", params: new Map() });
    if (this.ack) {
      if (tag === this.dialog?.remoteTag) this.host.sendAck(this.ack.request, this.ack.destination);
      else this.dropFork(response);
      return;
    }
    let dialog = this.dialog;
    if (!dialog || dialog.remoteTag !== tag) {
      if (dialog) this.host.untrack(dialog.id);
      dialog = Dialog.asUac(this.invite, response);
      if (!dialog) {
        this.failed(502, "error");
        return;
      }
      this.dialog = dialog;
      this.host.track(dialog.id, this);
    }
    dialog.confirm(response);
    const destination = dialog.destination(this.protocol) ?? this.destination;
    const seq = Number.parseInt(this.invite.headers.get("CSeq") ?? "1", 10);
    this.ack = { request: dialog.createRequest("ACK", { cseq: seq }), destination };
    this.host.sendAck(this.ack.request, destination);
    this.current = "confirmed";
    if (response.body.length > 0) this.remoteSdp = response.body.toString("utf8");
    this.resolveAnswered({ ok: true, response });
    // Answered while our CANCEL was on its way: the call exists now, so end it properly.
    if (this.cancelRequested) void this.hangup();
  }

  /** A 2xx from a second branch of a forked INVITE: acknowledge it and hang that dialog up. */
  private dropFork(response: SipResponse): void {
    const fork = Dialog.asUac(this.invite, response);
    const destination = fork?.destination(this.protocol);
    if (!fork || !destination) return;
    const seq = Number.parseInt(this.invite.headers.get("CSeq") ?? "1", 10);
    this.host.sendAck(fork.createRequest("ACK", { cseq: seq }), destination);
    this.host.sendRequest(fork.createRequest("BYE"), destination, {
      onResponse: () => {},
      onTimeout: () => {},
      onTransportError: () => {},
    });
  }

  private sendCancel(): void {
    this.cancelSent = true;
    const headers = new SipHeaders();
    const via = this.invite.headers.get("Via");
    if (via !== undefined) headers.append("Via", via);
    for (const route of this.invite.headers.getAll("Route")) headers.append("Route", route);
    headers.append("Max-Forwards", "70");
    for (const name of ["From", "To", "Call-ID"]) {
      const value = this.invite.headers.get(name);
      if (value !== undefined) headers.append(name, value);
    }
    headers.append("CSeq", `${Number.parseInt(this.invite.headers.get("CSeq") ?? "1", 10)} CANCEL`);
    const cancel: SipRequest = { type: "request", method: "CANCEL", uri: this.invite.uri, headers, body: Buffer.alloc(0) };
    this.host.sendRequest(cancel, this.destination, { onResponse: () => {}, onTimeout: () => {}, onTransportError: () => {} });
  }

  private failed(status: number, cause: "timeout" | "error"): void {
    if (this.current === "ended") return;
    this.resolveAnswered({ ok: false, status });
    this.finish({ by: "local", cause, status });
  }

  protected override finish(end: Parameters<Leg["finish"]>[0]): void {
    super.finish(end);
    this.progressListeners.clear();
  }
}
