import type { SipBinding, SipLocationStore } from "@switchboard/core";
import { type Scheduler, systemScheduler, type TimerHandle } from "../../scheduler/scheduler.js";
import type { DigestAuthenticator } from "../auth/digest-authenticator.js";
import { newTag } from "../dialog/ids.js";
import { cseqHeader } from "../message/cseq.js";
import type { SipRequest, SipResponse } from "../message/model.js";
import { contactHeaders, formatNameAddr, type NameAddr, toHeader } from "../message/name-addr.js";
import { createResponse } from "../message/response.js";
import type { Destination, Source } from "../transaction/model.js";
import { decodedUser, parseSipUri } from "../uri/uri.js";
import { sameUri } from "../uri/uri-equals.js";
import { addressOfRecord } from "./address-of-record.js";

export interface RegistrarOptions {
  /** Where bindings are kept: `MemoryLocationService`, or a database so that they survive restarts. */
  readonly location: SipLocationStore;
  /** Challenges every REGISTER (401). Without one the registrar is open: for tests and closed networks only. */
  readonly authenticator?: DigestAuthenticator;
  readonly scheduler?: Scheduler;
  /**
   * Clock of `expiresAt` (default the scheduler's). A location store that outlives the process or is shared
   * by nodes wants wall time (`Date.now`): the scheduler's clock starts again at each start.
   */
  readonly clock?: () => number;
  /** Told when removing an expired binding fails (the store is down); the binding is dropped at the next `resume`. */
  readonly onError?: (error: unknown) => void;
  /** Shorter requests get 423 Interval Too Brief (default 60 s). */
  readonly minExpires?: number;
  /** Longer requests are shortened to this (default 3600 s). */
  readonly maxExpires?: number;
  /** When neither the Contact nor the request says (default 3600 s, RFC 3261 §10.2.1.1). */
  readonly defaultExpires?: number;
  /** Contacts one address of record keeps; past it the soonest to expire are dropped (default 10). */
  readonly maxContacts?: number;
  /**
   * One domain for every address of record, whatever host a phone wrote in To (`sip:1001@192.0.2.10` and
   * `sip:1001@pbx.example` are then both `sip:1001@<domain>`): for a deployment whose usernames are unique
   * and which phones reach by several addresses. Default: the host as written.
   */
  readonly domain?: string;
  /** Domains this registrar serves (Request-URI host); others get 404. Default: every domain. */
  readonly servesDomain?: (host: string) => boolean;
  /** Whether an authenticated account may change an AOR's bindings (default: the AOR's user is the username). */
  readonly mayRegister?: (username: string, aor: string) => boolean | Promise<boolean>;
}

export type RegistrarEvent =
  | { readonly kind: "registered"; readonly binding: SipBinding; readonly refreshed: boolean }
  | { readonly kind: "unregistered"; readonly binding: SipBinding; readonly reason: "request" | "evicted" }
  | { readonly kind: "expired"; readonly binding: SipBinding };

/** A registered contact, ready to be called: the URI for the Request-URI, and where the phone really is. */
export interface RegisteredContact {
  readonly uri: string;
  /** The source the phone registered from (it may sit behind NAT; its Contact may be a private address). */
  readonly destination: Destination;
  readonly expiresInSeconds: number;
  readonly q: number;
  readonly binding: SipBinding;
}

const MAX_DELTA = 2 ** 32 - 1;

interface ContactRequest {
  readonly addr: NameAddr;
  readonly expires: number;
  readonly q: number | undefined;
}

type Parsed =
  | { readonly ok: true; readonly contacts: readonly ContactRequest[] | "*" }
  | { readonly ok: false; readonly response: SipResponse };

/**
 * A registrar (RFC 3261 §10.3): REGISTER requests authenticate by digest, then add, refresh or remove
 * bindings of their address of record, all or nothing. Each contact's expiry is its `expires` parameter or the
 * Expires header or the default; a positive one below the minimum fails the whole request with 423 and
 * Min-Expires, above the maximum it is shortened. `Contact: *` with `Expires: 0` removes every binding. A
 * request older (same Call-ID, lower or equal CSeq) than what a binding holds fails with 500. The 200 lists
 * every current contact with the seconds it has left. Bindings remember the address and transport they came
 * from, so calls reach a phone behind NAT.
 *
 * Expiry: reads (`contacts`, and each REGISTER's view of the current bindings) ignore bindings past their
 * `expiresAt`, so a stale one is never used, whoever wrote it. Removing them from the location store is the
 * scheduler's job: a timer per binding this registrar wrote, and `resume` at start for the ones it found
 * there (written before a restart, or by another node): it removes the expired ones and times the others.
 */
