import { describe, expect, it } from "vitest";
import { cseqHeader, maxForwardsHeader } from "./cseq.js";
import { FUZZ_CORPUS } from "./fuzz.js";
import type { SipMessage } from "./model.js";
import { parseSipMessage } from "./parse.js";
import { serializeSipMessage } from "./serialize.js";

const lines = (...parts: string[]) => Buffer.from(`${parts.join("\r\n")}\r\n`);

const BASIC = [
  "OPTIONS sip:carol@chicago.example.com SIP/2.0",
  "Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bKhjhs8ass877",
  "Max-Forwards: 70",
  "To: <sip:carol@chicago.example.com>",
  "From: Alice <sip:alice@example.com>;tag=1928301774",
  "Call-ID: a84b4c76e66710",
  "CSeq: 63104 OPTIONS",
  "Accept: application/sdp",
  "Content-Length: 0",
  "",
];

function parsed(bytes: Buffer): SipMessage {
  const result = parseSipMessage(bytes);
  if (!result.ok) throw new Error(result.reason);
  return result.message;
}

function refused(bytes: Buffer) {
  const result = parseSipMessage(bytes);
  if (result.ok) throw new Error("expected a parse failure");
  return result;
}

describe("parseSipMessage", () => {
  it("reads a request line, headers and an empty body", () => {
    const message = parsed(lines(...BASIC));
    expect(message).toMatchObject({ type: "request", method: "OPTIONS", uri: "sip:carol@chicago.example.com" });
    expect(message.headers.get("call-id")).toBe("a84b4c76e66710");
    expect(cseqHeader(message)).toEqual({ seq: 63104, method: "OPTIONS" });
    expect(maxForwardsHeader(message)).toBe(70);
    expect(message.body.length).toBe(0);
    expect(message.headers.has("Content-Length")).toBe(false);
  });

  it("reads a status line, compact headers and splits list headers outside quotes and angle brackets", () => {
    const message = parsed(Buffer.from(FUZZ_CORPUS[1] ?? ""));
    expect(message).toMatchObject({ type: "response", status: 200, reason: "OK" });
    expect(message.headers.getAll("Via")).toEqual([
      "SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK776asdhds;received=192.0.2.10;rport=5062",
      "SIP/2.0/TCP proxy.example.com;branch=z9hG4bKnashds8",
      "SIP/2.0/UDP [2001:db8::1]:5070;branch=z9hG4bK1",
    ]);
    expect(message.headers.get("f")).toBe("Alice <sip:alice@example.com>;tag=1928301774");
    expect(message.headers.getAll("Contact")).toHaveLength(2);
    expect(message.headers.getAll("Record-Route")).toEqual(["<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>"]);
    expect(message.headers.entries().map((h) => h.name)).toContain("Call-ID");
  });

  it("keeps commas inside quoted display names and never splits Authorization", () => {
    const bye = parsed(Buffer.from(FUZZ_CORPUS[4] ?? ""));
    expect(bye.headers.getAll("To")).toEqual(['"Alice, \\"the\\" caller" <sip:alice@example.com>;tag=1928301774']);
    expect(bye.headers.getAll("Route")).toEqual(["<sip:p2.example.com;lr>", "<sip:p1.example.com;lr>"]);
    const register = parsed(Buffer.from(FUZZ_CORPUS[2] ?? ""));
    expect(register.headers.getAll("Authorization")).toHaveLength(1);
  });

  it("unfolds continuation lines into one space", () => {
    const bye = parsed(Buffer.from(FUZZ_CORPUS[4] ?? ""));
    expect(bye.headers.get("Subject")).toBe("a folded subject line");
    const register = parsed(Buffer.from(FUZZ_CORPUS[2] ?? ""));
    expect(register.headers.get("Authorization")).toContain('algorithm=MD5, qop=auth, nc=00000001, cnonce="0a4f113b"');
  });

  it("frames the body by Content-Length, discarding extra bytes of a datagram", () => {
    const message = parsed(Buffer.from(`${FUZZ_CORPUS[0]}garbage after the body`));
    expect(message.body.toString()).toMatch(/^v=0\r\n[\s\S]*a=sendrecv\r\n$/);
    const withoutLength = lines(...BASIC.slice(0, -2), "", "hello");
    expect(parsed(withoutLength).body.toString()).toBe("hello\r\n");
  });

  it("ignores empty lines before the start line", () => {
    expect(parsed(Buffer.concat([Buffer.from("\r\n\r\n"), lines(...BASIC)])).type).toBe("request");
  });

  it.each([
    ["an empty input", Buffer.alloc(0), 400],
    ["no end of headers", Buffer.from("OPTIONS sip:a@b SIP/2.0\r\nVia: x\r\n"), 400],
    ["a bad version", lines("OPTIONS sip:a@b SIP/3.0", ...BASIC.slice(1)), 505],
    ["a response with a bad version", Buffer.from("SIP/1.0 200 OK\r\n\r\n"), 505],
    ["two spaces in the request line", lines("OPTIONS  sip:a@b SIP/2.0", ...BASIC.slice(1)), 400],
    ["a method that is not a token", lines("OPT(IONS sip:a@b SIP/2.0", ...BASIC.slice(1)), 400],
    ["a Request-URI without scheme", lines("OPTIONS carol SIP/2.0", ...BASIC.slice(1)), 400],
    ["a status out of range", lines("SIP/2.0 700 Odd", ...BASIC.slice(1)), 400],
    ["a body shorter than Content-Length", lines(...BASIC.slice(0, -2), "Content-Length: 10", ""), 400],
    ["conflicting Content-Length", lines(...BASIC.slice(0, -2), "l: 0", "Content-Length: 1", "", "x"), 400],
    ["a negative Content-Length", lines(...BASIC.slice(0, -2), "Content-Length: -1", ""), 400],
    ["a header without colon", lines(...BASIC.slice(0, 3), "Garbage", ...BASIC.slice(3)), 400],
    ["a NUL in a header", lines(...BASIC.slice(0, 3), "Subject: a\x00b", ...BASIC.slice(3)), 400],
    ["a bare LF in a header", lines(...BASIC.slice(0, 3), "Subject: a\nb", ...BASIC.slice(3)), 400],
    ["a continuation before any header", lines(BASIC[0] ?? "", " folded", ...BASIC.slice(1)), 400],
    ["missing Via", lines(...BASIC.filter((l) => !l.startsWith("Via"))), 400],
    ["missing Call-ID", lines(...BASIC.filter((l) => !l.startsWith("Call-ID"))), 400],
    ["two From headers", lines(...BASIC.slice(0, 3), "From: <sip:x@y>;tag=2", ...BASIC.slice(3)), 400],
    ["a CSeq of another method", lines(...BASIC.map((l) => (l.startsWith("CSeq") ? "CSeq: 1 INVITE" : l))), 400],
    ["a CSeq beyond 2**31", lines(...BASIC.map((l) => (l.startsWith("CSeq") ? "CSeq: 2147483648 OPTIONS" : l))), 400],
    ["a malformed Via", lines(...BASIC.map((l) => (l.startsWith("Via") ? "Via: SIP/2.0 pc33" : l))), 400],
    ["a malformed From", lines(...BASIC.map((l) => (l.startsWith("From") ? "From: Alice <sip:alice" : l))), 400],
    ["a malformed Max-Forwards", lines(...BASIC.map((l) => (l.startsWith("Max-Forwards") ? "Max-Forwards: ten" : l))), 400],
    ["headers that are not UTF-8", lines(...BASIC.slice(0, 3), "Subject: \xff\xfe", ...BASIC.slice(3)).fill(0xff, 150, 151), 400],
  ])("refuses %s", (_name, bytes, status) => {
    expect(refused(bytes).status).toBe(status);
  });

  it("enforces the size limits", () => {
    const big = lines(...BASIC.slice(0, -2), `Subject: ${"x".repeat(70_000)}`, "Content-Length: 0", "");
    expect(refused(big)).toMatchObject({ status: 513 });
    const longLine = lines(...BASIC.slice(0, -2), `Subject: ${"x".repeat(9_000)}`, "Content-Length: 0", "");
    expect(refused(longLine).reason).toBe("header line too long");
    const many = lines(...BASIC.slice(0, -2), ...Array.from({ length: 100 }, (_, i) => `X-H${i}: ${i}`), "Content-Length: 0", "");
    expect(refused(many).reason).toBe("too many headers");
    const manyValues = lines(...BASIC.slice(0, -2), `Allow: ${Array.from({ length: 100 }, () => "INVITE").join(",")}`, "");
    expect(refused(manyValues).reason).toBe("too many headers");
  });

  it("returns what it read of a refused request, so that a 400 can be addressed", () => {
    const failure = refused(lines(...BASIC.map((l) => (l.startsWith("CSeq") ? "CSeq: x OPTIONS" : l))));
    expect(failure.partial?.method).toBe("OPTIONS");
    expect(failure.partial?.headers.get("Via")).toContain("branch=z9hG4bKhjhs8ass877");
  });

  it("writes back what it read (round trip)", () => {
    for (const text of FUZZ_CORPUS) {
      const message = parsed(Buffer.from(text));
      const again = parsed(serializeSipMessage(message));
      expect(again).toEqual(message);
    }
  });

  it("serializes full names, one value per line and the body's Content-Length", () => {
    const text = serializeSipMessage(parsed(Buffer.from(FUZZ_CORPUS[1] ?? ""))).toString();
    expect(text).toMatch(/^SIP\/2\.0 200 OK\r\nVia: SIP\/2\.0\/UDP 192\.0\.2\.10:5062;/);
    expect(text.match(/^Via: /gm)).toHaveLength(3);
    expect(text).toContain("\r\nFrom: Alice <sip:alice@example.com>;tag=1928301774\r\n");
    expect(text.endsWith("Content-Length: 0\r\n\r\n")).toBe(true);
  });

  it("parses a typical INVITE fast", () => {
    const bytes = Buffer.from(FUZZ_CORPUS[0] ?? "");
    const started = performance.now();
    const runs = 20_000;
    for (let i = 0; i < runs; i++) parseSipMessage(bytes);
    const microseconds = ((performance.now() - started) * 1000) / runs;
    console.log(`parseSipMessage: ${microseconds.toFixed(1)} µs per INVITE with SDP`);
    expect(microseconds).toBeGreaterThan(0);
  });
});
