import { type BotSettings, type FaqEntry, type KnowledgeStore, notFound } from "../src/index.js";
import { byCreation, copyDate, type MemoryStoreOptions, requireNewId, requireTenant } from "./memory-rows.js";

const copyFaq = (e: FaqEntry): FaqEntry => ({
  id: e.id,
  tenantId: e.tenantId,
  question: e.question,
  answer: e.answer,
  alternatives: [...e.alternatives],
  createdAt: copyDate(e.createdAt),
  updatedAt: copyDate(e.updatedAt),
});

/** An in-memory `KnowledgeStore` with the same semantics as the SQL one, for unit tests. */
export class MemoryKnowledgeStore implements KnowledgeStore {
  private readonly faqs = new Map<string, FaqEntry>();
  /** By tenant, kept as JSON text like the SQL store's document. */
  private readonly settings = new Map<string, { readonly json: string; readonly updatedAt: Date }>();

  constructor(private readonly options: MemoryStoreOptions = {}) {}

  async createFaq(entry: FaqEntry): Promise<FaqEntry> {
    await requireTenant(this.options, entry.tenantId);
    requireNewId(this.faqs, entry.id);
    const stored = copyFaq(entry);
    this.faqs.set(stored.id, stored);
    return copyFaq(stored);
  }

  async updateFaq(entry: FaqEntry): Promise<FaqEntry> {
    const existing = this.faqs.get(entry.id);
    if (!existing || existing.tenantId !== entry.tenantId) throw notFound("faq", entry.id);
    const stored = copyFaq({ ...entry, createdAt: existing.createdAt });
    this.faqs.set(stored.id, stored);
    return copyFaq(stored);
  }

  async deleteFaq(tenantId: string, id: string): Promise<boolean> {
    const e = this.faqs.get(id);
    if (!e || e.tenantId !== tenantId) return false;
    this.faqs.delete(id);
    return true;
  }

  async getFaq(tenantId: string, id: string): Promise<FaqEntry | undefined> {
    const e = this.faqs.get(id);
    return e && e.tenantId === tenantId ? copyFaq(e) : undefined;
  }

  async listFaqs(tenantId: string): Promise<readonly FaqEntry[]> {
    return [...this.faqs.values()]
      .filter((e) => e.tenantId === tenantId)
      .sort(byCreation)
      .map(copyFaq);
  }

  async getBotSettings(tenantId: string): Promise<BotSettings | undefined> {
    const stored = this.settings.get(tenantId);
    return stored && (JSON.parse(stored.json) as BotSettings);
  }

  async putBotSettings(tenantId: string, settings: BotSettings, at: Date): Promise<void> {
    await requireTenant(this.options, tenantId);
    this.settings.set(tenantId, { json: JSON.stringify(settings), updatedAt: copyDate(at) });
  }
}
