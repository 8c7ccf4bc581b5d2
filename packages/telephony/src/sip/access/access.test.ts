import { describe, expect, it } from "vitest";
import { ManualScheduler } from "../../scheduler/scheduler.js";
import type { SipRequest } from "../message/model.js";
import { parseSipMessage } from "../message/parse.js";
import type { Source } from "../transaction/model.js";
import { type AccessEvent, InboundAccess } from "./inbound-access.js";
import { networkContains, parseIpAddress, parseIpNetwork } from "./ip-network.js";
import { ScannerBan } from "./scanner-ban.js";
import { TokenBuckets } from "./token-buckets.js";
import { type InboundTrunk, TrunkMatcher, trunkHa1 } from "./trunk-matcher.js";

const contains = (cidr: string, address: string) => {
  const network = parseIpNetwork(cidr);
  const bytes = parseIpAddress(address);
  if (!network || !bytes) throw new Error(`bad test input ${cidr} ${address}`);
  return networkContains(network, bytes);
};

function request(method: string, toTag = false): SipRequest {
  const text =
    `${method} sip:+15550100@198.51.100.1 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1\r\nMax-Forwards: 70\r\n` +
    `From: <sip:caller@192.0.2.1>;tag=f\r\nTo: <sip:+15550100@198.51.100.1>${toTag ? ";tag=t" : ""}\r\nCall-ID: c\r\n` +
    `CSeq: 1 ${method}\r\nContent-Length: 0\r\n\r\n`;
  const parsed = parseSipMessage(Buffer.from(text));
  if (!parsed.ok || parsed.message.type !== "request") throw new Error("bad test request");
  return parsed.message;
}

const from = (address: string): Source => ({ protocol: "udp", address, port: 5060 });

describe("IP networks", () => {
  it.each([
    ["10.0.0.0/8", "10.255.1.2", true],
    ["10.0.0.0/8", "11.0.0.1", false],
    ["192.0.2.0/25", "192.0.2.127", true],
    ["192.0.2.0/25", "192.0.2.128", false],
    ["203.0.113.7", "203.0.113.7", true],
    ["203.0.113.7", "203.0.113.8", false],
    ["0.0.0.0/0", "198.51.100.1", true],
    ["192.0.2.0/24", "::ffff:192.0.2.9", true],
    ["2001:db8::/32", "2001:db8:1234::1", true],
    ["2001:db8::/32", "2001:db9::1", false],
    ["2001:db8:0:0:8000::/65", "2001:db8::8000:0:0:1", true],
    ["2001:db8:0:0:8000::/65", "2001:db8::7fff:0:0:1", false],
    ["::1", "[::1]", true],
    ["fe80::/10", "fe80::1%eth0", true],
    ["::/0", "192.0.2.1", true],
    ["192.0.2.0/24", "2001:db8::1", false],
  ])("%s contains %s: %s", (cidr, address, expected) => {
    expect(contains(cidr, address)).toBe(expected);
  });

  it.each([
    "10.0.0.0/33",
    "300.0.0.1",
    "10.0.0/8",
    "2001:db8::/129",
    "2001:db8:::1",
    "1:2:3:4:5:6:7:8:9",
    "::ffff:1.2.3",
    "host.example",
    "10.0.0.0/x",
  ])("refuses %s", (text) => {
    expect(parseIpNetwork(text)).toBeUndefined();
  });
});

