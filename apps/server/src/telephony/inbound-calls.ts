import * as core from "@switchboard/core";
import { Call, type CallOptions, type IncomingLeg, parseUri, type SipLegMedia } from "@switchboard/telephony";
import type { CallEntry, CallLog } from "./call-log.js";

/** The trunk that stands for "anyone on 127.0.0.1" on the embedded default (see `trustsLoopback`). */
export const LOOPBACK_TRUNK_ID = "loopback-demo";

export interface InboundCallsDeps {
  readonly telephony: core.TelephonyDeps;
  readonly log: CallLog;
  readonly dialer: core.Dialer;
  readonly mixer: core.MediaMixer;
  readonly media: CallOptions;
  /** A leg a flow can drive, for an answered call. */
  legFor(call: Call, leg: { readonly legId: string; readonly tenantId: string; readonly callId: string }): SipLegMedia;
  /** Whether the SIP account has a registration from this address (a phone on the loopback demo trunk). */
  registeredFrom(username: string, address: string): Promise<boolean>;
  /** The tenant each configured trunk belongs to. */
  trunkTenant(trunkId: string): string | undefined;
  newId(): string;
  /** Auto attendants, call queues and voicemail; without them only built-in flows answer numbers. */
  readonly flows?: Omit<core.CallFlowDeps, "onResult">;
  /** Park and pickup: a phone transfers a call to the park code, any phone dials the orbit to take it. */
  readonly parking?: core.ParkingLot;
  /** Where a flow's connected calls are registered while they last (the API controls them). */
  readonly liveCalls?: core.LiveCalls<core.CallTarget>;
  readonly logger: { info(data: object, message: string): void; warn(data: object, message: string): void };
}

/**
 * What happens to a new incoming call: the dialled number names the tenant and what answers it (a flow),
 * the caller must be allowed to reach that tenant (its trunk, the loopback demo trunk, or one of the
 * tenant's own phones), the call is recorded from the first ring, answered, and run by its flow. A phone
 * that dials an extension of its tenant is put through to that extension's phones instead.
 */
export class InboundCalls {
  constructor(private readonly deps: InboundCallsDeps) {}

  async handle(leg: IncomingLeg): Promise<void> {
    const dialled = userPart(leg.requestUri);
    const account = await this.callerAccount(leg);
    const target = dialled === undefined ? undefined : core.readDialled(dialled, account ? "phone" : "trunk");
    const number = target?.kind === "number" ? await this.deps.telephony.phoneNumbers.findByE164(target.e164) : undefined;
    if (number === undefined) {
      if (account && target?.kind === "extension") return this.extensionCall(leg, account, target.extension);
      this.deps.logger.info({ to: leg.requestUri, from: leg.from?.uri }, "call to an unknown number");
      leg.reject(404, "Not Found");
      return;
    }
    const trunkId = this.admittingTrunk(leg, number, account);
    if (trunkId === false) {
      this.deps.logger.warn(
        { to: number.e164, from: leg.from?.uri, source: leg.source.address },
        "call refused: caller may not reach this number",
      );
      leg.reject(403, "Forbidden");
      return;
    }
    const callId = this.deps.newId();
    const callerLegId = this.deps.newId();
    const from = leg.from ? (userPart(leg.from.uri) ?? leg.from.uri) : "anonymous";
    const entry = this.deps.log.start({
      id: callId,
      tenantId: number.tenantId,
      direction: account ? "internal" : "inbound",
      from,
      to: number.e164,
      numberId: number.id,
      trunkId: trunkId === LOOPBACK_TRUNK_ID ? null : trunkId,
      entry: entryName(number.entry),
      leg: {
        id: callerLegId,
        role: "caller",
        party: leg.from?.uri ?? "anonymous",
        sipCallId: leg.callId,
        protocol: leg.protocol,
      },
    });
    const answered = await Call.answer(leg, { ...this.deps.media, ring: true });
    if (!answered.ok) {
      await entry.ended(answered.status === 487 ? "abandoned" : "failed", {
        by: answered.status === 487 ? "caller" : "platform",
        status: answered.status,
        reason: answered.reason,
      });
      return;
    }
    const media = this.deps.legFor(answered.call, { legId: callerLegId, tenantId: number.tenantId, callId });
    if ((await answered.confirmed) !== "confirmed") {
      await media.hangup("no ACK");
      await entry.ended("failed", { by: "platform", reason: "the caller never acknowledged the answer" });
      return;
    }
    entry.answered();
    entry.legAnswered(callerLegId);
    await this.runFlow(number.entry, media, entry, from);
  }

