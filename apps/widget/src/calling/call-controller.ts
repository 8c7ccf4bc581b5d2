import { CallingClient, type CallingClientOptions, type CallSignaling, type WebCall } from "@switchboard/sdk";
import { type CallAction, type CallState, callReducer, idleCall, inCall } from "./call-state.js";

export interface CallControllerOptions {
  /** The chat's real-time socket (a customer token with the `voip` scope), when it is open. */
  readonly signaling: () => CallSignaling | undefined;
  /** Tests inject fakes of the browser's WebRTC and media APIs. */
  readonly calling?: Omit<CallingClientOptions, "realtime">;
  /** How long a start waits for the chat's socket to open. Default 10000 ms. */
  readonly openTimeoutMs?: number;
  /** How often the other side's audio energy is read while the media flows. Default 1000 ms. */
  readonly statsEveryMs?: number;
  readonly now?: () => number;
}

/**
 * The customer's call from the chat: starts it with the sdk's `CallingClient` on the chat's socket, turns what
 * the client reports into `CallState`, and carries the controls (mute, keypad, hang up). No DOM besides timers:
 * the view renders `state` and puts `remoteStream` in an `<audio>` element.
 */
export class CallController {
  readonly #options: CallControllerOptions;
  readonly #now: () => number;
  readonly #listeners = new Set<(state: CallState) => void>();
  #state: CallState = idleCall;
  #client: CallingClient | undefined;
  #offs: (() => void)[] = [];
  #remoteStream: MediaStream | undefined;
  #statsTimer: ReturnType<typeof setInterval> | undefined;
  /** The conversation's agent when the call started: another one afterwards is the agent who answered. */
  #agentAtStart: string | null | undefined;