describe("TrunkMatcher", () => {
  const carrier: InboundTrunk = { id: "carrier", allow: ["198.51.100.0/24", "2001:db8:100::/48"] };
  const pbx: InboundTrunk = { id: "pbx", allow: ["198.51.100.20"] };
  const secured: InboundTrunk = { id: "secured", allow: ["203.0.113.0/24"], digest: { username: "sec", password: "pw" } };
  const roaming: InboundTrunk = { id: "roaming", digest: { username: "roam", ha1: "0123456789abcdef0123456789abcdef" } };

  it("places a source on the trunks allowing it, the most specific first, for IPv4 and IPv6", () => {
    const matcher = new TrunkMatcher([carrier, pbx]);
    expect(matcher.match("198.51.100.20")).toEqual({ kind: "trunk", trunks: [pbx, carrier] });
    expect(matcher.match("198.51.100.21")).toEqual({ kind: "trunk", trunks: [carrier] });
    expect(matcher.match("2001:db8:100:5::9")).toEqual({ kind: "trunk", trunks: [carrier] });
    expect(matcher.match("192.0.2.1")).toEqual({ kind: "forbidden" });
    expect(matcher.match("not an address")).toEqual({ kind: "forbidden" });
  });

  it("asks for digest: an allowed source of a trunk with credentials, any source for digest-only trunks or users", () => {
    const matcher = new TrunkMatcher([carrier, secured, roaming]);
    expect(matcher.match("203.0.113.5")).toEqual({ kind: "authenticate", trunks: [secured], users: false });
    expect(matcher.match("192.0.2.1")).toEqual({ kind: "authenticate", trunks: [roaming], users: false });
    expect(new TrunkMatcher([carrier], { usersMayCall: true }).match("192.0.2.1")).toEqual({
      kind: "authenticate",
      trunks: [],
      users: true,
    });
  });

  it("gives the authenticator a trunk's H(A1) by username", () => {
    expect(trunkHa1([secured, roaming], "sec", "switchboard")).toMatch(/^[0-9a-f]{32}$/);
    expect(trunkHa1([secured, roaming], "roam", "switchboard")).toBe("0123456789abcdef0123456789abcdef");
    expect(trunkHa1([secured, roaming], "nobody", "switchboard")).toBeUndefined();
  });

  it("refuses a malformed network when configured, not when called", () => {
    expect(() => new TrunkMatcher([{ id: "bad", allow: ["10.0.0.0/40"] }])).toThrow(/not an IP network/);
  });
});

describe("TokenBuckets and ScannerBan", () => {
  it("lets a burst through, then the sustained rate, and says when to retry", () => {
    let now = 0;
    const buckets = new TokenBuckets({ perSecond: 2, burst: 3 }, () => now);
    expect([1, 2, 3].map(() => buckets.take("a").ok)).toEqual([true, true, true]);
    expect(buckets.take("a")).toEqual({ ok: false, retryAfterMs: 500 });
    expect(buckets.take("b").ok).toBe(true);
    now += 500;
    expect(buckets.take("a").ok).toBe(true);
    expect(buckets.take("a").ok).toBe(false);
  });

  it("forgets the least recently used sources past its size", () => {
    const buckets = new TokenBuckets({ perSecond: 1, burst: 1 }, () => 0, 2);
    buckets.take("a");
    buckets.take("b");
    buckets.take("c");
    expect(buckets.size).toBe(2);
    expect(buckets.take("a").ok).toBe(true);
  });

  it("bans after N failures within the window, for the ban period; old failures fall out of the window", () => {
    let now = 0;
    const ban = new ScannerBan(() => now, { maxFailures: 3, windowMs: 1000, banMs: 5000 });
    ban.failed("x");
    now = 600;
    ban.failed("x");
    now = 1200; // the first failure left the window
    expect(ban.failed("x")).toBeUndefined();
    expect(ban.isBanned("x")).toBe(false);
    expect(ban.failed("x")).toBe(6200);
    expect(ban.isBanned("x")).toBe(true);
    now = 6199;
    expect(ban.isBanned("x")).toBe(true);
    now = 6200;
    expect(ban.isBanned("x")).toBe(false);
    ban.failed("y");
    ban.failed("y");
    ban.succeeded("y");
    ban.failed("y");
    expect(ban.isBanned("y")).toBe(false);
  });
});

