import {
  Call,
  type CallOptions,
  type Destination,
  type DtmfEvent,
  type DtmfSendOptions,
  dbfs,
  type IncomingLeg,
  type InviteOutcome,
  MediaClock,
  newBranch,
  type OutgoingRefer,
  type ReferHandler,
  type ReferOptions,
  type Registration,
  type RegistrationOutcome,
  RtpPortPool,
  type SipMessage,
  type SipResponse,
  SipTransport,
  type TransportProtocol,
  tonePower,
  UserAgent,
} from "../src/index.js";

export interface SipTestClientOptions {
  /** Address to bind and advertise (default 127.0.0.1). */
  readonly host?: string;
  /** RTP ports (default: a random window of 200 ports above 30000, so parallel test files rarely meet). */
  readonly rtpPorts?: { readonly min: number; readonly max: number };
  readonly clock?: MediaClock;
  readonly product?: string;
}

export interface DialOptions {
  readonly protocol?: TransportProtocol;
  readonly codecs?: CallOptions["codecs"];
  readonly telephoneEvent?: number | false;
  readonly headers?: readonly (readonly [string, string])[];
  /** Answers a 401/407 challenge with this account (a phone calling through a registrar). */
  readonly credentials?: { readonly username: string; readonly password: string };
}

export interface RegisterOptions {
  readonly username: string;
  readonly password: string;
  /** Seconds asked for (default 3600). */
  readonly expires?: number;
  readonly protocol?: TransportProtocol;
  /** Default `sip:<username>@<registrar host>`. */
  readonly aor?: string;
}

export interface AcceptOptions {
  /** Send 180 first (default true). */
  readonly ring?: boolean;
  /** Audio to play once answered. */
  readonly play?: Int16Array;
  /** Reject instead of answering, with this status. */
  readonly reject?: number;
  /** Leave incoming calls ringing: the test answers, rejects or waits for CANCEL itself. */
  readonly manual?: boolean;
}

/** A call seen from the test client: what it received (responses, audio, keys) and what it can do. */
export class TestCall {
  readonly provisional: number[] = [];
  readonly dtmf: DtmfEvent[] = [];
  private readonly audio: Int16Array[] = [];
  private receivedSamples = 0;

  constructor(
    readonly call: Call,
    /** Settles with the final response of our INVITE (UAC); undefined for a call we answered (UAS). */
    readonly answered?: Promise<InviteOutcome>,
  ) {
    call.onAudio((samples) => {
      this.audio.push(samples);
      this.receivedSamples += samples.length;
    });
    call.onDtmf((event) => this.dtmf.push(event));
  }

  get leg() {
    return this.call.leg;
  }

  get ended() {
    return this.call.ended;
  }

  /** Everything received so far, in sequence order. */
  recording(): Int16Array {
    const out = new Int16Array(this.receivedSamples);
    let offset = 0;
    for (const chunk of this.audio) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }

  /** Seconds of audio received. */
  get receivedSeconds(): number {
    return this.receivedSamples / 8000;
  }

  /** Level of the received audio (dBFS) and the share of its power at `frequency`. */
  measure(frequency: number): { dbfs: number; toneShare: number } {
    const samples = this.recording();
    let energy = 0;
    for (const sample of samples) energy += sample * sample;
    const power = samples.length === 0 ? 0 : energy / samples.length;
    return { dbfs: dbfs(samples), toneShare: power === 0 ? 0 : tonePower(samples, frequency) / power };
  }

  play(samples: Int16Array) {
    return this.call.play(samples);
  }

  sendDtmf(digits: string, options?: DtmfSendOptions) {
    return this.call.sendDtmf(digits, options);
  }

  hold() {
    return this.call.hold();
  }

  resume() {
    return this.call.resume();
  }

  hangup() {
    return this.call.hangup();
  }

