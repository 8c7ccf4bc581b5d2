import { describe, expect, it } from "vitest";
import { ManualScheduler } from "../../scheduler/scheduler.js";
import { cseqHeader } from "../message/cseq.js";
import type { SipMessage, SipRequest, SipResponse } from "../message/model.js";
import { toHeader } from "../message/name-addr.js";
import { parseSipMessage } from "../message/parse.js";
import { createResponse } from "../message/response.js";
import { topVia, viaBranch } from "../message/via.js";
import { TransactionLayer } from "./layer.js";
import type { Destination, Source, TransactionTransport } from "./model.js";
import type { ServerInviteTransaction, ServerTransaction } from "./server-transaction.js";

function request(method: string, branch = "z9hG4bKabc", sentBy = "10.0.0.2:5060"): SipRequest {
  const text =
    `${method} sip:bob@10.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP ${sentBy};branch=${branch}\r\nMax-Forwards: 70\r\n` +
    `From: <sip:alice@10.0.0.2>;tag=a1\r\nTo: <sip:bob@10.0.0.1>\r\nCall-ID: call-1\r\nCSeq: 1 ${method}\r\n` +
    "Route: <sip:proxy.example.com;lr>\r\n\r\n";
  const result = parseSipMessage(Buffer.from(text));
  if (!result.ok || result.message.type !== "request") throw new Error("bad fixture");
  return result.message;
}

const udp: Destination = { protocol: "udp", host: "10.0.0.1", port: 5060 };
const tcp: Destination = { protocol: "tcp", host: "10.0.0.1", port: 5060 };
const from: Source = { protocol: "udp", address: "10.0.0.2", port: 5060 };

function setup() {
  const scheduler = new ManualScheduler();
  const sent: { message: SipMessage; at: number }[] = [];
  let failNext = false;
  const transport: TransactionTransport = {
    sendRequest: async (message) => {
      if (failNext) throw new Error("connection refused");
      sent.push({ message, at: scheduler.now() });
    },
    sendResponse: async (message) => {
      sent.push({ message, at: scheduler.now() });
    },
  };
  const requests: { request: SipRequest; transaction: ServerTransaction }[] = [];
  const acks: SipRequest[] = [];
  const strays: SipResponse[] = [];
  const layer = new TransactionLayer({
    transport,
    scheduler,
    onRequest: (request, transaction) => requests.push({ request, transaction }),
    onAck: (ack) => acks.push(ack),
    onStrayResponse: (response) => strays.push(response),
  });
  const events: string[] = [];
  const user = {
    onResponse: (response: SipResponse) => events.push(`response ${response.status}`),
    onTimeout: () => events.push(`timeout@${scheduler.now()}`),
    onTransportError: () => events.push("transport error"),
  };
  return {
    scheduler,
    sent,
    layer,
    requests,
    acks,
    strays,
    events,
    user,
    failNext: () => {
      failNext = true;
    },
  };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));
const times = (sent: { message: SipMessage; at: number }[], method: string) =>
  sent.filter((s) => s.message.type === "request" && s.message.method === method).map((s) => s.at);

