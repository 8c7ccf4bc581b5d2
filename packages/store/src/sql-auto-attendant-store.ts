import {
  type AutoAttendant,
  type AutoAttendantSettings,
  type AutoAttendantStore,
  DomainError,
  notFound,
} from "@switchboard/core";
import type { Kysely, Selectable } from "kysely";
import { guard, isForeignKeyViolation, uniqueViolation } from "./errors.js";
import type { AutoAttendantsTable, Database } from "./schema.js";

/** The settings but the name, as the `config` column keeps them. */
type Config = Omit<AutoAttendantSettings, "name">;

const configOf = (a: AutoAttendant): string =>
  JSON.stringify({
    voice: a.voice,
    schedule: a.schedule,
    businessHours: a.businessHours,
    afterHours: a.afterHours,
    holiday: a.holiday,
    operator: a.operator,
    speechInput: a.speechInput,
    noInput: a.noInput,
    invalidInput: a.invalidInput,
  } satisfies Config);

const toAttendant = (r: Selectable<AutoAttendantsTable>): AutoAttendant => {
  const config = JSON.parse(r.config) as Config;
  return {
    id: r.id,
    tenantId: r.tenant_id,
    version: r.version,
    name: r.name,
    voice: config.voice,
    schedule: config.schedule,
    businessHours: config.businessHours,
    afterHours: config.afterHours,
    holiday: config.holiday,
    operator: config.operator,
    speechInput: config.speechInput,
    noInput: config.noInput,
    invalidInput: config.invalidInput,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
};

const attendantRow = (a: AutoAttendant): Selectable<AutoAttendantsTable> => ({
  id: a.id,
  tenant_id: a.tenantId,
  name: a.name,
  version: a.version,
  config: configOf(a),
  created_at: a.createdAt.toISOString(),
  updated_at: a.updatedAt.toISOString(),
});

const versionConflict = (a: AutoAttendant, cause?: unknown): DomainError =>
  new DomainError(
    "auto_attendant.version_conflict",
    "conflict",
    `Version ${a.version - 1} of the auto attendant is no longer the current one.`,
    [],
    cause === undefined ? undefined : { cause },
  );

/** Turns the constraint a write broke into the core's error for it; other errors pass unchanged. */
function conflict(error: unknown, a: AutoAttendant): unknown {
  const unique = uniqueViolation(error);
  if (unique === "auto_attendants(tenant_id,name)") {
    return new DomainError("auto_attendant.name_taken", "conflict", `An auto attendant named ${a.name} exists already.`, [], {
      cause: error,
    });
  }
  // Another publication of the same version won the race.
  if (unique === "auto_attendant_versions(auto_attendant_id,version)") return versionConflict(a, error);
  if (isForeignKeyViolation(error)) return notFound("tenant", a.tenantId);
  return error;
}

/**
 * `AutoAttendantStore` on SQLite or PostgreSQL: the current version of each attendant in `auto_attendants`
 * (names unique per tenant), every published version in `auto_attendant_versions`, configuration as JSON.
 */
export class SqlAutoAttendantStore implements AutoAttendantStore {
  constructor(private readonly db: Kysely<Database>) {}

  createAutoAttendant(attendant: AutoAttendant): Promise<AutoAttendant> {
    return guard("create the auto attendant", async () => {
      const row = attendantRow(attendant);
      try {
        await this.db.transaction().execute(async (trx) => {
          await trx.insertInto("auto_attendants").values(row).execute();
          await trx.insertInto("auto_attendant_versions").values(versionRow(row)).execute();
        });
      } catch (error) {
        throw conflict(error, attendant);
      }
      return toAttendant(row);
    });
  }

  updateAutoAttendant(attendant: AutoAttendant): Promise<AutoAttendant> {
    return guard("publish the auto attendant", async () => {
      const { id, tenant_id, created_at, ...fields } = attendantRow(attendant);
      try {
        const row = await this.db.transaction().execute(async (trx) => {
          // Only over the version it follows: a publication in between makes this one stale.
          const updated = await trx
            .updateTable("auto_attendants")
            .set(fields)
            .where("tenant_id", "=", tenant_id)
            .where("id", "=", id)
            .where("version", "=", attendant.version - 1)
            .returningAll()
            .executeTakeFirst();
          if (!updated) {
            const current = await trx
              .selectFrom("auto_attendants")
              .select("version")
              .where("tenant_id", "=", tenant_id)
              .where("id", "=", id)
              .executeTakeFirst();
            throw current ? versionConflict(attendant) : notFound("auto_attendant", id);
          }
          await trx.insertInto("auto_attendant_versions").values(versionRow(updated)).execute();
          return updated;
        });
        return toAttendant(row);
      } catch (error) {
        throw conflict(error, attendant);
      }
    });
  }

  deleteAutoAttendant(tenantId: string, id: string): Promise<boolean> {
    return guard("delete the auto attendant", async () => {
      // Its versions go by cascade.
      const result = await this.db
        .deleteFrom("auto_attendants")
        .where("tenant_id", "=", tenantId)
        .where("id", "=", id)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    });
  }

  getAutoAttendant(tenantId: string, id: string): Promise<AutoAttendant | undefined> {
    return guard("read the auto attendant", async () => {
      const row = await this.db
        .selectFrom("auto_attendants")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where("id", "=", id)
        .executeTakeFirst();
      return row && toAttendant(row);
    });
  }

  getAutoAttendantVersion(tenantId: string, id: string, version: number): Promise<AutoAttendant | undefined> {
    return guard("read the auto attendant's version", async () => {
      const row = await this.db
        .selectFrom("auto_attendant_versions")
        .select(["auto_attendant_id as id", "tenant_id", "name", "version", "config", "created_at", "updated_at"])
        .where("tenant_id", "=", tenantId)
        .where("auto_attendant_id", "=", id)
        .where("version", "=", version)
        .executeTakeFirst();
      return row && toAttendant(row);
    });
  }

  listAutoAttendants(tenantId: string): Promise<readonly AutoAttendant[]> {
    return guard("list auto attendants", async () => {
      const rows = await this.db
        .selectFrom("auto_attendants")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .orderBy("name")
        .execute();
      return rows.map(toAttendant);
    });
  }
}

const versionRow = (r: Selectable<AutoAttendantsTable>) => ({
  tenant_id: r.tenant_id,
  auto_attendant_id: r.id,
  version: r.version,
  name: r.name,
  config: r.config,
  created_at: r.created_at,
  updated_at: r.updated_at,
});
