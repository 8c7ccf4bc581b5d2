import { z } from "zod";
import { Id, Timestamp } from "./common.js";
import { Conversation } from "./conversations.js";
import {
  AutoAttendantTarget,
  CallQueueSettings,
  DisconnectTarget,
  defaultCallQueueSettings,
  ExternalNumberTarget,
  PersonTarget,
  VoicemailTarget,
} from "./flows.js";

/**
 * Where a job goes when a queue cannot take it or an agent sends it on: for chats, end with a message,
 * another queue or agent, leave a message; for calls, the call targets (hang up, a person, an auto
 * attendant, another call queue, an external number, a shared voicemail).
 */
export const RedirectTarget = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("end"), message: z.string().max(1000) }),
    z.object({ kind: z.literal("queue"), queueId: Id }),
    z.object({ kind: z.literal("worker"), workerId: Id }),
    z.object({ kind: z.literal("leave_message") }),
    VoicemailTarget,
    ExternalNumberTarget,
    DisconnectTarget,
    PersonTarget,
    AutoAttendantTarget,
  ])
  .meta({ id: "RedirectTarget" });
export type RedirectTarget = z.infer<typeof RedirectTarget>;

export const Distribution = z.enum(["longest_idle", "round_robin", "serial", "attendant", "best_skill"]);
export type Distribution = z.infer<typeof Distribution>;

export const QueueInput = z.object({
  name: z.string().min(1).max(100).describe("Entry points and intents hand off to a queue by this name"),
  distribution: Distribution.default("longest_idle"),
  alertSeconds: z
    .number()
    .int()
    .min(15)
    .max(180)
    .default(30)
    .describe("How long an offer rings before it goes to the next agent"),
  wrapUpSeconds: z.number().int().min(0).max(3600).default(30),
  serialOrder: z.array(Id).max(500).default([]).describe("Worker ids, for serial distribution"),
  overflow: z
    .object({ threshold: z.number().int().min(0).max(200), target: RedirectTarget })
    .nullable()
    .default(null),
  timeout: z
    .object({ seconds: z.number().int().min(0).max(2700), target: RedirectTarget })
    .nullable()
    .default(null),
  noAgents: z
    .object({
      when: z.enum(["none_signed_in", "none_available"]),
      target: RedirectTarget.nullable().describe("null: queue anyway"),
    })
    .nullable()
    .default(null),
  wrapUpCodes: z.array(z.string().min(1).max(60)).max(50).default(["resolved", "follow_up", "no_response"]),
  serviceLevelSeconds: z
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(60)
    .describe("Answered within this counts toward the service level"),
  organizationIds: z
    .array(Id)
    .max(100)
    .default([])
    .describe(
      "Agent organizations (outsourced teams) assigned to the queue besides the in-house agents: their users see it and may be its members. Empty: in-house only",
    ),
  call: CallQueueSettings.default(defaultCallQueueSettings).describe(
    "What a phone caller waiting in the queue hears, and how the agent is connected",
  ),
});
export type QueueInput = z.input<typeof QueueInput>;

export const Queue = QueueInput.extend({ id: Id, createdAt: Timestamp, updatedAt: Timestamp }).meta({ id: "Queue" });
export type Queue = z.infer<typeof Queue>;
/** A field of a patch: optional, without the input's default (which zod's `partial()` would fill in), described alike. */
const patchField = <T extends z.ZodType>(field: z.ZodDefault<T>): z.ZodOptional<T> => {
  const optional = field.removeDefault().optional();
  return field.description ? optional.describe(field.description) : optional;
};
const q = QueueInput.shape;
/** Each field given replaces the queue's; a field left out keeps it. */
export const QueuePatch = z.object({
  name: q.name.optional(),
  distribution: patchField(q.distribution),
  alertSeconds: patchField(q.alertSeconds),
  wrapUpSeconds: patchField(q.wrapUpSeconds),
  serialOrder: patchField(q.serialOrder),
  overflow: patchField(q.overflow),
  timeout: patchField(q.timeout),
  noAgents: patchField(q.noAgents),
  wrapUpCodes: patchField(q.wrapUpCodes),
  serviceLevelSeconds: patchField(q.serviceLevelSeconds),
  organizationIds: patchField(q.organizationIds),
  call: patchField(q.call),
});
export type QueuePatch = z.input<typeof QueuePatch>;

