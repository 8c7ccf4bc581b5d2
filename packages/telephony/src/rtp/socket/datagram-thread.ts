import { Worker } from "node:worker_threads";
import type { DatagramEndpoint, DatagramIo, DatagramSocket } from "./datagram.js";

/** The I/O thread's code: plain JavaScript beside `src` and `dist`, the same path from either. */
const WORKER_URL = new URL("../../../workers/datagram-worker.mjs", import.meta.url);

const SEND_HEADER = 14;
const RECEIVED_HEADER = 10;

export interface ThreadedDatagramIoOptions {
  /**
   * Paces the media ticks' datagrams on the I/O thread: what a tick sends leaves `aheadMs` after the tick was
   * due, whenever the tick got to run on this thread (if it ran later than that, at once). A late tick here
   * (a busy event loop) then no longer makes its packets late, at the price of `aheadMs` more latency. Other
   * sends (RTCP, anything outside a tick) leave at once, in order with the rest. `clock` must run on
   * `performance.now()` (the default clock does).
   */
  readonly pacing?: { readonly clock: { tickDueAt(): number | undefined }; readonly aheadMs: number };
  /**
   * The I/O thread's nice value (Linux: -20 to 19, lower is served first), as media servers raise their
   * media threads' priority. Below 0 it takes root or CAP_SYS_NICE; `onNice` says whether it took.
   */
  readonly nice?: number;
  readonly onNice?: (applied: boolean) => void;
  /** The I/O thread failed (it is not restarted: its sockets are gone, the calls on them lose their media). */
  readonly onError?: (error: Error) => void;
}

/** How steadily the I/O thread sent the ticks' datagrams (pacing only), over the last 3,000 ticks. */
export interface PacedSendStats {
  /** Ticks whose datagrams the thread has reported on (it reports every 50). */
  readonly ticks: number;
  /** |interval between two ticks' sends − interval between their due times|, in ms. */
  readonly jitterP50Ms: number;
  readonly jitterP99Ms: number;
  readonly jitterMaxMs: number;
  /** How late a tick's datagrams left against their due time plus `aheadMs`, in ms. */
  readonly latenessP99Ms: number;
}

const STATS_WINDOW = 3_000;
/** Read once: the getter is not free, and pacing needs it for every packet. */
const TIME_ORIGIN = performance.timeOrigin;

type FromWorker =
  | { readonly type: "bound"; readonly request: number; readonly ok: boolean }
  | { readonly type: "closed"; readonly request: number }
  | { readonly type: "received"; readonly data: ArrayBuffer; readonly addresses: readonly string[] }
  | { readonly type: "sent"; readonly done: readonly number[] }
  | { readonly type: "paced"; readonly jitter: readonly number[]; readonly lateness: readonly number[] }
  | { readonly type: "nice"; readonly applied: boolean };

/**
 * The media plane's sockets on an I/O thread (`workers/datagram-worker.mjs`): this thread keeps the media
 * clock, the streams and their logic, and hands the thread each tick's datagrams in one message (the sends of
 * one synchronous run, gathered until its microtasks); the thread hands back what it received every 4 ms in
 * one message. The system calls, which dominate the media plane's cost at hundreds of calls, run
 * beside this thread instead of inside its 20 ms budget. With `pacing`, the I/O thread also sends each tick's
 * datagrams when they are due, so that the cadence on the wire does not depend on this thread's load.
 */
export class ThreadedDatagramIo implements DatagramIo {
  private readonly worker: Worker;
  private readonly sockets = new Map<number, ThreadDatagramSocket>();
  private readonly requests = new Map<number, { resolve: (value: boolean) => void; reject: (error: Error) => void }>();
  private readonly done = new Map<number, () => void>();
  private nextId = 1;
  private outbox = Buffer.allocUnsafe(64 * 1024);
  private outboxLength = 0;
  private outboxAddresses = new Map<string, number>();
  /** When the outbox's datagrams are due to leave (absolute monotonic ms); 0: at once. */
  private outboxDue = 0;
  private flushQueued = false;
  private readonly jitter: number[] = [];
  private readonly lateness: number[] = [];
  private pacedTicks = 0;
  private failure: Error | undefined;
  private closed = false;