  /**
   * Runs the call from `start` (what a number answers with, or a web call's queue) to its end, every step's
   * result on the call's timeline, then ends the record.
   */
  async runFlow(
    start: core.NumberEntry,
    media: core.CallLegMedia,
    entry: CallEntry,
    caller: string,
    onConnected?: (connection: core.CallConnection<core.CallTarget>) => void,
  ): Promise<void> {
    let outcome: string;
    const context = { tenantId: entry.tenantId, callId: entry.callId, caller };
    try {
      if (start.kind === "flow" && start.flow === "demo") {
        outcome = await core.runDemoFlow(media, { dialer: this.deps.dialer, mixer: this.deps.mixer }, context);
      } else if (start.kind !== "flow" && this.deps.flows) {
        // Each step's result (attendant, queue, person, voicemail) goes on the call's timeline for reports.
        const end = await core.runCallFlow(
          media,
          start,
          {
            ...this.deps.flows,
            onResult: (r) => entry.note(`flow.${r.kind}`, r),
            ...(this.deps.liveCalls ? { connections: this.deps.liveCalls } : {}),
            onConnected: (connection) => {
              this.deps.liveCalls?.add(connection);
              onConnected?.(connection);
            },
            onConnectionEvent: (event) => entry.connectionEvent(event),
          },
          context,
        );
        outcome = end === "parked" ? "parked" : "completed";
      } else {
        await media.play([{ kind: "speech", text: "This number is not in service. Goodbye." }]);
        outcome = "no-flow";
      }
    } catch (error) {
      this.deps.logger.warn({ err: error, callId: entry.callId }, "the call flow failed");
      outcome = "flow-failed";
    }
    entry.note("flow.ended", { flow: entryName(start), outcome });
    // A parked caller lives on in its orbit: its record ends when it does.
    if (outcome !== "parked" && !(await core.hasEnded(media))) await media.hangup("the flow ended");
    const cause = await media.ended;
    await entry.ended("completed", { by: cause.by === "party" ? "caller" : "platform", reason: cause.reason });
  }

  /**
   * The phone calling, if a phone is: one that authenticated, or, from the loopback demo trunk (trusted, so
   * never challenged), the account its From names when that account is registered from the same address.
   */
  private async callerAccount(leg: IncomingLeg): Promise<core.SipAccount | undefined> {
    const caller = leg.caller;
    if (caller?.kind === "user") return this.deps.telephony.sipAccounts.findByUsername(caller.username);
    if (caller?.kind !== "trunk" || !caller.trunks.some((t) => t.id === LOOPBACK_TRUNK_ID) || !leg.from) return undefined;
    const username = userPart(leg.from.uri);
    const account = username === undefined ? undefined : await this.deps.telephony.sipAccounts.findByUsername(username);
    return account && (await this.deps.registeredFrom(account.username, leg.source.address)) ? account : undefined;
  }

  /**
   * Which trunk lets this caller reach the number's tenant: the loopback demo trunk reaches every number,
   * a tenant's trunk reaches its numbers (a BYOC number only through its own trunk), a tenant's phone
   * reaches its own tenant's numbers. False when none does. Without access checks (no caller), any.
   */
  private admittingTrunk(
    leg: IncomingLeg,
    number: core.PhoneNumber,
    account: core.SipAccount | undefined,
  ): string | null | false {
    const caller = leg.caller;
    if (caller === undefined) return null;
    if (caller.kind === "user") return account?.tenantId === number.tenantId ? null : false;
    const ids = caller.trunks.map((t) => t.id);
    if (ids.includes(LOOPBACK_TRUNK_ID)) return LOOPBACK_TRUNK_ID;
    const tenantTrunks = ids.filter((id) => this.deps.trunkTenant(id) === number.tenantId);
    if (number.trunkId !== null) return tenantTrunks.includes(number.trunkId) ? number.trunkId : false;
    return tenantTrunks[0] ?? false;
  }

  /** A registered phone dials an extension of its own tenant: ring its phones, then connect the two. */
  private async extensionCall(leg: IncomingLeg, account: core.SipAccount, extension: string): Promise<void> {
    if (this.deps.parking?.isOrbit(extension)) return this.pickUp(leg, account, extension);
    const callId = this.deps.newId();
    const callerLegId = this.deps.newId();
    const entry = this.deps.log.start({
      id: callId,
      tenantId: account.tenantId,
      direction: "internal",
      from: account.extension,
      to: extension,
      leg: {
        id: callerLegId,
        role: "caller",
        party: leg.from?.uri ?? account.username,
        sipCallId: leg.callId,
        protocol: leg.protocol,
      },
    });
    leg.ring();
    const cancelled = new Promise<void>((resolve) => leg.onEnded(() => resolve()));
    const outcome = await this.deps.dialer.dial(
      { kind: "extension", extension },
      { tenantId: account.tenantId, callId, callerId: account.extension, callerName: account.displayName, abandon: cancelled },
    );
    if (!outcome.ok) {
      const status = outcome.status ?? (outcome.failure === "not-registered" ? 480 : 500);
      leg.reject(outcome.failure === "not-registered" ? 480 : status);
      const result =
        outcome.failure === "cancelled"
          ? "abandoned"
          : outcome.failure === "rejected" || outcome.failure === "busy"
            ? "rejected"
            : "missed";
      await entry.ended(result, { by: outcome.failure === "cancelled" ? "caller" : "callee", status, reason: outcome.failure });
      return;
    }
    const answered = await Call.answer(leg, this.deps.media);
    if (!answered.ok) {
      await outcome.leg.hangup("the caller hung up");
      await entry.ended("abandoned", { by: "caller", status: answered.status, reason: answered.reason });
      return;
    }
    const caller = this.deps.legFor(answered.call, { legId: callerLegId, tenantId: account.tenantId, callId });
    entry.answered();
    entry.legAnswered(callerLegId);
    await this.connect(
      entry,
      caller,
      { leg: outcome.leg, extension },
      { tenantId: account.tenantId, callId, callerId: account.extension, callerName: account.displayName },
    );
    const callerEnd = await caller.ended;
    await entry.ended("completed", { by: callerEnd.by === "party" ? "caller" : "callee", reason: callerEnd.reason });
  }

