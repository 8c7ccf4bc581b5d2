import { describe, expect, it } from "vitest";
import { RtpSourceStatistics } from "./receiver-statistics.js";

/** Feeds packets `from`..`from + count - 1` (16-bit wrapping) every 20 ms, 160 timestamp units apart. */
function feed(
  stats: RtpSourceStatistics,
  options: { from: number; count: number; drop?: (i: number) => boolean; arrival?: (i: number) => number; start?: number },
): void {
  const start = options.start ?? 0;
  for (let i = start; i < start + options.count; i++) {
    if (options.drop?.(i)) continue;
    const arrival = options.arrival?.(i) ?? i * 20;
    stats.received((options.from + i) & 0xffff, (1000 + i * 160) >>> 0, arrival);
  }
}

describe("receiver statistics (RFC 3550 A.1, A.3, A.8)", () => {
  it("counts a known loss across a sequence wrap: cumulative, extended highest sequence, fraction per interval", () => {
    const stats = new RtpSourceStatistics(0xabc, 65000);
    // 1,000 packets from 65000 (the sequence wraps after 536), every tenth lost, the first and last received.
    feed(stats, { from: 65000, count: 1000, drop: (i) => i % 10 === 5 });
    expect(stats.packetsReceived).toBe(900);
    expect(stats.expected).toBe(1000);
    expect(stats.cumulativeLost).toBe(100);
    const first = stats.reportBlock();
    expect(first).toMatchObject({
      ssrc: 0xabc,
      cumulativeLost: 100,
      highestSequence: 65536 + ((65000 + 999) & 0xffff),
      // 100 of 1000 in the interval, in 1/256: floor(25.6).
      fractionLost: 25,
    });
    // The next interval: 200 packets, 50 lost (a burst), the cumulative count keeps the first 100.
    feed(stats, { from: 65000, start: 1000, count: 200, drop: (i) => i >= 1100 && i < 1150 });
    const second = stats.reportBlock();
    expect(second.cumulativeLost).toBe(150);
    expect(second.fractionLost).toBe(Math.floor((50 * 256) / 200));
    // Nothing lost since: the fraction goes back to 0, the cumulative count stays.
    feed(stats, { from: 65000, start: 1200, count: 50 });
    expect(stats.reportBlock()).toMatchObject({ fractionLost: 0, cumulativeLost: 150 });
  });

  it("measures a known jitter: arrivals alternately on time and 4 ms late converge on 4 ms (32 timestamp units)", () => {
    const stats = new RtpSourceStatistics(1, 100);
    const n = 500;
    feed(stats, { from: 100, count: n, arrival: (i) => i * 20 + (i % 2 === 1 ? 4 : 0) });
    // Every |D| is 32 units from the third packet on (the first is probation's, the second starts the estimate):
    // J_k = 32 (1 − (15/16)^k) after k differences.
    const differences = n - 2;
    expect(stats.jitter).toBeCloseTo(32 * (1 - (15 / 16) ** differences), 9);
    expect(stats.jitterMs).toBeCloseTo(4, 6);
    expect(stats.reportBlock().jitter).toBe(31);
  });

  it("matches the reference A.8 recurrence on irregular arrivals", () => {
    const stats = new RtpSourceStatistics(1, 0);
    const arrivals = [0, 20, 45, 58, 81, 100, 119, 150, 160, 181, 199, 230, 240];
    arrivals.forEach((arrival, i) => {
      stats.received(i, i * 160, arrival);
    });
    let jitter = 0;
    let transit: number | undefined;
    arrivals.forEach((arrival, i) => {
      if (i === 0) return; // the first packet is the probation's
      const t = arrival * 8 - i * 160;
      if (transit !== undefined) jitter += (Math.abs(t - transit) - jitter) / 16;
      transit = t;
    });
    expect(stats.jitter).toBeCloseTo(jitter, 9);
  });

  it("keeps RFC 4733 events out of the jitter but counts them as received", () => {
    const stats = new RtpSourceStatistics(1, 0);
    for (let i = 0; i < 50; i++) {
      // Events from 20 to 29 keep the event's start timestamp while time goes on.
      const event = i >= 20 && i < 30;
      stats.received(i, event ? 20 * 160 : i * 160, i * 20, !event);
    }
    expect(stats.jitter).toBe(0);
    expect(stats.packetsReceived).toBe(50);
  });

  it("does not count reordering as loss; duplicates make the cumulative count negative", () => {
    const stats = new RtpSourceStatistics(1, 10);
    for (const seq of [10, 11, 13, 12, 14, 15]) stats.received(seq, seq * 160, seq * 20);
    expect(stats.cumulativeLost).toBe(0);
    stats.received(15, 15 * 160, 400);
    stats.received(14, 14 * 160, 401);
    expect(stats.cumulativeLost).toBe(-2);
    expect(stats.reportBlock()).toMatchObject({ cumulativeLost: -2, fractionLost: 0 });
  });

  it("ignores one stray jump, and restarts when the sender really jumped (two packets in sequence)", () => {
    const stats = new RtpSourceStatistics(1, 0);
    feed(stats, { from: 0, count: 10 });
    expect(stats.received(30000, 0, 300)).toBe(false);
    expect(stats.received(10, 10 * 160, 310)).toBe(true);
    expect(stats.cumulativeLost).toBe(0);
    expect(stats.received(40000, 0, 320)).toBe(false);
    expect(stats.received(40001, 160, 340)).toBe(true);
    expect(stats).toMatchObject({ packetsReceived: 1, expected: 1, extendedHighestSequence: 40001 });
  });

  it("waits out a probation of two packets in sequence, then counts both", () => {
    const stats = new RtpSourceStatistics(1, 65535);
    expect(stats.received(65535, 0, 0)).toBe(false);
    expect(stats.valid).toBe(false);
    expect(stats.expected).toBe(0);
    expect(stats.received(0, 160, 20)).toBe(true);
    expect(stats).toMatchObject({ valid: true, packetsReceived: 2, expected: 2, cumulativeLost: 0 });
  });
});
