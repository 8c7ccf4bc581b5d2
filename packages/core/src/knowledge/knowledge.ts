import type { Clock } from "../kernel/clock.js";
import { DomainError, notFound } from "../kernel/domain-error.js";
import type { IdGenerator } from "../kernel/ids.js";
import type { BotSettings, FaqEntry } from "./model.js";
import type { KnowledgeStore } from "./ports.js";

export interface KnowledgeDeps {
  readonly knowledge: KnowledgeStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Listeners told when a tenant's knowledge changes (the bot rebuilds its index). */
  readonly onKnowledgeChanged?: (tenantId: string) => void;
}

export interface FaqInput {
  readonly question: string;
  readonly answer: string;
  readonly alternatives?: readonly string[];
}

function checkFaq(input: FaqInput): void {
  const issues = [];
  if (input.question.trim() === "") issues.push({ field: "question", message: "must not be empty" });
  if (input.answer.trim() === "") issues.push({ field: "answer", message: "must not be empty" });
  if (issues.length > 0) throw new DomainError("faq.invalid", "invalid", "A question and an answer are needed.", issues);
}

export async function createFaq(deps: KnowledgeDeps, tenantId: string, input: FaqInput): Promise<FaqEntry> {
  checkFaq(input);
  const now = deps.clock.now();
  const entry = await deps.knowledge.createFaq({
    id: deps.ids.next(),
    tenantId,
    question: input.question.trim(),
    answer: input.answer.trim(),
    alternatives: (input.alternatives ?? []).map((a) => a.trim()).filter(Boolean),
    createdAt: now,
    updatedAt: now,
  });
  deps.onKnowledgeChanged?.(tenantId);
  return entry;
}

export async function updateFaq(deps: KnowledgeDeps, tenantId: string, id: string, input: FaqInput): Promise<FaqEntry> {
  checkFaq(input);
  const existing = await deps.knowledge.getFaq(tenantId, id);
  if (!existing) throw notFound("faq", id);
  const entry = await deps.knowledge.updateFaq({
    ...existing,
    question: input.question.trim(),
    answer: input.answer.trim(),
    alternatives: (input.alternatives ?? []).map((a) => a.trim()).filter(Boolean),
    updatedAt: deps.clock.now(),
  });
  deps.onKnowledgeChanged?.(tenantId);
  return entry;
}

export async function deleteFaq(deps: KnowledgeDeps, tenantId: string, id: string): Promise<void> {
  if (!(await deps.knowledge.deleteFaq(tenantId, id))) throw notFound("faq", id);
  deps.onKnowledgeChanged?.(tenantId);
}

export async function saveBotSettings(deps: KnowledgeDeps, tenantId: string, settings: BotSettings): Promise<void> {
  const names = settings.intents.map((i) => i.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) {
    throw new DomainError("bot.duplicate_intent", "invalid", `The intent ${duplicate} is defined twice.`, [
      { field: "intents", message: "intent names are unique" },
    ]);
  }
  if (settings.suggestThreshold > settings.answerThreshold) {
    throw new DomainError("bot.invalid_thresholds", "invalid", "The suggest threshold is above the answer threshold.", [
      { field: "suggestThreshold", message: "at most answerThreshold" },
    ]);
  }
  await deps.knowledge.putBotSettings(tenantId, settings, deps.clock.now());
  deps.onKnowledgeChanged?.(tenantId);
}
