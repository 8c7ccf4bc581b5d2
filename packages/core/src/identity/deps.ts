import type { Clock } from "../kernel/clock.js";
import type { IdGenerator } from "../kernel/ids.js";
import type { OrganizationStore } from "../organizations/ports.js";
import type { IdentityStore, PasswordHasher, SecretGenerator, TokenSigner } from "./ports.js";

export interface TokenPolicy {
  /** Lifetime of a token when the request names none. */
  readonly defaultMinutes: number;
  /** Longest lifetime a token may be given. */
  readonly maxMinutes: number;
}

export const defaultTokenPolicy: TokenPolicy = { defaultMinutes: 60, maxMinutes: 24 * 60 };

export interface IdentityDeps {
  readonly store: IdentityStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly tokens: TokenSigner;
  readonly passwords: PasswordHasher;
  readonly secrets: SecretGenerator;
  readonly tokenPolicy: TokenPolicy;
  /** Where a user's organization is checked to be one of the tenant's. */
  readonly organizations: Pick<OrganizationStore, "getOrganization">;
  /**
   * Told when a user's organization, role or name changed (routing drops the queues they may no longer work
   * and takes the new name).
   */
  readonly onUserChanged?: (tenantId: string, userId: string) => void;
}
