import { DomainError, notFound } from "../kernel/domain-error.js";
import type { IdentityDeps } from "./deps.js";
import type { Identity, IdentityKind, Scope } from "./model.js";
import type { Page } from "./ports.js";

export interface CreateIdentityInput {
  readonly kind?: IdentityKind;
  readonly displayName?: string;
  readonly externalId?: string;
  readonly metadata?: Record<string, string>;
}

export async function createIdentity(
  deps: Pick<IdentityDeps, "store" | "clock" | "ids">,
  tenantId: string,
  input: CreateIdentityInput,
): Promise<Identity> {
  return deps.store.createIdentity({
    id: deps.ids.next(),
    tenantId,
    kind: input.kind ?? "customer",
    displayName: input.displayName ?? "",
    externalId: input.externalId ?? null,
    metadata: input.metadata ?? {},
    createdAt: deps.clock.now(),
  });
}

export async function getIdentity(deps: Pick<IdentityDeps, "store">, tenantId: string, id: string): Promise<Identity> {
  const identity = await deps.store.getIdentity(tenantId, id);
  if (!identity) throw notFound("identity", id);
  return identity;
}

export function listIdentities(
  deps: Pick<IdentityDeps, "store">,
  tenantId: string,
  options: { after?: string; limit: number; kind?: IdentityKind },
): Promise<Page<Identity>> {
  return deps.store.listIdentities(tenantId, options);
}

export async function deleteIdentity(deps: Pick<IdentityDeps, "store">, tenantId: string, id: string): Promise<void> {
  if (!(await deps.store.deleteIdentity(tenantId, id))) throw notFound("identity", id);
}

export interface IssuedToken {
  readonly token: string;
  readonly expiresAt: Date;
}

/** Issues a short-lived access token for an identity of the tenant, with the requested scopes. */
export async function issueAccessToken(
  deps: Pick<IdentityDeps, "store" | "clock" | "tokens" | "tokenPolicy">,
  tenantId: string,
  identityId: string,
  input: { scopes: readonly Scope[]; expiresInMinutes?: number },
): Promise<IssuedToken> {
  await getIdentity(deps, tenantId, identityId);
  const minutes = input.expiresInMinutes ?? deps.tokenPolicy.defaultMinutes;
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > deps.tokenPolicy.maxMinutes) {
    throw new DomainError(
      "token.invalid_lifetime",
      "invalid",
      `A token lives between 1 and ${deps.tokenPolicy.maxMinutes} minutes.`,
      [{ field: "expiresInMinutes", message: `an integer from 1 to ${deps.tokenPolicy.maxMinutes}` }],
    );
  }
  if (input.scopes.length === 0) {
    throw new DomainError("token.no_scopes", "invalid", "A token needs at least one scope.", [
      { field: "scopes", message: "at least one of chat, voip, admin" },
    ]);
  }
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + minutes * 60_000);
  const token = await deps.tokens.sign({ tenantId, identityId, scopes: [...new Set(input.scopes)], expiresAt }, now);
  return { token, expiresAt };
}
