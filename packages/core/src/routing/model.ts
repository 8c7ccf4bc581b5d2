/**
 * Routing: every piece of work is a job in a queue; agents are workers who get offers for jobs and
 * accept, decline or let them expire. See README.md in this folder for the rules.
 */

export const CHANNELS = ["chat", "voice"] as const;
/** What a job costs a worker's capacity depends on its channel. */
export type Channel = (typeof CHANNELS)[number];

export const DISTRIBUTIONS = ["longest_idle", "round_robin", "serial", "attendant", "best_skill"] as const;
export type Distribution = (typeof DISTRIBUTIONS)[number];

export const PRESENCES = ["available", "busy", "away", "offline", "wrap_up"] as const;
/** Only `available` workers get offers. `wrap_up` is set by the engine after a job completes. */
export type Presence = (typeof PRESENCES)[number];
/** What a worker (or an admin for them) may set; wrap-up is the engine's. */
export type ChosenPresence = Exclude<Presence, "wrap_up">;

export interface SkillRequirement {
  readonly skill: string;
  readonly minLevel: number;
}

/**
 * Where an exception sends a job. `queue` and `worker` keep the job in routing; every other kind takes
 * it out (a `job.redirected` event), and the server carries it out: for chats end the conversation with
 * a message or keep it for follow-up; for calls (RD1-RD5, see flows/) hang up with an optional message,
 * ring a person's phone then their voicemail, go to an auto attendant, an external number or a shared
 * voicemail. A call queue is a queue, so `queue` is also "another call queue".
 */
export type RedirectTarget =
  | { readonly kind: "end"; readonly message: string }
  | { readonly kind: "queue"; readonly queueId: string }
  | { readonly kind: "worker"; readonly workerId: string }
  | { readonly kind: "leave_message" }
  | { readonly kind: "voicemail"; readonly mailboxId: string }
  | { readonly kind: "external_number"; readonly number: string }
  | { readonly kind: "disconnect"; readonly message?: string }
  | { readonly kind: "person"; readonly extension: string }
  | { readonly kind: "auto_attendant"; readonly autoAttendantId: string };

/** Targets the engine carries out itself: the job stays in routing. Also what `transfer` takes. */
export type RoutingTarget = Extract<RedirectTarget, { kind: "queue" | "worker" }>;
/** Targets that take a job out of routing. */
export type ExitTarget = Exclude<RedirectTarget, RoutingTarget>;

export type ExceptionKind = "overflow" | "timeout" | "no_agents";

export interface OverflowRule {
  /** More than this many unassigned jobs in the queue (the arrival included) redirects the arrival; 0: every arrival. */
  readonly threshold: number;
  readonly target: RedirectTarget;
}

export interface TimeoutRule {
  /** A job that waited this long in the queue (from entering it) is redirected, even in the middle of an offer. */
  readonly seconds: number;
  readonly target: RedirectTarget;
}

export interface NoAgentsRule {
  /**
   * `none_signed_in`: no member who could ever take the job (channel, skills) is signed in.
   * `none_available`: none of them is available or in wrap-up.
   */
  readonly when: "none_signed_in" | "none_available";
  readonly action: "queue_anyway" | RedirectTarget;
}

export interface QueueExceptions {
  readonly overflow: OverflowRule | null;
  readonly timeout: TimeoutRule | null;
  readonly noAgents: NoAgentsRule | null;
}

export interface QueueConfig {
  readonly id: string;
  /** Unique among queues (a conversation hands off to a queue by name). */
  readonly name: string;
  readonly distribution: Distribution;
  /** How long an offer rings before it expires: 15 to 180 s. */
  readonly alertSeconds: number;
  /** Wrap-up after a job of this queue completes: 0 to 3600 s. */
  readonly wrapUpSeconds: number;
  /** A worker who declined or missed a job is offered it again only after this long (others first): 0 to 600 s. */
  readonly reofferSeconds: number;
  /** What a missed (expired) offer does to the worker: `set_away` stops offering to someone who is not there. */
  readonly missedOffer: "set_away" | "keep_presence";
  /** For `serial`: worker ids in the order they are tried; members not listed come after, in the order they joined. */
  readonly serialOrder: readonly string[];
  readonly exceptions: QueueExceptions;
}

/** What an admin sends: everything but the id and the name has a default. */
export interface QueueInput {
  readonly id: string;
  readonly name: string;
  readonly distribution?: Distribution;
  readonly alertSeconds?: number;
  readonly wrapUpSeconds?: number;
  readonly reofferSeconds?: number;
  readonly missedOffer?: "set_away" | "keep_presence";
  readonly serialOrder?: readonly string[];
  readonly exceptions?: Partial<QueueExceptions>;
}

