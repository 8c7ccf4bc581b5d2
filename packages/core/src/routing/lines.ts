/**
 * Waiting lines and the ready lists: the engine's indexes. A queue keeps its waiting jobs in groups by
 * what they need of a worker (channel and skills), each in line order, so a freed worker looks only at
 * the front of the groups it qualifies for; and its ready workers (available, with room) in the order
 * its distribution tries them, so a job looks only at its own queue's ready workers.
 */
import { SortedList } from "./sorted-list.js";
import { type JobState, jobOrder, type QueueState, signatureOf, type WorkerState } from "./state.js";

export function enterLine(job: JobState): void {
  if (job.group !== null) return;
  const queue = job.queue;
  const signature = signatureOf(job.channel, job.requiredSkills);
  let group = queue.groups.get(signature);
  if (!group) {
    group = { signature, channel: job.channel, requiredSkills: job.requiredSkills, line: new SortedList(jobOrder) };
    queue.groups.set(signature, group);
  }
  group.line.insert(job);
  job.group = group;
}

export function leaveLine(job: JobState): void {
  const group = job.group;
  if (group === null) return;
  group.line.remove(job);
  job.group = null;
  if (group.line.size === 0) job.queue.groups.delete(group.signature);
}

/** Changes a job's status, keeping its queue's tallies. */
export function setStatus(job: JobState, status: JobState["status"]): void {
  const queue = job.queue;
  if (job.status === "offered") queue.offered -= 1;
  else if (job.status === "assigned") queue.assigned -= 1;
  job.status = status;
  if (status === "offered") queue.offered += 1;
  else if (status === "assigned") queue.assigned += 1;
}

/** Moves a job (not in a line) to another queue's books. */
export function switchQueue(job: JobState, queue: QueueState): void {
  if (job.queue === queue) return;
  const status = job.status;
  setStatus(job, "queued");
  job.queue.jobs.delete(job);
  job.queue = queue;
  queue.jobs.add(job);
  setStatus(job, status);
}

/** Whether a queue keeps its ready workers by load and idle time (else in a fixed order). */
const byLoad = (queue: QueueState) => queue.config.distribution !== "round_robin" && queue.config.distribution !== "serial";

/**
 * Keeps the worker's place in its queues' ready lists in step with its presence, load and idle time.
 * Returns true when the worker can take more than before (newly ready, or more room).
 */
export function refreshReady(worker: WorkerState): boolean {
  const used = worker.load + worker.reserved;
  const capacity = worker.config.capacity;
  const ready = worker.presence === "available" && used < capacity;
  const ratio = used / capacity;
  const idle = Math.max(worker.availableSince ?? 0, worker.lastAssignedAt ?? 0);
  const wasReady = worker.ready;
  const oldRatio = worker.keyRatio;
  if (wasReady === ready && (!ready || (ratio === oldRatio && idle === worker.keyIdle))) return false;
  if (wasReady && ready) {
    // Only the sort keys changed: lines kept in a fixed order (round robin, serial) stay as they are.
    for (const queue of worker.queues) if (byLoad(queue)) queue.ready.remove(worker);
    worker.keyRatio = ratio;
    worker.keyIdle = idle;
    for (const queue of worker.queues) if (byLoad(queue)) queue.ready.insert(worker);
    return ratio < oldRatio;
  }
  if (wasReady) for (const queue of worker.queues) queue.ready.remove(worker);
  worker.keyRatio = ratio;
  worker.keyIdle = idle;
  worker.ready = ready;
  if (!ready) return false;
  for (const queue of worker.queues) queue.ready.insert(worker);
  return true;
}

/** Enters the worker in the queues it belongs to (and has not opted out of), by its config. */
export function attachWorker(worker: WorkerState, queues: ReadonlyMap<string, QueueState>): boolean {
  worker.queues = [];
  for (const id of worker.config.queues) {
    const queue = queues.get(id);
    if (!queue) continue;
    if (!queue.joinRank.has(worker.id)) queue.joinRank.set(worker.id, queue.nextRank++);
    if (worker.config.optedOut.includes(id)) {
      queue.optedOut.add(worker);
      continue;
    }
    queue.members.add(worker);
    queue.byPresence[worker.presence] += 1;
    worker.queues.push(queue);
  }
  return refreshReady(worker);
}

export function detachWorker(worker: WorkerState, queues: ReadonlyMap<string, QueueState>): void {
  if (worker.ready) for (const queue of worker.queues) queue.ready.remove(worker);
  worker.ready = false;
  for (const queue of worker.queues) {
    queue.members.delete(worker);
    queue.byPresence[worker.presence] -= 1;
  }
  for (const id of worker.config.optedOut) queues.get(id)?.optedOut.delete(worker);
  worker.queues = [];
}
