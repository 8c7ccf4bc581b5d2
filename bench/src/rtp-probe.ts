import dgram from "node:dgram";
import { percentile } from "./stats.js";

const FRAME_MS = 20;

export interface ProbeResult {
  /** RTP streams (SSRCs) heard in the window. */
  readonly streams: number;
  readonly packets: number;
  /** p99 and max of |arrival interval − 20 ms| between consecutive packets of a stream, in the window. */
  readonly jitterP99Ms: number;
  readonly jitterMaxMs: number;
  /** Packets missing from the sequence numbers, in the window. */
  readonly lost: number;
}

interface Stream {
  seq: number;
  at: number;
}

/**
 * The receiving end of the probe calls: one UDP socket all their RTP is sent to, timing each packet's
 * arrival. Within the measurement window it keeps, per stream, how far each interval between consecutive
 * packets is from 20 ms: what a caller's jitter buffer sees, including the spread of sends within one tick.
 */
export class RtpProbe {
  #streams = new Map<number, Stream>();
  #deviations: number[] = [];
  #packets = 0;
  #lost = 0;
  #seen = new Set<number>();
  #measuring = false;

  private constructor(private readonly socket: dgram.Socket) {
    socket.on("message", (message) => this.#receive(message));
  }

  static open(): Promise<RtpProbe> {
    return new Promise((resolve, reject) => {
      const socket = dgram.createSocket("udp4");
      socket.once("error", reject);
      socket.bind(0, "127.0.0.1", () => {
        socket.removeListener("error", reject);
        resolve(new RtpProbe(socket));
      });
    });
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** Starts a measurement window (forgetting the last one). */
  start(): void {
    this.#deviations = [];
    this.#packets = 0;
    this.#lost = 0;
    this.#seen = new Set();
    this.#measuring = true;
  }

  /** Ends the window and summarizes it. */
  stop(): ProbeResult {
    this.#measuring = false;
    const sorted = Float64Array.from(this.#deviations).sort();
    return {
      streams: this.#seen.size,
      packets: this.#packets,
      jitterP99Ms: percentile(sorted, 0.99),
      jitterMaxMs: sorted.length > 0 ? (sorted[sorted.length - 1] ?? Number.NaN) : Number.NaN,
      lost: this.#lost,
    };
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  #receive(message: Buffer): void {
    const at = performance.now();
    if (message.length < 12 || message[0] === undefined || message[0] >> 6 !== 2) return;
    const payloadType = (message[1] ?? 0) & 0x7f;
    // Audio only: RFC 4733 events and comfort noise run on their own timing.
    if (payloadType !== 0 && payloadType !== 8) return;
    const seq = message.readUInt16BE(2);
    const ssrc = message.readUInt32BE(8);
    const previous = this.#streams.get(ssrc);
    this.#streams.set(ssrc, { seq, at });
    if (!this.#measuring) return;
    this.#packets++;
    this.#seen.add(ssrc);
    if (previous === undefined) return;
    const step = (seq - previous.seq + 0x10000) & 0xffff;
    if (step === 1) this.#deviations.push(Math.abs(at - previous.at - FRAME_MS));
    else if (step > 1 && step < 1000) this.#lost += step - 1;
  }
}
