import { isTenantAdmin } from "../identity/authorize.js";
import type { Principal, User } from "../identity/model.js";
import type { Queue } from "../queues/model.js";

/**
 * The agent organization whose view a principal has: null for in-house users, admins, API keys and
 * Switchboard itself, who see everything. Admins never belong to one; the check is belt and braces.
 */
export function organizationOf(principal: Principal): string | null {
  if (principal.kind !== "identity" || isTenantAdmin(principal)) return null;
  return principal.organizationId ?? null;
}

/** Whether users of `organizationId` (null: in-house, who work every queue) may see and work the queue. */
export const queueAssignedTo = (queue: Pick<Queue, "organizationIds">, organizationId: string | null): boolean =>
  organizationId === null || queue.organizationIds.includes(organizationId);

/**
 * Whether a viewer of `organizationId` sees the user (in the live view, among transfer targets):
 * in-house viewers see everyone, an organization's users only their own colleagues.
 */
export const userVisibleTo = (user: Pick<User, "organizationId">, organizationId: string | null): boolean =>
  organizationId === null || user.organizationId === organizationId;
