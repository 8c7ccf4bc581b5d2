import dgram from "node:dgram";
import net from "node:net";
import { DomainError } from "@switchboard/core";
import { SipStreamFramer } from "../message/framer.js";
import {
  DEFAULT_SIP_LIMITS,
  type SipLimits,
  type SipMessage,
  type SipParseFailure,
  type SipRequest,
  type SipResponse,
} from "../message/model.js";
import { parseSipMessage } from "../message/parse.js";
import { serializeSipMessage } from "../message/serialize.js";
import type { Destination, Source, TransactionTransport, TransportProtocol } from "../transaction/model.js";
import { responseDestination, stampReceived } from "./via-processing.js";

export interface SipTransportOptions {
  /** Address to bind (default 127.0.0.1). */
  readonly host?: string;
  /** Port for UDP and TCP alike; 0 picks a free one (the same for both). */
  readonly port?: number;
  /** The address peers should use to reach us, written in Via and Contact (default: `host`, or 127.0.0.1 for 0.0.0.0). */
  readonly advertisedHost?: string;
  readonly protocols?: readonly TransportProtocol[];
  readonly limits?: SipLimits;
  /** Every well-formed message, requests already stamped with received/rport. */
  readonly onMessage: (message: SipMessage, source: Source) => void;
  /** A message that did not parse; `failure.partial` lets the receiver answer a request with 400. */
  readonly onMalformed?: (failure: SipParseFailure, source: Source) => void;
  /** Socket errors after start (a send to an unreachable port, a reset connection); informational. */
  readonly onError?: (error: unknown) => void;
}

interface Connection {
  readonly id: number;
  readonly socket: net.Socket;
  readonly framer: SipStreamFramer;
  readonly key: string;
}

/**
 * SIP over UDP and TCP on one host and port (RFC 3261 §18): datagrams parsed whole, TCP streams cut by the
 * framer; received/rport stamped on requests (RFC 3581); responses sent back per §18.2.2, on the request's
 * own connection while it is open. TCP connections to a peer are reused for later requests to it.
 */
export class SipTransport implements TransactionTransport {
  private readonly connections = new Map<number, Connection>();
  private readonly byPeer = new Map<string, Connection>();
  private readonly connecting = new Map<string, Promise<Connection>>();
  private nextConnectionId = 1;
  private closed = false;

  private constructor(
    private readonly options: SipTransportOptions,
    private readonly udp: dgram.Socket | undefined,
    private readonly tcp: net.Server | undefined,
    readonly port: number,
  ) {}

  static async listen(options: SipTransportOptions): Promise<SipTransport> {
    const host = options.host ?? "127.0.0.1";
    const protocols = options.protocols ?? ["udp", "tcp"];
    for (let attempt = 0; ; attempt++) {
      const udp = protocols.includes("udp") ? dgram.createSocket(net.isIPv6(host) ? "udp6" : "udp4") : undefined;
      const tcp = protocols.includes("tcp") ? net.createServer() : undefined;
      try {
        let port = options.port ?? 0;
        if (udp) port = await bindUdp(udp, host, port);
        if (tcp) port = await listenTcp(tcp, host, port);
        const transport = new SipTransport(options, udp, tcp, port);
        transport.attach();
        return transport;
      } catch (error) {
        udp?.close();
        tcp?.close();
        // With port 0, the free UDP port may be taken for TCP: try another pair a few times.
        if ((options.port ?? 0) !== 0 || attempt >= 10) {
          throw new DomainError(
            "sip.transport_unavailable",
            "unavailable",
            `Cannot listen on ${host}:${options.port ?? 0}.`,
            [],
            {
              cause: error,
            },
          );
        }
      }
    }
  }

  /** The address written in Via and Contact. */
  get host(): string {
    const bound = this.options.host ?? "127.0.0.1";
    return this.options.advertisedHost ?? (bound === "0.0.0.0" || bound === "::" ? "127.0.0.1" : bound);
  }

  get protocols(): readonly TransportProtocol[] {
    return [...(this.udp ? (["udp"] as const) : []), ...(this.tcp ? (["tcp"] as const) : [])];
  }

  private attach(): void {
    this.udp?.on("message", (data, info) => {
      this.receive(data, { protocol: "udp", address: info.address, port: info.port });
    });
    this.udp?.on("error", (error) => this.options.onError?.(error));
    this.tcp?.on("connection", (socket) =>
      this.adopt(socket, `in:${normalizeAddress(socket.remoteAddress ?? "")}:${socket.remotePort}`),
    );
  }

