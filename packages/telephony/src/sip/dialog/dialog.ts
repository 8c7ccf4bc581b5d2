import { cseqHeader } from "../message/cseq.js";
import { SipHeaders } from "../message/headers.js";
import type { SipRequest, SipResponse } from "../message/model.js";
import { contactHeaders, fromHeader, nameAddrTag, parseNameAddr, routeHeaders, toHeader } from "../message/name-addr.js";
import type { Destination, TransportProtocol } from "../transaction/model.js";
import { parseSipUri } from "../uri/uri.js";
import { destinationOf } from "./destination.js";

export type DialogState = "early" | "confirmed" | "terminated";

export interface DialogRequestOptions {
  /** Our Contact URI (RFC 3261 §12.2.1.1: in every target-refresh request). */
  readonly contact?: string;
  readonly body?: Buffer;
  readonly contentType?: string;
  readonly headers?: readonly (readonly [string, string])[];
  /** For ACK (and CANCEL): reuse this sequence number instead of taking the next one. */
  readonly cseq?: number;
}

/**
 * RFC 3261 §12: the peer-to-peer relationship an INVITE creates, identified by Call-ID and the two tags,
 * with both sequence numbers, the peer's target and the route set. Requests inside it are built here;
 * the transaction layer sends them.
 */
export class Dialog {
  state: DialogState;
  private routeSet: string[];

  private constructor(
    readonly role: "uas" | "uac",
    readonly callId: string,
    readonly localTag: string,
    public remoteTag: string,
    /** Our From (UAC) or To (UAS) URI, without tag, as a name-addr. */
    readonly localAddress: string,
    readonly remoteAddress: string,
    public localSeq: number,
    public remoteSeq: number | undefined,
    public remoteTarget: string,
    routeSet: string[],
    state: DialogState,
  ) {
    this.routeSet = routeSet;
    this.state = state;
  }

  /** RFC 3261 §12.1.1: the UAS side, from the request and the tag we put in our response's To. */
  static asUas(request: SipRequest, localTag: string, state: DialogState = "early"): Dialog | undefined {
    const from = fromHeader(request);
    const to = toHeader(request);
    const contacts = contactHeaders(request);
    const cseq = cseqHeader(request);
    const routes = routeHeaders(request, "Record-Route");
    const callId = request.headers.get("Call-ID");
    if (!from || !to || !cseq || !routes || callId === undefined) return undefined;
    const target = Array.isArray(contacts) ? contacts[0]?.uri : undefined;
    return new Dialog(
      "uas",
      callId,
      localTag,
      nameAddrTag(from) ?? "",
      withoutTag(request.headers.get("To") ?? ""),
      withoutTag(request.headers.get("From") ?? ""),
      0,
      cseq.seq,
      target ?? from.uri,
      request.headers.getAll("Record-Route"),
      state,
    );
  }

  /** RFC 3261 §12.1.2: the UAC side, from our request and a response with a To tag. */
  static asUac(request: SipRequest, response: SipResponse): Dialog | undefined {
    const from = fromHeader(request);
    const to = toHeader(response);
    const cseq = cseqHeader(request);
    const callId = request.headers.get("Call-ID");
    const remoteTag = to === undefined ? undefined : nameAddrTag(to);
    if (!from || !to || !cseq || callId === undefined || remoteTag === undefined) return undefined;
    const contacts = contactHeaders(response);
    const target = Array.isArray(contacts) ? contacts[0]?.uri : undefined;
    return new Dialog(
      "uac",
      callId,
      nameAddrTag(from) ?? "",
      remoteTag,
      withoutTag(request.headers.get("From") ?? ""),
      withoutTag(response.headers.get("To") ?? ""),
      cseq.seq,
      undefined,
      target ?? request.uri,
      response.headers.getAll("Record-Route").reverse(),
      response.status >= 200 ? "confirmed" : "early",
    );
  }

  get id(): string {
    return dialogId(this.callId, this.localTag, this.remoteTag);
  }

  get routes(): readonly string[] {
    return this.routeSet;
  }

