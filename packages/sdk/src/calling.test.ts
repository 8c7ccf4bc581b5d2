import type { CallFrame, ClientFrame } from "@switchboard/protocol";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  type AudioTrackLike,
  CallingClient,
  type CallingClientOptions,
  CallingError,
  type GetUserMedia,
  type MediaStreamLike,
  type PeerConnectionLike,
  type RtpSenderLike,
  readStats,
  type StatsReportLike,
  type TransceiverLike,
  type WebCall,
} from "./calling.js";
import { RealtimeClient, type WebSocketLike } from "./realtime.js";

// The signaling of web calling against a real RealtimeClient over a fake socket, and fakes of the browser's
// RTCPeerConnection and getUserMedia: what goes on the wire, when, and what is cleaned up.

class FakeSocket implements WebSocketLike {
  static last: FakeSocket | undefined;
  readyState = 0;
  readonly sent: ClientFrame[] = [];
  onopen: ((event: never) => void) | null = null;
  onmessage: ((event: never) => void) | null = null;
  onclose: ((event: never) => void) | null = null;
  onerror: ((event: never) => void) | null = null;

  constructor(readonly url: string) {
    FakeSocket.last = this;
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data) as ClientFrame);
  }

  close(): void {
    this.readyState = 3;
  }

  receive(frame: object): void {
    (this.onmessage as ((event: { data: string }) => void) | null)?.({ data: JSON.stringify(frame) });
  }

  open(): void {
    this.readyState = 1;
    this.receive({ type: "ready", connectionId: "con_1", identityId: "idn_agent", heartbeatMs: 0 });
  }

  drop(): void {
    this.readyState = 3;
    (this.onclose as (() => void) | null)?.();
  }

  framesOf<T extends ClientFrame["type"]>(type: T): Extract<ClientFrame, { type: T }>[] {
    return this.sent.filter((f): f is Extract<ClientFrame, { type: T }> => f.type === type);
  }
}

class FakeTrack implements AudioTrackLike {
  readonly kind = "audio";
  enabled = true;
  stopped = false;
  constructor(readonly label = "mic") {}
  stop(): void {
    this.stopped = true;
  }
}

class FakeStream implements MediaStreamLike {
  constructor(readonly tracks: FakeTrack[]) {}
  getAudioTracks(): FakeTrack[] {
    return this.tracks;
  }
  getTracks(): FakeTrack[] {
    return this.tracks;
  }
}

class FakeSender implements RtpSenderLike {
  track: AudioTrackLike | null = null;
  readonly tones: string[] = [];
  readonly dtmf = { insertDTMF: (tones: string) => void this.tones.push(tones) };
  async replaceTrack(track: AudioTrackLike | null): Promise<void> {
    this.track = track;
  }
}

const SERVER_SDP = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0 8 101\r\n";
const ANSWER_SDP = "v=0\r\no=- 2 2 IN IP4 192.0.2.9\r\ns=-\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0 101\r\n";
const OFFER_SDP = "v=0\r\no=- 3 3 IN IP4 192.0.2.9\r\ns=-\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111 0 8 101\r\n";

class FakePeer implements PeerConnectionLike {
  static all: FakePeer[] = [];
  iceGatheringState = "new";
  localDescription: { sdp: string } | null = null;
  remote: string | undefined;
  remoteType: string | undefined;
  readonly added: AudioTrackLike[] = [];
  closed = false;
  ontrack: ((event: never) => void) | null = null;
  onicecandidate: ((event: never) => void) | null = null;
  onicegatheringstatechange: ((event: never) => void) | null = null;
  readonly transceiver: TransceiverLike & { sender: FakeSender } = {
    sender: new FakeSender(),
    receiver: { track: new FakeTrack("remote") },
    direction: "recvonly",
  };
  stats: Record<string, unknown>[] = [];

  constructor() {
    FakePeer.all.push(this);
  }

