import { FRAME_SAMPLES } from "../rtp/audio/audio.js";

export interface PlayoutBufferOptions {
  /** Most audio held, in 20 ms frames (default 8: 160 ms); beyond it the oldest is dropped. */
  readonly maxFrames?: number;
  /** Ticks over which a standing excess is measured before it is dropped (default 50: one second). */
  readonly trimWindowTicks?: number;
}

export interface PlayoutBufferStats {
  /** Ticks with less than a frame waiting, once audio had started. */
  readonly underruns: number;
  /** Samples dropped because the buffer was full (a burst, or a peer whose clock runs fast). */
  readonly overflowed: number;
  /** Samples dropped to bring a standing delay back down. */
  readonly trimmed: number;
}

/**
 * Turns the peer's decoded audio, which arrives whenever the network delivers it and in packets of any length,
 * into exactly one 20 ms frame per tick of our clock: what a bridge forwards, a conference mixes and a recorder
 * keeps. Less than a frame waiting is an underrun (the tick hears nothing, and the wait builds the depth that
 * absorbs the next late packet); a delay that stood above two frames for a whole window (after a burst) is
 * trimmed back, so that latency does not grow for the rest of the call.
 */
export class PlayoutBuffer {
  private readonly ring: Int16Array;
  private readonly frame = new Int16Array(FRAME_SAMPLES);
  private readonly trimWindow: number;
  private start = 0;
  private size = 0;
  private started = false;
  private windowMin = Number.POSITIVE_INFINITY;
  private windowTicks = 0;
  private counts = { underruns: 0, overflowed: 0, trimmed: 0 };

  constructor(options: PlayoutBufferOptions = {}) {
    this.ring = new Int16Array(FRAME_SAMPLES * Math.max(2, options.maxFrames ?? 8));
    this.trimWindow = options.trimWindowTicks ?? 50;
  }

  get stats(): PlayoutBufferStats {
    return { ...this.counts };
  }

  /** Samples waiting. */
  get buffered(): number {
    return this.size;
  }

  push(samples: Int16Array): void {
    const capacity = this.ring.length;
    let from = 0;
    let count = samples.length;
    if (count > capacity) {
      from = count - capacity;
      count = capacity;
      this.counts.overflowed += from;
    }
    const excess = this.size + count - capacity;
    if (excess > 0) {
      this.drop(excess);
      this.counts.overflowed += excess;
    }
    // At most two block copies: up to the ring's end, then from its start.
    const write = (this.start + this.size) % capacity;
    const first = Math.min(count, capacity - write);
    this.ring.set(samples.subarray(from, from + first), write);
    if (first < count) this.ring.set(samples.subarray(from + first, from + count), 0);
    this.size += count;
    this.started = true;
  }

  /** The next 20 ms, or undefined when less is waiting. The frame is reused: read it before the next call. */
  take(): Int16Array | undefined {
    this.windowMin = Math.min(this.windowMin, this.size);
    if (++this.windowTicks >= this.trimWindow) {
      const standing = this.windowMin - 2 * FRAME_SAMPLES;
      if (standing >= FRAME_SAMPLES) {
        this.drop(standing);
        this.counts.trimmed += standing;
      }
      this.windowMin = Number.POSITIVE_INFINITY;
      this.windowTicks = 0;
    }
    if (this.size < FRAME_SAMPLES) {
      if (this.started) this.counts.underruns++;
      return undefined;
    }
    const capacity = this.ring.length;
    const read = this.start;
    const first = Math.min(FRAME_SAMPLES, capacity - read);
    this.frame.set(this.ring.subarray(read, read + first), 0);
    if (first < FRAME_SAMPLES) this.frame.set(this.ring.subarray(0, FRAME_SAMPLES - first), first);
    this.start = (read + FRAME_SAMPLES) % capacity;
    this.size -= FRAME_SAMPLES;
    return this.frame;
  }

  clear(): void {
    this.start = 0;
    this.size = 0;
    this.started = false;
  }

  private drop(count: number): void {
    const n = Math.min(count, this.size);
    this.start = (this.start + n) % this.ring.length;
    this.size -= n;
  }
}
