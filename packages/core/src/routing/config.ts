import { DomainError, type FieldIssue } from "../kernel/domain-error.js";
import { E164_PATTERN, EXTENSION_PATTERN } from "../telephony/model.js";
import {
  CHANNELS,
  type Channel,
  DISTRIBUTIONS,
  type NoAgentsRule,
  type OverflowRule,
  type QueueConfig,
  type QueueExceptions,
  type QueueInput,
  type RedirectTarget,
  type SkillRequirement,
  type TimeoutRule,
  type WorkerConfig,
  type WorkerInput,
} from "./model.js";

export const ALERT_SECONDS = { min: 15, max: 180, default: 30 } as const;
export const OVERFLOW_THRESHOLD = { min: 0, max: 200 } as const;
const MAX_TIMEOUT_SECONDS = 86_400;
const MAX_WRAP_UP_SECONDS = 3_600;
const MAX_REOFFER_SECONDS = 600;
const DEFAULT_REOFFER_SECONDS = 10;
const MAX_UNITS = 100;
const MAX_LEVEL = 100;
const REDIRECT_KINDS = [
  "end",
  "queue",
  "worker",
  "leave_message",
  "voicemail",
  "external_number",
  "disconnect",
  "person",
  "auto_attendant",
] as const;

const isInt = (v: unknown, min: number, max: number): v is number =>
  Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
const isText = (v: unknown, max = 200): v is string => typeof v === "string" && v.trim() !== "" && v.length <= max;

export const isChannel = (v: unknown): v is Channel => CHANNELS.includes(v as Channel);

export function checkSkills(skills: readonly SkillRequirement[], field: string, issues: FieldIssue[]): void {
  if (!Array.isArray(skills)) {
    issues.push({ field, message: "a list of {skill, minLevel}" });
    return;
  }
  const seen = new Set<string>();
  for (const [i, req] of skills.entries()) {
    if (!isText(req?.skill, 100)) issues.push({ field: `${field}.${i}.skill`, message: "a skill label" });
    else if (seen.has(req.skill)) issues.push({ field: `${field}.${i}.skill`, message: "listed twice" });
    else seen.add(req.skill);
    if (!isInt(req?.minLevel, 0, MAX_LEVEL))
      issues.push({ field: `${field}.${i}.minLevel`, message: `an integer, 0 to ${MAX_LEVEL}` });
  }
}

export function checkPriority(priority: unknown, field: string, issues: FieldIssue[]): void {
  if (!isInt(priority, -1000, 1000)) issues.push({ field, message: "an integer, -1000 to 1000" });
}

export function checkTarget(target: RedirectTarget, field: string, issues: FieldIssue[], queueId?: string): void {
  switch (target?.kind) {
    case "end":
      if (!isText(target.message, 2000)) issues.push({ field: `${field}.message`, message: "the message to end with" });
      return;
    case "queue":
      if (!isText(target.queueId)) issues.push({ field: `${field}.queueId`, message: "a queue id" });
      else if (target.queueId === queueId) issues.push({ field: `${field}.queueId`, message: "not the queue itself" });
      return;
    case "worker":
      if (!isText(target.workerId)) issues.push({ field: `${field}.workerId`, message: "a worker id" });
      return;
    case "voicemail":
      if (!isText(target.mailboxId)) issues.push({ field: `${field}.mailboxId`, message: "a mailbox id" });
      return;
    case "external_number":
      if (typeof target.number !== "string" || !E164_PATTERN.test(target.number)) {
        issues.push({ field: `${field}.number`, message: "an E.164 number, e.g. +14155550100" });
      }
      return;
    case "person":
      if (typeof target.extension !== "string" || !EXTENSION_PATTERN.test(target.extension)) {
        issues.push({ field: `${field}.extension`, message: "an extension, 2 to 8 digits" });
      }
      return;
    case "auto_attendant":
      if (!isText(target.autoAttendantId)) issues.push({ field: `${field}.autoAttendantId`, message: "an auto attendant id" });
      return;
    case "disconnect":
      if (target.message !== undefined && !isText(target.message, 2000)) {
        issues.push({ field: `${field}.message`, message: "what to say before hanging up, or nothing" });
      }
      return;
    case "leave_message":
      return;
    default:
      issues.push({
        field: `${field}.kind`,
        message: `one of ${REDIRECT_KINDS.join(", ")}`,
      });
  }
}

