import { notFound } from "../kernel/domain-error.js";
import { checkUserOrganization, publicUser } from "./create-user.js";
import type { IdentityDeps } from "./deps.js";
import type { User } from "./model.js";
import type { UserPatch } from "./ports.js";

/**
 * Changes a user: for now, the agent organization they work for (null: in-house). Routing is told, so
 * the user stops being a member of queues their new organization is not assigned.
 */
export async function updateUser(
  deps: Pick<IdentityDeps, "store" | "organizations" | "onUserChanged">,
  tenantId: string,
  id: string,
  patch: UserPatch,
): Promise<User> {
  const existing = await deps.store.getUser(tenantId, id);
  if (!existing) throw notFound("user", id);
  if (patch.organizationId !== undefined) {
    await checkUserOrganization(deps, tenantId, existing.role, patch.organizationId);
  }
  const updated = await deps.store.updateUser(tenantId, id, patch);
  if (!updated) throw notFound("user", id);
  if (updated.organizationId !== existing.organizationId) deps.onUserChanged?.(tenantId, id);
  return publicUser(updated);
}
