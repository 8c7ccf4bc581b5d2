import { parseUri } from "../uri/uri.js";
import { cseqHeader, maxForwardsHeader } from "./cseq.js";
import { authorizationHeader } from "./digest.js";
import { SipStreamFramer } from "./framer.js";
import type { SipLimits, SipMessage } from "./model.js";
import { contactHeaders, fromHeader, routeHeaders, toHeader } from "./name-addr.js";
import { parseSipMessage } from "./parse.js";
import { serializeSipMessage } from "./serialize.js";
import { topVia } from "./via.js";

/**
 * The parser's fuzzing harness, shared by the property test in the suite (fast-check, 10,000 cases) and the
 * standalone `npm run fuzz:sip` (a million cases): a corpus of valid messages, mutations of them, and the
 * check that the parser neither throws nor accepts a message it cannot write back identically.
 */
const lines = (...parts: string[]): string => `${parts.join("\r\n")}\r\n`;

const SDP = lines(
  "v=0",
  "o=alice 2890844526 2890844526 IN IP4 192.0.2.10",
  "s=-",
  "c=IN IP4 192.0.2.10",
  "t=0 0",
  "m=audio 49170 RTP/AVP 0 8 101",
  "a=rtpmap:0 PCMU/8000",
  "a=rtpmap:8 PCMA/8000",
  "a=rtpmap:101 telephone-event/8000",
  "a=fmtp:101 0-16",
  "a=sendrecv",
);

export const FUZZ_CORPUS: readonly string[] = [
  lines(
    "INVITE sip:+15550100@127.0.0.1:5060 SIP/2.0",
    "Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK776asdhds;rport",
    "Max-Forwards: 70",
    'From: "Alice Liddell" <sip:alice@example.com>;tag=1928301774',
    "To: <sip:+15550100@127.0.0.1>",
    "Call-ID: a84b4c76e66710@pc33.example.com",
    "CSeq: 314159 INVITE",
    "Contact: <sip:alice@192.0.2.10:5062;transport=udp>",
    "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS",
    "Content-Type: application/sdp",
    `Content-Length: ${Buffer.byteLength(SDP)}`,
    "",
  ) + SDP,
  lines(
    "SIP/2.0 200 OK",
    "v: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK776asdhds;received=192.0.2.10;rport=5062",
    "v: SIP/2.0/TCP proxy.example.com;branch=z9hG4bKnashds8, SIP/2.0/UDP [2001:db8::1]:5070;branch=z9hG4bK1",
    "f: Alice <sip:alice@example.com>;tag=1928301774",
    "t: <sip:bob@example.com>;tag=a6c85cf",
    "i: a84b4c76e66710",
    "CSeq: 314159 INVITE",
    "m: <sip:bob@192.0.2.4>;expires=60, sip:bob@192.0.2.5;q=0.5",
    "Record-Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>",
    "l: 0",
    "",
  ),
  lines(
    "REGISTER sip:registrar.example.com SIP/2.0",
    "Via: SIP/2.0/TCP 192.0.2.4:5060;branch=z9hG4bKnashds7",
    "Max-Forwards: 70",
    "To: Bob <sip:bob@example.com>",
    "From: Bob <sip:bob@example.com>;tag=456248",
    "Call-ID: 843817637684230@998sdasdh09",
    "CSeq: 1826 REGISTER",
    "Contact: <sip:bob@192.0.2.4>",
    'Authorization: Digest username="bob", realm="example.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093",',
    ' uri="sip:registrar.example.com", response="6629fae49393a05397450978507c4ef1", algorithm=MD5,',
    '\tqop=auth, nc=00000001, cnonce="0a4f113b"',
    "Expires: 7200",
    "Content-Length: 0",
    "",
  ),
  lines(
    "SIP/2.0 401 Unauthorized",
    "Via: SIP/2.0/TCP 192.0.2.4:5060;branch=z9hG4bKnashds7;received=192.0.2.4",
    "To: Bob <sip:bob@example.com>;tag=2493k59kd",
    "From: Bob <sip:bob@example.com>;tag=456248",
    "Call-ID: 843817637684230@998sdasdh09",
    "CSeq: 1826 REGISTER",
    'WWW-Authenticate: Digest realm="example.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", algorithm=MD5',
    "Content-Length: 0",
    "",
  ),
  lines(
    "BYE sip:alice@192.0.2.10:5062 SIP/2.0",
    "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK.bye.1",
    "Max-Forwards: 70",
    "Route: <sip:p2.example.com;lr>,<sip:p1.example.com;lr>",
    "From: <sip:+15550100@127.0.0.1>;tag=a6c85cf",
    'To: "Alice, \\"the\\" caller" <sip:alice@example.com>;tag=1928301774',
    "Call-ID: a84b4c76e66710@pc33.example.com",
    "CSeq: 1 BYE",
    "Subject: a folded",
    "   subject line",
    "Content-Length: 0",
    "",
  ),
  lines(
    "OPTIONS sips:user%20name:pw@[2001:db8::10]:5061;transport=tcp;lr?subject=x&priority=urgent SIP/2.0",
    "Via: SIP/2.0/TLS [2001:db8::1]:5061;branch=z9hG4bKopts",
    "Max-Forwards: 0",
    "From: sip:probe@example.com;tag=x",
    "To: tel:+1-555-0100;phone-context=example.com",
    "Call-ID: opts-1",
    "CSeq: 7 OPTIONS",
    "Accept: application/sdp",
    "Content-Length: 0",
    "",
  ),
];

