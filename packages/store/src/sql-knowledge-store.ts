import { type BotSettings, type FaqEntry, type KnowledgeStore, notFound } from "@switchboard/core";
import type { Kysely, Selectable } from "kysely";
import { guard, isForeignKeyViolation } from "./errors.js";
import type { Database, FaqEntriesTable } from "./schema.js";

const toFaq = (r: Selectable<FaqEntriesTable>): FaqEntry => ({
  id: r.id,
  tenantId: r.tenant_id,
  question: r.question,
  answer: r.answer,
  alternatives: JSON.parse(r.alternatives) as string[],
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

const faqRow = (e: FaqEntry): Selectable<FaqEntriesTable> => ({
  id: e.id,
  tenant_id: e.tenantId,
  question: e.question,
  answer: e.answer,
  alternatives: JSON.stringify(e.alternatives),
  created_at: e.createdAt.toISOString(),
  updated_at: e.updatedAt.toISOString(),
});

/** `KnowledgeStore` on SQLite or PostgreSQL: FAQ entries, and each tenant's bot settings as one JSON document. */
export class SqlKnowledgeStore implements KnowledgeStore {
  constructor(private readonly db: Kysely<Database>) {}

  createFaq(entry: FaqEntry): Promise<FaqEntry> {
    return guard("create the FAQ entry", async () => {
      const row = faqRow(entry);
      try {
        await this.db.insertInto("faq_entries").values(row).execute();
      } catch (error) {
        if (isForeignKeyViolation(error)) throw notFound("tenant", entry.tenantId);
        throw error;
      }
      return toFaq(row);
    });
  }

  updateFaq(entry: FaqEntry): Promise<FaqEntry> {
    return guard("update the FAQ entry", async () => {
      const { id, tenant_id, created_at, ...fields } = faqRow(entry);
      const row = await this.db
        .updateTable("faq_entries")
        .set(fields)
        .where("tenant_id", "=", tenant_id)
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw notFound("faq", id);
      return toFaq(row);
    });
  }

  deleteFaq(tenantId: string, id: string): Promise<boolean> {
    return guard("delete the FAQ entry", async () => {
      const result = await this.db
        .deleteFrom("faq_entries")
        .where("tenant_id", "=", tenantId)
        .where("id", "=", id)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    });
  }

  getFaq(tenantId: string, id: string): Promise<FaqEntry | undefined> {
    return guard("read the FAQ entry", async () => {
      const row = await this.db
        .selectFrom("faq_entries")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where("id", "=", id)
        .executeTakeFirst();
      return row && toFaq(row);
    });
  }

  listFaqs(tenantId: string): Promise<readonly FaqEntry[]> {
    return guard("list FAQ entries", async () => {
      const rows = await this.db
        .selectFrom("faq_entries")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .orderBy("created_at")
        .orderBy("id")
        .execute();
      return rows.map(toFaq);
    });
  }

  getBotSettings(tenantId: string): Promise<BotSettings | undefined> {
    return guard("read the bot settings", async () => {
      const row = await this.db
        .selectFrom("bot_settings")
        .select("settings")
        .where("tenant_id", "=", tenantId)
        .executeTakeFirst();
      return row && (JSON.parse(row.settings) as BotSettings);
    });
  }

  putBotSettings(tenantId: string, settings: BotSettings, at: Date): Promise<void> {
    return guard("save the bot settings", async () => {
      const values = { tenant_id: tenantId, settings: JSON.stringify(settings), updated_at: at.toISOString() };
      try {
        await this.db
          .insertInto("bot_settings")
          .values(values)
          .onConflict((oc) => oc.column("tenant_id").doUpdateSet({ settings: values.settings, updated_at: values.updated_at }))
          .execute();
      } catch (error) {
        if (isForeignKeyViolation(error)) throw notFound("tenant", tenantId);
        throw error;
      }
    });
  }
}
