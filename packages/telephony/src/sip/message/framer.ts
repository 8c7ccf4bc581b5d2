import { DEFAULT_SIP_LIMITS, type SipLimits } from "./model.js";

export type Frame =
  /** One whole message, to hand to `parseSipMessage`. */
  | { readonly kind: "message"; readonly bytes: Buffer }
  /** A CRLF CRLF keep-alive ping between messages (RFC 5626 §3.5.1); answer it with one CRLF. */
  | { readonly kind: "keepalive" }
  /**
   * The stream cannot be framed any further (no or bad Content-Length, too large): answer `head` with an
   * error if it is a request, then close the connection. `head` is the header section when it was complete.
   */
  | { readonly kind: "error"; readonly reason: string; readonly status: 400 | 513; readonly head?: Buffer };

const CRLFCRLF = Buffer.from("\r\n\r\n");
const CONTENT_LENGTH = /^(?:content-length|l)[ \t]*:[ \t]*(\S*)[ \t]*$/gim;

/**
 * Cuts a TCP byte stream into messages by their Content-Length (RFC 3261 §18.3), whatever the chunking:
 * a message split over many reads, several messages in one read. After an error it yields nothing more.
 */
export class SipStreamFramer {
  private buffered: Buffer = Buffer.alloc(0);
  private failed = false;

  constructor(private readonly limits: SipLimits = DEFAULT_SIP_LIMITS) {}

  push(chunk: Uint8Array): Frame[] {
    if (this.failed) return [];
    this.buffered = this.buffered.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buffered, chunk]);
    const frames: Frame[] = [];
    for (;;) {
      const frame = this.next();
      if (frame === undefined) break;
      frames.push(frame);
      if (frame.kind === "error") {
        this.failed = true;
        this.buffered = Buffer.alloc(0);
        break;
      }
    }
    return frames;
  }

  /** Bytes received but not yet part of a whole message. */
  get pending(): number {
    return this.buffered.length;
  }

  private next(): Frame | undefined {
    const data = this.buffered;
    if (data.length >= 4 && data.subarray(0, 4).equals(CRLFCRLF)) {
      this.buffered = data.subarray(4);
      return { kind: "keepalive" };
    }
    let start = 0;
    while (start + 1 < data.length && data[start] === 0x0d && data[start + 1] === 0x0a) start += 2;
    if (start > 0 && start + 1 >= data.length) return undefined;
    const headEnd = data.indexOf(CRLFCRLF, start);
    if (headEnd === -1) {
      if (data.length - start > this.limits.maxMessageBytes) return { kind: "error", reason: "message too large", status: 513 };
      return undefined;
    }
    const head = data.subarray(start, headEnd + 4);
    const lengths = [...head.toString("latin1").matchAll(CONTENT_LENGTH)].map((match) => match[1] ?? "");
    const distinct = new Set(lengths);
    const value = [...distinct][0];
    if (value === undefined) return { kind: "error", reason: "missing Content-Length on a stream", status: 400, head };
    if (distinct.size > 1 || !/^\d{1,10}$/.test(value)) {
      return { kind: "error", reason: "malformed Content-Length", status: 400, head };
    }
    const total = head.length + Number(value);
    if (total > this.limits.maxMessageBytes) return { kind: "error", reason: "message too large", status: 513, head };
    if (data.length - start < total) return undefined;
    const bytes = Buffer.from(data.subarray(start, start + total));
    this.buffered = data.subarray(start + total);
    return { kind: "message", bytes };
  }
}
