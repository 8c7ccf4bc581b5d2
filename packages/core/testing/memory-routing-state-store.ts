import type { RoutingEventRecord, RoutingStateStore } from "../src/index.js";
import { compareText, copyDate, jsonCopy, type MemoryStoreOptions, requireTenant } from "./memory-rows.js";

type PositionedEvent = RoutingEventRecord & { readonly position: number };

const copyEvent = (e: PositionedEvent): PositionedEvent => ({
  position: e.position,
  type: e.type,
  subject: e.subject ?? null,
  data: jsonCopy(e.data),
  at: copyDate(e.at),
});

/**
 * An in-memory `RoutingStateStore` with the same semantics as the SQL one, for unit tests: snapshots
 * and events go through JSON, and each append numbers its batch without awaiting in between (after
 * the tenant check), so concurrent appends get consecutive positions as in a transaction.
 */
export class MemoryRoutingStateStore implements RoutingStateStore {
  /** The snapshot's JSON text per tenant. */
  private readonly snapshots = new Map<string, string>();
  /** Per tenant, in position order (the first has position 1). */
  private readonly events = new Map<string, PositionedEvent[]>();

  constructor(private readonly options: MemoryStoreOptions = {}) {}

  async saveSnapshot(tenantId: string, snapshot: unknown, _at: Date): Promise<void> {
    await requireTenant(this.options, tenantId);
    this.snapshots.set(tenantId, JSON.stringify(snapshot ?? null));
  }

  async loadSnapshots(): Promise<readonly { readonly tenantId: string; readonly snapshot: unknown }[]> {
    return [...this.snapshots.entries()]
      .sort(([a], [b]) => compareText(a, b))
      .map(([tenantId, json]) => ({ tenantId, snapshot: JSON.parse(json) }));
  }

  async appendEvents(tenantId: string, events: readonly RoutingEventRecord[]): Promise<void> {
    if (events.length === 0) return;
    await requireTenant(this.options, tenantId);
    let log = this.events.get(tenantId);
    if (!log) {
      log = [];
      this.events.set(tenantId, log);
    }
    const first = log.length + 1;
    log.push(
      ...events.map((e, i) =>
        copyEvent({ position: first + i, type: e.type, subject: e.subject ?? null, data: e.data, at: e.at }),
      ),
    );
  }

  async listEvents(tenantId: string, afterPosition: number, limit: number): Promise<readonly PositionedEvent[]> {
    return (this.events.get(tenantId) ?? [])
      .filter((e) => e.position > afterPosition)
      .slice(0, Math.max(0, Math.floor(limit)))
      .map(copyEvent);
  }

  async listEventsAbout(tenantId: string, subject: string, limit: number): Promise<readonly PositionedEvent[]> {
    return (this.events.get(tenantId) ?? [])
      .filter((e) => e.subject === subject)
      .slice(0, Math.max(0, Math.floor(limit)))
      .map(copyEvent);
  }
}
