import { DomainError, notFound, type SipAccount, type SipAccountStore } from "@switchboard/core";
import type { Kysely, Selectable } from "kysely";
import { guard, isForeignKeyViolation, uniqueViolation } from "./errors.js";
import type { Database, SipAccountsTable } from "./schema.js";

const toAccount = (r: Selectable<SipAccountsTable>): SipAccount => ({
  id: r.id,
  tenantId: r.tenant_id,
  username: r.username,
  extension: r.extension,
  displayName: r.display_name,
  userId: r.user_id,
  ha1: r.ha1,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

const accountRow = (a: SipAccount): Selectable<SipAccountsTable> => ({
  id: a.id,
  tenant_id: a.tenantId,
  username: a.username,
  extension: a.extension,
  display_name: a.displayName,
  user_id: a.userId,
  ha1: a.ha1,
  created_at: a.createdAt.toISOString(),
  updated_at: a.updatedAt.toISOString(),
});

/**
 * Turns the constraint a write broke into the core's error for it; other errors pass unchanged. When a
 * row breaks both unique indexes the dialects name different ones (SQLite the extension's, PostgreSQL the
 * username's), so the username is looked up: it is reported first everywhere, as in the fake.
 */
async function conflict(db: Kysely<Database>, error: unknown, a: SipAccount): Promise<unknown> {
  const violated = uniqueViolation(error);
  if (violated === "sip_accounts(username)" || violated === "sip_accounts(tenant_id,extension)") {
    const holder = await db.selectFrom("sip_accounts").select("id").where("username", "=", a.username).executeTakeFirst();
    if (violated === "sip_accounts(username)" || (holder && holder.id !== a.id)) {
      return new DomainError("sip_account.username_taken", "conflict", `The SIP username ${a.username} is taken.`, [], {
        cause: error,
      });
    }
    return new DomainError("sip_account.extension_taken", "conflict", `The extension ${a.extension} is taken.`, [], {
      cause: error,
    });
  }
  if (isForeignKeyViolation(error)) return notFound("tenant", a.tenantId);
  return error;
}

/** `SipAccountStore` on SQLite or PostgreSQL: usernames unique in the deployment, extensions in the tenant. */
export class SqlSipAccountStore implements SipAccountStore {
  constructor(private readonly db: Kysely<Database>) {}

  createSipAccount(account: SipAccount): Promise<SipAccount> {
    return guard("create the SIP account", async () => {
      const row = accountRow(account);
      try {
        await this.db.insertInto("sip_accounts").values(row).execute();
      } catch (error) {
        throw await conflict(this.db, error, account);
      }
      return toAccount(row);
    });
  }

  updateSipAccount(account: SipAccount): Promise<SipAccount> {
    return guard("update the SIP account", async () => {
      const { id, tenant_id, created_at, ...fields } = accountRow(account);
      let row: Selectable<SipAccountsTable> | undefined;
      try {
        row = await this.db
          .updateTable("sip_accounts")
          .set(fields)
          .where("tenant_id", "=", tenant_id)
          .where("id", "=", id)
          .returningAll()
          .executeTakeFirst();
      } catch (error) {
        throw await conflict(this.db, error, account);
      }
      if (!row) throw notFound("sip_account", id);
      return toAccount(row);
    });
  }

  deleteSipAccount(tenantId: string, id: string): Promise<boolean> {
    return guard("delete the SIP account", async () => {
      const result = await this.db
        .deleteFrom("sip_accounts")
        .where("tenant_id", "=", tenantId)
        .where("id", "=", id)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    });
  }

  getSipAccount(tenantId: string, id: string): Promise<SipAccount | undefined> {
    return guard("read the SIP account", async () => {
      const row = await this.db
        .selectFrom("sip_accounts")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where("id", "=", id)
        .executeTakeFirst();
      return row && toAccount(row);
    });
  }

  findByUsername(username: string): Promise<SipAccount | undefined> {
    return guard("find the SIP account", async () => {
      // Across tenants on purpose: a REGISTER names only the username, which names the tenant.
      const row = await this.db.selectFrom("sip_accounts").selectAll().where("username", "=", username).executeTakeFirst();
      return row && toAccount(row);
    });
  }

  findByExtension(tenantId: string, extension: string): Promise<SipAccount | undefined> {
    return guard("find the SIP account", async () => {
      const row = await this.db
        .selectFrom("sip_accounts")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where("extension", "=", extension)
        .executeTakeFirst();
      return row && toAccount(row);
    });
  }

  findByUser(tenantId: string, userId: string): Promise<SipAccount | undefined> {
    return guard("find the SIP account", async () => {
      const row = await this.db
        .selectFrom("sip_accounts")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where("user_id", "=", userId)
        .orderBy("extension")
        .limit(1)
        .executeTakeFirst();
      return row && toAccount(row);
    });
  }

  listSipAccounts(tenantId: string): Promise<readonly SipAccount[]> {
    return guard("list SIP accounts", async () => {
      const rows = await this.db
        .selectFrom("sip_accounts")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .orderBy("extension")
        .execute();
      return rows.map(toAccount);
    });
  }
}
