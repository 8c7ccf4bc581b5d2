// `Distribution`, `Presence` and `RedirectTarget` are also declared by queues/ and workers/ (the stored
// configuration), which the package exports; they are left out here so the names stay unambiguous.
export * from "./assignment-guard.js";
export * from "./classify.js";
export { ALERT_SECONDS, OVERFLOW_THRESHOLD } from "./config.js";
export * from "./engine.js";
export * from "./events.js";
export { describeSkills, describeTarget } from "./explain.js";
export {
  CHANNELS,
  type Channel,
  type ChosenPresence,
  DISTRIBUTIONS,
  type EnqueueInput,
  type ExceptionKind,
  type ExitTarget,
  type Job,
  type JobStatus,
  type LiveJobStatus,
  type NoAgentsRule,
  type Offer,
  type OfferOutcome,
  type OverflowRule,
  PRESENCES,
  type QueueConfig,
  type QueueExceptions,
  type QueueInput,
  type QueueStats,
  type ReclassifyInput,
  type RoutingTarget,
  type SkillRequirement,
  type TimeoutRule,
  type TransferOptions,
  type Worker,
  type WorkerConfig,
  type WorkerInput,
} from "./model.js";
export * from "./persistence.js";
export type { JobSnapshot, OfferSnapshot, QueueSnapshot, RoutingChanges, RoutingSnapshot, WorkerSnapshot } from "./snapshot.js";
