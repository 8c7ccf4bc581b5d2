import type * as core from "@switchboard/core";
import { messageData } from "@switchboard/core";
import type * as wire from "@switchboard/protocol";

/** Domain objects to their wire form: the only place the API's shapes are built. */
const iso = (d: Date): string => d.toISOString();

export const tenantView = (t: core.Tenant): wire.Tenant => ({
  id: t.id,
  slug: t.slug,
  name: t.name,
  createdAt: iso(t.createdAt),
});

export const userView = (u: core.User): wire.User => ({
  id: u.id,
  email: u.email,
  displayName: u.displayName,
  role: u.role,
  identityId: u.identityId,
  organizationId: u.organizationId,
  createdAt: iso(u.createdAt),
});

export const organizationView = (o: core.AgentOrganization): wire.AgentOrganization => ({
  id: o.id,
  name: o.name,
  createdAt: iso(o.createdAt),
});

export const apiKeyView = (k: core.ApiKey): wire.ApiKey => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  createdAt: iso(k.createdAt),
  revokedAt: k.revokedAt ? iso(k.revokedAt) : null,
});

export const identityView = (i: core.Identity): wire.Identity => ({
  id: i.id,
  kind: i.kind,
  displayName: i.displayName,
  externalId: i.externalId,
  metadata: { ...i.metadata },
  createdAt: iso(i.createdAt),
});

export const threadView = (t: core.Thread): wire.Thread => ({
  id: t.id,
  topic: t.topic,
  metadata: { ...t.metadata },
  createdBy: t.createdBy,
  createdAt: iso(t.createdAt),
  lastSequence: t.lastSequence,
});

export const participantView = (p: core.Participant): wire.Participant => ({
  id: p.identityId,
  displayName: p.displayName,
  joinedSequence: p.joinedSequence,
  lastReadSequence: p.lastReadSequence,
});

export const messageView = (m: core.Message): wire.Message => {
  const data = messageData(m);
  return {
    ...data,
    metadata: { ...data.metadata },
    attachments: data.attachments.map((a) => ({ ...a })),
    quickReplies: data.quickReplies.map((q) => ({ ...q })),
    card: data.card && {
      title: data.card.title,
      ...(data.card.text !== undefined ? { text: data.card.text } : {}),
      ...(data.card.imageUrl !== undefined ? { imageUrl: data.card.imageUrl } : {}),
      ...(data.card.buttons ? { buttons: data.card.buttons.map((b) => ({ ...b })) } : {}),
    },
  };
};

/** A thread event on the wire: the same for REST paging and the WebSocket. Its data is plain JSON already. */
export const threadEventView = (e: core.ThreadEvent): wire.ThreadEvent =>
  ({
    type: e.type,
    threadId: e.threadId,
    sequence: e.sequence,
    createdAt: iso(e.createdAt),
    data: e.data,
  }) as wire.ThreadEvent;

export const attachmentView = (a: core.Attachment): wire.Attachment => ({
  id: a.id,
  threadId: a.threadId,
  uploaderId: a.uploaderId,
  fileName: a.fileName,
  contentType: a.contentType,
  size: a.size,
  createdAt: iso(a.createdAt),
});

/** The one tag a site pastes to embed the entry point's widget. */
export const embedCode = (baseUrl: string, entryPointId: string): string =>
  `<script src="${baseUrl}/widget.js" data-entry-point="${entryPointId}" async></script>`;

export const entryPointView = (e: core.EntryPoint, baseUrl: string): wire.EntryPoint => ({
  id: e.id,
  name: e.name,
  channel: e.channel,
  botIdentityId: e.botIdentityId,
  greeting: e.greeting,
  businessHours: e.businessHours
    ? {
        timeZone: e.businessHours.timeZone,
        weekly: Object.fromEntries(Object.entries(e.businessHours.weekly).map(([d, list]) => [d, list.map(([a, b]) => [a, b])])),
      }
    : null,
  afterHoursMessage: e.afterHoursMessage,
  handoffQueue: e.handoffQueue,
  allowedOrigins: [...e.allowedOrigins],
  enabled: e.enabled,
  embedCode: embedCode(baseUrl, e.id),
  createdAt: iso(e.createdAt),
  updatedAt: iso(e.updatedAt),
});

