import type { WorkerRecord } from "./model.js";

export interface WorkerStore {
  /** Creates or replaces the agent's worker record. */
  putWorker(worker: WorkerRecord): Promise<WorkerRecord>;
  getWorker(tenantId: string, identityId: string): Promise<WorkerRecord | undefined>;
  listWorkers(tenantId: string): Promise<readonly WorkerRecord[]>;
  /** Every tenant's workers (the routing engine loads them at start). */
  listAllWorkers(): Promise<readonly WorkerRecord[]>;
}