export interface WorkerConfig {
  readonly id: string;
  readonly name: string;
  /** Total capacity in units: e.g. 4 takes four chats (cost 1) or one call (cost 4). */
  readonly capacity: number;
  /** Units a job of each channel takes; a channel without a cost is one the worker does not handle. */
  readonly costs: Readonly<Partial<Record<Channel, number>>>;
  /** Skill label to level (higher is better). */
  readonly skills: Readonly<Record<string, number>>;
  /** Queue ids the worker belongs to. */
  readonly queues: readonly string[];
  /** Queues (among `queues`) the worker opted out of for now: no offers from them. */
  readonly optedOut: readonly string[];
}

/** Defaults: name = id, capacity 1, costs {chat: 1, voice: capacity}, no skills, no queues. */
export interface WorkerInput {
  readonly id: string;
  readonly name?: string;
  readonly capacity?: number;
  readonly costs?: Readonly<Partial<Record<Channel, number>>>;
  readonly skills?: Readonly<Record<string, number>>;
  readonly queues?: readonly string[];
  readonly optedOut?: readonly string[];
}

/** A worker as the engine sees it now. */
export interface Worker extends WorkerConfig {
  readonly presence: Presence;
  /** When the worker last became available (sign-in, end of wrap-up); null when never. */
  readonly availableSince: Date | null;
  readonly lastAssignedAt: Date | null;
  readonly wrapUpUntil: Date | null;
  /** Units taken by assigned jobs. */
  readonly load: number;
  /** Units held by live offers (an offer reserves its job's cost until it ends). */
  readonly reserved: number;
  readonly jobIds: readonly string[];
  readonly offerIds: readonly string[];
}

/** `queued`, `offered` and `assigned` jobs live in the engine; the others are outcomes seen in events. */
export type JobStatus = "queued" | "offered" | "assigned" | "redirected" | "cancelled" | "completed";
export type LiveJobStatus = Extract<JobStatus, "queued" | "offered" | "assigned">;

export interface Job {
  readonly id: string;
  /** What the job is about, e.g. a conversation id. */
  readonly subject: string;
  readonly channel: Channel;
  readonly queueId: string;
  /** Higher first. */
  readonly priority: number;
  readonly requiredSkills: readonly SkillRequirement[];
  /** Its place in line: kept when the job is reclassified or transferred unless told otherwise. */
  readonly enqueuedAt: Date;
  /** When it entered its current queue: the timeout runs from here. */
  readonly queueEnteredAt: Date;
  readonly status: LiveJobStatus;
  /** Workers who declined or missed it, and until when others come first. */
  readonly declinedBy: readonly { readonly workerId: string; readonly until: Date }[];
  readonly workerId: string | null;
  readonly assignedAt: Date | null;
  readonly offerIds: readonly string[];
}

export type OfferOutcome = "accepted" | "declined" | "expired" | "revoked";

export interface Offer {
  readonly id: string;
  readonly jobId: string;
  readonly workerId: string;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
  /** Offered to this worker on purpose (a transfer or a redirect to a person), outside the queue's distribution. */
  readonly directed: boolean;
  /** Null while it rings; every offer ends in exactly one outcome. */
  readonly outcome: OfferOutcome | null;
}

export interface EnqueueInput {
  /** Defaults to a new id from the engine's IdGenerator. */
  readonly id?: string;
  readonly subject: string;
  readonly channel: Channel;
  readonly queueId: string;
  readonly priority?: number;
  readonly requiredSkills?: readonly SkillRequirement[];
  /** Its place in line when it waited elsewhere before (e.g. `conversation.awaitingSince`); default now. */
  readonly enqueuedAt?: Date;
  /** Why it goes to this queue (e.g. the classification's reason), for the `job.queued` event. */
  readonly reason?: string;
}

export interface ReclassifyInput {
  readonly queueId?: string;
  readonly priority?: number;
  readonly requiredSkills?: readonly SkillRequirement[];
  /** Keep its place in line (default); false puts it behind the jobs waiting now. */
  readonly keepWaitTime?: boolean;
  readonly reason?: string;
}

export interface TransferOptions {
  readonly priority?: number;
  /** For a queue target: the requirements there (default none: the old ones were for the old queue). */
  readonly requiredSkills?: readonly SkillRequirement[];
  readonly keepWaitTime?: boolean;
  readonly reason?: string;
}

/** For the supervisor's live view. */
export interface QueueStats {
  readonly queueId: string;
  /** Unassigned jobs: waiting or ringing. */
  readonly waiting: number;
  readonly offered: number;
  readonly assigned: number;
  readonly oldestEnqueuedAt: Date | null;
  /** Members who have not opted out, by presence. */
  readonly agents: Readonly<Record<Presence, number>>;
  readonly optedOut: number;
  /** Available members with room for more work. */
  readonly ready: number;
}
