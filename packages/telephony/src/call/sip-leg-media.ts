import type {
  CallLegMedia,
  CollectOptions,
  CollectOutcome,
  DialTarget,
  HangupCause,
  Key,
  MediaEvent,
  PlayOptions,
  PlayOutcome,
  Prompt,
  PromptRenderer,
  RecordingStore,
  RecordOptions,
  RecordOutcome,
  TransferRequest,
} from "@switchboard/core";
import type { AudioChannel } from "../media/audio-channel.js";
import { LoopSource } from "../media/frame-source.js";
import { MIXER_PORT, type MixableLeg, type MixerConnection, type MixerPort } from "../media/mixer/mixer-port.js";
import { concat } from "../rtp/audio/audio.js";
import { type DtmfEvent, isDtmfDigit } from "../rtp/dtmf/digits.js";
import type { MediaQuality } from "../rtp/rtcp/rtcp-session.js";
import type { Scheduler } from "../scheduler/scheduler.js";
import type { LegEnd } from "../sip/leg/model.js";
import type { IncomingRefer, ReferHandler } from "../sip/leg/refer-subscription.js";
import { type Replaces, splitReferTo } from "../sip/leg/replaces.js";
import { CollectOperation } from "./collect-operation.js";
import { hangupCauseOf } from "./hangup-cause.js";
import { KeyBuffer } from "./key-buffer.js";
import { LegOutput } from "./leg-output.js";
import type { Operation, OperationHost, RunningOperation } from "./operation.js";
import { PlayOperation } from "./play-operation.js";
import { frameEnergyAt, RecordOperation } from "./record-operation.js";

/** What `SipLegMedia` uses of a call: `Call` provides it; unit tests give a fake without sockets. */
export interface LegCall {
  readonly media: AudioChannel;
  /** Keys from every source: RFC 4733, in-band tones, SIP INFO. */
  onDtmf(listener: (event: DtmfEvent) => void): () => void;
  onEnded(listener: (end: LegEnd) => void): () => void;
  hangup(): Promise<void>;
  /** Transfers the peer asks for (REFER); a leg that cannot receive them leaves it out. */
  onRefer?(handler: ReferHandler | undefined): void;
  /** The peer put the call on hold (`true`) or resumed it; a leg that cannot be held leaves it out. */
  onHold?(listener: (held: boolean) => void): () => void;
  /** The leg's call quality so far (after it ended: over the whole leg), for its call record. */
  quality?(): Promise<MediaQuality>;
}

export interface SipLegMediaOptions {
  readonly call: LegCall;
  readonly legId: string;
  readonly tenantId: string;
  /** The call record the leg belongs to, kept with its recordings. */
  readonly callId?: string;
  readonly renderer: PromptRenderer;
  readonly recordings: RecordingStore;
  /** Collect timeouts (default system timers; tests pass a `ManualScheduler`). Audio timing follows the media clock. */
  readonly scheduler: Scheduler;
  /** What `hold()` plays when given no music (default `DEFAULT_HOLD_MUSIC`). */
  readonly holdMusic?: readonly Prompt[];
  /** Where a transfer the party asks for (REFER's Refer-To URI, headers dropped) goes; undefined refuses it with 404. */
  readonly transferTarget?: (referTo: string) => DialTarget | undefined;
  /**
   * The leg (of ours) on the dialog an attended transfer's Replaces names (RFC 3891); undefined refuses the
   * REFER with 481. Without it, a Replaces is refused with 501.
   */
  readonly replacedLeg?: (replaces: Replaces) => string | undefined;
  /** Frame level above which `record` hears speech, in dBFS (default -40). */
  readonly speechThresholdDbfs?: number;
}

/** The hold music shipped with Switchboard: the held party hears that the line is alive. */
export const DEFAULT_HOLD_MUSIC: readonly Prompt[] = [{ kind: "music" }];

/**
 * A SIP call leg as a call flow drives it (`CallLegMedia`): prompts, keys, recordings, hold and hang-up over a
 * `Call`'s RTP media. Every outcome is also reported as a `MediaEvent`.
 *
 * One audio operation (play, collect, record) runs at a time; starting one halts the running one as `stopped`,
 * and the leg's end halts it as `hung-up`. Keys go to the running operation when it wants them and otherwise
 * into a buffer of 32 for the next `collect`. Holding the party is done in the media, with no re-INVITE: the
 * party hears the music looped and is cut out of any bridge or conference until `resume`, while prompts played
 * to it still take precedence over the music. All audio timing comes from the shared media clock's ticks.
 */
