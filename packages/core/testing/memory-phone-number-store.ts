import { DomainError, notFound, type PhoneNumber, type PhoneNumberStore } from "../src/index.js";
import { compareText, copyDate, jsonCopy, type MemoryStoreOptions, requireNewId, requireTenant } from "./memory-rows.js";

/** A copy as the SQL store would return it: the entry round-tripped through JSON. */
const copyNumber = (n: PhoneNumber): PhoneNumber => ({
  id: n.id,
  tenantId: n.tenantId,
  e164: n.e164,
  label: n.label,
  entry: jsonCopy(n.entry),
  trunkId: n.trunkId,
  createdAt: copyDate(n.createdAt),
  updatedAt: copyDate(n.updatedAt),
});

const byE164 = (a: PhoneNumber, b: PhoneNumber): number => compareText(a.e164, b.e164);

/** An in-memory `PhoneNumberStore` with the same semantics as the SQL one, for unit tests. */
export class MemoryPhoneNumberStore implements PhoneNumberStore {
  private readonly numbers = new Map<string, PhoneNumber>();

  constructor(private readonly options: MemoryStoreOptions = {}) {}

  async createPhoneNumber(number: PhoneNumber): Promise<PhoneNumber> {
    await requireTenant(this.options, number.tenantId);
    requireNewId(this.numbers, number.id);
    this.requireFree(number);
    const stored = copyNumber(number);
    this.numbers.set(stored.id, stored);
    return copyNumber(stored);
  }

  async updatePhoneNumber(number: PhoneNumber): Promise<PhoneNumber> {
    const existing = this.numbers.get(number.id);
    if (!existing || existing.tenantId !== number.tenantId) throw notFound("phone_number", number.id);
    this.requireFree(number);
    const stored = copyNumber({ ...number, createdAt: existing.createdAt });
    this.numbers.set(stored.id, stored);
    return copyNumber(stored);
  }

  async deletePhoneNumber(tenantId: string, id: string): Promise<boolean> {
    const n = this.numbers.get(id);
    if (!n || n.tenantId !== tenantId) return false;
    this.numbers.delete(id);
    return true;
  }

  async getPhoneNumber(tenantId: string, id: string): Promise<PhoneNumber | undefined> {
    const n = this.numbers.get(id);
    return n && n.tenantId === tenantId ? copyNumber(n) : undefined;
  }

  async findByE164(e164: string): Promise<PhoneNumber | undefined> {
    const n = [...this.numbers.values()].find((x) => x.e164 === e164);
    return n && copyNumber(n);
  }

  async listPhoneNumbers(tenantId: string): Promise<readonly PhoneNumber[]> {
    return [...this.numbers.values()]
      .filter((n) => n.tenantId === tenantId)
      .sort(byE164)
      .map(copyNumber);
  }

  /** The unique index on the number, across tenants. */
  private requireFree(number: PhoneNumber): void {
    if ([...this.numbers.values()].some((n) => n.e164 === number.e164 && n.id !== number.id)) {
      throw new DomainError("phone_number.taken", "conflict", `The number ${number.e164} is in use already.`);
    }
  }
}
