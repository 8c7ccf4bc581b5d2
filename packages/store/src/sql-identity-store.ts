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
  type Page,
  type Role,
  type Tenant,
  type UserPatch,
  type UserRecord,
} from "@switchboard/core";
import type { Kysely, Selectable } from "kysely";
import { guard, isForeignKeyViolation, uniqueViolation } from "./errors.js";
import { metadataFromJson, metadataToJson } from "./metadata.js";
import { decodeCursor, pageFrom, pageLimit } from "./paging.js";
import type { ApiKeysTable, Database, IdentitiesTable, TenantsTable, UsersTable } from "./schema.js";
import { requireOrganizations } from "./sql-organization-store.js";

const toTenant = (r: Selectable<TenantsTable>): Tenant => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  createdAt: new Date(r.created_at),
});

const toUser = (r: Selectable<UsersTable>): UserRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  email: r.email,
  displayName: r.display_name,
  role: r.role as Role,
  passwordHash: r.password_hash,
  identityId: r.identity_id,
  organizationId: r.organization_id,
  createdAt: new Date(r.created_at),
});

const API_KEY_COLUMNS = ["id", "tenant_id", "name", "prefix", "created_at", "revoked_at"] as const;

/** The secret's hash stays in the database: it is never selected into a key. */
const toApiKey = (r: Pick<Selectable<ApiKeysTable>, (typeof API_KEY_COLUMNS)[number]>): ApiKey => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  prefix: r.prefix,
  createdAt: new Date(r.created_at),
  revokedAt: r.revoked_at === null ? null : new Date(r.revoked_at),
});

const toIdentity = (r: Selectable<IdentitiesTable>): Identity => ({
  id: r.id,
  tenantId: r.tenant_id,
  kind: r.kind as IdentityKind,
  displayName: r.display_name,
  externalId: r.external_id,
  metadata: metadataFromJson(r.metadata),
  createdAt: new Date(r.created_at),
});

const identityRow = (i: NewIdentity): Selectable<IdentitiesTable> => ({
  id: i.id,
  tenant_id: i.tenantId,
  kind: i.kind,
  display_name: i.displayName,
  external_id: i.externalId,
  metadata: metadataToJson(i.metadata),
  created_at: i.createdAt.toISOString(),
});

/** Turns the constraint a write broke into the core's error for it; other errors pass unchanged. */
function conflict(
  error: unknown,
  tenantId: string,
  values: { email?: string; externalId?: string | null; slug?: string },
): unknown {
  switch (uniqueViolation(error)) {
    case "tenants(slug)":
      return new DomainError("tenant.slug_taken", "conflict", `The tenant slug ${values.slug} is taken.`, [], { cause: error });
    case "users(tenant_id,email)":
      return new DomainError("user.email_taken", "conflict", `A user with the email ${values.email} exists already.`, [], {
        cause: error,
      });
    case "identities(tenant_id,external_id)":
      return new DomainError(
        "identity.external_id_taken",
        "conflict",
        `An identity with the external id ${values.externalId} exists already.`,
        [],
        { cause: error },
      );
    case "api_keys(secret_hash)":
      return new DomainError("api_key.secret_taken", "conflict", "An API key with this secret exists already.", [], {
        cause: error,
      });
  }
  // The only foreign key of these tables is the tenant.
  if (isForeignKeyViolation(error)) return notFound("tenant", tenantId);
  return error;
}

/** `IdentityStore` on SQLite or PostgreSQL through Kysely. */
export class SqlIdentityStore implements IdentityStore {
  constructor(private readonly db: Kysely<Database>) {}

  createTenant(tenant: NewTenant): Promise<Tenant> {
    return guard("create the tenant", async () => {
      const row = { id: tenant.id, slug: tenant.slug, name: tenant.name, created_at: tenant.createdAt.toISOString() };
      try {
        await this.db.insertInto("tenants").values(row).execute();
      } catch (error) {
        throw conflict(error, tenant.id, { slug: tenant.slug });
      }
      return toTenant(row);
    });
  }

