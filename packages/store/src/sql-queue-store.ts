import {
  type CallQueueSettings,
  type Distribution,
  DomainError,
  notFound,
  type Queue,
  type QueueSettings,
  type QueueStore,
} from "@switchboard/core";
import type { Kysely, Selectable } from "kysely";
import { guard, isForeignKeyViolation, uniqueViolation } from "./errors.js";
import type { Database, QueuesTable } from "./schema.js";
import { requireOrganizations } from "./sql-organization-store.js";

const jsonOrNull = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

/** A queue row with its organizations (from `queue_organizations`, sorted by id). */
const toQueue = (r: Selectable<QueuesTable>, organizationIds: readonly string[]): Queue => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  distribution: r.distribution as Distribution,
  alertSeconds: r.alert_seconds,
  wrapUpSeconds: r.wrap_up_seconds,
  serialOrder: JSON.parse(r.serial_order) as string[],
  overflow: jsonOrNull<QueueSettings["overflow"]>(r.overflow),
  timeout: jsonOrNull<QueueSettings["timeout"]>(r.timeout),
  noAgents: jsonOrNull<QueueSettings["noAgents"]>(r.no_agents),
  wrapUpCodes: JSON.parse(r.wrap_up_codes) as string[],
  serviceLevelSeconds: r.service_level_seconds,
  organizationIds: [...organizationIds],
  call: JSON.parse(r.call_settings) as CallQueueSettings,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

const queueRow = (q: Queue): Selectable<QueuesTable> => ({
  id: q.id,
  tenant_id: q.tenantId,
  name: q.name,
  distribution: q.distribution,
  alert_seconds: q.alertSeconds,
  wrap_up_seconds: q.wrapUpSeconds,
  serial_order: JSON.stringify(q.serialOrder),
  overflow: q.overflow === null ? null : JSON.stringify(q.overflow),
  timeout: q.timeout === null ? null : JSON.stringify(q.timeout),
  no_agents: q.noAgents === null ? null : JSON.stringify(q.noAgents),
  wrap_up_codes: JSON.stringify(q.wrapUpCodes),
  service_level_seconds: q.serviceLevelSeconds,
  created_at: q.createdAt.toISOString(),
  updated_at: q.updatedAt.toISOString(),
  call_settings: JSON.stringify(q.call),
});