  constructor(private readonly options: ThreadedDatagramIoOptions = {}) {
    this.worker = new Worker(WORKER_URL, { workerData: { nice: options.nice } });
    // The thread keeps the process alive only while it has sockets or answers to give.
    this.worker.unref();
    this.worker.on("message", (message: FromWorker) => this.fromWorker(message));
    this.worker.on("error", (error) => this.fail(error));
    this.worker.on("exit", (code) => {
      if (!this.closed) this.fail(new Error(`the RTP I/O thread exited (code ${code})`));
    });
  }

  async bindPair(host: string, port: number): Promise<readonly [DatagramSocket, DatagramSocket] | undefined> {
    const ids = [this.id(), this.id()] as const;
    const ok = await this.request((request) => ({ type: "bind", request, host, port, sockets: ids }));
    if (!ok) return undefined;
    const pair = [new ThreadDatagramSocket(this, ids[0], port), new ThreadDatagramSocket(this, ids[1], port + 1)] as const;
    for (const socket of pair) this.sockets.set(socket.id, socket);
    this.holdWhileBusy();
    return pair;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    for (const callback of this.done.values()) callback();
    this.done.clear();
    for (const { reject } of this.requests.values()) reject(new Error("the RTP I/O thread was closed"));
    this.requests.clear();
    this.sockets.clear();
    await this.worker.terminate();
  }

