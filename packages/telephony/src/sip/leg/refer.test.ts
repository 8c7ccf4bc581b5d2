import { describe, expect, it } from "vitest";
import { MemorySipNetwork } from "../../../testing/memory-sip-network.js";
import { ManualScheduler } from "../../scheduler/scheduler.js";
import type { SipRequest, SipResponse } from "../message/model.js";
import type { IncomingLeg } from "./incoming-leg.js";
import type { IncomingRefer } from "./refer-subscription.js";

const OFFER = "v=0\r\no=a 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
const ANSWER = "v=0\r\no=b 1 1 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n";

/** A caller (10.0.0.1) in a call with a callee (10.0.0.2); a third party (10.0.0.3) to transfer to. */
async function setup() {
  const scheduler = new ManualScheduler();
  const network = new MemorySipNetwork();
  const incoming: IncomingLeg[] = [];
  const third: IncomingLeg[] = [];
  const callee = network.userAgent("10.0.0.2", 5060, { scheduler, onInvite: (leg) => void incoming.push(leg) });
  const caller = network.userAgent("10.0.0.1", 5060, { scheduler });
  network.userAgent("10.0.0.3", 5060, { scheduler, onInvite: (leg) => void third.push(leg) });
  const outgoing = caller.invite("sip:agent@10.0.0.2", { sdp: OFFER });
  await network.settle();
  const leg = incoming[0];
  if (!leg) throw new Error("no call");
  void leg.answer(ANSWER);
  await network.settle();
  const requests = (method: string) =>
    network.log.filter((d) => d.message.type === "request" && d.message.method === method).map((d) => d.message as SipRequest);
  const responsesTo = (method: string) =>
    network.log
      .filter((d) => d.message.type === "response" && d.message.headers.get("CSeq")?.endsWith(method))
      .map((d) => (d.message as SipResponse).status);
  return { scheduler, network, callee, caller, outgoing, leg, third, requests, responsesTo };
}

