import { DomainError } from "@switchboard/core";
import { type DatagramIo, type DatagramSocket, LocalDatagramIo } from "./datagram.js";

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
    readonly rtp: DatagramSocket,
    readonly rtcp: DatagramSocket,
    readonly host: string,
    readonly port: number,
    private readonly onClose: () => void,
  ) {}

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([this.rtp.close(), this.rtcp.close()]);
    this.onClose();
  }
}

/**
 * Hands out RTP/RTCP socket pairs from a configured range (SWITCHBOARD_RTP_PORTS). Ports taken by other
 * programs are skipped; a freed pair goes to the back of the line so a late packet of an ended call does not
 * reach the next one. The sockets are bound by `io`: on this thread by default, or on an I/O thread
 * (`ThreadedDatagramIo`) so that the system calls of many calls' packets do not hold up this thread's clock.
 */
export class RtpPortPool {
  private readonly host: string;
  private readonly first: number;
  private readonly last: number;
  private cursor: number;
  private readonly taken = new Set<number>();
  private readonly io: DatagramIo;

  constructor(options: { readonly host?: string; readonly io?: DatagramIo } & Partial<RtpPortRange> = {}) {
    this.host = options.host ?? "127.0.0.1";
    this.io = options.io ?? new LocalDatagramIo();
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
    const sockets = await this.io.bindPair(this.host, port);
    if (!sockets) return undefined;
    this.taken.add(port);
    return new RtpSocketPair(sockets[0], sockets[1], this.host, port, () => this.taken.delete(port));
  }
}
