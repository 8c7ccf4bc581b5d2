import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodedUser, formatUri, parseSipUri, parseUri } from "./uri.js";

describe("SIP and tel URIs", () => {
  it("reads every part of a SIP URI", () => {
    const result = parseUri(
      "sips:alice:secret@Atlanta.Example.com:5061;transport=TCP;lr;maddr=239.255.255.1?subject=project%20x&priority=urgent",
    );
    expect(result).toEqual({
      ok: true,
      uri: {
        scheme: "sips",
        user: "alice",
        password: "secret",
        host: "atlanta.example.com",
        port: 5061,
        params: new Map([
          ["transport", "TCP"],
          ["lr", null],
          ["maddr", "239.255.255.1"],
        ]),
        headers: [
          ["subject", "project%20x"],
          ["priority", "urgent"],
        ],
      },
    });
  });

  it("reads hosts alone, IPv6 references and telephone-subscriber users", () => {
    expect(parseSipUri("sip:example.com")).toMatchObject({ host: "example.com" });
    expect(parseSipUri("sip:[2001:db8::1]:5070")).toMatchObject({ host: "[2001:db8::1]", port: 5070 });
    const phone = parseSipUri("sip:%2B15550100;phone-context=x@127.0.0.1;user=phone");
    expect(phone).toMatchObject({ user: "%2B15550100;phone-context=x", host: "127.0.0.1" });
    expect(phone?.params.get("user")).toBe("phone");
    if (!phone) throw new Error("no uri");
    expect(decodedUser(phone)).toBe("+15550100;phone-context=x");
  });

  it("reads tel URIs", () => {
    expect(parseUri("tel:+1-555-0100;ext=12")).toEqual({
      ok: true,
      uri: { scheme: "tel", number: "+1-555-0100", params: new Map([["ext", "12"]]) },
    });
    expect(parseUri("tel:7042;phone-context=example.com").ok).toBe(true);
  });

  it.each([
    "alice@example.com",
    "http://example.com",
    "sip:",
    "sip:alice@",
    "sip:alice@exa mple.com",
    "sip:alice@example.com:0",
    "sip:alice@example.com:99999",
    "sip:alice@-bad.com",
    "sip:a@[::1",
    "sip:a@256.1.1.1x",
    "sip:a@b;=x",
    "sip:a@b?noequals",
    "tel:",
    "tel:+",
  ])("refuses %s", (text) => {
    expect(parseUri(text).ok).toBe(false);
  });

  it("formats what it parses, and parsing the format gives the same URI", () => {
    const sipUri = fc
      .record({
        scheme: fc.constantFrom("sip", "sips"),
        user: fc.option(fc.stringMatching(/^[a-z0-9+.]{1,12}$/), { nil: undefined }),
        host: fc.constantFrom("example.com", "10.0.0.1", "[::1]", "host-1.example"),
        port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
        params: fc.array(
          fc.tuple(fc.stringMatching(/^[a-z]{1,6}$/), fc.option(fc.stringMatching(/^[a-z0-9]{1,6}$/), { nil: null })),
          {
            maxLength: 3,
          },
        ),
      })
      .map((r) => {
        const user = r.user === undefined ? "" : `${r.user}@`;
        const port = r.port === undefined ? "" : `:${r.port}`;
        const params = r.params.map(([n, v]) => (v === null ? `;${n}` : `;${n}=${v}`)).join("");
        return `${r.scheme}:${user}${r.host}${port}${params}`;
      });
    fc.assert(
      fc.property(sipUri, (text) => {
        const first = parseUri(text);
        if (!first.ok) throw new Error(`${text}: ${first.reason}`);
        expect(parseUri(formatUri(first.uri))).toEqual(first);
      }),
      { numRuns: 500 },
    );
  });

  it("never throws on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const result = parseUri(`sip:${text}`);
        if (result.ok) expect(parseUri(formatUri(result.uri))).toEqual(result);
      }),
      { numRuns: 1_000 },
    );
  });
});
