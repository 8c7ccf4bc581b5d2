import type { Dialer, DialOptions, DialOutcome, DialTarget } from "../src/calls/dialer.js";
import type {
  Audio,
  Bridge,
  BridgeEnd,
  CallLegMedia,
  CollectOptions,
  CollectOutcome,
  Conference,
  HangupCause,
  Key,
  MediaEvent,
  MediaMixer,
  MixRecording,
  PlayOptions,
  PlayOutcome,
  Prompt,
  Recording,
  RecordOptions,
  RecordOutcome,
  TransferRequest,
} from "../src/calls/media.js";
import type { FlowTimers } from "../src/flows/ports.js";
import type { ManualClock } from "../src/kernel/clock.js";

type Pending =
  | { readonly kind: "collect"; readonly options: CollectOptions; readonly resolve: (o: CollectOutcome) => void }
  | { readonly kind: "record"; readonly options: RecordOptions; readonly resolve: (o: RecordOutcome) => void }
  | { readonly kind: "play"; readonly resolve: (o: PlayOutcome) => void };

/**
 * A call leg without sockets, for flow tests: the test is the caller. It sees what was played
 * (`played`), presses keys (`press`), lets time run out on an input (`timeOut`), speaks into a
 * recording (`speak`) and hangs up (`hangUp`). Plays finish at once unless `holdPlayback` is set, so a
 * test can interrupt one with a key. Follows the contract: one operation at a time, keys buffered.
 */
export class MemoryCallLeg implements CallLegMedia {
  readonly played: Prompt[][] = [];
  readonly sentDtmf: string[] = [];
  readonly events: MediaEvent[] = [];
  /** While true, `play` waits for a key, `stop()` or `finishPlayback()`. */
  holdPlayback = false;
  onHold = false;
  readonly ended: Promise<HangupCause>;
  private keys: Key[] = [];
  private pending: Pending | undefined;
  private endCause: HangupCause | undefined;
  private resolveEnded: (cause: HangupCause) => void = () => undefined;
  private readonly listeners = new Set<(event: MediaEvent) => void>();
  private recordings = 0;

  constructor(
    readonly id: string,
    private readonly tenantId = "tenant-1",
  ) {
    this.ended = new Promise((resolve) => {
      this.resolveEnded = resolve;
    });
  }

  get hungUp(): HangupCause | undefined {
    return this.endCause;
  }

  /** What the flow is waiting for, if anything. */
  get waitingFor(): Pending["kind"] | undefined {
    return this.pending?.kind;
  }

  /** Everything spoken so far, as text (speech and digits prompts), for readable assertions. */
  get transcript(): string[] {
    return this.played.flat().flatMap((p) => {
      if (p.kind === "speech") return [p.text];
      if (p.kind === "digits") return [`<digits ${p.digits}>`];
      if (p.kind === "recording") return [`<recording ${p.recordingId}>`];
      return [];
    });
  }

  play(prompts: readonly Prompt[], options: PlayOptions = {}): Promise<PlayOutcome> {
    this.settle({ ended: "stopped" });
    this.played.push([...prompts]);
    if (this.endCause) return this.report({ ended: "hung-up" }, "play");
    const interrupting = this.keys.find((k) => (options.interruptKeys ?? "").includes(k));
    if (interrupting) return this.report({ ended: "interrupted", key: interrupting }, "play");
    if (!this.holdPlayback) return this.report({ ended: "finished" }, "play");
    return new Promise((resolve) => {
      this.pending = {
        kind: "play",
        resolve: (o) => {
          resolve(o);
          this.emit({ type: "play.ended", legId: this.id, outcome: o });
        },
      };
      this.interruptKeys = options.interruptKeys ?? "";
    });
  }

  private interruptKeys = "";

  collect(options: CollectOptions): Promise<CollectOutcome> {
    this.settle({ ended: "stopped" });
    return new Promise((resolve) => {
      this.pending = {
        kind: "collect",
        options,
        resolve: (o) => {
          resolve(o);
          this.emit({ type: "collect.ended", legId: this.id, outcome: o });
        },
      };
      this.drainKeys();
    });
  }

  record(options: RecordOptions = {}): Promise<RecordOutcome> {
    this.settle({ ended: "stopped" });
    if (this.endCause) return Promise.resolve({ durationMs: 0, ended: "hung-up" });
    return new Promise((resolve) => {
      this.pending = {
        kind: "record",
        options,
        resolve: (o) => {
          resolve(o);
          this.emit({ type: "record.ended", legId: this.id, outcome: o });
        },
      };
    });
  }

