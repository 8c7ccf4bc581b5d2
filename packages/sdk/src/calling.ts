import type { CallEndedFrame, CallFrame, CallIncomingFrame, ClientFrame } from "@switchboard/protocol";
import { RealtimeError, type RealtimeEventMap, type RealtimeState } from "./realtime.js";

/**
 * Web calling: this browser takes phone calls. The server rings a registered socket with `call.incoming` (its SDP
 * offer, every ICE candidate inside); the browser answers with its SDP answer once its own candidates are all
 * gathered (no trickle), or rejects; either side hangs up. Media flows between the browser and the server only.
 * A customer calls the other way (`start`): the browser makes the offer, the server answers with `call.placing`.
 *
 * The browser's WebRTC and media APIs are injected (defaults: the globals), so the signaling runs in Node against
 * fakes. The types below are the little of each API this client uses; the browser's own objects fit them.
 */

/** What the client needs of the real-time socket: `RealtimeClient` fits. */
export interface CallSignaling {
  readonly state: RealtimeState;
  send(frame: ClientFrame): boolean;
  on<K extends keyof RealtimeEventMap>(name: K, listener: (payload: RealtimeEventMap[K]) => void): () => void;
}

export interface AudioTrackLike {
  readonly kind: string;
  enabled: boolean;
  stop(): void;
}

export interface MediaStreamLike {
  getAudioTracks(): AudioTrackLike[];
  getTracks(): AudioTrackLike[];
}

export interface DtmfSenderLike {
  insertDTMF(tones: string, duration?: number, interToneGap?: number): void;
}

export interface RtpSenderLike {
  readonly track: AudioTrackLike | null;
  readonly dtmf: DtmfSenderLike | null;
  replaceTrack(track: AudioTrackLike | null): Promise<void>;
}

export interface TransceiverLike {
  readonly sender: RtpSenderLike;
  readonly receiver: { readonly track: AudioTrackLike | null };
  direction: string;
}

/** A stats report: the browser's `RTCStatsReport` is a map of stats objects by id. */
export interface StatsReportLike {
  forEach(callback: (stat: Record<string, unknown>) => void): void;
}

/** The handlers take `never` so that the browser's own event types are accepted (as `WebSocketLike` does). */
export interface PeerConnectionLike {
  readonly iceGatheringState: string;
  readonly localDescription: { readonly sdp: string } | null;
  ontrack: ((event: never) => void) | null;
  onicecandidate: ((event: never) => void) | null;
  onicegatheringstatechange: ((event: never) => void) | null;
  setRemoteDescription(description: { type: "offer" | "answer"; sdp: string }): Promise<void>;
  createOffer(): Promise<{ type: string; sdp?: string }>;
  createAnswer(): Promise<{ type: string; sdp?: string }>;
  setLocalDescription(description: { type: string; sdp?: string }): Promise<void>;
  getTransceivers(): TransceiverLike[];
  addTrack(track: AudioTrackLike, ...streams: MediaStreamLike[]): RtpSenderLike;
  getStats(): Promise<StatsReportLike>;
  close(): void;
}

export type PeerConnectionConstructor = new (configuration?: RTCConfiguration) => PeerConnectionLike;
export type GetUserMedia = (constraints: { audio: boolean | { deviceId: { exact: string } } }) => Promise<MediaStreamLike>;
export type EnumerateDevices = () => Promise<readonly { deviceId: string; kind: string; label: string; groupId?: string }[]>;

/** What `hold` needs of the REST client: `SwitchboardClient` fits. */
export interface CallControl {
  telephony: { liveCalls: { hold(callId: string, held: boolean): Promise<unknown> } };
}

export interface CallingClientOptions {
  /** The signed-in agent's real-time client (a token with the `voip` scope). */
  realtime: CallSignaling;
  /** For `hold` (`POST /v1/calls/{callId}/hold`). */
  client?: CallControl;
  /** Default `globalThis.RTCPeerConnection`. */
  RTCPeerConnection?: PeerConnectionConstructor;
  /** Default `navigator.mediaDevices.getUserMedia`. */
  getUserMedia?: GetUserMedia;
  /** Default `navigator.mediaDevices.enumerateDevices`. */
  enumerateDevices?: EnumerateDevices;
  /** Builds the remote stream when a track arrives without one. Default `new MediaStream([track])`. */
  createStream?: (track: AudioTrackLike) => MediaStream;
  rtcConfiguration?: RTCConfiguration;
  /** How long to wait for ICE gathering before answering with the candidates found so far. Default 5000. */
  iceGatheringTimeoutMs?: number;
  /** How long `answer` and `start` wait for `call.connected` after the SDP exchange. Default 15000. */
  connectTimeoutMs?: number;
  /** How long `start` waits for the server's `call.placing` (or its refusal) after sending `call.start`. Default 15000. */
  placingTimeoutMs?: number;
  /** Default `Date.now`. */
  now?: () => number;
}

/**
 * ringing, answering: a call to this browser (`call.incoming`); placing: a call from it (`start`) the server took,
 * media not up yet; connected: media flows; ended.
 */
