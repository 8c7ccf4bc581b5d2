import { DomainError, type NumberEntry, notFound, type PhoneNumber, type PhoneNumberStore } from "@switchboard/core";
import type { Kysely, Selectable } from "kysely";
import { guard, isForeignKeyViolation, uniqueViolation } from "./errors.js";
import type { Database, PhoneNumbersTable } from "./schema.js";

const toNumber = (r: Selectable<PhoneNumbersTable>): PhoneNumber => ({
  id: r.id,
  tenantId: r.tenant_id,
  e164: r.e164,
  label: r.label,
  entry: JSON.parse(r.entry) as NumberEntry,
  trunkId: r.trunk_id,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

const numberRow = (n: PhoneNumber): Selectable<PhoneNumbersTable> => ({
  id: n.id,
  tenant_id: n.tenantId,
  e164: n.e164,
  label: n.label,
  entry: JSON.stringify(n.entry),
  trunk_id: n.trunkId,
  created_at: n.createdAt.toISOString(),
  updated_at: n.updatedAt.toISOString(),
});

/** Turns the constraint a write broke into the core's error for it; other errors pass unchanged. */
function conflict(error: unknown, n: PhoneNumber): unknown {
  if (uniqueViolation(error) === "phone_numbers(e164)") {
    return new DomainError("phone_number.taken", "conflict", `The number ${n.e164} is in use already.`, [], { cause: error });
  }
  if (isForeignKeyViolation(error)) return notFound("tenant", n.tenantId);
  return error;
}

/** `PhoneNumberStore` on SQLite or PostgreSQL: each number unique across the deployment. */
export class SqlPhoneNumberStore implements PhoneNumberStore {
  constructor(private readonly db: Kysely<Database>) {}

  createPhoneNumber(number: PhoneNumber): Promise<PhoneNumber> {
    return guard("create the phone number", async () => {
      const row = numberRow(number);
      try {
        await this.db.insertInto("phone_numbers").values(row).execute();
      } catch (error) {
        throw conflict(error, number);
      }
      return toNumber(row);
    });
  }

  updatePhoneNumber(number: PhoneNumber): Promise<PhoneNumber> {
    return guard("update the phone number", async () => {
      const { id, tenant_id, created_at, ...fields } = numberRow(number);
      let row: Selectable<PhoneNumbersTable> | undefined;
      try {
        row = await this.db
          .updateTable("phone_numbers")
          .set(fields)
          .where("tenant_id", "=", tenant_id)
          .where("id", "=", id)
          .returningAll()
          .executeTakeFirst();
      } catch (error) {
        throw conflict(error, number);
      }
      if (!row) throw notFound("phone_number", id);
      return toNumber(row);
    });
  }

  deletePhoneNumber(tenantId: string, id: string): Promise<boolean> {
    return guard("delete the phone number", async () => {
      const result = await this.db
        .deleteFrom("phone_numbers")
        .where("tenant_id", "=", tenantId)
        .where("id", "=", id)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    });
  }

  getPhoneNumber(tenantId: string, id: string): Promise<PhoneNumber | undefined> {
    return guard("read the phone number", async () => {
      const row = await this.db
        .selectFrom("phone_numbers")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where("id", "=", id)
        .executeTakeFirst();
      return row && toNumber(row);
    });
  }

  findByE164(e164: string): Promise<PhoneNumber | undefined> {
    return guard("find the phone number", async () => {
      // Across tenants on purpose: an incoming call names only its number, which names the tenant.
      const row = await this.db.selectFrom("phone_numbers").selectAll().where("e164", "=", e164).executeTakeFirst();
      return row && toNumber(row);
    });
  }

  listPhoneNumbers(tenantId: string): Promise<readonly PhoneNumber[]> {
    return guard("list phone numbers", async () => {
      const rows = await this.db
        .selectFrom("phone_numbers")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .orderBy("e164")
        .execute();
      return rows.map(toNumber);
    });
  }
}
