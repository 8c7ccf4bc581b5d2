import { describe, expect, it } from "vitest";
import { MemorySipNetwork } from "../../testing/memory-sip-network.js";
import { ManualScheduler } from "../scheduler/scheduler.js";
import type { IncomingLeg } from "./leg/incoming-leg.js";
import type { SipMessage, SipResponse } from "./message/model.js";
import { parseVia } from "./message/via.js";
import type { Source } from "./transaction/model.js";

const OFFER = "v=0\r\no=a 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
const ANSWER = "v=0\r\no=b 1 1 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n";

function setup(options: { onInvite?: (leg: IncomingLeg) => void | Promise<void> } = {}) {
  const scheduler = new ManualScheduler();
  const network = new MemorySipNetwork();
  const incoming: IncomingLeg[] = [];
  const callee = network.userAgent("10.0.0.2", 5060, {
    scheduler,
    onInvite:
      options.onInvite ??
      ((leg) => {
        incoming.push(leg);
      }),
  });
  const caller = network.userAgent("10.0.0.1", 5062, { scheduler });
  const probeReceived: SipMessage[] = [];
  network.endpoint("10.0.0.9", 5070, (message) => probeReceived.push(message));
  const probe = (text: string) =>
    network.inject(
      Buffer.from(text.replaceAll("\n", "\r\n")),
      { protocol: "udp", address: "10.0.0.9", port: 5070 },
      { protocol: "udp", host: "10.0.0.2", port: 5060 },
    );
  const statuses = () => probeReceived.map((m) => (m.type === "response" ? m.status : 0));
  const methods = (method: string) => network.log.filter((d) => d.message.type === "request" && d.message.method === method);
  const responses = (status: number) => network.log.filter((d) => d.message.type === "response" && d.message.status === status);
  return { scheduler, network, callee, caller, incoming, probe, probeReceived, statuses, methods, responses };
}

const request = (method: string, extra = "", uri = "sip:agent@10.0.0.2") =>
  `${method} ${uri} SIP/2.0\nVia: SIP/2.0/UDP 10.0.0.9:5070;branch=z9hG4bK${Math.random().toString(36).slice(2)};rport\n` +
  `Max-Forwards: 70\nFrom: <sip:probe@10.0.0.9>;tag=p1\nTo: <sip:agent@10.0.0.2>\nCall-ID: probe-${Math.random()}\n` +
  `CSeq: 1 ${method}\n${extra}Content-Length: 0\n\n`;

async function establish(t: ReturnType<typeof setup>) {
  const outgoing = t.caller.invite("sip:+15550100@10.0.0.2:5060", { sdp: OFFER });
  await t.network.settle();
  const leg = t.incoming[0];
  if (!leg) throw new Error("no incoming call");
  leg.ring();
  void leg.answer(ANSWER);
  await t.network.settle();
  return { outgoing, leg };
}

