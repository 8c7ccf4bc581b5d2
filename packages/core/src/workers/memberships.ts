import { DomainError, type FieldIssue } from "../kernel/domain-error.js";
import { queueAssignedTo } from "../organizations/visibility.js";
import type { Queue } from "../queues/model.js";

/**
 * Refuses to make an agent of an organization a member of a queue not assigned to it (or of no queue at
 * all): `worker.queue_not_assigned`, with each offending `queueIds.N`. In-house agents may be members of
 * any queue. Membership is what routing offers work by, so this also keeps their offers to those queues.
 */
export function checkMemberships(organizationId: string | null, queueIds: readonly string[], queues: readonly Queue[]): void {
  if (organizationId === null) return;
  const byId = new Map(queues.map((q) => [q.id, q]));
  const issues: FieldIssue[] = [];
  for (const [i, id] of queueIds.entries()) {
    const queue = byId.get(id);
    if (!queue || !queueAssignedTo(queue, organizationId)) {
      issues.push({ field: `queueIds.${i}`, message: "not a queue assigned to the agent's organization" });
    }
  }
  if (issues.length > 0) {
    throw new DomainError(
      "worker.queue_not_assigned",
      "invalid",
      "An agent of an organization can only be a member of queues assigned to it.",
      issues,
    );
  }
}

/**
 * The memberships an agent of `organizationId` keeps once queues or the agent moved (a queue no longer
 * assigned to the organization, the agent now in another): those still allowed, in their order.
 */
export function allowedMemberships(
  organizationId: string | null,
  queueIds: readonly string[],
  queues: readonly Queue[],
): readonly string[] {
  if (organizationId === null) return queueIds;
  const allowed = new Set(queues.filter((q) => queueAssignedTo(q, organizationId)).map((q) => q.id));
  return queueIds.filter((id) => allowed.has(id));
}