  getTenant(id: string): Promise<Tenant | undefined> {
    return guard("read the tenant", async () => {
      const row = await this.db.selectFrom("tenants").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toTenant(row);
    });
  }

  getTenantBySlug(slug: string): Promise<Tenant | undefined> {
    return guard("read the tenant", async () => {
      const row = await this.db.selectFrom("tenants").selectAll().where("slug", "=", slug).executeTakeFirst();
      return row && toTenant(row);
    });
  }

  listTenants(): Promise<readonly Tenant[]> {
    return guard("list tenants", async () => {
      const rows = await this.db.selectFrom("tenants").selectAll().orderBy("created_at").orderBy("id").execute();
      return rows.map(toTenant);
    });
  }

  createUser(user: NewUser): Promise<UserRecord> {
    return guard("create the user", async () => {
      const row: Selectable<UsersTable> = {
        id: user.id,
        tenant_id: user.tenantId,
        email: user.email,
        display_name: user.displayName,
        role: user.role,
        password_hash: user.passwordHash,
        identity_id: user.identity.id,
        organization_id: user.organizationId ?? null,
        created_at: user.createdAt.toISOString(),
      };
      try {
        await this.db.transaction().execute(async (trx) => {
          if (row.organization_id !== null) await requireOrganizations(trx, user.tenantId, [row.organization_id]);
          await trx.insertInto("identities").values(identityRow(user.identity)).execute();
          await trx.insertInto("users").values(row).execute();
        });
      } catch (error) {
        throw conflict(error, user.tenantId, { email: user.email, externalId: user.identity.externalId });
      }
      return toUser(row);
    });
  }

  getUser(tenantId: string, id: string): Promise<UserRecord | undefined> {
    return guard("read the user", async () => {
      const row = await this.db
        .selectFrom("users")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where("id", "=", id)
        .executeTakeFirst();
      return row && toUser(row);
    });
  }

  updateUser(tenantId: string, id: string, patch: UserPatch): Promise<UserRecord | undefined> {
    return guard("update the user", () =>
      this.db.transaction().execute(async (trx) => {
        const { organizationId, role, displayName } = patch;
        const changes = {
          ...(organizationId !== undefined ? { organization_id: organizationId } : {}),
          ...(role !== undefined ? { role } : {}),
          ...(displayName !== undefined ? { display_name: displayName } : {}),
        };
        if (Object.keys(changes).length === 0) {
          const row = await trx
            .selectFrom("users")
            .selectAll()
            .where("tenant_id", "=", tenantId)
            .where("id", "=", id)
            .executeTakeFirst();
          return row && toUser(row);
        }
        if (organizationId !== undefined && organizationId !== null) await requireOrganizations(trx, tenantId, [organizationId]);
        try {
          const row = await trx
            .updateTable("users")
            .set(changes)
            .where("tenant_id", "=", tenantId)
            .where("id", "=", id)
            .returningAll()
            .executeTakeFirst();
          // The user's name is their agent identity's too: what customers and colleagues see.
          if (row && displayName !== undefined) {
            await trx
              .updateTable("identities")
              .set({ display_name: displayName })
              .where("tenant_id", "=", tenantId)
              .where("id", "=", row.identity_id)
              .execute();
          }
          return row && toUser(row);
        } catch (error) {
          // The organization went between the check and the write.
          if (organizationId !== undefined && organizationId !== null && isForeignKeyViolation(error)) {
            throw notFound("organization", organizationId);
          }
          throw error;
        }
      }),
    );
  }

  getUserByEmail(tenantId: string, email: string): Promise<UserRecord | undefined> {
    return this.userWhere(tenantId, "email", email);
  }

  getUserByIdentity(tenantId: string, identityId: string): Promise<UserRecord | undefined> {
    return this.userWhere(tenantId, "identity_id", identityId);
  }

  /** The tenant's user by a column that names at most one (both have an index with the tenant). */
  private userWhere(tenantId: string, column: "email" | "identity_id", value: string): Promise<UserRecord | undefined> {
    return guard("read the user", async () => {
      const row = await this.db
        .selectFrom("users")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where(column, "=", value)
        .executeTakeFirst();
      return row && toUser(row);
    });
  }

