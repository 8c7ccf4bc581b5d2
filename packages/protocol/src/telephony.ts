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