  /** @internal */
  send(socket: number, bytes: Buffer, port: number, address: string, done?: () => void): void {
    if (this.closed || this.failure) {
      done?.();
      return;
    }
    const pacing = this.options.pacing;
    const dueAt = pacing?.clock.tickDueAt();
    const due = pacing && dueAt !== undefined ? TIME_ORIGIN + dueAt + pacing.aheadMs : 0;
    // Catch-up ticks run back to back: each tick's datagrams go as a batch of their own, due when it is.
    if (due !== this.outboxDue) {
      this.flush();
      this.outboxDue = due;
    }
    const needed = this.outboxLength + SEND_HEADER + bytes.length;
    if (needed > this.outbox.length) {
      const bigger = Buffer.allocUnsafe(Math.max(needed, this.outbox.length * 2));
      this.outbox.copy(bigger, 0, 0, this.outboxLength);
      this.outbox = bigger;
    }
    let addressIndex = this.outboxAddresses.get(address);
    if (addressIndex === undefined) {
      addressIndex = this.outboxAddresses.size;
      this.outboxAddresses.set(address, addressIndex);
    }
    let token = 0;
    if (done) {
      token = this.id();
      this.done.set(token, done);
    }
    const at = this.outboxLength;
    this.outbox.writeUInt32BE(socket, at);
    this.outbox.writeUInt16BE(port, at + 4);
    this.outbox.writeUInt16BE(addressIndex, at + 6);
    this.outbox.writeUInt32BE(token, at + 8);
    this.outbox.writeUInt16BE(bytes.length, at + 12);
    bytes.copy(this.outbox, at + SEND_HEADER);
    this.outboxLength = needed;
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(() => this.flush());
    }
  }

  /** @internal */
  async closeSocket(socket: ThreadDatagramSocket): Promise<void> {
    if (!this.sockets.delete(socket.id)) return;
    this.holdWhileBusy();
    if (this.closed || this.failure) return;
    // Datagrams sent before the close leave before it.
    this.flush();
    await this.request((request) => ({ type: "close", request, sockets: [socket.id] })).catch(() => undefined);
  }

  private flush(): void {
    this.flushQueued = false;
    if (this.outboxLength === 0) return;
    const data = new ArrayBuffer(this.outboxLength);
    new Uint8Array(data).set(this.outbox.subarray(0, this.outboxLength));
    const addresses = [...this.outboxAddresses.keys()];
    this.outboxLength = 0;
    this.outboxAddresses = new Map();
    if (!this.closed && !this.failure) this.worker.postMessage({ type: "send", due: this.outboxDue, data, addresses }, [data]);
  }

  private request(message: (request: number) => object): Promise<boolean> {
    if (this.closed) return Promise.reject(new Error("the RTP I/O thread was closed"));
    if (this.failure) return Promise.reject(this.failure);
    const request = this.id();
    return new Promise<boolean>((resolve, reject) => {
      this.requests.set(request, { resolve, reject });
      this.holdWhileBusy();
      this.worker.postMessage(message(request));
    });
  }

  private fromWorker(message: FromWorker): void {
    switch (message.type) {
      case "received":
        this.deliver(message.data, message.addresses);
        break;
      case "sent":
        for (const token of message.done) {
          const callback = this.done.get(token);
          this.done.delete(token);
          callback?.();
        }
        break;
      case "nice":
        this.options.onNice?.(message.applied);
        break;
      case "paced":
        this.pacedTicks += message.lateness.length;
        for (const value of message.jitter) push(this.jitter, value);
        for (const value of message.lateness) push(this.lateness, value);
        break;
      case "bound":
      case "closed": {
        const pending = this.requests.get(message.request);
        this.requests.delete(message.request);
        this.holdWhileBusy();
        pending?.resolve(message.type === "closed" || message.ok);
        break;
      }
    }
  }

  /** How steadily the ticks' datagrams left (undefined without pacing). */
  pacedSendStats(): PacedSendStats | undefined {
    if (!this.options.pacing) return undefined;
    const jitter = [...this.jitter].sort((a, b) => a - b);
    const lateness = [...this.lateness].sort((a, b) => a - b);
    return {
      ticks: this.pacedTicks,
      jitterP50Ms: percentile(jitter, 0.5),
      jitterP99Ms: percentile(jitter, 0.99),
      jitterMaxMs: jitter[jitter.length - 1] ?? 0,
      latenessP99Ms: percentile(lateness, 0.99),
    };
  }

  private deliver(data: ArrayBuffer, addresses: readonly string[]): void {
    const view = new DataView(data);
    const bytes = Buffer.from(data);
    let offset = 0;
    while (offset < data.byteLength) {
      const socket = this.sockets.get(view.getUint32(offset));
      const port = view.getUint16(offset + 4);
      const address = addresses[view.getUint16(offset + 6)] ?? "";
      const length = view.getUint16(offset + 8);
      offset += RECEIVED_HEADER;
      // Views into this batch's own buffer: a listener may keep one (the buffer is never reused).
      socket?.deliver(bytes.subarray(offset, offset + length), { address, port });
      offset += length;
    }
  }

  private fail(error: Error): void {
    if (this.failure || this.closed) return;
    this.failure = error;
    for (const { reject } of this.requests.values()) reject(error);
    this.requests.clear();
    for (const callback of this.done.values()) callback();
    this.done.clear();
    this.options.onError?.(error);
  }

  private holdWhileBusy(): void {
    if (this.sockets.size > 0 || this.requests.size > 0) this.worker.ref();
    else this.worker.unref();
  }

  private id(): number {
    const id = this.nextId;
    this.nextId = this.nextId >= 0xffffffff ? 1 : this.nextId + 1;
    return id;
  }
}

function push(values: number[], value: number): void {
  values.push(value);
  if (values.length > STATS_WINDOW) values.shift();
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

class ThreadDatagramSocket implements DatagramSocket {
  private listener: ((data: Buffer, from: DatagramEndpoint) => void) | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly io: ThreadedDatagramIo,
    readonly id: number,
    readonly port: number,
  ) {}

  send(bytes: Buffer, port: number, address: string, done?: () => void): void {
    if (this.closing) {
      done?.();
      return;
    }
    this.io.send(this.id, bytes, port, address, done);
  }

  onMessage(listener: (data: Buffer, from: DatagramEndpoint) => void): void {
    this.listener = listener;
  }

  /** @internal */
  deliver(data: Buffer, from: DatagramEndpoint): void {
    try {
      this.listener?.(data, from);
    } catch {
      // One stream's failure must not stop the batch's other datagrams.
    }
  }

  close(): Promise<void> {
    this.closing ??= this.io.closeSocket(this);
    return this.closing;
  }
}
