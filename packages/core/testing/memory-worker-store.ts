import type { WorkerRecord, WorkerStore } from "../src/index.js";
import { compareText, copyDate, jsonCopy, type MemoryStoreOptions, requireTenant } from "./memory-rows.js";

/** A copy as the SQL store would return it: the settings round-tripped through JSON. */
const copyWorker = (w: WorkerRecord): WorkerRecord => ({
  tenantId: w.tenantId,
  identityId: w.identityId,
  userId: w.userId,
  settings: jsonCopy(w.settings),
  presence: w.presence,
  presenceSince: copyDate(w.presenceSince),
  updatedAt: copyDate(w.updatedAt),
});

/** An in-memory `WorkerStore` with the same semantics as the SQL one, for unit tests. */
export class MemoryWorkerStore implements WorkerStore {
  /** By tenant, then identity. */
  private readonly workers = new Map<string, Map<string, WorkerRecord>>();

  constructor(private readonly options: MemoryStoreOptions = {}) {}

  async putWorker(worker: WorkerRecord): Promise<WorkerRecord> {
    await requireTenant(this.options, worker.tenantId);
    const stored = copyWorker(worker);
    let mine = this.workers.get(stored.tenantId);
    if (!mine) {
      mine = new Map();
      this.workers.set(stored.tenantId, mine);
    }
    mine.set(stored.identityId, stored);
    return copyWorker(stored);
  }

  async getWorker(tenantId: string, identityId: string): Promise<WorkerRecord | undefined> {
    const w = this.workers.get(tenantId)?.get(identityId);
    return w && copyWorker(w);
  }

  async listWorkers(tenantId: string): Promise<readonly WorkerRecord[]> {
    return [...(this.workers.get(tenantId)?.values() ?? [])]
      .sort((a, b) => compareText(a.identityId, b.identityId))
      .map(copyWorker);
  }

  async listAllWorkers(): Promise<readonly WorkerRecord[]> {
    return [...this.workers.values()]
      .flatMap((mine) => [...mine.values()])
      .sort((a, b) => compareText(a.tenantId, b.tenantId) || compareText(a.identityId, b.identityId))
      .map(copyWorker);
  }
}
