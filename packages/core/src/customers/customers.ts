import type { Clock } from "../kernel/clock.js";
import { DomainError, type FieldIssue, notFound } from "../kernel/domain-error.js";
import type { IdGenerator } from "../kernel/ids.js";
import { type Customer, type CustomerInput, looksLikeEmail, normalizeEmail } from "./model.js";
import type { CustomerStore } from "./ports.js";

export interface CustomerDeps {
  readonly customers: CustomerStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

function check(input: CustomerInput, prefix = ""): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (input.name.trim().length === 0) issues.push({ field: `${prefix}name`, message: "must not be empty" });
  if (input.email && !looksLikeEmail(input.email)) issues.push({ field: `${prefix}email`, message: "not an email address" });
  return issues;
}

const fields = (input: CustomerInput) => ({
  name: input.name.trim(),
  email: input.email ? normalizeEmail(input.email) : null,
  phone: input.phone?.trim() || null,
  externalId: input.externalId?.trim() || null,
  attributes: input.attributes ?? {},
});

export async function createCustomer(deps: CustomerDeps, tenantId: string, input: CustomerInput): Promise<Customer> {
  const issues = check(input);
  if (issues.length > 0) throw new DomainError("customer.invalid", "invalid", "The customer is not valid.", issues);
  const now = deps.clock.now();
  return deps.customers.createCustomer({ id: deps.ids.next(), tenantId, ...fields(input), createdAt: now, updatedAt: now });
}

export async function getCustomer(deps: CustomerDeps, tenantId: string, id: string): Promise<Customer> {
  const customer = await deps.customers.getCustomer(tenantId, id);
  if (!customer) throw notFound("customer", id);
  return customer;
}

export interface ImportResult {
  readonly created: number;
  readonly updated: number;
  /** Rows not imported, with why (1-based row numbers). */
  readonly rejected: readonly { readonly row: number; readonly reason: string }[];
}

/**
 * Imports customers in bulk (from CSV or JSON): a row whose external id or email matches an existing
 * customer updates it, any other row creates one. Bad rows are reported, never half-imported.
 */
export async function importCustomers(
  deps: CustomerDeps,
  tenantId: string,
  rows: readonly CustomerInput[],
): Promise<ImportResult> {
  let created = 0;
  let updated = 0;
  const rejected: { row: number; reason: string }[] = [];
  for (const [index, row] of rows.entries()) {
    const issues = check(row);
    if (issues.length > 0) {
      rejected.push({ row: index + 1, reason: issues.map((i) => `${i.field} ${i.message}`).join("; ") });
      continue;
    }
    const f = fields(row);
    const existing =
      (f.externalId ? await deps.customers.getCustomerByExternalId(tenantId, f.externalId) : undefined) ??
      (f.email ? await deps.customers.getCustomerByEmail(tenantId, f.email) : undefined);
    try {
      if (existing) {
        await deps.customers.updateCustomer({ ...existing, ...f, updatedAt: deps.clock.now() });
        updated += 1;
      } else {
        await createCustomer(deps, tenantId, row);
        created += 1;
      }
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      rejected.push({ row: index + 1, reason: error.message });
    }
  }
  return { created, updated, rejected };
}
