import type { CallFrame, ClientFrame } from "@switchboard/protocol";
import { type CallSignaling, RealtimeError, type RealtimeEventMap } from "@switchboard/sdk";
import { describe, expect, it } from "vitest";
import { CallController } from "./call-controller.js";
import { MICROPHONE_MESSAGE, NETWORK_MESSAGE } from "./call-state.js";

// The controller against the sdk's real CallingClient, over a fake socket and fakes of the browser's WebRTC.

class FakeSignaling implements CallSignaling {
  state: CallSignaling["state"] = "open";
  readonly sent: ClientFrame[] = [];
  readonly #listeners = new Map<string, Set<(payload: never) => void>>();
  send(frame: ClientFrame): boolean {
    this.sent.push(frame);
    return this.state === "open";
  }
  on<K extends keyof RealtimeEventMap>(name: K, listener: (payload: RealtimeEventMap[K]) => void): () => void {
    const set = this.#listeners.get(name) ?? new Set();
    this.#listeners.set(name, set);
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }
  emit<K extends keyof RealtimeEventMap>(name: K, payload: RealtimeEventMap[K]): void {
    for (const listener of this.#listeners.get(name) ?? []) (listener as (p: RealtimeEventMap[K]) => void)(payload);
  }
  frame(frame: CallFrame): void {
    this.emit("call", frame);
  }
}

const track = () => ({ kind: "audio", enabled: true, stopped: false, stop() {} });
const stream = () => {
  const tracks = [track()];
  return { getAudioTracks: () => tracks, getTracks: () => tracks };
};

class FakePeer {
  static energy = 0;
  iceGatheringState = "complete";
  localDescription: { sdp: string } | null = null;
  ontrack: ((event: never) => void) | null = null;
  onicecandidate: ((event: never) => void) | null = null;
  onicegatheringstatechange: ((event: never) => void) | null = null;
  readonly sender = {
    track: null,
    dtmf: { insertDTMF: (tones: string) => FakePeer.tones.push(tones) },
    replaceTrack: async () => {},
  };
  static tones: string[] = [];
  async setRemoteDescription(): Promise<void> {
    (this.ontrack as ((event: { track: unknown; streams: unknown[] }) => void) | null)?.({
      track: track(),
      streams: [{ id: "remote" }],
    });
  }
  async createOffer() {
    return { type: "offer", sdp: "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0 8 101\r\n" };
  }
  async createAnswer() {
    return { type: "answer", sdp: "" };
  }
  async setLocalDescription(description: { sdp?: string }): Promise<void> {
    this.localDescription = { sdp: description.sdp ?? "" };
  }
  getTransceivers() {
    return [];
  }
  addTrack() {
    return this.sender;
  }
  async getStats() {
    return {
      forEach: (callback: (stat: Record<string, unknown>) => void) =>
        callback({ type: "inbound-rtp", kind: "audio", packetsReceived: 50, totalAudioEnergy: FakePeer.energy }),
    };
  }
  close(): void {}
}

const flush = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

function setUp(getUserMedia: () => Promise<ReturnType<typeof stream>> = async () => stream()) {
  const signaling = new FakeSignaling();
  const controller = new CallController({
    signaling: () => signaling,
    calling: { RTCPeerConnection: FakePeer, getUserMedia, createStream: () => ({}) as MediaStream },
    statsEveryMs: 5,
  });
  return { signaling, controller };
}

describe("CallController", () => {
  it("starts a call from the conversation, waits in the queue, talks, sends keys, hangs up", async () => {
    const { signaling, controller } = setUp();
    const started = controller.start("cnv_1", null);
    expect(controller.state.status).toBe("connecting");
    await flush();
    const start = signaling.sent.find((f) => f.type === "call.start");
    expect(start).toMatchObject({ conversationId: "cnv_1" });
    signaling.frame({
      type: "call.placing",
      requestId: (start as { requestId: string }).requestId,
      legId: "leg_1",
      callId: "call_1",
      sdp: "v=0",
    });
    await flush();
    expect(controller.state.legId).toBe("leg_1");
    expect(controller.remoteStream).toEqual({ id: "remote" });

    signaling.frame({ type: "call.connected", legId: "leg_1", callId: "call_1" });
    await started;
    expect(controller.state.status).toBe("waiting");
    FakePeer.energy = 0.25;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(controller.state.audioEnergy).toBe(0.25);

    // The agent who answered shows on the conversation.
    controller.observeAgent(null, undefined);
    expect(controller.state.status).toBe("waiting");
    controller.observeAgent("idn_agent", "Ada");
    expect(controller.state).toMatchObject({ status: "talking", agentName: "Ada" });

    controller.setMuted(true);
    expect(controller.state.muted).toBe(true);
    controller.pressKey("7");
    expect(FakePeer.tones).toContain("7");
    expect(controller.state.digits).toBe("7");

    controller.hangup();
    expect(signaling.sent.filter((f) => f.type === "call.hangup")).toEqual([{ type: "call.hangup", legId: "leg_1" }]);
    expect(controller.state).toMatchObject({ status: "ended", end: { message: "You hung up.", tone: "info" } });
    expect(controller.remoteStream).toBeUndefined();
  });

  it("a refused microphone says so, and nothing is sent", async () => {
    const { signaling, controller } = setUp(async () => {
      throw Object.assign(new Error("denied"), { name: "NotAllowedError" });
    });
    await controller.start("cnv_1", null);
    expect(controller.state.end).toMatchObject({ message: MICROPHONE_MESSAGE, tone: "error" });
    expect(signaling.sent).toEqual([]);
  });

  it("the server refuses the call: its code picks the message", async () => {
    const { signaling, controller } = setUp();
    const started = controller.start("cnv_1", null);
    await flush();
    signaling.emit("error", new RealtimeError({ type: "error", code: "calls.unavailable", title: "No calls here" }));
    await started;
    expect(controller.state.end?.message).toMatch(/Calls aren't available/);
  });

  it("media that cannot connect: the network message", async () => {
    const { signaling, controller } = setUp();
    const started = controller.start("cnv_1", null);
    await flush();
    const start = signaling.sent.find((f) => f.type === "call.start") as { requestId: string };
    signaling.frame({ type: "call.placing", requestId: start.requestId, legId: "leg_1", callId: "call_1", sdp: "v=0" });
    signaling.frame({ type: "call.ended", legId: "leg_1", reason: "failed", detail: "ICE failed" });
    await started;
    expect(controller.state.end).toMatchObject({ message: NETWORK_MESSAGE, tone: "error" });
  });

  it("waits for the chat's socket to open; closed for good: offline", async () => {
    const { signaling, controller } = setUp();
    signaling.state = "connecting";
    const started = controller.start("cnv_1", null);
    await flush();
    expect(signaling.sent).toEqual([]);
    signaling.state = "open";
    signaling.emit("state", "open");
    await flush();
    expect(signaling.sent.map((f) => f.type)).toEqual(["call.start"]);
    controller.hangup();
    await started;

    const other = setUp();
    other.signaling.state = "reconnecting";
    const failed = other.controller.start("cnv_1", null);
    other.signaling.state = "closed";
    other.signaling.emit("state", "closed");
    await failed;
    expect(other.controller.state.end?.message).toMatch(/offline/);
  });
});
