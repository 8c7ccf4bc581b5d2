import type { RoutingLogEntry } from "@switchboard/protocol";
import type { Tone } from "../../shell/ui/tone.js";

/** Names for the ids routing events carry; an id not here is shown as it is. */
export interface RoutingNames {
  queues: ReadonlyMap<string, string>;
  /** By the agent's identity id (a worker's id). */
  workers: ReadonlyMap<string, string>;
}

/** One routing event as the console shows it: what happened, the engine's reason, and how it reads. */
export interface RoutingLine {
  title: string;
  /** The engine's reason: why it happened, in words an admin can read. */
  reason: string;
  /** Further facts: required skills, how long the customer waited. */
  detail: string | undefined;
  tone: Tone;
}

const EXCEPTIONS: Record<string, string> = {
  overflow: "Overflow",
  timeout: "Timeout",
  no_agents: "No agents",
};

const record = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};

/** Where a redirect or transfer sends the work, in words. */
export function describeTarget(target: unknown, names: RoutingNames): string {
  if (target === null || target === undefined) return "stay in the queue";
  const t = record(target);
  const text = (key: string) => (typeof t[key] === "string" ? (t[key] as string) : "");
  switch (t.kind) {
    case "queue":
      return `queue ${names.queues.get(text("queueId")) ?? text("queueId")}`;
    case "worker":
      return names.workers.get(text("workerId")) ?? `agent ${text("workerId")}`;
    case "end":
      return text("message") ? `end the conversation: “${text("message")}”` : "end the conversation";
    case "leave_message":
      return "leave a message for follow-up";
    case "voicemail":
      return "voicemail";
    case "external_number":
      return `the number ${text("number")}`;
    case "disconnect":
      return "hang up";
    default:
      return typeof t.kind === "string" ? t.kind.replaceAll("_", " ") : "somewhere else";
  }
}

function waited(ms: unknown): string | undefined {
  if (typeof ms !== "number" || !Number.isFinite(ms)) return undefined;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `Waited ${seconds} s.`;
  const minutes = Math.floor(seconds / 60);
  return `Waited ${minutes} min ${seconds % 60} s.`;
}

function skills(value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const parts = value.map((s) => {
    const r = record(s);
    return `${String(r.skill)} ≥ ${String(r.minLevel)}`;
  });
  return `Needs ${parts.join(", ")}.`;
}

/** One routing event in words; an event type this console does not know shows its type. */
export function describeRoutingEntry(entry: RoutingLogEntry, names: RoutingNames): RoutingLine {
  const d = entry.data;
  const text = (key: string) => (typeof d[key] === "string" ? (d[key] as string) : "");
  const queue = names.queues.get(text("queueId")) ?? (text("queueId") || "its queue");
  const worker = names.workers.get(text("workerId")) ?? (text("workerId") || "an agent");
  const line = (title: string, tone: Tone, detail?: string): RoutingLine => ({ title, reason: entry.reason, detail, tone });
  switch (entry.type) {
    case "job.queued": {
      const priority = typeof d.priority === "number" && d.priority > 0 ? ` at priority ${d.priority}` : "";
      const moved = text("previousQueueId") ? "Moved to" : "Queued in";
      return line(`${moved} ${queue}${priority}`, "accent", skills(d.requiredSkills));
    }
    case "job.reclassified": {
      const to = record(d.to).queueId;
      const name = typeof to === "string" ? (names.queues.get(to) ?? to) : "another queue";
      return line(`Reclassified to ${name}`, "accent");
    }
    case "job.transferred":
      return line(`Transferred to ${describeTarget(d.target, names)}`, "accent");
    case "offer.issued":
      return line(d.directed === true ? `Offered to ${worker} by name` : `Offered to ${worker}`, "neutral");
    case "offer.accepted":
      return line(`${worker} accepted`, "success");
    case "offer.declined":
      return line(`${worker} declined`, "warning");
    case "offer.expired":
      return line(`Offer to ${worker} expired`, "warning");
    case "offer.revoked":
      return line(`Offer to ${worker} withdrawn`, "neutral");
    case "job.assigned":
      return line(`Assigned to ${worker}`, "success", waited(d.waitedMs));
    case "job.exception": {
      const kind = EXCEPTIONS[text("kind")] ?? text("kind").replaceAll("_", " ");
      // The reason says where it goes ("…: no agents redirect to leave a message").
      return line(`${kind} exception in ${queue}`, d.target === null ? "warning" : "danger");
    }
    case "job.redirected":
      return line(`Redirected: ${describeTarget(d.target, names)}`, "danger");
    case "job.cancelled":
      return line("Left routing", "neutral");
    case "job.completed":
      return line(`Completed by ${worker}`, "success");
    default:
      return line(entry.type, "neutral");
  }
}
