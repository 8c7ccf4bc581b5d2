import { isTenantAdmin, tenantOf } from "../identity/authorize.js";
import type { Principal } from "../identity/model.js";
import { DomainError } from "../kernel/domain-error.js";
import type { CallConnection } from "./connection.js";

/**
 * The calls connected right now in this process, by call id: where the API finds a call to hold, mute,
 * transfer, conference or record it. A connection leaves when it is done.
 */
export class LiveCalls<Next = unknown> {
  private readonly connections = new Map<string, CallConnection<Next>>();

  add(connection: CallConnection<Next>): void {
    const key = keyOf(connection.tenantId, connection.callId);
    this.connections.set(key, connection);
    void connection.done.finally(() => {
      if (this.connections.get(key) === connection) this.connections.delete(key);
    });
  }

  get(tenantId: string, callId: string): CallConnection<Next> | undefined {
    return this.connections.get(keyOf(tenantId, callId));
  }

  /** The connection a leg is part of now (the caller's or a party's), for attended transfers. */
  connectionOf(legId: string): CallConnection<Next> | undefined {
    for (const connection of this.connections.values()) if (connection.hasLeg(legId)) return connection;
    return undefined;
  }

  get size(): number {
    return this.connections.size;
  }
}

const keyOf = (tenantId: string, callId: string) => `${tenantId}/${callId}`;

/**
 * The live call the principal may control: supervisors and admins any of their tenant's, an agent the
 * calls they are on. A call not connected now (ringing, in a flow, over, or another tenant's) is not found.
 */
export function controlLiveCall<Next>(calls: LiveCalls<Next>, principal: Principal, callId: string): CallConnection<Next> {
  const tenant = tenantOf(principal);
  const connection = calls.get(tenant.tenantId, callId);
  if (connection === undefined) {
    throw new DomainError("call.not_connected", "not_found", `Call ${callId} is not connected now.`);
  }
  const staff = isTenantAdmin(tenant) || (tenant.kind === "identity" && tenant.role === "supervisor");
  if (!staff && !(tenant.kind === "identity" && connection.involves(tenant.identityId))) {
    throw new DomainError("call.not_a_party", "forbidden", "Only the agents on a call, supervisors and admins may control it.");
  }
  return connection;
}