  async setRemoteDescription(description: { type: "offer" | "answer"; sdp: string }): Promise<void> {
    this.remote = description.sdp;
    this.remoteType = description.type;
    const remoteStream = { id: "remote-stream" } as unknown as MediaStream;
    (this.ontrack as ((event: { track: AudioTrackLike; streams: MediaStream[] }) => void) | null)?.({
      track: this.transceiver.receiver.track as AudioTrackLike,
      streams: [remoteStream],
    });
  }
  async createOffer(): Promise<{ type: string; sdp: string }> {
    return { type: "offer", sdp: OFFER_SDP };
  }
  async createAnswer(): Promise<{ type: string; sdp: string }> {
    return { type: "answer", sdp: ANSWER_SDP };
  }
  async setLocalDescription(description: { type: string; sdp?: string }): Promise<void> {
    this.localDescription = { sdp: description.sdp ?? "" };
    this.iceGatheringState = "gathering";
  }
  /** ICE gathering ends: the candidates are in the local description now. */
  finishGathering(): void {
    this.localDescription = {
      sdp: `${this.localDescription?.sdp ?? ANSWER_SDP}a=candidate:1 1 udp 2122260223 192.0.2.9 50000 typ host\r\n`,
    };
    this.iceGatheringState = "complete";
    (this.onicegatheringstatechange as (() => void) | null)?.();
  }
  getTransceivers(): TransceiverLike[] {
    return [this.transceiver];
  }
  /** An offer's audio: the browser makes a sendrecv transceiver for the track. */
  addTrack(track: AudioTrackLike): RtpSenderLike {
    this.added.push(track);
    this.transceiver.sender.track = track;
    this.transceiver.direction = "sendrecv";
    return this.transceiver.sender;
  }
  async getStats(): Promise<StatsReportLike> {
    return {
      forEach: (callback) => {
        for (const stat of this.stats) callback(stat);
      },
    };
  }
  close(): void {
    this.closed = true;
  }
}

const incoming = (legId = "leg_1", offerId: string | null = "ofr_1"): CallFrame => ({
  type: "call.incoming",
  legId,
  callId: "call_1",
  offerId,
  from: { number: "+15550123", name: null },
  queueName: "Sales",
  sdp: SERVER_SDP,
});

const flush = async (times = 5) => {
  for (let i = 0; i < times; i++) await new Promise((resolve) => setImmediate(resolve));
};

let clients: { calling: CallingClient; realtime: RealtimeClient }[] = [];

async function setUp(options: Partial<CallingClientOptions> = {}) {
  FakePeer.all = [];
  const realtime = new RealtimeClient({
    baseUrl: "http://switchboard.test",
    token: "tok",
    WebSocket: FakeSocket,
    reconnect: { minDelayMs: 1, maxDelayMs: 1, jitter: 0 },
  });
  const tracks: FakeTrack[] = [];
  const getUserMedia = vi.fn<GetUserMedia>(async () => {
    const track = new FakeTrack();
    tracks.push(track);
    return new FakeStream([track]);
  });
  const hold = vi.fn(async (_callId: string, _held: boolean) => ({}));
  const calling = new CallingClient({
    realtime,
    RTCPeerConnection: FakePeer,
    getUserMedia,
    client: { telephony: { liveCalls: { hold } } },
    ...options,
  });
  clients.push({ calling, realtime });
  const ready = realtime.connect();
  await flush();
  const socket = FakeSocket.last as FakeSocket;
  socket.open();
  await ready;
  return { calling, realtime, socket, getUserMedia, tracks, hold };
}

/** Registered, with one call ringing. */
async function ringing(options: Partial<CallingClientOptions> = {}) {
  const setup = await setUp(options);
  const registered = setup.calling.register();
  setup.socket.receive({ type: "calls.registered", registered: true });
  await registered;
  setup.socket.receive(incoming());
  return setup;
}

/** Answers the ringing call up to `call.connected`. */
async function connected() {
  const setup = await ringing();
  const answered = setup.calling.answer("leg_1");
  await flush();
  const peer = FakePeer.all[0] as FakePeer;
  peer.finishGathering();
  await flush();
  setup.socket.receive({ type: "call.connected", legId: "leg_1", callId: "call_1" });
  const call = await answered;
  return { ...setup, peer, call };
}

afterEach(() => {
  for (const { calling, realtime } of clients) {
    calling.close();
    realtime.close();
  }
  clients = [];
});

