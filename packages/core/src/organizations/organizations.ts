import { requireAdmin, requireSupervisor } from "../identity/authorize.js";
import type { Principal } from "../identity/model.js";
import type { IdentityStore } from "../identity/ports.js";
import type { Clock } from "../kernel/clock.js";
import { DomainError, notFound } from "../kernel/domain-error.js";
import type { IdGenerator } from "../kernel/ids.js";
import type { AgentOrganization } from "./model.js";
import type { OrganizationStore } from "./ports.js";
import { organizationOf } from "./visibility.js";

export interface OrganizationDeps {
  readonly organizations: OrganizationStore;
  /** Who belongs to an organization (it cannot be deleted while someone does). */
  readonly users: Pick<IdentityStore, "listUsers">;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

export const MAX_ORGANIZATION_NAME = 100;

function checkedName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === "" || trimmed.length > MAX_ORGANIZATION_NAME) {
    throw new DomainError("organization.invalid", "invalid", "The organization is not valid.", [
      { field: "name", message: `1 to ${MAX_ORGANIZATION_NAME} characters` },
    ]);
  }
  return trimmed;
}

/** An admin adds an organization the business outsources agents to (a BPO); it works no queue until assigned one. */
export async function createOrganization(
  deps: OrganizationDeps,
  principal: Principal,
  input: { name: string },
): Promise<AgentOrganization> {
  const { tenantId } = requireAdmin(principal);
  return deps.organizations.createOrganization({
    id: deps.ids.next(),
    tenantId,
    name: checkedName(input.name),
    createdAt: deps.clock.now(),
  });
}

export async function getOrganization(deps: OrganizationDeps, principal: Principal, id: string): Promise<AgentOrganization> {
  const { tenantId } = requireAdmin(principal);
  const organization = await deps.organizations.getOrganization(tenantId, id);
  if (!organization) throw notFound("organization", id);
  return organization;
}

/**
 * The tenant's organizations, by name: for admins, and for supervisors to pick one in the live view. A
 * supervisor of an organization gets only their own.
 */
export async function listOrganizations(deps: OrganizationDeps, principal: Principal): Promise<readonly AgentOrganization[]> {
  const actor = requireSupervisor(principal);
  const all = await deps.organizations.listOrganizations(actor.tenantId);
  const own = organizationOf(actor);
  return own === null ? all : all.filter((o) => o.id === own);
}

export async function renameOrganization(
  deps: OrganizationDeps,
  principal: Principal,
  id: string,
  input: { name: string },
): Promise<AgentOrganization> {
  const { tenantId } = requireAdmin(principal);
  const renamed = await deps.organizations.renameOrganization(tenantId, id, checkedName(input.name));
  if (!renamed) throw notFound("organization", id);
  return renamed;
}

const inUse = (count: number) =>
  new DomainError(
    "organization.in_use",
    "conflict",
    `${count} user${count === 1 ? "" : "s"} still belong${count === 1 ? "s" : ""} to the organization: move them first.`,
  );

/** Deletes an organization nobody belongs to any more; its queues are then in-house only (unless assigned to others). */
export async function deleteOrganization(deps: OrganizationDeps, principal: Principal, id: string): Promise<void> {
  const { tenantId } = requireAdmin(principal);
  if (!(await deps.organizations.getOrganization(tenantId, id))) throw notFound("organization", id);
  const members = (await deps.users.listUsers(tenantId)).filter((u) => u.organizationId === id).length;
  if (members > 0) throw inUse(members);
  // The store refuses too, for a user assigned meanwhile.
  if (!(await deps.organizations.deleteOrganization(tenantId, id))) throw notFound("organization", id);
}
