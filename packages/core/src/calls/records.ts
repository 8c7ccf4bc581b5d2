/**
 * Call records: every call and each of its legs with timestamps, parties, trunk, result and hangup cause,
 * and a timeline of what happened on it (prompts played, keys collected, recordings, bridges, transfers).
 * The SIP server writes them as calls go (`startCall`, `addCallLeg`, `endCall`, `recordCallEvent`);
 * supervisors and admins read them.
 */
import { requireSupervisor } from "../identity/authorize.js";
import type { Principal } from "../identity/model.js";
import type { Page } from "../identity/ports.js";
import type { Clock } from "../kernel/clock.js";
import { DomainError, notFound } from "../kernel/domain-error.js";
import type { IdGenerator } from "../kernel/ids.js";
import type { CallFilter, CallRecordStore } from "./record-ports.js";

export const CALL_DIRECTIONS = ["inbound", "outbound", "internal"] as const;
export type CallDirection = (typeof CALL_DIRECTIONS)[number];

export const CALL_STATES = ["ringing", "answered", "ended"] as const;
export type CallState = (typeof CALL_STATES)[number];

/**
 * How a call ended: `completed` (answered, then hung up), `missed` (rang, nobody answered), `abandoned`
 * (the caller hung up before it was answered), `failed` (the platform or the network could not carry it),
 * `rejected` (refused: busy, not allowed, unknown number).
 */
export const CALL_RESULTS = ["completed", "missed", "abandoned", "failed", "rejected"] as const;
export type CallResult = (typeof CALL_RESULTS)[number];

export const LEG_ROLES = ["caller", "callee", "agent", "transfer"] as const;
export type LegRole = (typeof LEG_ROLES)[number];

export const LEG_PROTOCOLS = ["udp", "tcp", "webrtc"] as const;
export type LegProtocol = (typeof LEG_PROTOCOLS)[number];

/**
 * A call a customer makes from a conversation (the widget's "call us") names that conversation as its called
 * party: `conversation:<id>`. So the link survives restarts and reaches every node with the record.
 */
export const conversationCallee = (conversationId: string): string => `conversation:${conversationId}`;

/** The conversation a call was made from, read from its called party; null for other calls. */
export const conversationOfCall = (call: { readonly to: string }): string | null =>
  call.to.startsWith("conversation:") ? call.to.slice("conversation:".length) : null;

/** Why a call or a leg ended. */
export interface CallEndCause {
  readonly by: "caller" | "callee" | "platform";
  /** The SIP status when it never answered (486 busy, 487 cancelled, 408 no answer ...). */
  readonly status?: number;
  readonly reason: string;
}

/** One party's part in a call: its SIP dialog (or WebRTC session) from start to end. */
export interface LegRecord {
  readonly id: string;
  readonly callId: string;
  readonly role: LegRole;
  /** A SIP URI or a number. */
  readonly party: string;
  readonly sipCallId: string;
  readonly protocol: LegProtocol;
  readonly startedAt: Date;
  readonly answeredAt: Date | null;
  readonly endedAt: Date | null;
  readonly endReason: CallEndCause | null;
}

export interface CallRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly direction: CallDirection;
  /** The caller and the called party as dialled or presented. */
  readonly from: string;
  readonly to: string;
  /** The tenant's number the call came in on (or went out as). */
  readonly numberId: string | null;
  readonly trunkId: string | null;
  /** The flow that answered it. */
  readonly entry: string | null;
  readonly state: CallState;
  /** Set once the call ended. */
  readonly result: CallResult | null;
  readonly hangupCause: CallEndCause | null;
  readonly startedAt: Date;
  readonly answeredAt: Date | null;
  readonly endedAt: Date | null;
  /** From start to end, ringing included (the talk time is from `answeredAt`). */
  readonly durationMs: number | null;
  readonly recordingIds: readonly string[];
  /** By start. */
  readonly legs: readonly LegRecord[];
}

/** The call's timeline: `play.ended`, `collect.ended`, `record.ended`, `bridge.started`, `transfer` ... with JSON data. */
export interface CallEvent {
  readonly tenantId: string;
  readonly callId: string;
  /** 1, 2, ... per call, in append order. */
  readonly sequence: number;
  readonly type: string;
  readonly data: unknown;
  readonly at: Date;
}

