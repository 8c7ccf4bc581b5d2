import type { ServerFrame } from "@switchboard/protocol";
import { sineTone } from "@switchboard/telephony";
import { SipTestClient, TestBrowser, type TestCall, toneShare } from "@switchboard/telephony/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { eventually, listen } from "../testing/call-checks.js";
import { customer, type RunningServer, startSipServer } from "../testing/harness.js";
import { DEMO_AGENTS, DEMO_ATTENDANT_NUMBER } from "./demo/northwind.js";

/**
 * Browser agents take phone calls (issue 7): an agent desktop registers its real-time socket for calls, a
 * caller in the demo's Support line is offered to the agent, the desktop rings with our SDP offer and
 * answers; caller and browser hear each other over SIP/RTP on one side and WebRTC on the other. A werift
 * peer plays the browser (Chromium does the same in the e2e test). Also: what the socket refuses.
 */

let running: RunningServer;
let caller: SipTestClient;
const sockets: WebSocket[] = [];
const browsers: TestBrowser[] = [];

const [ANA, BEN] = DEMO_AGENTS;

beforeAll(async () => {
  running = await startSipServer();
  caller = await SipTestClient.start();
  // Ana is away: every call goes to Ben.
  const ana = await signedInAgent(ANA);
  await ana.client.agent.setPresence("away");
}, 30_000);

// Each test's desktops go away with it: a socket still registered would ring for the next test's calls.
afterEach(async () => {
  await Promise.all(
    sockets.splice(0).map(
      (socket) =>
        new Promise<void>((resolve) => {
          if (socket.readyState === socket.CLOSED) return resolve();
          socket.once("close", () => resolve());
          socket.close();
        }),
    ),
  );
});

afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close().catch(() => undefined)));
  await caller?.close();
  await running?.close();
});

const sipPort = () => running.server.telephony?.port ?? 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A real-time socket with every frame it received, and a way to wait for the next of a type. */
class Socket {
  readonly frames: ServerFrame[] = [];
  private constructor(private readonly socket: WebSocket) {
    socket.on("message", (data) => this.frames.push(JSON.parse(data.toString()) as ServerFrame));
  }

  static async open(token: string): Promise<Socket> {
    const socket = new WebSocket(`${running.baseUrl.replace("http", "ws")}/v1/realtime?token=${token}`);
    sockets.push(socket);
    const opened = new Socket(socket);
    await opened.next("ready");
    return opened;
  }

  send(frame: object): void {
    this.socket.send(JSON.stringify(frame));
  }

  /** The first frame of `type` received after the `from`-th frame (default: any so far). */
  next<T extends ServerFrame["type"]>(type: T, from = 0, timeoutMs = 15_000): Promise<Extract<ServerFrame, { type: T }>> {
    return eventually(
      () => this.frames.slice(from).find((f): f is Extract<ServerFrame, { type: T }> => f.type === type),
      timeoutMs,
    );
  }
}

async function signedInAgent(agent: (typeof DEMO_AGENTS)[number]) {
  const session = await running.client("").auth.signIn({ tenant: "demo", email: agent.email, password: agent.password });
  return { token: session.token, client: running.client(session.token) };
}

/** Ben, signed in and available with nothing on: the earlier test's call over, its wrap-up ended. */
async function availableBen() {
  const ben = await signedInAgent(BEN);
  await eventually(async () => {
    const { worker } = await ben.client.agent.me();
    if (worker.load > 0) return undefined;
    if (worker.presence === "available") return true;
    await ben.client.agent.setPresence("available");
    return undefined;
  });
  return ben;
}

/** Calls the main line and presses 2 (the Support line). */
async function callSupport(): Promise<TestCall> {
  const call = await caller.call(`sip:${DEMO_ATTENDANT_NUMBER}@127.0.0.1:${sipPort()}`);
  expect((await call.answered)?.ok).toBe(true);
  await call.waitForAudio(1);
  await call.sendDtmf("2");
  return call;
}

