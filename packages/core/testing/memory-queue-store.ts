import { DomainError, notFound, type OrganizationStore, type Queue, type QueueStore } from "../src/index.js";
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
  organizationIds: [...q.organizationIds].sort(compareText),
  call: jsonCopy(q.call),
  createdAt: copyDate(q.createdAt),
  updatedAt: copyDate(q.updatedAt),
});

const byName = (a: Queue, b: Queue): number => compareText(a.name, b.name);

export interface MemoryQueueStoreOptions extends MemoryStoreOptions {
  /**
   * Where a queue's organizations are checked to be its tenant's (the SQL foreign key); a deleted one is
   * dropped from the queues that named it (the SQL cascade). Without it any organization id is kept.
   */
  readonly organizations?: Pick<OrganizationStore, "getOrganization">;
}

/** An in-memory `QueueStore` with the same semantics as the SQL one, for unit tests. */
export class MemoryQueueStore implements QueueStore {
  private readonly queues = new Map<string, Queue>();

  constructor(private readonly options: MemoryQueueStoreOptions = {}) {}

  async createQueue(queue: Queue): Promise<Queue> {
    await requireTenant(this.options, queue.tenantId);
    requireNewId(this.queues, queue.id);
    this.requireUniqueName(queue);
    await this.requireOrganizations(queue);
    const stored = copyQueue(queue);
    this.queues.set(stored.id, stored);
    return copyQueue(stored);
  }

  async updateQueue(queue: Queue): Promise<Queue> {
    const existing = this.queues.get(queue.id);
    if (!existing || existing.tenantId !== queue.tenantId) throw notFound("queue", queue.id);
    this.requireUniqueName(queue);
    await this.requireOrganizations(queue);
    const stored = copyQueue({ ...queue, createdAt: existing.createdAt });
    this.queues.set(stored.id, stored);
    return this.read(stored);
  }

  async deleteQueue(tenantId: string, id: string): Promise<boolean> {
    const q = this.queues.get(id);
    if (!q || q.tenantId !== tenantId) return false;
    this.queues.delete(id);
    return true;
  }

  async getQueue(tenantId: string, id: string): Promise<Queue | undefined> {
    const q = this.queues.get(id);
    return q && q.tenantId === tenantId ? this.read(q) : undefined;
  }

  async getQueueByName(tenantId: string, name: string): Promise<Queue | undefined> {
    const q = [...this.queues.values()].find((x) => x.tenantId === tenantId && x.name === name);
    return q && this.read(q);
  }

  async listQueues(tenantId: string): Promise<readonly Queue[]> {
    return Promise.all(
      [...this.queues.values()]
        .filter((q) => q.tenantId === tenantId)
        .sort(byName)
        .map((q) => this.read(q)),
    );
  }

  async listAllQueues(): Promise<readonly Queue[]> {
    return Promise.all(
      [...this.queues.values()].sort((a, b) => compareText(a.tenantId, b.tenantId) || byName(a, b)).map((q) => this.read(q)),
    );
  }

  /** A copy without the organizations deleted since it was written (the SQL rows went with them). */
  private async read(queue: Queue): Promise<Queue> {
    const copy = copyQueue(queue);
    const organizations = this.options.organizations;
    if (!organizations || copy.organizationIds.length === 0) return copy;
    const present = await Promise.all(copy.organizationIds.map((id) => organizations.getOrganization(queue.tenantId, id)));
    return { ...copy, organizationIds: copy.organizationIds.filter((_, i) => present[i] !== undefined) };
  }

  /** The foreign keys of the queue's organization rows, which the SQL store also checks name its tenant. */
  private async requireOrganizations(queue: Queue): Promise<void> {
    if (!this.options.organizations) return;
    for (const id of queue.organizationIds) {
      if (!(await this.options.organizations.getOrganization(queue.tenantId, id))) throw notFound("organization", id);
    }
  }

  /** The unique index on (tenant, name). */
  private requireUniqueName(queue: Queue): void {
    if ([...this.queues.values()].some((q) => q.tenantId === queue.tenantId && q.name === queue.name && q.id !== queue.id)) {
      throw new DomainError("queue.name_taken", "conflict", `A queue named ${queue.name} exists already.`);
    }
  }
}