  /** A 2xx to the dialog-creating INVITE sets the final target and route set (§12.1.2). */
  confirm(response?: SipResponse): void {
    if (response && this.role === "uac") {
      const contacts = contactHeaders(response);
      const target = Array.isArray(contacts) ? contacts[0]?.uri : undefined;
      if (target) this.remoteTarget = target;
      this.routeSet = response.headers.getAll("Record-Route").reverse();
    }
    this.state = "confirmed";
  }

  /** A target-refresh request or response (re-INVITE, its 2xx) may move the peer (§12.2). */
  refreshTarget(message: SipRequest | SipResponse): void {
    const contacts = contactHeaders(message);
    const target = Array.isArray(contacts) ? contacts[0]?.uri : undefined;
    if (target) this.remoteTarget = target;
  }

  /**
   * §12.2.2: a request whose CSeq is lower than the last one is out of order (answer 500). ACK and CANCEL
   * carry the INVITE's number and are not checked.
   */
  acceptRemoteSequence(request: SipRequest): boolean {
    if (request.method === "ACK" || request.method === "CANCEL") return true;
    const cseq = cseqHeader(request);
    if (!cseq) return false;
    if (this.remoteSeq !== undefined && cseq.seq <= this.remoteSeq) {
      // A retransmission never reaches here (the transaction absorbs it): lower or equal is out of order.
      return false;
    }
    this.remoteSeq = cseq.seq;
    return true;
  }

  /** A request inside the dialog (§12.2.1.1), without Via: the user agent adds one per transport. */
  createRequest(method: string, options: DialogRequestOptions = {}): SipRequest {
    let seq: number;
    if (options.cseq !== undefined) seq = options.cseq;
    else {
      this.localSeq += 1;
      seq = this.localSeq;
    }
    const headers = new SipHeaders();
    let uri = this.remoteTarget;
    const routes = [...this.routeSet];
    const first = routes[0] === undefined ? undefined : parseNameAddr(routes[0]);
    const firstUri = first === undefined ? undefined : parseSipUri(first.uri);
    if (first && firstUri && !firstUri.params.has("lr")) {
      // Strict routing (RFC 2543 proxies): the first route becomes the Request-URI, the target the last route.
      uri = first.uri;
      routes.shift();
      routes.push(`<${this.remoteTarget}>`);
    }
    for (const route of routes) headers.append("Route", route);
    headers.append("Max-Forwards", "70");
    headers.append("From", `${this.localAddress};tag=${this.localTag}`);
    headers.append("To", this.remoteTag === "" ? this.remoteAddress : `${this.remoteAddress};tag=${this.remoteTag}`);
    headers.append("Call-ID", this.callId);
    headers.append("CSeq", `${seq} ${method}`);
    if (options.contact !== undefined) headers.append("Contact", `<${options.contact}>`);
    for (const [name, value] of options.headers ?? []) headers.append(name, value);
    const body = options.body ?? Buffer.alloc(0);
    if (body.length > 0) headers.append("Content-Type", options.contentType ?? "application/sdp");
    return { type: "request", method, uri, headers, body };
  }

  /** Where requests in this dialog go: the first route, or the remote target. */
  destination(fallback: TransportProtocol = "udp"): Destination | undefined {
    const first = this.routeSet[0] === undefined ? undefined : parseNameAddr(this.routeSet[0]);
    return destinationOf(first?.uri ?? this.remoteTarget, fallback);
  }
}

export function dialogId(callId: string, localTag: string, remoteTag: string): string {
  return `${callId}\n${localTag}\n${remoteTag}`;
}

/** The name-addr of a From or To with its tag removed. */
function withoutTag(value: string): string {
  const addr = parseNameAddr(value);
  if (!addr) return value;
  const params = [...addr.params].filter(([name]) => name !== "tag");
  const name = addr.displayName === undefined ? "" : `"${addr.displayName.replace(/(["\\])/g, "\\$1")}" `;
  return `${name}<${addr.uri}>${params.map(([k, v]) => (v === null ? `;${k}` : `;${k}=${v}`)).join("")}`;
}