describe("a browser agent answers a queue call", () => {
  it("rings the registered desktop with the offer; answered, caller and browser hear each other; the browser hangs up", async () => {
    const ben = await signedInAgent(BEN);
    const desk = await Socket.open(ben.token);
    desk.send({ type: "calls.register", register: true });
    expect(await desk.next("calls.registered")).toEqual({ type: "calls.registered", registered: true });

    const call = await callSupport();
    const offer = await desk.next("routing.offer");
    expect(offer.offer).toMatchObject({ channel: "voice", conversationId: null, conversation: null, queueName: "Support line" });
    expect(offer.offer.call?.from).toBeTruthy();
    const ringing = await desk.next("call.incoming");
    expect(ringing).toMatchObject({ offerId: offer.offer.id, callId: offer.offer.call?.id, queueName: "Support line" });
    expect(ringing.sdp).toContain("a=candidate:");

    // A call is accepted by answering it, not through the chat offers' endpoint.
    await expect(ben.client.offers.accept(offer.offer.id)).rejects.toMatchObject({ code: "offer.answer_the_call", status: 409 });

    const browser = new TestBrowser();
    browsers.push(browser);
    desk.send({ type: "call.answer", legId: ringing.legId, sdp: await browser.answer(ringing.sdp) });
    expect(await desk.next("call.connected")).toEqual({ type: "call.connected", legId: ringing.legId, callId: ringing.callId });
    expect(await desk.next("routing.offer_ended")).toMatchObject({ offerId: offer.offer.id, outcome: "accepted" });

    // The browser's 1 kHz reaches the caller; the caller's 700 Hz reaches the browser.
    void browser.speak(sineTone(1_000, 3_000, 9_000));
    await sleep(800);
    expect(toneShare(await listen(call, 1_000), 1_000)).toBeGreaterThan(0.5);
    void call.play(sineTone(700, 2_000, 9_000));
    await sleep(500);
    const mark = browser.mark;
    await sleep(1_000);
    expect(toneShare(browser.heardSince(mark), 700)).toBeGreaterThan(0.5);

    const from = desk.frames.length;
    desk.send({ type: "call.hangup", legId: ringing.legId });
    expect(await desk.next("call.ended", from)).toEqual({ type: "call.ended", legId: ringing.legId, reason: "hangup" });
    await expect(call.ended).resolves.toBeDefined();

    // The call's record: the caller's SIP leg and the agent's browser leg, both answered and ended.
    const record = await eventually(async () => {
      const detail = await running.admin.telephony.calls.get(ringing.callId);
      return detail.state === "ended" ? detail : undefined;
    });
    expect(record.legs.map((l) => [l.role, l.protocol])).toEqual([
      ["caller", "udp"],
      ["agent", "webrtc"],
    ]);
    expect(record.legs[1]?.answeredAt).not.toBeNull();
    // Each leg's call quality on the timeline: the browser leg's audio counted, its ICE round trip measured.
    const agentLeg = record.legs[1]?.id;
    const quality = await eventually(async () => {
      const events = await running.admin.telephony.calls.events(ringing.callId);
      return events.find((e) => e.type === "leg.quality" && (e.data as { legId: string }).legId === agentLeg);
    });
    expect(quality.data).toMatchObject({ packetsLost: 0, roundTripMs: expect.any(Number) });
    expect((quality.data as { packetsReceived: number }).packetsReceived).toBeGreaterThan(100);
  }, 60_000);

  it("rings every registered desktop of the agent: the first to answer takes it, the other stops ringing", async () => {
    const ben = await availableBen();
    const laptop = await Socket.open(ben.token);
    const tablet = await Socket.open(ben.token);
    for (const desk of [laptop, tablet]) {
      desk.send({ type: "calls.register", register: true });
      await desk.next("calls.registered");
    }
    const call = await callSupport();
    const [onLaptop, onTablet] = await Promise.all([laptop.next("call.incoming"), tablet.next("call.incoming")]);
    expect(onLaptop.legId).not.toBe(onTablet.legId);
    const browser = new TestBrowser();
    browsers.push(browser);
    tablet.send({ type: "call.answer", legId: onTablet.legId, sdp: await browser.answer(onTablet.sdp) });
    await tablet.next("call.connected");
    expect(await laptop.next("call.ended")).toEqual({ type: "call.ended", legId: onLaptop.legId, reason: "answered_elsewhere" });

    // The caller hangs up: the browser is told.
    await call.hangup();
    expect(await tablet.next("call.ended")).toEqual({ type: "call.ended", legId: onTablet.legId, reason: "remote_hangup" });
  }, 60_000);

  it("a rejected ring declines the offer", async () => {
    const ben = await availableBen();
    const desk = await Socket.open(ben.token);
    desk.send({ type: "calls.register", register: true });
    await desk.next("calls.registered");
    const call = await callSupport();
    const ringing = await desk.next("call.incoming");
    desk.send({ type: "call.reject", legId: ringing.legId, reason: "declined" });
    expect(await desk.next("routing.offer_ended")).toMatchObject({ offerId: ringing.offerId, outcome: "declined" });
    await call.hangup();
  }, 60_000);
});

