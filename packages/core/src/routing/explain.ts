/** The sentences in events' `reason`: what an admin reads when asking why a job went where it went. */
import type { Channel, Presence, RedirectTarget, SkillRequirement } from "./model.js";
import { costOf, type JobState, meetsSkills, type QueueState } from "./state.js";

export function describeSkills(required: readonly SkillRequirement[]): string {
  return required.map((r) => `${r.skill} >= ${r.minLevel}`).join(" and ");
}

export function describeTarget(
  target: RedirectTarget | null,
  names: { queue(id: string): string; worker(id: string): string },
): string {
  if (target === null) return "queue anyway";
  switch (target.kind) {
    case "end":
      return `end the conversation ("${target.message}")`;
    case "queue":
      return `queue ${names.queue(target.queueId)}`;
    case "worker":
      return `agent ${names.worker(target.workerId)}`;
    case "leave_message":
      return "leave a message for follow-up";
    case "voicemail":
      return `voicemail ${target.mailboxId}`;
    case "external_number":
      return `external number ${target.number}`;
    case "disconnect":
      return "disconnect";
    case "person":
      return `extension ${target.extension}`;
    case "auto_attendant":
      return `auto attendant ${target.autoAttendantId}`;
  }
}

export function seconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 120 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const PRESENCE_WORDS: Record<Exclude<Presence, "available">, string> = {
  busy: "busy",
  away: "away",
  offline: "offline",
  wrap_up: "in wrap-up",
};

/** What a job needs, for a sentence: "a chat", "a voice job with billing >= 2". */
export function describeNeed(channel: Channel, required: readonly SkillRequirement[]): string {
  const what = channel === "chat" ? "a chat" : "a call";
  return required.length === 0 ? what : `${what} with ${describeSkills(required)}`;
}

/**
 * Why no agent of the job's queue can take it now, counting the members by what stops them. Looks only
 * at the queue's ready list (available with room); everyone else is counted from the queue's tallies.
 */
export function whyWaiting(job: JobState, now: number): string {
  const queue: QueueState = job.queue;
  const name = queue.config.name;
  if (queue.members.size === 0) {
    const opted = queue.optedOut.size;
    return `${name} has no agents${opted > 0 ? ` (${plural(opted, "agent")} opted out)` : ""}`;
  }
  let noChannel = 0;
  let noRoom = 0;
  let noSkill = 0;
  let declined = 0;
  let offered = 0;
  for (const worker of queue.ready) {
    const cost = costOf(worker, job.channel);
    if (cost === undefined || cost > worker.config.capacity) noChannel += 1;
    else if (!meetsSkills(worker.skills, job.requiredSkills)) noSkill += 1;
    else if (worker.load + worker.reserved + cost > worker.config.capacity) noRoom += 1;
    else if (job.offers.has(worker.id)) offered += 1;
    else if ((job.declined.get(worker.id) ?? 0) > now) declined += 1;
  }
  const parts: string[] = [];
  if (noSkill > 0)
    parts.push(`${plural(noSkill, "available agent")} ${noSkill === 1 ? "lacks" : "lack"} ${describeSkills(job.requiredSkills)}`);
  if (noChannel > 0)
    parts.push(`${plural(noChannel, "available agent")} ${noChannel === 1 ? "takes" : "take"} no ${job.channel}`);
  if (noRoom > 0)
    parts.push(`${plural(noRoom, "available agent")} without room for ${job.channel === "chat" ? "a chat" : "a call"}`);
  if (declined > 0) parts.push(`${plural(declined, "agent")} declined or missed it lately (others first)`);
  if (offered > 0) parts.push(`ringing at ${plural(offered, "agent")}`);
  const full = queue.byPresence.available - queue.ready.size;
  if (full > 0) parts.push(`${full} at full capacity`);
  for (const presence of ["busy", "away", "wrap_up", "offline"] as const) {
    const n = queue.byPresence[presence];
    if (n > 0) parts.push(`${n} ${PRESENCE_WORDS[presence]}`);
  }
  if (queue.optedOut.size > 0) parts.push(`${queue.optedOut.size} opted out`);
  return `no agent in ${name} can take ${describeNeed(job.channel, job.requiredSkills)} now: ${parts.join(", ")}`;
}
