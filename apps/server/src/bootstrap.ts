import { randomBytes } from "node:crypto";
import { createApiKey, createTenant, createUser, type IdentityDeps, type Tenant } from "@switchboard/core";
import { seedDemoContent } from "./demo/northwind.js";

export interface Bootstrapped {
  readonly tenant: Tenant;
  /** The admin API key, when this start created it (shown once). */
  readonly apiKey: string;
  readonly adminEmail: string;
  /** The admin's password, when this start generated it (shown once). */
  readonly adminPassword: string;
}

export const DEMO_TENANT_SLUG = "demo";
export const DEMO_ADMIN_EMAIL = "admin@demo.example";

/**
 * First start: creates the demo tenant with an admin API key (the configured one, or a random one), an
 * admin user, and the demo content (bot, website entry point, knowledge base, customers). Later starts
 * find the tenant and create nothing.
 */
export async function bootstrapDemoTenant(
  domain: Parameters<typeof seedDemoContent>[0] & { identity: IdentityDeps },
  options: { apiKey?: string | undefined; adminPassword?: string | undefined },
): Promise<Bootstrapped | undefined> {
  const deps = domain.identity;
  if (await deps.store.getTenantBySlug(DEMO_TENANT_SLUG)) return undefined;
  const tenant = await createTenant(deps, { slug: DEMO_TENANT_SLUG, name: "Northwind Bikes" });
  const key = await createApiKey(deps, tenant.id, {
    name: "bootstrap admin key",
    ...(options.apiKey ? { secret: options.apiKey } : {}),
  });
  const adminPassword = options.adminPassword ?? randomBytes(12).toString("base64url");
  await createUser(deps, tenant.id, {
    email: DEMO_ADMIN_EMAIL,
    displayName: "Demo Admin",
    role: "admin",
    password: adminPassword,
  });
  await seedDemoContent(domain, tenant.id);
  return { tenant, apiKey: key.secret, adminEmail: DEMO_ADMIN_EMAIL, adminPassword };
}
