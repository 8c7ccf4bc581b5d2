import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JitterBuffer } from "./jitter-buffer.js";

const packet = (sequenceNumber: number, ssrc = 1) => ({ sequenceNumber, ssrc });
const sequences = (packets: readonly { sequenceNumber: number }[]) => packets.map((p) => p.sequenceNumber);

describe("JitterBuffer", () => {
  it("releases in-order packets at once and puts reordered ones back in place", () => {
    const buffer = new JitterBuffer<{ sequenceNumber: number; ssrc: number }>();
    expect(sequences(buffer.push(packet(10), 0))).toEqual([10]);
    expect(sequences(buffer.push(packet(12), 20))).toEqual([]);
    expect(sequences(buffer.push(packet(13), 40))).toEqual([]);
    expect(sequences(buffer.push(packet(11), 41))).toEqual([11, 12, 13]);
    expect(buffer.stats).toMatchObject({ received: 4, released: 4, lost: 0, reordered: 1 });
  });

  it("drops duplicates and late packets", () => {
    const buffer = new JitterBuffer<{ sequenceNumber: number; ssrc: number }>();
    buffer.push(packet(1), 0);
    buffer.push(packet(2), 0);
    expect(buffer.push(packet(2), 0)).toEqual([]);
    buffer.push(packet(4), 0);
    expect(buffer.push(packet(4), 0)).toEqual([]);
    expect(buffer.push(packet(1), 0)).toEqual([]);
    // A copy of a packet already released is late; a copy of one still held is a duplicate.
    expect(buffer.stats).toMatchObject({ duplicates: 1, late: 2 });
  });

  it("bounds the delay: gives a gap up after maxHeld packets or maxDelayMs", () => {
    const buffer = new JitterBuffer<{ sequenceNumber: number; ssrc: number }>({ maxHeld: 3, maxDelayMs: 60 });
    buffer.push(packet(1), 0);
    expect(buffer.push(packet(3), 20)).toEqual([]);
    expect(buffer.push(packet(4), 40)).toEqual([]);
    expect(buffer.push(packet(5), 60)).toEqual([]);
    expect(sequences(buffer.push(packet(6), 80))).toEqual([3, 4, 5, 6]);
    expect(buffer.stats.lost).toBe(1);
    expect(buffer.push(packet(8), 100)).toEqual([]);
    expect(buffer.poll(159)).toEqual([]);
    expect(sequences(buffer.poll(160))).toEqual([8]);
    expect(buffer.stats.lost).toBe(2);
    expect(buffer.push(packet(7), 170)).toEqual([]);
  });

  it("does not hold audio back behind sequence numbers taken by telephone events", () => {
    const buffer = new JitterBuffer<{ sequenceNumber: number; ssrc: number }>();
    expect(sequences(buffer.push(packet(1), 0))).toEqual([1]);
    expect(buffer.skip(packet(2), 20)).toEqual([]);
    expect(buffer.skip(packet(3, 99), 20)).toEqual([]);
    expect(sequences(buffer.push(packet(4), 40))).toEqual([]);
    expect(sequences(buffer.skip(packet(3), 41))).toEqual([4]);
    expect(buffer.stats).toMatchObject({ received: 2, released: 2, lost: 0 });
  });

  it("follows 16-bit wrap, sender restarts and SSRC changes", () => {
    const buffer = new JitterBuffer<{ sequenceNumber: number; ssrc: number }>();
    expect(sequences([65534, 0, 65535, 1].flatMap((s) => buffer.push(packet(s), 0)))).toEqual([65534, 65535, 0, 1]);
    expect(sequences(buffer.push(packet(30000), 0))).toEqual([30000]);
    expect(sequences(buffer.push(packet(5, 2), 0))).toEqual([5]);
  });

  it("never reorders, duplicates or delays beyond its bound, whatever the arrival order", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 120 }), (arrivals) => {
        const buffer = new JitterBuffer<{ sequenceNumber: number; ssrc: number }>({ maxHeld: 4 });
        const out = arrivals.flatMap((s, i) => buffer.push(packet((65520 + s) & 0xffff), i));
        const released = sequences(out).map((s) => (s - 65520 + 65536) % 65536);
        for (let i = 1; i < released.length; i++) expect(released[i]).toBeGreaterThan(released[i - 1] as number);
        expect(buffer.size).toBeLessThanOrEqual(4);
      }),
      { numRuns: 500 },
    );
  });
});