  /** A phone dials a parking orbit: the call waiting there is answered by it (nothing waits: 404). */
  private async pickUp(leg: IncomingLeg, account: core.SipAccount, orbit: string): Promise<void> {
    const parking = this.deps.parking as core.ParkingLot;
    const parked = parking.pickUp(account.tenantId, orbit);
    if (!parked) {
      leg.reject(404, "Not Found");
      return;
    }
    const callId = this.deps.newId();
    const pickerLegId = this.deps.newId();
    const entry = this.deps.log.start({
      id: callId,
      tenantId: account.tenantId,
      direction: "internal",
      from: account.extension,
      to: orbit,
      leg: {
        id: pickerLegId,
        role: "caller",
        party: leg.from?.uri ?? account.username,
        sipCallId: leg.callId,
        protocol: leg.protocol,
      },
    });
    const answered = await Call.answer(leg, this.deps.media);
    if (!answered.ok) {
      // The picker gave up before the answer: the call goes back to an orbit.
      await parking.park(parked.caller, { tenantId: account.tenantId, callId: parked.callId, extension: undefined });
      await entry.ended("abandoned", { by: "caller", status: answered.status, reason: answered.reason });
      return;
    }
    const picker = this.deps.legFor(answered.call, { legId: pickerLegId, tenantId: account.tenantId, callId });
    entry.answered();
    entry.legAnswered(pickerLegId);
    entry.note("call.picked_up", { orbit, parkedCallId: parked.callId });
    await parked.caller.resume();
    await this.connect(
      this.deps.log.find(parked.callId) ?? entry,
      parked.caller,
      { leg: picker, extension: account.extension },
      { tenantId: account.tenantId, callId: parked.callId, callerId: account.extension },
    );
    const end = await picker.ended;
    await entry.ended("completed", { by: end.by === "party" ? "caller" : "callee", reason: end.reason });
  }

  /** Connects a caller and a party for as long as they talk, the connection controllable by the API. */
  async connect(
    entry: CallEntry,
    caller: core.CallLegMedia,
    party: core.PartyInput,
    dial: Omit<core.DialOptions, "abandon">,
  ): Promise<void> {
    const liveCalls = this.deps.liveCalls;
    const connection = new core.CallConnection<core.CallTarget>(
      caller,
      party,
      { ...this.deps, ...(liveCalls ? { connections: liveCalls } : {}) },
      dial,
      { onEvent: (event) => entry.connectionEvent(event) },
    );
    liveCalls?.add(connection);
    await connection.done;
  }
}

/** The user part of a SIP or tel URI: the number or extension dialled. */
export function userPart(uri: string): string | undefined {
  const parsed = parseUri(uri);
  if (!parsed.ok) return undefined;
  if (parsed.uri.scheme === "tel") return parsed.uri.number;
  const user = parsed.uri.user;
  if (user === undefined) return undefined;
  try {
    return decodeURIComponent(user.split(";")[0] ?? user);
  } catch {
    return undefined;
  }
}

/** Where a phone's transfer (a REFER's target URI or number) goes: an extension or a number (`readDialled`). */
export function dialTargetOf(uriOrNumber: string): core.DialTarget | undefined {
  const dialled = uriOrNumber.includes(":") ? userPart(uriOrNumber) : uriOrNumber;
  return dialled === undefined ? undefined : core.readDialled(dialled, "phone");
}

/** How a number's entry is named on its calls' records: the built-in flow, or the target's kind and id. */
export function entryName(entry: core.NumberEntry): string {
  switch (entry.kind) {
    case "flow":
      return entry.flow;
    case "auto_attendant":
      return `auto_attendant:${entry.autoAttendantId}`;
    case "queue":
      return `queue:${entry.queueId}`;
    case "person":
      return `person:${entry.extension}`;
    case "voicemail":
      return `voicemail:${entry.mailboxId}`;
    case "external_number":
      return `external_number:${entry.number}`;
    case "disconnect":
      return "disconnect";
  }
}
