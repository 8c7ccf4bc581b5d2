import type { BotSettings, FaqEntry } from "./model.js";

export interface KnowledgeStore {
  createFaq(entry: FaqEntry): Promise<FaqEntry>;
  updateFaq(entry: FaqEntry): Promise<FaqEntry>;
  deleteFaq(tenantId: string, id: string): Promise<boolean>;
  getFaq(tenantId: string, id: string): Promise<FaqEntry | undefined>;
  /** Every entry of the tenant, oldest first (a knowledge base is hundreds of entries, not millions). */
  listFaqs(tenantId: string): Promise<readonly FaqEntry[]>;
  /** Undefined until the tenant saves settings of its own. */
  getBotSettings(tenantId: string): Promise<BotSettings | undefined>;
  putBotSettings(tenantId: string, settings: BotSettings, at: Date): Promise<void>;
}
