import type { CallQueueSettings, Distribution, Queue, QueueInput, QueuePatch, RedirectTarget } from "@switchboard/protocol";
import type { Choice } from "../../shell/ui/choice.js";
import { type AnnouncementForm, announcementForm, announcementOrNull } from "../auto-attendants/announcement.js";
import { describeTarget, emptyDirectory, type TargetDirectory, targetOfKind } from "../auto-attendants/call-targets.js";

export const DISTRIBUTIONS: readonly Choice<Distribution>[] = [
  {
    value: "longest_idle",
    label: "Longest idle",
    description: "The least busy agent first; of those, the one waiting longest for work.",
  },
  { value: "round_robin", label: "Round robin", description: "Each agent in turn." },
  { value: "serial", label: "Fixed order", description: "Always the first free agent of a fixed list." },
  { value: "attendant", label: "Ring all", description: "Every free agent at once; the first to accept takes it." },
  { value: "best_skill", label: "Best skill match", description: "The agent whose skills fit the work best." },
];

export const distributionLabel = (value: Distribution): string => DISTRIBUTIONS.find((d) => d.value === value)?.label ?? value;

/** What a phone caller waiting in the queue hears, as the editor holds it. */
export interface CallSettingsForm {
  /** Empty text: no greeting. */
  greeting: AnnouncementForm;
  /** `none`: the default track. */
  music: AnnouncementForm;
  /** As typed; 0: never. */
  announceEverySeconds: string;
  announcePosition: boolean;
  announceExpectedWait: boolean;
  conferenceMode: boolean;
  /** Not edited here: kept as it is. */
  recording: CallQueueSettings["recording"];
}

export type NoAgentsWhen = NonNullable<Queue["noAgents"]>["when"];

export const NO_AGENTS_WHEN: readonly Choice<NoAgentsWhen>[] = [
  { value: "none_signed_in", label: "No agent is signed in" },
  { value: "none_available", label: "No agent is available" },
];

/** A queue's exceptions: each on or off, with what it keeps while off (so that turning it back on loses nothing). */
export interface ExceptionsForm {
  overflow: { on: boolean; threshold: string; target: RedirectTarget };
  timeout: { on: boolean; seconds: string; target: RedirectTarget };
  noAgents: { on: boolean; when: NoAgentsWhen; queueAnyway: boolean; target: RedirectTarget };
}

/** The settings the console edits; the rest (fixed order, recording) stay as they are. */
export interface QueueForm extends ExceptionsForm {
  name: string;
  distribution: Distribution;
  /** Numbers as typed, so that a field can be empty while one types. */
  alertSeconds: string;
  wrapUpSeconds: string;
  serviceLevelSeconds: string;
  wrapUpCodes: string[];
  /** Agent organizations assigned to the queue besides the in-house agents. */
  organizationIds: string[];
  call: CallSettingsForm;
}

export const QUEUE_DEFAULTS: Omit<QueueForm, keyof ExceptionsForm | "call"> = {
  name: "",
  distribution: "longest_idle",
  alertSeconds: "30",
  wrapUpSeconds: "30",
  serviceLevelSeconds: "60",
  wrapUpCodes: ["resolved", "follow_up", "no_response"],
  organizationIds: [],
};

const DEFAULT_CALL: CallQueueSettings = {
  greeting: null,
  music: null,
  announceEverySeconds: 30,
  announcePosition: true,
  announceExpectedWait: true,
  conferenceMode: false,
  recording: { enabled: false, consent: null },
};

function callForm(call: CallQueueSettings): CallSettingsForm {
  return {
    greeting: announcementForm(call.greeting),
    music: announcementForm(call.music, "none"),
    announceEverySeconds: String(call.announceEverySeconds),
    announcePosition: call.announcePosition,
    announceExpectedWait: call.announceExpectedWait,
    conferenceMode: call.conferenceMode,
    recording: call.recording,
  };
}

/**
 * Where an exception sends work when it is first turned on: a shared mailbox if there is one (callers
 * leave a message), else "leave a message" (chats wait for follow-up).
 */
export function defaultExceptionTarget(directory: TargetDirectory): RedirectTarget {
  const shared = directory.mailboxes.find((m) => m.ownerUserId === null);
  return shared ? (targetOfKind("voicemail", directory) as RedirectTarget) : { kind: "leave_message" };
}

function exceptionsForm(queue: Queue | undefined, directory: TargetDirectory): ExceptionsForm {
  const fallback = defaultExceptionTarget(directory);
  return {
    overflow: {
      on: Boolean(queue?.overflow),
      threshold: String(queue?.overflow?.threshold ?? 10),
      target: queue?.overflow?.target ?? fallback,
    },
    timeout: {
      on: Boolean(queue?.timeout),
      seconds: String(queue?.timeout?.seconds ?? 180),
      target: queue?.timeout?.target ?? fallback,
    },
    noAgents: {
      on: Boolean(queue?.noAgents),
      when: queue?.noAgents?.when ?? "none_signed_in",
      queueAnyway: queue?.noAgents ? queue.noAgents.target === null : false,
      target: queue?.noAgents?.target ?? fallback,
    },
  };
}