  /**
   * This call's dialog as a Replaces header value (RFC 3891), escaped for a Refer-To URI: what a phone
   * puts after `?Replaces=` to hand the other call's party this call's place (an attended transfer).
   */
  get replacesParameter(): string {
    const tags = this.call.leg.dialogTags;
    if (!tags) throw new Error("the call has no dialog yet");
    return encodeURIComponent(`${tags.callId};to-tag=${tags.remoteTag};from-tag=${tags.localTag}`);
  }

  /** Asks the peer to transfer this call to `target` (REFER); progress comes from its NOTIFYs. */
  refer(target: string, options?: ReferOptions): OutgoingRefer {
    return this.call.leg.refer(target, options);
  }

  /** Takes transfer requests (REFER) on this call; without a handler they get 403. */
  onRefer(handler: ReferHandler): void {
    this.call.leg.onRefer(handler);
  }

  /** CANCEL (only before the answer). */
  cancel(): void {
    const leg = this.call.leg as { cancel?: () => void };
    leg.cancel?.();
  }

  /** Resolves once `count` samples were received (polling the event loop, no timed assertion). */
  async waitForAudio(seconds: number, timeoutMs = 5_000): Promise<void> {
    const started = Date.now();
    while (this.receivedSeconds < seconds && Date.now() - started < timeoutMs) await pause(10);
  }

  async waitForDtmf(count: number, timeoutMs = 5_000): Promise<DtmfEvent[]> {
    const started = Date.now();
    while (this.dtmf.length < count && Date.now() - started < timeoutMs) await pause(10);
    return this.dtmf;
  }
}

/**
 * A SIP endpoint for tests, built on this package's own stack: as a UAC it calls with an SDP offer (PCMU,
 * PCMA, telephone-event), receives the answer, sends and records audio, sends RFC 4733 or in-band keys,
 * holds, resumes, hangs up or cancels; as a UAS it answers calls and plays audio. It can also put raw bytes
 * on the wire and collect what comes back, to check how a peer handles malformed SIP.
 */
export class SipTestClient {
  private readonly calls: TestCall[] = [];
  private readonly waiting: ((call: TestCall) => void)[] = [];
  private readonly raw: SipMessage[] = [];
  readonly incomingLegs: IncomingLeg[] = [];
  private registrationInUse: Registration | undefined;

  private constructor(
    readonly agent: UserAgent,
    readonly transport: SipTransport,
    readonly clock: MediaClock,
    readonly ports: RtpPortPool,
    private readonly ownsClock: boolean,
  ) {}

  static async start(options: SipTestClientOptions = {}): Promise<SipTestClient> {
    const host = options.host ?? "127.0.0.1";
    let agent: UserAgent | undefined;
    let client: SipTestClient | undefined;
    const transport = await SipTransport.listen({
      host,
      onMessage: (message, source) => {
        client?.raw.push(message);
        agent?.receive(message, source);
      },
      onMalformed: (failure, source) => agent?.malformed(failure, source),
    });
    agent = new UserAgent({ transport, product: options.product ?? "switchboard-test-client", contactUser: "test" });
    const base = options.rtpPorts?.min ?? 30000 + 2 * Math.floor(Math.random() * 14000);
    const ports = new RtpPortPool({ host, min: base, max: options.rtpPorts?.max ?? base + 199 });
    client = new SipTestClient(agent, transport, options.clock ?? new MediaClock(), ports, options.clock === undefined);
    return client;
  }

  get port(): number {
    return this.transport.port;
  }

  private mediaOptions(options: DialOptions = {}): CallOptions {
    return {
      ports: this.ports,
      clock: this.clock,
      ...(options.codecs ? { codecs: options.codecs } : {}),
      ...(options.telephoneEvent === undefined ? {} : { telephoneEvent: options.telephoneEvent }),
    };
  }

