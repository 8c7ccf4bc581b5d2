import dgram from "node:dgram";
import dns from "node:dns";
import net from "node:net";

/** Where a datagram came from or goes to. */
export interface DatagramEndpoint {
  readonly address: string;
  readonly port: number;
}

/**
 * One bound UDP socket of the media plane, as RTP and RTCP streams see it: send, receive, close. Whether the
 * system calls run on this thread (`LocalDatagramIo`) or on an I/O thread (`ThreadedDatagramIo`) is the
 * `DatagramIo`'s business.
 */
export interface DatagramSocket {
  /** The port it is bound to. */
  readonly port: number;
  /**
   * Sends one datagram (the bytes are copied or sent before this returns, so the caller may reuse them).
   * `done` runs once it left or failed; a closed socket drops it and still calls `done`.
   */
  send(bytes: Buffer, port: number, address: string, done?: () => void): void;
  /** The one receiver of this socket's datagrams; `from` is fresh per datagram (keep it as it is). */
  onMessage(listener: (data: Buffer, from: DatagramEndpoint) => void): void;
  close(): Promise<void>;
}

/** Binds the media plane's UDP sockets. */
export interface DatagramIo {
  /** Binds `port` (RTP) and `port + 1` (RTCP) on `host`; undefined when either is taken. */
  bindPair(host: string, port: number): Promise<readonly [DatagramSocket, DatagramSocket] | undefined>;
  /** Closes every socket it bound and whatever runs them. */
  close(): Promise<void>;
}

/** Sockets on this thread's event loop: what tests and the SIP test client use. */
export class LocalDatagramIo implements DatagramIo {
  private readonly sockets = new Set<LocalDatagramSocket>();

  async bindPair(host: string, port: number): Promise<readonly [DatagramSocket, DatagramSocket] | undefined> {
    const type = net.isIPv6(host) ? "udp6" : "udp4";
    const rtp = dgram.createSocket({ type, lookup: literalLookup });
    const rtcp = dgram.createSocket({ type, lookup: literalLookup });
    try {
      await bind(rtp, port, host);
      await bind(rtcp, port + 1, host);
    } catch {
      await Promise.all([closeSocket(rtp), closeSocket(rtcp)]);
      return undefined;
    }
    const pair = [
      new LocalDatagramSocket(rtp, port, this.sockets),
      new LocalDatagramSocket(rtcp, port + 1, this.sockets),
    ] as const;
    for (const socket of pair) this.sockets.add(socket);
    return pair;
  }

  async close(): Promise<void> {
    await Promise.all([...this.sockets].map((socket) => socket.close()));
  }
}

class LocalDatagramSocket implements DatagramSocket {
  private closing: Promise<void> | undefined;

  constructor(
    private readonly socket: dgram.Socket,
    readonly port: number,
    private readonly owner: Set<LocalDatagramSocket>,
  ) {
    // A late ICMP error or a send to a vanished peer must not become an uncaught 'error' event.
    socket.on("error", () => {});
  }

  send(bytes: Buffer, port: number, address: string, done?: () => void): void {
    try {
      if (done) this.socket.send(bytes, port, address, () => done());
      else this.socket.send(bytes, port, address);
    } catch {
      // A socket closed under us: nothing to send on.
      done?.();
    }
  }

  onMessage(listener: (data: Buffer, from: DatagramEndpoint) => void): void {
    // `info` serves as the endpoint as it is: one object fewer per packet.
    this.socket.on("message", listener);
  }

  close(): Promise<void> {
    this.closing ??= closeSocket(this.socket).then(() => {
      this.owner.delete(this);
    });
    return this.closing;
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string, family: number) => void;

/**
 * dgram resolves the destination of every `send`, even an IP literal, through `dns.lookup`, which answers a
 * literal on the next tick: a deferred callback per packet, 50 times a second per leg. Media addresses are
 * literals (SDP `c=` lines, latched sources), so they are answered at once; names still go to `dns.lookup`.
 */
function literalLookup(hostname: string, options: unknown, callback: LookupCallback): void {
  const family = net.isIP(hostname);
  if (family !== 0) {
    callback(null, hostname, family);
    return;
  }
  (dns.lookup as (hostname: string, options: unknown, callback: LookupCallback) => void)(hostname, options, callback);
}

function bind(socket: dgram.Socket, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(port, host, () => {
      socket.removeListener("error", reject);
      resolve();
    });
  });
}

function closeSocket(socket: dgram.Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve();
    }
  });
}