export interface CallRecordDeps {
  readonly calls: CallRecordStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

export interface NewLegInput {
  /** The id of the leg's media (`CallLegMedia.id`), so media events name the leg; a new id when left out. */
  readonly id?: string;
  readonly role: LegRole;
  readonly party: string;
  readonly sipCallId: string;
  readonly protocol: LegProtocol;
}

export interface StartCallInput {
  readonly tenantId: string;
  /** A new id when left out. */
  readonly id?: string;
  readonly direction: CallDirection;
  readonly from: string;
  readonly to: string;
  readonly numberId?: string | null;
  readonly trunkId?: string | null;
  readonly entry?: string | null;
  /** The first leg (the caller's on an incoming call). */
  readonly leg?: NewLegInput;
}

const callNotFound = (id: string) => notFound("call", id);

const newLeg = (deps: CallRecordDeps, callId: string, input: NewLegInput, at: Date): LegRecord => ({
  id: input.id ?? deps.ids.next(),
  callId,
  role: input.role,
  party: input.party,
  sipCallId: input.sipCallId,
  protocol: input.protocol,
  startedAt: at,
  answeredAt: null,
  endedAt: null,
  endReason: null,
});

/** A call begins ringing (the SIP server, on an INVITE in or out). */
export async function startCall(deps: CallRecordDeps, input: StartCallInput): Promise<CallRecord> {
  const id = input.id ?? deps.ids.next();
  const now = deps.clock.now();
  return deps.calls.createCall({
    id,
    tenantId: input.tenantId,
    direction: input.direction,
    from: input.from,
    to: input.to,
    numberId: input.numberId ?? null,
    trunkId: input.trunkId ?? null,
    entry: input.entry ?? null,
    state: "ringing",
    result: null,
    hangupCause: null,
    startedAt: now,
    answeredAt: null,
    endedAt: null,
    durationMs: null,
    recordingIds: [],
    legs: input.leg ? [newLeg(deps, id, input.leg, now)] : [],
  });
}

async function existing(deps: CallRecordDeps, tenantId: string, callId: string): Promise<CallRecord> {
  const call = await deps.calls.getCall(tenantId, callId);
  if (!call) throw callNotFound(callId);
  return call;
}

/** The call is answered (by the platform's flow or a person); answering again keeps the first time. */
export async function answerCall(deps: CallRecordDeps, tenantId: string, callId: string): Promise<CallRecord> {
  const call = await existing(deps, tenantId, callId);
  if (call.state === "answered") return call;
  if (call.state === "ended") throw new DomainError("call.ended", "conflict", `The call ${callId} has ended.`);
  const updated = await deps.calls.updateCall(tenantId, callId, { state: "answered", answeredAt: deps.clock.now() });
  if (!updated) throw callNotFound(callId);
  return updated;
}

/**
 * The call is over: its result and cause are kept, its duration computed, and legs still open end with
 * the same cause. Ending an ended call changes nothing (a BYE and the flow's end may both report it).
 */
export async function endCall(
  deps: CallRecordDeps,
  tenantId: string,
  callId: string,
  end: { readonly result: CallResult; readonly cause: CallEndCause },
): Promise<CallRecord> {
  const call = await existing(deps, tenantId, callId);
  if (call.state === "ended") return call;
  const now = deps.clock.now();
  for (const leg of call.legs) {
    if (leg.endedAt === null) await deps.calls.updateLeg(tenantId, callId, leg.id, { endedAt: now, endReason: end.cause });
  }
  const updated = await deps.calls.updateCall(tenantId, callId, {
    state: "ended",
    result: end.result,
    hangupCause: end.cause,
    endedAt: now,
    durationMs: now.getTime() - call.startedAt.getTime(),
  });
  if (!updated) throw callNotFound(callId);
  return updated;
}

/** Another party joins the call (an agent's phone rings, a transfer target is dialled). */
export async function addCallLeg(deps: CallRecordDeps, tenantId: string, callId: string, input: NewLegInput): Promise<LegRecord> {
  const leg = await deps.calls.addLeg(tenantId, newLeg(deps, callId, input, deps.clock.now()));
  if (!leg) throw callNotFound(callId);
  return leg;
}

export async function answerCallLeg(deps: CallRecordDeps, tenantId: string, callId: string, legId: string): Promise<LegRecord> {
  const leg = await deps.calls.updateLeg(tenantId, callId, legId, { answeredAt: deps.clock.now() });
  if (!leg) throw notFound("call_leg", legId);
  return leg;
}

export async function endCallLeg(
  deps: CallRecordDeps,
  tenantId: string,
  callId: string,
  legId: string,
  reason: CallEndCause,
): Promise<LegRecord> {
  const leg = await deps.calls.updateLeg(tenantId, callId, legId, { endedAt: deps.clock.now(), endReason: reason });
  if (!leg) throw notFound("call_leg", legId);
  return leg;
}

/** A recording made on the call (`RecordingStore.save` gave its id). */
export async function addCallRecording(
  deps: CallRecordDeps,
  tenantId: string,
  callId: string,
  recordingId: string,
): Promise<CallRecord> {
  const call = await existing(deps, tenantId, callId);
  if (call.recordingIds.includes(recordingId)) return call;
  const updated = await deps.calls.updateCall(tenantId, callId, { recordingIds: [...call.recordingIds, recordingId] });
  if (!updated) throw callNotFound(callId);
  return updated;
}

/** Appends to the call's timeline, e.g. a `MediaEvent` as it is reported: `recordCallEvent(deps, t, c, e.type, e)`. */
export async function recordCallEvent(
  deps: CallRecordDeps,
  tenantId: string,
  callId: string,
  type: string,
  data: unknown,
): Promise<CallEvent> {
  const [event] = (await deps.calls.appendCallEvents(tenantId, callId, [{ type, data, at: deps.clock.now() }])) ?? [];
  if (!event) throw callNotFound(callId);
  return event;
}

/** A call with its legs (supervisors and admins). */
export async function getCallRecord(deps: CallRecordDeps, principal: Principal, id: string): Promise<CallRecord> {
  const { tenantId } = requireSupervisor(principal);
  return existing(deps, tenantId, id);
}

/** The tenant's calls, newest first (supervisors and admins). */
export async function listCallRecords(
  deps: CallRecordDeps,
  principal: Principal,
  filter: CallFilter,
  options: { after?: string; limit: number },
): Promise<Page<CallRecord>> {
  const { tenantId } = requireSupervisor(principal);
  return deps.calls.listCalls(tenantId, filter, options);
}

/** A call's timeline, in order (supervisors and admins). */
export async function callTimeline(
  deps: CallRecordDeps,
  principal: Principal,
  id: string,
  options: { after: number; limit: number },
): Promise<readonly CallEvent[]> {
  const { tenantId } = requireSupervisor(principal);
  await existing(deps, tenantId, id);
  return deps.calls.listCallEvents(tenantId, id, options.after, options.limit);
}
