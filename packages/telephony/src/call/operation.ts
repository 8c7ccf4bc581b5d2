import type { Key, MediaEvent, PromptRenderer, RecordingStore } from "@switchboard/core";
import type { PlayQueue } from "../media/frame-source.js";
import type { DtmfSource } from "../rtp/dtmf/digits.js";
import type { Scheduler } from "../scheduler/scheduler.js";
import type { KeyBuffer } from "./key-buffer.js";

/** Why an operation was cut short: `stop()` or another operation took over the leg, or the leg ended. */
export type Halt = "stopped" | "hung-up";

/** An operation as its leg holds it while it runs, whatever its outcome's type. */
export interface RunningOperation {
  halt(reason: Halt): void;
  key(key: Key, source: DtmfSource): boolean;
}

/** What an audio operation uses of its leg. */
export interface OperationHost {
  readonly legId: string;
  readonly tenantId: string;
  readonly callId: string | undefined;
  readonly player: PlayQueue;
  readonly renderer: PromptRenderer;
  readonly recordings: RecordingStore;
  readonly scheduler: Scheduler;
  readonly keys: KeyBuffer;
  report(event: MediaEvent): void;
  /** The party's audio, one frame per media tick (`undefined`: nothing arrived), until the returned function is called. */
  listenFrames(listener: (frame: Int16Array | undefined) => void): () => void;
  /** The operation ended: the leg is free for the next one. */
  release(operation: RunningOperation): void;
}

/**
 * One audio operation on a leg (play, collect, record). It ends once, either on its own terms or halted; ending
 * frees the leg at once, and the outcome is reported and resolved when it is known (a recording is saved first).
 */
export abstract class Operation<T> implements RunningOperation {
  readonly outcome: Promise<T>;
  private resolveOutcome: (outcome: T) => void = () => undefined;
  private rejectOutcome: (error: unknown) => void = () => undefined;
  private finished = false;

  constructor(protected readonly host: OperationHost) {
    this.outcome = new Promise<T>((resolve, reject) => {
      this.resolveOutcome = resolve;
      this.rejectOutcome = reject;
    });
  }

  get over(): boolean {
    return this.finished;
  }

  abstract start(): void;

  /** Ends the operation now with `reason` as its outcome; nothing when it already ended. */
  abstract halt(reason: Halt): void;

  /** A key the party pressed while this runs; true when the operation took it (it is then not buffered). */
  key(_key: Key, _source: DtmfSource): boolean {
    return false;
  }

  /** Marks the end (once): undoes what the operation set up and frees the leg. False when it had already ended. */
  protected end(): boolean {
    if (this.finished) return false;
    this.finished = true;
    this.cleanup();
    this.host.release(this);
    return true;
  }

  /** Cancels timers, playback and listeners; called once, by `end`. */
  protected cleanup(): void {}

  protected settle(outcome: T, event: MediaEvent): void {
    this.host.report(event);
    this.resolveOutcome(outcome);
  }

  /** A failure with no outcome to give (a prompt that cannot be rendered, a recording that cannot be saved). */
  protected fail(error: unknown): void {
    this.end();
    this.rejectOutcome(error);
  }
}