export type CallPhase = "ringing" | "answering" | "placing" | "connected" | "ended";
/** The server's reasons, and this side's: the agent rejected it, or the microphone could not be opened. */
export type CallEndReason = CallEndedFrame["reason"] | "rejected" | "media_refused";

/** A call of this browser's, as it stands: a new object on every change. */
export interface WebCall {
  readonly legId: string;
  readonly callId: string;
  /** incoming: the server rang this browser; outgoing: this browser called (`start`). */
  readonly direction: "incoming" | "outgoing";
  /** The conversation a customer called from (`start`), or null. */
  readonly conversationId: string | null;
  /** The routing offer this call answers (a call queue's), or null. */
  readonly offerId: string | null;
  readonly from: { readonly number: string | null; readonly name: string | null };
  readonly queueName: string | null;
  readonly phase: CallPhase;
  readonly ringingSince: number;
  readonly connectedAt: number | undefined;
  readonly muted: boolean;
  readonly held: boolean;
  /** The caller's audio: the `srcObject` of an `<audio autoplay>` element. */
  readonly remoteStream: MediaStream | undefined;
  readonly ended: { readonly reason: CallEndReason; readonly detail?: string; readonly at: number } | undefined;
  /** Who took a call this browser placed into a queue (`call.answered`); undefined until someone did. */
  readonly answeredBy?: { readonly name: string | null };
}

/**
 * off: not asked; registering: asked, or the socket is reconnecting; on: calls ring this socket; refused: the
 * server said no (the token has no `voip` scope).
 */
export type CallRegistration = "off" | "registering" | "on" | "refused";

export interface CallingSnapshot {
  readonly registration: CallRegistration;
  /** Ringing, being answered, placed and connected calls, in the order they arrived. */
  readonly calls: readonly WebCall[];
}

export interface CallStats {
  readonly at: number;
  readonly packetsReceived: number;
  readonly packetsLost: number;
  /** Share of packets lost since the previous `stats()` (or since the start, the first time), in percent. */
  readonly lossPercent: number;
  readonly jitterMs: number | undefined;
  readonly roundTripTimeMs: number | undefined;
  /** The caller's current level, 0 to 1. */
  readonly audioLevel: number | undefined;
  /** Grows while the caller's audio has energy: the proof that sound arrives. */
  readonly totalAudioEnergy: number | undefined;
  readonly packetsSent: number;
}

export type CallingEventMap = {
  change: CallingSnapshot;
  registration: CallRegistration;
  incoming: WebCall;
  connected: WebCall;
  /** A person took the call this browser placed (a customer's call into a queue). */
  answered: WebCall;
  /** The call as it ended (`ended` set); it is no longer in the snapshot. */
  ended: WebCall;
  error: Error;
};

export type CallingErrorCode =
  | "media_refused"
  | "no_microphone"
  | "unknown_call"
  | "not_ringing"
  | "not_connected"
  | "call_ended"
  | "not_connected_to_server"
  | "connect_timeout"
  | "dtmf_unavailable"
  | "invalid_digits"
  | "in_progress"
  | "unsupported";

