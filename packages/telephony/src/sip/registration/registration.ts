import { DomainError } from "@switchboard/core";
import type { Scheduler, TimerHandle } from "../../scheduler/scheduler.js";
import { type DigestCredentials, sendWithDigest, withCredentials } from "../auth/digest-client.js";
import { destinationOf } from "../dialog/destination.js";
import { newCallId, newTag } from "../dialog/ids.js";
import { cseqHeader } from "../message/cseq.js";
import { SipHeaders } from "../message/headers.js";
import type { SipRequest, SipResponse } from "../message/model.js";
import { contactHeaders, type NameAddr } from "../message/name-addr.js";
import type { ClientTransactionUser, Destination, TransportProtocol } from "../transaction/model.js";
import { parseSipUri } from "../uri/uri.js";
import { sameUri } from "../uri/uri-equals.js";

/** What a registration needs from its user agent. */
export interface RegistrationHost {
  readonly scheduler: Scheduler;
  /** Sends in a new client transaction, adding our Via. */
  sendRequest(request: SipRequest, destination: Destination, user: ClientTransactionUser): unknown;
  contact(protocol: TransportProtocol): string;
  /** User-Agent header value. */
  readonly product: string;
  /** Our host, for the Call-ID. */
  readonly localHost: string;
}

export interface RegistrationOptions {
  /** The registrar's domain as a SIP URI (`sip:example.com`, `sip:192.0.2.1:5060;transport=tcp`): the Request-URI. */
  readonly registrar: string;
  /** The address of record (To and From); default `sip:<username>@<registrar host>`. */
  readonly aor?: string;
  readonly credentials?: DigestCredentials;
  /** Seconds asked for (default 3600). */
  readonly expires?: number;
  /** Where to send; default the registrar URI's host, port and transport. */
  readonly destination?: Destination;
  /** Our Contact URI; default the user agent's for the transport. */
  readonly contact?: string;
  /** Register again before the binding expires (default true). */
  readonly refresh?: boolean;
}

export type RegistrationOutcome =
  | {
      readonly ok: true;
      /** Seconds the registrar granted our contact (0 after an unregister). */
      readonly expires: number;
      /** Every contact the registrar holds for the AOR, ours included. */
      readonly contacts: readonly NameAddr[];
      readonly response: SipResponse;
    }
  | { readonly ok: false; readonly status: number; readonly response?: SipResponse };

/**
 * A UAC registration (RFC 3261 §10.2): binds our Contact to an address of record at a registrar, answering
 * its digest challenge, keeping one Call-ID with a growing CSeq for every REGISTER to it (§10.2.4), retrying
 * once with Min-Expires after a 423, and refreshing before the granted expiry. Requests are serialized: a
 * REGISTER waits for the previous one's final response (§10.2). The last challenge is answered again in
 * later REGISTERs (§22.1), so a refresh costs one round trip until the registrar's nonce grows stale.
 */
export class Registration {
  readonly aor: string;
  readonly callId: string;
  private readonly fromTag = newTag();
  private readonly destination: Destination;
  private readonly contactUri: string;
  private cseq = 0;
  private expires: number;
  private refreshTimer: TimerHandle | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private current = false;
  private readonly listeners = new Set<(outcome: RegistrationOutcome) => void>();
  /** The registrar's last challenge and how often its nonce was used: refreshes answer it at once (§22.1). */
  private challenge: { readonly response: SipResponse; uses: number } | undefined;

  constructor(
    private readonly host: RegistrationHost,
    private readonly options: RegistrationOptions,
  ) {
    const registrar = parseSipUri(options.registrar);
    const destination = options.destination ?? destinationOf(options.registrar);
    if (!registrar || !destination) {
      throw new DomainError("sip.invalid_registrar", "invalid", `Cannot register at ${options.registrar}.`);
    }
    const username = options.credentials?.username;
    const aor = options.aor ?? (username === undefined ? undefined : `${registrar.scheme}:${username}@${registrar.host}`);
    if (aor === undefined) throw new DomainError("sip.invalid_aor", "invalid", "A registration needs an AOR or a username.");
    this.aor = aor;
    this.destination = destination;
    this.contactUri = options.contact ?? host.contact(destination.protocol);
    this.callId = newCallId(host.localHost);
    this.expires = options.expires ?? 3600;
  }

  /** Whether the last REGISTER left our contact bound. */
  get registered(): boolean {
    return this.current;
  }