/** A small, fast, seedable generator (xorshift32), so that a failing case can be replayed from its seed. */
export class FuzzRandom {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }
  below(n: number): number {
    return this.next() % n;
  }
}

const INTERESTING = [
  "\r\n",
  "\r\n ",
  "\r\n\r\n",
  "\r",
  "\n",
  " ",
  "\t",
  ":",
  ",",
  ";",
  '"',
  "\\",
  "<",
  ">",
  "@",
  "[",
  "]",
  "=",
  "%",
  "\x00",
  "\x7f",
  "\xff",
  "SIP/2.0",
  "SIP/3.0",
  "Content-Length: 99999\r\n",
  "l: 0\r\n",
  "Via: SIP/2.0/UDP x;branch=z9hG4bK\r\n",
  "v: ,,,\r\n",
  "CSeq: 4294967296 INVITE\r\n",
  ";tag=",
  "z9hG4bK",
  "é",
];

/** One mutation of `input`, chosen by `random`; sometimes several stacked, sometimes pure noise. */
export function mutate(input: Buffer, random: FuzzRandom): Buffer {
  let bytes = input;
  const rounds = 1 + random.below(4);
  for (let round = 0; round < rounds; round++) {
    const at = bytes.length === 0 ? 0 : random.below(bytes.length + 1);
    switch (random.below(9)) {
      case 0: {
        const copy = Buffer.from(bytes);
        if (copy.length > 0) copy[random.below(copy.length)] = random.below(256);
        bytes = copy;
        break;
      }
      case 1:
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([random.below(256)]), bytes.subarray(at)]);
        break;
      case 2:
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + 1 + random.below(16)))]);
        break;
      case 3: {
        const token = INTERESTING[random.below(INTERESTING.length)] ?? "";
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(token, "latin1"), bytes.subarray(at)]);
        break;
      }
      case 4: {
        const from = random.below(bytes.length + 1);
        const piece = bytes.subarray(from, from + random.below(64));
        bytes = Buffer.concat([bytes.subarray(0, at), piece, bytes.subarray(at)]);
        break;
      }
      case 5:
        bytes = bytes.subarray(0, at);
        break;
      case 6: {
        const other = Buffer.from(FUZZ_CORPUS[random.below(FUZZ_CORPUS.length)] ?? "");
        bytes = Buffer.concat([bytes.subarray(0, at), other.subarray(random.below(other.length + 1))]);
        break;
      }
      case 7: {
        // Flip the case of a run of letters: header names and methods are compared with care for case.
        const copy = Buffer.from(bytes);
        for (let i = at; i < Math.min(copy.length, at + 8); i++) {
          const b = copy[i] ?? 0;
          if ((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a)) copy[i] = b ^ 0x20;
        }
        bytes = copy;
        break;
      }
      default: {
        const noise = Buffer.alloc(random.below(256));
        for (let i = 0; i < noise.length; i++) noise[i] = random.below(256);
        bytes = random.below(2) === 0 ? noise : Buffer.concat([bytes.subarray(0, at), noise]);
      }
    }
  }
  return bytes;
}