export class CallingError extends Error {
  override readonly name = "CallingError";
  constructor(
    readonly code: CallingErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

type CallPlacingFrame = Extract<CallFrame, { type: "call.placing" }>;

/** A `start` or `place` before the server's `call.placing`: no leg yet. */
interface Starting {
  readonly requestId: string;
  /** The customer's conversation (`start`), or null. */
  readonly conversationId: string | null;
  /** Whom an agent calls (`place`), or null. */
  readonly to: string | null;
  pc: PeerConnectionLike | undefined;
  local: MediaStreamLike | undefined;
  sender: RtpSenderLike | undefined;
  remoteStream: MediaStream | undefined;
  /** `call.start` is on the wire: an error frame now is the server's refusal. */
  sent: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
  placed: ((taken: { connected: Promise<WebCall> }) => void) | undefined;
  fail: ((error: Error) => void) | undefined;
}

interface Session {
  call: WebCall;
  sdp: string;
  pc: PeerConnectionLike | undefined;
  local: MediaStreamLike | undefined;
  sender: RtpSenderLike | undefined;
  settle: { resolve: (call: WebCall) => void; reject: (error: Error) => void } | undefined;
  connectTimer: ReturnType<typeof setTimeout> | undefined;
  lastStats: { received: number; lost: number } | undefined;
  /** The `start` this outgoing call came from. */
  requestId: string | undefined;
}

const DTMF_DIGITS = /^[0-9*#A-Da-d,]+$/;

/**
 * The calls of one browser: `register()` once signed in, then `incoming` events to `answer` or `reject`, and the
 * connected call's controls (mute, keypad, hold, microphone, quality).
 */
export class CallingClient {
  readonly #options: CallingClientOptions;
  readonly #realtime: CallSignaling;
  readonly #now: () => number;
  readonly #sessions = new Map<string, Session>();
  readonly #listeners = new Map<keyof CallingEventMap, Set<(payload: never) => void>>();
  readonly #offs: (() => void)[];
  #wanted = false;
  #registration: CallRegistration = "off";
  #registerWaiters: { resolve: (registered: boolean) => void; reject: (error: Error) => void }[] = [];
  #inputDeviceId: string | undefined;
  #snapshot: CallingSnapshot = { registration: "off", calls: [] };
  #closed = false;
  #starting: Starting | undefined;
  /** Starts given up before their `call.placing`: the leg that still comes is hung up. */
  readonly #abandoned = new Set<string>();
  #requests = 0;

  constructor(options: CallingClientOptions) {
    this.#options = options;
    this.#realtime = options.realtime;
    this.#now = options.now ?? Date.now;
    this.#offs = [
      this.#realtime.on("call", (frame) => this.#onFrame(frame)),
      this.#realtime.on("ready", () => {
        // A new socket has no registration: ask again.
        if (this.#wanted) this.#sendRegister(true);
      }),
      this.#realtime.on("state", (state) => {
        if (state !== "open") this.#onSocketLost();
      }),
      // Error frames name no request: one that arrives while a start waits for its answer is that start's refusal.
      this.#realtime.on("error", (error) => {
        if (error instanceof RealtimeError && this.#starting?.sent) this.#starting.fail?.(error);
      }),
    ];
  }

  get registration(): CallRegistration {
    return this.#registration;
  }

  /** The current state; the same object until something changes (fit for React's `useSyncExternalStore`). */
  get snapshot(): CallingSnapshot {
    return this.#snapshot;
  }

  get calls(): readonly WebCall[] {
    return this.#snapshot.calls;
  }

  /** The call being answered, placed or connected: the one the controls act on. */
  get activeCall(): WebCall | undefined {
    return this.#snapshot.calls.find((c) => c.phase === "connected" || c.phase === "answering" || c.phase === "placing");
  }

  /** A `start` is on its way and the server has not taken the call yet. */
  get starting(): boolean {
    return this.#starting !== undefined;
  }

  /** The ringing call that answers a routing offer. */
  callForOffer(offerId: string): WebCall | undefined {
    return this.#snapshot.calls.find((c) => c.offerId === offerId && c.phase !== "ended");
  }

  /** The microphone used for the next call (and switched to on the current one by `setInputDevice`). */
  get inputDeviceId(): string | undefined {
    return this.#inputDeviceId;
  }

  on<K extends keyof CallingEventMap>(name: K, listener: (payload: CallingEventMap[K]) => void): () => void {
    let set = this.#listeners.get(name);
    if (!set) {
      set = new Set();
      this.#listeners.set(name, set);
    }
    set.add(listener);
    return () => this.#listeners.get(name)?.delete(listener);
  }

  /**
   * Calls for this identity ring this socket too, now and after every reconnect. Resolves with the server's
   * answer (false: refused); sent at the next `ready` when the socket is not open now.
   */
  register(): Promise<boolean> {
    this.#wanted = true;
    const answered = new Promise<boolean>((resolve, reject) => this.#registerWaiters.push({ resolve, reject }));
    answered.catch(() => {});
    if (this.#registration !== "on") this.#setRegistration("registering");
    this.#sendRegister(true);
    return answered;
  }

  /** Calls stop ringing this socket; calls in progress go on. */
  unregister(): void {
    this.#wanted = false;
    this.#sendRegister(false);
    this.#setRegistration("off");
    for (const waiter of this.#registerWaiters.splice(0)) waiter.resolve(false);
  }

  /**
   * Answers a ringing call: opens the microphone, answers the server's offer once ICE gathering is complete, and
   * resolves with the call at `call.connected`. A microphone that cannot be opened rejects the call
   * (`media_refused`) and throws a `CallingError` that says why.
   */
  async answer(legId: string, options: { deviceId?: string } = {}): Promise<WebCall> {
    const session = this.#sessions.get(legId);
    if (!session) throw new CallingError("unknown_call", "That call is no longer ringing.");
    if (session.call.phase !== "ringing") throw new CallingError("not_ringing", "That call is already being answered.");
    const PeerConnection =
      this.#options.RTCPeerConnection ??
      ((globalThis as { RTCPeerConnection?: unknown }).RTCPeerConnection as PeerConnectionConstructor | undefined);
    if (typeof PeerConnection !== "function") {
      throw new CallingError("unsupported", "This browser cannot take calls (no WebRTC).");
    }
    this.#update(session, { phase: "answering" });
    const deviceId = options.deviceId ?? this.#inputDeviceId;

    let local: MediaStreamLike;
    try {
      local = await this.#openMicrophone(deviceId);
    } catch (error) {
      const failure = microphoneError(error);
      if (this.#sessions.get(legId) === session) {
        this.#realtime.send({ type: "call.reject", legId, reason: "media_refused" });
        this.#end(session, { reason: "media_refused", detail: failure.message });
      }
      throw failure;
    }
    if (this.#sessions.get(legId) !== session) {
      stopAll(local);
      throw endedError(session.call);
    }
    session.local = local;
    if (deviceId !== undefined) this.#inputDeviceId = deviceId;

    const connected = new Promise<WebCall>((resolve, reject) => {
      session.settle = { resolve, reject };
    });
    connected.catch(() => {});
    try {
      const pc = new PeerConnection(this.#options.rtcConfiguration);
      session.pc = pc;
      // Before setRemoteDescription: the track event fires during it.
      pc.ontrack = (event: { track: AudioTrackLike; streams?: readonly MediaStream[] }) => {
        const stream = event.streams?.[0] ?? this.#createStream(event.track);
        if (stream && this.#sessions.get(legId) === session) this.#update(session, { remoteStream: stream });
      };
      await pc.setRemoteDescription({ type: "offer", sdp: session.sdp });
      const track = local.getAudioTracks()[0];
      if (!track) throw new CallingError("no_microphone", "The microphone gave no audio track.");
      const transceiver = pc.getTransceivers().find((t) => t.receiver.track?.kind !== "video");
      if (transceiver) {
        await transceiver.sender.replaceTrack(track);
        transceiver.direction = "sendrecv";
        session.sender = transceiver.sender;
      } else {
        session.sender = pc.addTrack(track, local);
      }
      track.enabled = !session.call.muted;
      const answer = await pc.createAnswer();
      await pc.setLocalDescription(answer);
      await gatheringComplete(pc, this.#options.iceGatheringTimeoutMs ?? 5_000);
      if (this.#sessions.get(legId) !== session) throw endedError(session.call);
      const sdp = pc.localDescription?.sdp;
      if (!sdp) throw new CallingError("unsupported", "The browser made no answer to the call.");
      if (!this.#realtime.send({ type: "call.answer", legId, sdp })) {
        throw new CallingError("not_connected_to_server", "Not connected to the server: the call could not be answered.");
      }
      session.connectTimer = globalThis.setTimeout(() => {
        if (this.#sessions.get(legId) !== session || session.call.phase === "connected") return;
        this.#realtime.send({ type: "call.hangup", legId });
        this.#end(session, { reason: "failed", detail: "The server did not connect the call in time." });
      }, this.#options.connectTimeoutMs ?? 15_000);
    } catch (error) {
      if (this.#sessions.get(legId) === session) {
        // Our side failed: the server must not keep the caller waiting for this browser.
        this.#realtime.send({ type: "call.hangup", legId });
        this.#end(session, { reason: "failed", detail: error instanceof Error ? error.message : String(error) });
      }
      throw error;
    }
    return connected;
  }

  /**
   * A customer calls from their conversation (the widget's "call us"); no `register()` needed. Opens the
   * microphone, makes the offer once ICE gathering is complete, sends `call.start`, takes the server's answer
   * (`call.placing`: the call is then in `calls`, phase `placing`) and resolves at `call.connected` (the
   * customer hears the queue until an agent answers). Rejects with a `CallingError` when the microphone cannot
   * be opened (nothing is sent) or the call fails on this side, and with the server's `RealtimeError` when it
   * refuses the call (`conversation.not_found`, `auth.scope_missing`, `calls.unavailable`, ...).
   */
  start(conversationId: string, options: { deviceId?: string } = {}): Promise<WebCall> {
    return this.#callOut({ conversationId, to: null }, options, (requestId, sdp) => ({
      type: "call.start",
      requestId,
      conversationId,
      sdp,
    }));
  }

  /**
   * An agent calls a colleague's extension or a number (`call.place`): as `start`, but the call rings the other
   * party once placed, and resolves when they answer (`call.connected`); a call that does not get through ends
   * with its reason (`busy`, `declined`, `timeout`, `unreachable`). Refusals reject with the server's code
   * (`call.invalid_target`, `call.offer_refused`).
   */
  place(to: string, options: { deviceId?: string } = {}): Promise<WebCall> {
    return this.#callOut({ conversationId: null, to }, options, (requestId, sdp) => ({ type: "call.place", requestId, to, sdp }));
  }

  async #callOut(
    target: { conversationId: string | null; to: string | null },
    options: { deviceId?: string },
    frameOf: (requestId: string, sdp: string) => ClientFrame,
  ): Promise<WebCall> {
    if (this.#starting || this.#activeSession()) throw new CallingError("in_progress", "A call is already in progress.");
    const PeerConnection =
      this.#options.RTCPeerConnection ??
      ((globalThis as { RTCPeerConnection?: unknown }).RTCPeerConnection as PeerConnectionConstructor | undefined);
    if (typeof PeerConnection !== "function") {
      throw new CallingError("unsupported", "This browser cannot make calls (no WebRTC).");
    }
    this.#requests += 1;
    const starting: Starting = {
      requestId: `start-${this.#now().toString(36)}-${this.#requests}`,
      ...target,
      pc: undefined,
      local: undefined,
      sender: undefined,
      remoteStream: undefined,
      sent: false,
      timer: undefined,
      placed: undefined,
      fail: undefined,
    };
    this.#starting = starting;
    const current = () => this.#starting === starting;
    const deviceId = options.deviceId ?? this.#inputDeviceId;
    let taken: { connected: Promise<WebCall> };
    try {
      try {
        starting.local = await this.#openMicrophone(deviceId);
      } catch (error) {
        throw microphoneError(error);
      }
      if (!current()) throw new CallingError("call_ended", "The call was hung up.");
      if (deviceId !== undefined) this.#inputDeviceId = deviceId;
      const track = starting.local.getAudioTracks()[0];
      if (!track) throw new CallingError("no_microphone", "The microphone gave no audio track.");
      const pc = new PeerConnection(this.#options.rtcConfiguration);
      starting.pc = pc;
      pc.ontrack = (event: { track: AudioTrackLike; streams?: readonly MediaStream[] }) => {
        const stream = event.streams?.[0] ?? this.#createStream(event.track);
        if (!stream) return;
        starting.remoteStream = stream;
        const session = this.#sessionOf(starting);
        if (session) this.#update(session, { remoteStream: stream });
      };
      // A sendrecv audio transceiver: the audio m-line of the offer (its DTMF sender included).
      starting.sender = pc.addTrack(track, starting.local);
      const offer = await pc.createOffer();
      await pc.setLocalDescription(offer);
      await gatheringComplete(pc, this.#options.iceGatheringTimeoutMs ?? 5_000);
      if (!current()) throw new CallingError("call_ended", "The call was hung up.");
      const sdp = pc.localDescription?.sdp;
      if (!sdp) throw new CallingError("unsupported", "The browser made no offer for the call.");

      const placing = new Promise<{ connected: Promise<WebCall> }>((resolve, reject) => {
        starting.placed = resolve;
        starting.fail = reject;
      });
      if (!this.#realtime.send(frameOf(starting.requestId, sdp))) {
        throw new CallingError("not_connected_to_server", "Not connected to the server: the call could not be started.");
      }
      starting.sent = true;
      starting.timer = globalThis.setTimeout(() => {
        starting.fail?.(new CallingError("connect_timeout", "The server did not take the call in time."));
      }, this.#options.placingTimeoutMs ?? 15_000);
      taken = await placing;
    } catch (error) {
      // Nothing else owns the microphone and the peer before the server took the call.
      if (current()) this.#starting = undefined;
      globalThis.clearTimeout(starting.timer);
      // Sent and given up on: the call the server may still take is hung up when its `call.placing` comes.
      // (A refusal made no leg.)
      if (starting.sent && !(error instanceof RealtimeError)) this.#abandoned.add(starting.requestId);
      if (starting.local) stopAll(starting.local);
      closePeer(starting.pc);
      throw error;
    }
    return taken.connected;
  }

  /**
   * The server took the call: at once (a `call.connected` may follow in the same tick) it becomes a session with
   * a leg; then the server's answer is applied; `call.connected` settles the returned promise.
   */
  #placed(starting: Starting, frame: CallPlacingFrame, pc: PeerConnectionLike): Promise<WebCall> {
    this.#starting = undefined;
    globalThis.clearTimeout(starting.timer);
    const session: Session = {
      call: {
        legId: frame.legId,
        callId: frame.callId,
        direction: "outgoing",
        conversationId: starting.conversationId,
        offerId: null,
        // Whom an agent calls shows where a caller would.
        from: { number: starting.to, name: null },
        queueName: null,
        phase: "placing",
        ringingSince: this.#now(),
        connectedAt: undefined,
        muted: false,
        held: false,
        remoteStream: starting.remoteStream,
        ended: undefined,
      },
      sdp: frame.sdp,
      pc,
      local: starting.local,
      sender: starting.sender,
      settle: undefined,
      connectTimer: undefined,
      lastStats: undefined,
      requestId: starting.requestId,
    };
    const connected = new Promise<WebCall>((resolve, reject) => {
      session.settle = { resolve, reject };
    });
    connected.catch(() => {});
    this.#sessions.set(frame.legId, session);
    this.#changed();
    session.connectTimer = globalThis.setTimeout(() => {
      if (this.#sessions.get(frame.legId) !== session || session.call.phase === "connected") return;
      this.#realtime.send({ type: "call.hangup", legId: frame.legId });
      this.#end(session, { reason: "failed", detail: "The call's media did not connect in time." });
    }, this.#options.connectTimeoutMs ?? 15_000);
    pc.setRemoteDescription({ type: "answer", sdp: frame.sdp }).catch((error: unknown) => {
      if (this.#sessions.get(frame.legId) !== session) return;
      this.#realtime.send({ type: "call.hangup", legId: frame.legId });
      const detail = error instanceof Error ? error.message : String(error);
      this.#end(session, { reason: "failed", detail: `The server's answer could not be used: ${detail}` });
    });
    return connected;
  }

  #sessionOf(starting: Starting): Session | undefined {
    for (const session of this.#sessions.values()) if (session.requestId === starting.requestId) return session;
    return undefined;
  }

  /** Declines a ringing call on this browser (the server may ring the agent's other devices or the next agent). */
  reject(legId: string, reason: "declined" | "busy" = "declined"): void {
    const session = this.#sessions.get(legId);
    this.#realtime.send({ type: "call.reject", legId, reason });
    if (session) this.#end(session, { reason: "rejected" });
  }

  /** Hangs up a call (default: the active one). */
  hangup(legId?: string): void {
    const session = legId === undefined ? this.#activeSession() : this.#sessions.get(legId);
    if (!session) {
      if (legId === undefined) this.#cancelStart(new CallingError("call_ended", "The call was hung up."));
      return;
    }
    this.#realtime.send({ type: "call.hangup", legId: session.call.legId });
    this.#end(session, { reason: "hangup" });
  }

  /** Gives up a start before the server took it; the leg it may still get is hung up on arrival. */
  #cancelStart(error: Error): void {
    const starting = this.#starting;
    if (!starting) return;
    if (starting.fail) starting.fail(error);
    else {
      // Still opening the microphone or gathering: `start` sees it is no longer current and cleans up.
      this.#starting = undefined;
    }
  }

  /** Mutes this side's microphone (local: the track sends silence). */
  setMuted(muted: boolean): void {
    const session = this.#activeSession();
    if (!session) throw new CallingError("not_connected", "There is no call to mute.");
    for (const track of session.local?.getAudioTracks() ?? []) track.enabled = !muted;
    this.#update(session, { muted });
  }

  /** Sends keys to the caller's side as RFC 4733 events (0-9, *, #, A-D; a comma pauses). */
  sendDtmf(digits: string): void {
    if (!DTMF_DIGITS.test(digits)) throw new CallingError("invalid_digits", `Not keypad keys: ${digits}`);
    const session = this.#activeSession();
    if (session?.call.phase !== "connected") throw new CallingError("not_connected", "There is no connected call.");
    const dtmf = session.sender?.dtmf;
    if (!dtmf) throw new CallingError("dtmf_unavailable", "This call cannot send keypad tones.");
    dtmf.insertDTMF(digits, 120, 70);
  }

  /** Puts the caller on hold (they hear the hold music) or takes them back: through the REST API. */
  async hold(held: boolean): Promise<void> {
    const session = this.#activeSession();
    if (session?.call.phase !== "connected") throw new CallingError("not_connected", "There is no connected call.");
    const client = this.#options.client;
    if (!client) throw new CallingError("unsupported", "Hold needs the REST client (options.client).");
    await client.telephony.liveCalls.hold(session.call.callId, held);
    if (this.#sessions.get(session.call.legId) === session) this.#update(session, { held });
  }

  /** The microphones (labels are empty until the page may use the microphone). */
  async listDevices(): Promise<{ deviceId: string; label: string }[]> {
    const enumerate =
      this.#options.enumerateDevices ??
      (globalThis.navigator?.mediaDevices?.enumerateDevices
        ? () => globalThis.navigator.mediaDevices.enumerateDevices()
        : undefined);
    if (!enumerate) return [];
    const devices = await enumerate();
    return devices
      .filter((d) => d.kind === "audioinput")
      .map((d, i) => ({ deviceId: d.deviceId, label: d.label || `Microphone ${i + 1}` }));
  }

  /** Uses this microphone from now on: on the current call at once (its mute kept), and for the next calls. */
  async setInputDevice(deviceId: string): Promise<void> {
    this.#inputDeviceId = deviceId;
    const session = this.#activeSession();
    if (!session?.sender || !session.local) return;
    let stream: MediaStreamLike;
    try {
      stream = await this.#openMicrophone(deviceId);
    } catch (error) {
      throw microphoneError(error);
    }
    const track = stream.getAudioTracks()[0];
    if (!track || this.#activeSession() !== session || !session.sender) {
      stopAll(stream);
      return;
    }
    track.enabled = !session.call.muted;
    await session.sender.replaceTrack(track);
    stopAll(session.local);
    session.local = stream;
  }

  /** Call quality of the active call (or the named one) from the browser's WebRTC statistics. */
  async stats(legId?: string): Promise<CallStats | undefined> {
    const session = legId === undefined ? this.#activeSession() : this.#sessions.get(legId);
    const pc = session?.pc;
    if (!session || !pc) return undefined;
    const report = await pc.getStats();
    const stats = readStats(report, this.#now(), session.lastStats);
    session.lastStats = { received: stats.packetsReceived, lost: stats.packetsLost };
    return stats;
  }

  /** Hangs up every call, stops listening to the socket and unregisters. */
  close(): void {
    if (this.#closed) return;
    this.#cancelStart(new CallingError("call_ended", "The calling client was closed."));
    for (const session of [...this.#sessions.values()]) {
      this.#realtime.send(
        session.call.phase === "ringing"
          ? { type: "call.reject", legId: session.call.legId, reason: "declined" }
          : { type: "call.hangup", legId: session.call.legId },
      );
      this.#end(session, { reason: "hangup" });
    }
    if (this.#wanted) this.unregister();
    this.#closed = true;
    for (const off of this.#offs) off();
    const closed = new Error("The calling client was closed");
    for (const waiter of this.#registerWaiters.splice(0)) waiter.reject(closed);
  }

  #onFrame(frame: CallFrame): void {
    switch (frame.type) {
      case "calls.registered":
        // An answer to an unregister that crossed a register is stale: only `wanted` decides.
        if (frame.registered || this.#wanted) this.#setRegistration(frame.registered ? "on" : "refused");
        for (const waiter of this.#registerWaiters.splice(0)) waiter.resolve(frame.registered);
        return;
      case "call.incoming":
        this.#onIncoming(frame);
        return;
      case "call.connected": {
        const session = this.#sessions.get(frame.legId);
        if (!session) return;
        globalThis.clearTimeout(session.connectTimer);
        this.#update(session, { phase: "connected", connectedAt: this.#now() });
        this.#emit("connected", session.call);
        session.settle?.resolve(session.call);
        session.settle = undefined;
        return;
      }
      case "call.answered": {
        const session = this.#sessions.get(frame.legId);
        if (!session) return;
        this.#update(session, { answeredBy: frame.by });
        this.#emit("answered", session.call);
        return;
      }
      case "call.ended": {
        const session = this.#sessions.get(frame.legId);
        if (session) this.#end(session, { reason: frame.reason, ...(frame.detail ? { detail: frame.detail } : {}) });
        return;
      }
      case "call.placing": {
        const starting = this.#starting;
        if (starting?.requestId === frame.requestId && starting.placed && starting.pc) {
          starting.placed({ connected: this.#placed(starting, frame, starting.pc) });
        } else if (this.#abandoned.delete(frame.requestId)) {
          this.#realtime.send({ type: "call.hangup", legId: frame.legId });
        }
        return;
      }
    }
  }

  #onIncoming(frame: CallIncomingFrame): void {
    if (this.#sessions.has(frame.legId)) return;
    const call: WebCall = {
      legId: frame.legId,
      callId: frame.callId,
      direction: "incoming",
      conversationId: null,
      offerId: frame.offerId,
      from: frame.from,
      queueName: frame.queueName,
      phase: "ringing",
      ringingSince: this.#now(),
      connectedAt: undefined,
      muted: false,
      held: false,
      remoteStream: undefined,
      ended: undefined,
    };
    const session: Session = {
      call,
      sdp: frame.sdp,
      pc: undefined,
      local: undefined,
      sender: undefined,
      settle: undefined,
      connectTimer: undefined,
      lastStats: undefined,
      requestId: undefined,
    };
    this.#sessions.set(frame.legId, session);
    this.#changed();
    this.#emit("incoming", call);
  }

  /** The socket is gone: the server forgets its registration and its ringing calls; connected media goes on. */
  #onSocketLost(): void {
    if (this.#wanted && this.#registration === "on") this.#setRegistration("registering");
    if (this.#starting?.sent) {
      this.#cancelStart(new CallingError("not_connected_to_server", "The connection to the server was lost."));
    }
    for (const session of [...this.#sessions.values()]) {
      if (session.call.phase === "ringing") {
        this.#end(session, { reason: "failed", detail: "The connection to the server was lost." });
      }
    }
  }

  #activeSession(): Session | undefined {
    for (const session of this.#sessions.values()) {
      const phase = session.call.phase;
      if (phase === "connected" || phase === "answering" || phase === "placing") return session;
    }
    return undefined;
  }

  async #openMicrophone(deviceId: string | undefined): Promise<MediaStreamLike> {
    const getUserMedia =
      this.#options.getUserMedia ??
      (globalThis.navigator?.mediaDevices?.getUserMedia
        ? (constraints: MediaStreamConstraints) => globalThis.navigator.mediaDevices.getUserMedia(constraints)
        : undefined);
    if (!getUserMedia) throw new CallingError("unsupported", "This browser cannot open a microphone here (it needs HTTPS).");
    return getUserMedia({ audio: deviceId === undefined ? true : { deviceId: { exact: deviceId } } });
  }

  #createStream(track: AudioTrackLike): MediaStream | undefined {
    if (this.#options.createStream) return this.#options.createStream(track);
    const Stream = (globalThis as { MediaStream?: new (tracks: unknown[]) => MediaStream }).MediaStream;
    return Stream ? new Stream([track]) : undefined;
  }

  #end(session: Session, ended: { reason: CallEndReason; detail?: string }): void {
    const legId = session.call.legId;
    if (this.#sessions.get(legId) !== session) return;
    this.#sessions.delete(legId);
    globalThis.clearTimeout(session.connectTimer);
    if (session.local) stopAll(session.local);
    closePeer(session.pc);
    const call: WebCall = { ...session.call, phase: "ended", ended: { ...ended, at: this.#now() } };
    session.call = call;
    session.settle?.reject(endedError(call));
    session.settle = undefined;
    this.#changed();
    this.#emit("ended", call);
  }

  #update(session: Session, patch: Partial<WebCall>): void {
    session.call = { ...session.call, ...patch };
    this.#changed();
  }

  #changed(): void {
    this.#snapshot = {
      registration: this.#registration,
      calls: [...this.#sessions.values()].map((s) => s.call),
    };
    this.#emit("change", this.#snapshot);
  }

  #setRegistration(registration: CallRegistration): void {
    if (this.#registration === registration) return;
    this.#registration = registration;
    this.#changed();
    this.#emit("registration", registration);
  }

  #sendRegister(register: boolean): void {
    if (this.#realtime.state === "open") this.#realtime.send({ type: "calls.register", register });
  }

  #emit<K extends keyof CallingEventMap>(name: K, payload: CallingEventMap[K]): void {
    for (const listener of [...(this.#listeners.get(name) ?? [])]) {
      try {
        (listener as (payload: CallingEventMap[K]) => void)(payload);
      } catch (error) {
        if (name !== "error") this.#emit("error", error instanceof Error ? error : new Error(String(error)));
      }
    }
  }
}

/** Resolves once the browser has gathered every ICE candidate (they go inside the answer), or after `timeoutMs`. */
function gatheringComplete(pc: PeerConnectionLike, timeoutMs: number): Promise<void> {
  if (pc.iceGatheringState === "complete") return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      globalThis.clearTimeout(timer);
      pc.onicegatheringstatechange = null;
      pc.onicecandidate = null;
      resolve();
    };
    const timer = globalThis.setTimeout(done, timeoutMs);
    pc.onicegatheringstatechange = () => {
      if (pc.iceGatheringState === "complete") done();
    };
    // The null candidate also says gathering is over (some browsers fire it without the state change).
    pc.onicecandidate = (event: { candidate: unknown }) => {
      if (!event.candidate) done();
    };
  });
}

function closePeer(pc: PeerConnectionLike | undefined): void {
  try {
    pc?.close();
  } catch {
    // Already closed.
  }
}

function stopAll(stream: MediaStreamLike): void {
  for (const track of stream.getTracks()) track.stop();
}

function endedError(call: WebCall): CallingError {
  const reason = call.ended?.reason;
  return new CallingError(
    "call_ended",
    call.ended?.detail ?? (reason ? `The call ended (${endReasonText(reason)}).` : "The call ended."),
  );
}

/** What a person reads when a call ends for this reason. */
export function endReasonText(reason: CallEndReason): string {
  switch (reason) {
    case "hangup":
      return "you hung up";
    case "remote_hangup":
      return "the caller hung up";
    case "cancelled":
      return "the caller hung up before it was answered";
    case "answered_elsewhere":
      return "answered on another device";
    case "timeout":
      return "not answered in time";
    case "busy":
      return "the line was busy";
    case "declined":
      return "the other side declined";
    case "unreachable":
      return "the number could not be reached";
    case "failed":
      return "the call could not be connected";
    case "rejected":
      return "declined";
    case "media_refused":
      return "the microphone could not be used";
  }
}

/** Why the microphone did not open, in words a person can act on. */
function microphoneError(error: unknown): CallingError {
  if (error instanceof CallingError) return error;
  const name = (error as { name?: unknown } | null)?.name;
  if (name === "NotAllowedError" || name === "SecurityError" || name === "PermissionDeniedError") {
    return new CallingError(
      "media_refused",
      "Microphone access is blocked. Allow this site to use the microphone (the icon in the address bar), then take the next call.",
      { cause: error },
    );
  }
  if (name === "NotFoundError" || name === "OverconstrainedError" || name === "DevicesNotFoundError") {
    return new CallingError("no_microphone", "No microphone was found. Plug one in or choose another, then take the next call.", {
      cause: error,
    });
  }
  if (name === "NotReadableError" || name === "TrackStartError") {
    return new CallingError("media_refused", "The microphone is in use by another application or could not be started.", {
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new CallingError("media_refused", `The microphone could not be opened: ${message}`, { cause: error });
}

/** The audio figures of a stats report: inbound RTP (loss, jitter, level), and RTT from RTCP or the ICE pair. */
export function readStats(report: StatsReportLike, at: number, previous?: { received: number; lost: number }): CallStats {
  let inbound: Record<string, unknown> | undefined;
  let remoteInbound: Record<string, unknown> | undefined;
  let outbound: Record<string, unknown> | undefined;
  let selectedPairId: string | undefined;
  const pairs = new Map<string, Record<string, unknown>>();
  report.forEach((stat) => {
    const kind = stat.kind ?? stat.mediaType;
    switch (stat.type) {
      case "inbound-rtp":
        if (kind === "audio") inbound = stat;
        break;
      case "remote-inbound-rtp":
        if (kind === "audio") remoteInbound = stat;
        break;
      case "outbound-rtp":
        if (kind === "audio") outbound = stat;
        break;
      case "transport":
        if (typeof stat.selectedCandidatePairId === "string") selectedPairId = stat.selectedCandidatePairId;
        break;
      case "candidate-pair":
        if (typeof stat.id === "string") pairs.set(stat.id, stat);
        break;
    }
  });
  const num = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined);
  const received = num(inbound?.packetsReceived) ?? 0;
  const lost = Math.max(0, num(inbound?.packetsLost) ?? 0);
  const deltaReceived = received - (previous?.received ?? 0);
  const deltaLost = lost - (previous?.lost ?? 0);
  const interval = deltaReceived >= 0 && deltaLost >= 0 ? { received: deltaReceived, lost: deltaLost } : { received, lost };
  const expected = interval.received + interval.lost;
  const lossPercent = expected > 0 ? (100 * interval.lost) / expected : 0;

  const pair =
    (selectedPairId ? pairs.get(selectedPairId) : undefined) ??
    [...pairs.values()].find((p) => p.nominated === true && p.state === "succeeded");
  const rttSeconds = num(remoteInbound?.roundTripTime) ?? num(pair?.currentRoundTripTime);
  const jitter = num(inbound?.jitter);
  return {
    at,
    packetsReceived: received,
    packetsLost: lost,
    lossPercent,
    jitterMs: jitter === undefined ? undefined : jitter * 1000,
    roundTripTimeMs: rttSeconds === undefined ? undefined : rttSeconds * 1000,
    audioLevel: num(inbound?.audioLevel),
    totalAudioEnergy: num(inbound?.totalAudioEnergy),
    packetsSent: num(outbound?.packetsSent) ?? 0,
  };
}
