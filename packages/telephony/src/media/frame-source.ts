import { FRAME_SAMPLES } from "../rtp/audio/audio.js";

/**
 * Where a media session takes the 20 ms it sends on each tick of the media clock. It is the one mechanism by
 * which anything reaches a party's ear: the play queue, hold music, the other side of a bridge, a conference
 * mix. Sources are pulled by the clock, never pushed, so that the RTP cadence stays the clock's alone.
 */
export interface FrameSource {
  /**
   * Writes the next 20 ms (160 samples) into `out` and returns true, or returns false when it has nothing (the
   * session sends silence; `out` may have been written to). `tick` is the shared media clock's tick, the same
   * for every session on that clock, so that a source reading another session's audio takes one frame per tick.
   */
  read(out: Int16Array, tick: number): boolean;
}

export type PlayResult = "done" | "stopped";

/** One piece of audio in a `PlayQueue`. */
export interface PlayHandle {
  /** Settles once the last sample went out (`done`) or the audio was dropped (`stopped`). */
  readonly done: Promise<PlayResult>;
  /** Drops this audio (or what is left of it); nothing once it finished. */
  cancel(): void;
}

interface QueuedAudio {
  readonly samples: Int16Array;
  offset: number;
  settled: boolean;
  resolve: (result: PlayResult) => void;
}

/**
 * Audio played in order, frame by frame as the clock pulls it. A piece that ends inside a frame is followed by
 * the next piece in the same frame, so prompts play back to back without a gap; the frame after the last piece
 * is padded with silence.
 */
export class PlayQueue implements FrameSource {
  private readonly items: QueuedAudio[] = [];

  /** Whether anything waits to be played. */
  get playing(): boolean {
    return this.items.length > 0;
  }

  enqueue(samples: Int16Array): PlayHandle {
    let resolve: (result: PlayResult) => void = () => undefined;
    const done = new Promise<PlayResult>((r) => {
      resolve = r;
    });
    const item: QueuedAudio = { samples, offset: 0, settled: false, resolve };
    if (samples.length === 0) settle(item, "done");
    else this.items.push(item);
    return {
      done,
      cancel: () => {
        const index = this.items.indexOf(item);
        if (index !== -1) this.items.splice(index, 1);
        settle(item, "stopped");
      },
    };
  }

  /** Drops everything queued. */
  clear(): void {
    for (const item of this.items.splice(0)) settle(item, "stopped");
  }

  read(out: Int16Array): boolean {
    let filled = 0;
    while (filled < FRAME_SAMPLES) {
      const item = this.items[0];
      if (!item) break;
      const take = Math.min(FRAME_SAMPLES - filled, item.samples.length - item.offset);
      copySamples(item.samples, item.offset, out, filled, take);
      filled += take;
      item.offset += take;
      if (item.offset >= item.samples.length) {
        this.items.shift();
        settle(item, "done");
      }
    }
    if (filled === 0) return false;
    if (filled < FRAME_SAMPLES) out.fill(0, filled);
    return true;
  }
}

function settle(item: QueuedAudio, result: PlayResult): void {
  if (item.settled) return;
  item.settled = true;
  item.resolve(result);
}

/** The same audio over and over (hold music), continuing where it left off. */
export class LoopSource implements FrameSource {
  private offset = 0;

  constructor(private readonly samples: Int16Array) {}

  read(out: Int16Array): boolean {
    const length = this.samples.length;
    if (length === 0) return false;
    let filled = 0;
    while (filled < FRAME_SAMPLES) {
      const take = Math.min(FRAME_SAMPLES - filled, length - this.offset);
      copySamples(this.samples, this.offset, out, filled, take);
      filled += take;
      this.offset = (this.offset + take) % length;
    }
    return true;
  }
}

/** A plain loop rather than `set(subarray(…))`: no view object per frame on the media path. */
export function copySamples(from: Int16Array, fromOffset: number, to: Int16Array, toOffset: number, count: number): void {
  for (let i = 0; i < count; i++) to[toOffset + i] = from[fromOffset + i] as number;
}
