import { requireAdmin } from "../identity/authorize.js";
import type { Principal } from "../identity/model.js";
import { DomainError, type FieldIssue, notFound } from "../kernel/domain-error.js";
import type { FlowDeps } from "./deps.js";
import type {
  AttendantFlow,
  AutoAttendant,
  AutoAttendantSettings,
  CallTarget,
  InputPolicy,
  Menu,
  MenuOption,
  Schedule,
} from "./model.js";
import { attendantTargets, checkAutoAttendantSettings, checkTargetsExist, targetsEntity } from "./validate.js";

/** What an admin sends: the flows are required, the rest has a default. */
export interface AutoAttendantInput {
  readonly name: string;
  readonly voice?: string | null;
  readonly schedule?: Schedule | null;
  readonly businessHours: AttendantFlow;
  readonly afterHours?: AttendantFlow | null;
  readonly holiday?: AttendantFlow | null;
  readonly operator?: CallTarget | null;
  readonly speechInput?: boolean;
  readonly noInput?: InputPolicy;
  readonly invalidInput?: InputPolicy;
}

/** Two more tries, then goodbye: for a caller who presses nothing, or only keys the menu does not have. */
export const defaultInputPolicy = (): InputPolicy => ({ retries: 2, target: { kind: "disconnect" } });

/** A phrase as the recognizer's grammar wants it: trimmed, lower case, single spaces. */
const normalPhrase = (phrase: string): string =>
  typeof phrase === "string" ? phrase.trim().toLowerCase().replace(/\s+/g, " ") : phrase;

function normalMenu(menu: Menu): Menu {
  if (!menu || !Array.isArray(menu.options)) return menu;
  return {
    ...menu,
    options: menu.options.map(
      (option): MenuOption =>
        !option
          ? option
          : {
              ...option,
              phrases: Array.isArray(option.phrases) ? option.phrases.map(normalPhrase) : option.phrases,
              action:
                option.action?.kind === "submenu" ? { ...option.action, menu: normalMenu(option.action.menu) } : option.action,
            },
    ),
  };
}

const normalFlow = (flow: AttendantFlow | null): AttendantFlow | null =>
  flow && { greeting: flow.greeting ?? null, menu: flow.menu ? normalMenu(flow.menu) : null, target: flow.target ?? null };

/** The settings as stored: defaults filled in, the name trimmed, phrases normalized. */
export function autoAttendantSettings(input: AutoAttendantInput): AutoAttendantSettings {
  return {
    name: typeof input.name === "string" ? input.name.trim() : input.name,
    voice: input.voice ?? null,
    schedule: input.schedule ?? null,
    businessHours: normalFlow(input.businessHours) as AttendantFlow,
    afterHours: normalFlow(input.afterHours ?? null),
    holiday: normalFlow(input.holiday ?? null),
    operator: input.operator ?? null,
    speechInput: input.speechInput ?? false,
    noInput: input.noInput ?? defaultInputPolicy(),
    invalidInput: input.invalidInput ?? defaultInputPolicy(),
  };
}

/** Validates the settings, then that every queue, attendant and mailbox they name is the tenant's. */
async function check(deps: FlowDeps, tenantId: string, settings: AutoAttendantSettings): Promise<void> {
  const issues: FieldIssue[] = checkAutoAttendantSettings(settings);
  if (issues.length === 0) {
    await checkTargetsExist(
      attendantTargets(settings),
      {
        queue: async (id) => (await deps.queues.getQueue(tenantId, id)) !== undefined,
        autoAttendant: async (id) => (await deps.autoAttendants.getAutoAttendant(tenantId, id)) !== undefined,
        mailbox: async (id) => (await deps.voicemail.getMailbox(tenantId, id)) !== undefined,
      },
      issues,
    );
  }
  if (issues.length > 0) {
    throw new DomainError("auto_attendant.invalid", "invalid", "The auto attendant is not valid.", issues);
  }
}

/** Publishes a new auto attendant as version 1 (admins). */
export async function createAutoAttendant(
  deps: FlowDeps,
  principal: Principal,
  input: AutoAttendantInput,
): Promise<AutoAttendant> {
  const { tenantId } = requireAdmin(principal);
  const settings = autoAttendantSettings(input);
  await check(deps, tenantId, settings);
  const now = deps.clock.now();
  return deps.autoAttendants.createAutoAttendant({
    ...settings,
    id: deps.ids.next(),
    tenantId,
    version: 1,
    createdAt: now,
    updatedAt: now,
  });
}

