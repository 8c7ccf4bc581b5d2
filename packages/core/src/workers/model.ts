/** An agent as the routing engine sees them: what they can take, where, and whether they are there. */

export type Presence = "available" | "busy" | "away" | "offline" | "wrap_up";

export interface WorkerSettings {
  /** Units of work at once. */
  readonly capacity: number;
  /** What one job of each channel costs (e.g. a chat 1, a call 4 of a capacity of 4). */
  readonly channelCosts: { readonly chat: number; readonly voice: number };
  /** Skill labels with levels 0-10. */
  readonly skills: Readonly<Record<string, number>>;
  readonly queueIds: readonly string[];
  /** Queues the agent chose not to take work from. */
  readonly optedOut: readonly string[];
}

export interface WorkerRecord {
  readonly tenantId: string;
  /** The agent's identity (the one that joins conversations). */
  readonly identityId: string;
  readonly userId: string;
  readonly settings: WorkerSettings;
  /** The presence the agent chose (wrap-up is the engine's, not stored). */
  readonly presence: Exclude<Presence, "wrap_up">;
  readonly presenceSince: Date;
  readonly updatedAt: Date;
}

export const defaultWorkerSettings: WorkerSettings = {
  capacity: 4,
  channelCosts: { chat: 1, voice: 4 },
  skills: {},
  queueIds: [],
  optedOut: [],
};
