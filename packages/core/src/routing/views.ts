/** Read-only copies of the engine's state for callers: nothing they hold can change the engine. */
import type { Job, Offer, Worker } from "./model.js";
import type { JobState, OfferState, WorkerState } from "./state.js";

const date = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

export function jobView(job: JobState): Job {
  return {
    id: job.id,
    subject: job.subject,
    channel: job.channel,
    queueId: job.queue.config.id,
    priority: job.priority,
    requiredSkills: job.requiredSkills.map((r) => ({ ...r })),
    enqueuedAt: new Date(job.enqueuedAt),
    queueEnteredAt: new Date(job.queueEnteredAt),
    status: job.status,
    declinedBy: [...job.declined].map(([workerId, until]) => ({ workerId, until: new Date(until) })),
    workerId: job.worker?.id ?? null,
    assignedAt: date(job.assignedAt),
    offerIds: [...job.offers.values()].map((o) => o.id),
  };
}

export function workerView(worker: WorkerState): Worker {
  const c = worker.config;
  return {
    id: c.id,
    name: c.name,
    capacity: c.capacity,
    costs: { ...c.costs },
    skills: { ...c.skills },
    queues: [...c.queues],
    optedOut: [...c.optedOut],
    presence: worker.presence,
    availableSince: date(worker.availableSince),
    lastAssignedAt: date(worker.lastAssignedAt),
    wrapUpUntil: date(worker.wrapUpUntil),
    load: worker.load,
    reserved: worker.reserved,
    jobIds: [...worker.jobs.keys()],
    offerIds: [...worker.offers.keys()],
  };
}

export function offerView(offer: OfferState): Offer {
  return {
    id: offer.id,
    jobId: offer.job.id,
    workerId: offer.worker.id,
    issuedAt: new Date(offer.issuedAt),
    expiresAt: new Date(offer.expiresAt),
    directed: offer.directed,
    outcome: offer.outcome,
  };
}
