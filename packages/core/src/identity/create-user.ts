import { DomainError } from "../kernel/domain-error.js";
import type { IdentityDeps } from "./deps.js";
import type { Role, User, UserRecord } from "./model.js";

export interface CreateUserInput {
  readonly email: string;
  readonly displayName: string;
  readonly role: Role;
  readonly password: string;
}

export const MIN_PASSWORD_LENGTH = 10;

export const publicUser = ({ passwordHash: _, ...user }: UserRecord): User => user;

/** Creates a user of the tenant together with the agent identity they chat and call as. */
export async function createUser(
  deps: Pick<IdentityDeps, "store" | "clock" | "ids" | "passwords">,
  tenantId: string,
  input: CreateUserInput,
): Promise<User> {
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new DomainError("user.weak_password", "invalid", `A password has at least ${MIN_PASSWORD_LENGTH} characters.`, [
      { field: "password", message: `at least ${MIN_PASSWORD_LENGTH} characters` },
    ]);
  }
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
