import { DomainError, notFound, type SipAccount, type SipAccountStore } from "../src/index.js";
import { compareText, copyDate, type MemoryStoreOptions, requireNewId, requireTenant } from "./memory-rows.js";

const copyAccount = (a: SipAccount): SipAccount => ({
  id: a.id,
  tenantId: a.tenantId,
  username: a.username,
  extension: a.extension,
  displayName: a.displayName,
  userId: a.userId,
  ha1: a.ha1,
  createdAt: copyDate(a.createdAt),
  updatedAt: copyDate(a.updatedAt),
});

const byExtension = (a: SipAccount, b: SipAccount): number => compareText(a.extension, b.extension);

/** An in-memory `SipAccountStore` with the same semantics as the SQL one, for unit tests. */
export class MemorySipAccountStore implements SipAccountStore {
  private readonly accounts = new Map<string, SipAccount>();

  constructor(private readonly options: MemoryStoreOptions = {}) {}

  async createSipAccount(account: SipAccount): Promise<SipAccount> {
    await requireTenant(this.options, account.tenantId);
    requireNewId(this.accounts, account.id);
    this.requireUnique(account);
    const stored = copyAccount(account);
    this.accounts.set(stored.id, stored);
    return copyAccount(stored);
  }

  async updateSipAccount(account: SipAccount): Promise<SipAccount> {
    const existing = this.accounts.get(account.id);
    if (!existing || existing.tenantId !== account.tenantId) throw notFound("sip_account", account.id);
    this.requireUnique(account);
    const stored = copyAccount({ ...account, createdAt: existing.createdAt });
    this.accounts.set(stored.id, stored);
    return copyAccount(stored);
  }

  async deleteSipAccount(tenantId: string, id: string): Promise<boolean> {
    const a = this.accounts.get(id);
    if (!a || a.tenantId !== tenantId) return false;
    this.accounts.delete(id);
    return true;
  }

  async getSipAccount(tenantId: string, id: string): Promise<SipAccount | undefined> {
    const a = this.accounts.get(id);
    return a && a.tenantId === tenantId ? copyAccount(a) : undefined;
  }

  async findByUsername(username: string): Promise<SipAccount | undefined> {
    const a = [...this.accounts.values()].find((x) => x.username === username);
    return a && copyAccount(a);
  }

  async findByExtension(tenantId: string, extension: string): Promise<SipAccount | undefined> {
    const a = [...this.accounts.values()].find((x) => x.tenantId === tenantId && x.extension === extension);
    return a && copyAccount(a);
  }

  async findByUser(tenantId: string, userId: string): Promise<SipAccount | undefined> {
    const a = [...this.accounts.values()].filter((x) => x.tenantId === tenantId && x.userId === userId).sort(byExtension)[0];
    return a && copyAccount(a);
  }

  async listSipAccounts(tenantId: string): Promise<readonly SipAccount[]> {
    return [...this.accounts.values()]
      .filter((a) => a.tenantId === tenantId)
      .sort(byExtension)
      .map(copyAccount);
  }

  /** The unique indexes: the username across tenants, checked before (tenant, extension). */
  private requireUnique(account: SipAccount): void {
    const others = [...this.accounts.values()].filter((a) => a.id !== account.id);
    if (others.some((a) => a.username === account.username)) {
      throw new DomainError("sip_account.username_taken", "conflict", `The SIP username ${account.username} is taken.`);
    }
    if (others.some((a) => a.tenantId === account.tenantId && a.extension === account.extension)) {
      throw new DomainError("sip_account.extension_taken", "conflict", `The extension ${account.extension} is taken.`);
    }
  }
}
