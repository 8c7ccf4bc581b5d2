import {
  type AudioChannel,
  type DtmfDigit,
  type DtmfEvent,
  type DtmfSendOptions,
  type DtmfSource,
  FRAME_SAMPLES,
  type FrameSource,
  type LegCall,
  type LegEnd,
  type ManualScheduler,
  MediaClock,
  PlayQueue,
} from "../src/index.js";

/** A media clock driven by a `ManualScheduler`: `scheduler.advance(ms)` runs the ticks and the protocol timers in one timeline. */
export function manualMediaClock(scheduler: ManualScheduler): MediaClock {
  return new MediaClock({
    now: () => scheduler.now(),
    setTimer: (task, delayMs) => {
      const handle = scheduler.schedule(delayMs, task);
      return () => handle.cancel();
    },
  });
}

/**
 * An `AudioChannel` without sockets: what the party says is queued frame by frame and received one frame per
 * tick; what the channel sends each tick (player first, then the source) is kept as what the party heard.
 */
export class FakeAudioChannel implements AudioChannel {
  readonly player = new PlayQueue();
  readonly dtmfSent: string[] = [];
  private source: FrameSource | undefined;
  private readonly incoming: (Int16Array | undefined)[] = [];
  private readonly sent: Int16Array[] = [];
  private readonly out = new Int16Array(FRAME_SAMPLES);
  private receiveTick: number | undefined;
  private received: Int16Array | undefined;
  private readonly frameListeners = new Set<(frame: Int16Array | undefined, tick: number) => void>();
  private readonly unsubscribe: () => void;

  constructor(clock: MediaClock) {
    this.unsubscribe = clock.subscribe((tick) => this.tick(tick));
  }

  /** The party speaks: `samples` arrive one frame per tick from the next tick on (after what it said before). */
  say(samples: Int16Array): void {
    for (let offset = 0; offset < samples.length; offset += FRAME_SAMPLES) {
      const frame = new Int16Array(FRAME_SAMPLES);
      frame.set(samples.subarray(offset, Math.min(samples.length, offset + FRAME_SAMPLES)));
      this.incoming.push(frame);
    }
  }

  /** The party sends nothing for `frames` ticks (after what it said before). */
  pause(frames: number): void {
    for (let i = 0; i < frames; i++) this.incoming.push(undefined);
  }

  /** Everything sent to the party so far, or from tick index `from` (0 = the first tick). */
  heard(from = 0): Int16Array {
    const frames = this.sent.slice(from);
    const out = new Int16Array(frames.length * FRAME_SAMPLES);
    frames.forEach((frame, index) => {
      out.set(frame, index * FRAME_SAMPLES);
    });
    return out;
  }

  /** Ticks sent so far: a mark for `heard(from)`. */
  get ticks(): number {
    return this.sent.length;
  }

  setSource(source: FrameSource | undefined): void {
    this.source = source;
  }

  receivedFrame(tick: number): Int16Array | undefined {
    if (tick !== this.receiveTick) {
      this.receiveTick = tick;
      this.received = this.incoming.shift();
    }
    return this.received;
  }

  onFrame(listener: (frame: Int16Array | undefined, tick: number) => void): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  async sendDtmf(digits: string, _options?: DtmfSendOptions): Promise<void> {
    this.dtmfSent.push(digits);
  }

  close(): void {
    this.unsubscribe();
    this.player.clear();
  }

  private tick(tick: number): void {
    const frame = this.receivedFrame(tick);
    for (const listener of this.frameListeners) listener(frame, tick);
    const out = this.out;
    if (!this.player.read(out) && !(this.source?.read(out, tick) ?? false)) out.fill(0);
    this.sent.push(out.slice());
  }
}

/** A `LegCall` without SIP: the test presses keys, ends the leg, and reads what its channel sent. */
export class FakeLegCall implements LegCall {
  readonly media: FakeAudioChannel;
  private endedBy: LegEnd | undefined;
  private readonly dtmfListeners = new Set<(event: DtmfEvent) => void>();
  private readonly endListeners = new Set<(end: LegEnd) => void>();
  hangups = 0;

  constructor(clock: MediaClock) {
    this.media = new FakeAudioChannel(clock);
  }

  /** The party presses keys. */
  press(digits: string, source: DtmfSource = "rfc4733"): void {
    for (const digit of digits) {
      for (const listener of [...this.dtmfListeners]) listener({ digit: digit as DtmfDigit, source });
    }
  }

  /** The leg ends: the party hangs up by default. */
  end(end: LegEnd = { by: "remote", cause: "bye" }): void {
    if (this.endedBy) return;
    this.endedBy = end;
    this.media.close();
    for (const listener of [...this.endListeners]) listener(end);
    this.endListeners.clear();
    this.dtmfListeners.clear();
  }

  onDtmf(listener: (event: DtmfEvent) => void): () => void {
    this.dtmfListeners.add(listener);
    return () => this.dtmfListeners.delete(listener);
  }

  onEnded(listener: (end: LegEnd) => void): () => void {
    if (this.endedBy) {
      listener(this.endedBy);
      return () => undefined;
    }
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  async hangup(): Promise<void> {
    this.hangups++;
    this.end({ by: "local", cause: "bye" });
  }
}
