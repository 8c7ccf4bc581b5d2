/**
 * Where the routing engine's state is kept between starts (single node: the engine runs in process and
 * the store is its record). The engine's snapshot is saved per tenant after each change; its events are
 * appended to the routing log (the outbox that reports and, later, other nodes read).
 */
export interface RoutingEventRecord {
  readonly type: string;
  /** What the event is about (a job's subject: a conversation id), to find its history. */
  readonly subject?: string | null;
  readonly data: unknown;
  readonly at: Date;
}

export interface RoutingStateStore {
  /** Replaces the tenant's saved snapshot. */
  saveSnapshot(tenantId: string, snapshot: unknown, at: Date): Promise<void>;
  /** Every tenant's saved snapshot (at start). */
  loadSnapshots(): Promise<readonly { readonly tenantId: string; readonly snapshot: unknown }[]>;
  /** Appends events to the tenant's routing log, in order. */
  appendEvents(tenantId: string, events: readonly RoutingEventRecord[]): Promise<void>;
  /** The tenant's routing log after a position (1-based, in append order), for reports. */
  listEvents(
    tenantId: string,
    afterPosition: number,
    limit: number,
  ): Promise<readonly (RoutingEventRecord & { readonly position: number })[]>;
  /** The tenant's routing log about one subject (e.g. why nobody took a conversation), oldest first. */
  listEventsAbout(
    tenantId: string,
    subject: string,
    limit: number,
  ): Promise<readonly (RoutingEventRecord & { readonly position: number })[]>;
}
