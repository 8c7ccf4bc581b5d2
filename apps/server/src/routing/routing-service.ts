import * as core from "@switchboard/core";
import type * as wire from "@switchboard/protocol";
import { conversationView } from "../http/views.js";
import { liveView } from "./live-view.js";
import type { LiveFilter, LiveView, OfferView, QueueLiveView, Routing, WorkerView } from "./routing.js";

export interface RoutingServiceDeps {
  readonly conversation: core.ConversationDeps;
  readonly queues: core.QueueDeps;
  readonly workers: core.WorkerStore;
  /** Call records: a phone call's offer shows who calls. */
  readonly calls: Pick<core.CallRecordStore, "getCall">;
  readonly state: core.RoutingStateStore;
  readonly users: Pick<core.IdentityStore, "getUser" | "listUsers" | "getIdentity" | "getUserByIdentity">;
  /** The tenant's bot settings: their intents say where a handoff with that intent goes. */
  readonly botSettings: (tenantId: string) => Promise<core.BotSettings>;
  readonly notify: {
    toIdentity(tenantId: string, identityId: string, frame: wire.IdentityFrame): void;
    /** To the connected supervisors with the view of this agent organization (null: in-house ones and admins). */
    toSupervisors(tenantId: string, frame: wire.IdentityFrame, organizationId: string | null): void;
    hasSupervisors(tenantId: string): boolean;
    /** The views the connected supervisors need: their agent organizations, null for in-house and admins. */
    supervisorOrganizations(tenantId: string): readonly (string | null)[];
  };
  readonly clock: core.Clock;
  readonly ids: core.IdGenerator;
  readonly onError: (error: unknown) => void;
  /** How long after a change the engine's snapshot is saved (changes in between share one save). */
  readonly saveDelayMs?: number;
}

/** Per tenant: its engine, which conversation each live job is about, and today's answered counts. */
interface TenantRouting {
  readonly engine: core.RoutingEngine;
  readonly jobBySubject: Map<string, string>;
  readonly answered: Map<string, { day: string; total: number; inTime: number }>;
  saveTimer: ReturnType<typeof setTimeout> | undefined;
  liveTimer: ReturnType<typeof setTimeout> | undefined;
}

const LIVE_INTERVAL_MS = 1000;
const dayOf = (d: Date) => d.toISOString().slice(0, 10);

/** Plain JSON for the routing log: dates as ISO text. */
const jsonOf = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/**
 * Routing in the server: one engine per tenant, in process, driven by conversation handoffs, agents'
 * presence and answers to offers, and one timer for the earliest deadline of all engines. The engine's
 * snapshot is saved to the store after changes and restored at start; its events go to the routing log
 * and, as frames, to the agents they concern.
 */
export class RoutingService implements Routing, core.ConversationEventPublisher {
  private readonly tenants = new Map<string, TenantRouting>();
  private readonly loading = new Map<string, Promise<TenantRouting>>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private stopped = false;
  /** Serializes the work on each tenant's engine (events, then their effects, in order). */
  private readonly lanes = new Map<string, Promise<unknown>>();

  /** Told of every routing event (phone calls wait in the same engines as chats: `core.CallRouting`). */
  private callEvents: ((tenantId: string, event: core.RoutingEvent) => void) | undefined;

  constructor(private readonly deps: RoutingServiceDeps) {}

  /**
   * The lane phone calls are routed through: commands run in the tenant's lane like every other, and
   * their events reach `handle` (the call router) before anything else is done with them.
   */
  laneForCalls(handle: (tenantId: string, event: core.RoutingEvent) => void): core.RoutingLane {
    this.callEvents = handle;
    return {
      run: (tenantId, command) => this.run(tenantId, (tenant) => command(tenant.engine)),
      engine: (tenantId) => this.tenants.get(tenantId)?.engine,
    };
  }

