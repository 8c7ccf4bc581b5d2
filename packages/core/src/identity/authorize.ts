import { DomainError } from "../kernel/domain-error.js";
import type { Principal, Scope } from "./model.js";

/** A principal that acts inside one tenant (everything but the platform operator). */
export type TenantPrincipal = Exclude<Principal, { kind: "platform" }>;

export const isTenantAdmin = (p: Principal): boolean =>
  p.kind === "api_key" || p.kind === "system" || (p.kind === "identity" && p.scopes.includes("admin"));

/** The tenant the principal acts in; the platform operator acts in none. */
export function tenantOf(p: Principal): TenantPrincipal {
  if (p.kind === "platform") {
    throw new DomainError("auth.tenant_required", "forbidden", "This request needs a tenant API key or access token.");
  }
  return p;
}

export function requireAdmin(p: Principal): TenantPrincipal {
  const t = tenantOf(p);
  if (!isTenantAdmin(t)) {
    throw new DomainError("auth.admin_required", "forbidden", "This request needs an API key or the `admin` scope.");
  }
  return t;
}

/** Supervisors and admins (API keys included): what is for the tenant's staff, such as call records. */
export function requireSupervisor(p: Principal): TenantPrincipal {
  const t = tenantOf(p);
  if (!isTenantAdmin(t) && !(t.kind === "identity" && t.role === "supervisor")) {
    throw new DomainError("auth.supervisor_required", "forbidden", "This is for supervisors and admins.");
  }
  return t;
}

export function requirePlatform(p: Principal): void {
  if (p.kind !== "platform") {
    throw new DomainError("auth.platform_required", "forbidden", "Only the platform operator key may do this.");
  }
}

/** An identity token with the given scope, or an admin acting for the tenant. */
export function requireScope(p: Principal, scope: Scope): TenantPrincipal {
  const t = tenantOf(p);
  if (t.kind === "identity" && !t.scopes.includes(scope) && !t.scopes.includes("admin")) {
    throw new DomainError("auth.scope_missing", "forbidden", `This request needs the \`${scope}\` scope.`);
  }
  return t;
}
