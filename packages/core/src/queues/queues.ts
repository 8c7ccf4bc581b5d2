import { isCallTarget } from "../flows/model.js";
import type { AutoAttendantStore, VoicemailStore } from "../flows/ports.js";
import { checkCallQueueSettings, checkTargetsExist } from "../flows/validate.js";
import { requireScope } from "../identity/authorize.js";
import type { Principal } from "../identity/model.js";
import type { Clock } from "../kernel/clock.js";
import { DomainError, type FieldIssue, notFound } from "../kernel/domain-error.js";
import type { IdGenerator } from "../kernel/ids.js";
import type { OrganizationStore } from "../organizations/ports.js";
import { organizationOf, queueAssignedTo } from "../organizations/visibility.js";
import { checkTarget } from "../routing/config.js";
import { defaultQueueSettings, type Queue, type QueueSettings, type RedirectTarget } from "./model.js";
import type { QueueStore } from "./ports.js";

export interface QueueDeps {
  readonly queues: QueueStore;
  /** Where the organizations a queue is assigned to are checked to be the tenant's. */
  readonly organizations: Pick<OrganizationStore, "getOrganization">;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Told when a tenant's queues change (the routing engine reloads them). */
  readonly onQueuesChanged?: (tenantId: string) => void;
  /** Where a redirect to an auto attendant is checked to exist; without it any id is accepted. */
  readonly autoAttendants?: Pick<AutoAttendantStore, "getAutoAttendant">;
  /** Where a redirect to a shared voicemail is checked to exist; without it any id is accepted. */
  readonly voicemail?: Pick<VoicemailStore, "getMailbox">;
}

/** Byte-wise, like the stores' `order by`: organizations come back from a store sorted so. */
const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

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
  // The call targets (RD1-RD5): well formed, and the auto attendant or shared mailbox the tenant's.
  const callTargets: [string, RedirectTarget][] = [];
  for (const [field, target] of targets) {
    if (target && target.kind !== "queue" && isCallTarget(target)) callTargets.push([field, target]);
  }
  const before = issues.length;
  for (const [field, target] of callTargets) checkTarget(target, field, issues);
  const { autoAttendants, voicemail } = deps;
  // Whether what a target names exists is asked only of well-formed targets.
  if (issues.length === before) {
    await checkTargetsExist(
      callTargets.map(([field, target]) => ({ field, target })),
      {
        ...(autoAttendants
          ? { autoAttendant: async (id: string) => (await autoAttendants.getAutoAttendant(tenantId, id)) !== undefined }
          : {}),
        ...(voicemail ? { mailbox: async (id: string) => (await voicemail.getMailbox(tenantId, id)) !== undefined } : {}),
      },
      issues,
    );
  }
  if (settings.call !== undefined) checkCallQueueSettings(settings.call, "call", issues);
  // Another tenant's organization is as good as absent.
  for (const [i, id] of (settings.organizationIds ?? []).entries()) {
    if (!(await deps.organizations.getOrganization(tenantId, id))) {
      issues.push({ field: `organizationIds.${i}`, message: "no such organization" });
    }
  }
  if (issues.length > 0) throw new DomainError("queue.invalid", "invalid", "The queue is not valid.", issues);
}

/** The settings as stored: the name trimmed, each organization once, sorted. */
const normalized = <T extends QueueSettings>(settings: T): T => ({
  ...settings,
  name: settings.name.trim(),
  organizationIds: [...new Set(settings.organizationIds ?? [])].sort(byId),
});

export async function createQueue(
  deps: QueueDeps,
  tenantId: string,
  input: Partial<QueueSettings> & { name: string },
): Promise<Queue> {
  const settings = { ...defaultQueueSettings(input.name.trim()), ...input, name: input.name.trim() };
  await check(deps, tenantId, settings, null);
  const now = deps.clock.now();
  const queue = await deps.queues.createQueue({
    ...normalized(settings),
    id: deps.ids.next(),
    tenantId,
    createdAt: now,
    updatedAt: now,
  });
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
  const queue = await deps.queues.updateQueue({ ...normalized(merged), updatedAt: deps.clock.now() });
  deps.onQueuesChanged?.(tenantId);
  return queue;
}

export async function deleteQueue(deps: QueueDeps, tenantId: string, id: string): Promise<void> {
  if (!(await deps.queues.deleteQueue(tenantId, id))) throw notFound("queue", id);
  deps.onQueuesChanged?.(tenantId);
}

/** The queues the principal may see: all of them, or for a user of an agent organization, those assigned to it. */
export async function listVisibleQueues(deps: Pick<QueueDeps, "queues">, principal: Principal): Promise<readonly Queue[]> {
  const actor = requireScope(principal, "chat");
  const organizationId = organizationOf(actor);
  return (await deps.queues.listQueues(actor.tenantId)).filter((q) => queueAssignedTo(q, organizationId));
}

/** A queue the principal may see; `queue.not_found` for one not assigned to their organization, as for none. */
export async function getVisibleQueue(deps: Pick<QueueDeps, "queues">, principal: Principal, id: string): Promise<Queue> {
  const actor = requireScope(principal, "chat");
  const queue = await deps.queues.getQueue(actor.tenantId, id);
  if (!queue || !queueAssignedTo(queue, organizationOf(actor))) throw notFound("queue", id);
  return queue;
}
