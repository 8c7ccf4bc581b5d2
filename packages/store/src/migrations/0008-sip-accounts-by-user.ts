import type { Migration } from "kysely";

/**
 * Indexes for finding the phone an agent answers queue calls on (once per offer): the user of a worker's
 * agent identity, then the SIP account linked to that user. Both are lookups a phone call waits on, so
 * neither may scan the tenant's users or accounts. Every statement may run again after a crash on SQLite,
 * which runs migrations outside a transaction.
 */
export const sipAccountsByUser: Migration = {
  async up(db) {
    await db.schema
      .createIndex("users_tenant_identity_idx")
      .ifNotExists()
      .on("users")
      .columns(["tenant_id", "identity_id"])
      .execute();
    // With the extension: of a user's several phones, the first by extension is the one that rings.
    await db.schema
      .createIndex("sip_accounts_tenant_user_idx")
      .ifNotExists()
      .on("sip_accounts")
      .columns(["tenant_id", "user_id", "extension"])
      .execute();
  },
};