/** The current version. */
export async function getAutoAttendant(deps: FlowDeps, principal: Principal, id: string): Promise<AutoAttendant> {
  const { tenantId } = requireAdmin(principal);
  const attendant = await deps.autoAttendants.getAutoAttendant(tenantId, id);
  if (!attendant) throw notFound("auto_attendant", id);
  return attendant;
}

/** A version as it was published (calls that started on it still run it). */
export async function getAutoAttendantVersion(
  deps: FlowDeps,
  principal: Principal,
  id: string,
  version: number,
): Promise<AutoAttendant> {
  const { tenantId } = requireAdmin(principal);
  const attendant = await deps.autoAttendants.getAutoAttendantVersion(tenantId, id, version);
  if (attendant) return attendant;
  if (!(await deps.autoAttendants.getAutoAttendant(tenantId, id))) throw notFound("auto_attendant", id);
  throw new DomainError("auto_attendant.version_not_found", "not_found", `The auto attendant has no version ${version}.`);
}

/** By name. */
export async function listAutoAttendants(deps: FlowDeps, principal: Principal): Promise<readonly AutoAttendant[]> {
  const { tenantId } = requireAdmin(principal);
  return deps.autoAttendants.listAutoAttendants(tenantId);
}

export interface PublishOptions {
  /**
   * The version the admin edited: when another change was published since, nothing is published and the
   * call fails with `auto_attendant.version_conflict` (optimistic concurrency). Absent: the latest.
   */
  readonly expectedVersion?: number;
}

/**
 * Publishes a change (admins): the whole configuration, validated first, becomes the next version; the
 * previous one stays readable, and calls that started on it keep it.
 */
export async function updateAutoAttendant(
  deps: FlowDeps,
  principal: Principal,
  id: string,
  input: AutoAttendantInput,
  options: PublishOptions = {},
): Promise<AutoAttendant> {
  const current = await getAutoAttendant(deps, principal, id);
  if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
    throw versionConflict(current.version);
  }
  const settings = autoAttendantSettings(input);
  await check(deps, current.tenantId, settings);
  return deps.autoAttendants.updateAutoAttendant({
    ...settings,
    id,
    tenantId: current.tenantId,
    version: current.version + 1,
    createdAt: current.createdAt,
    updatedAt: deps.clock.now(),
  });
}

const versionConflict = (current: number): DomainError =>
  new DomainError(
    "auto_attendant.version_conflict",
    "conflict",
    `Version ${current} was published in the meantime: reload the auto attendant and apply the change to it.`,
  );

/** What sends calls to an auto attendant or mailbox: phone numbers, other attendants and queues, named for the error. */
export async function referrersOf(
  deps: Pick<FlowDeps, "autoAttendants" | "queues" | "phoneNumbers">,
  tenantId: string,
  kind: "auto_attendant" | "voicemail",
  id: string,
): Promise<string[]> {
  const referrers: string[] = [];
  for (const number of (await deps.phoneNumbers?.listPhoneNumbers(tenantId)) ?? []) {
    if (number.entry.kind !== "flow" && targetsEntity(number.entry, kind, id)) referrers.push(`number ${number.e164}`);
  }
  for (const attendant of await deps.autoAttendants.listAutoAttendants(tenantId)) {
    if (kind === "auto_attendant" && attendant.id === id) continue;
    if (attendantTargets(attendant).some((t) => targetsEntity(t.target, kind, id))) {
      referrers.push(`auto attendant ${attendant.name}`);
    }
  }
  for (const queue of await deps.queues.listQueues(tenantId)) {
    const targets = [queue.overflow?.target, queue.timeout?.target, queue.noAgents?.target];
    if (targets.some((t) => targetsEntity(t, kind, id))) referrers.push(`queue ${queue.name}`);
  }
  return referrers;
}

/**
 * Deletes an auto attendant and its versions (admins); refused with `auto_attendant.in_use` while a phone
 * number, another attendant or a queue sends calls to it.
 */
export async function deleteAutoAttendant(deps: FlowDeps, principal: Principal, id: string): Promise<void> {
  const { tenantId } = requireAdmin(principal);
  if (!(await deps.autoAttendants.getAutoAttendant(tenantId, id))) throw notFound("auto_attendant", id);
  const referrers = await referrersOf(deps, tenantId, "auto_attendant", id);
  if (referrers.length > 0) {
    throw new DomainError(
      "auto_attendant.in_use",
      "conflict",
      `Calls are sent to this auto attendant by ${referrers.join(", ")}: change them first.`,
    );
  }
  if (!(await deps.autoAttendants.deleteAutoAttendant(tenantId, id))) throw notFound("auto_attendant", id);
}
