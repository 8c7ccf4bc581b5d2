import dgram from "node:dgram";
import dns from "node:dns";
import net from "node:net";
import { DomainError } from "@switchboard/core";

export interface RtpPortRange {
  /** Lowest port (rounded up to even). */
  readonly min: number;
  /** Highest port; the last RTP port is the even one below it (RTCP takes +1). */
  readonly max: number;
}

/** An RTP socket on an even port and its RTCP socket on the next one (RFC 3550 §11). */
export class RtpSocketPair {
  private closed = false;
  constructor(
    readonly rtp: dgram.Socket,
    readonly rtcp: dgram.Socket,
    readonly host: string,
    readonly port: number,
    private readonly onClose: () => void,
  ) {}

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([closeSocket(this.rtp), closeSocket(this.rtcp)]);
    this.onClose();
  }
}

/**
 * Hands out RTP/RTCP socket pairs from a configured range (SWITCHBOARD_RTP_PORTS). Ports taken by other
 * programs are skipped; a freed pair goes to the back of the line so a late packet of an ended call does not
 * reach the next one.
 */
export class RtpPortPool {
  private readonly host: string;
  private readonly first: number;
  private readonly last: number;
  private cursor: number;
  private readonly taken = new Set<number>();

  constructor(options: { readonly host?: string } & Partial<RtpPortRange> = {}) {
    this.host = options.host ?? "127.0.0.1";
    const min = options.min ?? 20000;
    const max = options.max ?? 20999;
    this.first = min % 2 === 0 ? min : min + 1;
    this.last = max % 2 === 0 ? max - 2 : max - 1;
    if (this.first > this.last || this.first < 1024 || max > 65535) {
      throw new DomainError(
        "rtp.invalid_port_range",
        "invalid",
        `No even RTP/RTCP pair fits in ${min}-${max} (ports 1024-65535).`,
      );
    }
    this.cursor = this.first;
  }

  /** Pairs the range holds. */
  get capacity(): number {
    return (this.last - this.first) / 2 + 1;
  }

  get inUse(): number {
    return this.taken.size;
  }

  async allocate(): Promise<RtpSocketPair> {
    for (let attempt = 0; attempt < this.capacity; attempt++) {
      const port = this.cursor;
      this.cursor = port + 2 > this.last ? this.first : port + 2;
      if (this.taken.has(port)) continue;
      const pair = await this.bindPair(port);
      if (pair) return pair;
    }
    throw new DomainError("rtp.ports_exhausted", "unavailable", "No free RTP port pair in the configured range.");
  }

  private async bindPair(port: number): Promise<RtpSocketPair | undefined> {
    const type = net.isIPv6(this.host) ? "udp6" : "udp4";
    const rtp = dgram.createSocket({ type, lookup: literalLookup });
    const rtcp = dgram.createSocket({ type, lookup: literalLookup });
    try {
      await bind(rtp, port, this.host);
      await bind(rtcp, port + 1, this.host);
    } catch {
      await Promise.all([closeSocket(rtp), closeSocket(rtcp)]);
      return undefined;
    }
    this.taken.add(port);
    return new RtpSocketPair(rtp, rtcp, this.host, port, () => this.taken.delete(port));
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
