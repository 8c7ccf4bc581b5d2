import type { CallEvent, CallFilter, CallPatch, CallRecord, CallRecordStore, LegPatch, LegRecord, Page } from "../src/index.js";
import { copyDate, jsonCopy, type MemoryStoreOptions, requireNewId, requireTenant } from "./memory-rows.js";
import { pageOf } from "./paging.js";

type CallRow = Omit<CallRecord, "legs">;

const copyDateOrNull = (d: Date | null): Date | null => (d === null ? null : copyDate(d));

const copyLeg = (l: LegRecord): LegRecord => ({
  id: l.id,
  callId: l.callId,
  role: l.role,
  party: l.party,
  sipCallId: l.sipCallId,
  protocol: l.protocol,
  startedAt: copyDate(l.startedAt),
  answeredAt: copyDateOrNull(l.answeredAt),
  endedAt: copyDateOrNull(l.endedAt),
  endReason: l.endReason === null ? null : jsonCopy(l.endReason),
});

/** A copy as the SQL store would return it: JSON columns round-tripped. */
const copyCall = (c: CallRow): CallRow => ({
  id: c.id,
  tenantId: c.tenantId,
  direction: c.direction,
  from: c.from,
  to: c.to,
  numberId: c.numberId,
  trunkId: c.trunkId,
  entry: c.entry,
  state: c.state,
  result: c.result,
  hangupCause: c.hangupCause === null ? null : jsonCopy(c.hangupCause),
  startedAt: copyDate(c.startedAt),
  answeredAt: copyDateOrNull(c.answeredAt),
  endedAt: copyDateOrNull(c.endedAt),
  durationMs: c.durationMs,
  recordingIds: jsonCopy(c.recordingIds),
});

/** Legs by start, ties by id: the SQL store's `order by started_at, id`. */
const byStart = (a: LegRecord, b: LegRecord): number =>
  a.startedAt.getTime() - b.startedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const matches = (c: CallRow, f: CallFilter): boolean =>
  (f.direction === undefined || c.direction === f.direction) &&
  (f.result === undefined || c.result === f.result) &&
  (f.state === undefined || c.state === f.state) &&
  (f.numberId === undefined || c.numberId === f.numberId) &&
  (f.since === undefined || c.startedAt.getTime() >= f.since.getTime()) &&
  (f.until === undefined || c.startedAt.getTime() < f.until.getTime());

/** An in-memory `CallRecordStore` with the same semantics as the SQL one, for unit tests. */
export class MemoryCallRecordStore implements CallRecordStore {
  private readonly calls = new Map<string, CallRow>();
  private readonly legs = new Map<string, LegRecord>();
  private readonly events = new Map<string, CallEvent[]>();

  constructor(private readonly options: MemoryStoreOptions = {}) {}

  async createCall(call: CallRecord): Promise<CallRecord> {
    await requireTenant(this.options, call.tenantId);
    requireNewId(this.calls, call.id);
    for (const leg of call.legs) requireNewId(this.legs, leg.id);
    const { legs, ...row } = call;
    this.calls.set(call.id, copyCall(row));
    for (const leg of legs) this.legs.set(leg.id, copyLeg({ ...leg, callId: call.id }));
    return this.read(call.id);
  }

  async updateCall(tenantId: string, id: string, patch: CallPatch): Promise<CallRecord | undefined> {
    const existing = this.calls.get(id);
    if (!existing || existing.tenantId !== tenantId) return undefined;
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    this.calls.set(id, copyCall({ ...existing, ...defined }));
    return this.read(id);
  }

  async addLeg(tenantId: string, leg: LegRecord): Promise<LegRecord | undefined> {
    const call = this.calls.get(leg.callId);
    if (!call || call.tenantId !== tenantId) return undefined;
    requireNewId(this.legs, leg.id);
    this.legs.set(leg.id, copyLeg(leg));
    return copyLeg(leg);
  }

  async updateLeg(tenantId: string, callId: string, legId: string, patch: LegPatch): Promise<LegRecord | undefined> {
    const call = this.calls.get(callId);
    const leg = this.legs.get(legId);
    if (!call || call.tenantId !== tenantId || !leg || leg.callId !== callId) return undefined;
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const stored = copyLeg({ ...leg, ...defined });
    this.legs.set(legId, stored);
    return copyLeg(stored);
  }

  async appendCallEvents(
    tenantId: string,
    callId: string,
    events: readonly { readonly type: string; readonly data: unknown; readonly at: Date }[],
  ): Promise<readonly CallEvent[] | undefined> {
    const call = this.calls.get(callId);
    if (!call || call.tenantId !== tenantId) return undefined;
    const timeline = this.events.get(callId) ?? [];
    const stored = events.map(
      (event, i): CallEvent => ({
        tenantId,
        callId,
        sequence: timeline.length + i + 1,
        type: event.type,
        data: jsonCopy(event.data),
        at: copyDate(event.at),
      }),
    );
    timeline.push(...stored);
    this.events.set(callId, timeline);
    return stored.map((e) => ({ ...e, data: jsonCopy(e.data), at: copyDate(e.at) }));
  }

  async getCall(tenantId: string, id: string): Promise<CallRecord | undefined> {
    const call = this.calls.get(id);
    return call && call.tenantId === tenantId ? this.read(id) : undefined;
  }

  async listCalls(tenantId: string, filter: CallFilter, options: { after?: string; limit: number }): Promise<Page<CallRecord>> {
    const mine = [...this.calls.values()].filter((c) => c.tenantId === tenantId && matches(c, filter));
    const page = pageOf(mine, (c) => ({ createdAt: c.startedAt.toISOString(), id: c.id }), {
      after: options.after,
      limit: options.limit,
      newestFirst: true,
    });
    return { items: page.items.map((c) => this.read(c.id)), next: page.next };
  }

  async listCallEvents(tenantId: string, callId: string, afterSequence: number, limit: number): Promise<readonly CallEvent[]> {
    const call = this.calls.get(callId);
    if (!call || call.tenantId !== tenantId) return [];
    return (this.events.get(callId) ?? [])
      .filter((e) => e.sequence > afterSequence)
      .slice(0, Math.max(0, limit))
      .map((e) => ({ ...e, data: jsonCopy(e.data), at: copyDate(e.at) }));
  }

  private read(id: string): CallRecord {
    const call = this.calls.get(id) as CallRow;
    const legs = [...this.legs.values()].filter((l) => l.callId === id).sort(byStart);
    return { ...copyCall(call), legs: legs.map(copyLeg) };
  }
}
