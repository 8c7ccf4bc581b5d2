import { DomainError, type FieldIssue, notFound } from "../kernel/domain-error.js";
import { isValidTimeZone } from "../kernel/local-time.js";
import type { ConversationDeps } from "./deps.js";
import type { BusinessHours, EntryPoint } from "./model.js";

export interface EntryPointInput {
  readonly name: string;
  readonly botIdentityId?: string | null;
  readonly greeting?: string;
  readonly businessHours?: BusinessHours | null;
  readonly afterHoursMessage?: string;
  readonly handoffQueue?: string;
  readonly allowedOrigins?: readonly string[];
  readonly enabled?: boolean;
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const ORIGIN = /^(\*|https?:\/\/[^/\s]+)$/;

async function check(deps: ConversationDeps, tenantId: string, input: EntryPointInput): Promise<void> {
  const issues: FieldIssue[] = [];
  if (input.name.trim() === "") issues.push({ field: "name", message: "must not be empty" });
  if (input.botIdentityId) {
    const bot = await deps.identity.store.getIdentity(tenantId, input.botIdentityId);
    if (bot?.kind !== "bot") issues.push({ field: "botIdentityId", message: "no bot identity with this id" });
  }
  for (const [i, origin] of (input.allowedOrigins ?? []).entries()) {
    if (!ORIGIN.test(origin)) issues.push({ field: `allowedOrigins.${i}`, message: "scheme://host[:port] or *" });
  }
  const hours = input.businessHours;
  if (hours) {
    if (!isValidTimeZone(hours.timeZone)) issues.push({ field: "businessHours.timeZone", message: "unknown time zone" });
    for (const [day, intervals] of Object.entries(hours.weekly)) {
      if (!/^[0-6]$/.test(day)) issues.push({ field: `businessHours.weekly.${day}`, message: "weekdays are 0 (Sunday) to 6" });
      for (const [j, [from, to]] of intervals.entries()) {
        if (!HHMM.test(from) || !HHMM.test(to) || from >= to) {
          issues.push({ field: `businessHours.weekly.${day}.${j}`, message: "HH:MM to a later HH:MM" });
        }
      }
    }
  }
  if (issues.length > 0) throw new DomainError("entry_point.invalid", "invalid", "The entry point is not valid.", issues);
}

export async function createEntryPoint(deps: ConversationDeps, tenantId: string, input: EntryPointInput): Promise<EntryPoint> {
  await check(deps, tenantId, input);
  const now = deps.chat.clock.now();
  return deps.entryPoints.createEntryPoint({
    id: deps.chat.ids.next(),
    tenantId,
    name: input.name.trim(),
    channel: "web_chat",
    botIdentityId: input.botIdentityId ?? null,
    greeting: input.greeting ?? "Hi! How can we help you today?",
    businessHours: input.businessHours ?? null,
    afterHoursMessage:
      input.afterHoursMessage ?? "We're closed right now. Leave us a message and we'll get back to you when we open.",
    handoffQueue: input.handoffQueue ?? "general",
    allowedOrigins: input.allowedOrigins ?? [],
    enabled: input.enabled ?? true,
    createdAt: now,
    updatedAt: now,
  });
}

export async function updateEntryPoint(
  deps: ConversationDeps,
  tenantId: string,
  id: string,
  input: Partial<EntryPointInput>,
): Promise<EntryPoint> {
  const existing = await getEntryPoint(deps, tenantId, id);
  const merged = { ...existing, ...input };
  await check(deps, tenantId, merged);
  return deps.entryPoints.updateEntryPoint({ ...merged, name: merged.name.trim(), updatedAt: deps.chat.clock.now() });
}

export async function getEntryPoint(deps: ConversationDeps, tenantId: string, id: string): Promise<EntryPoint> {
  const entryPoint = await deps.entryPoints.getEntryPoint(tenantId, id);
  if (!entryPoint) throw notFound("entry_point", id);
  return entryPoint;
}

export async function deleteEntryPoint(deps: ConversationDeps, tenantId: string, id: string): Promise<void> {
  if (!(await deps.entryPoints.deleteEntryPoint(tenantId, id))) throw notFound("entry_point", id);
}

/** Whether a page at `origin` may embed the entry point's widget. */
export const originAllowed = (entryPoint: EntryPoint, origin: string | undefined): boolean =>
  entryPoint.allowedOrigins.includes("*") || (origin !== undefined && entryPoint.allowedOrigins.includes(origin));
