import { DomainError } from "../kernel/domain-error.js";
import type { IdentityDeps } from "./deps.js";
import type { Role, User, UserRecord } from "./model.js";

export interface CreateUserInput {
  readonly email: string;
  readonly displayName: string;
  readonly role: Role;
  readonly password: string;
  /** The agent organization (an outsourced team) of an agent or supervisor; absent or null: in-house. */
  readonly organizationId?: string | null;
}

export const MIN_PASSWORD_LENGTH = 10;

export const publicUser = ({ passwordHash: _, ...user }: UserRecord): User => user;

/**
 * Checks that a user of `role` may belong to the organization: one of the tenant's, and never for an
 * admin (who sees everything by definition). `user.invalid` on the `organizationId` field otherwise.
 */
export async function checkUserOrganization(
  deps: Pick<IdentityDeps, "organizations">,
  tenantId: string,
  role: Role,
  organizationId: string | null,
): Promise<void> {
  if (organizationId === null) return;
  const message =
    role === "admin"
      ? "admins belong to no organization"
      : (await deps.organizations.getOrganization(tenantId, organizationId))
        ? undefined
        : "no such organization";
  if (message) {
    throw new DomainError("user.invalid", "invalid", "The user is not valid.", [{ field: "organizationId", message }]);
  }
}

/** Creates a user of the tenant together with the agent identity they chat and call as. */
export async function createUser(
  deps: Pick<IdentityDeps, "store" | "clock" | "ids" | "passwords" | "organizations">,
  tenantId: string,
  input: CreateUserInput,
): Promise<User> {
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new DomainError("user.weak_password", "invalid", `A password has at least ${MIN_PASSWORD_LENGTH} characters.`, [
      { field: "password", message: `at least ${MIN_PASSWORD_LENGTH} characters` },
    ]);
  }
  const organizationId = input.organizationId ?? null;
  await checkUserOrganization(deps, tenantId, input.role, organizationId);
  const email = input.email.trim().toLowerCase();
  if (await deps.store.getUserByEmail(tenantId, email)) {
    throw new DomainError("user.email_taken", "conflict", `A user with the email ${email} exists already.`);
  }
  const now = deps.clock.now();
  const record = await deps.store.createUser({
    id: deps.ids.next(),
    tenantId,
    email,
    displayName: input.displayName,
    role: input.role,
    passwordHash: await deps.passwords.hash(input.password),
    organizationId,
    identity: {
      id: deps.ids.next(),
      tenantId,
      kind: "agent",
      displayName: input.displayName,
      externalId: null,
      metadata: {},
      createdAt: now,
    },
    createdAt: now,
  });
  return publicUser(record);
}
