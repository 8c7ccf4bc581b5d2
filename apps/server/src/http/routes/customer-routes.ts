import * as core from "@switchboard/core";
import * as wire from "@switchboard/protocol";
import { parse } from "csv-parse/sync";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { principalOf, requireAuthentication } from "../auth.js";
import type { RouteContext } from "../context.js";
import { customerView, importResultView } from "../views.js";

const IdParams = z.object({ id: wire.Id });
const tags = ["customers"];

/** CSV columns that name a customer's fields; every other column becomes an attribute. */
const COLUMN_FIELDS: Record<string, "name" | "email" | "phone" | "externalId"> = {
  name: "name",
  "full name": "name",
  email: "email",
  "e-mail": "email",
  phone: "phone",
  externalid: "externalId",
  external_id: "externalId",
  "external id": "externalId",
  account: "externalId",
  "account number": "externalId",
};

/** Turns CSV text (a header row, then one customer per row) into import rows. */
export function customersFromCsv(text: string): core.CustomerInput[] {
  let records: Record<string, string>[];
  try {
    records = parse(text, {
      columns: (header: string[]) => header.map((h) => h.trim()),
      skip_empty_lines: true,
      trim: true,
      bom: true,
    });
  } catch (error) {
    throw new core.DomainError("customer.invalid_csv", "invalid", `The CSV could not be read: ${(error as Error).message}`, [], {
      cause: error,
    });
  }
  return records.map((record) => {
    const row: { name: string; email?: string; phone?: string; externalId?: string; attributes: Record<string, string> } = {
      name: "",
      attributes: {},
    };
    for (const [column, value] of Object.entries(record)) {
      const field = COLUMN_FIELDS[column.toLowerCase()];
      if (field) row[field] = value;
      else if (value !== "") row.attributes[column] = value;
    }
    return row;
  });
}

/** The tenant's customer directory: list, create, change, and import by CSV or JSON. */
export const customerRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    const deps = ctx.customers;
    app.addHook("onRequest", requireAuthentication(ctx.authenticator));
    app.addContentTypeParser("text/csv", { parseAs: "string", bodyLimit: 10 * 1024 * 1024 }, (_request, body, done) =>
      done(null, body),
    );

    app.get(
      "/v1/customers",
      {
        schema: {
          tags,
          summary: "List or search customers (name, email or external id)",
          querystring: wire.CustomerQuery,
          response: { 200: wire.CustomerPage },
        },
      },
      async (request) => {
        const { tenantId } = core.requireAdmin(principalOf(request));
        const { query, after, limit } = request.query;
        const page = await deps.customers.listCustomers(tenantId, {
          limit,
          ...(query ? { query } : {}),
          ...(after ? { after } : {}),
        });
        return { items: page.items.map(customerView), next: page.next };
      },
    );

    app.post(
      "/v1/customers",
      { schema: { tags, summary: "Add a customer", body: wire.CustomerInput, response: { 201: wire.Customer } } },
      async (request, reply) => {
        const { tenantId } = core.requireAdmin(principalOf(request));
        return reply.code(201).send(customerView(await core.createCustomer(deps, tenantId, request.body)));
      },
    );

    app.get(
      "/v1/customers/:id",
      { schema: { tags, summary: "Get a customer", params: IdParams, response: { 200: wire.Customer } } },
      async (request) => {
        const { tenantId } = core.requireAdmin(principalOf(request));
        return customerView(await core.getCustomer(deps, tenantId, request.params.id));
      },
    );

    app.post(
      "/v1/customers/import",
      {
        bodyLimit: 10 * 1024 * 1024,
        schema: {
          tags,
          summary:
            "Import customers: `text/csv` (header row: name, email, phone, externalId, other columns as attributes) or a JSON array",
          body: z.union([z.string(), z.array(wire.CustomerInput).max(10_000)]),
          response: { 200: wire.CustomerImportResult },
        },
      },
      async (request) => {
        const { tenantId } = core.requireAdmin(principalOf(request));
        const rows = typeof request.body === "string" ? customersFromCsv(request.body) : request.body;
        return importResultView(await core.importCustomers(deps, tenantId, rows));
      },
    );
  };
