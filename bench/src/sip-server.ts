import dgram from "node:dgram";
import { fileURLToPath } from "node:url";
import { freePort, ServerProcess } from "./child-process.js";

const SERVER_ENTRY = fileURLToPath(new URL("../../apps/server/dist/main.js", import.meta.url));
/** The demo tenant's number, seeded on the embedded default, running the demo flow. */
export const DEMO_NUMBER = "+15550100";

export interface SipServerOptions {
  /** Data directory (SQLite, the prompt cache); kept across restarts so prompts are rendered once. */
  readonly dataDir: string;
  readonly sipPort: number;
  /** `min-max`: each call takes an even/odd pair. */
  readonly rtpPorts: string;
  readonly cpuProfileDir: string | undefined;
  /** More settings for the server (`SWITCHBOARD_*`). */
  readonly env?: Readonly<Record<string, string>>;
}

/** What the server's `/metrics` says about calls and the media clock. */
export interface TelephonyMetrics {
  readonly callsActive: number;
  /**
   * p99 of |interval between two media ticks' RTP sends − 20 ms| over the server's window (the last 3,000 ticks:
   * one minute), where the packets leave: the I/O thread's paced sends, or the media clock's ticks.
   */
  readonly jitterP99Ms: number;
  /** p99 of how late the media clock's ticks ran on the server's main thread, over the same window. */
  readonly tickLatenessP99Ms: number;
  /** p99 of how long one tick's media work took on the server's main thread. */
  readonly tickWorkP99Ms: number;
  /** Ticks dropped after a stall, since the server started. */
  readonly ticksSkipped: number;
}

/**
 * Switchboard (`apps/server/dist/main.js`) as a child process with SIP on: the embedded default (SQLite,
 * demo data, so `+15550100` runs the demo flow and 127.0.0.1 is a trusted trunk), log level `warn`.
 */
export class SipServer {
  private constructor(
    readonly process: ServerProcess,
    readonly sipPort: number,
  ) {}

  static async start(options: SipServerOptions): Promise<SipServer> {
    const port = await freePort();
    // The server is configured by the benchmark alone: no setting of the caller's shell leaks in.
    const env: NodeJS.ProcessEnv = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith("SWITCHBOARD_")),
    );
    Object.assign(env, {
      SWITCHBOARD_PORT: String(port),
      SWITCHBOARD_HOST: "127.0.0.1",
      SWITCHBOARD_DATA_DIR: options.dataDir,
      SWITCHBOARD_SEED_DEMO: "true",
      SWITCHBOARD_LOG_LEVEL: "warn",
      SWITCHBOARD_SIP_ENABLED: "true",
      SWITCHBOARD_SIP_HOST: "127.0.0.1",
      SWITCHBOARD_SIP_PORT: String(options.sipPort),
      SWITCHBOARD_RTP_PORTS: options.rtpPorts,
      ...options.env,
    });
    const args = options.cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDir}`, SERVER_ENTRY] : [SERVER_ENTRY];
    const server = new ServerProcess("Switchboard server", port, args, env);
    try {
      await server.waitReady("/readyz");
    } catch (error) {
      await server.stop();
      throw error;
    }
    return new SipServer(server, options.sipPort);
  }

  get pid(): number {
    return this.process.pid;
  }

  get sipTarget(): string {
    return `127.0.0.1:${this.sipPort}`;
  }

  async metrics(): Promise<TelephonyMetrics> {
    this.process.assertAlive();
    const response = await fetch(`${this.process.baseUrl}/metrics`, { signal: AbortSignal.timeout(10_000) });
    const text = await response.text();
    const gauge = (name: string): number => {
      const match = new RegExp(`^${name} (\\S+)$`, "m").exec(text);
      if (!match?.[1]) throw new Error(`/metrics has no ${name}`);
      return Number(match[1]);
    };
    return {
      callsActive: gauge("switchboard_calls_active"),
      jitterP99Ms: gauge("switchboard_rtp_send_interval_jitter_p99_ms"),
      ticksSkipped: gauge("switchboard_rtp_ticks_skipped"),
      tickLatenessP99Ms: gauge("switchboard_media_tick_lateness_p99_ms"),
      tickWorkP99Ms: gauge("switchboard_media_tick_work_p99_ms"),
    };
  }

  /**
   * Waits until no call is active (records written, media closed); returns the calls still active after
   * `timeoutMs`. Polls once a second: a scrape of /metrics costs the server's event loop several
   * milliseconds (the jitter percentiles are sorted on every read).
   */
  async waitIdle(timeoutMs: number): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const { callsActive } = await this.metrics();
      if (callsActive === 0 || performance.now() > deadline) return callsActive;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }

  /** Stops the server gracefully (so a CPU profile gets written). */
  stop(): Promise<void> {
    return this.process.stop(30_000);
  }
}

/** A UDP port free on 127.0.0.1 right now. */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket("udp4");
    socket.once("error", reject);
    socket.bind(0, "127.0.0.1", () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/** A port free for both TCP and UDP on 127.0.0.1 (SIP listens on both). */
export async function freeSipPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await freePort();
    const free = await new Promise<boolean>((resolve) => {
      const socket = dgram.createSocket("udp4");
      socket.once("error", () => resolve(false));
      socket.bind(port, "127.0.0.1", () => socket.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error("no port free for both TCP and UDP");
}