describe("client INVITE transaction", () => {
  it("retransmits on timer A (doubling from T1) over UDP and times out on timer B", async () => {
    const t = setup();
    const invite = request("INVITE");
    const transaction = t.layer.sendRequest(invite, udp, t.user);
    t.scheduler.advance(40_000);
    await flush();
    expect(times(t.sent, "INVITE")).toEqual([0, 500, 1500, 3500, 7500, 15500, 31500]);
    expect(t.events).toEqual(["timeout@32000"]);
    expect(transaction.state).toBe("terminated");
    expect(t.layer.size.clients).toBe(0);
  });

  it("does not retransmit over TCP, but still times out on timer B", async () => {
    const t = setup();
    t.layer.sendRequest(request("INVITE"), tcp, t.user);
    t.scheduler.advance(40_000);
    await flush();
    expect(times(t.sent, "INVITE")).toEqual([0]);
    expect(t.events).toEqual(["timeout@32000"]);
  });

  it("stops retransmitting on a provisional response and ACKs a failure itself, again for each retransmission", async () => {
    const t = setup();
    const invite = request("INVITE");
    const transaction = t.layer.sendRequest(invite, udp, t.user);
    t.scheduler.advance(600);
    t.layer.receive(createResponse(invite, 180, { toTag: "b1" }), from);
    t.scheduler.advance(60_000);
    expect(transaction.state).toBe("proceeding");
    const busy = createResponse(invite, 486, { toTag: "b1" });
    t.layer.receive(busy, from);
    t.layer.receive(busy, from);
    await flush();
    expect(times(t.sent, "INVITE")).toEqual([0, 500]);
    const acks = t.sent.filter((s) => s.message.type === "request" && s.message.method === "ACK").map((s) => s.message);
    expect(acks).toHaveLength(2);
    const ack = acks[0] as SipRequest;
    expect(ack.uri).toBe(invite.uri);
    expect(viaBranch(topVia(ack) ?? { transport: "", host: "", params: new Map() })).toBe("z9hG4bKabc");
    expect(toHeader(ack)?.params.get("tag")).toBe("b1");
    expect(cseqHeader(ack)).toEqual({ seq: 1, method: "ACK" });
    expect(ack.headers.getAll("Route")).toEqual(["<sip:proxy.example.com;lr>"]);
    expect(t.events).toEqual(["response 180", "response 486"]);
    expect(transaction.state).toBe("completed");
    t.scheduler.advance(31_999);
    expect(transaction.state).toBe("completed");
    t.scheduler.advance(1);
    expect(transaction.state).toBe("terminated");
  });

  it("timer D is zero over TCP", () => {
    const t = setup();
    const invite = request("INVITE");
    const transaction = t.layer.sendRequest(invite, tcp, t.user);
    t.layer.receive(createResponse(invite, 603, { toTag: "x" }), from);
    t.scheduler.advance(0);
    expect(transaction.state).toBe("terminated");
  });

  it("passes every 2xx to the TU while accepted (RFC 6026), then ends on timer M", () => {
    const t = setup();
    const invite = request("INVITE");
    const transaction = t.layer.sendRequest(invite, udp, t.user);
    const ok = createResponse(invite, 200, { toTag: "b1" });
    t.layer.receive(ok, from);
    t.layer.receive(ok, from);
    expect(t.events).toEqual(["response 200", "response 200"]);
    expect(transaction.state).toBe("accepted");
    t.scheduler.advance(32_000);
    expect(transaction.state).toBe("terminated");
    t.layer.receive(ok, from);
    expect(t.strays).toHaveLength(1);
  });

  it("reports a transport failure", async () => {
    const t = setup();
    t.failNext();
    t.layer.sendRequest(request("INVITE"), tcp, t.user);
    await flush();
    expect(t.events).toEqual(["transport error"]);
    expect(t.layer.size.clients).toBe(0);
  });
});

