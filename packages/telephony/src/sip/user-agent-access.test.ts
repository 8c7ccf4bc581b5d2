import { describe, expect, it } from "vitest";
import { MemorySipNetwork } from "../../testing/memory-sip-network.js";
import { ManualScheduler } from "../scheduler/scheduler.js";
import { type AccessEvent, InboundAccess, type InboundAccessOptions } from "./access/inbound-access.js";
import { DigestAuthenticator, type Ha1Lookup } from "./auth/digest-authenticator.js";
import type { IncomingLeg } from "./leg/incoming-leg.js";
import { digestHa1 } from "./message/digest.js";
import type { SipResponse } from "./message/model.js";
import { MemoryLocationService } from "./registrar/location-service.js";
import { Registrar } from "./registrar/registrar.js";

const OFFER = "v=0\r\no=a 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
const ANSWER = "v=0\r\no=b 1 1 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n";

/**
 * The server (10.0.0.2) as the composition root wires it: one InboundAccess, one DigestAuthenticator shared
 * by the user agent (calls, 407) and the registrar (phones, 401). A carrier sends from 10.0.0.1; a roaming
 * PBX authenticates as trunk "pbx"; phone 1001 has an account.
 */
function setup(options: { access?: Partial<InboundAccessOptions>; lookup?: Ha1Lookup } = {}) {
  const scheduler = new ManualScheduler();
  const network = new MemorySipNetwork();
  const access = new InboundAccess({
    scheduler,
    trunks: [
      { id: "carrier", allow: ["10.0.0.1"] },
      { id: "pbx", digest: { username: "pbx", password: "pbx-secret" } },
    ],
    ...options.access,
  });
  const events: AccessEvent[] = [];
  access.onEvent((event) => events.push(event));
  const authenticator = new DigestAuthenticator({
    realm: "switchboard",
    clock: () => scheduler.now(),
    lookup: options.lookup ?? ((username, realm) => (username === "1001" ? digestHa1("1001", realm, "phone-secret") : undefined)),
  });
  const registrar = new Registrar({ location: new MemoryLocationService(), scheduler, authenticator });
  const calls: IncomingLeg[] = [];
  network.userAgent("10.0.0.2", 5060, {
    scheduler,
    access,
    authenticator,
    onRegister: (request, source) => registrar.handle(request, source),
    onInvite: (leg) => {
      calls.push(leg);
      void leg.answer(ANSWER);
    },
  });
  const from = (address: string) => network.userAgent(address, 5060, { scheduler });
  const statuses = (address: string) =>
    network.log
      .filter((d) => d.message.type === "response" && d.to.host === address)
      .map((d) => (d.message as SipResponse).status);
  return { scheduler, network, access, events, calls, from, statuses };
}