  constructor(options: CallControllerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  get state(): CallState {
    return this.#state;
  }

  /** The other side's audio: the `srcObject` of the panel's `<audio autoplay>`. */
  get remoteStream(): MediaStream | undefined {
    return this.#remoteStream;
  }

  subscribe(listener: (state: CallState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Calls from this conversation; resolves once the call has started or failed (the state says which). */
  async start(conversationId: string, agentId: string | null): Promise<void> {
    if (inCall(this.#state)) return;
    this.#release();
    this.#dispatch({ type: "start" });
    this.#agentAtStart = agentId;
    const realtime = this.#options.signaling();
    // The chat's socket may still be connecting (the page just opened the chat): the call waits for it a little.
    const open = realtime ? await whenOpen(realtime, this.#options.openTimeoutMs ?? 10_000) : false;
    if (this.#state.status !== "connecting" || this.#client) return; // Hung up meanwhile.
    if (!realtime || !open) {
      this.#dispatch({ type: "failed", code: "not_connected_to_server", at: this.#now() });
      return;
    }
    const client = new CallingClient({ ...this.#options.calling, realtime });
    this.#client = client;
    this.#offs = [
      client.on("change", () => this.#onChange(client)),
      client.on("connected", () => {
        if (this.#client !== client) return;
        this.#dispatch({ type: "connected", at: this.#now() });
        this.#watchStats(client);
      }),
      client.on("answered", (call) => {
        if (this.#client === client) this.agentAnswered(call.answeredBy?.name ?? undefined);
      }),
      client.on("ended", (call) => this.#onEnded(client, call)),
    ];
    try {
      await client.start(conversationId);
    } catch (error) {
      if (this.#client !== client) return;
      // A call that was placed ended through `ended` already; this is a start that never became a call.
      const code = typeof (error as { code?: unknown })?.code === "string" ? (error as { code: string }).code : "failed";
      if (inCall(this.#state)) this.#dispatch({ type: "failed", code, at: this.#now() });
      if (!(error instanceof Error) || !("code" in error)) console.warn("[switchboard widget] call failed", error);
      this.#release();
    }
  }

  hangup(): void {
    if (!inCall(this.#state)) return;
    this.#dispatch({ type: "ended", reason: "hangup", at: this.#now() });
    this.#client?.hangup();
    this.#release();
  }

  setMuted(muted: boolean): void {
    if (!this.#client?.activeCall) return;
    this.#client.setMuted(muted);
    this.#dispatch({ type: "muted", muted });
  }

  toggleKeypad(open = !this.#state.keypadOpen): void {
    this.#dispatch({ type: "keypad", open });
  }

  /** A keypad key to the other side (RFC 4733), once the media is up. */
  pressKey(key: string): void {
    const client = this.#client;
    if (!client || (this.#state.status !== "waiting" && this.#state.status !== "talking")) return;
    try {
      client.sendDtmf(key);
      this.#dispatch({ type: "key", key });
    } catch (error) {
      console.warn("[switchboard widget] keypad", error instanceof Error ? error.message : error);
    }
  }

  /**
   * What the chat knows of its agent. The call is offered to the conversation's queue; a new agent on the
   * conversation while the call waits is the one who answered it.
   */
  observeAgent(agentId: string | null, agentName: string | undefined): void {
    const { status } = this.#state;
    if (status === "waiting" && agentId !== null && agentId !== this.#agentAtStart) {
      this.#dispatch({ type: "agent", name: agentName });
    } else if (status === "talking" && agentName && agentName !== this.#state.agentName) {
      this.#dispatch({ type: "agent", name: agentName });
    }
  }

  /** Someone answered (a signal from elsewhere than the conversation). */
  agentAnswered(name: string | undefined): void {
    this.#dispatch({ type: "agent", name });
  }

  /** Closes the ended call's panel. */
  dismiss(): void {
    this.#dispatch({ type: "dismiss" });
  }

  dispose(): void {
    this.#client?.hangup();
    this.#release();
    this.#listeners.clear();
  }

  #onChange(client: CallingClient): void {
    if (this.#client !== client) return;
    const call = client.activeCall;
    if (!call) return;
    if (call.remoteStream !== this.#remoteStream) {
      this.#remoteStream = call.remoteStream;
      this.#emit();
    }
    if (this.#state.legId === undefined) this.#dispatch({ type: "placing", legId: call.legId });
  }

  #onEnded(client: CallingClient, call: WebCall): void {
    if (this.#client !== client || !call.ended) return;
    this.#dispatch({ type: "ended", reason: call.ended.reason, detail: call.ended.detail, at: call.ended.at });
    this.#release();
  }

  #watchStats(client: CallingClient): void {
    globalThis.clearInterval(this.#statsTimer);
    this.#statsTimer = globalThis.setInterval(() => {
      client.stats().then(
        (stats) => {
          if (this.#client === client && stats?.totalAudioEnergy !== undefined) {
            this.#dispatch({ type: "energy", energy: stats.totalAudioEnergy });
          }
        },
        () => {
          // Statistics are a nicety: the next read tries again.
        },
      );
    }, this.#options.statsEveryMs ?? 1000);
  }

  /** Lets go of the call's client (its media is already released by the sdk once the call ended). */
  #release(): void {
    globalThis.clearInterval(this.#statsTimer);
    this.#statsTimer = undefined;
    for (const off of this.#offs.splice(0)) off();
    const client = this.#client;
    this.#client = undefined;
    client?.close();
    if (this.#remoteStream) {
      this.#remoteStream = undefined;
      this.#emit();
    }
  }

  #dispatch(action: CallAction): void {
    const next = callReducer(this.#state, action);
    if (next === this.#state) return;
    this.#state = next;
    this.#emit();
  }

  #emit(): void {
    for (const listener of [...this.#listeners]) listener(this.#state);
  }
}

/** Resolves true once the socket is open (at once when it is), false after `timeoutMs` or when it closes for good. */
function whenOpen(realtime: CallSignaling, timeoutMs: number): Promise<boolean> {
  if (realtime.state === "open") return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (open: boolean) => {
      globalThis.clearTimeout(timer);
      off();
      resolve(open);
    };
    const timer = globalThis.setTimeout(() => done(false), timeoutMs);
    const off = realtime.on("state", (state) => {
      if (state === "open") done(true);
      else if (state === "closed") done(false);
    });
  });
}
