import { afterAll, describe, expect, it } from "vitest";
import { encodeG711 } from "../g711/g711.js";
import { RtpPortPool } from "../socket/port-pool.js";
import { RtpStream } from "../socket/rtp-stream.js";
import { MediaClock } from "./media-clock.js";

const streams: RtpStream[] = [];
afterAll(async () => {
  await Promise.all(streams.map((s) => s.close()));
});

/**
 * The RTP send cadence on this machine, measured with real timers: one clock driving 100 streams that each
 * send a 20 ms µ-law packet per tick. The figures are logged, not asserted: timing depends on the machine.
 */
describe("MediaClock on the real event loop", () => {
  it("measures the send-interval jitter of 100 streams for one second", async () => {
    const base = 50000 + 2 * Math.floor(Math.random() * 2000);
    const pool = new RtpPortPool({ host: "127.0.0.1", min: base, max: base + 403 });
    const sink = new RtpStream(await pool.allocate());
    streams.push(sink);
    for (let i = 0; i < 100; i++) {
      const stream = new RtpStream(await pool.allocate());
      stream.setRemote({ address: "127.0.0.1", port: sink.localPort });
      streams.push(stream);
    }
    const payload = encodeG711("PCMU", new Int16Array(160));
    const clock = new MediaClock();
    let timestamp = 0;
    const stop = clock.subscribe(() => {
      timestamp += 160;
      for (const stream of streams.slice(1)) stream.send(0, payload, timestamp);
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    stop();
    const stats = clock.stats();
    console.log(
      `RTP send clock, 100 streams × 50 packets/s for 1 s: ${stats.ticks} ticks, mean interval ${stats.meanIntervalMs.toFixed(2)} ms, ` +
        `jitter p50 ${stats.jitterP50Ms.toFixed(2)} ms, p99 ${stats.jitterP99Ms.toFixed(2)} ms, max ${stats.jitterMaxMs.toFixed(2)} ms, ` +
        `lateness p99 ${stats.latenessP99Ms.toFixed(2)} ms, skipped ${stats.skipped}`,
    );
    expect(stats.ticks).toBeGreaterThan(0);
    expect(clock.running).toBe(false);
  });
});
