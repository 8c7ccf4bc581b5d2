import {
  type ApiKey,
  DomainError,
  type Identity,
  type IdentityKind,
  type IdentityStore,
  type NewApiKey,
  type NewIdentity,
  type NewTenant,
  type NewUser,
  notFound,
  type OrganizationStore,
  type Page,
  type Tenant,
  type UserPatch,
  type UserRecord,
} from "../src/index.js";
import { pageOf } from "./paging.js";

interface StoredApiKey extends ApiKey {
  readonly secretHash: string;
}

const byCreation = <T extends { readonly createdAt: Date; readonly id: string }>(a: T, b: T): number =>
  a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const sortedMetadata = (m: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

// Callers get copies, as they would from a database: mutating a result never changes the store.
const copyTenant = (t: Tenant): Tenant => ({ ...t, createdAt: new Date(t.createdAt) });
const copyUser = (u: UserRecord): UserRecord => ({ ...u, createdAt: new Date(u.createdAt) });
const copyIdentity = (i: Identity): Identity => ({
  ...i,
  metadata: sortedMetadata(i.metadata),
  createdAt: new Date(i.createdAt),
});
const publicKey = ({ secretHash: _, ...k }: StoredApiKey): ApiKey => ({
  ...k,
  createdAt: new Date(k.createdAt),
  revokedAt: k.revokedAt ? new Date(k.revokedAt) : null,
});

export interface MemoryIdentityStoreOptions {
  /**
   * Where a user's organization is checked to be the tenant's, as the SQL store does; without it any
   * organization id is accepted.
   */
  readonly organizations?: Pick<OrganizationStore, "getOrganization">;
}

/** An in-memory `IdentityStore` with the same semantics as the SQL one, for unit tests. */
export class MemoryIdentityStore implements IdentityStore {
  private readonly tenants = new Map<string, Tenant>();
  private readonly users = new Map<string, UserRecord>();
  private readonly apiKeys = new Map<string, StoredApiKey>();
  private readonly identities = new Map<string, Identity>();

  constructor(private readonly options: MemoryIdentityStoreOptions = {}) {}

  async createTenant(tenant: NewTenant): Promise<Tenant> {
    this.requireNewId(this.tenants, tenant.id);
    if ([...this.tenants.values()].some((t) => t.slug === tenant.slug)) {
      throw new DomainError("tenant.slug_taken", "conflict", `The tenant slug ${tenant.slug} is taken.`);
    }
    const stored: Tenant = { id: tenant.id, slug: tenant.slug, name: tenant.name, createdAt: new Date(tenant.createdAt) };
    this.tenants.set(stored.id, stored);
    return copyTenant(stored);
  }

  async getTenant(id: string): Promise<Tenant | undefined> {
    const t = this.tenants.get(id);
    return t && copyTenant(t);
  }

  async getTenantBySlug(slug: string): Promise<Tenant | undefined> {
    const t = [...this.tenants.values()].find((x) => x.slug === slug);
    return t && copyTenant(t);
  }

  async listTenants(): Promise<readonly Tenant[]> {
    return [...this.tenants.values()].sort(byCreation).map(copyTenant);
  }

  async createUser(user: NewUser): Promise<UserRecord> {
    this.requireTenant(user.tenantId);
    this.requireNewId(this.users, user.id);
    await this.requireOrganization(user.tenantId, user.organizationId ?? null);
    // Checked in the order the SQL store writes (identity, then user), and before anything is written:
    // the SQL store creates both rows in one transaction.
    const identity = this.checkedIdentity(user.identity);
    if ([...this.users.values()].some((u) => u.tenantId === user.tenantId && u.email === user.email)) {
      throw new DomainError("user.email_taken", "conflict", `A user with the email ${user.email} exists already.`);
    }
    const stored: UserRecord = {
      id: user.id,
      tenantId: user.tenantId,
      email: user.email,
      displayName: user.displayName,
      role: user.role,
      passwordHash: user.passwordHash,
      identityId: identity.id,
      organizationId: user.organizationId ?? null,
      createdAt: new Date(user.createdAt),
    };
    this.identities.set(identity.id, identity);
    this.users.set(stored.id, stored);
    return copyUser(stored);
  }

  async getUser(tenantId: string, id: string): Promise<UserRecord | undefined> {
    const u = this.users.get(id);
    return u && u.tenantId === tenantId ? copyUser(u) : undefined;
  }

  async updateUser(tenantId: string, id: string, patch: UserPatch): Promise<UserRecord | undefined> {
    const u = this.users.get(id);
    if (!u || u.tenantId !== tenantId) return undefined;
    if (patch.organizationId !== undefined) await this.requireOrganization(tenantId, patch.organizationId);
    const stored: UserRecord = {
      ...u,
      ...(patch.organizationId !== undefined ? { organizationId: patch.organizationId } : {}),
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      ...(patch.displayName !== undefined ? { displayName: patch.displayName } : {}),
    };
    this.users.set(id, stored);
    const identity = this.identities.get(u.identityId);
    if (identity && patch.displayName !== undefined)
      this.identities.set(identity.id, { ...identity, displayName: patch.displayName });
    return copyUser(stored);
  }

  async getUserByEmail(tenantId: string, email: string): Promise<UserRecord | undefined> {
    const u = [...this.users.values()].find((x) => x.tenantId === tenantId && x.email === email);
    return u && copyUser(u);
  }

  async getUserByIdentity(tenantId: string, identityId: string): Promise<UserRecord | undefined> {
    const u = [...this.users.values()].find((x) => x.tenantId === tenantId && x.identityId === identityId);
    return u && copyUser(u);
  }

  async listUsers(tenantId: string): Promise<readonly UserRecord[]> {
    return [...this.users.values()]
      .filter((u) => u.tenantId === tenantId)
      .sort(byCreation)
      .map(copyUser);
  }

  async createApiKey(key: NewApiKey): Promise<ApiKey> {
    this.requireTenant(key.tenantId);
    this.requireNewId(this.apiKeys, key.id);
    if ([...this.apiKeys.values()].some((k) => k.secretHash === key.secretHash)) {
      throw new DomainError("api_key.secret_taken", "conflict", "An API key with this secret exists already.");
    }
    const stored: StoredApiKey = {
      id: key.id,
      tenantId: key.tenantId,
      name: key.name,
      prefix: key.prefix,
      secretHash: key.secretHash,
      createdAt: new Date(key.createdAt),
      revokedAt: null,
    };
    this.apiKeys.set(stored.id, stored);
    return publicKey(stored);
  }

  async findApiKeyBySecretHash(secretHash: string): Promise<ApiKey | undefined> {
    const k = [...this.apiKeys.values()].find((x) => x.secretHash === secretHash);
    return k && publicKey(k);
  }

  async listApiKeys(tenantId: string): Promise<readonly ApiKey[]> {
    return [...this.apiKeys.values()]
      .filter((k) => k.tenantId === tenantId)
      .sort(byCreation)
      .map(publicKey);
  }

  async revokeApiKey(tenantId: string, id: string, at: Date): Promise<ApiKey | undefined> {
    const k = this.apiKeys.get(id);
    if (!k || k.tenantId !== tenantId) return undefined;
    // Revoking twice keeps the first time.
    const revoked: StoredApiKey = { ...k, revokedAt: k.revokedAt ?? new Date(at) };
    this.apiKeys.set(id, revoked);
    return publicKey(revoked);
  }

  async createIdentity(identity: NewIdentity): Promise<Identity> {
    const stored = this.checkedIdentity(identity);
    this.identities.set(stored.id, stored);
    return copyIdentity(stored);
  }

  async getIdentity(tenantId: string, id: string): Promise<Identity | undefined> {
    const i = this.identities.get(id);
    return i && i.tenantId === tenantId ? copyIdentity(i) : undefined;
  }

  async listIdentities(
    tenantId: string,
    options: { after?: string; limit: number; kind?: IdentityKind },
  ): Promise<Page<Identity>> {
    const mine = [...this.identities.values()].filter(
      (i) => i.tenantId === tenantId && (options.kind === undefined || i.kind === options.kind),
    );
    const page = pageOf(mine, (i) => ({ createdAt: i.createdAt.toISOString(), id: i.id }), {
      after: options.after,
      limit: options.limit,
      newestFirst: false,
    });
    return { items: page.items.map(copyIdentity), next: page.next };
  }

  async deleteIdentity(tenantId: string, id: string): Promise<boolean> {
    const i = this.identities.get(id);
    if (!i || i.tenantId !== tenantId) return false;
    this.identities.delete(id);
    return true;
  }

  private checkedIdentity(identity: NewIdentity): Identity {
    this.requireTenant(identity.tenantId);
    this.requireNewId(this.identities, identity.id);
    if (
      identity.externalId !== null &&
      [...this.identities.values()].some((i) => i.tenantId === identity.tenantId && i.externalId === identity.externalId)
    ) {
      throw new DomainError(
        "identity.external_id_taken",
        "conflict",
        `An identity with the external id ${identity.externalId} exists already.`,
      );
    }
    return {
      id: identity.id,
      tenantId: identity.tenantId,
      kind: identity.kind,
      displayName: identity.displayName,
      externalId: identity.externalId,
      metadata: sortedMetadata(identity.metadata),
      createdAt: new Date(identity.createdAt),
    };
  }

  /** The foreign key of `users.organization_id`, which the SQL store also checks names the user's tenant. */
  private async requireOrganization(tenantId: string, organizationId: string | null): Promise<void> {
    if (organizationId === null || !this.options.organizations) return;
    if (!(await this.options.organizations.getOrganization(tenantId, organizationId))) {
      throw notFound("organization", organizationId);
    }
  }

  private requireTenant(tenantId: string): void {
    if (!this.tenants.has(tenantId)) throw notFound("tenant", tenantId);
  }

  private requireNewId(rows: ReadonlyMap<string, unknown>, id: string): void {
    // A reused id is a bug in the caller (ids come from the id generator), not an expected outcome.
    if (rows.has(id)) throw new Error(`Duplicate id ${id}.`);
  }
}