describe("CallingClient", () => {
  it("registers the socket and says so when the server confirms; again after a reconnect", async () => {
    const { calling, socket } = await setUp();
    const states: string[] = [];
    calling.on("registration", (s) => states.push(s));
    const registered = calling.register();
    expect(socket.framesOf("calls.register")).toEqual([{ type: "calls.register", register: true }]);
    expect(calling.registration).toBe("registering");
    socket.receive({ type: "calls.registered", registered: true });
    await expect(registered).resolves.toBe(true);
    expect(calling.snapshot.registration).toBe("on");

    // The socket drops: a new one registers by itself once ready.
    socket.drop();
    expect(calling.registration).toBe("registering");
    await new Promise((resolve) => setTimeout(resolve, 20));
    const next = FakeSocket.last as FakeSocket;
    expect(next).not.toBe(socket);
    next.open();
    expect(next.framesOf("calls.register")).toEqual([{ type: "calls.register", register: true }]);
    next.receive({ type: "calls.registered", registered: true });
    expect(states).toEqual(["registering", "on", "registering", "on"]);
  });

  it("registers at the first ready when asked before the socket is open; a refusal says refused", async () => {
    const realtime = new RealtimeClient({ baseUrl: "http://switchboard.test", token: "tok", WebSocket: FakeSocket });
    const calling = new CallingClient({ realtime, RTCPeerConnection: FakePeer, getUserMedia: async () => new FakeStream([]) });
    clients.push({ calling, realtime });
    const registered = calling.register();
    void realtime.connect();
    await flush();
    const socket = FakeSocket.last as FakeSocket;
    expect(socket.sent).toEqual([]);
    socket.open();
    expect(socket.framesOf("calls.register")).toHaveLength(1);
    socket.receive({ type: "calls.registered", registered: false });
    await expect(registered).resolves.toBe(false);
    expect(calling.registration).toBe("refused");
  });

  it("shows an incoming call and answers it only once ICE gathering is complete, then connects", async () => {
    const { calling, socket, getUserMedia } = await ringing();
    const seen: WebCall[] = [];
    calling.on("connected", (c) => seen.push(c));
    const ringingCall = calling.callForOffer("ofr_1");
    expect(ringingCall).toMatchObject({ legId: "leg_1", callId: "call_1", phase: "ringing", queueName: "Sales" });
    expect(ringingCall?.from.number).toBe("+15550123");

    const answered = calling.answer("leg_1", { deviceId: "mic-2" });
    await flush();
    expect(getUserMedia).toHaveBeenCalledWith({ audio: { deviceId: { exact: "mic-2" } } });
    const peer = FakePeer.all[0] as FakePeer;
    expect(peer.remote).toBe(SERVER_SDP);
    expect(peer.transceiver.direction).toBe("sendrecv");
    expect(peer.transceiver.sender.track).toBeInstanceOf(FakeTrack);
    expect(calling.calls[0]?.phase).toBe("answering");
    expect(calling.calls[0]?.remoteStream).toEqual({ id: "remote-stream" });
    // Still gathering: nothing sent yet.
    expect(socket.framesOf("call.answer")).toEqual([]);

    peer.finishGathering();
    await flush();
    const [answer] = socket.framesOf("call.answer");
    expect(answer?.legId).toBe("leg_1");
    expect(answer?.sdp).toContain("a=candidate:");

    socket.receive({ type: "call.connected", legId: "leg_1", callId: "call_1" });
    const call = await answered;
    expect(call.phase).toBe("connected");
    expect(call.connectedAt).toBeTypeOf("number");
    expect(seen.map((c) => c.legId)).toEqual(["leg_1"]);
    expect(calling.activeCall?.legId).toBe("leg_1");
    expect(calling.inputDeviceId).toBe("mic-2");
  });

  it("answers with what it has when gathering does not finish in time", async () => {
    const { calling, socket } = await ringing({ iceGatheringTimeoutMs: 30 });
    void calling.answer("leg_1").catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(socket.framesOf("call.answer")).toEqual([{ type: "call.answer", legId: "leg_1", sdp: ANSWER_SDP }]);
  });

  it("rejects a ringing call with call.reject and forgets it", async () => {
    const { calling, socket } = await ringing();
    const ended: WebCall[] = [];
    calling.on("ended", (c) => ended.push(c));
    calling.reject("leg_1");
    expect(socket.framesOf("call.reject")).toEqual([{ type: "call.reject", legId: "leg_1", reason: "declined" }]);
    expect(calling.calls).toEqual([]);
    expect(ended[0]?.ended?.reason).toBe("rejected");
    // The server's own call.ended for it changes nothing more.
    socket.receive({ type: "call.ended", legId: "leg_1", reason: "hangup" });
    expect(ended).toHaveLength(1);
  });

  it("hangs up: call.hangup, the peer closed and the microphone stopped", async () => {
    const { calling, socket, peer, tracks } = await connected();
    calling.hangup();
    expect(socket.framesOf("call.hangup")).toEqual([{ type: "call.hangup", legId: "leg_1" }]);
    expect(peer.closed).toBe(true);
    expect(tracks.every((t) => t.stopped)).toBe(true);
    expect(calling.calls).toEqual([]);
    expect(calling.activeCall).toBeUndefined();
  });

  it("cleans up when the server ends the call (the caller hung up)", async () => {
    const { calling, socket, peer, tracks } = await connected();
    const ended: WebCall[] = [];
    calling.on("ended", (c) => ended.push(c));
    socket.receive({ type: "call.ended", legId: "leg_1", reason: "remote_hangup" });
    expect(peer.closed).toBe(true);
    expect(tracks[0]?.stopped).toBe(true);
    expect(calling.calls).toEqual([]);
    expect(ended[0]).toMatchObject({ legId: "leg_1", phase: "ended", ended: { reason: "remote_hangup" } });
    expect(socket.framesOf("call.hangup")).toEqual([]);
  });

  it("a call that stops ringing while being answered rejects the answer and sends nothing", async () => {
    const { calling, socket, tracks } = await ringing();
    const answered = calling.answer("leg_1");
    await flush();
    socket.receive({ type: "call.ended", legId: "leg_1", reason: "answered_elsewhere" });
    (FakePeer.all[0] as FakePeer).finishGathering();
    await expect(answered).rejects.toMatchObject({ code: "call_ended" });
    expect(socket.framesOf("call.answer")).toEqual([]);
    expect(tracks[0]?.stopped).toBe(true);
  });

  it("a refused microphone rejects the call with media_refused and a clear error", async () => {
    const denied = Object.assign(new Error("Permission denied"), { name: "NotAllowedError" });
    const { calling, socket } = await ringing({ getUserMedia: async () => Promise.reject(denied) });
    const ended: WebCall[] = [];
    calling.on("ended", (c) => ended.push(c));
    const error = await calling.answer("leg_1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallingError);
    expect(error).toMatchObject({ code: "media_refused", cause: denied });
    expect((error as Error).message).toMatch(/Microphone access is blocked/);
    expect(socket.framesOf("call.reject")).toEqual([{ type: "call.reject", legId: "leg_1", reason: "media_refused" }]);
    expect(FakePeer.all).toEqual([]);
    expect(ended[0]?.ended?.reason).toBe("media_refused");
    expect(calling.calls).toEqual([]);
  });

  it("mutes locally, sends keypad tones over the audio sender, holds over REST", async () => {
    const { calling, peer, tracks, hold } = await connected();
    calling.setMuted(true);
    expect(tracks[0]?.enabled).toBe(false);
    expect(calling.activeCall?.muted).toBe(true);
    calling.setMuted(false);
    expect(tracks[0]?.enabled).toBe(true);

    calling.sendDtmf("5");
    calling.sendDtmf("#");
    expect(peer.transceiver.sender.tones).toEqual(["5", "#"]);
    expect(() => calling.sendDtmf("x")).toThrow(CallingError);

    await calling.hold(true);
    expect(hold).toHaveBeenCalledWith("call_1", true);
    expect(calling.activeCall?.held).toBe(true);
  });

  it("switches the microphone mid-call with replaceTrack, keeping the mute", async () => {
    const { calling, peer, tracks, getUserMedia } = await connected();
    calling.setMuted(true);
    await calling.setInputDevice("headset");
    expect(getUserMedia).toHaveBeenLastCalledWith({ audio: { deviceId: { exact: "headset" } } });
    expect(tracks).toHaveLength(2);
    expect(tracks[0]?.stopped).toBe(true);
    expect(peer.transceiver.sender.track).toBe(tracks[1]);
    expect(tracks[1]?.enabled).toBe(false);
  });

  it("lists microphones only", async () => {
    const { calling } = await setUp({
      enumerateDevices: async () => [
        { deviceId: "a", kind: "audioinput", label: "Headset" },
        { deviceId: "b", kind: "audiooutput", label: "Speakers" },
        { deviceId: "c", kind: "audioinput", label: "" },
      ],
    });
    expect(await calling.listDevices()).toEqual([
      { deviceId: "a", label: "Headset" },
      { deviceId: "c", label: "Microphone 2" },
    ]);
  });

  it("reads loss, jitter, round trip and the caller's audio energy from getStats", async () => {
    const { calling, peer } = await connected();
    peer.stats = [
      {
        type: "inbound-rtp",
        kind: "audio",
        packetsReceived: 90,
        packetsLost: 10,
        jitter: 0.012,
        audioLevel: 0.3,
        totalAudioEnergy: 1.5,
      },
      { type: "outbound-rtp", kind: "audio", packetsSent: 100 },
      { type: "transport", selectedCandidatePairId: "p1" },
      { type: "candidate-pair", id: "p1", currentRoundTripTime: 0.042 },
    ];
    const first = await calling.stats();
    expect(first).toMatchObject({ packetsReceived: 90, packetsLost: 10, lossPercent: 10, packetsSent: 100 });
    expect(first?.jitterMs).toBeCloseTo(12);
    expect(first?.roundTripTimeMs).toBeCloseTo(42);
    expect(first?.totalAudioEnergy).toBe(1.5);
    // The loss is per interval: 100 more packets, none lost.
    peer.stats[0] = { ...peer.stats[0], packetsReceived: 190 };
    expect((await calling.stats())?.lossPercent).toBe(0);
  });

  it("prefers the RTCP round trip and counts no loss without packets", () => {
    const stats = readStats(
      {
        forEach: (cb) => {
          cb({ type: "remote-inbound-rtp", kind: "audio", roundTripTime: 0.08 });
          cb({ type: "candidate-pair", id: "p", nominated: true, state: "succeeded", currentRoundTripTime: 0.01 });
        },
      },
      1,
    );
    expect(stats).toMatchObject({ roundTripTimeMs: 80, lossPercent: 0, packetsReceived: 0, jitterMs: undefined });
  });

  it("drops ringing calls when the socket is lost (the server forgot them)", async () => {
    const { calling, socket } = await ringing();
    const ended: WebCall[] = [];
    calling.on("ended", (c) => ended.push(c));
    socket.drop();
    expect(calling.calls).toEqual([]);
    expect(ended[0]?.ended).toMatchObject({ reason: "failed", detail: "The connection to the server was lost." });
  });

  it("fails the call, and hangs up, when the server does not connect it in time", async () => {
    const { calling, socket } = await ringing({ connectTimeoutMs: 20 });
    const answered = calling.answer("leg_1");
    await flush();
    (FakePeer.all[0] as FakePeer).finishGathering();
    await expect(answered).rejects.toMatchObject({ code: "call_ended" });
    expect(socket.framesOf("call.hangup")).toEqual([{ type: "call.hangup", legId: "leg_1" }]);
  });

  describe("start (a customer calls from a conversation)", () => {
    const placing = (requestId: string, legId = "leg_out"): CallFrame => ({
      type: "call.placing",
      requestId,
      legId,
      callId: "call_out",
      sdp: ANSWER_SDP,
    });

    /** Starts a call and lets ICE gathering finish: `call.start` is on the wire. */
    async function started(options: Partial<CallingClientOptions> = {}) {
      const setup = await setUp(options);
      const call = setup.calling.start("cnv_1");
      call.catch(() => {});
      await flush();
      const peer = FakePeer.all[0] as FakePeer;
      peer.finishGathering();
      await flush();
      const [frame] = setup.socket.framesOf("call.start");
      return { ...setup, call, peer, frame };
    }

    it("offers once ICE gathering is complete, applies the server's answer, connects, and ends", async () => {
      const { calling, socket, getUserMedia, tracks } = await setUp();
      const ended: WebCall[] = [];
      calling.on("ended", (c) => ended.push(c));
      const call = calling.start("cnv_1", { deviceId: "mic-2" });
      await flush();
      expect(getUserMedia).toHaveBeenCalledWith({ audio: { deviceId: { exact: "mic-2" } } });
      const peer = FakePeer.all[0] as FakePeer;
      expect(peer.added).toEqual([tracks[0]]);
      expect(peer.transceiver.direction).toBe("sendrecv");
      expect(calling.starting).toBe(true);
      // Still gathering: nothing sent yet.
      expect(socket.framesOf("call.start")).toEqual([]);

      peer.finishGathering();
      await flush();
      const [start] = socket.framesOf("call.start");
      expect(start).toMatchObject({ type: "call.start", conversationId: "cnv_1" });
      expect(start?.sdp).toContain(OFFER_SDP);
      expect(start?.sdp).toContain("a=candidate:");
      expect(start?.requestId).toBeTruthy();

      socket.receive(placing(start?.requestId ?? ""));
      await flush();
      expect(peer.remoteType).toBe("answer");
      expect(peer.remote).toBe(ANSWER_SDP);
      expect(calling.starting).toBe(false);
      expect(calling.activeCall).toMatchObject({
        legId: "leg_out",
        callId: "call_out",
        direction: "outgoing",
        conversationId: "cnv_1",
        phase: "placing",
        remoteStream: { id: "remote-stream" },
      });

      socket.receive({ type: "call.connected", legId: "leg_out", callId: "call_out" });
      const connectedCall = await call;
      expect(connectedCall.phase).toBe("connected");
      expect(connectedCall.connectedAt).toBeTypeOf("number");

      // An agent takes it: who, on the call and as an event.
      const answered: WebCall[] = [];
      calling.on("answered", (c) => answered.push(c));
      socket.receive({ type: "call.answered", legId: "leg_out", by: { name: "Ana Lopez" } });
      expect(calling.activeCall?.answeredBy).toEqual({ name: "Ana Lopez" });
      expect(answered.map((c) => c.answeredBy?.name)).toEqual(["Ana Lopez"]);

      // The same controls as an answered call.
      calling.setMuted(true);
      expect(tracks[0]?.enabled).toBe(false);
      expect(calling.activeCall?.muted).toBe(true);
      calling.sendDtmf("5#");
      expect(peer.transceiver.sender.tones).toEqual(["5#"]);

      socket.receive({ type: "call.ended", legId: "leg_out", reason: "remote_hangup" });
      expect(ended.map((c) => [c.legId, c.ended?.reason])).toEqual([["leg_out", "remote_hangup"]]);
      expect(calling.calls).toEqual([]);
      expect(peer.closed).toBe(true);
      expect(tracks[0]?.stopped).toBe(true);
    });

    it("place: an agent calls an extension; ringing until it answers, or told why it did not get through", async () => {
      const { calling, socket } = await setUp();
      const ended: WebCall[] = [];
      calling.on("ended", (c) => ended.push(c));
      const call = calling.place("1002");
      await flush();
      (FakePeer.all[0] as FakePeer).finishGathering();
      await flush();
      const [frame] = socket.framesOf("call.place");
      expect(frame).toMatchObject({ type: "call.place", to: "1002" });
      expect(frame?.sdp).toContain("a=candidate:");
      socket.receive(placing(frame?.requestId ?? "", "leg_p"));
      await flush();
      expect(calling.activeCall).toMatchObject({ legId: "leg_p", phase: "placing", from: { number: "1002" } });
      socket.receive({ type: "call.connected", legId: "leg_p", callId: "call_out" });
      expect((await call).phase).toBe("connected");
      calling.hangup();
      expect(socket.framesOf("call.hangup")).toEqual([{ type: "call.hangup", legId: "leg_p" }]);

      const busy = calling.place("+15550100");
      busy.catch(() => {});
      await flush();
      (FakePeer.all[1] as FakePeer).finishGathering();
      await flush();
      const [, second] = socket.framesOf("call.place");
      socket.receive(placing(second?.requestId ?? "", "leg_b"));
      await flush();
      socket.receive({ type: "call.ended", legId: "leg_b", reason: "busy" });
      expect(ended.at(-1)?.ended?.reason).toBe("busy");
    });

    it("a refused microphone: a clear error, nothing sent, no peer", async () => {
      const { calling, socket } = await setUp({
        getUserMedia: async () => {
          throw Object.assign(new Error("Permission denied"), { name: "NotAllowedError" });
        },
      });
      const error = await calling.start("cnv_1").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CallingError);
      expect((error as CallingError).code).toBe("media_refused");
      expect((error as CallingError).message).toMatch(/Allow this site to use the microphone/);
      expect(socket.sent.filter((f) => f.type.startsWith("call."))).toEqual([]);
      expect(FakePeer.all).toEqual([]);
      expect(calling.starting).toBe(false);
    });

    it("the server refuses the start with an error frame: the promise rejects with its code and all is released", async () => {
      const { calling, socket, call, peer, tracks } = await started();
      socket.receive({ type: "error", code: "conversation.not_found", title: "No such conversation" });
      const error = await call.catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "conversation.not_found" });
      expect(peer.closed).toBe(true);
      expect(tracks[0]?.stopped).toBe(true);
      expect(calling.starting).toBe(false);
      expect(calling.calls).toEqual([]);

      // The next start goes ahead.
      const again = calling.start("cnv_1");
      again.catch(() => {});
      await flush();
      (FakePeer.all[1] as FakePeer).finishGathering();
      await flush();
      expect(socket.framesOf("call.start")).toHaveLength(2);
    });

    it("an error frame before any start is not taken for a refusal", async () => {
      const { calling, socket, getUserMedia } = await setUp();
      socket.receive({ type: "error", code: "chat.not_found", title: "No such thread" });
      const call = calling.start("cnv_1");
      await flush();
      (FakePeer.all[0] as FakePeer).finishGathering();
      await flush();
      const [start] = socket.framesOf("call.start");
      socket.receive(placing(start?.requestId ?? ""));
      socket.receive({ type: "call.connected", legId: "leg_out", callId: "call_out" });
      await expect(call).resolves.toMatchObject({ phase: "connected" });
      expect(getUserMedia).toHaveBeenCalledTimes(1);
    });

    it("hung up before the server took it: the start rejects, and the leg that comes later is hung up", async () => {
      const { calling, socket, call, frame, peer } = await started();
      calling.hangup();
      await expect(call).rejects.toMatchObject({ code: "call_ended" });
      expect(peer.closed).toBe(true);
      socket.receive(placing(frame?.requestId ?? "", "leg_late"));
      expect(socket.framesOf("call.hangup")).toEqual([{ type: "call.hangup", legId: "leg_late" }]);
      expect(calling.calls).toEqual([]);
    });

    it("hung up while the microphone opens: nothing is sent", async () => {
      let grant: (stream: MediaStreamLike) => void = () => {};
      const { calling, socket } = await setUp({ getUserMedia: () => new Promise((resolve) => (grant = resolve)) });
      const call = calling.start("cnv_1");
      calling.hangup();
      const track = new FakeTrack();
      grant(new FakeStream([track]));
      await expect(call).rejects.toMatchObject({ code: "call_ended" });
      expect(track.stopped).toBe(true);
      expect(socket.sent.filter((f) => f.type.startsWith("call."))).toEqual([]);
    });

    it("the customer hangs up a placed call with call.hangup", async () => {
      const { calling, socket, call, frame } = await started();
      socket.receive(placing(frame?.requestId ?? ""));
      await flush();
      calling.hangup();
      expect(socket.framesOf("call.hangup")).toEqual([{ type: "call.hangup", legId: "leg_out" }]);
      await expect(call).rejects.toMatchObject({ code: "call_ended" });
    });

    it("media that never connects fails the call (call.ended failed with the server's detail)", async () => {
      const { calling, socket, call, frame } = await started();
      const ended: WebCall[] = [];
      calling.on("ended", (c) => ended.push(c));
      socket.receive(placing(frame?.requestId ?? ""));
      await flush();
      socket.receive({ type: "call.ended", legId: "leg_out", reason: "failed", detail: "ICE did not connect" });
      await expect(call).rejects.toMatchObject({ code: "call_ended", message: "ICE did not connect" });
      expect(ended[0]?.ended).toMatchObject({ reason: "failed", detail: "ICE did not connect" });
    });

    it("no answer from the server in time: rejects with connect_timeout", async () => {
      const { call, calling } = await started({ placingTimeoutMs: 20 });
      await expect(call).rejects.toMatchObject({ code: "connect_timeout" });
      expect(calling.starting).toBe(false);
    });

    it("one call at a time", async () => {
      const { calling } = await started();
      await expect(calling.start("cnv_2")).rejects.toMatchObject({ code: "in_progress" });
    });

    it("the socket drops while the server has not answered: rejects", async () => {
      const { call, socket } = await started();
      socket.drop();
      await expect(call).rejects.toMatchObject({ code: "not_connected_to_server" });
    });
  });
});
