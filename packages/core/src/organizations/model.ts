/**
 * Agent organizations: teams outside the business that work some of its queues (a BPO it outsources
 * to). A user of an organization sees only the queues assigned to it, and only its own agents; a user
 * of none (in-house) and the tenant's admins see everything.
 */

export interface AgentOrganization {
  readonly id: string;
  readonly tenantId: string;
  /** Unique in the tenant. */
  readonly name: string;
  readonly createdAt: Date;
}
