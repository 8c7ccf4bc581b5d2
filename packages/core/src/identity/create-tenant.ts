import { DomainError } from "../kernel/domain-error.js";
import type { IdentityDeps } from "./deps.js";
import type { Tenant } from "./model.js";

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

export interface CreateTenantInput {
  readonly slug: string;
  readonly name: string;
}

export async function createTenant(
  deps: Pick<IdentityDeps, "store" | "clock" | "ids">,
  input: CreateTenantInput,
): Promise<Tenant> {
  if (!SLUG.test(input.slug)) {
    throw new DomainError("tenant.invalid_slug", "invalid", "A tenant slug is 1-40 lowercase letters, digits and dashes.", [
      { field: "slug", message: "lowercase letters, digits and inner dashes, at most 40" },
    ]);
  }
  if (await deps.store.getTenantBySlug(input.slug)) {
    throw new DomainError("tenant.slug_taken", "conflict", `The tenant slug ${input.slug} is taken.`);
  }
  return deps.store.createTenant({ id: deps.ids.next(), slug: input.slug, name: input.name, createdAt: deps.clock.now() });
}
