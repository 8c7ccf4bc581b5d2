import { type AgentOrganization, DomainError, notFound, type OrganizationStore } from "@switchboard/core";
import type { Kysely, Selectable } from "kysely";
import { guard, isForeignKeyViolation, uniqueViolation } from "./errors.js";
import type { Database, OrganizationsTable } from "./schema.js";

const toOrganization = (r: Selectable<OrganizationsTable>): AgentOrganization => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  createdAt: new Date(r.created_at),
});

const nameTaken = (name: string, cause: unknown) =>
  new DomainError("organization.name_taken", "conflict", `An organization named ${name} exists already.`, [], { cause });

/**
 * Checks, inside the caller's transaction, that every id names an organization of the tenant: the foreign
 * keys of `users.organization_id` and `queue_organizations` know only ids, not their tenant.
 */
export async function requireOrganizations(db: Kysely<Database>, tenantId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const rows = await db
    .selectFrom("organizations")
    .select("id")
    .where("tenant_id", "=", tenantId)
    .where("id", "in", [...ids])
    .execute();
  const found = new Set(rows.map((r) => r.id));
  const missing = ids.find((id) => !found.has(id));
  if (missing !== undefined) throw notFound("organization", missing);
}

/** `OrganizationStore` on SQLite or PostgreSQL: the tenants' agent organizations, names unique per tenant. */
export class SqlOrganizationStore implements OrganizationStore {
  constructor(private readonly db: Kysely<Database>) {}

  createOrganization(organization: AgentOrganization): Promise<AgentOrganization> {
    return guard("create the organization", async () => {
      const row: Selectable<OrganizationsTable> = {
        id: organization.id,
        tenant_id: organization.tenantId,
        name: organization.name,
        created_at: organization.createdAt.toISOString(),
      };
      try {
        await this.db.insertInto("organizations").values(row).execute();
      } catch (error) {
        if (uniqueViolation(error) === "organizations(tenant_id,name)") throw nameTaken(organization.name, error);
        if (isForeignKeyViolation(error)) throw notFound("tenant", organization.tenantId);
        throw error;
      }
      return toOrganization(row);
    });
  }

  renameOrganization(tenantId: string, id: string, name: string): Promise<AgentOrganization | undefined> {
    return guard("rename the organization", async () => {
      try {
        const row = await this.db
          .updateTable("organizations")
          .set({ name })
          .where("tenant_id", "=", tenantId)
          .where("id", "=", id)
          .returningAll()
          .executeTakeFirst();
        return row && toOrganization(row);
      } catch (error) {
        if (uniqueViolation(error) === "organizations(tenant_id,name)") throw nameTaken(name, error);
        throw error;
      }
    });
  }

  deleteOrganization(tenantId: string, id: string): Promise<boolean> {
    return guard("delete the organization", async () => {
      try {
        // Its queue rows go by cascade; a user who belongs to it stops the delete by the foreign key.
        const result = await this.db
          .deleteFrom("organizations")
          .where("tenant_id", "=", tenantId)
          .where("id", "=", id)
          .executeTakeFirst();
        return result.numDeletedRows > 0n;
      } catch (error) {
        if (isForeignKeyViolation(error)) {
          throw new DomainError("organization.in_use", "conflict", "Users still belong to the organization.", [], {
            cause: error,
          });
        }
        throw error;
      }
    });
  }

  getOrganization(tenantId: string, id: string): Promise<AgentOrganization | undefined> {
    return guard("read the organization", async () => {
      const row = await this.db
        .selectFrom("organizations")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where("id", "=", id)
        .executeTakeFirst();
      return row && toOrganization(row);
    });
  }

  listOrganizations(tenantId: string): Promise<readonly AgentOrganization[]> {
    return guard("list organizations", async () => {
      const rows = await this.db
        .selectFrom("organizations")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .orderBy("name")
        .execute();
      return rows.map(toOrganization);
    });
  }
}