  /** Calls `target` (UAC). */
  async call(target: string, options: DialOptions = {}): Promise<TestCall> {
    const protocol = options.protocol ?? "udp";
    const uri = protocol === "tcp" && !target.includes("transport=") ? `${target};transport=tcp` : target;
    const { call, answered } = await Call.dial(this.agent, uri, {
      ...this.mediaOptions(options),
      ...(options.headers ? { headers: options.headers } : {}),
      ...(options.credentials
        ? { credentials: options.credentials, from: `sip:${options.credentials.username}@${this.agent.transport.host}` }
        : {}),
    });
    const test = new TestCall(call, answered);
    (call.leg as { onProgress?: (l: (r: SipResponse) => void) => void }).onProgress?.((response) =>
      test.provisional.push(response.status),
    );
    return test;
  }

  /**
   * Registers this client's contact at `registrar` (a SIP URI such as `sip:127.0.0.1:5060`) for the
   * account, answering the digest challenge; calls to the AOR then reach `acceptCalls`. Refreshes until
   * `unregister` or `close`.
   */
  register(registrar: string, options: RegisterOptions): Promise<RegistrationOutcome> {
    const protocol = options.protocol ?? "udp";
    const uri = protocol === "tcp" && !registrar.includes("transport=") ? `${registrar};transport=tcp` : registrar;
    this.registrationInUse?.stop();
    const registration = this.agent.registration({
      registrar: uri,
      credentials: { username: options.username, password: options.password },
      ...(options.expires === undefined ? {} : { expires: options.expires }),
      ...(options.aor === undefined ? {} : { aor: options.aor }),
    });
    this.registrationInUse = registration;
    return registration.register();
  }

  /** Removes the registered contact (Expires 0). */
  async unregister(): Promise<RegistrationOutcome | undefined> {
    const registration = this.registrationInUse;
    this.registrationInUse = undefined;
    return registration?.unregister();
  }

  /** UAS mode: answer (or reject, or leave ringing) every incoming call. */
  acceptCalls(options: AcceptOptions = {}): void {
    this.agent.onInvite = (leg) => {
      this.incomingLegs.push(leg);
      if (options.manual) return;
      if (options.reject !== undefined) {
        leg.reject(options.reject);
        return;
      }
      void Call.answer(leg, { ...this.mediaOptions(), ring: options.ring ?? true }).then((result) => {
        if (!result.ok) return;
        const test = new TestCall(result.call);
        if (options.play) void result.call.play(options.play);
        const waiter = this.waiting.shift();
        if (waiter) waiter(test);
        else this.calls.push(test);
      });
    };
  }

  /** The next call answered in UAS mode. */
  nextCall(): Promise<TestCall> {
    const ready = this.calls.shift();
    return ready ? Promise.resolve(ready) : new Promise((resolve) => this.waiting.push(resolve));
  }

  /** A Via header value for a raw request from this client (fresh branch, rport). */
  via(protocol: TransportProtocol = "udp"): string {
    return `SIP/2.0/${protocol.toUpperCase()} ${this.transport.host}:${this.port};branch=${newBranch()};rport`;
  }

  /** Sends raw bytes (malformed on purpose, typically) from this client's SIP port or connection. */
  sendRaw(bytes: Buffer | string, destination: Destination): Promise<void> {
    return this.transport.send(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes), destination);
  }

  /** Waits for a response with this Call-ID to come back to the client. */
  async responseTo(callId: string, timeoutMs = 3_000): Promise<SipResponse | undefined> {
    const started = Date.now();
    for (;;) {
      const found = this.raw.find(
        (m): m is SipResponse => m.type === "response" && m.status >= 200 && m.headers.get("Call-ID") === callId,
      );
      if (found || Date.now() - started > timeoutMs) return found;
      await pause(5);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
    if (this.ownsClock) this.clock.stop();
  }
}

/** SIP text written with bare LF line ends (readable in tests) as wire bytes with CRLF. */
export function sipText(text: string): Buffer {
  return Buffer.from(text.replace(/\r?\n/g, "\r\n"));
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