export class SipLegMedia implements CallLegMedia, MixableLeg {
  readonly id: string;
  readonly ended: Promise<HangupCause>;
  readonly call: LegCall;
  private resolveEnded: (cause: HangupCause) => void = () => undefined;
  private readonly listeners = new Set<(event: MediaEvent) => void>();
  private readonly keyListeners = new Set<(event: DtmfEvent) => void>();
  private readonly keys = new KeyBuffer(32);
  private readonly output = new LegOutput();
  private readonly host: OperationHost;
  private readonly port: MixerPort;
  private readonly holdMusic: readonly Prompt[];
  private readonly speechEnergy: number;
  private readonly unsubscribeDtmf: () => void;
  private readonly unsubscribeHold: () => void;
  private current: RunningOperation | undefined;
  private connection: MixerConnection | undefined;
  /** Hang-up asked for or the leg ended: operations settle as `hung-up` from now on. */
  private over = false;
  private platformReason: string | undefined;
  private held = false;
  private holdGeneration = 0;

  constructor(private readonly options: SipLegMediaOptions) {
    const { call, legId } = options;
    this.id = legId;
    this.call = call;
    this.holdMusic = options.holdMusic ?? DEFAULT_HOLD_MUSIC;
    this.speechEnergy = frameEnergyAt(options.speechThresholdDbfs ?? -40);
    this.ended = new Promise((resolve) => {
      this.resolveEnded = resolve;
    });
    this.host = {
      legId,
      tenantId: options.tenantId,
      callId: options.callId,
      player: call.media.player,
      renderer: options.renderer,
      recordings: options.recordings,
      scheduler: options.scheduler,
      keys: this.keys,
      report: (event) => this.report(event),
      listenFrames: (listener) => call.media.onFrame((frame) => listener(frame)),
      release: (operation) => {
        if (this.current === operation) this.current = undefined;
      },
    };
    this.port = this.mixerPort();
    call.media.setSource(this.output);
    this.unsubscribeDtmf = call.onDtmf((event) => this.keyPressed(event));
    this.unsubscribeHold = call.onHold?.((held) => this.report({ type: "party.held", legId, held })) ?? (() => undefined);
    // Last: a leg that already ended calls back at once.
    call.onEnded((end) => this.legEnded(end));
  }

  get [MIXER_PORT](): MixerPort {
    return this.port;
  }

  /** Whether `hold()` is in effect. */
  get onHold(): boolean {
    return this.held;
  }

  /** Keys pressed and not yet collected. */
  get bufferedKeys(): string {
    return this.keys.toString();
  }

  play(prompts: readonly Prompt[], options: PlayOptions = {}): Promise<PlayOutcome> {
    return this.run(new PlayOperation(this.host, prompts, options.interruptKeys ?? ""));
  }

  collect(options: CollectOptions): Promise<CollectOutcome> {
    return this.run(new CollectOperation(this.host, options));
  }

  record(options: RecordOptions = {}): Promise<RecordOutcome> {
    return this.run(new RecordOperation(this.host, options, this.speechEnergy));
  }

  stop(): void {
    this.current?.halt("stopped");
  }

  flushKeys(): void {
    this.keys.clear();
  }

  /** Sends keys as RFC 4733 events (tones when the peer did not negotiate them); reports `dtmf.sent` once sent. */
  async sendDtmf(digits: string): Promise<void> {
    const keys = [...digits.toUpperCase()].filter(isDtmfDigit).join("");
    if (this.over || keys === "") return;
    await this.call.media.sendDtmf(keys);
    if (!this.over) this.report({ type: "dtmf.sent", legId: this.id, digits: keys });
  }

  /**
   * Cuts the party out of its bridge or conference at once and plays it `music` (or the default) looped once
   * rendered. Holding again changes the music. When the music cannot be rendered the hold stays, in silence,
   * and the renderer's error is thrown.
   */
  async hold(music?: readonly Prompt[]): Promise<void> {
    if (this.over) return;
    const generation = ++this.holdGeneration;
    if (!this.held) {
      this.held = true;
      this.output.held = true;
      this.report({ type: "hold.started", legId: this.id });
    }
    const prompts = music ?? this.holdMusic;
    const parts = await Promise.all(prompts.map((prompt) => this.options.renderer.render(prompt)));
    if (generation !== this.holdGeneration || this.over) return;
    this.output.music = parts.length === 0 ? undefined : new LoopSource(concat(...parts));
  }

  async resume(): Promise<void> {
    if (!this.held || this.over) return;
    this.holdGeneration++;
    this.held = false;
    this.output.held = false;
    this.output.music = undefined;
    this.report({ type: "hold.ended", legId: this.id });
  }

