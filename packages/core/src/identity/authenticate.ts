import { DomainError } from "../kernel/domain-error.js";
import type { IdentityDeps } from "./deps.js";
import { type Principal, scopesForRole } from "./model.js";

export const API_KEY_PREFIX = "sk_";

const unauthenticated = (code: string, message: string) => new DomainError(code, "unauthenticated", message);

export interface AuthenticateOptions {
  /** The digest of the platform operator's key, when the deployment has one. */
  readonly platformKeyDigest?: string | undefined;
}

/**
 * Turns a bearer credential into a principal: a tenant API key (`sk_...`), the platform key,
 * or a signed access token whose identity still exists.
 */
export async function authenticate(
  deps: Pick<IdentityDeps, "store" | "clock" | "tokens" | "secrets">,
  credential: string | undefined,
  options: AuthenticateOptions = {},
): Promise<Principal> {
  if (!credential) throw unauthenticated("auth.missing", "Send an API key or access token as `Authorization: Bearer ...`.");
  if (credential.startsWith(API_KEY_PREFIX)) {
    const digest = deps.secrets.digest(credential);
    if (options.platformKeyDigest !== undefined && digest === options.platformKeyDigest) return { kind: "platform" };
    const key = await deps.store.findApiKeyBySecretHash(digest);
    if (!key || key.revokedAt) throw unauthenticated("auth.invalid_api_key", "The API key is unknown or revoked.");
    return { kind: "api_key", tenantId: key.tenantId, apiKeyId: key.id };
  }
  const claims = await deps.tokens.verify(credential, deps.clock.now());
  if (!claims) throw unauthenticated("auth.invalid_token", "The access token is malformed, forged or expired.");
  const identity = await deps.store.getIdentity(claims.tenantId, claims.identityId);
  if (!identity) throw unauthenticated("auth.identity_gone", "The identity of this access token no longer exists.");
  // The organization and the role are the user's as they are now, so moving a user or changing their role
  // changes what they see and may do at once (a former admin's token no longer carries the admin scope).
  const user = claims.userId === undefined ? undefined : await deps.store.getUser(claims.tenantId, claims.userId);
  const role = user?.role ?? claims.role;
  return {
    kind: "identity",
    tenantId: claims.tenantId,
    identityId: claims.identityId,
    scopes: user ? scopesForRole(user.role) : claims.scopes,
    ...(claims.userId !== undefined ? { userId: claims.userId } : {}),
    ...(role !== undefined ? { role } : {}),
    ...(user?.organizationId ? { organizationId: user.organizationId } : {}),
    expiresAt: claims.expiresAt,
  };
}
