import type { Presence, SupervisorLive, User } from "@switchboard/protocol";
import type { Tone } from "../shell/ui/tone.js";

export type QueueLive = SupervisorLive["queues"][number];
export type AgentLive = SupervisorLive["agents"][number];

/**
 * A queue's longest wait now: the snapshot's figure plus the time since it was taken, while someone waits.
 * Frames come only when something changes, so the clock on screen keeps running between them.
 */
export function longestWaitNow(queue: QueueLive, snapshotAt: string, now: number): number {
  if (queue.waiting === 0) return 0;
  const at = Date.parse(snapshotAt);
  const since = Number.isFinite(at) ? Math.max(0, (now - at) / 1000) : 0;
  return queue.longestWaitSeconds + since;
}

/** A service level as a percentage, and how it reads against the usual 80 % target. */
export function serviceLevel(value: number | null): { label: string; tone: Tone } {
  if (value === null || !Number.isFinite(value)) return { label: "—", tone: "neutral" };
  const percent = Math.round(Math.min(1, Math.max(0, value)) * 100);
  return { label: `${percent}%`, tone: percent >= 80 ? "success" : percent >= 60 ? "warning" : "danger" };
}

/** How long a wait is before it is worth a supervisor's glance, and before it is a problem. */
export function waitTone(seconds: number): Tone {
  if (seconds >= 120) return "danger";
  if (seconds >= 45) return "warning";
  return "neutral";
}

export interface LiveTotals {
  waiting: number;
  longestWaitSeconds: number;
  /** Over the queues that answered anything today; null when none did. */
  serviceLevel: number | null;
  agents: Record<Presence, number>;
  load: number;
  capacity: number;
}

export function totals(live: SupervisorLive, now: number): LiveTotals {
  const agents: Record<Presence, number> = { available: 0, busy: 0, away: 0, wrap_up: 0, offline: 0 };
  for (const a of live.agents) agents[a.presence] = (agents[a.presence] ?? 0) + 1;
  const levels = live.queues.map((q) => q.serviceLevel).filter((v): v is number => v !== null && Number.isFinite(v));
  return {
    waiting: live.queues.reduce((n, q) => n + q.waiting, 0),
    longestWaitSeconds: Math.max(0, ...live.queues.map((q) => longestWaitNow(q, live.at, now))),
    serviceLevel: levels.length > 0 ? levels.reduce((a, b) => a + b, 0) / levels.length : null,
    agents,
    load: live.agents.filter((a) => a.presence !== "offline").reduce((n, a) => n + a.load, 0),
    capacity: live.agents.filter((a) => a.presence !== "offline").reduce((n, a) => n + a.capacity, 0),
  };
}

/** The top of a chart's scale: the next of 1, 2, 5, 10, 20, 50… at or above `value` (at least 5). */
export function niceCeiling(value: number): number {
  if (!(value > 5)) return 5;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) {
    if (step * magnitude >= value) return step * magnitude;
  }
  return 10 * magnitude;
}

/** Gridlines for a scale that ends at a `niceCeiling`: five or so steps of a round size. */
export function ticks(max: number): number[] {
  const top = niceCeiling(max);
  const magnitude = 10 ** Math.floor(Math.log10(top));
  const lead = top / magnitude;
  const step = lead === 1 ? magnitude / 5 : lead === 2 ? (2 * magnitude) / 5 : magnitude;
  const out: number[] = [];
  for (let v = 0; v <= top + 1e-9; v += Math.max(step, 1)) out.push(Math.round(v));
  return out;
}

/** Agents in the order a supervisor scans them: who can take work first, offline last; then by name. */
export function sortAgents(agents: readonly AgentLive[]): AgentLive[] {
  const order: Record<Presence, number> = { available: 0, wrap_up: 1, busy: 2, away: 3, offline: 4 };
  return [...agents].sort((a, b) => order[a.presence] - order[b.presence] || a.name.localeCompare(b.name));
}

/**
 * Whether the viewer may pick an agent organization's view: admins and in-house supervisors see every
 * organization's work; a supervisor of an organization sees only theirs anyway.
 */
export const canPickOrganization = (user: Pick<User, "role" | "organizationId">): boolean =>
  user.role === "admin" || (user.role === "supervisor" && !user.organizationId);