export const Presence = z.enum(["available", "busy", "away", "offline", "wrap_up"]);
export type Presence = z.infer<typeof Presence>;

export const WorkerSettings = z.object({
  capacity: z.number().int().min(1).max(20).default(4).describe("Units of work at once"),
  channelCosts: z
    .object({ chat: z.number().int().min(1).max(20), voice: z.number().int().min(1).max(20) })
    .default({ chat: 1, voice: 4 }),
  skills: z.record(z.string().min(1).max(60), z.number().int().min(0).max(10)).default({}),
  queueIds: z.array(Id).max(200).default([]),
  optedOut: z.array(Id).max(200).default([]).describe("Queues the agent chose not to take work from"),
});
export type WorkerSettings = z.input<typeof WorkerSettings>;

export const Worker = z
  .object({
    id: Id.describe("The agent's identity id"),
    userId: Id,
    name: z.string(),
    settings: WorkerSettings,
    presence: Presence,
    presenceSince: Timestamp,
    load: z.number().int().describe("Capacity units in use"),
  })
  .meta({ id: "Worker" });
export type Worker = z.infer<typeof Worker>;

export const Offer = z
  .object({
    id: Id,
    jobId: Id,
    conversationId: Id.nullable().describe("The conversation offered; null for a phone call (see `call`)"),
    queueId: Id,
    queueName: z.string(),
    channel: z.enum(["chat", "voice"]),
    issuedAt: Timestamp,
    expiresAt: Timestamp,
    conversation: Conversation.nullable(),
    call: z
      .object({
        id: Id.describe("The call record (`/v1/calls/{id}`)"),
        from: z.string().nullable().describe("The caller's number or address"),
        conversationId: Id.nullable().describe("The conversation the customer called from (a call from the widget)"),
      })
      .nullable()
      .describe("The phone call offered (a `voice` job); null for a conversation"),
  })
  .meta({ id: "Offer" });
export type Offer = z.infer<typeof Offer>;

export const AgentState = z
  .object({
    worker: Worker,
    offers: z.array(Offer),
    conversations: z.array(Conversation).describe("Assigned to this agent and not resolved"),
    queues: z.array(z.object({ id: Id, name: z.string(), wrapUpCodes: z.array(z.string()) })),
  })
  .meta({ id: "AgentState" });
export type AgentState = z.infer<typeof AgentState>;

export const PresenceRequest = z.object({ presence: z.enum(["available", "busy", "away", "offline"]) });
export const TransferRequest = z
  .object({
    queueId: Id.optional(),
    workerId: Id.optional(),
    note: z.string().max(1000).optional().describe("Shown to the next agent"),
  })
  .refine((t) => (t.queueId === undefined) !== (t.workerId === undefined), { message: "name either queueId or workerId" });
export type TransferRequest = z.infer<typeof TransferRequest>;
export const ResolveRequest = z.object({ wrapUpCode: z.string().min(1).max(60).optional() });

export const QueueLive = z.object({
  id: Id,
  name: z.string(),
  waiting: z.number().int(),
  longestWaitSeconds: z.number(),
  serviceLevel: z.number().nullable().describe("Share of today's answered jobs answered within the threshold"),
  agents: z.record(Presence, z.number().int()),
});
export const SupervisorLive = z
  .object({
    at: Timestamp,
    queues: z.array(QueueLive),
    agents: z.array(
      z.object({ id: Id, name: z.string(), presence: Presence, load: z.number().int(), capacity: z.number().int() }),
    ),
  })
  .meta({ id: "SupervisorLive" });
export type SupervisorLive = z.infer<typeof SupervisorLive>;

export const SupervisorLiveQuery = z.object({
  organizationId: Id.optional().describe(
    "An agent organization's view: its queues and agents, each queue counting only its agents (in-house supervisors and admins)",
  ),
});
export type SupervisorLiveQuery = z.infer<typeof SupervisorLiveQuery>;

/** One entry of the routing log: what routing did with a piece of work, and why. */
export const RoutingLogEntry = z
  .object({
    position: z.number().int(),
    type: z.string().describe("job.queued, offer.issued, offer.expired, job.exception, job.assigned, …"),
    at: Timestamp,
    reason: z.string().describe("Why, in words an admin can read"),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: "RoutingLogEntry" });
export type RoutingLogEntry = z.infer<typeof RoutingLogEntry>;