  stop(): void {
    this.settle({ ended: "stopped" });
  }

  flushKeys(): void {
    this.keys = [];
  }

  async sendDtmf(digits: string): Promise<void> {
    this.sentDtmf.push(digits);
    this.emit({ type: "dtmf.sent", legId: this.id, digits });
  }

  async hold(): Promise<void> {
    this.onHold = true;
    this.emit({ type: "hold.started", legId: this.id });
  }

  async resume(): Promise<void> {
    this.onHold = false;
    this.emit({ type: "hold.ended", legId: this.id });
  }

  async hangup(reason = "the flow ended the call"): Promise<void> {
    this.end({ by: "platform", reason });
  }

  onEvent(listener: (event: MediaEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onTransferRequest(listener: (request: TransferRequest) => void): () => void {
    this.transferListeners.add(listener);
    return () => this.transferListeners.delete(listener);
  }

  private readonly transferListeners = new Set<(request: TransferRequest) => void>();

  // The caller's side.

  /**
   * The party presses its transfer key (`replaces`: after consulting the target on another call, whose leg
   * of ours this is); resolves with how it went (`refused` when no one listened).
   */
  requestTransfer(target: DialTarget, replaces?: string): Promise<"succeeded" | "failed" | "refused"> {
    const listeners = [...this.transferListeners];
    if (listeners.length === 0) return Promise.resolve("refused");
    this.emit({ type: "transfer.requested", legId: this.id, target });
    return new Promise((resolve) => {
      let settled = false;
      const request: TransferRequest = {
        target,
        ...(replaces ? { replaces } : {}),
        settle: async (outcome) => {
          if (settled) return;
          settled = true;
          resolve(outcome);
        },
      };
      for (const listener of listeners) listener(request);
    });
  }

  press(keys: string): void {
    for (const key of keys) {
      this.keys.push(key as Key);
      this.emit({ type: "key.pressed", legId: this.id, key: key as Key });
    }
    this.drainKeys();
  }

  /** The party's phone puts the call on hold (its hold key) or takes it back. */
  holdKey(held: boolean): void {
    this.emit({ type: "party.held", legId: this.id, held });
  }

  /** The running collect (or a held playback) runs out of time. */
  timeOut(): void {
    const pending = this.pending;
    if (pending?.kind === "collect") {
      this.pending = undefined;
      pending.resolve({ digits: "", ended: "no-input" });
    } else if (pending?.kind === "play") {
      this.finishPlayback();
    }
  }

  finishPlayback(): void {
    const pending = this.pending;
    if (pending?.kind !== "play") return;
    this.pending = undefined;
    pending.resolve({ ended: "finished" });
  }

  /** The caller says something into a running recording, which ends with silence. */
  speak(durationMs: number): Recording {
    const pending = this.pending;
    if (pending?.kind !== "record") throw new Error("nothing is recording");
    this.pending = undefined;
    const recording: Recording = {
      id: `recording-${++this.recordings}`,
      tenantId: this.tenantId,
      kind: "message",
      durationMs,
      createdAt: new Date(0),
    };
    pending.resolve({ recording, durationMs, ended: "silence" });
    return recording;
  }

  /**
   * The caller says something into a running recording made for recognition (`save: false`): the
   * outcome carries the audio (`durationMs` of a 440 Hz stand-in unless `audio` is given).
   */
  say(durationMs = 800, audio?: Int16Array): Int16Array {
    const pending = this.pending;
    if (pending?.kind !== "record") throw new Error("nothing is recording");
    this.pending = undefined;
    const samples = audio ?? Int16Array.from({ length: (durationMs * 8) | 0 }, (_, i) => Math.round(8000 * Math.sin(i / 2.9)));
    pending.resolve({ audio: samples, durationMs, ended: "silence" });
    return samples;
  }

  /** A key pressed during a running recording stops it when it is one of its stop keys (else it is buffered). */
  pressDuringRecording(key: Key): void {
    const pending = this.pending;
    if (pending?.kind === "record" && (pending.options.stopKeys ?? "#*").includes(key)) {
      this.pending = undefined;
      this.emit({ type: "key.pressed", legId: this.id, key });
      pending.resolve({ durationMs: 0, ended: "key", key });
      return;
    }
    this.press(key);
  }

  /** The running recording hears nothing until its time is up. */
  silence(): void {
    const pending = this.pending;
    if (pending?.kind !== "record") throw new Error("nothing is recording");
    this.pending = undefined;
    pending.resolve({ durationMs: pending.options.maxDurationMs ?? 60_000, ended: "max-duration" });
  }

  hangUp(): void {
    this.end({ by: "party", reason: "the caller hung up" });
  }

  private end(cause: HangupCause): void {
    if (this.endCause) return;
    this.endCause = cause;
    const pending = this.pending;
    this.pending = undefined;
    if (pending?.kind === "collect") pending.resolve({ digits: "", ended: "hung-up" });
    if (pending?.kind === "record") pending.resolve({ durationMs: 0, ended: "hung-up" });
    if (pending?.kind === "play") pending.resolve({ ended: "hung-up" });
    this.emit({ type: "leg.ended", legId: this.id, cause });
    this.resolveEnded(cause);
  }

  private drainKeys(): void {
    const pending = this.pending;
    if (pending?.kind === "play") {
      const key = this.keys.find((k) => this.interruptKeys.includes(k));
      if (key) {
        // The key stays buffered for the next collect.
        this.pending = undefined;
        pending.resolve({ ended: "interrupted", key });
      }
      return;
    }
    if (pending?.kind !== "collect" || this.endCause) return;
    const terminators = pending.options.terminators ?? "#";
    let digits = "";
    while (this.keys.length > 0) {
      const key = this.keys.shift() as Key;
      if (terminators.includes(key)) {
        this.pending = undefined;
        pending.resolve({ digits, ended: "terminator", terminator: key });
        return;
      }
      digits += key;
      if (digits.length >= pending.options.maxDigits) {
        this.pending = undefined;
        pending.resolve({ digits, ended: "max-digits" });
        return;
      }
    }
    // Not enough keys yet: put back what was read and keep waiting.
    this.keys.unshift(...(digits.split("") as Key[]));
  }

  private settle(outcome: { ended: "stopped" }): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    if (pending.kind === "play") pending.resolve(outcome);
    if (pending.kind === "collect") pending.resolve({ digits: "", ended: "stopped" });
    if (pending.kind === "record") pending.resolve({ durationMs: 0, ended: "stopped" });
  }

  /** A play that settles at once; an interrupting key stays buffered for the next collect. */
  private report<T extends PlayOutcome>(outcome: T, _kind: "play"): Promise<T> {
    this.emit({ type: "play.ended", legId: this.id, outcome });
    return Promise.resolve(outcome);
  }

  private emit(event: MediaEvent): void {
    this.events.push(event);
    for (const listener of this.listeners) listener(event);
  }
}

/** Bridges and conferences as records of who is connected to whom. */
export class MemoryMixer implements MediaMixer {
  readonly bridges: { legIds: readonly [string, string]; end: (reason: BridgeEnd) => void; ended: boolean }[] = [];

