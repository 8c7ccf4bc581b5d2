import type { ChatStore, ThreadEvent, ThreadEventPublisher } from "@switchboard/core";
import type { IdentityFrame } from "@switchboard/protocol";
import { threadEventView } from "../http/views.js";
import type { RealtimeConnection } from "./connection.js";

export interface HubMetrics {
  eventPublished(type: string): void;
  framesDelivered(count: number): void;
}

/** How many threads' participant lists the hub keeps in memory. */
const MEMBER_CACHE_SIZE = 50_000;

/**
 * Delivers thread events to the connected participants of their thread (single node: in process).
 * It knows who is in each thread from a cache filled from the store and kept current by the
 * participant events themselves.
 */
export class RealtimeHub implements ThreadEventPublisher {
  private readonly byIdentity = new Map<string, Set<RealtimeConnection>>();
  /** Connections of supervisors and admins, per tenant: they get the live view. */
  private readonly supervisors = new Map<string, Set<RealtimeConnection>>();
  private readonly members = new Map<string, Promise<Set<string>>>();

  constructor(
    private readonly store: Pick<ChatStore, "listParticipants">,
    private readonly metrics: HubMetrics,
    private readonly onError: (error: unknown) => void,
  ) {}

  get connectionCount(): number {
    let n = 0;
    for (const set of this.byIdentity.values()) n += set.size;
    return n;
  }

  attach(connection: RealtimeConnection): void {
    const key = identityKey(connection.tenantId, connection.identityId);
    let set = this.byIdentity.get(key);
    if (!set) {
      set = new Set();
      this.byIdentity.set(key, set);
    }
    set.add(connection);
    if (connection.supervises) {
      let watching = this.supervisors.get(connection.tenantId);
      if (!watching) {
        watching = new Set();
        this.supervisors.set(connection.tenantId, watching);
      }
      watching.add(connection);
    }
  }

  detach(connection: RealtimeConnection): void {
    connection.markClosed();
    const key = identityKey(connection.tenantId, connection.identityId);
    const set = this.byIdentity.get(key);
    set?.delete(connection);
    if (set?.size === 0) this.byIdentity.delete(key);
    const watching = this.supervisors.get(connection.tenantId);
    watching?.delete(connection);
    if (watching?.size === 0) this.supervisors.delete(connection.tenantId);
  }

  /** Sends a frame to every connection of one identity (an agent's offers, a customer's conversation). */
  sendToIdentity(tenantId: string, identityId: string, frame: IdentityFrame): void {
    const connections = this.byIdentity.get(identityKey(tenantId, identityId));
    if (!connections) return;
    const text = JSON.stringify(frame);
    for (const connection of connections) connection.sendFrame(text);
  }

  /**
   * Sends a frame to the tenant's connected supervisors and admins: those of one agent organization, or
   * with `null` the in-house ones and admins, when `organizationId` is given; else all of them.
   */
  sendToSupervisors(tenantId: string, frame: IdentityFrame, organizationId?: string | null): void {
    const watching = this.supervisors.get(tenantId);
    if (!watching) return;
    const text = JSON.stringify(frame);
    for (const connection of watching) {
      if (organizationId === undefined || connection.organizationId === organizationId) connection.sendFrame(text);
    }
  }

  /** The views the tenant's connected supervisors need: each agent organization of theirs, null for in-house and admins. */
  supervisorOrganizations(tenantId: string): readonly (string | null)[] {
    return [...new Set([...(this.supervisors.get(tenantId) ?? [])].map((c) => c.organizationId))];
  }

  /** A user moved to another agent organization (or in-house): their open connections get its view from now on. */
  moveToOrganization(tenantId: string, identityId: string, organizationId: string | null): void {
    for (const connection of this.byIdentity.get(identityKey(tenantId, identityId)) ?? []) {
      connection.organizationId = organizationId;
    }
  }

  /** Whether any supervisor of the tenant is connected (the live view is computed only then). */
  hasSupervisors(tenantId: string): boolean {
    return (this.supervisors.get(tenantId)?.size ?? 0) > 0;
  }

  publish(event: ThreadEvent): void {
    this.metrics.eventPublished(event.type);
    this.route(event).catch(this.onError);
  }

  private async route(event: ThreadEvent): Promise<void> {
    const members = await this.membersOf(event);
    const recipients = new Set(members);
    if (event.type === "chat.participants.added") {
      for (const p of event.data.participants) {
        members.add(p.id);
        recipients.add(p.id);
      }
    } else if (event.type === "chat.participants.removed") {
      // The people removed still hear of their removal, then nothing more.
      for (const p of event.data.participants) {
        members.delete(p.id);
        recipients.add(p.id);
      }
    }
    const frame = JSON.stringify(threadEventView(event));
    let delivered = 0;
    // Typing is news to the others only.
    if (event.type === "chat.typing") recipients.delete(event.data.identityId);
    for (const identityId of recipients) {
      const connections = this.byIdentity.get(identityKey(event.tenantId, identityId));
      if (!connections) continue;
      for (const connection of connections) {
        connection.deliver(event, frame);
        delivered += 1;
      }
    }
    this.metrics.framesDelivered(delivered);
  }

  private membersOf(event: ThreadEvent): Promise<Set<string>> {
    const key = `${event.tenantId}/${event.threadId}`;
    let members = this.members.get(key);
    if (!members) {
      members = this.store
        .listParticipants(event.tenantId, event.threadId)
        .then((list) => new Set(list.map((p) => p.identityId)));
      members.catch(() => this.members.delete(key));
      if (this.members.size >= MEMBER_CACHE_SIZE) {
        const oldest = this.members.keys().next().value;
        if (oldest !== undefined) this.members.delete(oldest);
      }
      this.members.set(key, members);
    }
    return members;
  }
}

const identityKey = (tenantId: string, identityId: string) => `${tenantId}/${identityId}`;
