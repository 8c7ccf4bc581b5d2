import { type Customer, type CustomerStore, DomainError, notFound, type Page } from "@switchboard/core";
import { type Kysely, type Selectable, sql } from "kysely";
import { guard, isForeignKeyViolation, uniqueViolation } from "./errors.js";
import { metadataFromJson, metadataToJson } from "./metadata.js";
import { decodeKeyCursor, encodeKeyCursor, pageBy, pageLimit } from "./paging.js";
import type { CustomersTable, Database } from "./schema.js";

const toCustomer = (r: Selectable<CustomersTable>): Customer => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  email: r.email,
  phone: r.phone,
  externalId: r.external_id,
  attributes: metadataFromJson(r.attributes),
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

/**
 * The row of a customer. Emails are kept lowercase; `search_text` is what the list's `query` matches,
 * lowercased here rather than with SQL's `lower()`, which differs between the dialects beyond ASCII.
 */
function customerRow(c: Customer): Selectable<CustomersTable> {
  const email = c.email === null ? null : c.email.toLowerCase();
  return {
    id: c.id,
    tenant_id: c.tenantId,
    name: c.name,
    email,
    phone: c.phone,
    external_id: c.externalId,
    attributes: metadataToJson(c.attributes),
    search_text: [c.name, email ?? "", c.externalId ?? ""].join("\n").toLowerCase(),
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
  };
}

/** A `like` pattern matching `text` anywhere, its wildcards escaped (with `\`). */
const containing = (text: string): string => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Turns the constraint a write broke into the core's error for it; other errors pass unchanged. */
function conflict(error: unknown, c: Customer): unknown {
  switch (uniqueViolation(error)) {
    case "customers(tenant_id,email)":
      return new DomainError("customer.email_taken", "conflict", `A customer with the email ${c.email} exists already.`, [], {
        cause: error,
      });
    case "customers(tenant_id,external_id)":
      return new DomainError(
        "customer.external_id_taken",
        "conflict",
        `A customer with the external id ${c.externalId} exists already.`,
        [],
        { cause: error },
      );
  }
  if (isForeignKeyViolation(error)) return notFound("tenant", c.tenantId);
  return error;
}

/** `CustomerStore` on SQLite or PostgreSQL: the tenant's customer directory. */
export class SqlCustomerStore implements CustomerStore {
  constructor(private readonly db: Kysely<Database>) {}

  createCustomer(customer: Customer): Promise<Customer> {
    return guard("create the customer", async () => {
      const row = customerRow(customer);
      try {
        await this.db.insertInto("customers").values(row).execute();
      } catch (error) {
        throw conflict(error, customer);
      }
      return toCustomer(row);
    });
  }

  updateCustomer(customer: Customer): Promise<Customer> {
    return guard("update the customer", async () => {
      const { id, tenant_id, created_at, ...fields } = customerRow(customer);
      let row: Selectable<CustomersTable> | undefined;
      try {
        row = await this.db
          .updateTable("customers")
          .set(fields)
          .where("tenant_id", "=", tenant_id)
          .where("id", "=", id)
          .returningAll()
          .executeTakeFirst();
      } catch (error) {
        throw conflict(error, customer);
      }
      if (!row) throw notFound("customer", id);
      return toCustomer(row);
    });
  }

  getCustomer(tenantId: string, id: string): Promise<Customer | undefined> {
    return this.findBy("read the customer", tenantId, "id", id);
  }

  getCustomerByEmail(tenantId: string, email: string): Promise<Customer | undefined> {
    return this.findBy("read the customer", tenantId, "email", email.toLowerCase());
  }

  getCustomerByExternalId(tenantId: string, externalId: string): Promise<Customer | undefined> {
    return this.findBy("read the customer", tenantId, "external_id", externalId);
  }

  listCustomers(tenantId: string, options: { query?: string; after?: string; limit: number }): Promise<Page<Customer>> {
    return guard("list customers", async () => {
      const limit = pageLimit(options.limit);
      let query = this.db.selectFrom("customers").selectAll().where("tenant_id", "=", tenantId);
      if (options.query !== undefined && options.query !== "") {
        query = query.where(sql<boolean>`search_text like ${containing(options.query)} escape '\\'`);
      }
      if (options.after !== undefined) {
        const after = decodeKeyCursor(options.after);
        query = query.where((eb) =>
          eb.or([eb("name", ">", after.key), eb.and([eb("name", "=", after.key), eb("id", ">", after.id)])]),
        );
      }
      const rows = await query
        .orderBy("name")
        .orderBy("id")
        .limit(limit + 1)
        .execute();
      return pageBy(rows, limit, toCustomer, (r) => encodeKeyCursor({ key: r.name, id: r.id }));
    });
  }

  private findBy(action: string, tenantId: string, column: "id" | "email" | "external_id", value: string) {
    return guard(action, async () => {
      const row = await this.db
        .selectFrom("customers")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where(column, "=", value)
        .executeTakeFirst();
      return row && toCustomer(row);
    });
  }
}
