import { type EntryPoint, type EntryPointStore, notFound } from "../src/index.js";
import { byCreation, copyDate, jsonCopy, type MemoryStoreOptions, requireNewId, requireTenant } from "./memory-rows.js";

const copyEntryPoint = (e: EntryPoint): EntryPoint => ({
  id: e.id,
  tenantId: e.tenantId,
  name: e.name,
  channel: e.channel,
  botIdentityId: e.botIdentityId,
  greeting: e.greeting,
  businessHours: e.businessHours === null ? null : jsonCopy(e.businessHours),
  afterHoursMessage: e.afterHoursMessage,
  handoffQueue: e.handoffQueue,
  allowedOrigins: [...e.allowedOrigins],
  enabled: e.enabled,
  createdAt: copyDate(e.createdAt),
  updatedAt: copyDate(e.updatedAt),
});

/** An in-memory `EntryPointStore` with the same semantics as the SQL one, for unit tests. */
export class MemoryEntryPointStore implements EntryPointStore {
  private readonly entryPoints = new Map<string, EntryPoint>();

  constructor(private readonly options: MemoryStoreOptions = {}) {}

  async createEntryPoint(entryPoint: EntryPoint): Promise<EntryPoint> {
    await requireTenant(this.options, entryPoint.tenantId);
    requireNewId(this.entryPoints, entryPoint.id);
    const stored = copyEntryPoint(entryPoint);
    this.entryPoints.set(stored.id, stored);
    return copyEntryPoint(stored);
  }

  async updateEntryPoint(entryPoint: EntryPoint): Promise<EntryPoint> {
    const existing = this.entryPoints.get(entryPoint.id);
    if (!existing || existing.tenantId !== entryPoint.tenantId) throw notFound("entry_point", entryPoint.id);
    const stored = copyEntryPoint({ ...entryPoint, createdAt: existing.createdAt });
    this.entryPoints.set(stored.id, stored);
    return copyEntryPoint(stored);
  }

  async deleteEntryPoint(tenantId: string, id: string): Promise<boolean> {
    const e = this.entryPoints.get(id);
    if (!e || e.tenantId !== tenantId) return false;
    this.entryPoints.delete(id);
    return true;
  }

  async getEntryPoint(tenantId: string, id: string): Promise<EntryPoint | undefined> {
    const e = this.entryPoints.get(id);
    return e && e.tenantId === tenantId ? copyEntryPoint(e) : undefined;
  }

  async findEntryPoint(id: string): Promise<EntryPoint | undefined> {
    const e = this.entryPoints.get(id);
    return e && copyEntryPoint(e);
  }

  async listEntryPoints(tenantId: string): Promise<readonly EntryPoint[]> {
    return [...this.entryPoints.values()]
      .filter((e) => e.tenantId === tenantId)
      .sort(byCreation)
      .map(copyEntryPoint);
  }
}