describe("UserAgent as UAS and UAC", () => {
  it("answers OPTIONS with 200 and Allow", async () => {
    const t = setup();
    t.probe(request("OPTIONS"));
    await t.network.settle();
    const response = t.probeReceived[0] as SipResponse;
    expect(response.status).toBe(200);
    expect(response.headers.getAll("Allow").join(", ")).toBe("INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REFER, NOTIFY");
    const ping = t.caller.request("OPTIONS", "sip:10.0.0.2:5060");
    await t.network.settle();
    expect(await ping).toMatchObject({ status: 200 });
  });

  it("sets a call up: INVITE, 100, 180, 200 with SDP, ACK; both legs confirmed", async () => {
    const t = setup();
    const { outgoing, leg } = await establish(t);
    expect(leg.offer).toBe(OFFER);
    expect(leg.requestUri).toBe("sip:+15550100@10.0.0.2:5060");
    expect(t.network.log.map((d) => (d.message.type === "request" ? d.message.method : d.message.status))).toEqual([
      "INVITE",
      100,
      180,
      200,
      "ACK",
    ]);
    const outcome = await outgoing.answered;
    expect(outcome.ok && outcome.response.body.toString()).toBe(ANSWER);
    expect(outgoing.state).toBe("confirmed");
    expect(leg.state).toBe("confirmed");
    expect(outgoing.remoteSdp).toBe(ANSWER);
    expect(outgoing.dialogId?.split("\n")[0]).toBe(leg.callId);
    expect(t.callee.activeLegs).toBe(1);
  });

  it("ends a call by BYE from the caller", async () => {
    const t = setup();
    const { outgoing, leg } = await establish(t);
    let byes = 0;
    leg.onBye(() => byes++);
    const hangup = outgoing.hangup();
    await t.network.settle();
    await hangup;
    expect(byes).toBe(1);
    expect(await leg.ended).toEqual({ by: "remote", cause: "bye" });
    expect(await outgoing.ended).toEqual({ by: "local", cause: "bye" });
    expect(t.responses(200).map((d) => (d.message as SipResponse).headers.get("CSeq"))).toContain("2 BYE");
    expect(t.callee.activeLegs).toBe(0);
  });

  it("ends a call by BYE from the callee", async () => {
    const t = setup();
    const { outgoing, leg } = await establish(t);
    const hangup = leg.hangup();
    await t.network.settle();
    await hangup;
    expect(await outgoing.ended).toEqual({ by: "remote", cause: "bye" });
    const bye = t.methods("BYE")[0];
    // The callee's BYE goes to the caller's Contact, with the caller's tag in To.
    expect(bye?.to).toMatchObject({ host: "10.0.0.1", port: 5062 });
  });

  it("CANCEL before the answer gives 487 to the INVITE", async () => {
    const t = setup();
    const outgoing = t.caller.invite("sip:agent@10.0.0.2", { sdp: OFFER });
    await t.network.settle();
    const leg = t.incoming[0] as IncomingLeg;
    leg.ring();
    await t.network.settle();
    let cancelled = 0;
    leg.onCancel(() => cancelled++);
    outgoing.cancel();
    await t.network.settle();
    expect(await outgoing.answered).toMatchObject({ ok: false, status: 487 });
    expect(await outgoing.ended).toEqual({ by: "local", cause: "cancel", status: 487 });
    expect(await leg.ended).toEqual({ by: "remote", cause: "cancel" });
    expect(cancelled).toBe(1);
    expect(t.methods("ACK")).toHaveLength(1);
    await expect(leg.answer(ANSWER)).resolves.toBe("ended");
  });

  it("holds a CANCEL until a provisional response arrived (RFC 3261 §9.1)", async () => {
    const t = setup();
    t.network.drop = (d) => d.message.type === "response" && d.message.status === 100;
    const outgoing = t.caller.invite("sip:agent@10.0.0.2", { sdp: OFFER });
    outgoing.cancel();
    await t.network.settle();
    expect(t.methods("CANCEL")).toHaveLength(0);
    (t.incoming[0] as IncomingLeg).ring();
    await t.network.settle();
    expect(t.methods("CANCEL")).toHaveLength(1);
    expect(await outgoing.answered).toMatchObject({ ok: false, status: 487 });
  });

  it("a rejected call is acknowledged by the transaction and ends the caller's leg", async () => {
    const t = setup({ onInvite: (leg) => leg.reject(486) });
    const outgoing = t.caller.invite("sip:agent@10.0.0.2", { sdp: OFFER });
    await t.network.settle();
    expect(await outgoing.answered).toMatchObject({ ok: false, status: 486 });
    expect(outgoing.endedBecause).toEqual({ by: "remote", cause: "rejected", status: 486 });
    expect(t.methods("ACK")).toHaveLength(1);
  });

  it("re-INVITE holds and resumes: the handler's SDP is the answer", async () => {
    const t = setup();
    const { outgoing, leg } = await establish(t);
    const offers: (string | undefined)[] = [];
    leg.setReinviteHandler((offer) => {
      offers.push(offer);
      return { sdp: ANSWER.replace("RTP/AVP 0", "RTP/AVP 0\r\na=recvonly") };
    });
    const hold = outgoing.reinvite(`${OFFER}a=sendonly\r\n`);
    await t.network.settle();
    expect(await hold).toEqual({ ok: true, sdp: ANSWER.replace("RTP/AVP 0", "RTP/AVP 0\r\na=recvonly") });
    expect(offers).toEqual([`${OFFER}a=sendonly\r\n`]);
    expect(t.methods("ACK")).toHaveLength(2);
    expect(leg.remoteSdp).toContain("a=sendonly");
    const resume = outgoing.reinvite(OFFER);
    await t.network.settle();
    expect((await resume).ok).toBe(true);
    expect(leg.state).toBe("confirmed");
  });

  it("re-INVITE from the callee side works the same way, and glare gets 491", async () => {
    const t = setup();
    const { outgoing, leg } = await establish(t);
    outgoing.setReinviteHandler(() => ({ sdp: OFFER }));
    const first = leg.reinvite(ANSWER);
    const second = leg.reinvite(ANSWER);
    expect(await second).toEqual({ ok: false, status: 491 });
    await t.network.settle();
    expect(await first).toEqual({ ok: true, sdp: OFFER });
  });

  it("retransmits the 2xx until the ACK comes when the first ACK is lost", async () => {
    const t = setup();
    let dropped = 0;
    t.network.drop = (d) => d.message.type === "request" && d.message.method === "ACK" && dropped++ === 0;
    const { outgoing, leg } = await establish(t);
    expect(leg.state).toBe("answering");
    t.scheduler.advance(500);
    await t.network.settle();
    expect(leg.state).toBe("confirmed");
    expect(t.responses(200)).toHaveLength(2);
    expect(outgoing.state).toBe("confirmed");
  });

  it("without any ACK, gives up after 64×T1 and ends the call with BYE", async () => {
    const t = setup();
    t.network.drop = (d) => d.message.type === "request" && d.message.method === "ACK";
    const { outgoing, leg } = await establish(t);
    for (let i = 0; i < 70; i++) {
      t.scheduler.advance(500);
      await t.network.settle();
    }
    expect(leg.endedBecause).toEqual({ by: "local", cause: "ack-timeout" });
    expect(t.responses(200).filter((d) => (d.message as SipResponse).headers.get("CSeq") === "1 INVITE").length).toBeGreaterThan(
      5,
    );
    expect(await outgoing.ended).toEqual({ by: "remote", cause: "bye" });
  });

  it("an unanswered INVITE times out on timer B", async () => {
    const t = setup();
    t.network.drop = (d) => d.to.host === "10.0.0.2";
    const outgoing = t.caller.invite("sip:agent@10.0.0.2", { sdp: OFFER });
    for (let i = 0; i < 70; i++) {
      t.scheduler.advance(500);
      await t.network.settle();
    }
    expect(await outgoing.answered).toEqual({ ok: false, status: 408 });
    expect(t.caller.transactions.clients).toBe(0);
  });

  it("hears DTMF sent in SIP INFO", async () => {
    const t = setup();
    const { outgoing, leg } = await establish(t);
    const digits: string[] = [];
    leg.onDtmf((event) => digits.push(`${event.digit}/${event.source}`));
    const sent = outgoing.sendInfo("Signal=5\r\nDuration=160\r\n", "application/dtmf-relay");
    await t.network.settle();
    expect(await sent).toBe(200);
    expect(digits).toEqual(["5/info"]);
  });

  it.each([
    ["REGISTER", request("REGISTER"), 405],
    ["an unknown method", request("FROB"), 501],
    ["BYE outside a dialog", request("BYE"), 481],
    ["BYE in an unknown dialog", request("BYE").replace("<sip:agent@10.0.0.2>", "<sip:agent@10.0.0.2>;tag=nope"), 481],
    ["CANCEL of nothing", request("CANCEL"), 481],
    ["an http: Request-URI", request("OPTIONS", "", "http://example.com/"), 416],
    ["Max-Forwards 0", request("INVITE").replace("Max-Forwards: 70", "Max-Forwards: 0"), 483],
    ["a Require we do not support", request("INVITE", "Require: 100rel\n"), 420],
    [
      "an INVITE body that is not SDP",
      request("INVITE", "Content-Type: text/plain\n").replace("Content-Length: 0\n\n", "Content-Length: 2\n\nhi"),
      415,
    ],
    ["a malformed Max-Forwards", request("OPTIONS").replace("Max-Forwards: 70", "Max-Forwards: many"), 400],
    ["a garbage header line", request("OPTIONS", "this is not a header\n"), 400],
    ["a CSeq of another method", request("OPTIONS").replace("CSeq: 1 OPTIONS", "CSeq: 1 INVITE"), 400],
    ["a body shorter than Content-Length", request("OPTIONS").replace("Content-Length: 0", "Content-Length: 50"), 400],
    ["SIP/3.0", request("OPTIONS").replace("SIP/2.0\n", "SIP/3.0\n"), 505],
  ])("answers %s with %s", async (_name, text, status) => {
    const t = setup();
    t.probe(text);
    await t.network.settle();
    // An INVITE gets its 100 Trying from the transaction before the user agent looks at it.
    const finals = () => t.statuses().filter((s) => s !== 100);
    expect(finals()).toEqual([status]);
    const response = t.probeReceived.find((m) => m.type === "response" && m.status !== 100) as SipResponse;
    if (status === 405) expect(response.headers.get("Allow")).toContain("INVITE");
    if (status === 400 || status === 505) expect(response.headers.get("Warning")).toMatch(/^399 switchboard "/);
    // The agent keeps serving.
    t.probe(request("OPTIONS"));
    await t.network.settle();
    expect(finals()).toEqual([status, 200]);
  });

  it("drops malformed messages it cannot address (no Via) and malformed ACKs", async () => {
    const t = setup();
    t.probe(request("OPTIONS").replace(/Via: .*\n/, ""));
    t.probe(request("ACK").replace("CSeq: 1 ACK", "CSeq: x ACK"));
    t.probe("garbage\n\n");
    await t.network.settle();
    expect(t.statuses()).toEqual([]);
  });

  it("refuses calls with 480 when nobody takes them, and out-of-order requests with 500", async () => {
    const network = new MemorySipNetwork();
    const scheduler = new ManualScheduler();
    network.userAgent("10.0.0.2", 5060, { scheduler });
    const caller = network.userAgent("10.0.0.1", 5062, { scheduler });
    const leg = caller.invite("sip:agent@10.0.0.2", { sdp: OFFER });
    await network.settle();
    expect(await leg.answered).toMatchObject({ ok: false, status: 480 });

    const t = setup();
    const { outgoing } = await establish(t);
    const dialog = (outgoing as unknown as { dialog: { localSeq: number } }).dialog;
    dialog.localSeq = 0;
    const info = outgoing.sendInfo("x", "text/plain");
    await t.network.settle();
    expect(await info).toBe(500);
  });

  it("stamps received and rport on the Via of what it answers", async () => {
    const t = setup();
    t.probe(request("OPTIONS").replace("10.0.0.9:5070", "192.0.2.1:9999"));
    await t.network.settle();
    const via = parseVia((t.probeReceived[0] as SipResponse).headers.get("Via") ?? "");
    expect(via?.params.get("received")).toBe("10.0.0.9");
    expect(via?.params.get("rport")).toBe("5070");
    const source: Source | undefined = t.network.log.find((d) => d.message.type === "response")?.from;
    expect(source?.address).toBe("10.0.0.2");
  });

  it.each([
    [
      "throws",
      () => {
        throw new Error("application bug");
      },
    ],
    [
      "rejects",
      async () => {
        throw new Error("application bug");
      },
    ],
  ])("gives the caller 500 when the application's onInvite handler %s", async (_name, handler) => {
    const t = setup({ onInvite: handler });
    const outgoing = t.caller.invite("sip:agent@10.0.0.2", { sdp: OFFER });
    await t.network.settle();
    expect(await outgoing.answered).toMatchObject({ ok: false, status: 500 });
  });

  it("an incoming call hung up before the answer is rejected with 480", async () => {
    const t = setup();
    const outgoing = t.caller.invite("sip:agent@10.0.0.2", { sdp: OFFER });
    await t.network.settle();
    await (t.incoming[0] as IncomingLeg).hangup();
    await t.network.settle();
    expect(await outgoing.answered).toMatchObject({ ok: false, status: 480 });
  });
});
