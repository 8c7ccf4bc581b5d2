import { sequenceDelta } from "../packet/rtp-packet.js";

export interface Sequenced {
  readonly sequenceNumber: number;
  readonly ssrc: number;
}

export interface JitterBufferOptions {
  /** Packets held behind a gap before the gap is given up as loss (default 5, 100 ms of 20 ms packets). */
  readonly maxHeld?: number;
  /** Longest a packet waits behind a gap, in ms (default 60); enforced by `poll`. */
  readonly maxDelayMs?: number;
}

export interface JitterBufferStats {
  readonly received: number;
  readonly released: number;
  /** Sequence numbers never received, skipped once the bound was reached. */
  readonly lost: number;
  /** Arrived after their place was released or skipped; dropped. */
  readonly late: number;
  readonly duplicates: number;
  /** Arrived out of order and put back in place. */
  readonly reordered: number;
}

/** What most calls return: shared, so the common case allocates nothing. */
const NOTHING: readonly never[] = Object.freeze([]);

/**
 * Puts RTP packets back in sequence order with a bounded delay: a packet in sequence goes out at once; one
 * after a gap waits until the gap fills, or until `maxHeld` packets or `maxDelayMs` pile up behind it, when
 * the missing ones count as lost. Handles 16-bit wrap, duplicates, late packets and SSRC changes.
 */
export class JitterBuffer<T extends Sequenced> {
  /** Waiting packets by sequence number; `undefined` marks a number taken by another payload (`skip`). */
  private readonly held = new Map<number, { packet: T | undefined; at: number }>();
  private expected: number | undefined;
  private ssrc: number | undefined;
  private readonly maxHeld: number;
  private readonly maxDelayMs: number;
  private counts = { received: 0, released: 0, lost: 0, late: 0, duplicates: 0, reordered: 0 };

  constructor(options: JitterBufferOptions = {}) {
    this.maxHeld = options.maxHeld ?? 5;
    this.maxDelayMs = options.maxDelayMs ?? 60;
  }

  get stats(): JitterBufferStats {
    return { ...this.counts };
  }

  /** How many packets wait behind a gap. */
  get size(): number {
    return this.held.size;
  }

  /** Takes a packet; returns those that can now go out, in order. */
  push(packet: T, now: number): readonly T[] {
    this.counts.received++;
    if (this.next(packet)) {
      this.counts.released++;
      return [packet];
    }
    return this.insert(packet.sequenceNumber, packet.ssrc, packet, now);
  }

  /** The common case, taken without touching the map: the expected packet with nothing held. */
  private next(packet: Sequenced): boolean {
    if (this.held.size !== 0 || packet.ssrc !== this.ssrc || packet.sequenceNumber !== this.expected) return false;
    this.expected = (packet.sequenceNumber + 1) & 0xffff;
    return true;
  }

  /**
   * Marks a sequence number as used by a packet that does not go through this buffer (an RFC 4733 event in the
   * same stream), so that the audio after it is not held back as if a packet were missing.
   */
  skip(packet: Sequenced, now: number): readonly T[] {
    // Events from another source (sipp replays captures with their own SSRC) say nothing about this stream.
    if (this.ssrc !== undefined && packet.ssrc !== this.ssrc) return NOTHING;
    if (this.next(packet)) return NOTHING;
    return this.insert(packet.sequenceNumber, packet.ssrc, undefined, now);
  }

  private insert(sequenceNumber: number, ssrc: number, packet: T | undefined, now: number): T[] {
    const out: T[] = [];
    if (this.ssrc !== ssrc || this.expected === undefined) {
      out.push(...this.drain());
      this.ssrc = ssrc;
      this.expected = sequenceNumber;
    }
    const delta = sequenceDelta(sequenceNumber, this.expected);
    if (delta < -100 || delta > 1000) {
      // The sender restarted or jumped: start over from this packet.
      out.push(...this.drain());
      this.expected = sequenceNumber;
    } else if (delta < 0) {
      if (packet !== undefined) this.counts.late++;
      return out;
    }
    if (this.held.has(sequenceNumber)) {
      if (packet !== undefined) this.counts.duplicates++;
      return out;
    }
    for (const sequence of packet === undefined ? [] : this.held.keys()) {
      if (sequenceDelta(sequence, sequenceNumber) > 0) {
        this.counts.reordered++;
        break;
      }
    }
    this.held.set(sequenceNumber, { packet, at: now });
    out.push(...this.release());
    if (this.held.size > this.maxHeld) out.push(...this.skipGap());
    return out;
  }

  /** Gives up gaps that kept a packet waiting longer than `maxDelayMs`; call it on every media tick. */
  poll(now: number): readonly T[] {
    if (this.held.size === 0) return NOTHING;
    const out: T[] = [];
    while (this.held.size > 0) {
      let oldest = Number.POSITIVE_INFINITY;
      for (const { at } of this.held.values()) oldest = Math.min(oldest, at);
      if (now - oldest < this.maxDelayMs) break;
      out.push(...this.skipGap());
    }
    return out;
  }

  private release(): T[] {
    const out: T[] = [];
    for (;;) {
      if (this.expected === undefined) return out;
      const next = this.held.get(this.expected);
      if (!next) return out;
      this.held.delete(this.expected);
      if (next.packet !== undefined) {
        out.push(next.packet);
        this.counts.released++;
      }
      this.expected = (this.expected + 1) & 0xffff;
    }
  }

  private skipGap(): T[] {
    if (this.expected === undefined || this.held.size === 0) return [];
    let nearest: number | undefined;
    for (const sequence of this.held.keys()) {
      const delta = sequenceDelta(sequence, this.expected);
      if (nearest === undefined || delta < nearest) nearest = delta;
    }
    if (nearest === undefined) return [];
    this.counts.lost += nearest;
    this.expected = (this.expected + nearest) & 0xffff;
    return this.release();
  }

  private drain(): T[] {
    const out: T[] = [];
    while (this.held.size > 0) out.push(...this.skipGap());
    return out;
  }
}
