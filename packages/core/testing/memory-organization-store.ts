import { type AgentOrganization, DomainError, type IdentityStore, type OrganizationStore } from "../src/index.js";
import { compareText, copyDate, type MemoryStoreOptions, requireNewId, requireTenant } from "./memory-rows.js";

const copyOrganization = (o: AgentOrganization): AgentOrganization => ({
  id: o.id,
  tenantId: o.tenantId,
  name: o.name,
  createdAt: copyDate(o.createdAt),
});

const byName = (a: AgentOrganization, b: AgentOrganization): number => compareText(a.name, b.name);

export interface MemoryOrganizationStoreOptions extends MemoryStoreOptions {
  /** Who belongs to an organization (the SQL `users.organization_id` foreign key); without it, nobody. */
  readonly users?: Pick<IdentityStore, "listUsers">;
}

/**
 * An in-memory `OrganizationStore` with the same semantics as the SQL one, for unit tests. Queues of
 * `MemoryQueueStore` forget a deleted organization when they read it back (the SQL cascade).
 */
export class MemoryOrganizationStore implements OrganizationStore {
  private readonly organizations = new Map<string, AgentOrganization>();

  constructor(private readonly options: MemoryOrganizationStoreOptions = {}) {}

  async createOrganization(organization: AgentOrganization): Promise<AgentOrganization> {
    await requireTenant(this.options, organization.tenantId);
    requireNewId(this.organizations, organization.id);
    this.requireUniqueName(organization.tenantId, organization.name, organization.id);
    const stored = copyOrganization(organization);
    this.organizations.set(stored.id, stored);
    return copyOrganization(stored);
  }

  async renameOrganization(tenantId: string, id: string, name: string): Promise<AgentOrganization | undefined> {
    const existing = this.organizations.get(id);
    if (!existing || existing.tenantId !== tenantId) return undefined;
    this.requireUniqueName(tenantId, name, id);
    const stored = { ...existing, name };
    this.organizations.set(id, stored);
    return copyOrganization(stored);
  }

  async deleteOrganization(tenantId: string, id: string): Promise<boolean> {
    const existing = this.organizations.get(id);
    if (!existing || existing.tenantId !== tenantId) return false;
    if ((await this.options.users?.listUsers(tenantId))?.some((u) => u.organizationId === id)) {
      throw new DomainError("organization.in_use", "conflict", "Users still belong to the organization.");
    }
    this.organizations.delete(id);
    return true;
  }

  async getOrganization(tenantId: string, id: string): Promise<AgentOrganization | undefined> {
    const o = this.organizations.get(id);
    return o && o.tenantId === tenantId ? copyOrganization(o) : undefined;
  }

  async listOrganizations(tenantId: string): Promise<readonly AgentOrganization[]> {
    return [...this.organizations.values()]
      .filter((o) => o.tenantId === tenantId)
      .sort(byName)
      .map(copyOrganization);
  }

  /** The unique index on (tenant, name). */
  private requireUniqueName(tenantId: string, name: string, self: string): void {
    if ([...this.organizations.values()].some((o) => o.tenantId === tenantId && o.name === name && o.id !== self)) {
      throw new DomainError("organization.name_taken", "conflict", `An organization named ${name} exists already.`);
    }
  }
}
