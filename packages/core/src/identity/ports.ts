import type { AccessTokenClaims, ApiKey, Identity, IdentityKind, Role, Tenant, UserRecord } from "./model.js";

export interface NewTenant {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly createdAt: Date;
}

export interface NewIdentity {
  readonly id: string;
  readonly tenantId: string;
  readonly kind: IdentityKind;
  readonly displayName: string;
  readonly externalId: string | null;
  readonly metadata: Readonly<Record<string, string>>;
  readonly createdAt: Date;
}

export interface NewUser {
  readonly id: string;
  readonly tenantId: string;
  readonly email: string;
  readonly displayName: string;
  readonly role: Role;
  readonly passwordHash: string;
  /** The user's agent organization; absent or null: in-house. */
  readonly organizationId?: string | null;
  /** The user's agent identity, created in the same transaction. */
  readonly identity: NewIdentity;
  readonly createdAt: Date;
}

/** What may change of a user; absent fields stay as they are. */
export interface UserPatch {
  readonly organizationId?: string | null;
  readonly role?: Role;
  /** The user's name, and their agent identity's (what customers and colleagues see), together. */
  readonly displayName?: string;
}

export interface NewApiKey {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly prefix: string;
  /** A hash of the secret; the secret itself is never stored. */
  readonly secretHash: string;
  readonly createdAt: Date;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Opaque cursor for the next page, or null at the end. */
  readonly next: string | null;
}

/**
 * Persistence of tenants and who may act in them. Every method but the tenant and key lookups
 * takes the tenant id and never returns another tenant's rows.
 */
export interface IdentityStore {
  createTenant(tenant: NewTenant): Promise<Tenant>;
  getTenant(id: string): Promise<Tenant | undefined>;
  getTenantBySlug(slug: string): Promise<Tenant | undefined>;
  listTenants(): Promise<readonly Tenant[]>;

  /**
   * Fails with `user.email_taken` when the email is already used in the tenant, and with
   * `organization.not_found` when the user's organization is not one of the tenant's.
   */
  createUser(user: NewUser): Promise<UserRecord>;
  /**
   * Undefined when there is no such user; fails with `organization.not_found` like `createUser`. A new display
   * name is the user's agent identity's too, in the same transaction.
   */
  updateUser(tenantId: string, id: string, patch: UserPatch): Promise<UserRecord | undefined>;
  getUser(tenantId: string, id: string): Promise<UserRecord | undefined>;
  getUserByEmail(tenantId: string, email: string): Promise<UserRecord | undefined>;
  /** The user whose agent identity this is (routing knows agents by their identity as workers). */
  getUserByIdentity(tenantId: string, identityId: string): Promise<UserRecord | undefined>;
  listUsers(tenantId: string): Promise<readonly UserRecord[]>;

  createApiKey(key: NewApiKey): Promise<ApiKey>;
  /** Looks a key up by the hash of its secret, across tenants (the key is what names the tenant). */
  findApiKeyBySecretHash(secretHash: string): Promise<ApiKey | undefined>;
  listApiKeys(tenantId: string): Promise<readonly ApiKey[]>;
  revokeApiKey(tenantId: string, id: string, at: Date): Promise<ApiKey | undefined>;

  /** Fails with `identity.external_id_taken` when the external id is already used in the tenant. */
  createIdentity(identity: NewIdentity): Promise<Identity>;
  getIdentity(tenantId: string, id: string): Promise<Identity | undefined>;
  /** Oldest first; only identities of `kind` when given. */
  listIdentities(tenantId: string, options: { after?: string; limit: number; kind?: IdentityKind }): Promise<Page<Identity>>;
  /** Removes the identity; its tokens stop working. Returns false when there was none. */
  deleteIdentity(tenantId: string, id: string): Promise<boolean>;
}

/** Turns claims into a signed, opaque token and back. */
export interface TokenSigner {
  sign(claims: AccessTokenClaims, now: Date): Promise<string>;
  /** Returns undefined for a token that is malformed, forged or expired at `now`. */
  verify(token: string, now: Date): Promise<AccessTokenClaims | undefined>;
}

/** Slow, salted hashing for passwords (scrypt or argon2). */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
}

/** Creation of API key secrets and their fast, unsalted digest for lookup. */
export interface SecretGenerator {
  /** A new high-entropy secret, e.g. `sk_...`. */
  newSecret(): string;
  digest(secret: string): string;
}