  /** Hangs up (BYE, or a rejection before the answer); the running operation settles as `hung-up` at once. */
  async hangup(reason?: string): Promise<void> {
    if (!this.over) {
      this.platformReason = reason;
      this.shutdown();
    }
    await this.call.hangup();
  }

  onTransferRequest(listener: (request: TransferRequest) => void): () => void {
    this.transferListeners.add(listener);
    this.call.onRefer?.((refer) => this.referred(refer));
    return () => this.transferListeners.delete(listener);
  }

  /**
   * A REFER from the party: accepted (202) when someone listens and its target resolves, and the referrer
   * hears how it went in NOTIFYs (100 at once, then 200 or 503) as the listener settles it.
   */
  private referred(refer: IncomingRefer): void {
    const listeners = [...this.transferListeners];
    if (listeners.length === 0 || this.over) {
      refer.reject(403);
      return;
    }
    const referTo = splitReferTo(refer.target.uri);
    const target = referTo && this.options.transferTarget?.(referTo.uri);
    if (referTo === undefined || target === undefined) {
      refer.reject(referTo === undefined ? 400 : 404);
      return;
    }
    let replaces: string | undefined;
    if (referTo.replaces) {
      if (!this.options.replacedLeg) {
        refer.reject(501);
        return;
      }
      replaces = this.options.replacedLeg(referTo.replaces);
      if (replaces === undefined) {
        refer.reject(481);
        return;
      }
    }
    this.report({ type: "transfer.requested", legId: this.id, target });
    let settled = false;
    const request: TransferRequest = {
      target,
      ...(replaces ? { replaces } : {}),
      settle: (outcome) => {
        if (settled) return Promise.resolve();
        settled = true;
        return refer.subscription.notify(outcome === "succeeded" ? 200 : 503);
      },
    };
    for (const listener of listeners) listener(request);
  }

  private readonly transferListeners = new Set<(request: TransferRequest) => void>();

  onEvent(listener: (event: MediaEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private run<T>(operation: Operation<T>): Promise<T> {
    const previous = this.current;
    this.current = operation;
    previous?.halt("stopped");
    if (this.over) operation.halt("hung-up");
    else if (this.current === operation) operation.start();
    return operation.outcome;
  }

  private keyPressed(event: DtmfEvent): void {
    if (this.over) return;
    const key: Key = event.digit;
    this.report({ type: "key.pressed", legId: this.id, key });
    for (const listener of this.keyListeners) guard(() => listener(event));
    if (this.current?.key(key, event.source)) return;
    this.keys.push(key);
  }

  /** Everything that stops with the leg, whether we hang up or the party does. */
  private shutdown(): void {
    if (this.over) return;
    this.over = true;
    this.current?.halt("hung-up");
    this.holdGeneration++;
    this.output.music = undefined;
    const connection = this.connection;
    this.connection = undefined;
    this.output.feed = undefined;
    connection?.release(this.id, "hung-up");
  }

  private legEnded(end: LegEnd): void {
    this.shutdown();
    this.unsubscribeDtmf();
    this.unsubscribeHold();
    this.keyListeners.clear();
    const cause = hangupCauseOf(end, this.platformReason);
    this.report({ type: "leg.ended", legId: this.id, cause });
    this.resolveEnded(cause);
  }

  private report(event: MediaEvent): void {
    for (const listener of this.listeners) guard(() => listener(event));
  }

  private mixerPort(): MixerPort {
    const leg = this;
    return {
      legId: this.id,
      get active() {
        return !leg.over;
      },
      heard: (tick) => (this.over || this.held ? undefined : this.call.media.receivedFrame(tick)),
      connect: (connection, feed) => {
        if (this.over) {
          connection.release(this.id, "hung-up");
          return;
        }
        const previous = this.connection;
        this.connection = connection;
        this.output.feed = feed;
        if (previous !== undefined && previous !== connection) previous.release(this.id, "replaced");
      },
      disconnect: (connection) => {
        if (this.connection !== connection) return;
        this.connection = undefined;
        this.output.feed = undefined;
      },
      onKey: (listener) => {
        this.keyListeners.add(listener);
        return () => this.keyListeners.delete(listener);
      },
      sendKeys: (digits) => (this.over ? Promise.resolve() : this.call.media.sendDtmf(digits)),
      report: (event) => this.report(event),
    };
  }
}

/** Listeners are the application's: one that throws must not break the leg or the other listeners. */
function guard(run: () => void): void {
  try {
    run();
  } catch {
    // Reported by the application's own error handling, if any; the media keeps going.
  }
}
