import type { Page } from "../identity/ports.js";
import type { CallDirection, CallEvent, CallRecord, CallResult, CallState, LegRecord } from "./records.js";

export interface CallFilter {
  readonly direction?: CallDirection;
  readonly result?: CallResult;
  readonly state?: CallState;
  readonly numberId?: string;
  /** Calls that started at or after this time. */
  readonly since?: Date;
  /** Calls that started before this time. */
  readonly until?: Date;
}

/** The fields of a call that change as it goes on; a field left out stays, `null` clears. */
export type CallPatch = Partial<
  Pick<
    CallRecord,
    | "to"
    | "numberId"
    | "trunkId"
    | "entry"
    | "state"
    | "result"
    | "hangupCause"
    | "answeredAt"
    | "endedAt"
    | "durationMs"
    | "recordingIds"
  >
>;

export type LegPatch = Partial<Pick<LegRecord, "party" | "sipCallId" | "answeredAt" | "endedAt" | "endReason">>;

/**
 * Call records (CDRs): each call with its legs, and its timeline of events. Every method takes the
 * tenant and never touches another tenant's calls.
 */
export interface CallRecordStore {
  /** Creates the call with the legs it has; fails with `tenant.not_found` for an unknown tenant. */
  createCall(call: CallRecord): Promise<CallRecord>;
  /** Applies the patch; undefined when the tenant has no such call. */
  updateCall(tenantId: string, id: string, patch: CallPatch): Promise<CallRecord | undefined>;
  /** Adds a leg to the call named by `leg.callId`; undefined when the tenant has no such call. */
  addLeg(tenantId: string, leg: LegRecord): Promise<LegRecord | undefined>;
  /** Undefined when the call has no such leg. */
  updateLeg(tenantId: string, callId: string, legId: string, patch: LegPatch): Promise<LegRecord | undefined>;
  /**
   * Appends to the call's timeline, in order, with the next sequences (1, 2, ...), in one write; undefined
   * when the tenant has no such call.
   */
  appendCallEvents(
    tenantId: string,
    callId: string,
    events: readonly { readonly type: string; readonly data: unknown; readonly at: Date }[],
  ): Promise<readonly CallEvent[] | undefined>;
  /** With its legs, by start. */
  getCall(tenantId: string, id: string): Promise<CallRecord | undefined>;
  /** Newest first (by start, then id), with their legs; the cursor is `<startedAt ISO>|<id>`. */
  listCalls(tenantId: string, filter: CallFilter, options: { after?: string; limit: number }): Promise<Page<CallRecord>>;
  /** The timeline in order, after the given sequence. */
  listCallEvents(tenantId: string, callId: string, afterSequence: number, limit: number): Promise<readonly CallEvent[]>;
}