  /** Restores every saved engine, and queues conversations that wait without a job (e.g. after a crash). */
  async start(): Promise<void> {
    for (const { tenantId, snapshot } of await this.deps.state.loadSnapshots()) {
      try {
        const engine = core.RoutingEngine.restore(snapshot as core.RoutingSnapshot, {
          clock: this.deps.clock,
          ids: this.deps.ids,
        });
        const tenant = this.adopt(tenantId, engine);
        await this.syncConfiguration(tenant, tenantId);
        // A phone call does not survive a restart: the calls that were waiting are gone.
        for (const job of engine.listJobs().filter((j) => j.channel === "voice")) {
          await this.run(tenantId, (t) => t.engine.cancel(job.id, "the server restarted")).catch(this.deps.onError);
        }
      } catch (error) {
        this.deps.onError(error);
      }
    }
    const waiting = new Set<string>();
    for (const queue of await this.deps.queues.queues.listAllQueues()) waiting.add(queue.tenantId);
    for (const tenantId of waiting) {
      const tenant = await this.tenant(tenantId);
      const page = await this.deps.conversation.conversations.listConversations(
        tenantId,
        { status: "awaiting_agent" },
        { limit: 200 },
      );
      for (const conversation of page.items) {
        if (!tenant.jobBySubject.has(conversation.id) && conversation.handoff) await this.enqueue(conversation);
      }
    }
    this.reschedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const tenant of this.tenants.values()) {
      if (tenant.saveTimer) clearTimeout(tenant.saveTimer);
      if (tenant.liveTimer) clearTimeout(tenant.liveTimer);
    }
  }

  /** Waits until every change so far has been applied and saved (tests, shutdown). */
  async flush(): Promise<void> {
    while (this.lanes.size > 0) await Promise.all(this.lanes.values());
    await Promise.all(
      [...this.tenants.entries()].map(async ([tenantId, tenant]) => {
        if (tenant.saveTimer) {
          clearTimeout(tenant.saveTimer);
          tenant.saveTimer = undefined;
          await this.save(tenantId, tenant);
        }
      }),
    );
  }

  // ------------------------------------------------------------ conversations

  publishConversationEvent(event: core.ConversationEvent, conversation: core.Conversation): void {
    const handedOff = event.type === "conversation.handed_off";
    const straightToQueue = event.type === "conversation.created" && conversation.status === "awaiting_agent";
    if (handedOff || straightToQueue) void this.enqueue(conversation).catch(this.deps.onError);
  }

  /**
   * A waiting conversation becomes a job: in the entry point's queue, or where the rules of its intent
   * send it (with their priority and skills); the conversation then names the queue it waits in.
   */
  private async enqueue(conversation: core.Conversation): Promise<void> {
    const tenantId = conversation.tenantId;
    const entryQueue = await this.ensureQueue(tenantId, conversation.queue);
    const rules: core.ClassificationRule[] = [];
    for (const intent of (await this.deps.botSettings(tenantId)).intents) {
      if (!intent.routing) continue;
      const queue = intent.routing.queue ? await this.ensureQueue(tenantId, intent.routing.queue) : undefined;
      rules.push({
        name: `intent ${intent.name}`,
        when: { intent: intent.name },
        ...(queue ? { queueId: queue.id } : {}),
        ...(intent.routing.priority !== undefined ? { priority: intent.routing.priority } : {}),
        ...(intent.routing.requiredSkills ? { requiredSkills: intent.routing.requiredSkills } : {}),
      });
    }
    const intent = conversation.handoff?.intent ?? conversation.intent;
    const classification = core.classify(
      { entryQueue: entryQueue.id, intent, verified: conversation.verified, channel: "chat" },
      rules,
    );
    if (classification.queueId !== entryQueue.id) {
      const queue = await core.getQueue(this.deps.queues, tenantId, classification.queueId);
      await core.changeConversation(this.deps.conversation, tenantId, conversation.id, { patch: { queue: queue.name } });
    }
    const why = conversation.handoff ? `handed off by the bot (${conversation.handoff.reason.replaceAll("_", " ")})` : "no bot";
    await this.run(tenantId, (tenant) =>
      tenant.engine.enqueue({
        subject: conversation.id,
        channel: "chat",
        queueId: classification.queueId,
        priority: classification.priority,
        requiredSkills: classification.requiredSkills,
        enqueuedAt: conversation.awaitingSince ?? this.deps.clock.now(),
        reason: `${why}; ${classification.reason}`,
      }),
    );
  }

  /**
   * A conversation names its queue; a queue that does not exist yet is created with the defaults and
   * every in-house agent of the tenant as a member (it is assigned to no agent organization).
   */
  private async ensureQueue(tenantId: string, name: string): Promise<core.Queue> {
    const existing = await this.deps.queues.queues.getQueueByName(tenantId, name);
    if (existing) return existing;
    try {
      const queue = await core.createQueue(this.deps.queues, tenantId, { name });
      // Work sent to a queue nobody configured must not wait forever: every in-house agent of the tenant serves it.
      // The records only: the sync below gives the engine the queue first, then every worker once.
      const now = this.deps.clock.now();
      const organizations = await this.organizationsOf(tenantId);
      for (const record of await this.deps.workers.listWorkers(tenantId)) {
        if ((organizations.get(record.identityId) ?? null) !== null) continue;
        const settings = { ...record.settings, queueIds: [...record.settings.queueIds, queue.id] };
        await this.deps.workers.putWorker({ ...record, settings, updatedAt: now });
      }
      await this.queuesChanged(tenantId);
      return queue;
    } catch (error) {
      const raced = await this.deps.queues.queues.getQueueByName(tenantId, name);
      if (raced) return raced;
      throw error;
    }
  }

  // ------------------------------------------------------------ configuration

  async queuesChanged(tenantId: string): Promise<void> {
    const tenant = await this.tenant(tenantId);
    await this.syncConfiguration(tenant, tenantId);
  }

  private async syncConfiguration(tenant: TenantRouting, tenantId: string): Promise<void> {
    const queues = await this.deps.queues.queues.listQueues(tenantId);
    // One command at a time: a refused command (a queue removed while jobs wait in it) loses nothing else.
    for (const queue of queues) await this.run(tenantId, (t) => t.engine.upsertQueue(queueInput(queue)));
    const ids = new Set(queues.map((q) => q.id));
    for (const gone of tenant.engine.listQueues().filter((q) => !ids.has(q.id))) {
      await this.run(tenantId, (t) => t.engine.removeQueue(gone.id)).catch(this.deps.onError);
    }
    const users = new Map((await this.deps.users.listUsers(tenantId)).map((u) => [u.identityId, u]));
    for (const stored of await this.deps.workers.listWorkers(tenantId)) {
      const user = users.get(stored.identityId);
      const record = await this.keepAllowedMemberships(stored, user?.organizationId ?? null, queues);
      // The user's name as it is now: a renamed agent's offers and log entries carry the new one.
      await this.run(tenantId, (t) =>
        t.engine.upsertWorker(workerInput(record, user?.displayName ?? t.engine.worker(record.identityId)?.name)),
      );
    }
  }

  /**
   * An agent of an organization stays a member only of queues assigned to it: after a queue was taken
   * from the organization, or the agent moved, the record loses the others (and so its offers from them).
   */
  private async keepAllowedMemberships(
    record: core.WorkerRecord,
    organizationId: string | null,
    queues: readonly core.Queue[],
  ): Promise<core.WorkerRecord> {
    const queueIds = core.allowedMemberships(organizationId, record.settings.queueIds, queues);
    if (queueIds.length === record.settings.queueIds.length) return record;
    return this.deps.workers.putWorker({
      ...record,
      settings: { ...record.settings, queueIds: [...queueIds] },
      updatedAt: this.deps.clock.now(),
    });
  }

  /** Each user's agent organization (null: in-house), by their identity. */
  private async organizationsOf(tenantId: string): Promise<Map<string, string | null>> {
    return new Map((await this.deps.users.listUsers(tenantId)).map((u) => [u.identityId, u.organizationId]));
  }

  // ------------------------------------------------------------ workers

  async worker(tenantId: string, identityId: string): Promise<WorkerView> {
    const record = (await this.deps.workers.getWorker(tenantId, identityId)) ?? (await this.createWorker(tenantId, identityId));
    return this.view(await this.tenant(tenantId), record);
  }

  /** The tenant's agents as workers; a user of an agent organization sees only their organization's. */
  async workers(principal: core.Principal): Promise<readonly WorkerView[]> {
    const actor = core.requireScope(principal, "chat");
    return this.workersOf(actor.tenantId, core.organizationOf(actor));
  }

  private async workersOf(tenantId: string, organizationId: string | null): Promise<readonly WorkerView[]> {
    const tenant = await this.tenant(tenantId);
    const users = (await this.deps.users.listUsers(tenantId)).filter((u) => core.userVisibleTo(u, organizationId));
    const records = new Map((await this.deps.workers.listWorkers(tenantId)).map((w) => [w.identityId, w]));
    const views: WorkerView[] = [];
    for (const user of users) {
      const record = records.get(user.identityId) ?? (await this.createWorker(tenantId, user.identityId));
      views.push(this.view(tenant, record, user.displayName));
    }
    return views;
  }

  /** Refuses, for an agent of an organization, queues not assigned to it (`worker.queue_not_assigned`). */
  async updateWorker(tenantId: string, identityId: string, settings: core.WorkerSettings): Promise<WorkerView> {
    const user = await this.deps.users.getUserByIdentity(tenantId, identityId);
    if (!user) throw new core.DomainError("worker.not_found", "not_found", `No agent with identity ${identityId}.`);
    core.checkMemberships(user.organizationId, settings.queueIds, await this.deps.queues.queues.listQueues(tenantId));
    const existing = (await this.deps.workers.getWorker(tenantId, identityId)) ?? (await this.createWorker(tenantId, identityId));
    const record = await this.deps.workers.putWorker({ ...existing, settings, updatedAt: this.deps.clock.now() });
    const name = await this.nameOf(tenantId, identityId);
    await this.knowQueues(tenantId, record.settings.queueIds);
    await this.run(tenantId, (t) => t.engine.upsertWorker(workerInput(record, name)));
    return this.view(await this.tenant(tenantId), record, name);
  }

  /**
   * Gives the engine the queues it does not know yet among `queueIds`: a queue just created reaches it
   * through `queuesChanged`, which runs after the request that created it, so a worker put in that queue at
   * once would otherwise name a queue the engine has never seen.
   */
  private async knowQueues(tenantId: string, queueIds: readonly string[]): Promise<void> {
    const tenant = await this.tenant(tenantId);
    if (queueIds.every((id) => tenant.engine.queue(id))) return;
    for (const queue of await this.deps.queues.queues.listQueues(tenantId)) {
      if (queueIds.includes(queue.id) && !tenant.engine.queue(queue.id)) {
        await this.run(tenantId, (t) => (t.engine.queue(queue.id) ? [] : t.engine.upsertQueue(queueInput(queue))));
      }
    }
  }

  async setPresence(tenantId: string, identityId: string, presence: core.ChosenPresence): Promise<WorkerView> {
    const existing = (await this.deps.workers.getWorker(tenantId, identityId)) ?? (await this.createWorker(tenantId, identityId));
    const now = this.deps.clock.now();
    const record = await this.deps.workers.putWorker({ ...existing, presence, presenceSince: now, updatedAt: now });
    const name = await this.nameOf(tenantId, identityId);
    await this.knowQueues(tenantId, record.settings.queueIds);
    await this.run(tenantId, (t) => {
      const events = t.engine.worker(identityId) ? [] : t.engine.upsertWorker(workerInput(record, name));
      return [...events, ...t.engine.setPresence(identityId, presence, "set by the agent")];
    });
    return this.view(await this.tenant(tenantId), record, name);
  }

  /**
   * A user's first worker record: all the tenant's queues (for an agent of an organization, those assigned
   * to it), the default capacity, offline.
   */
  private async createWorker(tenantId: string, identityId: string): Promise<core.WorkerRecord> {
    const users = await this.deps.users.listUsers(tenantId);
    const user = users.find((u) => u.identityId === identityId);
    if (!user) throw new core.DomainError("worker.not_found", "not_found", `No agent with identity ${identityId}.`);
    const queues = (await this.deps.queues.queues.listQueues(tenantId)).filter((q) =>
      core.queueAssignedTo(q, user.organizationId),
    );
    const now = this.deps.clock.now();
    const record = await this.deps.workers.putWorker({
      tenantId,
      identityId,
      userId: user.id,
      settings: { ...core.defaultWorkerSettings, queueIds: queues.map((q) => q.id) },
      presence: "offline",
      presenceSince: now,
      updatedAt: now,
    });
    await this.knowQueues(tenantId, record.settings.queueIds);
    await this.run(tenantId, (t) => t.engine.upsertWorker(workerInput(record, user.displayName)));
    return record;
  }

  private async nameOf(tenantId: string, identityId: string): Promise<string> {
    return (await this.deps.users.getIdentity(tenantId, identityId))?.displayName ?? identityId;
  }

  private view(tenant: TenantRouting, record: core.WorkerRecord, name?: string): WorkerView {
    const live = tenant.engine.worker(record.identityId);
    return {
      record,
      name: name ?? live?.name ?? record.identityId,
      presence: live?.presence ?? record.presence,
      presenceSince: record.presenceSince,
      load: live?.load ?? 0,
    };
  }

  // ------------------------------------------------------------ offers

  offersFor(tenantId: string, identityId: string): readonly OfferView[] {
    const tenant = this.tenants.get(tenantId);
    const worker = tenant?.engine.worker(identityId);
    if (!tenant || !worker) return [];
    return worker.offerIds.flatMap((id) => {
      const offer = tenant.engine.offer(id);
      return offer && offer.outcome === null ? [this.offerView(tenant, offer)] : [];
    });
  }

  async accept(tenantId: string, offerId: string, identityId: string): Promise<core.Conversation> {
    const tenant = await this.tenant(tenantId);
    const offer = tenant.engine.offer(offerId);
    if (offer && tenant.engine.job(offer.jobId)?.channel === "voice") {
      throw new core.DomainError(
        "offer.answer_the_call",
        "conflict",
        "A call is accepted by answering it: on the agent desktop registered for calls, or on the agent's phone.",
      );
    }
    await this.run(tenantId, (t) => t.engine.accept(offerId, identityId));
    const job = offer ? tenant.engine.job(offer.jobId) : undefined;
    const conversationId = job?.subject;
    const conversation = conversationId && (await this.deps.conversation.conversations.getConversation(tenantId, conversationId));
    if (!conversation) throw core.notFound("conversation", conversationId ?? offerId);
    return core.assignConversation(this.deps.conversation, conversation, {
      identityId,
      displayName: await this.nameOf(tenantId, identityId),
    });
  }

  async decline(tenantId: string, offerId: string, identityId: string): Promise<void> {
    await this.run(tenantId, (t) => t.engine.decline(offerId, identityId, "declined by the agent"));
  }

  // ------------------------------------------------------------ transfer and resolution

  async transfer(
    principal: core.Principal,
    conversationId: string,
    target: { queueId?: string | undefined; workerId?: string | undefined },
    note: string | null,
  ): Promise<core.Conversation> {
    const { actor } = await core.accessConversation(this.deps.conversation, principal, conversationId);
    const tenantId = actor.tenantId;
    const tenant = await this.tenant(tenantId);
    const jobId = tenant.jobBySubject.get(conversationId);
    if (!jobId) throw new core.DomainError("conversation.not_routed", "conflict", "The conversation is not waiting or assigned.");
    let named: core.TransferTarget;
    let routingTarget: core.RoutingTarget;
    // A user of an agent organization sends work only to its queues and to its own colleagues.
    if (target.queueId) {
      const queue = await core.getVisibleQueue(this.deps.queues, actor, target.queueId);
      named = { kind: "queue", id: queue.id, name: queue.name };
      routingTarget = { kind: "queue", queueId: queue.id };
    } else if (target.workerId) {
      const organizationId = core.organizationOf(actor);
      if (organizationId !== null) {
        const user = await this.deps.users.getUserByIdentity(tenantId, target.workerId);
        if (!user || !core.userVisibleTo(user, organizationId)) {
          throw new core.DomainError("worker.not_found", "not_found", `No agent with identity ${target.workerId}.`);
        }
      }
      const worker = await this.worker(tenantId, target.workerId);
      named = { kind: "worker", id: target.workerId, name: worker.name };
      routingTarget = { kind: "worker", workerId: target.workerId };
    } else {
      throw core.invalid("transfer.no_target", "Name a queue or an agent.", [{ field: "queueId", message: "or workerId" }]);
    }
    const transferred = await core.transferConversation(this.deps.conversation, principal, conversationId, named, note);
    await this.run(tenantId, (t) =>
      t.engine.transfer(jobId, routingTarget, { reason: note ? `transferred: ${note}` : "transferred" }),
    );
    return transferred;
  }

  async resolve(principal: core.Principal, conversationId: string, wrapUpCode: string | undefined): Promise<core.Conversation> {
    const resolved = await core.resolveConversation(
      this.deps.conversation,
      principal,
      conversationId,
      wrapUpCode ? { wrapUpCode } : {},
    );
    const tenant = await this.tenant(resolved.tenantId);
    const jobId = tenant.jobBySubject.get(conversationId);
    if (jobId) {
      const job = tenant.engine.job(jobId);
      await this.run(resolved.tenantId, (t) =>
        job?.status === "assigned" ? t.engine.complete(jobId, "resolved") : t.engine.cancel(jobId, "the conversation ended"),
      );
    }
    return resolved;
  }

  // ------------------------------------------------------------ the live view

  /**
   * Queues and agents now, for a supervisor or admin. A supervisor of an agent organization sees only the
   * queues assigned to it and its own agents, and counts only those among each queue's agents.
   */
  async live(principal: core.Principal, filter: LiveFilter = {}): Promise<LiveView> {
    const actor = core.requireSupervisor(principal);
    const own = core.organizationOf(actor);
    const wanted = filter.organizationId;
    if (wanted === undefined || wanted === own) return this.liveOf(actor.tenantId, own);
    // Another organization's view is as good as absent to a supervisor of one.
    if (own !== null || !(await this.deps.queues.organizations.getOrganization(actor.tenantId, wanted))) {
      throw core.notFound("organization", wanted);
    }
    return this.liveOf(actor.tenantId, wanted);
  }

  private async liveOf(tenantId: string, organizationId: string | null): Promise<LiveView> {
    const tenant = await this.tenant(tenantId);
    const now = this.deps.clock.now();
    const queues = (await this.deps.queues.queues.listQueues(tenantId)).filter((q) => core.queueAssignedTo(q, organizationId));
    const agents = await this.workersOf(tenantId, organizationId);
    const ownAgents = organizationId === null ? undefined : presenceByQueue(agents);
    const views = queues.map((queue): QueueLiveView => {
      const stats = tenant.engine.queue(queue.id) ? tenant.engine.queueStats(queue.id) : undefined;
      const answered = tenant.answered.get(queue.id);
      const today = answered?.day === dayOf(now) ? answered : undefined;
      return {
        queue,
        waiting: stats?.waiting ?? 0,
        longestWaitSeconds: stats?.oldestEnqueuedAt ? Math.max(0, (now.getTime() - stats.oldestEnqueuedAt.getTime()) / 1000) : 0,
        serviceLevel: today && today.total > 0 ? today.inTime / today.total : null,
        agents: (ownAgents ? ownAgents.get(queue.id) : stats?.agents) ?? noAgents(),
      };
    });
    return { at: now, queues: views, agents };
  }

  // ------------------------------------------------------------ the engine's events

  private tenant(tenantId: string): Promise<TenantRouting> {
    const known = this.tenants.get(tenantId);
    if (known) return Promise.resolve(known);
    let loading = this.loading.get(tenantId);
    if (!loading) {
      loading = (async () => {
        const tenant = this.adopt(tenantId, new core.RoutingEngine({ clock: this.deps.clock, ids: this.deps.ids }));
        await this.syncConfiguration(tenant, tenantId);
        return tenant;
      })().finally(() => this.loading.delete(tenantId));
      this.loading.set(tenantId, loading);
    }
    return loading;
  }

  private adopt(tenantId: string, engine: core.RoutingEngine): TenantRouting {
    const tenant: TenantRouting = {
      engine,
      jobBySubject: new Map(),
      answered: new Map(),
      saveTimer: undefined,
      liveTimer: undefined,
    };
    for (const job of engine.listJobs()) tenant.jobBySubject.set(job.subject, job.id);
    this.tenants.set(tenantId, tenant);
    return tenant;
  }

  /** Runs a command on the tenant's engine in its lane, then carries out what its events ask for. */
  private async run(tenantId: string, command: (tenant: TenantRouting) => core.RoutingEvent[]): Promise<void> {
    const tenant = this.tenants.get(tenantId) ?? (await this.tenant(tenantId));
    const previous = this.lanes.get(tenantId) ?? Promise.resolve();
    let failure: unknown;
    const next = previous.then(async () => {
      let events: core.RoutingEvent[];
      try {
        events = command(tenant);
      } catch (error) {
        failure = error;
        return;
      }
      await this.apply(tenantId, tenant, events);
    });
    const tracked = next.catch(this.deps.onError).finally(() => {
      if (this.lanes.get(tenantId) === tracked) this.lanes.delete(tenantId);
    });
    this.lanes.set(tenantId, tracked);
    await tracked;
    if (failure !== undefined) throw failure;
  }

  private async apply(tenantId: string, tenant: TenantRouting, events: readonly core.RoutingEvent[]): Promise<void> {
    if (events.length === 0) return;
    for (const event of events) {
      if (this.callEvents) {
        try {
          this.callEvents(tenantId, event);
        } catch (error) {
          this.deps.onError(error);
        }
      }
      switch (event.type) {
        case "job.queued":
          tenant.jobBySubject.set(event.data.subject, event.data.jobId);
          break;
        case "offer.issued": {
          const offer = tenant.engine.offer(event.data.offerId);
          if (offer) await this.sendOffer(tenantId, tenant, offer);
          break;
        }
        case "offer.accepted":
        case "offer.declined":
        case "offer.expired":
        case "offer.revoked":
          this.deps.notify.toIdentity(tenantId, event.data.workerId, {
            type: "routing.offer_ended",
            offerId: event.data.offerId,
            outcome: event.type.slice("offer.".length) as "accepted" | "declined" | "expired" | "revoked",
          });
          break;
        case "job.assigned": {
          this.notifyWorker(tenantId, tenant, event.data.workerId);
          const queue = await this.deps.queues.queues.getQueue(tenantId, event.data.queueId);
          const now = event.at;
          const day = dayOf(now);
          const counts = tenant.answered.get(event.data.queueId);
          const current = counts?.day === day ? counts : { day, total: 0, inTime: 0 };
          current.total += 1;
          if (event.data.waitedMs <= (queue?.serviceLevelSeconds ?? 60) * 1000) current.inTime += 1;
          tenant.answered.set(event.data.queueId, current);
          break;
        }
        case "job.redirected":
          tenant.jobBySubject.delete(event.data.subject);
          await this.redirect(tenantId, event.data.subject, event.data.target, event.reason);
          break;
        case "job.cancelled":
          tenant.jobBySubject.delete(event.data.subject);
          break;
        case "job.completed":
          tenant.jobBySubject.delete(event.data.subject);
          this.notifyWorker(tenantId, tenant, event.data.workerId);
          break;
        case "worker.presence_changed":
        case "worker.wrap_up_ended":
          this.notifyWorker(tenantId, tenant, event.data.workerId);
          break;
        default:
          break;
      }
    }
    await this.deps.state.appendEvents(
      tenantId,
      events.map((e) => ({
        type: e.type,
        subject: "subject" in e.data ? e.data.subject : null,
        data: jsonOf({ ...e.data, reason: e.reason }),
        at: e.at,
      })),
    );
    this.scheduleSave(tenantId, tenant);
    this.scheduleLive(tenantId, tenant);
    this.reschedule();
  }

  /** The agent's presence and load as they are now (after a change of either). */
  private notifyWorker(tenantId: string, tenant: TenantRouting, workerId: string): void {
    const worker = tenant.engine.worker(workerId);
    if (worker)
      this.deps.notify.toIdentity(tenantId, worker.id, {
        type: "routing.presence",
        presence: worker.presence,
        load: worker.load,
      });
  }

  private offerView(tenant: TenantRouting, offer: core.Offer): OfferView {
    const job = tenant.engine.job(offer.jobId);
    const queue = job ? tenant.engine.queue(job.queueId) : undefined;
    return {
      id: offer.id,
      jobId: offer.jobId,
      subject: job?.subject ?? "",
      queueId: job?.queueId ?? "",
      queueName: queue?.name ?? "",
      channel: job?.channel ?? "chat",
      issuedAt: offer.issuedAt,
      expiresAt: offer.expiresAt,
    };
  }

  private async sendOffer(tenantId: string, tenant: TenantRouting, offer: core.Offer): Promise<void> {
    const view = await this.offerWire(tenantId, this.offerView(tenant, offer), false);
    if (view) this.deps.notify.toIdentity(tenantId, offer.workerId, { type: "routing.offer", offer: view });
  }

  /**
   * An offer on the wire, with what it offers: the conversation (and its place in the queue when asked), or the
   * phone call with its caller. Undefined when the conversation is gone.
   */
  async offerWire(tenantId: string, view: OfferView, withPosition: boolean): Promise<wire.Offer | undefined> {
    const base = {
      id: view.id,
      jobId: view.jobId,
      queueId: view.queueId,
      queueName: view.queueName,
      channel: view.channel,
      issuedAt: view.issuedAt.toISOString(),
      expiresAt: view.expiresAt.toISOString(),
    };
    if (view.channel === "voice") {
      const call = await this.deps.calls.getCall(tenantId, view.subject).catch(() => undefined);
      const conversationId = call ? core.conversationOfCall(call) : null;
      return {
        ...base,
        conversationId: null,
        conversation: null,
        call: { id: view.subject, from: call?.from ?? null, conversationId },
      };
    }
    const deps = this.deps.conversation;
    const conversation = await deps.conversations.getConversation(tenantId, view.subject);
    if (!conversation) return undefined;
    const position = withPosition ? await core.queuePosition(deps, conversation) : null;
    return { ...base, conversationId: view.subject, conversation: conversationView(conversation, position), call: null };
  }

  /** A job left routing for an exit target: the conversation is ended, or kept for follow-up, with a word to the customer. */
  private async redirect(tenantId: string, conversationId: string, target: core.ExitTarget, reason: string): Promise<void> {
    const deps = this.deps.conversation;
    const conversation = await deps.conversations.getConversation(tenantId, conversationId);
    if (!conversation || conversation.status === "resolved") return;
    const entryPoint = await deps.entryPoints.getEntryPoint(tenantId, conversation.entryPointId);
    const say = async (content: string) => {
      if (!entryPoint?.botIdentityId) return;
      const bot: core.Principal = { kind: "identity", tenantId, identityId: entryPoint.botIdentityId, scopes: ["chat"] };
      await core.sendMessage(deps.chat, bot, conversation.threadId, { content, metadata: { "switchboard.event": "redirect" } });
    };
    if (target.kind === "end") {
      await say(target.message);
      await core.resolveConversation(deps, core.systemPrincipal(tenantId), conversationId);
    } else if (target.kind === "leave_message") {
      // Out of routing, waiting for someone to follow up from the conversation list.
      await say("Everyone is busy right now. Leave us a message here and we'll get back to you as soon as we can.");
      await core.leaveForFollowUp(deps, tenantId, conversationId, reason);
    } else {
      await say("We can't take your conversation right now. Please try again later.");
      await core.resolveConversation(deps, core.systemPrincipal(tenantId), conversationId);
    }
  }

  // ------------------------------------------------------------ persistence and timers

  private scheduleSave(tenantId: string, tenant: TenantRouting): void {
    if (tenant.saveTimer || this.stopped) return;
    tenant.saveTimer = setTimeout(() => {
      tenant.saveTimer = undefined;
      void this.save(tenantId, tenant).catch(this.deps.onError);
    }, this.deps.saveDelayMs ?? 200);
  }

  private save(tenantId: string, tenant: TenantRouting): Promise<void> {
    return this.deps.state.saveSnapshot(tenantId, tenant.engine.snapshot(), this.deps.clock.now());
  }

  /** Pushes the live view to connected supervisors, at most once a second: one view per agent organization among them. */
  private scheduleLive(tenantId: string, tenant: TenantRouting): void {
    if (tenant.liveTimer || this.stopped || !this.deps.notify.hasSupervisors(tenantId)) return;
    tenant.liveTimer = setTimeout(() => {
      tenant.liveTimer = undefined;
      for (const organizationId of this.deps.notify.supervisorOrganizations(tenantId)) {
        void this.liveOf(tenantId, organizationId)
          .then((live) =>
            this.deps.notify.toSupervisors(tenantId, { type: "supervisor.live", live: liveView(live) }, organizationId),
          )
          .catch(this.deps.onError);
      }
    }, LIVE_INTERVAL_MS);
  }

  /** One timer for the earliest deadline of every engine. */
  private reschedule(): void {
    if (this.stopped) return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const tenant of this.tenants.values()) {
      const due = tenant.engine.nextDeadline();
      if (due) earliest = Math.min(earliest, due.getTime());
    }
    if (earliest === this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = earliest;
    if (earliest === Number.POSITIVE_INFINITY) return;
    const delay = Math.min(Math.max(earliest - this.deps.clock.now().getTime(), 0), 2 ** 31 - 1);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      const now = this.deps.clock.now();
      for (const [tenantId, tenant] of this.tenants) {
        const due = tenant.engine.nextDeadline();
        if (due && due.getTime() <= now.getTime()) void this.run(tenantId, (t) => t.engine.tick(now)).catch(this.deps.onError);
      }
      this.reschedule();
    }, delay);
  }
}