describe("a colleague's desktop rings for their extension", () => {
  it("a queue call answered in Ben's browser is transferred to Ana's extension: her desktop rings and takes it", async () => {
    const ben = await availableBen();
    const desk = await Socket.open(ben.token);
    desk.send({ type: "calls.register", register: true });
    await desk.next("calls.registered");
    // Ana is away (no queue offers) but reachable at her extension, on her desktop.
    const ana = await signedInAgent(ANA);
    const anaDesk = await Socket.open(ana.token);
    anaDesk.send({ type: "calls.register", register: true });
    await anaDesk.next("calls.registered");

    const call = await callSupport();
    const ringing = await desk.next("call.incoming");
    const benBrowser = new TestBrowser();
    browsers.push(benBrowser);
    desk.send({ type: "call.answer", legId: ringing.legId, sdp: await benBrowser.answer(ringing.sdp) });
    await desk.next("call.connected");

    const transferred = ben.client.telephony.liveCalls.transfer(ringing.callId, { kind: "person", extension: ANA.sip.extension });
    const forAna = await anaDesk.next("call.incoming");
    expect(forAna).toMatchObject({ callId: ringing.callId, offerId: null });
    const anaBrowser = new TestBrowser();
    browsers.push(anaBrowser);
    anaDesk.send({ type: "call.answer", legId: forAna.legId, sdp: await anaBrowser.answer(forAna.sdp) });
    expect(await transferred).toMatchObject({ outcome: "succeeded" });
    expect(await desk.next("call.ended")).toMatchObject({ legId: ringing.legId });

    void anaBrowser.speak(sineTone(1_000, 3_000, 9_000));
    await sleep(800);
    expect(toneShare(await listen(call, 1_000), 1_000)).toBeGreaterThan(0.5);
    await call.hangup();
    expect(await anaDesk.next("call.ended")).toEqual({ type: "call.ended", legId: forAna.legId, reason: "remote_hangup" });
  }, 60_000);
});