  bridge(a: CallLegMedia, b: CallLegMedia): Bridge {
    let end: (reason: BridgeEnd) => void = () => undefined;
    const ended = new Promise<BridgeEnd>((resolve) => {
      end = resolve;
    });
    const entry = { legIds: [a.id, b.id] as const, end: (r: BridgeEnd) => end(r), ended: false };
    this.bridges.push(entry);
    const finish = (reason: BridgeEnd) => {
      if (entry.ended) return;
      entry.ended = true;
      end(reason);
    };
    void a.ended.then(() => finish("hung-up"));
    void b.ended.then(() => finish("hung-up"));
    return { legIds: entry.legIds, ended, unbridge: () => finish("unbridged") };
  }

  readonly conferences: MemoryConference[] = [];

  conference(): Conference {
    const conference = new MemoryConference(`conference-${this.conferences.length + 1}`);
    this.conferences.push(conference);
    return conference;
  }

  /** The conferences not closed, with their members. */
  get rooms(): (readonly string[])[] {
    return this.conferences.filter((c) => !c.closed).map((c) => [...c.legIds]);
  }
}

/** A conference as a record of its members, who is muted, and its captures (each a `MemoryMixRecording`). */
export class MemoryConference implements Conference {
  readonly legIds: string[] = [];
  readonly muted = new Set<string>();
  readonly recordings: MemoryMixRecording[] = [];
  closed = false;

  constructor(readonly id: string) {}

  /** Every leg that joined, in order, even after it left. */
  readonly joined: string[] = [];

  add(leg: CallLegMedia): void {
    if (this.closed) throw new Error(`conference ${this.id} is closed`);
    if (!this.legIds.includes(leg.id)) this.legIds.push(leg.id);
    if (!this.joined.includes(leg.id)) this.joined.push(leg.id);
  }

