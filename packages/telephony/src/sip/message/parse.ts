import { isUtf8 } from "node:buffer";
import { parseCSeq } from "./cseq.js";
import { canonicalHeaderName, isListHeader, isToken } from "./header-names.js";
import { SipHeaders } from "./headers.js";
import { hasControlCharacter, splitOutside } from "./lexer.js";
import {
  DEFAULT_SIP_LIMITS,
  type SipLimits,
  type SipMessage,
  type SipParseFailure,
  type SipParseResult,
  type SipRequest,
} from "./model.js";
import { parseNameAddr } from "./name-addr.js";
import { parseVia } from "./via.js";

const CRLFCRLF = Buffer.from("\r\n\r\n");
const SCHEME_URI = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;
const DIGITS = /^\d{1,10}$/;

export interface ParseOptions {
  readonly limits?: SipLimits;
}

const fail = (reason: string, status: SipParseFailure["status"] = 400, partial?: SipParseFailure["partial"]): SipParseFailure =>
  partial === undefined ? { ok: false, reason, status } : { ok: false, reason, status, partial };

/**
 * Parses one SIP message (a UDP datagram, or one frame the stream framer cut). Never throws: every defect
 * is a `{ ok: false }` value with the status a request deserves. A message that parses is one this stack can
 * act on: start line, Via, From, To, Call-ID and CSeq are well formed and the body is exactly framed.
 */
export function parseSipMessage(data: Uint8Array, options: ParseOptions = {}): SipParseResult {
  const limits = options.limits ?? DEFAULT_SIP_LIMITS;
  if (data.length > limits.maxMessageBytes) return fail("message too large", 513);
  const buffer = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.length);
  // RFC 3261 §7.5: empty lines before the start line are ignored (keep-alives, sloppy senders).
  let start = 0;
  while (start + 1 < buffer.length && buffer[start] === 0x0d && buffer[start + 1] === 0x0a) start += 2;
  const headEnd = buffer.indexOf(CRLFCRLF, start);
  if (headEnd === -1) return fail("no empty line after the headers");
  if (!isUtf8(buffer.subarray(start, headEnd))) return fail("headers are not UTF-8");
  const lines = buffer.toString("utf8", start, headEnd).split("\r\n");
  const startLine = lines[0] ?? "";
  if (hasControlCharacter(startLine)) return fail("control character in the start line");

  const head = parseStartLine(startLine);
  if (!head.ok) {
    // A request of another SIP version still deserves its 505, addressed from its headers.
    if (head.request === undefined) return head;
    const headers = parseHeaderLines(lines, limits);
    return headers.headers === undefined
      ? fail(head.reason, head.status)
      : fail(head.reason, head.status, { ...head.request, headers: headers.headers });
  }

  const headers = parseHeaderLines(lines, limits);
  const partial =
    head.type === "request" && headers.headers !== undefined
      ? { method: head.method, uri: head.uri, headers: headers.headers }
      : undefined;
  if (!headers.ok) return fail(headers.reason, headers.status, partial);

  const bodyStart = headEnd + 4;
  const available = buffer.length - bodyStart;
  let bodyLength = available;
  if (headers.contentLength !== undefined) {
    if (headers.contentLength > available) return fail("body shorter than Content-Length", 400, partial);
    bodyLength = headers.contentLength;
  }
  const body = Buffer.from(buffer.subarray(bodyStart, bodyStart + bodyLength));

  const message: SipMessage =
    head.type === "request"
      ? { type: "request", method: head.method, uri: head.uri, headers: headers.headers, body }
      : { type: "response", status: head.status, reason: head.reason, headers: headers.headers, body };
  const problem = checkMandatoryHeaders(message);
  if (problem !== undefined) return fail(problem, 400, partial);
  return { ok: true, message };
}

type StartLine =
  | { ok: true; type: "request"; method: string; uri: string }
  | { ok: true; type: "response"; status: number; reason: string }
  | (SipParseFailure & { request?: { method: string; uri: string } });

function parseStartLine(line: string): StartLine {
  if (line.startsWith("SIP/")) {
    const space = line.indexOf(" ");
    const version = space === -1 ? line : line.slice(0, space);
    if (version !== "SIP/2.0") return fail(`unsupported version ${version.slice(0, 16)}`, 505);
    const match = /^SIP\/2\.0 ([1-6]\d\d)(?: (.*))?$/.exec(line);
    if (!match) return fail("malformed status line");
    return { ok: true, type: "response", status: Number(match[1]), reason: match[2] ?? "" };
  }
  const parts = line.split(" ");
  if (parts.length !== 3) return fail("malformed request line");
  const [method = "", uri = "", version = ""] = parts;
  if (!isToken(method)) return fail("malformed method");
  if (!SCHEME_URI.test(uri)) return fail("malformed Request-URI");
  if (version.toUpperCase() !== "SIP/2.0") {
    if (!/^SIP\/\d+\.\d+$/i.test(version)) return fail("malformed version");
    return { ...fail(`unsupported version ${version.slice(0, 16)}`, 505), request: { method, uri } };
  }
  return { ok: true, type: "request", method, uri };
}

