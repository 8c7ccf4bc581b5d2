import type { Clock } from "../kernel/clock.js";
import { DomainError, type FieldIssue, notFound } from "../kernel/domain-error.js";
import type { IdGenerator } from "../kernel/ids.js";
import { defaultQueueSettings, type Queue, type QueueSettings, type RedirectTarget } from "./model.js";
import type { QueueStore } from "./ports.js";

export interface QueueDeps {
  readonly queues: QueueStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Told when a tenant's queues change (the routing engine reloads them). */
  readonly onQueuesChanged?: (tenantId: string) => void;
}

async function check(deps: QueueDeps, tenantId: string, settings: QueueSettings, self: string | null): Promise<void> {
  const issues: FieldIssue[] = [];
  if (settings.name.trim() === "") issues.push({ field: "name", message: "must not be empty" });
  if (settings.alertSeconds < 15 || settings.alertSeconds > 180) issues.push({ field: "alertSeconds", message: "15 to 180" });
  if (settings.overflow && (settings.overflow.threshold < 0 || settings.overflow.threshold > 200)) {
    issues.push({ field: "overflow.threshold", message: "0 to 200" });
  }
  // At least a second: a 0 s timeout would fire again the moment the job re-queued (overflow 0 is "at once").
  if (settings.timeout && (settings.timeout.seconds < 1 || settings.timeout.seconds > 2700)) {
    issues.push({ field: "timeout.seconds", message: "1 to 2700" });
  }
  const targets: [string, RedirectTarget | null | undefined][] = [
    ["overflow.target", settings.overflow?.target],
    ["timeout.target", settings.timeout?.target],
    ["noAgents.target", settings.noAgents?.target],
  ];
  for (const [field, target] of targets) {
    if (target?.kind === "queue") {
      if (target.queueId === self) issues.push({ field, message: "a queue cannot redirect to itself" });
      else if (!(await deps.queues.getQueue(tenantId, target.queueId))) issues.push({ field, message: "no such queue" });
    }
  }
  if (issues.length > 0) throw new DomainError("queue.invalid", "invalid", "The queue is not valid.", issues);
}

export async function createQueue(
  deps: QueueDeps,
  tenantId: string,
  input: Partial<QueueSettings> & { name: string },
): Promise<Queue> {
  const settings = { ...defaultQueueSettings(input.name.trim()), ...input, name: input.name.trim() };
  await check(deps, tenantId, settings, null);
  const now = deps.clock.now();
  const queue = await deps.queues.createQueue({ ...settings, id: deps.ids.next(), tenantId, createdAt: now, updatedAt: now });
  deps.onQueuesChanged?.(tenantId);
  return queue;
}

export async function getQueue(deps: QueueDeps, tenantId: string, id: string): Promise<Queue> {
  const queue = await deps.queues.getQueue(tenantId, id);
  if (!queue) throw notFound("queue", id);
  return queue;
}

export async function updateQueue(deps: QueueDeps, tenantId: string, id: string, patch: Partial<QueueSettings>): Promise<Queue> {
  const existing = await getQueue(deps, tenantId, id);
  const merged = { ...existing, ...patch, name: (patch.name ?? existing.name).trim() };
  await check(deps, tenantId, merged, id);
  const queue = await deps.queues.updateQueue({ ...merged, updatedAt: deps.clock.now() });
  deps.onQueuesChanged?.(tenantId);
  return queue;
}

export async function deleteQueue(deps: QueueDeps, tenantId: string, id: string): Promise<void> {
  if (!(await deps.queues.deleteQueue(tenantId, id))) throw notFound("queue", id);
  deps.onQueuesChanged?.(tenantId);
}
