/**
 * A queue as the tenant configures it: how its work is distributed to agents and what happens when it
 * cannot be (the routing engine runs on this configuration).
 */

import { type CallQueueSettings, defaultCallQueueSettings } from "../flows/model.js";
import type { RedirectTarget } from "../routing/model.js";

/**
 * Where work goes when a queue cannot take it or an agent sends it on: for chats, end with a message,
 * another queue or agent, leave a message; for calls, the redirect targets of flows/ (RD1-RD5).
 */
export type { RedirectTarget };

export type Distribution = "longest_idle" | "round_robin" | "serial" | "attendant" | "best_skill";

export interface QueueSettings {
  readonly name: string;
  readonly distribution: Distribution;
  /** How long an offer rings before it goes to the next agent (15-180 s). */
  readonly alertSeconds: number;
  readonly wrapUpSeconds: number;
  /** Worker ids, for serial distribution. */
  readonly serialOrder: readonly string[];
  readonly overflow: { readonly threshold: number; readonly target: RedirectTarget } | null;
  readonly timeout: { readonly seconds: number; readonly target: RedirectTarget } | null;
  /** Null target: queue anyway. */
  readonly noAgents: { readonly when: "none_signed_in" | "none_available"; readonly target: RedirectTarget | null } | null;
  readonly wrapUpCodes: readonly string[];
  /** Answered within this many seconds counts toward the service level. */
  readonly serviceLevelSeconds: number;
  /**
   * The agent organizations (outsourced teams) assigned to the queue, besides the in-house agents, who
   * work every queue: their users see the queue and may be its members. Empty: in-house only.
   */
  readonly organizationIds: readonly string[];
  /**
   * What a phone caller waiting in the queue hears and how the agent is connected (a call queue is a
   * queue: the same agents, distribution and exceptions serve its calls).
   */
  readonly call: CallQueueSettings;
}

export interface Queue extends QueueSettings {
  readonly id: string;
  readonly tenantId: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export const defaultQueueSettings = (name: string): QueueSettings => ({
  name,
  distribution: "longest_idle",
  alertSeconds: 30,
  wrapUpSeconds: 30,
  serialOrder: [],
  overflow: null,
  timeout: null,
  noAgents: null,
  wrapUpCodes: ["resolved", "follow_up", "no_response"],
  serviceLevelSeconds: 60,
  organizationIds: [],
  call: defaultCallQueueSettings(),
});
