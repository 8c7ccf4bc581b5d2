import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cseqHeader } from "./cseq.js";
import { checkParser, FUZZ_CORPUS, FuzzRandom, fuzzInput, fuzzSipParser, mutate } from "./fuzz.js";
import { fromHeader } from "./name-addr.js";
import { parseSipMessage } from "./parse.js";
import { serializeSipMessage } from "./serialize.js";
import { parseVia, viaBranch } from "./via.js";

const corpus = FUZZ_CORPUS.map((text) => Buffer.from(text));
const token = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9.!%*_+`'~-]{0,11}$/);
const word = fc.stringMatching(/^[a-z0-9]{1,10}$/);
const textValue = fc.stringMatching(/^[ -~]{0,40}$/).map((s) => s.trim());

/** Spells a header name the way some implementation out there does: any case, compact when it exists. */
function spelled(name: string, compact: string | undefined, style: number): string {
  if (compact !== undefined && style % 3 === 0) return style % 2 === 0 ? compact : compact.toUpperCase();
  if (style % 3 === 1) return name.toLowerCase();
  return style % 5 === 0 ? name.toUpperCase() : name;
}

const validRequest = fc
  .record({
    method: fc.constantFrom("INVITE", "OPTIONS", "BYE", "REGISTER", "INFO", "X-CUSTOM"),
    user: word,
    host: fc.constantFrom("example.com", "127.0.0.1", "[2001:db8::1]", "a.b.c"),
    branches: fc.array(word, { minLength: 1, maxLength: 4 }),
    tag: word,
    display: fc.option(fc.stringMatching(/^[ -!#-[\]-~]{1,20}$/), { nil: undefined }),
    callId: fc.stringMatching(/^[!-~]{1,30}$/),
    seq: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    extra: fc.array(fc.tuple(token, textValue), { maxLength: 6 }),
    body: fc.uint8Array({ maxLength: 200 }),
    styles: fc.array(fc.nat(30), { minLength: 8, maxLength: 8 }),
    fold: fc.boolean(),
    joinVias: fc.boolean(),
  })
  .map((r) => {
    const s = (i: number) => r.styles[i] ?? 0;
    const vias = r.branches.map((b, i) => `SIP/2.0/UDP 10.0.0.${i + 1}:5060;branch=z9hG4bK${b}`);
    const viaLines = r.joinVias
      ? [`${spelled("Via", "v", s(0))}: ${vias.join(" , ")}`]
      : vias.map((v) => `${spelled("Via", "v", s(0))}: ${v}`);
    const from = `${r.display === undefined ? "" : `"${r.display}" `}<sip:${r.user}@${r.host}>;tag=${r.tag}`;
    const head = [
      `${r.method} sip:${r.user}@${r.host} SIP/2.0`,
      ...viaLines,
      r.fold ? `${spelled("From", "f", s(1))}: ${from.replace(";", "\r\n\t;")}` : `${spelled("From", "f", s(1))}: ${from}`,
      `${spelled("To", "t", s(2))}: <sip:${r.user}@${r.host}>`,
      `${spelled("Call-ID", "i", s(3))}: ${r.callId}`,
      `${spelled("CSeq", undefined, s(4))}: ${r.seq} ${r.method}`,
      ...r.extra.map(([name, value]) => `X-${name}: ${value}`),
      `${spelled("Content-Length", "l", s(5))}: ${r.body.length}`,
    ];
    return { ...r, bytes: Buffer.concat([Buffer.from(`${head.join("\r\n")}\r\n\r\n`), r.body]) };
  });

describe("SIP parser fuzzing", () => {
  it("accepts generated valid requests, reads them right and writes them back identically", () => {
    fc.assert(
      fc.property(validRequest, (r) => {
        const result = parseSipMessage(r.bytes);
        if (!result.ok) throw new Error(`${result.reason}\n${r.bytes.toString()}`);
        const message = result.message;
        expect(
          message.headers.getAll("Via").map((v) => viaBranch(parseVia(v) ?? { transport: "", host: "", params: new Map() })),
        ).toEqual(r.branches.map((b) => `z9hG4bK${b}`));
        expect(fromHeader(message)?.params.get("tag")).toBe(r.tag);
        expect(cseqHeader(message)).toEqual({ seq: r.seq, method: r.method });
        expect(Buffer.compare(message.body, Buffer.from(r.body))).toBe(0);
        expect(checkParser(r.bytes)).toBe("accepted");
        const again = parseSipMessage(serializeSipMessage(message));
        expect(again.ok && again.message).toEqual(message);
      }),
      { numRuns: 2_000 },
    );
  });

  it("never throws on 10,000 mutations of valid messages, and what it accepts survives a round trip", () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        if (checkParser(fuzzInput(corpus, seed)) === "accepted") accepted++;
      }),
      { numRuns: 10_000 },
    );
    console.log(`mutations: ${accepted} of 10,000 still valid`);
    expect(accepted).toBeGreaterThan(0);
  });

  it("never throws on random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2_000 }), (bytes) => {
        expect(checkParser(bytes)).toBe("rejected");
      }),
      { numRuns: 2_000 },
    );
  });

  it("the standalone fuzzer's loop reports no crash (a short run of npm run fuzz:sip)", () => {
    const report = fuzzSipParser(5_000, 424_242);
    expect(report.crashes).toEqual([]);
    expect(report.accepted + report.rejected).toBe(5_000);
    expect(mutate(Buffer.from("x"), new FuzzRandom(7)).length).toBeGreaterThanOrEqual(0);
  });
});