type HeaderLines =
  | { ok: true; headers: SipHeaders; contentLength: number | undefined }
  | (SipParseFailure & { headers?: SipHeaders });

/**
 * Reads the header lines. A malformed line fails the message, but the lines around it are still read (up to the
 * limits), so that the failure can carry what a 400 needs: Via, From, To, Call-ID and CSeq.
 */
function parseHeaderLines(lines: readonly string[], limits: SipLimits): HeaderLines {
  const entries: { name: string; value: string }[] = [];
  let contentLength: number | undefined;
  let firstProblem: SipParseFailure | undefined;
  const take = (text: string): SipParseFailure | undefined => {
    if (text.length > limits.maxHeaderBytes || Buffer.byteLength(text) > limits.maxHeaderBytes) {
      return fail("header line too long");
    }
    const colon = text.indexOf(":");
    if (colon === -1) return fail("header without a colon");
    const rawName = text.slice(0, colon).trimEnd();
    if (!isToken(rawName)) return fail("malformed header name");
    const name = canonicalHeaderName(rawName);
    const value = text.slice(colon + 1).trim();
    if (name === "Content-Length") {
      if (!DIGITS.test(value)) return fail("malformed Content-Length");
      const length = Number(value);
      if (contentLength !== undefined && contentLength !== length) return fail("conflicting Content-Length");
      contentLength = length;
      return undefined;
    }
    if (isListHeader(name)) {
      for (const part of splitOutside(value, ",")) if (part !== "") entries.push({ name, value: part });
    } else {
      entries.push({ name, value });
    }
    return undefined;
  };
  const finish = (field: string | undefined): boolean => {
    if (field === undefined) return true;
    const problem = take(field);
    firstProblem ??= problem;
    if (entries.length > limits.maxHeaders) {
      firstProblem = fail("too many headers");
      return false;
    }
    return true;
  };
  let field: string | undefined;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (hasControlCharacter(line)) {
      firstProblem ??= fail("control character in a header");
      if (!finish(field)) break;
      field = undefined;
      continue;
    }
    const first = line.charCodeAt(0);
    if (first === 0x20 || first === 0x09) {
      // Folded line (LWS continuation): one space stands for the fold.
      if (field === undefined) {
        firstProblem ??= fail("continuation line before any header");
        continue;
      }
      field = `${field.trimEnd()} ${line.trim()}`;
      if (field.length > limits.maxHeaderBytes) {
        firstProblem ??= fail("header line too long");
        field = undefined;
      }
      continue;
    }
    if (!finish(field)) break;
    field = line;
  }
  finish(field);
  const headers = SipHeaders.fromEntries(entries);
  if (firstProblem) return { ...firstProblem, headers };
  return { ok: true, headers, contentLength };
}

function checkMandatoryHeaders(message: SipMessage): string | undefined {
  const { headers } = message;
  const via = headers.get("Via");
  if (via === undefined) return "missing Via";
  if (parseVia(via) === undefined) return "malformed Via";
  for (const name of ["From", "To"] as const) {
    const values = headers.getAll(name);
    if (values.length !== 1) return values.length === 0 ? `missing ${name}` : `more than one ${name}`;
    if (parseNameAddr(values[0] ?? "") === undefined) return `malformed ${name}`;
  }
  const callIds = headers.getAll("Call-ID");
  if (callIds.length !== 1) return callIds.length === 0 ? "missing Call-ID" : "more than one Call-ID";
  if (!/^\S+$/.test(callIds[0] ?? "")) return "malformed Call-ID";
  const cseqs = headers.getAll("CSeq");
  if (cseqs.length !== 1) return cseqs.length === 0 ? "missing CSeq" : "more than one CSeq";
  const cseq = parseCSeq(cseqs[0] ?? "");
  if (cseq === undefined) return "malformed CSeq";
  if (message.type === "request" && cseq.method !== (message as SipRequest).method)
    return "CSeq method differs from the request's";
  const maxForwards = headers.get("Max-Forwards");
  if (maxForwards !== undefined && !/^\d{1,3}$/.test(maxForwards)) return "malformed Max-Forwards";
  return undefined;
}