  private adopt(socket: net.Socket, key: string): Connection {
    const connection: Connection = { id: this.nextConnectionId++, socket, framer: new SipStreamFramer(this.limits), key };
    this.connections.set(connection.id, connection);
    this.byPeer.set(key, connection);
    socket.setNoDelay(true);
    const source: Source = {
      protocol: "tcp",
      address: normalizeAddress(socket.remoteAddress ?? ""),
      port: socket.remotePort ?? 0,
      connectionId: connection.id,
    };
    socket.on("data", (chunk) => {
      for (const frame of connection.framer.push(chunk)) {
        if (frame.kind === "message") this.receive(frame.bytes, source);
        else if (frame.kind === "keepalive") socket.write("\r\n");
        else {
          const head = frame.head === undefined ? undefined : parseSipMessage(frame.head, { limits: this.limits });
          const partial = head === undefined ? undefined : head.ok ? partialOf(head.message) : head.partial;
          this.malformed({ ok: false, reason: frame.reason, status: frame.status, ...(partial ? { partial } : {}) }, source);
          socket.end();
        }
      }
    });
    const forget = () => {
      this.connections.delete(connection.id);
      if (this.byPeer.get(key) === connection) this.byPeer.delete(key);
    };
    socket.on("close", forget);
    socket.on("error", (error) => {
      forget();
      this.options.onError?.(error);
    });
    return connection;
  }

  private get limits(): SipLimits {
    return this.options.limits ?? DEFAULT_SIP_LIMITS;
  }

  private receive(data: Buffer, source: Source): void {
    if (this.closed) return;
    const result = parseSipMessage(data, { limits: this.limits });
    if (!result.ok) {
      this.malformed(result, source);
      return;
    }
    if (result.message.type === "request") stampReceived(result.message.headers, source);
    this.deliver(() => this.options.onMessage(result.message, source));
  }

  private malformed(failure: SipParseFailure, source: Source): void {
    if (failure.partial) stampReceived(failure.partial.headers, source);
    this.deliver(() => this.options.onMalformed?.(failure, source));
  }

  /** A throw in the layers above must not escape into a socket callback, where it would end the process. */
  private deliver(run: () => void): void {
    try {
      run();
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  async sendRequest(request: SipRequest, destination: Destination): Promise<void> {
    await this.send(serializeSipMessage(request), destination);
  }

  async sendResponse(response: SipResponse, source: Source): Promise<void> {
    const bytes = serializeSipMessage(response);
    if (source.protocol === "tcp" && source.connectionId !== undefined) {
      const connection = this.connections.get(source.connectionId);
      if (connection && !connection.socket.destroyed) {
        await write(connection.socket, bytes);
        return;
      }
    }
    await this.send(bytes, responseDestination(response.headers, source));
  }

  /** Sends bytes as they are: for tests that speak malformed SIP, and keep-alives. */
  async send(bytes: Buffer, destination: Destination): Promise<void> {
    if (this.closed) throw new DomainError("sip.transport_closed", "unavailable", "The SIP transport is closed.");
    if (destination.protocol === "udp") {
      const udp = this.udp;
      if (!udp) throw new DomainError("sip.transport_unsupported", "invalid", "This transport does not speak UDP.");
      await new Promise<void>((resolve, reject) =>
        udp.send(bytes, destination.port, destination.host, (error) => (error ? reject(error) : resolve())),
      );
      return;
    }
    const connection = await this.connect(destination);
    await write(connection.socket, bytes);
  }

  private connect(destination: Destination): Promise<Connection> {
    const key = `out:${destination.host}:${destination.port}`;
    const open = this.byPeer.get(key);
    if (open && !open.socket.destroyed) return Promise.resolve(open);
    // A peer that connected to us from this address and port (a phone behind NAT that registered over TCP)
    // is reached on its own connection: nothing listens at its source port (RFC 5626's flow reuse, lite).
    const inbound = this.byPeer.get(`in:${destination.host}:${destination.port}`);
    if (inbound && !inbound.socket.destroyed) return Promise.resolve(inbound);
    const pending = this.connecting.get(key);
    if (pending) return pending;
    const attempt = new Promise<Connection>((resolve, reject) => {
      // From the address we are bound to, as UDP sends are: the peer sees the source our Via names.
      const bound = this.options.host ?? "127.0.0.1";
      const local = bound === "0.0.0.0" || bound === "::" ? {} : { localAddress: bound };
      const socket = net.connect({ host: destination.host, port: destination.port, ...local });
      socket.once("connect", () => {
        socket.removeListener("error", reject);
        resolve(this.adopt(socket, key));
      });
      socket.once("error", reject);
    }).finally(() => this.connecting.delete(key));
    this.connecting.set(key, attempt);
    return attempt;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const connection of this.connections.values()) connection.socket.destroy();
    this.connections.clear();
    this.byPeer.clear();
    await Promise.all([
      this.udp ? new Promise<void>((resolve) => this.udp?.close(() => resolve())) : undefined,
      this.tcp ? new Promise<void>((resolve) => this.tcp?.close(() => resolve())) : undefined,
    ]);
  }
}

function partialOf(message: SipMessage): SipParseFailure["partial"] {
  return message.type === "request" ? { method: message.method, uri: message.uri, headers: message.headers } : undefined;
}

function bindUdp(socket: dgram.Socket, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(port, host, () => {
      socket.removeListener("error", reject);
      resolve(socket.address().port);
    });
  });
}

function listenTcp(server: net.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.removeListener("error", reject);
      const address = server.address();
      resolve(typeof address === "object" && address !== null ? address.port : port);
    });
  });
}

function write(socket: net.Socket, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => socket.write(bytes, (error) => (error ? reject(error) : resolve())));
}

/** `::ffff:127.0.0.1` (an IPv4 peer on a dual-stack socket) is 127.0.0.1. */
function normalizeAddress(address: string): string {
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}