describe("client non-INVITE transaction", () => {
  it("retransmits on timer E (doubling up to T2) and times out on timer F", async () => {
    const t = setup();
    t.layer.sendRequest(request("OPTIONS"), udp, t.user);
    t.scheduler.advance(40_000);
    await flush();
    expect(times(t.sent, "OPTIONS")).toEqual([0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
    expect(t.events).toEqual(["timeout@32000"]);
  });

  it("retransmits every T2 once proceeding, absorbs final retransmissions and ends on timer K", async () => {
    const t = setup();
    const bye = request("BYE");
    const transaction = t.layer.sendRequest(bye, udp, t.user);
    t.layer.receive(createResponse(bye, 100), from);
    t.scheduler.advance(8_500);
    t.layer.receive(createResponse(bye, 200), from);
    t.layer.receive(createResponse(bye, 200), from);
    await flush();
    expect(times(t.sent, "BYE")).toEqual([0, 500, 4500, 8500]);
    expect(t.events).toEqual(["response 100", "response 200"]);
    t.scheduler.advance(4_999);
    expect(transaction.state).toBe("completed");
    t.scheduler.advance(1);
    expect(transaction.state).toBe("terminated");
  });
});

describe("server INVITE transaction", () => {
  it("sends 100 Trying at once, answers retransmissions with the last provisional, and hands the request to the TU once", async () => {
    const t = setup();
    const invite = request("INVITE");
    t.layer.receive(invite, from);
    t.layer.receive(invite, from);
    expect(t.requests).toHaveLength(1);
    const transaction = t.requests[0]?.transaction as ServerInviteTransaction;
    transaction.reply(180, { toTag: "b1" });
    t.layer.receive(invite, from);
    await flush();
    expect(t.sent.map((s) => (s.message.type === "response" ? s.message.status : 0))).toEqual([100, 100, 180, 180]);
  });

  it("retransmits a failure on timer G until the ACK, which the transaction absorbs; timer I ends it", async () => {
    const t = setup();
    const invite = request("INVITE");
    t.layer.receive(invite, from);
    const transaction = t.requests[0]?.transaction as ServerInviteTransaction;
    transaction.reply(486, { toTag: "b1" });
    t.scheduler.advance(8_000);
    const ack = request("ACK");
    t.layer.receive(ack, from);
    t.layer.receive(ack, from);
    t.scheduler.advance(10_000);
    await flush();
    expect(t.sent.filter((s) => s.message.type === "response" && s.message.status === 486).map((s) => s.at)).toEqual([
      0, 500, 1500, 3500, 7500,
    ]);
    expect(t.acks).toEqual([]);
    expect(transaction.state).toBe("terminated");
  });

  it("gives up on timer H when no ACK comes", () => {
    const t = setup();
    t.layer.receive(request("INVITE"), from);
    const transaction = t.requests[0]?.transaction as ServerInviteTransaction;
    const events: number[] = [];
    transaction.onAckTimeout(() => events.push(t.scheduler.now()));
    transaction.reply(500);
    t.scheduler.advance(60_000);
    expect(events).toEqual([32_000]);
    expect(t.layer.size.servers).toBe(0);
  });

  it("absorbs INVITE retransmissions after a 2xx (RFC 6026) and passes the 2xx's ACK to the TU", async () => {
    const t = setup();
    const invite = request("INVITE");
    t.layer.receive(invite, from);
    const transaction = t.requests[0]?.transaction as ServerInviteTransaction;
    transaction.reply(200, { toTag: "b1" });
    t.layer.receive(invite, from);
    t.layer.receive(request("ACK", "z9hG4bKnew"), from);
    await flush();
    expect(t.sent.map((s) => (s.message.type === "response" ? s.message.status : 0))).toEqual([100, 200]);
    expect(t.acks).toHaveLength(1);
    expect(t.requests).toHaveLength(1);
    t.scheduler.advance(32_000);
    expect(transaction.state).toBe("terminated");
  });

  it("finds the INVITE a CANCEL refers to, by branch and sent-by", () => {
    const t = setup();
    t.layer.receive(request("INVITE"), from);
    t.layer.receive(request("CANCEL"), from);
    expect(t.requests.map((r) => r.request.method)).toEqual(["INVITE", "CANCEL"]);
    expect(t.layer.findInviteFor(request("CANCEL"))).toBe(t.requests[0]?.transaction);
    expect(t.layer.findInviteFor(request("CANCEL", "z9hG4bKother"))).toBeUndefined();
    expect(t.layer.findInviteFor(request("CANCEL", "z9hG4bKabc", "10.0.0.3:5060"))).toBeUndefined();
  });
});

describe("server non-INVITE transaction", () => {
  it("absorbs retransmissions until it answers, then repeats the answer until timer J", async () => {
    const t = setup();
    const options = request("OPTIONS");
    t.layer.receive(options, from);
    t.layer.receive(options, from);
    const transaction = t.requests[0]?.transaction as ServerTransaction;
    transaction.reply(200);
    t.layer.receive(options, from);
    await flush();
    expect(t.sent.map((s) => (s.message.type === "response" ? s.message.status : 0))).toEqual([200, 200]);
    t.scheduler.advance(31_999);
    expect(transaction.state).toBe("completed");
    t.scheduler.advance(1);
    expect(transaction.state).toBe("terminated");
    t.layer.receive(options, from);
    expect(t.requests).toHaveLength(2);
  });

  it("ends at once over TCP (timer J is zero)", () => {
    const t = setup();
    t.layer.receive(request("OPTIONS"), { ...from, protocol: "tcp" });
    t.requests[0]?.transaction.reply(200);
    t.scheduler.advance(0);
    expect(t.layer.size.servers).toBe(0);
  });

  it("matches RFC 2543 requests without a magic cookie by their identifiers", () => {
    const t = setup();
    const old = request("OPTIONS", "oldstyle1");
    t.layer.receive(old, from);
    t.layer.receive(old, from);
    expect(t.requests).toHaveLength(1);
  });
});
