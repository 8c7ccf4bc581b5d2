import { z } from "zod";
import { Id, pageOf, Timestamp } from "./common.js";
import {
  AutoAttendantTarget,
  CallQueueTarget,
  DisconnectTarget,
  ExternalNumberTarget,
  PersonTarget,
  VoicemailTarget,
} from "./flows.js";

/*
 * Telephony configuration (numbers, trunks, SIP accounts) and call records. Formats (E.164, CIDR,
 * extensions) are checked by the server, which answers with a specific code (`phone_number.invalid_e164`,
 * `trunk.invalid_cidr`, ...) rather than a generic `request.invalid`; these schemas bound sizes only.
 * Secrets go in and never come out: a response says `hasPassword` instead.
 */

const E164 = z.string().max(32).describe("E.164: a plus and up to 15 digits, e.g. `+15550100`");

/** What answers a number: a built-in flow by name, or any call target (an auto attendant, a call queue, ...). */
export const NumberEntry = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("flow"), flow: z.string().max(100).describe("A built-in call flow's name: `demo`") }),
    DisconnectTarget,
    PersonTarget,
    AutoAttendantTarget,
    CallQueueTarget,
    ExternalNumberTarget,
    VoicemailTarget,
  ])
  .meta({ id: "NumberEntry" });
export type NumberEntry = z.infer<typeof NumberEntry>;

export const PhoneNumber = z
  .object({
    id: Id,
    e164: z.string(),
    label: z.string(),
    entry: NumberEntry,
    trunkId: Id.nullable().describe("The tenant's own (BYOC) trunk the number arrives on; null: the platform's carrier"),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: "PhoneNumber" });
export type PhoneNumber = z.infer<typeof PhoneNumber>;

export const PhoneNumberInput = z.object({
  e164: E164.describe("Unique across the deployment: one number belongs to one tenant"),
  label: z.string().max(200).optional(),
  entry: NumberEntry,
  trunkId: Id.nullable().optional(),
});
export type PhoneNumberInput = z.input<typeof PhoneNumberInput>;
export const PhoneNumberPatch = PhoneNumberInput.partial();
export type PhoneNumberPatch = z.input<typeof PhoneNumberPatch>;

export const CallerIdPolicy = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("pass-through") }).describe("The caller id of the call being bridged out"),
    z.object({ kind: z.literal("fixed"), e164: E164 }),
    z.object({ kind: z.literal("tenant-number") }).describe("One of the tenant's numbers"),
  ])
  .meta({ id: "CallerIdPolicy" });
export type CallerIdPolicy = z.infer<typeof CallerIdPolicy>;

const Transport = z.enum(["udp", "tcp"]);

const DigestInput = z.object({
  username: z.string().max(128),
  password: z.string().max(256).optional().describe("Left out on a change: the trunk keeps its password"),
});

/** Credentials as a response shows them: the username, and that a password is set. */
const DigestView = z.object({ username: z.string(), hasPassword: z.literal(true) });

export const Trunk = z
  .object({
    id: Id,
    name: z.string(),
    inbound: z.object({
      allowList: z.array(z.string()).describe("CIDR blocks (IPv4 or IPv6) whose calls the trunk accepts"),
      digest: DigestView.nullable().describe("When set, calls must also pass a digest challenge"),
    }),
    outbound: z
      .object({
        host: z.string(),
        port: z.number().int(),
        transport: Transport,
        digest: DigestView.nullable(),
        callerIdPolicy: CallerIdPolicy,
      })
      .nullable(),
    byoc: z.boolean().describe("The tenant's own carrier (bring your own carrier)"),
    enabled: z.boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: "Trunk" });
export type Trunk = z.infer<typeof Trunk>;