  remove(legId: string): void {
    const index = this.legIds.indexOf(legId);
    if (index >= 0) this.legIds.splice(index, 1);
    this.muted.delete(legId);
  }

  close(): void {
    this.closed = true;
    this.legIds.splice(0);
  }

  mute(legId: string, muted: boolean): void {
    if (!this.legIds.includes(legId)) throw new Error(`${legId} is not in conference ${this.id}`);
    if (muted) this.muted.add(legId);
    else this.muted.delete(legId);
  }

  isMuted(legId: string): boolean {
    return this.muted.has(legId);
  }

  record(): MixRecording {
    const recording = new MemoryMixRecording();
    this.recordings.push(recording);
    return recording;
  }
}

/** A capture whose audio is one 20 ms frame of a constant level per call of `tick`, while neither paused nor stopped. */
export class MemoryMixRecording implements MixRecording {
  paused = false;
  stopped = false;
  private frames = 0;

  /** The test moves time on: one frame is captured unless paused. */
  tick(frames = 1): void {
    if (!this.paused && !this.stopped) this.frames += frames;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  stop(): Audio {
    if (this.stopped) return new Int16Array(0);
    this.stopped = true;
    return new Int16Array(this.frames * 160).fill(1000);
  }
}

/** A phone that rings until the test answers or refuses it (or the dialler abandons the call). */
export interface RingingPhone {
  readonly target: DialTarget;
  readonly options: DialOptions;
  /** Settled: answered, failed, or cancelled by `abandon`. */
  readonly settled: boolean;
  answer(leg: CallLegMedia): void;
  fail(failure: DialOutcome & { ok: false }): void;
}

/**
 * A dialer whose answers the test decides: a leg that picks up, or a failure, given in advance
 * (`answerWith`); or, with `ringUntilTold`, phones that ring until the test answers them (`ringing`).
 */
export class ScriptedDialer implements Dialer {
  readonly dialled: { target: DialTarget; options: DialOptions }[] = [];
  readonly ringing: RingingPhone[] = [];
  private readonly answers: DialOutcome[] = [];
  private waitForTest = false;

  answerWith(outcome: DialOutcome): void {
    this.answers.push(outcome);
  }

  /** From now on every dial rings until the test settles it through `ringing`. */
  ringUntilTold(): void {
    this.waitForTest = true;
  }

  async dial(target: DialTarget, options: DialOptions): Promise<DialOutcome> {
    this.dialled.push({ target, options });
    const scripted = this.answers.shift();
    if (scripted || !this.waitForTest) return scripted ?? { ok: false, failure: "not-registered" };
    return new Promise<DialOutcome>((resolve) => {
      const phone = {
        target,
        options,
        settled: false,
        answer: (leg: CallLegMedia) => finish({ ok: true, leg }),
        fail: (failure: DialOutcome & { ok: false }) => finish(failure),
      };
      const finish = (outcome: DialOutcome) => {
        if (phone.settled) return;
        phone.settled = true;
        resolve(outcome);
      };
      void options.abandon?.then(() => finish({ ok: false, failure: "cancelled" }));
      this.ringing.push(phone);
    });
  }
}

/**
 * Timers on a manual clock: `sleep` settles when `advance` moves the clock past its deadline. For flow
 * tests of announcements and timeouts without waiting.
 */
export class ManualTimers implements FlowTimers {
  private readonly sleepers: { at: number; wake: () => void; cancelled: boolean }[] = [];

  constructor(readonly clock: ManualClock) {}

  sleep(ms: number): { readonly done: Promise<void>; cancel(): void } {
    let wake: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      wake = resolve;
    });
    const sleeper = { at: this.clock.now().getTime() + ms, wake, cancelled: false };
    this.sleepers.push(sleeper);
    return {
      done,
      cancel: () => {
        sleeper.cancelled = true;
      },
    };
  }

  /** Sleeps not yet due or cancelled. */
  get pending(): number {
    return this.sleepers.filter((s) => !s.cancelled).length;
  }

  /** Moves the clock and wakes every sleep now due, in deadline order. */
  advance(ms: number): void {
    this.clock.advance(ms);
    const now = this.clock.now().getTime();
    const due = this.sleepers.filter((s) => s.at <= now).sort((a, b) => a.at - b.at);
    for (const sleeper of due) {
      this.sleepers.splice(this.sleepers.indexOf(sleeper), 1);
      if (!sleeper.cancelled) sleeper.wake();
    }
  }
}