export const conversationView = (c: core.Conversation, queuePosition: number | null): wire.Conversation => ({
  id: c.id,
  threadId: c.threadId,
  channel: c.channel,
  entryPointId: c.entryPointId,
  customerIdentityId: c.customerIdentityId,
  customerId: c.customerId,
  verified: c.verified,
  status: c.status,
  intent: c.intent,
  queue: c.queue,
  handoff: c.handoff,
  agentId: c.agentId,
  wrapUpCode: c.wrapUpCode,
  queuePosition,
  createdAt: iso(c.createdAt),
  updatedAt: iso(c.updatedAt),
  awaitingSince: c.awaitingSince ? iso(c.awaitingSince) : null,
  resolvedAt: c.resolvedAt ? iso(c.resolvedAt) : null,
});

export const conversationEventView = (e: core.ConversationEvent): wire.ConversationEvent => ({
  type: e.type,
  sequence: e.sequence,
  createdAt: iso(e.createdAt),
  data: { ...e.data },
});

export const customerView = (c: core.Customer): wire.Customer => ({
  id: c.id,
  name: c.name,
  email: c.email,
  phone: c.phone,
  externalId: c.externalId,
  attributes: { ...c.attributes },
  createdAt: iso(c.createdAt),
  updatedAt: iso(c.updatedAt),
});

export const faqView = (f: core.FaqEntry): wire.FaqEntry => ({
  id: f.id,
  question: f.question,
  answer: f.answer,
  alternatives: [...f.alternatives],
  createdAt: iso(f.createdAt),
  updatedAt: iso(f.updatedAt),
});

const intentView = (i: core.IntentSettings): wire.BotSettings["intents"][number] => {
  const view: wire.BotSettings["intents"][number] = {
    name: i.name,
    examples: [...i.examples],
    requiresAgent: i.requiresAgent,
    needsVerification: i.needsVerification,
    ...(i.reply !== undefined ? { reply: i.reply } : {}),
  };
  if (!i.routing) return view;
  const { queue, priority, requiredSkills } = i.routing;
  return {
    ...view,
    routing: {
      ...(queue !== undefined ? { queue } : {}),
      ...(priority !== undefined ? { priority } : {}),
      ...(requiredSkills ? { requiredSkills: requiredSkills.map((r) => ({ skill: r.skill, minLevel: r.minLevel })) } : {}),
    },
  };
};

export const botSettingsView = (b: core.BotSettings): wire.BotSettings => ({
  synonyms: b.synonyms.map((group) => [...group]),
  intents: b.intents.map(intentView),
  answerThreshold: b.answerThreshold,
  suggestThreshold: b.suggestThreshold,
  maxMisunderstandings: b.maxMisunderstandings,
});

export const importResultView = (r: core.ImportResult): wire.CustomerImportResult => ({
  created: r.created,
  updated: r.updated,
  rejected: r.rejected.map((x) => ({ ...x })),
});

export const queueView = (q: core.Queue): wire.Queue => ({
  id: q.id,
  name: q.name,
  distribution: q.distribution,
  alertSeconds: q.alertSeconds,
  wrapUpSeconds: q.wrapUpSeconds,
  serialOrder: [...q.serialOrder],
  overflow: q.overflow && { threshold: q.overflow.threshold, target: { ...q.overflow.target } },
  timeout: q.timeout && { seconds: q.timeout.seconds, target: { ...q.timeout.target } },
  noAgents: q.noAgents && { when: q.noAgents.when, target: q.noAgents.target && { ...q.noAgents.target } },
  wrapUpCodes: [...q.wrapUpCodes],
  serviceLevelSeconds: q.serviceLevelSeconds,
  organizationIds: [...q.organizationIds],
  call: callQueueSettingsView(q.call),
  createdAt: iso(q.createdAt),
  updatedAt: iso(q.updatedAt),
});

const isoOrNull = (d: Date | null): string | null => (d === null ? null : iso(d));

export const phoneNumberView = (n: core.PhoneNumber): wire.PhoneNumber => ({
  id: n.id,
  e164: n.e164,
  label: n.label,
  entry: { ...n.entry },
  trunkId: n.trunkId,
  createdAt: iso(n.createdAt),
  updatedAt: iso(n.updatedAt),
});

/** Credentials show only their username: neither an HA1 nor a password ever leaves the server. */
const digestView = (d: { readonly username: string } | null) =>
  d === null ? null : { username: d.username, hasPassword: true as const };

