import {
  type Destination,
  parseSipMessage,
  responseDestination,
  type SipMessage,
  type SipParseFailure,
  type SipRequest,
  type SipResponse,
  type Source,
  serializeSipMessage,
  stampReceived,
  UserAgent,
  type UserAgentOptions,
  type UserAgentTransport,
} from "../src/index.js";

export interface Delivery {
  readonly message: SipMessage;
  readonly from: Source;
  readonly to: Destination;
}

/**
 * SIP between user agents in one process, without sockets: every message is serialized and parsed again
 * (as on the wire), received/rport stamped, and delivered on a later turn of the event loop. Drive it with a
 * `ManualScheduler` for timers and `settle()` for deliveries: protocol tests then run fast and deterministic.
 */
export class MemorySipNetwork {
  private readonly endpoints = new Map<string, MemorySipTransport>();
  private inFlight = 0;
  /** Every message delivered, in order. */
  readonly log: Delivery[] = [];
  /** Return true to lose a message (UDP loss); called for every send. */
  drop: (delivery: Delivery) => boolean = () => false;

  endpoint(
    host: string,
    port: number,
    onMessage: (message: SipMessage, source: Source) => void,
    onMalformed?: (failure: SipParseFailure, source: Source) => void,
  ): MemorySipTransport {
    const transport = new MemorySipTransport(this, host, port, onMessage, onMalformed);
    this.endpoints.set(`${host}:${port}`, transport);
    return transport;
  }

  /** A user agent on `host:port` of this network. */
  userAgent(host: string, port: number, options: Omit<UserAgentOptions, "transport"> = {}): UserAgent {
    let agent: UserAgent | undefined;
    const transport = this.endpoint(
      host,
      port,
      (message, source) => agent?.receive(message, source),
      (failure, source) => agent?.malformed(failure, source),
    );
    agent = new UserAgent({ ...options, transport });
    return agent;
  }

  /** Resolves once no message is in flight. */
  async settle(): Promise<void> {
    for (let round = 0; round < 1000; round++) {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.inFlight === 0) return;
    }
  }

  /** Puts raw bytes on the wire toward `to`, as a peer at `from` would. */
  inject(bytes: Buffer, from: Source, to: Destination): void {
    this.inFlight++;
    setImmediate(() => {
      this.inFlight--;
      this.endpoints.get(`${to.host}:${to.port}`)?.deliver(bytes, from);
    });
  }

  send(message: SipMessage, from: Source, to: Destination): void {
    const delivery: Delivery = { message, from, to };
    if (this.drop(delivery)) return;
    this.log.push(delivery);
    this.inject(serializeSipMessage(message), from, to);
  }
}

export class MemorySipTransport implements UserAgentTransport {
  private closed = false;
  /** Messages this endpoint could not parse, as a real transport would report them. */
  readonly malformed: { reason: string; status: number }[] = [];

  constructor(
    private readonly network: MemorySipNetwork,
    readonly host: string,
    readonly port: number,
    private readonly onMessage: (message: SipMessage, source: Source) => void,
    private readonly onMalformed?: (failure: SipParseFailure, source: Source) => void,
  ) {}

  async sendRequest(request: SipRequest, destination: Destination): Promise<void> {
    if (!this.closed) this.network.send(request, this.source(destination.protocol), destination);
  }

  async sendResponse(response: SipResponse, source: Source): Promise<void> {
    if (!this.closed) this.network.send(response, this.source(source.protocol), responseDestination(response.headers, source));
  }

  deliver(bytes: Buffer, from: Source): void {
    if (this.closed) return;
    const result = parseSipMessage(bytes);
    if (!result.ok) {
      this.malformed.push({ reason: result.reason, status: result.status });
      if (result.partial) stampReceived(result.partial.headers, from);
      this.onMalformed?.(result, from);
      return;
    }
    if (result.message.type === "request") stampReceived(result.message.headers, from);
    this.onMessage(result.message, from);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private source(protocol: Source["protocol"]): Source {
    return { protocol, address: this.host, port: this.port };
  }
}
