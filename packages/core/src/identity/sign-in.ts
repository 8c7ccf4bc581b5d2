import { DomainError } from "../kernel/domain-error.js";
import { publicUser } from "./create-user.js";
import type { IdentityDeps } from "./deps.js";
import { scopesForRole, type User } from "./model.js";

export interface SignInResult {
  readonly token: string;
  readonly expiresAt: Date;
  readonly user: User;
}

const badCredentials = () =>
  new DomainError("auth.invalid_credentials", "unauthenticated", "The tenant, email or password is wrong.");

/** Password sign-in for the web apps: returns an access token for the user's identity with their role's scopes. */
export async function signIn(
  deps: IdentityDeps,
  input: { tenant: string; email: string; password: string },
): Promise<SignInResult> {
  const tenant = await deps.store.getTenantBySlug(input.tenant);
  const user = tenant && (await deps.store.getUserByEmail(tenant.id, input.email.trim().toLowerCase()));
  // Hash even when the user is unknown, so response time does not reveal which emails exist.
  const ok = await deps.passwords.verify(input.password, user?.passwordHash ?? "scrypt$invalid");
  if (!user || !ok) throw badCredentials();
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + deps.tokenPolicy.defaultMinutes * 60_000);
  const token = await deps.tokens.sign(
    {
      tenantId: user.tenantId,
      identityId: user.identityId,
      scopes: scopesForRole(user.role),
      userId: user.id,
      role: user.role,
      expiresAt,
    },
    now,
  );
  return { token, expiresAt, user: publicUser(user) };
}