describe("a browser agent places a call", () => {
  it("calls a colleague's extension: the phone rings, answers, both hear each other; the phone hangs up", async () => {
    const phone = await SipTestClient.start();
    try {
      const registered = await phone.register(`sip:127.0.0.1:${sipPort()}`, {
        username: ANA.sip.username,
        password: ANA.sip.password,
      });
      expect(registered.ok).toBe(true);
      phone.acceptCalls({ play: sineTone(1_000, 20_000, 9_000) });
      const ben = await availableBen();
      const desk = await Socket.open(ben.token);
      const browser = new TestBrowser();
      browsers.push(browser);
      desk.send({ type: "call.place", requestId: "r1", to: ANA.sip.extension, sdp: await browser.offer() });
      const placing = await desk.next("call.placing");
      expect(placing.requestId).toBe("r1");
      await browser.accept(placing.sdp);
      expect(await desk.next("call.connected")).toEqual({ type: "call.connected", legId: placing.legId, callId: placing.callId });
      const answered = await phone.nextCall();

      void browser.speak(sineTone(700, 3_000, 9_000));
      await sleep(800);
      expect(toneShare(await listen(answered, 1_000), 700)).toBeGreaterThan(0.5);
      const mark = browser.mark;
      await sleep(1_000);
      expect(toneShare(browser.heardSince(mark), 1_000)).toBeGreaterThan(0.5);

      await answered.hangup();
      expect(await desk.next("call.ended")).toEqual({ type: "call.ended", legId: placing.legId, reason: "remote_hangup" });
      const record = await eventually(async () => {
        const detail = await running.admin.telephony.calls.get(placing.callId);
        return detail.state === "ended" ? detail : undefined;
      });
      expect(record).toMatchObject({
        direction: "internal",
        from: BEN.sip.extension,
        to: ANA.sip.extension,
        result: "completed",
      });
      expect(record.legs.map((l) => [l.role, l.protocol])).toEqual([
        ["caller", "webrtc"],
        ["agent", "udp"],
      ]);
    } finally {
      await phone.unregister();
      await phone.close();
    }
  }, 60_000);

  it("is told why a call did not get through, and refuses what cannot be dialled", async () => {
    const ben = await signedInAgent(BEN);
    const desk = await Socket.open(ben.token);
    const browser = new TestBrowser();
    browsers.push(browser);
    // Extension 1001 has no phone registered now, and Ana is away: nobody to ring.
    desk.send({ type: "call.place", requestId: "r2", to: ANA.sip.extension, sdp: await browser.offer() });
    const placing = await desk.next("call.placing");
    await browser.accept(placing.sdp);
    expect(await desk.next("call.ended")).toEqual({ type: "call.ended", legId: placing.legId, reason: "unreachable" });

    const spare = new TestBrowser();
    browsers.push(spare);
    desk.send({ type: "call.place", requestId: "r3", to: "call my mother", sdp: await spare.offer() });
    expect(await desk.next("error")).toMatchObject({ code: "call.invalid_target" });
    // An offer we cannot take (no audio we can carry): refused, nothing placed.
    const errors = desk.frames.filter((f) => f.type === "error").length;
    desk.send({ type: "call.place", requestId: "r4", to: ANA.sip.extension, sdp: "v=0\r\n" });
    const refused = await eventually(() => desk.frames.filter((f) => f.type === "error")[errors]);
    expect(refused).toMatchObject({ code: "call.offer_refused" });
  }, 30_000);
});