export const trunkView = (t: core.Trunk): wire.Trunk => ({
  id: t.id,
  name: t.name,
  inbound: { allowList: [...t.inbound.allowList], digest: digestView(t.inbound.digest) },
  outbound:
    t.outbound === null
      ? null
      : {
          host: t.outbound.host,
          port: t.outbound.port,
          transport: t.outbound.transport,
          digest: digestView(t.outbound.digest),
          callerIdPolicy: { ...t.outbound.callerIdPolicy },
        },
  byoc: t.byoc,
  enabled: t.enabled,
  createdAt: iso(t.createdAt),
  updatedAt: iso(t.updatedAt),
});

/** Without the HA1. */
export const sipAccountView = (a: core.SipAccount): wire.SipAccount => ({
  id: a.id,
  username: a.username,
  extension: a.extension,
  displayName: a.displayName,
  userId: a.userId,
  createdAt: iso(a.createdAt),
  updatedAt: iso(a.updatedAt),
});

const endCauseView = (c: core.CallEndCause | null): wire.CallEndCause | null =>
  c === null ? null : { by: c.by, ...(c.status !== undefined ? { status: c.status } : {}), reason: c.reason };

export const callLegView = (l: core.LegRecord): wire.CallLeg => ({
  id: l.id,
  role: l.role,
  party: l.party,
  sipCallId: l.sipCallId,
  protocol: l.protocol,
  startedAt: iso(l.startedAt),
  answeredAt: isoOrNull(l.answeredAt),
  endedAt: isoOrNull(l.endedAt),
  endReason: endCauseView(l.endReason),
});

export const callRecordView = (c: core.CallRecord): wire.CallRecord => ({
  id: c.id,
  direction: c.direction,
  from: c.from,
  to: c.to,
  numberId: c.numberId,
  trunkId: c.trunkId,
  entry: c.entry,
  state: c.state,
  result: c.result,
  hangupCause: endCauseView(c.hangupCause),
  startedAt: iso(c.startedAt),
  answeredAt: isoOrNull(c.answeredAt),
  endedAt: isoOrNull(c.endedAt),
  durationMs: c.durationMs,
  recordingIds: [...c.recordingIds],
  legs: c.legs.map(callLegView),
});

export const callEventView = (e: core.CallEvent): wire.CallEvent => ({
  sequence: e.sequence,
  type: e.type,
  data: e.data,
  at: iso(e.at),
});

/** Flow configuration is plain data (announcements, targets, menus): a deep copy is its wire form. */
const plain = <T>(value: unknown): T => JSON.parse(JSON.stringify(value)) as T;

export const callQueueSettingsView = (c: core.CallQueueSettings): wire.CallQueueSettings => ({
  greeting: plain(c.greeting),
  music: plain(c.music),
  announceEverySeconds: c.announceEverySeconds,
  announcePosition: c.announcePosition,
  announceExpectedWait: c.announceExpectedWait,
  conferenceMode: c.conferenceMode,
  recording: { enabled: c.recording.enabled, consent: plain(c.recording.consent) },
});

export const autoAttendantView = (a: core.AutoAttendant): wire.AutoAttendant => ({
  id: a.id,
  version: a.version,
  name: a.name,
  voice: a.voice,
  schedule: plain(a.schedule),
  businessHours: plain(a.businessHours),
  afterHours: plain(a.afterHours),
  holiday: plain(a.holiday),
  operator: plain(a.operator),
  speechInput: a.speechInput,
  noInput: plain(a.noInput),
  invalidInput: plain(a.invalidInput),
  createdAt: iso(a.createdAt),
  updatedAt: iso(a.updatedAt),
});

/** Without the PIN's hash: only whether there is one. */
export const mailboxView = (m: core.Mailbox): wire.Mailbox => ({
  id: m.id,
  name: m.name,
  ownerUserId: m.ownerUserId,
  greeting: plain(m.greeting),
  maxMessageSeconds: m.maxMessageSeconds,
  hasPin: m.pinHash !== null,
  notifyEmails: [...m.notifyEmails],
  createdAt: iso(m.createdAt),
  updatedAt: iso(m.updatedAt),
});

export const voicemailMessageView = (m: core.VoicemailMessage): wire.VoicemailMessage => ({
  id: m.id,
  mailboxId: m.mailboxId,
  callId: m.callId,
  caller: m.caller,
  recordingId: m.recordingId,
  durationMs: m.durationMs,
  transcript: m.transcript,
  heard: m.heard,
  createdAt: iso(m.createdAt),
});
