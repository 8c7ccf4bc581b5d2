import { describe, expect, it } from "vitest";
import { parseCSeq } from "./cseq.js";
import { digestResponse, formatCredentials, parseCredentials } from "./digest.js";
import { contactHeaders, formatNameAddr, parseNameAddr, withTag } from "./name-addr.js";
import { parseSipMessage } from "./parse.js";
import { formatVia, parseVia, viaBranch, viaReceived, viaRport, withViaParams } from "./via.js";

describe("Via", () => {
  it("reads transport, sent-by, branch, received and rport", () => {
    const via = parseVia("SIP / 2.0 / udp 192.0.2.1:5062 ;branch=z9hG4bK77;rport;received=10.0.0.1");
    expect(via).toMatchObject({ transport: "UDP", host: "192.0.2.1", port: 5062 });
    if (!via) throw new Error("no via");
    expect(viaBranch(via)).toBe("z9hG4bK77");
    expect(viaReceived(via)).toBe("10.0.0.1");
    expect(viaRport(via)).toBe(true);
    expect(viaRport(withViaParams(via, { rport: "4000" }))).toBe(4000);
    expect(formatVia(via)).toBe("SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bK77;rport;received=10.0.0.1");
    expect(parseVia("SIP/2.0/TCP [2001:db8::1]:5060;branch=z9hG4bKx")).toMatchObject({ host: "[2001:db8::1]", port: 5060 });
  });

  it.each(["SIP/2.0/UDP", "SIP/1.0/UDP host", "SIP/2.0/UDP host:0", "SIP/2.0/UDP host:70000", "SIP/2.0/UDP host;br anch=1"])(
    "refuses %s",
    (value) => {
      expect(parseVia(value)).toBeUndefined();
    },
  );
});

describe("name-addr (From, To, Contact, Route)", () => {
  it("reads quoted and token display names, URIs and tags", () => {
    expect(parseNameAddr('"Alice \\"A\\"" <sip:alice@example.com;transport=tcp>;tag=88sja8x')).toEqual({
      displayName: 'Alice "A"',
      uri: "sip:alice@example.com;transport=tcp",
      params: new Map([["tag", "88sja8x"]]),
    });
    expect(parseNameAddr("Bob Smith <sip:bob@example.com>")).toMatchObject({ displayName: "Bob Smith" });
    // In the addr-spec form, parameters belong to the header, not to the URI (RFC 3261 §20.10).
    expect(parseNameAddr("sip:carol@example.com;tag=1")).toEqual({
      uri: "sip:carol@example.com",
      params: new Map([["tag", "1"]]),
    });
    expect(parseNameAddr("<tel:+15550100>")).toMatchObject({ uri: "tel:+15550100" });
  });

  it("refuses broken forms", () => {
    for (const value of ['"Alice <sip:a@b>', "Alice <sip:a@b", "<>", "Alice", "<sip:a@b>;=x", "a(b) <sip:a@b>"]) {
      expect(parseNameAddr(value), value).toBeUndefined();
    }
  });

  it("formats back in the angle-bracket form", () => {
    const addr = parseNameAddr("sip:carol@example.com");
    if (!addr) throw new Error("no addr");
    expect(formatNameAddr(withTag(addr, "xyz"))).toBe("<sip:carol@example.com>;tag=xyz");
    expect(formatNameAddr({ displayName: 'a"b', uri: "sip:x@y", params: new Map() })).toBe('"a\\"b" <sip:x@y>');
  });

  it("reads Contact lists and the REGISTER star", () => {
    const star = parseSipMessage(
      Buffer.from(
        "REGISTER sip:r SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@r>;tag=1\r\nTo: <sip:a@r>\r\n" +
          "Call-ID: c\r\nCSeq: 1 REGISTER\r\nContact: *\r\nExpires: 0\r\n\r\n",
      ),
    );
    expect(star.ok && contactHeaders(star.message)).toBe("*");
  });
});

describe("CSeq", () => {
  it("reads the number and method", () => {
    expect(parseCSeq("  4711   INVITE ")).toEqual({ seq: 4711, method: "INVITE" });
    expect(parseCSeq("2147483648 INVITE")).toBeUndefined();
    expect(parseCSeq("1")).toBeUndefined();
  });
});

describe("digest credentials", () => {
  it("reads and writes challenges and responses", () => {
    const challenge = parseCredentials('Digest realm="example.com", qop="auth,auth-int", nonce="abc", algorithm=MD5');
    expect(challenge?.scheme).toBe("Digest");
    expect(challenge?.params.get("qop")).toBe("auth,auth-int");
    if (!challenge) throw new Error("no challenge");
    expect(formatCredentials(challenge, "challenge")).toBe(
      'Digest realm="example.com", qop="auth,auth-int", nonce="abc", algorithm=MD5',
    );
    const response = parseCredentials(
      'Digest username="bob", realm="r", nonce="n", uri="sip:r", response="x", qop=auth, nc=00000001',
    );
    if (!response) throw new Error("no response");
    expect(formatCredentials(response, "response")).toBe(
      'Digest username="bob", realm="r", nonce="n", uri="sip:r", response="x", qop=auth, nc=00000001',
    );
    expect(parseCredentials('Digest realm="unterminated')).toBeUndefined();
    expect(parseCredentials("Digest")).toBeUndefined();
  });

  it("computes the RFC 2617 example response", () => {
    const input = {
      username: "Mufasa",
      password: "Circle Of Life",
      realm: "testrealm@host.com",
      nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
      method: "GET",
      uri: "/dir/index.html",
    };
    expect(digestResponse({ ...input, qop: "auth", nc: "00000001", cnonce: "0a4f113b" })).toBe(
      "6629fae49393a05397450978507c4ef1",
    );
    expect(digestResponse(input)).toMatch(/^[0-9a-f]{32}$/);
  });
});
