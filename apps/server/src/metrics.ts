import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { HubMetrics } from "./realtime/hub.js";
import type { TelephonyStats } from "./telephony/telephony-service.js";

/** The server's Prometheus metrics, served at /metrics. */
export class ServerMetrics implements HubMetrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: "switchboard_http_request_duration_seconds",
    help: "HTTP request duration by route and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  private readonly events = new Counter({
    name: "switchboard_thread_events_total",
    help: "Thread events published, by type",
    labelNames: ["type"] as const,
    registers: [this.registry],
  });
  private readonly frames = new Counter({
    name: "switchboard_realtime_frames_delivered_total",
    help: "Thread event frames handed to WebSocket connections",
    registers: [this.registry],
  });

  constructor(connections: () => number) {
    collectDefaultMetrics({ register: this.registry, prefix: "switchboard_" });
    new Gauge({
      name: "switchboard_realtime_connections",
      help: "Open real-time WebSocket connections",
      registers: [this.registry],
      collect() {
        this.set(connections());
      },
    });
  }

  /** Calls in progress and the media plane's pacing, read at each scrape. */
  watchTelephony(read: () => TelephonyStats): void {
    // The media clock's figures sort its whole window: read them once per scrape, not once per gauge.
    let last: { readonly at: number; readonly value: TelephonyStats } | undefined;
    const stats = () => {
      const now = Date.now();
      if (!last || now - last.at > 1_000) last = { at: now, value: read() };
      return last.value;
    };
    const gauges: readonly [name: string, help: string, value: (s: TelephonyStats) => number][] = [
      ["switchboard_calls_active", "Calls in progress", (s) => s.activeCalls],
      [
        "switchboard_rtp_send_interval_jitter_p99_ms",
        "99th percentile of |interval between two media ticks' RTP sends - 20 ms| (where RTP leaves: the I/O thread when it paces), over the last minute",
        (s) => s.media.jitterP99Ms,
      ],
      [
        "switchboard_media_tick_lateness_p99_ms",
        "99th percentile of how late the media clock's 20 ms ticks ran on the main thread, over the last minute",
        (s) => s.media.tickLatenessP99Ms,
      ],
      [
        "switchboard_media_tick_work_p99_ms",
        "99th percentile of how long one 20 ms media tick's work took on the main thread, over the last minute",
        (s) => s.media.tickWorkP99Ms,
      ],
      [
        "switchboard_rtp_ticks_skipped",
        "Media ticks dropped after a stall longer than the catch-up budget, since start",
        (s) => s.media.skipped,
      ],
    ];
    for (const [name, help, value] of gauges) {
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(value(stats()));
        },
      });
    }
  }

  eventPublished(type: string): void {
    this.events.inc({ type });
  }

  framesDelivered(count: number): void {
    this.frames.inc(count);
  }
}