export const TrunkInput = z.object({
  name: z.string().max(200),
  inbound: z
    .object({
      allowList: z.array(z.string().max(64)).max(200).optional().describe("e.g. `192.0.2.0/24`, `2001:db8::/32`, `198.51.100.7`"),
      digest: DigestInput.nullable().optional().describe("The carrier's credentials; only their HA1 is kept"),
    })
    .optional(),
  outbound: z
    .object({
      host: z.string().max(253),
      port: z.number().int().optional().describe("Default 5060"),
      transport: Transport.optional().describe("Default udp"),
      digest: DigestInput.nullable().optional().describe("What we answer the carrier's challenge with"),
      callerIdPolicy: CallerIdPolicy.optional().describe("Default pass-through"),
    })
    .nullable()
    .optional(),
  byoc: z.boolean().optional(),
  enabled: z.boolean().optional(),
});
export type TrunkInput = z.input<typeof TrunkInput>;
export const TrunkPatch = TrunkInput.partial().describe("Each part given replaces that part; passwords left out are kept");
export type TrunkPatch = z.input<typeof TrunkPatch>;

export const SipAccount = z
  .object({
    id: Id,
    username: z.string().describe("Unique across the deployment: the phone's digest username"),
    extension: z.string().describe("Unique in the tenant: what a flow dials"),
    displayName: z.string(),
    userId: Id.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: "SipAccount" });
export type SipAccount = z.infer<typeof SipAccount>;

export const SipAccountInput = z.object({
  username: z.string().max(200).describe("1-64 of a-z, A-Z, 0-9, `.`, `_`, `-`"),
  extension: z.string().max(32).describe("2 to 8 digits"),
  displayName: z.string().max(200).optional(),
  userId: Id.nullable().optional().describe("The console user the phone belongs to"),
  password: z.string().max(256).describe("At least 8 characters; never stored (only its HA1) and never returned"),
});
export type SipAccountInput = z.input<typeof SipAccountInput>;

export const SipAccountPatch = z.object({
  extension: z.string().max(32).optional(),
  displayName: z.string().max(200).optional(),
  userId: Id.nullable().optional(),
});
export type SipAccountPatch = z.input<typeof SipAccountPatch>;

export const SipAccountPasswordReset = z.object({ password: z.string().max(256) });
export type SipAccountPasswordReset = z.input<typeof SipAccountPasswordReset>;

export const CallDirection = z.enum(["inbound", "outbound", "internal"]);
export const CallState = z.enum(["ringing", "answered", "ended"]);
export const CallResult = z.enum(["completed", "missed", "abandoned", "failed", "rejected"]);

export const CallEndCause = z
  .object({
    by: z.enum(["caller", "callee", "platform"]),
    status: z.number().int().optional().describe("The SIP status when it never answered (486, 487, 408 ...)"),
    reason: z.string(),
  })
  .meta({ id: "CallEndCause" });
export type CallEndCause = z.infer<typeof CallEndCause>;

export const CallLeg = z
  .object({
    id: Id,
    role: z.enum(["caller", "callee", "agent", "transfer"]),
    party: z.string().describe("A SIP URI or a number"),
    sipCallId: z.string(),
    protocol: z.enum(["udp", "tcp", "webrtc"]),
    startedAt: Timestamp,
    answeredAt: Timestamp.nullable(),
    endedAt: Timestamp.nullable(),
    endReason: CallEndCause.nullable(),
  })
  .meta({ id: "CallLeg" });
export type CallLeg = z.infer<typeof CallLeg>;

export const CallRecord = z
  .object({
    id: Id,
    direction: CallDirection,
    from: z.string(),
    to: z.string(),
    numberId: Id.nullable(),
    trunkId: Id.nullable(),
    entry: z.string().nullable().describe("The flow that answered"),
    state: CallState,
    result: CallResult.nullable(),
    hangupCause: CallEndCause.nullable(),
    startedAt: Timestamp,
    answeredAt: Timestamp.nullable(),
    endedAt: Timestamp.nullable(),
    durationMs: z.number().int().nullable().describe("From start to end, ringing included"),
    recordingIds: z.array(Id),
    legs: z.array(CallLeg),
  })
  .meta({ id: "CallRecord" });
export type CallRecord = z.infer<typeof CallRecord>;
export const CallRecordPage = pageOf(CallRecord);
export type CallRecordPage = z.infer<typeof CallRecordPage>;

