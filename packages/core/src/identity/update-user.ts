import { DomainError, notFound } from "../kernel/domain-error.js";
import { checkUserOrganization, publicUser } from "./create-user.js";
import type { IdentityDeps } from "./deps.js";
import type { User } from "./model.js";
import type { UserPatch } from "./ports.js";

const MAX_DISPLAY_NAME = 128;

/**
 * Changes a user: their name (their agent identity's too), their role, and the agent organization they
 * work for (null: in-house). An admin belongs to no organization, so making someone an admin moves them
 * in-house in the same change or is refused; the tenant's only admin stays one. Routing is told, so the
 * user stops being a member of queues their new organization is not assigned.
 */
export async function updateUser(
  deps: Pick<IdentityDeps, "store" | "organizations" | "onUserChanged">,
  tenantId: string,
  id: string,
  patch: UserPatch,
): Promise<User> {
  const existing = await deps.store.getUser(tenantId, id);
  if (!existing) throw notFound("user", id);
  const displayName = patch.displayName?.trim();
  if (displayName !== undefined && (displayName === "" || displayName.length > MAX_DISPLAY_NAME)) {
    throw new DomainError("user.invalid", "invalid", "The user is not valid.", [
      { field: "displayName", message: `1 to ${MAX_DISPLAY_NAME} characters` },
    ]);
  }
  const role = patch.role ?? existing.role;
  if (patch.organizationId !== undefined || role !== existing.role) {
    const organizationId = patch.organizationId !== undefined ? patch.organizationId : existing.organizationId;
    await checkUserOrganization(deps, tenantId, role, organizationId);
  }
  if (existing.role === "admin" && role !== "admin") {
    const admins = (await deps.store.listUsers(tenantId)).filter((u) => u.role === "admin").length;
    if (admins <= 1) {
      throw new DomainError(
        "user.last_admin",
        "conflict",
        "This is the tenant's only admin user: make someone else an admin first.",
      );
    }
  }
  const updated = await deps.store.updateUser(tenantId, id, {
    ...(patch.organizationId !== undefined ? { organizationId: patch.organizationId } : {}),
    ...(patch.role !== undefined ? { role: patch.role } : {}),
    ...(displayName !== undefined ? { displayName } : {}),
  });
  if (!updated) throw notFound("user", id);
  const changed =
    updated.organizationId !== existing.organizationId ||
    updated.role !== existing.role ||
    updated.displayName !== existing.displayName;
  if (changed) deps.onUserChanged?.(tenantId, id);
  return publicUser(updated);
}
