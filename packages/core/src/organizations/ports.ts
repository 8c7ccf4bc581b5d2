import type { AgentOrganization } from "./model.js";

/** The tenants' agent organizations. Every method takes the tenant id and never touches another tenant's. */
export interface OrganizationStore {
  /** Fails with `organization.name_taken` when the tenant has one of that name, `tenant.not_found` without the tenant. */
  createOrganization(organization: AgentOrganization): Promise<AgentOrganization>;
  /** Undefined when there is no such organization; fails with `organization.name_taken`. */
  renameOrganization(tenantId: string, id: string, name: string): Promise<AgentOrganization | undefined>;
  /**
   * Removes the organization and takes it off every queue it was assigned to. Fails with
   * `organization.in_use` while a user belongs to it; false when there was none.
   */
  deleteOrganization(tenantId: string, id: string): Promise<boolean>;
  getOrganization(tenantId: string, id: string): Promise<AgentOrganization | undefined>;
  /** By name. */
  listOrganizations(tenantId: string): Promise<readonly AgentOrganization[]>;
}