  listUsers(tenantId: string): Promise<readonly UserRecord[]> {
    return guard("list users", async () => {
      const rows = await this.db
        .selectFrom("users")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .orderBy("created_at")
        .orderBy("id")
        .execute();
      return rows.map(toUser);
    });
  }

  createApiKey(key: NewApiKey): Promise<ApiKey> {
    return guard("create the API key", async () => {
      const row: Selectable<ApiKeysTable> = {
        id: key.id,
        tenant_id: key.tenantId,
        name: key.name,
        prefix: key.prefix,
        secret_hash: key.secretHash,
        created_at: key.createdAt.toISOString(),
        revoked_at: null,
      };
      try {
        await this.db.insertInto("api_keys").values(row).execute();
      } catch (error) {
        throw conflict(error, key.tenantId, {});
      }
      return toApiKey(row);
    });
  }

  findApiKeyBySecretHash(secretHash: string): Promise<ApiKey | undefined> {
    return guard("read the API key", async () => {
      const row = await this.db
        .selectFrom("api_keys")
        .select(API_KEY_COLUMNS)
        .where("secret_hash", "=", secretHash)
        .executeTakeFirst();
      return row && toApiKey(row);
    });
  }

  listApiKeys(tenantId: string): Promise<readonly ApiKey[]> {
    return guard("list API keys", async () => {
      const rows = await this.db
        .selectFrom("api_keys")
        .select(API_KEY_COLUMNS)
        .where("tenant_id", "=", tenantId)
        .orderBy("created_at")
        .orderBy("id")
        .execute();
      return rows.map(toApiKey);
    });
  }

  revokeApiKey(tenantId: string, id: string, at: Date): Promise<ApiKey | undefined> {
    return guard("revoke the API key", async () => {
      // Revoking twice keeps the first time.
      const row = await this.db
        .updateTable("api_keys")
        .set((eb) => ({ revoked_at: eb.fn.coalesce("revoked_at", eb.val(at.toISOString())) }))
        .where("tenant_id", "=", tenantId)
        .where("id", "=", id)
        .returning(API_KEY_COLUMNS)
        .executeTakeFirst();
      return row && toApiKey(row);
    });
  }

  createIdentity(identity: NewIdentity): Promise<Identity> {
    return guard("create the identity", async () => {
      const row = identityRow(identity);
      try {
        await this.db.insertInto("identities").values(row).execute();
      } catch (error) {
        throw conflict(error, identity.tenantId, { externalId: identity.externalId });
      }
      return toIdentity(row);
    });
  }

  getIdentity(tenantId: string, id: string): Promise<Identity | undefined> {
    return guard("read the identity", async () => {
      const row = await this.db
        .selectFrom("identities")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where("id", "=", id)
        .executeTakeFirst();
      return row && toIdentity(row);
    });
  }

  listIdentities(tenantId: string, options: { after?: string; limit: number; kind?: IdentityKind }): Promise<Page<Identity>> {
    return guard("list identities", async () => {
      const limit = pageLimit(options.limit);
      let query = this.db.selectFrom("identities").selectAll().where("tenant_id", "=", tenantId);
      if (options.kind !== undefined) query = query.where("kind", "=", options.kind);
      if (options.after !== undefined) {
        const after = decodeCursor(options.after);
        query = query.where((eb) =>
          eb.or([
            eb("created_at", ">", after.createdAt),
            eb.and([eb("created_at", "=", after.createdAt), eb("id", ">", after.id)]),
          ]),
        );
      }
      const rows = await query
        .orderBy("created_at")
        .orderBy("id")
        .limit(limit + 1)
        .execute();
      return pageFrom(rows, limit, toIdentity);
    });
  }

  deleteIdentity(tenantId: string, id: string): Promise<boolean> {
    return guard("delete the identity", async () => {
      const result = await this.db
        .deleteFrom("identities")
        .where("tenant_id", "=", tenantId)
        .where("id", "=", id)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    });
  }
}
