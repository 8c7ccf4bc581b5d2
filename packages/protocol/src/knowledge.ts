import { z } from "zod";
import { Id, Timestamp } from "./common.js";

export const FaqEntry = z
  .object({
    id: Id,
    question: z.string(),
    answer: z.string(),
    alternatives: z.array(z.string()),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: "FaqEntry" });
export type FaqEntry = z.infer<typeof FaqEntry>;

export const FaqInput = z.object({
  question: z.string().min(1).max(500),
  answer: z.string().min(1).max(4000),
  alternatives: z.array(z.string().max(500)).max(50).optional().describe("Other ways customers ask it"),
});
export type FaqInput = z.infer<typeof FaqInput>;

export const IntentSettings = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
  examples: z.array(z.string().min(1).max(300)).min(1).max(200),
  requiresAgent: z.boolean().default(false),
  needsVerification: z.boolean().default(false),
  reply: z.string().max(2000).optional(),
  routing: z
    .object({
      queue: z.string().min(1).max(100).optional().describe("The queue's name; the entry point's queue when left out"),
      priority: z.number().int().min(0).max(10).optional(),
      requiredSkills: z
        .array(z.object({ skill: z.string().min(1).max(60), minLevel: z.number().int().min(0).max(10) }))
        .max(10)
        .optional(),
    })
    .optional()
    .describe("Where a handoff with this intent goes"),
});

export const BotSettings = z
  .object({
    synonyms: z.array(z.array(z.string().min(1).max(100)).min(2).max(20)).max(500),
    intents: z.array(IntentSettings).max(100),
    answerThreshold: z.number().min(0).max(1),
    suggestThreshold: z.number().min(0).max(1),
    maxMisunderstandings: z.number().int().min(1).max(10),
  })
  .meta({ id: "BotSettings" });
export type BotSettings = z.infer<typeof BotSettings>;
