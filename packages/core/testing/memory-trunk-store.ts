import { DomainError, notFound, type Trunk, type TrunkStore } from "../src/index.js";
import { compareText, copyDate, jsonCopy, type MemoryStoreOptions, requireNewId, requireTenant } from "./memory-rows.js";

/** A copy as the SQL store would return it: inbound and outbound round-tripped through JSON. */
const copyTrunk = (t: Trunk): Trunk => ({
  id: t.id,
  tenantId: t.tenantId,
  name: t.name,
  inbound: jsonCopy(t.inbound),
  outbound: t.outbound === null ? null : jsonCopy(t.outbound),
  byoc: t.byoc,
  enabled: t.enabled,
  createdAt: copyDate(t.createdAt),
  updatedAt: copyDate(t.updatedAt),
});

const byName = (a: Trunk, b: Trunk): number => compareText(a.name, b.name);

/** An in-memory `TrunkStore` with the same semantics as the SQL one, for unit tests. */
export class MemoryTrunkStore implements TrunkStore {
  private readonly trunks = new Map<string, Trunk>();

  constructor(private readonly options: MemoryStoreOptions = {}) {}

  async createTrunk(trunk: Trunk): Promise<Trunk> {
    await requireTenant(this.options, trunk.tenantId);
    requireNewId(this.trunks, trunk.id);
    this.requireUniqueName(trunk);
    const stored = copyTrunk(trunk);
    this.trunks.set(stored.id, stored);
    return copyTrunk(stored);
  }

  async updateTrunk(trunk: Trunk): Promise<Trunk> {
    const existing = this.trunks.get(trunk.id);
    if (!existing || existing.tenantId !== trunk.tenantId) throw notFound("trunk", trunk.id);
    this.requireUniqueName(trunk);
    const stored = copyTrunk({ ...trunk, createdAt: existing.createdAt });
    this.trunks.set(stored.id, stored);
    return copyTrunk(stored);
  }

  async deleteTrunk(tenantId: string, id: string): Promise<boolean> {
    const t = this.trunks.get(id);
    if (!t || t.tenantId !== tenantId) return false;
    this.trunks.delete(id);
    return true;
  }

  async getTrunk(tenantId: string, id: string): Promise<Trunk | undefined> {
    const t = this.trunks.get(id);
    return t && t.tenantId === tenantId ? copyTrunk(t) : undefined;
  }

  async listTrunks(tenantId: string): Promise<readonly Trunk[]> {
    return [...this.trunks.values()]
      .filter((t) => t.tenantId === tenantId)
      .sort(byName)
      .map(copyTrunk);
  }

  async listAllTrunks(): Promise<readonly Trunk[]> {
    return [...this.trunks.values()].sort((a, b) => compareText(a.tenantId, b.tenantId) || byName(a, b)).map(copyTrunk);
  }

  /** The unique index on (tenant, name). */
  private requireUniqueName(trunk: Trunk): void {
    if ([...this.trunks.values()].some((t) => t.tenantId === trunk.tenantId && t.name === trunk.name && t.id !== trunk.id)) {
      throw new DomainError("trunk.name_taken", "conflict", `A trunk named ${trunk.name} exists already.`);
    }
  }
}