export function formFromQueue(queue: Queue | undefined, directory: TargetDirectory = emptyDirectory()): QueueForm {
  if (!queue) {
    return {
      ...QUEUE_DEFAULTS,
      wrapUpCodes: [...QUEUE_DEFAULTS.wrapUpCodes],
      ...exceptionsForm(undefined, directory),
      call: callForm(DEFAULT_CALL),
    };
  }
  return {
    name: queue.name,
    distribution: queue.distribution,
    alertSeconds: String(queue.alertSeconds),
    wrapUpSeconds: String(queue.wrapUpSeconds),
    serviceLevelSeconds: String(queue.serviceLevelSeconds),
    wrapUpCodes: [...queue.wrapUpCodes],
    organizationIds: [...queue.organizationIds],
    ...exceptionsForm(queue, directory),
    call: callForm(queue.call),
  };
}

const RANGES = {
  alertSeconds: { min: 15, max: 180, message: "Whole seconds, 15 to 180." },
  wrapUpSeconds: { min: 0, max: 3600, message: "Whole seconds, 0 to 3600." },
  serviceLevelSeconds: { min: 1, max: 3600, message: "Whole seconds, 1 to 3600." },
} as const;

const wholeNumber = (text: string): number => (/^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN);

/** Problems that keep the queue from being saved, by field (the server's field names: `timeout.seconds`). */
export function validateQueue(form: QueueForm): Record<string, string> {
  const errors: Record<string, string> = {};
  const name = form.name.trim();
  if (name === "") errors.name = "Enter a name: entry points and intents hand off to a queue by it.";
  else if (name.length > 100) errors.name = "At most 100 characters.";
  for (const key of Object.keys(RANGES) as (keyof typeof RANGES)[]) {
    const value = wholeNumber(form[key]);
    const range = RANGES[key];
    if (!(value >= range.min && value <= range.max)) errors[key] = range.message;
  }
  if (form.wrapUpCodes.length > 50) errors.wrapUpCodes = "At most 50 codes.";
  const every = wholeNumber(form.call.announceEverySeconds);
  if (!(every === 0 || (every >= 10 && every <= 600))) {
    errors["call.announceEverySeconds"] = "Whole seconds, 10 to 600; 0 for never.";
  }
  if (form.overflow.on) {
    const threshold = wholeNumber(form.overflow.threshold);
    if (!(threshold >= 0 && threshold <= 200)) errors["overflow.threshold"] = "0 to 200 waiting.";
    checkChoice(form.overflow.target, "overflow.target", errors);
  }
  if (form.timeout.on) {
    const seconds = wholeNumber(form.timeout.seconds);
    if (!(seconds >= 0 && seconds <= 2700)) errors["timeout.seconds"] = "Whole seconds, 0 to 2700 (45 minutes).";
    checkChoice(form.timeout.target, "timeout.target", errors);
  }
  if (form.noAgents.on && !form.noAgents.queueAnyway) checkChoice(form.noAgents.target, "noAgents.target", errors);
  return errors;
}

const CHOICES: Partial<Record<RedirectTarget["kind"], { field: string; message: string }>> = {
  queue: { field: "queueId", message: "Choose a queue." },
  worker: { field: "workerId", message: "Choose an agent." },
  auto_attendant: { field: "autoAttendantId", message: "Choose an auto attendant." },
  voicemail: { field: "mailboxId", message: "Choose a mailbox." },
};

/** A select of a target left empty (nothing to choose from yet). */
function checkChoice(target: RedirectTarget, path: string, errors: Record<string, string>): void {
  const choice = CHOICES[target.kind];
  if (!choice) return;
  const value = (target as unknown as Record<string, unknown>)[choice.field];
  if (value === "" || value === undefined) errors[`${path}.${choice.field}`] = choice.message;
}

/** The settings the form edits, each given. */
type EditedSettings = Required<
  Pick<
    QueueInput,
    | "name"
    | "distribution"
    | "alertSeconds"
    | "wrapUpSeconds"
    | "serviceLevelSeconds"
    | "wrapUpCodes"
    | "organizationIds"
    | "overflow"
    | "timeout"
    | "noAgents"
  >
> & { call: CallQueueSettings };

function callOf(call: CallSettingsForm): CallQueueSettings {
  return {
    greeting: announcementOrNull(call.greeting),
    music: announcementOrNull(call.music),
    announceEverySeconds: wholeNumber(call.announceEverySeconds),
    announcePosition: call.announcePosition,
    announceExpectedWait: call.announceExpectedWait,
    conferenceMode: call.conferenceMode,
    recording: call.recording,
  };
}

