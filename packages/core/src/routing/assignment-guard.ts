/**
 * The seam for assigning work across nodes. The engine asks the guard right before it commits an
 * assignment (an accepted offer becoming `job.assigned`); a refusal revokes the offer instead and the
 * job goes back to its line. In one process the engine is the only writer, so the default says yes.
 *
 * With several nodes, one engine per tenant runs on the node holding that tenant's lease (a PostgreSQL
 * row or advisory lock with an epoch). Its guard refuses while the lease is not known to be held, and
 * the store makes the step atomic where it counts: the events a command returns are written in one
 * transaction that also checks the lease epoch and inserts the assignment under a unique key on the job
 * (so a second assignment of the same job, from a node that lost its lease, fails and rolls back).
 * After such a failure the node drops its engine and restores the tenant's engine from the store.
 */
export interface AssignmentRequest {
  readonly jobId: string;
  readonly subject: string;
  readonly workerId: string;
  readonly offerId: string;
  readonly queueId: string;
  readonly units: number;
  readonly at: Date;
}

export type AssignmentVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface AssignmentGuard {
  allowAssignment(request: AssignmentRequest): AssignmentVerdict;
}

/** One process, one engine: every assignment it decides is the only one. */
export const inProcessAssignments: AssignmentGuard = { allowAssignment: () => ({ ok: true }) };
