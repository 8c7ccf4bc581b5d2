import { DomainError, type FieldIssue } from "../kernel/domain-error.js";
import { checkPriority, checkSkills, isChannel } from "./config.js";
import { describeSkills } from "./explain.js";
import type { Channel, SkillRequirement } from "./model.js";

/** What is known about a piece of work when it asks for an agent (e.g. from a conversation's handoff). */
export interface ClassificationInput {
  /** The queue the entry point hands off to (a queue id). */
  readonly entryQueue: string;
  readonly intent: string | null;
  readonly verified: boolean;
  readonly channel: Channel;
}

/**
 * "intent billing → queue billing, priority 2, skill billing >= 2". A condition left out matches
 * anything; a list matches any of its values. What the rule leaves out stays as it was: the entry
 * queue, the default priority, no skills.
 */
export interface ClassificationRule {
  /** For the admin and for the reason ("rule Billing"). */
  readonly name: string;
  readonly when: {
    readonly intent?: string | readonly string[];
    readonly entryQueue?: string | readonly string[];
    readonly verified?: boolean;
    readonly channel?: Channel;
  };
  readonly queueId?: string;
  readonly priority?: number;
  readonly requiredSkills?: readonly SkillRequirement[];
}

export interface Classification {
  readonly queueId: string;
  readonly priority: number;
  readonly requiredSkills: readonly SkillRequirement[];
  /** The rule that matched; null when none did. */
  readonly rule: string | null;
  /** For `enqueue({reason})`. */
  readonly reason: string;
}

const matches = (expected: string | readonly string[] | undefined, actual: string | null): boolean =>
  expected === undefined || (actual !== null && (typeof expected === "string" ? expected === actual : expected.includes(actual)));

/**
 * The first rule (in order) whose conditions all hold decides; admins order specific rules before
 * general ones, as in a firewall. Pure: the caller keeps the rules (per tenant) and passes them in.
 */
export function classify(
  input: ClassificationInput,
  rules: readonly ClassificationRule[],
  defaults: { readonly priority?: number } = {},
): Classification {
  const priority = defaults.priority ?? 0;
  for (const rule of rules) {
    const w = rule.when;
    if (!matches(w.intent, input.intent)) continue;
    if (!matches(w.entryQueue, input.entryQueue)) continue;
    if (w.verified !== undefined && w.verified !== input.verified) continue;
    if (w.channel !== undefined && w.channel !== input.channel) continue;
    const requiredSkills = rule.requiredSkills ?? [];
    const parts = [`rule ${rule.name}`];
    if (input.intent !== null && w.intent !== undefined) parts.push(`intent ${input.intent}`);
    if (w.verified !== undefined) parts.push(input.verified ? "verified customer" : "unverified customer");
    const result = {
      queueId: rule.queueId ?? input.entryQueue,
      priority: rule.priority ?? priority,
      requiredSkills,
      rule: rule.name,
    };
    const needs = requiredSkills.length > 0 ? `, needs ${describeSkills(requiredSkills)}` : "";
    return { ...result, reason: `classified by ${parts.join(", ")}: priority ${result.priority}${needs}` };
  }
  return {
    queueId: input.entryQueue,
    priority,
    requiredSkills: [],
    rule: null,
    reason: `no classification rule matched${input.intent ? ` intent ${input.intent}` : ""}: the entry point's queue`,
  };
}

/** Checks rules before an admin saves them; `queueExists` checks their target queues. */
export function validateRules(rules: readonly ClassificationRule[], queueExists: (id: string) => boolean): void {
  const issues: FieldIssue[] = [];
  for (const [i, rule] of rules.entries()) {
    const at = `rules.${i}`;
    if (typeof rule.name !== "string" || rule.name.trim() === "")
      issues.push({ field: `${at}.name`, message: "must not be empty" });
    if (rule.when === null || typeof rule.when !== "object") issues.push({ field: `${at}.when`, message: "the conditions" });
    else if (rule.when.channel !== undefined && !isChannel(rule.when.channel)) {
      issues.push({ field: `${at}.when.channel`, message: "chat or voice" });
    }
    if (rule.queueId !== undefined && !queueExists(rule.queueId))
      issues.push({ field: `${at}.queueId`, message: "no such queue" });
    if (rule.priority !== undefined) checkPriority(rule.priority, `${at}.priority`, issues);
    if (rule.requiredSkills !== undefined) checkSkills(rule.requiredSkills, `${at}.requiredSkills`, issues);
  }
  if (issues.length > 0)
    throw new DomainError("routing.rules_invalid", "invalid", "The classification rules are not valid.", issues);
}