/** A new queue: what the form says; everything else the server's defaults. */
export function queueInput(form: QueueForm): EditedSettings {
  return {
    name: form.name.trim(),
    distribution: form.distribution,
    alertSeconds: wholeNumber(form.alertSeconds),
    wrapUpSeconds: wholeNumber(form.wrapUpSeconds),
    serviceLevelSeconds: wholeNumber(form.serviceLevelSeconds),
    wrapUpCodes: [...form.wrapUpCodes],
    organizationIds: [...form.organizationIds],
    overflow: form.overflow.on ? { threshold: wholeNumber(form.overflow.threshold), target: form.overflow.target } : null,
    timeout: form.timeout.on ? { seconds: wholeNumber(form.timeout.seconds), target: form.timeout.target } : null,
    noAgents: form.noAgents.on
      ? { when: form.noAgents.when, target: form.noAgents.queueAnyway ? null : form.noAgents.target }
      : null,
    call: callOf(form.call),
  };
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Only the settings that changed, so that a save keeps what the console does not show (and what someone
 * else changed meanwhile). Empty: nothing to save.
 */
export function queuePatch(queue: Queue, form: QueueForm): QueuePatch {
  const next = queueInput(form);
  const before = queueInput(formFromQueue(queue));
  const organizationsChanged = !sameList([...next.organizationIds].sort(), [...before.organizationIds].sort());
  return {
    ...(next.name !== before.name ? { name: next.name } : {}),
    ...(next.distribution !== before.distribution ? { distribution: next.distribution } : {}),
    ...(next.alertSeconds !== before.alertSeconds ? { alertSeconds: next.alertSeconds } : {}),
    ...(next.wrapUpSeconds !== before.wrapUpSeconds ? { wrapUpSeconds: next.wrapUpSeconds } : {}),
    ...(next.serviceLevelSeconds !== before.serviceLevelSeconds ? { serviceLevelSeconds: next.serviceLevelSeconds } : {}),
    ...(!sameList(next.wrapUpCodes, before.wrapUpCodes) ? { wrapUpCodes: next.wrapUpCodes } : {}),
    ...(organizationsChanged ? { organizationIds: next.organizationIds } : {}),
    ...(!same(next.overflow, before.overflow) ? { overflow: next.overflow } : {}),
    ...(!same(next.timeout, before.timeout) ? { timeout: next.timeout } : {}),
    ...(!same(next.noAgents, before.noAgents) ? { noAgents: next.noAgents } : {}),
    ...(!same(next.call, before.call) ? { call: next.call } : {}),
  };
}

/** A wrap-up code as typed, checked: 1 to 60 characters. */
export function normalizeWrapUpCode(text: string): { value: string } | { error: string } {
  const value = text.trim();
  if (value === "") return { error: "Type a code." };
  if (value.length > 60) return { error: "At most 60 characters." };
  return { value };
}

/** The queue's exceptions in a few words, for the list: "overflow above 10", "timeout after 2 min"… */
export function exceptionSummary(queue: Pick<Queue, "overflow" | "timeout" | "noAgents">): string[] {
  const out: string[] = [];
  if (queue.overflow)
    out.push(queue.overflow.threshold === 0 ? "overflow at once" : `overflow above ${queue.overflow.threshold}`);
  if (queue.timeout) out.push(`timeout after ${formatSeconds(queue.timeout.seconds)}`);
  if (queue.noAgents) {
    out.push(queue.noAgents.when === "none_signed_in" ? "no agent signed in" : "no agent available");
  }
  return out;
}

/** The exceptions with where each sends work, for the list: "timeout after 3 min: Voicemail Northwind general". */
export function exceptionDetails(queue: Pick<Queue, "overflow" | "timeout" | "noAgents">, directory: TargetDirectory): string[] {
  const [overflow, timeout, noAgents] = [queue.overflow, queue.timeout, queue.noAgents];
  const out: string[] = [];
  if (overflow) {
    const when = overflow.threshold === 0 ? "overflow at once" : `overflow above ${overflow.threshold}`;
    out.push(`${when}: ${describeTarget(overflow.target, directory)}`);
  }
  if (timeout) out.push(`timeout after ${formatSeconds(timeout.seconds)}: ${describeTarget(timeout.target, directory)}`);
  if (noAgents) {
    const when = noAgents.when === "none_signed_in" ? "no agent signed in" : "no agent available";
    out.push(`${when}: ${noAgents.target ? describeTarget(noAgents.target, directory) : "queue anyway"}`);
  }
  return out;
}

function formatSeconds(seconds: number): string {
  if (seconds < 60 || seconds % 60 !== 0) return `${seconds} s`;
  return `${seconds / 60} min`;
}
