import { type Distribution, DomainError, notFound, type Queue, type QueueSettings, type QueueStore } from "@switchboard/core";
import type { Kysely, Selectable } from "kysely";
import { guard, isForeignKeyViolation, uniqueViolation } from "./errors.js";
import type { Database, QueuesTable } from "./schema.js";

const jsonOrNull = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

const toQueue = (r: Selectable<QueuesTable>): Queue => ({
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
});

/** Turns the constraint a write broke into the core's error for it; other errors pass unchanged. */
function conflict(error: unknown, q: Queue): unknown {
  if (uniqueViolation(error) === "queues(tenant_id,name)") {
    return new DomainError("queue.name_taken", "conflict", `A queue named ${q.name} exists already.`, [], { cause: error });
  }
  if (isForeignKeyViolation(error)) return notFound("tenant", q.tenantId);
  return error;
}

/** `QueueStore` on SQLite or PostgreSQL: the tenants' queues, their names unique per tenant. */
export class SqlQueueStore implements QueueStore {
  constructor(private readonly db: Kysely<Database>) {}

  createQueue(queue: Queue): Promise<Queue> {
    return guard("create the queue", async () => {
      const row = queueRow(queue);
      try {
        await this.db.insertInto("queues").values(row).execute();
      } catch (error) {
        throw conflict(error, queue);
      }
      return toQueue(row);
    });
  }

  updateQueue(queue: Queue): Promise<Queue> {
    return guard("update the queue", async () => {
      const { id, tenant_id, created_at, ...fields } = queueRow(queue);
      let row: Selectable<QueuesTable> | undefined;
      try {
        row = await this.db
          .updateTable("queues")
          .set(fields)
          .where("tenant_id", "=", tenant_id)
          .where("id", "=", id)
          .returningAll()
          .executeTakeFirst();
      } catch (error) {
        throw conflict(error, queue);
      }
      if (!row) throw notFound("queue", id);
      return toQueue(row);
    });
  }

  deleteQueue(tenantId: string, id: string): Promise<boolean> {
    return guard("delete the queue", async () => {
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
      return rows.map(toQueue);
    });
  }

  listAllQueues(): Promise<readonly Queue[]> {
    return guard("list queues", async () => {
      // Across tenants on purpose: the routing engine loads every tenant's queues at start.
      const rows = await this.db.selectFrom("queues").selectAll().orderBy("tenant_id").orderBy("name").execute();
      return rows.map(toQueue);
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
      return row && toQueue(row);
    });
  }
}
