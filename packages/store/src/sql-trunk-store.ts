import { DomainError, notFound, type Trunk, type TrunkInbound, type TrunkOutbound, type TrunkStore } from "@switchboard/core";
import type { Kysely, Selectable } from "kysely";
import { guard, isForeignKeyViolation, uniqueViolation } from "./errors.js";
import type { Database, TrunksTable } from "./schema.js";

const toTrunk = (r: Selectable<TrunksTable>): Trunk => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  inbound: JSON.parse(r.inbound) as TrunkInbound,
  outbound: r.outbound === null ? null : (JSON.parse(r.outbound) as TrunkOutbound),
  byoc: r.byoc !== 0,
  enabled: r.enabled !== 0,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

const trunkRow = (t: Trunk): Selectable<TrunksTable> => ({
  id: t.id,
  tenant_id: t.tenantId,
  name: t.name,
  inbound: JSON.stringify(t.inbound),
  outbound: t.outbound === null ? null : JSON.stringify(t.outbound),
  byoc: t.byoc ? 1 : 0,
  enabled: t.enabled ? 1 : 0,
  created_at: t.createdAt.toISOString(),
  updated_at: t.updatedAt.toISOString(),
});

/** Turns the constraint a write broke into the core's error for it; other errors pass unchanged. */
function conflict(error: unknown, t: Trunk): unknown {
  if (uniqueViolation(error) === "trunks(tenant_id,name)") {
    return new DomainError("trunk.name_taken", "conflict", `A trunk named ${t.name} exists already.`, [], { cause: error });
  }
  if (isForeignKeyViolation(error)) return notFound("tenant", t.tenantId);
  return error;
}

/** `TrunkStore` on SQLite or PostgreSQL: names unique per tenant, inbound and outbound settings as JSON. */
export class SqlTrunkStore implements TrunkStore {
  constructor(private readonly db: Kysely<Database>) {}

  createTrunk(trunk: Trunk): Promise<Trunk> {
    return guard("create the trunk", async () => {
      const row = trunkRow(trunk);
      try {
        await this.db.insertInto("trunks").values(row).execute();
      } catch (error) {
        throw conflict(error, trunk);
      }
      return toTrunk(row);
    });
  }

  updateTrunk(trunk: Trunk): Promise<Trunk> {
    return guard("update the trunk", async () => {
      const { id, tenant_id, created_at, ...fields } = trunkRow(trunk);
      let row: Selectable<TrunksTable> | undefined;
      try {
        row = await this.db
          .updateTable("trunks")
          .set(fields)
          .where("tenant_id", "=", tenant_id)
          .where("id", "=", id)
          .returningAll()
          .executeTakeFirst();
      } catch (error) {
        throw conflict(error, trunk);
      }
      if (!row) throw notFound("trunk", id);
      return toTrunk(row);
    });
  }

  deleteTrunk(tenantId: string, id: string): Promise<boolean> {
    return guard("delete the trunk", async () => {
      const result = await this.db.deleteFrom("trunks").where("tenant_id", "=", tenantId).where("id", "=", id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    });
  }

  getTrunk(tenantId: string, id: string): Promise<Trunk | undefined> {
    return guard("read the trunk", async () => {
      const row = await this.db
        .selectFrom("trunks")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where("id", "=", id)
        .executeTakeFirst();
      return row && toTrunk(row);
    });
  }

  listTrunks(tenantId: string): Promise<readonly Trunk[]> {
    return guard("list trunks", async () => {
      const rows = await this.db.selectFrom("trunks").selectAll().where("tenant_id", "=", tenantId).orderBy("name").execute();
      return rows.map(toTrunk);
    });
  }

  listAllTrunks(): Promise<readonly Trunk[]> {
    return guard("list trunks", async () => {
      // Across tenants on purpose: the SIP server matches a request's source address against every trunk.
      const rows = await this.db.selectFrom("trunks").selectAll().orderBy("tenant_id").orderBy("name").execute();
      return rows.map(toTrunk);
    });
  }
}
