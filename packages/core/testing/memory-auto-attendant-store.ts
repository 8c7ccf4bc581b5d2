import { type AutoAttendant, type AutoAttendantStore, DomainError, notFound } from "../src/index.js";
import { compareText, copyDate, jsonCopy, type MemoryStoreOptions, requireNewId, requireTenant } from "./memory-rows.js";

/** A copy as the SQL store would return it: the configuration round-tripped through JSON. */
const copyAttendant = (a: AutoAttendant): AutoAttendant => ({
  id: a.id,
  tenantId: a.tenantId,
  version: a.version,
  name: a.name,
  voice: a.voice,
  schedule: jsonCopy(a.schedule),
  businessHours: jsonCopy(a.businessHours),
  afterHours: jsonCopy(a.afterHours),
  holiday: jsonCopy(a.holiday),
  operator: jsonCopy(a.operator),
  speechInput: a.speechInput,
  noInput: jsonCopy(a.noInput),
  invalidInput: jsonCopy(a.invalidInput),
  createdAt: copyDate(a.createdAt),
  updatedAt: copyDate(a.updatedAt),
});

const versionKey = (id: string, version: number) => `${id}#${version}`;

/** An in-memory `AutoAttendantStore` with the same semantics as the SQL one, for unit tests. */
export class MemoryAutoAttendantStore implements AutoAttendantStore {
  /** The current version of each attendant. */
  private readonly current = new Map<string, AutoAttendant>();
  /** Every published version, the current one included. */
  private readonly versions = new Map<string, AutoAttendant>();

  constructor(private readonly options: MemoryStoreOptions = {}) {}

  async createAutoAttendant(attendant: AutoAttendant): Promise<AutoAttendant> {
    await requireTenant(this.options, attendant.tenantId);
    requireNewId(this.current, attendant.id);
    this.requireUniqueName(attendant);
    const stored = copyAttendant(attendant);
    this.current.set(stored.id, stored);
    this.versions.set(versionKey(stored.id, stored.version), stored);
    return copyAttendant(stored);
  }

  async updateAutoAttendant(attendant: AutoAttendant): Promise<AutoAttendant> {
    const existing = this.current.get(attendant.id);
    if (!existing || existing.tenantId !== attendant.tenantId) throw notFound("auto_attendant", attendant.id);
    if (attendant.version !== existing.version + 1) {
      throw new DomainError(
        "auto_attendant.version_conflict",
        "conflict",
        `Version ${existing.version} of the auto attendant is current, not ${attendant.version - 1}.`,
      );
    }
    this.requireUniqueName(attendant);
    const stored = copyAttendant({ ...attendant, createdAt: existing.createdAt });
    this.current.set(stored.id, stored);
    this.versions.set(versionKey(stored.id, stored.version), stored);
    return copyAttendant(stored);
  }

  async deleteAutoAttendant(tenantId: string, id: string): Promise<boolean> {
    const existing = this.current.get(id);
    if (!existing || existing.tenantId !== tenantId) return false;
    this.current.delete(id);
    for (const [key, version] of this.versions) if (version.id === id) this.versions.delete(key);
    return true;
  }

  async getAutoAttendant(tenantId: string, id: string): Promise<AutoAttendant | undefined> {
    const a = this.current.get(id);
    return a && a.tenantId === tenantId ? copyAttendant(a) : undefined;
  }

  async getAutoAttendantVersion(tenantId: string, id: string, version: number): Promise<AutoAttendant | undefined> {
    const a = this.versions.get(versionKey(id, version));
    return a && a.tenantId === tenantId ? copyAttendant(a) : undefined;
  }

  async listAutoAttendants(tenantId: string): Promise<readonly AutoAttendant[]> {
    return [...this.current.values()]
      .filter((a) => a.tenantId === tenantId)
      .sort((a, b) => compareText(a.name, b.name))
      .map(copyAttendant);
  }

  /** The unique index on (tenant, name). */
  private requireUniqueName(attendant: AutoAttendant): void {
    const taken = [...this.current.values()].some(
      (a) => a.tenantId === attendant.tenantId && a.name === attendant.name && a.id !== attendant.id,
    );
    if (taken) {
      throw new DomainError("auto_attendant.name_taken", "conflict", `An auto attendant named ${attendant.name} exists already.`);
    }
  }
}
