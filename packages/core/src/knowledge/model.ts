/** What the tenant's bot knows: questions and answers, intents, synonyms, and how sure it must be. */

export interface FaqEntry {
  readonly id: string;
  readonly tenantId: string;
  readonly question: string;
  readonly answer: string;
  /** Other ways customers ask the same question. */
  readonly alternatives: readonly string[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface IntentSettings {
  readonly name: string;
  /** Example utterances the classifier learns from. */
  readonly examples: readonly string[];
  /** A human must take it: the bot hands off once it knows the intent. */
  readonly requiresAgent: boolean;
  /** The customer must prove who they are first (one-time code to the email on file). */
  readonly needsVerification: boolean;
  /** What the bot says for this intent when no agent is needed. */
  readonly reply?: string;
  /**
   * Where a handoff with this intent goes (e.g. intent billing → queue Billing, priority 2, skill
   * billing >= 2); left out: the entry point's queue, the default priority, no skills.
   */
  readonly routing?: {
    readonly queue?: string;
    readonly priority?: number;
    readonly requiredSkills?: readonly { readonly skill: string; readonly minLevel: number }[];
  };
}

export interface BotSettings {
  /** Words and phrases that mean the same, e.g. ["refund", "money back"]. */
  readonly synonyms: readonly (readonly string[])[];
  readonly intents: readonly IntentSettings[];
  /** FAQ confidence (0..1) above which the bot answers outright. */
  readonly answerThreshold: number;
  /** FAQ confidence above which the bot offers the closest questions instead. */
  readonly suggestThreshold: number;
  /** Misunderstood messages before the bot hands off. */
  readonly maxMisunderstandings: number;
}
