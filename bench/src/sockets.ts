import WebSocket, { type RawData } from "ws";
import type { DeliverySink, DeliverySource } from "./load.js";
import { forEachLimit } from "./parallel.js";

const CONNECT_TIMEOUT_MS = 30_000;

export interface ConnectOptions {
  readonly count: number;
  /** The WebSocket URL of client `index`. */
  readonly url: (index: number) => string;
  readonly parallelism: number;
  readonly onProgress?: (connected: number) => void;
}

/**
 * One WebSocket per client, each waiting for the `ready` frame. Every frame is parsed once; a
 * `chat.message.received` event goes to the running phase's sink with the time it arrived.
 */
export class ClientSockets implements DeliverySource {
  sink: DeliverySink | undefined;
  /** Sockets the server closed, or that failed, after they were ready. */
  unexpectedCloses = 0;
  /** `error` frames the server sent. */
  errorFrames = 0;
  firstErrorFrame: string | undefined;
  readonly #sockets: WebSocket[] = [];
  #closing = false;

  get connected(): number {
    let n = 0;
    for (const socket of this.#sockets) if (socket.readyState === WebSocket.OPEN) n += 1;
    return n;
  }

  static async connect(options: ConnectOptions): Promise<ClientSockets> {
    const sockets = new ClientSockets();
    let done = 0;
    try {
      await forEachLimit(options.count, options.parallelism, async (index) => {
        sockets.#sockets[index] = await sockets.#open(index, options.url(index));
        done += 1;
        options.onProgress?.(done);
      });
    } catch (error) {
      await sockets.close();
      throw error;
    }
    return sockets;
  }

  #open(index: number, url: string): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: CONNECT_TIMEOUT_MS });
      let ready = false;
      const timer = setTimeout(() => {
        socket.terminate();
        reject(new Error(`client ${index}: no ready frame within ${CONNECT_TIMEOUT_MS} ms`));
      }, CONNECT_TIMEOUT_MS);
      socket.on("message", (data: RawData) => {
        const now = performance.now();
        const frame = JSON.parse(data.toString()) as IncomingFrame;
        if (frame.type === "chat.message.received") {
          const content = frame.data?.message?.content;
          if (this.sink !== undefined && typeof content === "string") this.sink.deliver(index, content, now);
        } else if (frame.type === "ready" && !ready) {
          ready = true;
          clearTimeout(timer);
          resolve(socket);
        } else if (frame.type === "error") {
          this.errorFrames += 1;
          this.firstErrorFrame ??= data.toString();
        }
      });
      socket.on("unexpected-response", (_request, response) => {
        clearTimeout(timer);
        reject(new Error(`client ${index}: the upgrade was answered ${response.statusCode}`));
        socket.terminate();
      });
      socket.on("error", (error) => {
        if (!ready) {
          clearTimeout(timer);
          reject(new Error(`client ${index}: ${error.message}`));
        }
      });
      socket.on("close", () => {
        if (ready && !this.#closing) this.unexpectedCloses += 1;
      });
    });
  }

  /** Closes every socket; terminates those not closed within `graceMs`. */
  async close(graceMs = 5_000): Promise<void> {
    this.#closing = true;
    const open = this.#sockets.filter((s) => s !== undefined && s.readyState !== WebSocket.CLOSED);
    const closed = open.map((socket) => new Promise<void>((resolve) => socket.once("close", () => resolve())));
    for (const socket of open) socket.close(1000, "bench done");
    const timer = setTimeout(() => {
      for (const socket of open) socket.terminate();
    }, graceMs);
    await Promise.all(closed);
    clearTimeout(timer);
  }
}

/** The fields of a server frame the benchmark reads. */
interface IncomingFrame {
  type?: string;
  data?: { message?: { content?: unknown } };
}