/** Limits loose enough that re-serializing (compact names spelled out, lists one per line) stays within them. */
const RELAXED: SipLimits = { maxMessageBytes: 1 << 20, maxHeaderBytes: 1 << 20, maxHeaders: 100_000 };

export function sameMessage(a: SipMessage, b: SipMessage): boolean {
  if (a.type !== b.type) return false;
  if (a.type === "request" && b.type === "request" && (a.method !== b.method || a.uri !== b.uri)) return false;
  if (a.type === "response" && b.type === "response" && (a.status !== b.status || a.reason !== b.reason)) return false;
  const ha = a.headers.entries();
  const hb = b.headers.entries();
  if (ha.length !== hb.length) return false;
  for (let i = 0; i < ha.length; i++) {
    if (ha[i]?.name !== hb[i]?.name || ha[i]?.value !== hb[i]?.value) return false;
  }
  return a.body.equals(b.body);
}

export type FuzzVerdict = "accepted" | "rejected";

/**
 * Feeds one input to the parser, the typed accessors and the framer. Returns the verdict, or throws an Error
 * describing the defect: a throw from our code, or an accepted message that does not survive a round trip.
 */
export function checkParser(input: Uint8Array): FuzzVerdict {
  const framer = new SipStreamFramer();
  const half = input.length >> 1;
  framer.push(input.subarray(0, half));
  framer.push(input.subarray(half));
  const result = parseSipMessage(input);
  if (!result.ok) {
    if (result.partial) topVia({ type: "request", ...result.partial, body: Buffer.alloc(0) });
    return "rejected";
  }
  const message = result.message;
  topVia(message);
  fromHeader(message);
  toHeader(message);
  contactHeaders(message);
  routeHeaders(message, "Record-Route");
  cseqHeader(message);
  maxForwardsHeader(message);
  authorizationHeader(message, "Authorization");
  if (message.type === "request") parseUri(message.uri);
  const again = parseSipMessage(serializeSipMessage(message), { limits: RELAXED });
  if (!again.ok) throw new Error(`accepted message no longer parses after serialization: ${again.reason}`);
  if (!sameMessage(message, again.message)) throw new Error("accepted message changed in a round trip");
  const framed = new SipStreamFramer(RELAXED).push(serializeSipMessage(message));
  if (framed.length !== 1 || framed[0]?.kind !== "message") throw new Error("serialized message does not frame as one");
  return "accepted";
}

export interface FuzzReport {
  readonly cases: number;
  readonly accepted: number;
  readonly rejected: number;
  /** Inputs that made our code throw or broke the round trip (expected: 0). */
  readonly crashCount: number;
  /** The first few of them, replayable by seed. */
  readonly crashes: readonly { readonly seed: number; readonly input: string; readonly error: string }[];
  readonly millis: number;
}

/** Runs `cases` mutated inputs; each case is replayable from its own seed (`mutate(corpus[seed % n], new FuzzRandom(seed))`). */
export function fuzzSipParser(cases: number, firstSeed = 1, onProgress?: (done: number) => void): FuzzReport {
  const corpus = FUZZ_CORPUS.map((text) => Buffer.from(text));
  const crashes: { seed: number; input: string; error: string }[] = [];
  let accepted = 0;
  let rejected = 0;
  let crashCount = 0;
  const started = performance.now();
  for (let i = 0; i < cases; i++) {
    const seed = firstSeed + i;
    const input = fuzzInput(corpus, seed);
    try {
      if (checkParser(input) === "accepted") accepted++;
      else rejected++;
    } catch (error) {
      crashCount++;
      if (crashes.length < 20) crashes.push({ seed, input: input.toString("base64"), error: String(error) });
    }
    if (onProgress && (i + 1) % 100_000 === 0) onProgress(i + 1);
  }
  return { cases, accepted, rejected, crashCount, crashes, millis: performance.now() - started };
}

export function fuzzInput(corpus: readonly Buffer[], seed: number): Buffer {
  const base = corpus[seed % corpus.length] ?? Buffer.alloc(0);
  return mutate(base, new FuzzRandom(seed));
}
