import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { HubMetrics } from "./realtime/hub.js";

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

  eventPublished(type: string): void {
    this.events.inc({ type });
  }

  framesDelivered(count: number): void {
    this.frames.inc(count);
  }
}
