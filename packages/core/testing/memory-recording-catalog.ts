import type { Page, Recording, RecordingCatalog, RecordingFilter } from "../src/index.js";
import { copyDate, type MemoryStoreOptions, requireNewId, requireTenant } from "./memory-rows.js";
import { pageOf } from "./paging.js";

const copy = (r: Recording): Recording => ({
  id: r.id,
  tenantId: r.tenantId,
  kind: r.kind,
  ...(r.callId !== undefined ? { callId: r.callId } : {}),
  durationMs: r.durationMs,
  createdAt: copyDate(r.createdAt),
});

const matches = (r: Recording, filter: RecordingFilter): boolean =>
  (filter.kind === undefined || r.kind === filter.kind) &&
  (filter.callId === undefined || r.callId === filter.callId) &&
  (filter.before === undefined || r.createdAt.getTime() < filter.before.getTime());

/** `RecordingCatalog` in memory, for tests: the same order, cursors and tenant scoping as the SQL store. */
export class MemoryRecordingCatalog implements RecordingCatalog {
  private readonly recordings = new Map<string, Recording>();
  private readonly retentions = new Map<string, number>();

  constructor(private readonly options: MemoryStoreOptions = {}) {}

  async addRecording(recording: Recording): Promise<Recording> {
    await requireTenant(this.options, recording.tenantId);
    requireNewId(this.recordings, recording.id);
    this.recordings.set(recording.id, copy(recording));
    return copy(recording);
  }

  async getRecording(tenantId: string, id: string): Promise<Recording | undefined> {
    const found = this.recordings.get(id);
    return found && found.tenantId === tenantId ? copy(found) : undefined;
  }

  async listRecordings(
    tenantId: string,
    filter: RecordingFilter,
    options: { after?: string; limit: number },
  ): Promise<Page<Recording>> {
    const mine = [...this.recordings.values()].filter((r) => r.tenantId === tenantId && matches(r, filter));
    const page = pageOf(mine, (r) => ({ createdAt: r.createdAt.toISOString(), id: r.id }), {
      after: options.after,
      limit: options.limit,
      newestFirst: true,
    });
    return { items: page.items.map(copy), next: page.next };
  }

  async deleteRecording(tenantId: string, id: string): Promise<boolean> {
    if (this.recordings.get(id)?.tenantId !== tenantId) return false;
    return this.recordings.delete(id);
  }

  async getRetention(tenantId: string): Promise<number | null> {
    return this.retentions.get(tenantId) ?? null;
  }

  async setRetention(tenantId: string, days: number | null): Promise<void> {
    await requireTenant(this.options, tenantId);
    if (days === null) this.retentions.delete(tenantId);
    else this.retentions.set(tenantId, days);
  }

  async listRetentions(): Promise<readonly { readonly tenantId: string; readonly days: number }[]> {
    return [...this.retentions]
      .map(([tenantId, days]) => ({ tenantId, days }))
      .sort((a, b) => (a.tenantId < b.tenantId ? -1 : 1));
  }
}
