import type { NumberEntry, RedirectTarget } from "@switchboard/protocol";

/**
 * Where a call (or a chat) goes: the call targets of auto attendants and call queues (RD1-RD5), the chat
 * kinds of a queue's exceptions, and a phone number's built-in flow. One picker edits them all; each
 * place offers the kinds it accepts.
 */
export type Target = RedirectTarget | NumberEntry;
export type TargetKind = Target["kind"];
export type CallTarget = Extract<Target, { kind: (typeof CALL_KINDS)[number] }>;

/** The call targets, in the order the picker offers them. */
export const CALL_KINDS = ["queue", "auto_attendant", "person", "voicemail", "external_number", "disconnect"] as const;
/** Everything a queue's overflow, timeout and no-agents rules may send work to. */
export const REDIRECT_KINDS = ["queue", "worker", ...CALL_KINDS.slice(1), "end", "leave_message"] as const;
/** What may answer a phone number. */
export const ENTRY_KINDS = ["flow", ...CALL_KINDS] as const;

/** The built-in call flows a number can name. */
export const BUILT_IN_FLOWS = [
  { value: "demo", label: "Demo", description: "Greets, reads keys back, records a message, rings extension 1001 on 0." },
] as const;

interface KindInfo {
  label: string;
  /** What the picker says under the kind. */
  hint: string;
  /** Which work it suits, for grouping the choices of a queue's exceptions. */
  channel: "both" | "calls" | "chats";
}

export const KINDS: Record<TargetKind, KindInfo> = {
  flow: { label: "Built-in flow", hint: "A call flow that ships with Switchboard.", channel: "calls" },
  queue: { label: "Queue", hint: "The call waits for an agent of this queue.", channel: "both" },
  worker: { label: "An agent", hint: "Offered to this agent only.", channel: "both" },
  auto_attendant: { label: "Auto attendant", hint: "Its greeting and menu answer the call.", channel: "calls" },
  person: { label: "Person (extension)", hint: "Their phone rings, then their voicemail.", channel: "calls" },
  voicemail: { label: "Voicemail", hint: "The caller leaves a message in this mailbox.", channel: "calls" },
  external_number: { label: "External number", hint: "Forwarded through your outbound trunk.", channel: "calls" },
  disconnect: { label: "Hang up", hint: "Optionally after a message.", channel: "calls" },
  end: {
    label: "End with a message",
    hint: "A chat ends with this message; a caller hears it, then the call ends.",
    channel: "chats",
  },
  leave_message: {
    label: "Leave a message",
    hint: "A chat waits for follow-up; a caller is told nobody can answer, then the call ends.",
    channel: "chats",
  },
};

export const kindLabel = (kind: TargetKind): string => KINDS[kind]?.label ?? kind;

/** The names a target's ids and extensions stand for: the tenant's queues, attendants, mailboxes, phones, agents. */
export interface TargetDirectory {
  queues: readonly { id: string; name: string }[];
  autoAttendants: readonly { id: string; name: string }[];
  mailboxes: readonly { id: string; name: string; ownerUserId: string | null }[];
  /** Extensions of the tenant's phones, with whose they are. */
  extensions: readonly { extension: string; name: string }[];
  /** Agents, for a queue's redirect to one agent (by identity id). */
  workers: readonly { id: string; name: string }[];
}

export const emptyDirectory = (): TargetDirectory => ({
  queues: [],
  autoAttendants: [],
  mailboxes: [],
  extensions: [],
  workers: [],
});

/** The field that holds what a target of this kind points at; undefined when it has none (or only a message). */
export function subjectField(kind: TargetKind): string | undefined {
  switch (kind) {
    case "flow":
      return "flow";
    case "queue":
      return "queueId";
    case "worker":
      return "workerId";
    case "auto_attendant":
      return "autoAttendantId";
    case "person":
      return "extension";
    case "voicemail":
      return "mailboxId";
    case "external_number":
      return "number";
    case "disconnect":
    case "end":
      return "message";
    case "leave_message":
      return undefined;
  }
}

/**
 * A target of another kind, as the picker switches to it: what it had of that kind before if anything
 * (so that switching back and forth loses nothing typed), else the first choice of the directory.
 */
export function targetOfKind(kind: TargetKind, directory: TargetDirectory, previous?: Partial<Record<string, string>>): Target {
  const kept = (field: string, fallback = ""): string => previous?.[field] ?? fallback;
  switch (kind) {
    case "flow":
      return { kind, flow: kept("flow", BUILT_IN_FLOWS[0].value) };
    case "queue":
      return { kind, queueId: kept("queueId", directory.queues[0]?.id) };
    case "worker":
      return { kind, workerId: kept("workerId", directory.workers[0]?.id) };
    case "auto_attendant":
      return { kind, autoAttendantId: kept("autoAttendantId", directory.autoAttendants[0]?.id) };
    case "voicemail": {
      const shared = directory.mailboxes.find((m) => m.ownerUserId === null) ?? directory.mailboxes[0];
      return { kind, mailboxId: kept("mailboxId", shared?.id) };
    }
    case "person":
      return { kind, extension: kept("extension") };
    case "external_number":
      return { kind, number: kept("number") };
    case "disconnect": {
      const message = kept("message");
      return message === "" ? { kind } : { kind, message };
    }
    case "end":
      return { kind, message: kept("message") };
    case "leave_message":
      return { kind };
  }
}

/** A disconnect's message: an empty one is no message at all. */
export function withMessage<T extends Target>(target: T, message: string): T {
  if (target.kind === "disconnect") {
    const { message: _, ...rest } = target;
    return (message === "" ? rest : { ...rest, message }) as T;
  }
  return { ...target, message } as T;
}

const nameOf = (items: readonly { id: string; name: string }[], id: string): string | undefined =>
  items.find((item) => item.id === id)?.name;

/** A mailbox as the console names it: shared ones by name, personal ones with "(personal)". */
export const mailboxLabel = (mailbox: { name: string; ownerUserId: string | null }): string =>
  mailbox.ownerUserId === null ? mailbox.name : `${mailbox.name} (personal)`;

/** A target in a few words, with the names of what it points at: "Queue Sales line", "Voicemail Northwind general". */
export function describeTarget(target: Target | null | undefined, directory: TargetDirectory): string {
  if (!target) return "Nowhere";
  switch (target.kind) {
    case "flow":
      return `Built-in flow ${BUILT_IN_FLOWS.find((f) => f.value === target.flow)?.label.toLowerCase() ?? target.flow}`;
    case "queue":
      return `Queue ${nameOf(directory.queues, target.queueId) ?? unknown(target.queueId)}`;
    case "worker":
      return `Agent ${nameOf(directory.workers, target.workerId) ?? unknown(target.workerId)}`;
    case "auto_attendant":
      return `Auto attendant ${nameOf(directory.autoAttendants, target.autoAttendantId) ?? unknown(target.autoAttendantId)}`;
    case "voicemail":
      return `Voicemail ${nameOf(directory.mailboxes, target.mailboxId) ?? unknown(target.mailboxId)}`;
    case "person": {
      const who = directory.extensions.find((e) => e.extension === target.extension)?.name;
      return who ? `Extension ${target.extension} (${who})` : `Extension ${target.extension}`;
    }
    case "external_number":
      return `Forward to ${target.number}`;
    case "disconnect":
      return target.message ? `Hang up after “${shorten(target.message)}”` : "Hang up";
    case "end":
      return `End with “${shorten(target.message)}”`;
    case "leave_message":
      return "Leave a message";
  }
}

const unknown = (id: string): string => `(unknown ${id.slice(0, 8)})`;

function shorten(text: string, max = 40): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
