import { type Customer, type CustomerStore, DomainError, notFound, type Page } from "../src/index.js";
import { copyDate, type MemoryStoreOptions, requireNewId, requireTenant } from "./memory-rows.js";
import { pageByKey } from "./paging.js";

const sortedAttributes = (a: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(a).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));

/** A copy as the SQL store would return it: the email lowercase, the attributes' keys sorted. */
const copyCustomer = (c: Customer): Customer => ({
  id: c.id,
  tenantId: c.tenantId,
  name: c.name,
  email: c.email === null ? null : c.email.toLowerCase(),
  phone: c.phone,
  externalId: c.externalId,
  attributes: sortedAttributes(c.attributes),
  createdAt: copyDate(c.createdAt),
  updatedAt: copyDate(c.updatedAt),
});

/** What the list's `query` searches, as the SQL store's `search_text`. */
const searchText = (c: Customer): string => [c.name, c.email ?? "", c.externalId ?? ""].join("\n").toLowerCase();

/** An in-memory `CustomerStore` with the same semantics as the SQL one, for unit tests. */
export class MemoryCustomerStore implements CustomerStore {
  private readonly customers = new Map<string, Customer>();

  constructor(private readonly options: MemoryStoreOptions = {}) {}

  async createCustomer(customer: Customer): Promise<Customer> {
    await requireTenant(this.options, customer.tenantId);
    requireNewId(this.customers, customer.id);
    const stored = copyCustomer(customer);
    this.requireUnique(stored);
    this.customers.set(stored.id, stored);
    return copyCustomer(stored);
  }

  async updateCustomer(customer: Customer): Promise<Customer> {
    const existing = this.customers.get(customer.id);
    if (!existing || existing.tenantId !== customer.tenantId) throw notFound("customer", customer.id);
    const stored = copyCustomer({ ...customer, createdAt: existing.createdAt });
    this.requireUnique(stored);
    this.customers.set(stored.id, stored);
    return copyCustomer(stored);
  }

  async getCustomer(tenantId: string, id: string): Promise<Customer | undefined> {
    const c = this.customers.get(id);
    return c && c.tenantId === tenantId ? copyCustomer(c) : undefined;
  }

  async getCustomerByEmail(tenantId: string, email: string): Promise<Customer | undefined> {
    return this.find(tenantId, (c) => c.email === email.toLowerCase());
  }

  async getCustomerByExternalId(tenantId: string, externalId: string): Promise<Customer | undefined> {
    return this.find(tenantId, (c) => c.externalId === externalId);
  }

  async listCustomers(tenantId: string, options: { query?: string; after?: string; limit: number }): Promise<Page<Customer>> {
    const query = options.query?.toLowerCase() ?? "";
    const mine = [...this.customers.values()].filter((c) => c.tenantId === tenantId && searchText(c).includes(query));
    const page = pageByKey(mine, (c) => ({ key: c.name, id: c.id }), { after: options.after, limit: options.limit });
    return { items: page.items.map(copyCustomer), next: page.next };
  }

  private find(tenantId: string, matches: (c: Customer) => boolean): Customer | undefined {
    const c = [...this.customers.values()].find((x) => x.tenantId === tenantId && matches(x));
    return c && copyCustomer(c);
  }

  /** The unique indexes: (tenant, email) is checked before (tenant, external id), as the SQL indexes were made. */
  private requireUnique(c: Customer): void {
    const others = [...this.customers.values()].filter((x) => x.tenantId === c.tenantId && x.id !== c.id);
    if (c.email !== null && others.some((x) => x.email === c.email)) {
      throw new DomainError("customer.email_taken", "conflict", `A customer with the email ${c.email} exists already.`);
    }
    if (c.externalId !== null && others.some((x) => x.externalId === c.externalId)) {
      throw new DomainError(
        "customer.external_id_taken",
        "conflict",
        `A customer with the external id ${c.externalId} exists already.`,
      );
    }
  }
}
