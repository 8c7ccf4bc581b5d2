import { DomainError, notFound, type Queue, type QueueStore } from "../src/index.js";
import { compareText, copyDate, jsonCopy, type MemoryStoreOptions, requireNewId, requireTenant } from "./memory-rows.js";

/** A copy as the SQL store would return it: the JSON columns round-tripped. */
const copyQueue = (q: Queue): Queue => ({
  id: q.id,
  tenantId: q.tenantId,
  name: q.name,
  distribution: q.distribution,
  alertSeconds: q.alertSeconds,
  wrapUpSeconds: q.wrapUpSeconds,
  serialOrder: jsonCopy(q.serialOrder),
  overflow: q.overflow === null ? null : jsonCopy(q.overflow),
  timeout: q.timeout === null ? null : jsonCopy(q.timeout),
  noAgents: q.noAgents === null ? null : jsonCopy(q.noAgents),
  wrapUpCodes: jsonCopy(q.wrapUpCodes),
  serviceLevelSeconds: q.serviceLevelSeconds,
  createdAt: copyDate(q.createdAt),
  updatedAt: copyDate(q.updatedAt),
});

const byName = (a: Queue, b: Queue): number => compareText(a.name, b.name);

/** An in-memory `QueueStore` with the same semantics as the SQL one, for unit tests. */
export class MemoryQueueStore implements QueueStore {
  private readonly queues = new Map<string, Queue>();

  constructor(private readonly options: MemoryStoreOptions = {}) {}

  async createQueue(queue: Queue): Promise<Queue> {
    await requireTenant(this.options, queue.tenantId);
    requireNewId(this.queues, queue.id);
    this.requireUniqueName(queue);
    const stored = copyQueue(queue);
    this.queues.set(stored.id, stored);
    return copyQueue(stored);
  }

  async updateQueue(queue: Queue): Promise<Queue> {
    const existing = this.queues.get(queue.id);
    if (!existing || existing.tenantId !== queue.tenantId) throw notFound("queue", queue.id);
    this.requireUniqueName(queue);
    const stored = copyQueue({ ...queue, createdAt: existing.createdAt });
    this.queues.set(stored.id, stored);
    return copyQueue(stored);
  }

  async deleteQueue(tenantId: string, id: string): Promise<boolean> {
    const q = this.queues.get(id);
    if (!q || q.tenantId !== tenantId) return false;
    this.queues.delete(id);
    return true;
  }

  async getQueue(tenantId: string, id: string): Promise<Queue | undefined> {
    const q = this.queues.get(id);
    return q && q.tenantId === tenantId ? copyQueue(q) : undefined;
  }

  async getQueueByName(tenantId: string, name: string): Promise<Queue | undefined> {
    const q = [...this.queues.values()].find((x) => x.tenantId === tenantId && x.name === name);
    return q && copyQueue(q);
  }

  async listQueues(tenantId: string): Promise<readonly Queue[]> {
    return [...this.queues.values()]
      .filter((q) => q.tenantId === tenantId)
      .sort(byName)
      .map(copyQueue);
  }

  async listAllQueues(): Promise<readonly Queue[]> {
    return [...this.queues.values()].sort((a, b) => compareText(a.tenantId, b.tenantId) || byName(a, b)).map(copyQueue);
  }

  /** The unique index on (tenant, name). */
  private requireUniqueName(queue: Queue): void {
    if ([...this.queues.values()].some((q) => q.tenantId === queue.tenantId && q.name === queue.name && q.id !== queue.id)) {
      throw new DomainError("queue.name_taken", "conflict", `A queue named ${queue.name} exists already.`);
    }
  }
}