describe("UserAgent with access control", () => {
  it("takes a trunk's call by source address and tells the application which trunk it came from", async () => {
    const t = setup();
    const leg = t.from("10.0.0.1").invite("sip:+15550100@10.0.0.2", { sdp: OFFER });
    await t.network.settle();
    expect((await leg.answered).ok).toBe(true);
    expect(t.calls[0]?.caller).toEqual({ kind: "trunk", trunks: [{ id: "carrier", allow: ["10.0.0.1"] }], by: "address" });
  });

  it("refuses a call from outside every allow list with 403 when it cannot authenticate", async () => {
    const t = setup({ access: { trunks: [{ id: "carrier", allow: ["10.0.0.1"] }] } });
    const leg = t.from("10.0.0.9").invite("sip:+15550100@10.0.0.2", { sdp: OFFER });
    await t.network.settle();
    expect(await leg.answered).toMatchObject({ ok: false, status: 403 });
    expect(t.calls).toEqual([]);
    expect(t.events).toEqual([{ kind: "forbidden", address: "10.0.0.9", method: "INVITE" }]);
  });

  it("challenges a call from elsewhere with 407; a trunk's account answers it and the call arrives", async () => {
    const t = setup();
    const pbx = t.from("10.0.0.7");
    const refused = pbx.invite("sip:+15550100@10.0.0.2", { sdp: OFFER });
    await t.network.settle();
    expect(await refused.answered).toMatchObject({ ok: false, status: 407 });
    const leg = pbx.invite("sip:+15550100@10.0.0.2", { sdp: OFFER, credentials: { username: "pbx", password: "pbx-secret" } });
    await t.network.settle();
    expect((await leg.answered).ok).toBe(true);
    expect(t.calls[0]?.caller).toMatchObject({ kind: "trunk", trunks: [{ id: "pbx" }], by: "digest" });
    // The INVITE with credentials took the next CSeq; the ACK of the 2xx follows it (RFC 3261 §22.2, §13.2.2.4).
    const invites = t.network.log.filter((d) => d.message.type === "request" && d.message.headers.get("Call-ID") === leg.callId);
    expect(invites.map((d) => d.message.headers.get("CSeq"))).toEqual(["1 INVITE", "1 ACK", "2 INVITE", "2 ACK"]);
    expect(leg.invite.headers.get("Proxy-Authorization")).toMatch(/^Digest username="pbx", realm="switchboard"/);
  });

  it("lets users' accounts call only when allowed", async () => {
    const closed = setup();
    const phone = closed.from("10.0.0.8");
    const denied = phone.invite("sip:+15550100@10.0.0.2", {
      sdp: OFFER,
      credentials: { username: "1001", password: "phone-secret" },
    });
    await closed.network.settle();
    expect(await denied.answered).toMatchObject({ ok: false, status: 407 });
    const open = setup({ access: { usersMayCall: true } });
    const leg = open
      .from("10.0.0.8")
      .invite("sip:+15550100@10.0.0.2", { sdp: OFFER, credentials: { username: "1001", password: "phone-secret" } });
    await open.network.settle();
    expect((await leg.answered).ok).toBe(true);
    expect(open.calls[0]?.caller).toEqual({ kind: "user", username: "1001" });
  });

  it("bans a source failing authentication 5 times: its requests then get no answer at all", async () => {
    const t = setup();
    const scanner = t.from("10.0.0.66");
    for (let i = 0; i < 5; i++) {
      const attempt = scanner.invite("sip:100@10.0.0.2", { sdp: OFFER, credentials: { username: "pbx", password: `guess${i}` } });
      await t.network.settle();
      expect(await attempt.answered).toMatchObject({ ok: false, status: 407 });
    }
    expect(t.events).toContainEqual({ kind: "banned", address: "10.0.0.66", until: 1_800_000 });
    const before = t.statuses("10.0.0.66").length;
    const silent = scanner.request("OPTIONS", "sip:10.0.0.2");
    const register = scanner.registration({ registrar: "sip:10.0.0.2", aor: "sip:1001@10.0.0.2" }).register();
    for (let i = 0; i < 70; i++) {
      t.scheduler.advance(500);
      await t.network.settle();
    }
    expect(await silent).toBe("timeout");
    expect(await register).toMatchObject({ ok: false, status: 408 });
    expect(t.statuses("10.0.0.66")).toHaveLength(before);
    // The carrier is not affected.
    const carrier = t.from("10.0.0.1").invite("sip:+15550100@10.0.0.2", { sdp: OFFER });
    await t.network.settle();
    expect((await carrier.answered).ok).toBe(true);
  });

  it("counts the registrar's failures toward the same ban (one authenticator, wired once)", async () => {
    const t = setup();
    const phone = t.from("10.0.0.40");
    for (let i = 0; i < 5; i++) {
      const attempt = phone
        .registration({ registrar: "sip:10.0.0.2", credentials: { username: "1001", password: "wrong" } })
        .register();
      await t.network.settle();
      expect(await attempt).toMatchObject({ ok: false, status: 401 });
    }
    expect(t.access.isBanned("10.0.0.40")).toBe(true);
    // A phone that got it right earlier is not punished for a typo later: success clears its failures.
    const good = t.from("10.0.0.41");
    for (let round = 0; round < 3; round++) {
      for (const password of ["wrong", "wrong", "phone-secret"]) {
        const attempt = good.registration({ registrar: "sip:10.0.0.2", credentials: { username: "1001", password } }).register();
        await t.network.settle();
        await attempt;
      }
    }
    expect(t.access.isBanned("10.0.0.41")).toBe(false);
  });

  it("answers a flood of INVITEs with 503 and Retry-After, then with silence", async () => {
    const t = setup({ access: { invite: { perSecond: 1, burst: 2, dropFactor: 2 } } });
    const flooder = t.from("10.0.0.50");
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push(flooder.invite("sip:100@10.0.0.2", { sdp: OFFER }));
    await t.network.settle();
    const finals = t.network.log
      .filter((d) => d.message.type === "response" && d.to.host === "10.0.0.50" && d.message.status >= 200)
      .map((d) => [(d.message as SipResponse).status, d.message.headers.get("Retry-After")]);
    expect(finals).toEqual([
      [407, undefined],
      [407, undefined],
      [503, "1"],
      [503, "1"],
    ]);
  });

  it("ends an INVITE cancelled while its caller was being authenticated with 487", async () => {
    let release: (ha1: string | undefined) => void = () => undefined;
    const t = setup({ access: { usersMayCall: true }, lookup: () => new Promise((resolve) => (release = resolve)) });
    const leg = t
      .from("10.0.0.8")
      .invite("sip:+15550100@10.0.0.2", { sdp: OFFER, credentials: { username: "1001", password: "phone-secret" } });
    await t.network.settle();
    // The first INVITE is challenged at once (no credentials, no lookup); the second waits on the lookup.
    leg.cancel();
    await t.network.settle();
    release(digestHa1("1001", "switchboard", "phone-secret"));
    await t.network.settle();
    expect(await leg.answered).toMatchObject({ ok: false, status: 487 });
    expect(t.calls).toEqual([]);
  });
});