/** Validates an admin's queue and fills in the defaults. */
export function normalizeQueue(input: QueueInput): QueueConfig {
  const issues: FieldIssue[] = [];
  if (!isText(input.id)) issues.push({ field: "id", message: "must not be empty" });
  if (!isText(input.name)) issues.push({ field: "name", message: "must not be empty" });
  const distribution = input.distribution ?? "longest_idle";
  if (!DISTRIBUTIONS.includes(distribution)) issues.push({ field: "distribution", message: DISTRIBUTIONS.join(", ") });
  const alertSeconds = input.alertSeconds ?? ALERT_SECONDS.default;
  if (!isInt(alertSeconds, ALERT_SECONDS.min, ALERT_SECONDS.max)) {
    issues.push({ field: "alertSeconds", message: `an integer, ${ALERT_SECONDS.min} to ${ALERT_SECONDS.max}` });
  }
  const wrapUpSeconds = input.wrapUpSeconds ?? 0;
  if (!isInt(wrapUpSeconds, 0, MAX_WRAP_UP_SECONDS))
    issues.push({ field: "wrapUpSeconds", message: `an integer, 0 to ${MAX_WRAP_UP_SECONDS}` });
  const reofferSeconds = input.reofferSeconds ?? DEFAULT_REOFFER_SECONDS;
  if (!isInt(reofferSeconds, 0, MAX_REOFFER_SECONDS)) {
    issues.push({ field: "reofferSeconds", message: `an integer, 0 to ${MAX_REOFFER_SECONDS}` });
  }
  const missedOffer = input.missedOffer ?? "set_away";
  if (missedOffer !== "set_away" && missedOffer !== "keep_presence")
    issues.push({ field: "missedOffer", message: "set_away or keep_presence" });
  const serialOrder = input.serialOrder ?? [];
  if (!Array.isArray(serialOrder) || !serialOrder.every((id) => isText(id)))
    issues.push({ field: "serialOrder", message: "worker ids" });
  else if (new Set(serialOrder).size !== serialOrder.length)
    issues.push({ field: "serialOrder", message: "a worker is listed twice" });

  const ex = input.exceptions ?? {};
  const overflow: OverflowRule | null = ex.overflow ?? null;
  if (overflow) {
    if (!isInt(overflow.threshold, OVERFLOW_THRESHOLD.min, OVERFLOW_THRESHOLD.max)) {
      issues.push({
        field: "exceptions.overflow.threshold",
        message: `an integer, ${OVERFLOW_THRESHOLD.min} to ${OVERFLOW_THRESHOLD.max}`,
      });
    }
    checkTarget(overflow.target, "exceptions.overflow.target", issues, input.id);
  }
  const timeout: TimeoutRule | null = ex.timeout ?? null;
  if (timeout) {
    // At least a second: a zero timeout is an overflow at 0, and would fire again the moment it re-queued.
    if (!isInt(timeout.seconds, 1, MAX_TIMEOUT_SECONDS)) {
      issues.push({ field: "exceptions.timeout.seconds", message: `an integer, 1 to ${MAX_TIMEOUT_SECONDS}` });
    }
    checkTarget(timeout.target, "exceptions.timeout.target", issues, input.id);
  }
  const noAgents: NoAgentsRule | null = ex.noAgents ?? null;
  if (noAgents) {
    if (noAgents.when !== "none_signed_in" && noAgents.when !== "none_available") {
      issues.push({ field: "exceptions.noAgents.when", message: "none_signed_in or none_available" });
    }
    if (noAgents.action !== "queue_anyway") checkTarget(noAgents.action, "exceptions.noAgents.action", issues, input.id);
  }
  if (issues.length > 0) throw new DomainError("queue.invalid", "invalid", "The queue is not valid.", issues);
  const exceptions: QueueExceptions = { overflow, timeout, noAgents };
  return {
    id: input.id,
    name: input.name.trim(),
    distribution,
    alertSeconds,
    wrapUpSeconds,
    reofferSeconds,
    missedOffer,
    serialOrder: [...serialOrder],
    exceptions: structuredCloneJson(exceptions),
  };
}

/** Validates a worker and fills in the defaults; `queueExists` checks memberships. */
export function normalizeWorker(input: WorkerInput, queueExists: (id: string) => boolean): WorkerConfig {
  const issues: FieldIssue[] = [];
  if (!isText(input.id)) issues.push({ field: "id", message: "must not be empty" });
  const name = input.name ?? input.id;
  if (!isText(name)) issues.push({ field: "name", message: "must not be empty" });
  const capacity = input.capacity ?? 1;
  if (!isInt(capacity, 1, MAX_UNITS)) issues.push({ field: "capacity", message: `an integer, 1 to ${MAX_UNITS}` });
  const costs: Partial<Record<Channel, number>> = input.costs ? { ...input.costs } : { chat: 1, voice: capacity };
  for (const [channel, cost] of Object.entries(costs)) {
    if (!isChannel(channel)) issues.push({ field: `costs.${channel}`, message: `channels are ${CHANNELS.join(", ")}` });
    else if (!isInt(cost, 1, MAX_UNITS)) issues.push({ field: `costs.${channel}`, message: `an integer, 1 to ${MAX_UNITS}` });
  }
  const skills = { ...(input.skills ?? {}) };
  for (const [label, level] of Object.entries(skills)) {
    if (!isText(label, 100)) issues.push({ field: "skills", message: "skill labels must not be empty" });
    if (!isInt(level, 0, MAX_LEVEL)) issues.push({ field: `skills.${label}`, message: `an integer, 0 to ${MAX_LEVEL}` });
  }
  const queues = [...(input.queues ?? [])];
  if (new Set(queues).size !== queues.length) issues.push({ field: "queues", message: "a queue is listed twice" });
  for (const [i, id] of queues.entries()) {
    if (!queueExists(id)) issues.push({ field: `queues.${i}`, message: `no queue with id ${id}` });
  }
  const optedOut = [...new Set(input.optedOut ?? [])];
  for (const [i, id] of optedOut.entries()) {
    if (!queues.includes(id)) issues.push({ field: `optedOut.${i}`, message: "only from a queue the worker belongs to" });
  }
  if (issues.length > 0) throw new DomainError("worker.invalid", "invalid", "The worker is not valid.", issues);
  return { id: input.id, name: name.trim(), capacity, costs, skills, queues, optedOut };
}

/** A deep copy of plain data, so a caller keeping its input cannot change the engine's config behind its back. */
function structuredCloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