describe("REFER (RFC 3515)", () => {
  it("accepts a transfer with 202, then reports progress in NOTIFYs with sipfrag until the final status", async () => {
    const t = await setup();
    const refers: IncomingRefer[] = [];
    t.leg.onRefer((refer) => {
      refers.push(refer);
    });
    const refer = t.outgoing.refer("sip:+15550199@10.0.0.3", { referredBy: "sip:caller@10.0.0.1" });
    const progress: number[] = [];
    refer.onProgress((report) => progress.push(report.status));
    await t.network.settle();
    expect(await refer.accepted).toBe(202);
    const [received] = refers;
    expect(received?.target.uri).toBe("sip:+15550199@10.0.0.3");
    expect(received?.referredBy?.uri).toBe("sip:caller@10.0.0.1");
    expect(progress).toEqual([100]);
    void received?.subscription.notify(180);
    await t.network.settle();
    void received?.subscription.notify(200);
    await t.network.settle();
    expect(await refer.outcome).toEqual({ kind: "succeeded", status: 200 });
    expect(progress).toEqual([100, 180, 200]);
    const notifies = t.requests("NOTIFY");
    expect(notifies.map((n) => n.body.toString())).toEqual([
      "SIP/2.0 100 Trying\r\n",
      "SIP/2.0 180 Ringing\r\n",
      "SIP/2.0 200 OK\r\n",
    ]);
    const referSeq = t.requests("REFER")[0]?.headers.get("CSeq")?.split(" ")[0];
    expect(notifies.map((n) => n.headers.get("Event"))).toEqual([1, 2, 3].map(() => `refer;id=${referSeq}`));
    expect(notifies.map((n) => n.headers.get("Subscription-State"))).toEqual([
      "active;expires=180",
      "active;expires=180",
      "terminated;reason=noresubscription",
    ]);
    expect(notifies[0]?.headers.get("Content-Type")).toBe("message/sipfrag;version=2.0");
    expect(t.responsesTo("NOTIFY")).toEqual([200, 200, 200]);
    expect(received?.subscription.state).toBe("terminated");
    // The call goes on.
    expect(t.leg.state).toBe("confirmed");
  });

  it("follows the referred call: its ringing and its failure become the reports", async () => {
    const t = await setup();
    t.leg.onRefer((refer) => {
      const attempt = t.callee.invite(refer.target.uri, { sdp: OFFER });
      refer.subscription.trackLeg(attempt);
    });
    const refer = t.outgoing.refer("sip:busy@10.0.0.3");
    await t.network.settle();
    const target = t.third[0];
    target?.ring();
    await t.network.settle();
    target?.reject(486);
    await t.network.settle();
    expect(await refer.outcome).toEqual({ kind: "failed", status: 486 });
    expect(refer.progress.map((p) => `${p.status} ${p.reason}`)).toEqual(["100 Trying", "180 Ringing", "486 Busy Here"]);
  });

  it("refuses a REFER with 403 without a handler, and with the handler's status when it declines", async () => {
    const t = await setup();
    const refused = t.outgoing.refer("sip:x@10.0.0.3");
    await t.network.settle();
    expect(await refused.outcome).toEqual({ kind: "rejected", status: 403 });
    t.leg.onRefer((refer) => refer.reject(603));
    const declined = t.outgoing.refer("sip:x@10.0.0.3");
    await t.network.settle();
    expect(await declined.outcome).toEqual({ kind: "rejected", status: 603 });
    t.leg.onRefer(async () => {
      throw new Error("application bug");
    });
    const broken = t.outgoing.refer("sip:x@10.0.0.3");
    await t.network.settle();
    expect(await broken.outcome).toEqual({ kind: "rejected", status: 500 });
    expect(t.requests("NOTIFY")).toEqual([]);
  });

  it("sends no NOTIFY when the referrer asked for none (Refer-Sub: false, RFC 4488)", async () => {
    const t = await setup();
    let accepted: IncomingRefer | undefined;
    t.leg.onRefer((refer) => {
      accepted = refer;
    });
    const refer = t.outgoing.refer("sip:x@10.0.0.3", { noSubscription: true });
    await t.network.settle();
    expect(await refer.outcome).toEqual({ kind: "unknown", why: "no-subscription" });
    void accepted?.subscription.notify(200);
    await t.network.settle();
    expect(t.requests("NOTIFY")).toEqual([]);
    expect(
      t.network.log.find((d) => d.message.type === "response" && d.message.status === 202)?.message.headers.get("Refer-Sub"),
    ).toBe("false");
  });

  it("ends the subscription with the call: the referrer's outcome says so and no NOTIFY follows", async () => {
    const t = await setup();
    let accepted: IncomingRefer | undefined;
    t.leg.onRefer((refer) => {
      accepted = refer;
    });
    const refer = t.outgoing.refer("sip:x@10.0.0.3");
    await t.network.settle();
    void t.outgoing.hangup();
    await t.network.settle();
    expect(await refer.outcome).toEqual({ kind: "unknown", why: "call-ended" });
    void accepted?.subscription.notify(200);
    await t.network.settle();
    expect(t.requests("NOTIFY")).toHaveLength(1);
    expect(accepted?.subscription.state).toBe("terminated");
  });

  it("terminates a subscription that outlives its expiry with a last NOTIFY (reason=timeout)", async () => {
    const t = await setup();
    t.leg.onRefer(() => undefined);
    const refer = t.outgoing.refer("sip:x@10.0.0.3");
    await t.network.settle();
    t.scheduler.advance(180_000);
    await t.network.settle();
    expect(t.requests("NOTIFY").map((n) => n.headers.get("Subscription-State"))).toEqual([
      "active;expires=180",
      "terminated;reason=timeout",
    ]);
    expect(await refer.outcome).toEqual({ kind: "unknown", why: "terminated" });
  });

  it("the callee can refer the caller too, and the caller follows by itself", async () => {
    const t = await setup();
    t.outgoing.onRefer((refer) => {
      refer.subscription.trackLeg(t.caller.invite(refer.target.uri, { sdp: OFFER }));
    });
    const refer = t.leg.refer("sip:agent@10.0.0.3");
    await t.network.settle();
    void t.third[0]?.answer(ANSWER);
    await t.network.settle();
    expect(await refer.outcome).toEqual({ kind: "succeeded", status: 200 });
  });

  it.each([
    ["without Refer-To", (text: string) => text.replace(/Refer-To: .*\r\n/, ""), 400],
    ["with two Refer-To", (text: string) => text.replace(/(Refer-To: .*\r\n)/, "$1$1"), 400],
  ])("answers a REFER %s with %s", async (_name, mutate, status) => {
    const t = await setup();
    t.leg.onRefer(() => undefined);
    // Send a crafted REFER in the dialog through the caller's transport.
    const dialog = (t.outgoing as unknown as { dialog: { createRequest: (m: string, o: object) => SipRequest } }).dialog;
    const request = dialog.createRequest("REFER", { headers: [["Refer-To", "<sip:x@10.0.0.3>"]] });
    const text = `REFER ${request.uri} SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKcraft${status}${_name.length}\r\n${request.headers
      .entries()
      .map((h) => `${h.name}: ${h.value}`)
      .join("\r\n")}\r\nContent-Length: 0\r\n\r\n`;
    t.network.inject(
      Buffer.from(mutate(text)),
      { protocol: "udp", address: "10.0.0.1", port: 5060 },
      { protocol: "udp", host: "10.0.0.2", port: 5060 },
    );
    await t.network.settle();
    expect(t.responsesTo("REFER")).toEqual([status]);
  });

  it("answers a NOTIFY of an unknown event with 489 and of no subscription with 481; a REFER outside a dialog with 403", async () => {
    const t = await setup();
    const dialog = (t.leg as unknown as { dialog: { createRequest: (m: string, o: object) => SipRequest } }).dialog;
    const send = (headers: [string, string][]) => {
      const request = dialog.createRequest("NOTIFY", {
        headers,
        body: Buffer.from("SIP/2.0 200 OK\r\n"),
        contentType: "message/sipfrag",
      });
      return new Promise<number>((resolve) => {
        (t.leg as unknown as { host: { sendRequest: (r: SipRequest, d: object, u: object) => void } }).host.sendRequest(
          request,
          { protocol: "udp", host: "10.0.0.1", port: 5060 },
          {
            onResponse: (r: SipResponse) => resolve(r.status),
            onTimeout: () => resolve(408),
            onTransportError: () => resolve(503),
          },
        );
      });
    };
    const presence = send([
      ["Event", "presence"],
      ["Subscription-State", "active"],
    ]);
    await t.network.settle();
    expect(await presence).toBe(489);
    const orphan = send([
      ["Event", "refer;id=77"],
      ["Subscription-State", "active"],
    ]);
    await t.network.settle();
    expect(await orphan).toBe(481);
    const outside = t.caller.request("REFER", "sip:agent@10.0.0.2");
    await t.network.settle();
    expect(await outside).toMatchObject({ status: 403 });
  });
});
