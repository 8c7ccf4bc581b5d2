import type { Page } from "../identity/ports.js";
import type { Customer } from "./model.js";

export interface CustomerStore {
  /** Fails with `customer.email_taken` or `customer.external_id_taken` on a duplicate in the tenant. */
  createCustomer(customer: Customer): Promise<Customer>;
  /** Replaces the fields of an existing customer (matched by id). */
  updateCustomer(customer: Customer): Promise<Customer>;
  getCustomer(tenantId: string, id: string): Promise<Customer | undefined>;
  getCustomerByEmail(tenantId: string, email: string): Promise<Customer | undefined>;
  getCustomerByExternalId(tenantId: string, externalId: string): Promise<Customer | undefined>;
  /** Customers by name, then id; `query` matches name, email or external id (case-insensitive substring). */
  listCustomers(tenantId: string, options: { query?: string; after?: string; limit: number }): Promise<Page<Customer>>;
}