const noAgents = (): Record<core.Presence, number> => ({ available: 0, busy: 0, away: 0, offline: 0, wrap_up: 0 });

/** Each queue's member agents by presence, counted over the given agents only (as the engine counts all). */
function presenceByQueue(agents: readonly WorkerView[]): Map<string, Record<core.Presence, number>> {
  const counts = new Map<string, Record<core.Presence, number>>();
  for (const agent of agents) {
    const { queueIds, optedOut } = agent.record.settings;
    for (const queueId of queueIds) {
      if (optedOut.includes(queueId)) continue;
      const mine = counts.get(queueId) ?? noAgents();
      mine[agent.presence] += 1;
      counts.set(queueId, mine);
    }
  }
  return counts;
}

const queueInput = (queue: core.Queue): core.QueueInput => ({
  id: queue.id,
  name: queue.name,
  distribution: queue.distribution,
  alertSeconds: queue.alertSeconds,
  wrapUpSeconds: queue.wrapUpSeconds,
  serialOrder: [...queue.serialOrder],
  exceptions: {
    overflow: queue.overflow,
    timeout: queue.timeout,
    noAgents: queue.noAgents && { when: queue.noAgents.when, action: queue.noAgents.target ?? "queue_anyway" },
  },
});

const workerInput = (record: core.WorkerRecord, name: string | undefined): core.WorkerInput => ({
  id: record.identityId,
  ...(name ? { name } : {}),
  capacity: record.settings.capacity,
  costs: { ...record.settings.channelCosts },
  skills: { ...record.settings.skills },
  queues: [...record.settings.queueIds],
  optedOut: [...record.settings.optedOut],
});
