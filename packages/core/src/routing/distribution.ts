/**
 * The five distributions: which of a queue's ready workers a waiting job is offered to. The engine
 * decides who is eligible; the distribution decides among them, in the order the queue's ready list
 * keeps (see `readyOrder`).
 */
import { describeSkills, seconds } from "./explain.js";
import { type JobState, skillScore, type WorkerState } from "./state.js";

export interface Choice {
  readonly workers: readonly WorkerState[];
  /** Why them, for the `offer.issued` event. */
  readonly reason: string;
}

const NOBODY: Choice = { workers: [], reason: "" };

/** Chooses the worker(s) for a job among the eligible ones; round robin advances its pointer. */
export function chooseWorkers(job: JobState, eligible: (worker: WorkerState) => boolean, now: number): Choice {
  const queue = job.queue;
  const name = queue.config.name;
  switch (queue.config.distribution) {
    case "attendant": {
      const workers = [...queue.ready].filter(eligible);
      return { workers, reason: `${name} rings every eligible agent at once (${workers.length})` };
    }
    case "longest_idle": {
      for (const worker of queue.ready) {
        if (!eligible(worker)) continue;
        const load = `${worker.load + worker.reserved}/${worker.config.capacity}`;
        const idle = seconds(now - worker.keyIdle);
        return { workers: [worker], reason: `longest idle in ${name}: ${worker.config.name} (load ${load}, idle ${idle})` };
      }
      return NOBODY;
    }
    case "serial": {
      for (const worker of queue.ready) {
        if (eligible(worker))
          return { workers: [worker], reason: `first in ${name}'s serial order who can take it: ${worker.config.name}` };
      }
      return NOBODY;
    }
    case "round_robin": {
      // The next eligible after the pointer, wrapping around to the first eligible.
      let wrapped: WorkerState | undefined;
      let chosen: WorkerState | undefined;
      for (const worker of queue.ready) {
        const rank = queue.joinRank.get(worker.id) ?? 0;
        if (rank <= queue.rrLast) {
          if (wrapped === undefined && eligible(worker)) wrapped = worker;
        } else if (eligible(worker)) {
          chosen = worker;
          break;
        }
      }
      chosen ??= wrapped;
      if (!chosen) return NOBODY;
      queue.rrLast = queue.joinRank.get(chosen.id) ?? -1;
      return { workers: [chosen], reason: `next in ${name}'s round robin: ${chosen.config.name}` };
    }
    case "best_skill": {
      // Ties go to the first in the ready list: the lowest load, then the longest idle.
      let chosen: WorkerState | undefined;
      let top = -1;
      for (const worker of queue.ready) {
        if (!eligible(worker)) continue;
        const score = skillScore(worker.skills, job.requiredSkills);
        if (score > top) {
          chosen = worker;
          top = score;
        }
      }
      if (!chosen) return NOBODY;
      const over = job.requiredSkills.length > 0 ? ` for ${describeSkills(job.requiredSkills)}` : "";
      return { workers: [chosen], reason: `best skill match in ${name}: ${chosen.config.name} (score ${top}${over})` };
    }
  }
}