/** Turns the constraint a write broke into the core's error for it; other errors pass unchanged. */
function conflict(error: unknown, q: Queue): unknown {
  if (uniqueViolation(error) === "queues(tenant_id,name)") {
    return new DomainError("queue.name_taken", "conflict", `A queue named ${q.name} exists already.`, [], { cause: error });
  }
  // The tenant, or an organization that went between the check and the write.
  if (isForeignKeyViolation(error)) {
    const organizationId = q.organizationIds[0];
    return organizationId === undefined ? notFound("tenant", q.tenantId) : notFound("organization", organizationId);
  }
  return error;
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The organizations of each queue, by queue id, each list sorted by organization id. */
function organizationsByQueue(rows: readonly { queue_id: string; organization_id: string }[]): Map<string, string[]> {
  const byQueue = new Map<string, string[]>();
  for (const r of rows) {
    const ids = byQueue.get(r.queue_id);
    if (ids) ids.push(r.organization_id);
    else byQueue.set(r.queue_id, [r.organization_id]);
  }
  for (const ids of byQueue.values()) ids.sort(byText);
  return byQueue;
}

/** `QueueStore` on SQLite or PostgreSQL: the tenants' queues, their names unique per tenant. */
export class SqlQueueStore implements QueueStore {
  constructor(private readonly db: Kysely<Database>) {}

  createQueue(queue: Queue): Promise<Queue> {
    return guard("create the queue", async () => {
      const row = queueRow(queue);
      const organizationIds = [...new Set(queue.organizationIds)].sort(byText);
      try {
        await this.db.transaction().execute(async (trx) => {
          await trx.insertInto("queues").values(row).execute();
          await this.assign(trx, queue.tenantId, queue.id, organizationIds);
        });
      } catch (error) {
        throw conflict(error, queue);
      }
      return toQueue(row, organizationIds);
    });
  }

  updateQueue(queue: Queue): Promise<Queue> {
    return guard("update the queue", async () => {
      const { id, tenant_id, created_at, ...fields } = queueRow(queue);
      const organizationIds = [...new Set(queue.organizationIds)].sort(byText);
      let row: Selectable<QueuesTable> | undefined;
      try {
        row = await this.db.transaction().execute(async (trx) => {
          const updated = await trx
            .updateTable("queues")
            .set(fields)
            .where("tenant_id", "=", tenant_id)
            .where("id", "=", id)
            .returningAll()
            .executeTakeFirst();
          if (!updated) return undefined;
          await trx.deleteFrom("queue_organizations").where("queue_id", "=", id).execute();
          await this.assign(trx, tenant_id, id, organizationIds);
          return updated;
        });
      } catch (error) {
        throw conflict(error, queue);
      }
      if (!row) throw notFound("queue", id);
      return toQueue(row, organizationIds);
    });
  }

  /** Writes the queue's organization rows, once each is known to be the tenant's. */
  private async assign(
    trx: Kysely<Database>,
    tenantId: string,
    queueId: string,
    organizationIds: readonly string[],
  ): Promise<void> {
    if (organizationIds.length === 0) return;
    await requireOrganizations(trx, tenantId, organizationIds);
    await trx
      .insertInto("queue_organizations")
      .values(
        organizationIds.map((organizationId) => ({ tenant_id: tenantId, queue_id: queueId, organization_id: organizationId })),
      )
      .execute();
  }

  deleteQueue(tenantId: string, id: string): Promise<boolean> {
    return guard("delete the queue", async () => {
      // Its organization rows go by cascade.
      const result = await this.db.deleteFrom("queues").where("tenant_id", "=", tenantId).where("id", "=", id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    });
  }

  getQueue(tenantId: string, id: string): Promise<Queue | undefined> {
    return this.findBy(tenantId, "id", id);
  }

  getQueueByName(tenantId: string, name: string): Promise<Queue | undefined> {
    return this.findBy(tenantId, "name", name);
  }

  listQueues(tenantId: string): Promise<readonly Queue[]> {
    return guard("list queues", async () => {
      const rows = await this.db.selectFrom("queues").selectAll().where("tenant_id", "=", tenantId).orderBy("name").execute();
      const assigned = organizationsByQueue(
        await this.db
          .selectFrom("queue_organizations")
          .select(["queue_id", "organization_id"])
          .where("tenant_id", "=", tenantId)
          .execute(),
      );
      return rows.map((r) => toQueue(r, assigned.get(r.id) ?? []));
    });
  }

  listAllQueues(): Promise<readonly Queue[]> {
    return guard("list queues", async () => {
      // Across tenants on purpose: the routing engine loads every tenant's queues at start.
      const rows = await this.db.selectFrom("queues").selectAll().orderBy("tenant_id").orderBy("name").execute();
      const assigned = organizationsByQueue(
        await this.db.selectFrom("queue_organizations").select(["queue_id", "organization_id"]).execute(),
      );
      return rows.map((r) => toQueue(r, assigned.get(r.id) ?? []));
    });
  }

  private findBy(tenantId: string, column: "id" | "name", value: string): Promise<Queue | undefined> {
    return guard("read the queue", async () => {
      const row = await this.db
        .selectFrom("queues")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where(column, "=", value)
        .executeTakeFirst();
      if (!row) return undefined;
      const assigned = await this.db
        .selectFrom("queue_organizations")
        .select("organization_id")
        .where("queue_id", "=", row.id)
        .execute();
      return toQueue(row, assigned.map((a) => a.organization_id).sort(byText));
    });
  }
}