  /** Every outcome, refreshes included (a refresh failing means calls stop arriving). */
  onOutcome(listener: (outcome: RegistrationOutcome) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Registers (or refreshes) our contact for `expires` seconds. */
  register(expires = this.expires): Promise<RegistrationOutcome> {
    this.stopped = false;
    this.expires = expires;
    return this.enqueue(() => this.send(expires, true));
  }

  /** Removes our contact (Expires 0) and stops refreshing. */
  unregister(): Promise<RegistrationOutcome> {
    this.stop();
    return this.enqueue(() => this.send(0, false));
  }

  /** Stops refreshing; the binding lapses at its expiry. */
  stop(): void {
    this.stopped = true;
    this.refreshTimer?.cancel();
    this.refreshTimer = undefined;
  }

  private enqueue(task: () => Promise<RegistrationOutcome>): Promise<RegistrationOutcome> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async send(expires: number, retryBrief: boolean): Promise<RegistrationOutcome> {
    const response = await this.exchange(expires);
    if (response === "timeout" || response === "error") {
      return this.settle({ ok: false, status: response === "timeout" ? 408 : 503 }, expires);
    }
    if (response.status === 423 && retryBrief) {
      const minimum = Number.parseInt(response.headers.get("Min-Expires") ?? "", 10);
      if (Number.isInteger(minimum) && minimum > expires) return this.send(minimum, false);
    }
    if (response.status >= 300) return this.settle({ ok: false, status: response.status, response }, expires);
    const contacts = contactHeaders(response);
    const list = Array.isArray(contacts) ? contacts : [];
    const ours = list.find((contact) => sameUri(contact.uri, this.contactUri));
    const param = ours?.params.get("expires");
    const header = response.headers.get("Expires");
    const granted =
      expires === 0
        ? 0
        : param !== undefined && param !== null
          ? Number.parseInt(param, 10)
          : header !== undefined
            ? Number.parseInt(header, 10)
            : expires;
    return this.settle({ ok: true, expires: Number.isFinite(granted) ? granted : expires, contacts: list, response }, expires);
  }

  private settle(outcome: RegistrationOutcome, requested: number): RegistrationOutcome {
    this.current = outcome.ok ? outcome.expires > 0 : this.current && requested !== 0;
    this.refreshTimer?.cancel();
    this.refreshTimer = undefined;
    if (outcome.ok && outcome.expires > 0 && !this.stopped && (this.options.refresh ?? true)) {
      // Well before the end, so a lost request and its retransmissions still fit (at least half the time left).
      const seconds = Math.max(outcome.expires / 2, outcome.expires - 60);
      this.refreshTimer = this.host.scheduler.schedule(seconds * 1000, () => {
        this.refreshTimer = undefined;
        if (!this.stopped) void this.enqueue(() => this.send(this.expires, true));
      });
    }
    for (const listener of [...this.listeners]) {
      try {
        listener(outcome);
      } catch {
        // The application's listener must not break the refresh cycle.
      }
    }
    return outcome;
  }

  private exchange(expires: number): Promise<SipResponse | "timeout" | "error"> {
    this.cseq += 1;
    const headers = new SipHeaders([
      ["Max-Forwards", "70"],
      ["From", `<${this.aor}>;tag=${this.fromTag}`],
      ["To", `<${this.aor}>`],
      ["Call-ID", this.callId],
      ["CSeq", `${this.cseq} REGISTER`],
      ["Contact", `<${this.contactUri}>`],
      ["Expires", String(expires)],
      ["User-Agent", this.host.product],
    ]);
    const fresh: SipRequest = {
      type: "request",
      method: "REGISTER",
      uri: this.options.registrar,
      headers,
      body: Buffer.alloc(0),
    };
    const cached = this.challenge;
    const credentials = this.options.credentials;
    let request = fresh;
    if (cached && credentials) {
      cached.uses += 1;
      request = withCredentials(fresh, cached.response, credentials, cached.uses) ?? fresh;
    }
    return new Promise((resolve) => {
      sendWithDigest(
        request,
        {
          onResponse: (response) => {
            if (response.status >= 200) resolve(response);
          },
          onTimeout: () => resolve("timeout"),
          onTransportError: () => resolve("error"),
        },
        {
          send: (next, user) => this.host.sendRequest(next, this.destination, user),
          credentials: this.options.credentials,
          beforeRetry: (next) => {
            this.cseq = Math.max(this.cseq, cseqHeader(next)?.seq ?? this.cseq);
            return true;
          },
          onChallenge: (challenge) => {
            this.challenge = { response: challenge, uses: 1 };
          },
        },
      );
    });
  }
}