export class Registrar {
  private readonly scheduler: Scheduler;
  private readonly clock: () => number;
  private readonly minExpires: number;
  private readonly maxExpires: number;
  private readonly defaultExpires: number;
  private readonly maxContacts: number;
  private readonly timers = new Map<string, TimerHandle>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly listeners = new Set<(event: RegistrarEvent) => void>();
  private closed = false;

  constructor(private readonly options: RegistrarOptions) {
    this.scheduler = options.scheduler ?? systemScheduler;
    this.clock = options.clock ?? (() => this.scheduler.now());
    this.minExpires = options.minExpires ?? 60;
    this.maxExpires = Math.max(options.maxExpires ?? 3600, this.minExpires);
    this.defaultExpires = Math.min(options.defaultExpires ?? 3600, this.maxExpires);
    this.maxContacts = options.maxContacts ?? 10;
  }

  onEvent(listener: (event: RegistrarEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Serves one REGISTER; the user agent's `onRegister` (bound: `(request, source) => registrar.handle(request, source)`). */
  async handle(request: SipRequest, source: Source): Promise<SipResponse> {
    const reply = (status: number, reason?: string) =>
      createResponse(request, status, { toTag: newTag(), ...(reason === undefined ? {} : { reason }) });
    if (request.method !== "REGISTER") return reply(405);
    // Step 1: the Request-URI names the domain whose location service is asked.
    const target = parseSipUri(request.uri);
    if (!target) return reply(400, "Bad Request-URI");
    if (this.options.servesDomain && !this.options.servesDomain(target.host)) return reply(404, "Domain Not Served");
    // Step 3: who is asking.
    let username: string | undefined;
    if (this.options.authenticator) {
      const outcome = await this.options.authenticator.authenticate(request, source, { kind: "www" });
      if (outcome.kind !== "authenticated") return outcome.response;
      username = outcome.username;
    }
    // Step 5: the address of record is the To.
    const to = toHeader(request);
    if (!to) return reply(400, "Bad To");
    const aor = this.addressOfRecord(to.uri);
    if (aor === undefined) return reply(404, "Not a SIP Address of Record");
    // Step 4: may this account change these bindings?
    if (username !== undefined && !(await this.mayRegister(username, aor))) return reply(403);
    const callId = request.headers.get("Call-ID");
    const cseq = cseqHeader(request);
    if (callId === undefined || !cseq) return reply(400);
    const parsed = this.parseContacts(request);
    if (!parsed.ok) return parsed.response;
    return this.locked(aor, () => this.apply(request, source, aor, callId, cseq.seq, parsed.contacts, username));
  }

  /** The contacts of an address of record (any URI form), most preferred first. */
  async contacts(aor: string): Promise<RegisteredContact[]> {
    const key = this.addressOfRecord(aor) ?? aor;
    const now = this.clock();
    const live = (await this.options.location.bindings(key)).filter((binding) => binding.expiresAt > now);
    return live
      .sort((a, b) => (b.q ?? 1) - (a.q ?? 1) || b.registeredAt - a.registeredAt)
      .map((binding) => ({
        uri: binding.contact,
        destination: { protocol: binding.source.protocol, host: binding.source.address, port: binding.source.port },
        expiresInSeconds: Math.ceil((binding.expiresAt - now) / 1000),
        q: binding.q ?? 1,
        binding,
      }));
  }

  /**
   * Takes over the bindings already in the location store (written before a restart, or by another node):
   * removes those past their expiry, emitting `expired`, and schedules the expiry of the others as if this
   * registrar had written them. Run once at start; running it again does no harm.
   */
  async resume(): Promise<void> {
    for (const aor of await this.options.location.addresses()) {
      if (this.closed) return;
      await this.locked(aor, async () => {
        const now = this.clock();
        const current = await this.options.location.bindings(aor);
        const live = current.filter((binding) => binding.expiresAt > now);
        if (live.length < current.length) await this.options.location.replace(aor, live);
        for (const binding of current) if (!live.includes(binding)) this.emit({ kind: "expired", binding });
        for (const binding of live) this.schedule(binding);
      });
    }
  }

  /** Stops the expiry timers (bindings stay in the location service). */
  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
  }

  /** The key of an AOR's bindings: canonical (RFC 3261 §10.3 step 5), in the configured domain if any. */
  private addressOfRecord(uri: string): string | undefined {
    const canonical = addressOfRecord(uri);
    const domain = this.options.domain;
    if (canonical === undefined || domain === undefined) return canonical;
    return `${canonical.slice(0, canonical.lastIndexOf("@"))}@${domain.toLowerCase()}`;
  }

  private async mayRegister(username: string, aor: string): Promise<boolean> {
    if (this.options.mayRegister) return this.options.mayRegister(username, aor);
    const uri = parseSipUri(aor);
    return uri !== undefined && decodedUser(uri) === username;
  }

  /** Steps 6 and 7, without touching any binding yet: a request that fails changes nothing. */
  private parseContacts(request: SipRequest): Parsed {
    const bad = (reason: string): Parsed => ({ ok: false, response: createResponse(request, 400, { toTag: newTag(), reason }) });
    const expiresValue = request.headers.get("Expires");
    const headerExpires = expiresValue === undefined ? undefined : deltaSeconds(expiresValue);
    if (expiresValue !== undefined && headerExpires === undefined) return bad("Bad Expires");
    const contacts = contactHeaders(request);
    if (contacts === undefined) {
      // `*` among other contacts: contactHeaders cannot parse it as a name-addr.
      return bad(request.headers.getAll("Contact").includes("*") ? "Wildcard Contact Must Be Alone" : "Bad Contact");
    }
    if (contacts === "*") {
      if (headerExpires !== 0) return bad("Wildcard Contact Needs Expires 0");
      return { ok: true, contacts: "*" };
    }
    const out: ContactRequest[] = [];
    for (const addr of contacts) {
      if (!parseSipUri(addr.uri) && !addr.uri.toLowerCase().startsWith("tel:")) return bad("Bad Contact URI");
      const param = addr.params.get("expires");
      const own = param === undefined || param === null ? undefined : deltaSeconds(param);
      if (param !== undefined && own === undefined) return bad("Bad Contact Expires");
      const qText = addr.params.get("q");
      const q = qText === undefined || qText === null ? undefined : qvalue(qText);
      if (qText !== undefined && q === undefined) return bad("Bad Contact q");
      const requested = own ?? headerExpires ?? this.defaultExpires;
      if (requested > 0 && requested < this.minExpires && requested < 3600) {
        return {
          ok: false,
          response: createResponse(request, 423, {
            toTag: newTag(),
            reason: "Interval Too Brief",
            headers: [["Min-Expires", String(this.minExpires)]],
          }),
        };
      }
      out.push({ addr, expires: Math.min(requested, this.maxExpires), q });
    }
    return { ok: true, contacts: out };
  }

  private async apply(
    request: SipRequest,
    source: Source,
    aor: string,
    callId: string,
    cseq: number,
    contacts: readonly ContactRequest[] | "*",
    username: string | undefined,
  ): Promise<SipResponse> {
    const now = this.clock();
    const current = (await this.options.location.bindings(aor)).filter((binding) => binding.expiresAt > now);
    const outOfOrder = (binding: SipBinding) => binding.callId === callId && cseq <= binding.cseq;
    const events: RegistrarEvent[] = [];
    let next: SipBinding[];
    if (contacts === "*") {
      if (current.some(outOfOrder)) return createResponse(request, 500, { toTag: newTag(), reason: "Out of Order" });
      next = [];
      for (const binding of current) events.push({ kind: "unregistered", binding, reason: "request" });
    } else {
      next = [...current];
      for (const contact of contacts) {
        const at = next.findIndex((binding) => sameUri(binding.contact, contact.addr.uri));
        const existing = at === -1 ? undefined : next[at];
        if (existing && outOfOrder(existing)) return createResponse(request, 500, { toTag: newTag(), reason: "Out of Order" });
        if (contact.expires === 0) {
          if (existing) {
            next.splice(at, 1);
            events.push({ kind: "unregistered", binding: existing, reason: "request" });
          }
          continue;
        }
        const instance = contact.addr.params.get("+sip.instance");
        const userAgent = request.headers.get("User-Agent");
        const binding: SipBinding = {
          aor,
          contact: contact.addr.uri,
          callId,
          cseq,
          expiresAt: now + contact.expires * 1000,
          registeredAt: existing?.registeredAt ?? now,
          source: { protocol: source.protocol, address: source.address, port: source.port },
          ...(contact.q === undefined ? {} : { q: contact.q }),
          ...(username === undefined ? {} : { username }),
          ...(instance === undefined || instance === null ? {} : { instance }),
          ...(userAgent === undefined ? {} : { userAgent }),
        };
        if (existing) next[at] = binding;
        else next.push(binding);
        events.push({ kind: "registered", binding, refreshed: existing !== undefined });
      }
      // A phone that changed address without removing its old contact should not lock itself out.
      while (next.length > this.maxContacts) {
        const soonest = next.reduce((a, b) => (b.expiresAt < a.expiresAt ? b : a));
        next.splice(next.indexOf(soonest), 1);
        events.push({ kind: "unregistered", binding: soonest, reason: "evicted" });
      }
    }
    await this.options.location.replace(aor, next);
    const kept = new Set(next.map(bindingKey));
    for (const binding of current) if (!kept.has(bindingKey(binding))) this.unschedule(binding);
    for (const binding of next) if (!current.includes(binding)) this.schedule(binding);
    for (const event of events) {
      // A binding added and evicted by the same request was never really there.
      if (event.kind === "registered" && !next.includes(event.binding)) continue;
      if (event.kind === "unregistered" && event.reason === "evicted" && !current.includes(event.binding)) continue;
      this.emit(event);
    }
    return createResponse(request, 200, {
      toTag: newTag(),
      headers: [
        ...next.map((binding): [string, string] => [
          "Contact",
          `${formatNameAddr({ uri: binding.contact, params: new Map(contactParams(binding)) })};expires=${Math.max(
            0,
            Math.ceil((binding.expiresAt - now) / 1000),
          )}`,
        ]),
        ["Date", new Date().toUTCString()],
      ],
    });
  }

  private schedule(binding: SipBinding): void {
    if (this.closed) return;
    const key = bindingKey(binding);
    this.timers.get(key)?.cancel();
    this.timers.set(
      key,
      this.scheduler.schedule(Math.max(0, binding.expiresAt - this.clock()), () => {
        this.timers.delete(key);
        this.expire(binding).catch((error: unknown) => this.options.onError?.(error));
      }),
    );
  }

  private unschedule(binding: SipBinding): void {
    const key = bindingKey(binding);
    this.timers.get(key)?.cancel();
    this.timers.delete(key);
  }

  private async expire(binding: SipBinding): Promise<void> {
    await this.locked(binding.aor, async () => {
      const current = await this.options.location.bindings(binding.aor);
      const key = bindingKey(binding);
      // Refreshed or removed meanwhile: not this binding's expiry any more.
      const still = current.find((b) => bindingKey(b) === key && b.expiresAt === binding.expiresAt);
      if (!still) return;
      await this.options.location.replace(
        binding.aor,
        current.filter((b) => b !== still),
      );
      this.emit({ kind: "expired", binding: still });
    });
  }

  private locked<T>(aor: string, task: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(aor) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.catch(() => undefined);
    this.locks.set(aor, tail);
    void tail.then(() => {
      if (this.locks.get(aor) === tail) this.locks.delete(aor);
    });
    return run;
  }

  private emit(event: RegistrarEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A logger's failure must not undo a registration.
      }
    }
  }
}

function bindingKey(binding: SipBinding): string {
  return `${binding.aor}\n${binding.contact}`;
}

function contactParams(binding: SipBinding): [string, string | null][] {
  const params: [string, string | null][] = [];
  if (binding.q !== undefined) params.push(["q", String(binding.q)]);
  if (binding.instance !== undefined) params.push(["+sip.instance", binding.instance]);
  return params;
}

/** RFC 3261 delta-seconds; values beyond 2**32-1 count as 2**32-1 (§20.19). */
function deltaSeconds(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d{1,20}$/.test(trimmed)) return undefined;
  return Math.min(Number(trimmed), MAX_DELTA);
}

/** RFC 3261 qvalue: 0 to 1 with up to three decimals. */
function qvalue(text: string): number | undefined {
  return /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(text.trim()) ? Number(text.trim()) : undefined;
}