export const CallRecordQuery = z.object({
  direction: CallDirection.optional(),
  result: CallResult.optional(),
  state: CallState.optional(),
  numberId: Id.optional(),
  since: z.iso.datetime({ offset: true }).optional().describe("Calls that started at or after this time"),
  until: z.iso.datetime({ offset: true }).optional().describe("Calls that started before this time"),
  after: z.string().max(300).optional().describe("Cursor from the previous page's `next`"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const CallEvent = z
  .object({
    sequence: z.number().int(),
    type: z.string().describe("`play.ended`, `collect.ended`, `record.ended`, `bridge.started`, ..."),
    data: z.unknown(),
    at: Timestamp,
  })
  .meta({ id: "CallEvent" });
export type CallEvent = z.infer<typeof CallEvent>;

export const CallEventQuery = z.object({
  after: z.coerce.number().int().min(0).default(0).describe("Sequence of the last event seen"),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/*
 * Connected calls, controlled while they last (the agent desktop, supervisors, integrations): hold, mute,
 * transfers blind or after a consultation, participants (an expert), recording with consent.
 */

export const LiveCallParty = z
  .object({
    legId: z.string(),
    role: z.enum(["caller", "agent", "participant"]).describe("The agent is the party in charge; participants joined later"),
    extension: z.string().nullable(),
    identityId: z.string().nullable().describe("The agent's identity (the routing engine's worker), when known"),
    muted: z.boolean(),
  })
  .meta({ id: "LiveCallParty" });

const ConsultedTarget = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("extension"), extension: z.string() }),
  z.object({ kind: z.literal("number"), e164: z.string() }),
]);

export const LiveCall = z
  .object({
    callId: Id,
    parties: z.array(LiveCallParty),
    callerHeld: z.boolean(),
    recording: z.enum(["off", "on", "paused"]),
    consultation: z.object({ target: ConsultedTarget, state: z.enum(["ringing", "talking"]) }).nullable(),
    participantsAllowed: z.boolean().describe("False when the call's queue has conference mode off"),
  })
  .meta({ id: "LiveCall" });
export type LiveCall = z.infer<typeof LiveCall>;

/** Where a call can be transferred: the flows' targets but a hang-up. */
export const TransferTarget = z.discriminatedUnion("kind", [
  PersonTarget,
  ExternalNumberTarget,
  CallQueueTarget,
  AutoAttendantTarget,
  VoicemailTarget,
]);

export const LiveCallTransfer = z.object({
  target: TransferTarget,
  mode: z
    .enum(["blind", "consult"])
    .default("blind")
    .describe("`consult`: the caller waits on hold while the agent talks to the target (a person or a number) first"),
});

export type TransferTarget = z.infer<typeof TransferTarget>;

export const ParticipantTarget = z.discriminatedUnion("kind", [PersonTarget, ExternalNumberTarget]);
export type ParticipantTarget = z.infer<typeof ParticipantTarget>;

export const LiveCallParticipant = z.object({ target: ParticipantTarget });

export type LiveCallParty = z.infer<typeof LiveCallParty>;

export const LiveCallOutcome = z
  .object({
    outcome: z
      .enum(["succeeded", "failed", "answered"])
      .describe("`failed`: the target did not answer, the call goes on as before; `answered`: a consultation or participant"),
    call: LiveCall.nullable().describe("The call now; null once it left the connection (handed to a queue)"),
  })
  .meta({ id: "LiveCallOutcome" });
export type LiveCallOutcome = z.infer<typeof LiveCallOutcome>;

export const LiveCallHold = z.object({ held: z.boolean() });
export const LiveCallMute = z.object({ muted: z.boolean() });
export const LiveCallConsultation = z.object({
  action: z
    .enum(["complete", "cancel", "merge"])
    .describe("complete: the target takes the call; cancel: back to the caller; merge: all three talk"),
});
export const LiveCallRecording = z.object({
  action: z.enum(["start", "pause", "resume", "stop"]),
  consent: z.boolean().default(true).describe("On start: everyone hears that the call is recorded first"),
});
export const LiveCallRecordingResult = z
  .object({ recording: z.enum(["off", "on", "paused"]), recordingId: Id.nullable().describe("Set by `stop`") })
  .meta({ id: "LiveCallRecordingResult" });
export type LiveCallRecordingResult = z.infer<typeof LiveCallRecordingResult>;