describe("InboundAccess", () => {
  function setup(options: ConstructorParameters<typeof InboundAccess>[0] = {}) {
    const scheduler = new ManualScheduler();
    const access = new InboundAccess({ scheduler, trunks: [{ id: "carrier", allow: ["198.51.100.0/24"] }], ...options });
    const events: AccessEvent[] = [];
    access.onEvent((event) => events.push(event));
    return { scheduler, access, events };
  }

  it("admits a trunk's INVITE by address, refuses others with 403, and lets in-dialog requests through", () => {
    const t = setup();
    expect(t.access.admit(request("INVITE"), from("198.51.100.7"))).toMatchObject({
      action: "accept",
      caller: { kind: "trunk", trunks: [{ id: "carrier" }] },
    });
    expect(t.access.admit(request("INVITE"), from("192.0.2.1"))).toEqual({
      action: "reject",
      status: 403,
      reason: "not-allowed",
      headers: [],
    });
    expect(t.access.admit(request("BYE", true), from("192.0.2.1"))).toEqual({ action: "accept" });
    expect(t.access.admit(request("OPTIONS"), from("192.0.2.1"))).toEqual({ action: "accept" });
    expect(t.events).toEqual([{ kind: "forbidden", address: "192.0.2.1", method: "INVITE" }]);
  });

  it("limits INVITE and REGISTER per source separately: 503 with Retry-After, then silence above the hard limit", () => {
    const t = setup({
      usersMayCall: true,
      invite: { perSecond: 1, burst: 2, dropFactor: 2 },
      register: { perSecond: 5, burst: 5 },
    });
    const invite = () => t.access.admit(request("INVITE"), from("192.0.2.1")).action;
    expect([invite(), invite()]).toEqual(["accept", "accept"]);
    const limited = t.access.admit(request("INVITE"), from("192.0.2.1"));
    expect(limited).toEqual({ action: "reject", status: 503, reason: "rate-limited", headers: [["Retry-After", "1"]] });
    expect(invite()).toBe("reject");
    expect(invite()).toBe("drop");
    // REGISTER has its own budget, and other sources are untouched.
    expect(t.access.admit(request("REGISTER"), from("192.0.2.1")).action).toBe("accept");
    expect(t.access.admit(request("INVITE"), from("192.0.2.2")).action).toBe("accept");
    // A trusted trunk is not limited.
    for (let i = 0; i < 20; i++) expect(t.access.admit(request("INVITE"), from("198.51.100.7")).action).toBe("accept");
    expect(t.events).toEqual([
      { kind: "rate-limited", address: "192.0.2.1", method: "INVITE", dropping: false },
      { kind: "rate-limited", address: "192.0.2.1", method: "INVITE", dropping: true },
    ]);
    t.scheduler.advance(10_000);
    expect(invite()).toBe("accept");
  });

  it("while overloaded, answers new calls from anyone (trunks too) 503 with Retry-After, and serves the rest", () => {
    let retryAfter: number | undefined;
    const t = setup({ usersMayCall: true, overloaded: () => retryAfter });
    expect(t.access.admit(request("INVITE"), from("198.51.100.7")).action).toBe("accept");
    retryAfter = 4;
    const refused = { action: "reject", status: 503, reason: "overloaded", headers: [["Retry-After", "4"]] };
    expect(t.access.admit(request("INVITE"), from("198.51.100.7"))).toEqual(refused);
    expect(t.access.admit(request("INVITE"), from("192.0.2.1"))).toEqual(refused);
    // Calls in progress, registrations and the rest go on.
    expect(t.access.admit(request("BYE", true), from("198.51.100.7"))).toEqual({ action: "accept" });
    expect(t.access.admit(request("INVITE", true), from("198.51.100.7"))).toEqual({ action: "accept" });
    expect(t.access.admit(request("REGISTER"), from("192.0.2.1"))).toEqual({ action: "accept" });
    retryAfter = undefined;
    expect(t.access.admit(request("INVITE"), from("198.51.100.7")).action).toBe("accept");
    // Told once when refusing starts and once when it stops, not per call.
    expect(t.events).toEqual([
      { kind: "overloaded", refusing: true },
      { kind: "overloaded", refusing: false },
    ]);
  });

  it("bans a source after 5 authentication failures: every request dropped until the ban ends", () => {
    const t = setup({ ban: { banMs: 60_000 } });
    const scanner = from("192.0.2.66");
    for (let i = 0; i < 4; i++) t.access.authenticationFailed(scanner);
    expect(t.access.admit(request("REGISTER"), scanner).action).toBe("accept");
    t.access.authenticationFailed(scanner);
    expect(t.events).toEqual([{ kind: "banned", address: "192.0.2.66", until: 60_000 }]);
    for (const method of ["REGISTER", "INVITE", "OPTIONS"]) {
      expect(t.access.admit(request(method), scanner)).toEqual({ action: "drop", reason: "banned" });
    }
    t.scheduler.advance(60_000);
    expect(t.access.admit(request("REGISTER"), scanner).action).toBe("accept");
  });

  it("counts INVITEs refused by the allow list toward the ban, but never bans a trunk's address", () => {
    const t = setup();
    for (let i = 0; i < 5; i++) t.access.admit(request("INVITE"), from("192.0.2.9"));
    expect(t.access.admit(request("INVITE"), from("192.0.2.9")).action).toBe("drop");
    for (let i = 0; i < 10; i++) t.access.authenticationFailed(from("198.51.100.7"));
    expect(t.access.admit(request("INVITE"), from("198.51.100.7")).action).toBe("accept");
  });
});
