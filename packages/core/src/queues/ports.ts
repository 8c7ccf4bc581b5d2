import type { Queue } from "./model.js";

export interface QueueStore {
  /**
   * Fails with `queue.name_taken` when the tenant has a queue of that name, and `organization.not_found`
   * when one of its organizations is not the tenant's. Organizations come back sorted by id.
   */
  createQueue(queue: Queue): Promise<Queue>;
  /**
   * Replaces the settings of an existing queue; fails with `queue.not_found`, `queue.name_taken` or
   * `organization.not_found`.
   */
  updateQueue(queue: Queue): Promise<Queue>;
  deleteQueue(tenantId: string, id: string): Promise<boolean>;
  getQueue(tenantId: string, id: string): Promise<Queue | undefined>;
  getQueueByName(tenantId: string, name: string): Promise<Queue | undefined>;
  /** By name. */
  listQueues(tenantId: string): Promise<readonly Queue[]>;
  /** Every tenant's queues (the routing engine loads them at start). */
  listAllQueues(): Promise<readonly Queue[]>;
}