describe("a customer calls from the widget's chat", () => {
  it("waits in the conversation's queue; the agent's desktop rings with the conversation; both hear each other", async () => {
    const admin = running.admin;
    const tag = Math.random().toString(36).slice(2, 7);
    const queue = await admin.queues.create({ name: `Web calls ${tag}` });
    const entryPoint = await admin.entryPoints.create({
      name: `Site ${tag}`,
      botIdentityId: null,
      handoffQueue: queue.name,
      allowedOrigins: ["*"],
    });
    const ben = await availableBen();
    const { worker } = await ben.client.agent.me();
    // Chats and a call at once: capacity 2, a chat and a call cost 1 each.
    await admin.workers.update(worker.id, {
      ...worker.settings,
      capacity: 2,
      channelCosts: { chat: 1, voice: 1 },
      queueIds: [...worker.settings.queueIds, queue.id],
    });
    const desk = await Socket.open(ben.token);
    desk.send({ type: "calls.register", register: true });
    await desk.next("calls.registered");

    // The visitor's conversation goes straight to the queue (no bot); Ben takes the chat.
    const session = await running.client("").widget.createSession({ entryPointId: entryPoint.id });
    const chatOffer = await desk.next("routing.offer");
    await ben.client.offers.accept(chatOffer.offer.id);

    const visitor = await Socket.open(session.token);
    const from = desk.frames.length;
    const customerBrowser = new TestBrowser();
    browsers.push(customerBrowser);
    visitor.send({
      type: "call.start",
      requestId: "c1",
      conversationId: session.conversation.id,
      sdp: await customerBrowser.offer(),
    });
    const placing = await visitor.next("call.placing");
    await customerBrowser.accept(placing.sdp);
    await visitor.next("call.connected");

    const callOffer = await desk.next("routing.offer", from);
    expect(callOffer.offer).toMatchObject({
      channel: "voice",
      queueId: queue.id,
      call: { id: placing.callId, conversationId: session.conversation.id },
    });
    const ringing = await desk.next("call.incoming", from);
    const agentBrowser = new TestBrowser();
    browsers.push(agentBrowser);
    desk.send({ type: "call.answer", legId: ringing.legId, sdp: await agentBrowser.answer(ringing.sdp) });
    await desk.next("call.connected", from);
    // The customer is told who took the call.
    expect(await visitor.next("call.answered")).toEqual({
      type: "call.answered",
      legId: placing.legId,
      by: { name: BEN.displayName },
    });

    void customerBrowser.speak(sineTone(700, 3_000, 9_000));
    void agentBrowser.speak(sineTone(1_000, 3_000, 9_000));
    await sleep(800);
    const customerMark = customerBrowser.mark;
    const agentMark = agentBrowser.mark;
    await sleep(1_000);
    expect(toneShare(customerBrowser.heardSince(customerMark), 1_000)).toBeGreaterThan(0.5);
    expect(toneShare(agentBrowser.heardSince(agentMark), 700)).toBeGreaterThan(0.5);

    visitor.send({ type: "call.hangup", legId: placing.legId });
    expect(await desk.next("call.ended", from)).toEqual({ type: "call.ended", legId: ringing.legId, reason: "remote_hangup" });
    const record = await eventually(async () => {
      const detail = await admin.telephony.calls.get(placing.callId);
      return detail.state === "ended" ? detail : undefined;
    });
    expect(record).toMatchObject({ direction: "inbound", to: `conversation:${session.conversation.id}` });
    expect(record.legs.map((l) => [l.role, l.protocol])).toEqual([
      ["caller", "webrtc"],
      ["agent", "webrtc"],
    ]);
  }, 60_000);

  it("refuses a call from someone else's conversation", async () => {
    const entryPoints = await running.admin.entryPoints.list();
    const site = entryPoints.find((e) => e.allowedOrigins.includes("*")) ?? entryPoints[0];
    const mine = await running.client("").widget.createSession({ entryPointId: site?.id ?? "" });
    const other = await running.client("").widget.createSession({ entryPointId: site?.id ?? "" });
    const socket = await Socket.open(other.token);
    socket.send({ type: "call.start", requestId: "x", conversationId: mine.conversation.id, sdp: "v=0" });
    expect(await socket.next("error")).toMatchObject({ code: "conversation.not_found" });
  });
});

describe("the real-time socket's call frames", () => {
  it("refuses a customer's registration and a leg that is not ringing the socket", async () => {
    const visitor = await customer(running, "Vera Visitor");
    const socket = await Socket.open(visitor.token);
    socket.send({ type: "calls.register", register: true });
    expect(await socket.next("error")).toMatchObject({ code: "auth.scope_missing" });

    const ben = await signedInAgent(BEN);
    const desk = await Socket.open(ben.token);
    desk.send({ type: "call.answer", legId: "leg-of-someone-else", sdp: "v=0" });
    expect(await desk.next("error")).toMatchObject({ code: "call.unknown_leg" });
    desk.send({ type: "call.hangup", legId: "leg-of-someone-else" });
    await eventually(() => desk.frames.filter((f) => f.type === "error").length === 2 || undefined);
  });
});
