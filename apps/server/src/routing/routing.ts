import type * as core from "@switchboard/core";
import type * as wire from "@switchboard/protocol";

/** An offer as agents see it. */
export interface OfferView {
  readonly id: string;
  readonly jobId: string;
  /** What is offered: a conversation's id (chat) or a call's (voice). */
  readonly subject: string;
  readonly queueId: string;
  readonly queueName: string;
  readonly channel: "chat" | "voice";
  readonly issuedAt: Date;
  readonly expiresAt: Date;
}

export interface WorkerView {
  readonly record: core.WorkerRecord;
  readonly name: string;
  readonly presence: core.Presence;
  readonly presenceSince: Date;
  readonly load: number;
}

export interface QueueLiveView {
  readonly queue: core.Queue;
  readonly waiting: number;
  readonly longestWaitSeconds: number;
  readonly serviceLevel: number | null;
  readonly agents: Readonly<Record<core.Presence, number>>;
}

/** Whose live view: an agent organization's (its queues and agents) instead of the viewer's own. */
export interface LiveFilter {
  readonly organizationId?: string | undefined;
}

/** Queues and agents, now. */
export interface LiveView {
  readonly at: Date;
  readonly queues: readonly QueueLiveView[];
  readonly agents: readonly WorkerView[];
}

/**
 * What the HTTP routes need of routing: the engine behind it (one per tenant, in process) is the
 * RoutingService's business.
 */
export interface Routing {
  /** The agent's worker, creating a default one for a user on first use. */
  worker(tenantId: string, identityId: string): Promise<WorkerView>;
  /** The tenant's agents; a user of an agent organization gets only its own. */
  workers(principal: core.Principal): Promise<readonly WorkerView[]>;
  /** Refuses queues not assigned to the agent's organization (`worker.queue_not_assigned`). */
  updateWorker(tenantId: string, identityId: string, settings: core.WorkerSettings): Promise<WorkerView>;
  setPresence(tenantId: string, identityId: string, presence: Exclude<core.Presence, "wrap_up">): Promise<WorkerView>;
  offersFor(tenantId: string, identityId: string): readonly OfferView[];
  /** The offer as sent to agents (undefined when its conversation is gone). */
  offerWire(tenantId: string, offer: OfferView, withPosition: boolean): Promise<wire.Offer | undefined>;
  accept(tenantId: string, offerId: string, identityId: string): Promise<core.Conversation>;
  decline(tenantId: string, offerId: string, identityId: string): Promise<void>;
  /** A user of an agent organization only to its queues and its own colleagues. */
  transfer(
    principal: core.Principal,
    conversationId: string,
    target: { queueId?: string | undefined; workerId?: string | undefined },
    note: string | null,
  ): Promise<core.Conversation>;
  resolve(principal: core.Principal, conversationId: string, wrapUpCode: string | undefined): Promise<core.Conversation>;
  /** Queue configuration changed: the engine reloads it. */
  queuesChanged(tenantId: string): Promise<void>;
  /**
   * Supervisors and admins; a supervisor of an agent organization sees only its queues and agents. An
   * in-house supervisor or admin may ask for an organization's view (`organization.not_found` otherwise).
   */
  live(principal: core.Principal, filter?: LiveFilter): Promise<LiveView>;
}
