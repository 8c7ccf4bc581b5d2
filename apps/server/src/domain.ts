import path from "node:path";
import { BotRuntime } from "@switchboard/bot";
import * as core from "@switchboard/core";
import type { Store } from "@switchboard/store";
import { BlobRecordingStore } from "./adapters/blob-recording-store.js";
import { apiKeySecrets, md5Digest, randomSigningKey, ScryptPasswordHasher } from "./adapters/crypto.js";
import { DevMailbox } from "./adapters/dev-mailbox.js";
import { randomCodes, SmtpEmailSender } from "./adapters/email.js";
import { FileBlobStore } from "./adapters/file-blob-store.js";
import { JwtTokenSigner } from "./adapters/jwt-token-signer.js";
import { uuidV7Ids } from "./adapters/uuid-ids.js";
import type { Config } from "./config.js";
import { defaultBotSettings } from "./demo/northwind.js";
import { conversationView } from "./http/views.js";
import { ServerMetrics } from "./metrics.js";
import { RealtimeHub } from "./realtime/hub.js";
import { RoutingService } from "./routing/routing-service.js";

/** Every use case's dependencies, wired to their adapters: what the transports work with. */
export interface Domain {
  readonly identity: core.IdentityDeps;
  readonly chat: core.ChatDeps;
  readonly conversation: core.ConversationDeps;
  readonly customers: core.CustomerDeps;
  readonly knowledge: core.KnowledgeDeps;
  readonly attachments: core.AttachmentDeps;
  readonly verification: core.VerificationDeps;
  readonly defaultBotSettings: core.BotSettings;
  readonly hub: RealtimeHub;
  readonly bot: BotRuntime;
  readonly queues: core.QueueDeps;
  /** Agent organizations (outsourced teams): their users see only the queues assigned to them. */
  readonly organizations: core.OrganizationDeps;
  readonly routing: RoutingService;
  readonly routingLog: core.RoutingStateStore;
  readonly metrics: ServerMetrics;
  /** Telephony configuration (numbers, trunks, SIP accounts) and call records: what the SIP server reads and writes. */
  readonly telephony: core.TelephonyDeps;
  readonly callRecords: core.CallRecordDeps;
  /** Call flows' configuration: auto attendants (versioned), mailboxes and voicemail messages. */
  readonly flows: core.FlowDeps;
  /** What calls record, as WAV files under the data directory. */
  readonly recordings: BlobRecordingStore;
  /** The recordings' catalog (listing, deleting) and retention. */
  readonly recordingLibrary: core.RecordingLibraryDeps;
  /** Calls connected now (caller and agent): what the API holds, transfers, conferences and records. */
  readonly liveCalls: core.LiveCalls<core.CallTarget>;
  /** Listens to changes of a tenant's numbers, trunks or SIP accounts (the SIP server reloads its trunks). */
  onTelephonyChanged(listener: (tenantId: string, what: core.TelephonyConfigKind) => void): () => void;
  /** The development mailbox, when no SMTP server is configured. */
  readonly mailbox: DevMailbox | undefined;
  close(): Promise<void>;
}

export interface WireOptions {
  readonly passwordCost?: number | undefined;
  readonly onError: (error: unknown) => void;
  /** Housekeeping worth a line in the log (recordings expired). */
  readonly onInfo?: (message: string) => void;
}

/** Fans thread events out to every listener (the real-time hub, the bot). */
class ThreadEventFanout implements core.ThreadEventPublisher {
  constructor(private readonly targets: readonly core.ThreadEventPublisher[]) {}
  publish(event: core.ThreadEvent): void {
    for (const target of this.targets) target.publish(event);
  }
}

export async function wireDomain(config: Config, store: Store, options: WireOptions): Promise<Domain> {
  const clock = core.systemClock;
  const ids = uuidV7Ids;
  const signingKey = await store.secrets.getOrCreate("token-signing-key", randomSigningKey);
  const identity: core.IdentityDeps = {
    store: store.identities,
    clock,
    ids,
    tokens: new JwtTokenSigner(signingKey),
    passwords: new ScryptPasswordHasher(options.passwordCost),
    secrets: apiKeySecrets,
    tokenPolicy: { defaultMinutes: config.tokenDefaultMinutes, maxMinutes: config.tokenMaxMinutes },
    organizations: store.organizations,
    // A user moved to another organization (or in-house) keeps only the queues it may work, and their open
    // sockets get its live view.
    onUserChanged: (tenantId, userId) => {
      void routing?.queuesChanged(tenantId).catch(options.onError);
      void store.identities
        .getUser(tenantId, userId)
        .then((user) => user && hub?.moveToOrganization(tenantId, user.identityId, user.organizationId))
        .catch(options.onError);
    },
  };

  let hub: RealtimeHub | undefined;
  const metrics = new ServerMetrics(() => hub?.connectionCount ?? 0);
  hub = new RealtimeHub(store.chat, metrics, options.onError);

  // The bot listens to thread and conversation events; it is created last, so it is reached lazily.
  let bot: BotRuntime | undefined;
  const botListener: core.ThreadEventPublisher & core.ConversationEventPublisher = {
    publish: (event) => bot?.publish(event),
    publishConversationEvent: (event, conversation) => bot?.publishConversationEvent(event, conversation),
  };

  // The routing service is created after the deps it needs; it listens to conversation events.
  let routing: RoutingService | undefined;
  const routingListener: core.ConversationEventPublisher = {
    publishConversationEvent: (event, changed) => routing?.publishConversationEvent(event, changed),
  };
  /** The customer and the agent of a conversation see its status change live (handoff, queue, agent, end). */
  const notifyParticipants = (changed: core.Conversation) => {
    void core
      .queuePosition(conversation, changed)
      .then((position) => {
        const frame = { type: "conversation.updated" as const, conversation: conversationView(changed, position) };
        hub?.sendToIdentity(changed.tenantId, changed.customerIdentityId, frame);
        if (changed.agentId) hub?.sendToIdentity(changed.tenantId, changed.agentId, frame);
      })
      .catch(options.onError);
  };

  const chat: core.ChatDeps = {
    chat: store.chat,
    identities: store.identities,
    attachmentStore: store.attachments,
    publisher: new ThreadEventFanout([hub, botListener]),
    clock,
    ids,
  };
  const conversation: core.ConversationDeps = {
    chat,
    identity,
    conversations: store.conversations,
    entryPoints: store.entryPoints,
    customers: store.customers,
    queues: store.queues,
    events: {
      publishConversationEvent: (event, changed) => {
        botListener.publishConversationEvent(event, changed);
        notifyParticipants(changed);
        routingListener.publishConversationEvent(event, changed);
      },
    },
    widgetTokenMinutes: config.widgetTokenMinutes,
  };
  const customers: core.CustomerDeps = { customers: store.customers, clock, ids };
  const knowledge: core.KnowledgeDeps = { knowledge: store.knowledge, clock, ids, onKnowledgeChanged: (t) => bot?.invalidate(t) };
  const attachments: core.AttachmentDeps = {
    ...chat,
    attachmentStore: store.attachments,
    blobs: new FileBlobStore(path.resolve(config.dataDir, "attachments")),
    attachmentMaxBytes: config.attachmentMaxBytes,
  };

  const mailbox = config.smtpUrl ? undefined : new DevMailbox();
  const smtpUrl = config.smtpUrl ?? (await (mailbox as DevMailbox).listen(config.devMailboxPort));
  const email = new SmtpEmailSender(smtpUrl, config.smtpFrom);
  const verification: core.VerificationDeps = {
    conversation,
    customers: store.customers,
    challenges: store.verifications,
    email,
    codes: randomCodes,
    policy: core.defaultVerificationPolicy,
    senderName: async (tenantId) => (await store.identities.getTenant(tenantId))?.name ?? "Switchboard",
  };
  const queues: core.QueueDeps = {
    queues: store.queues,
    organizations: store.organizations,
    clock,
    ids,
    onQueuesChanged: (t) => void routing?.queuesChanged(t).catch(options.onError),
    autoAttendants: store.autoAttendants,
    voicemail: store.voicemail,
  };
  routing = new RoutingService({
    conversation,
    queues,
    workers: store.workers,
    calls: store.callRecords,
    state: store.routing,
    users: store.identities,
    botSettings: async (tenantId) => (await store.knowledge.getBotSettings(tenantId)) ?? defaultBotSettings,
    notify: {
      toIdentity: (tenantId, identityId, frame) => hub?.sendToIdentity(tenantId, identityId, frame),
      toSupervisors: (tenantId, frame, organizationId) => hub?.sendToSupervisors(tenantId, frame, organizationId),
      hasSupervisors: (tenantId) => hub?.hasSupervisors(tenantId) ?? false,
      supervisorOrganizations: (tenantId) => hub?.supervisorOrganizations(tenantId) ?? [],
    },
    clock,
    ids,
    onError: options.onError,
  });
  await routing.start();
  const telephonyListeners = new Set<(tenantId: string, what: core.TelephonyConfigKind) => void>();
  const telephony: core.TelephonyDeps = {
    phoneNumbers: store.phoneNumbers,
    trunks: store.trunks,
    sipAccounts: store.sipAccounts,
    users: store.identities,
    digest: md5Digest,
    sipRealm: config.sipRealm,
    clock,
    ids,
    onTelephonyChanged: (tenantId, what) => {
      for (const listener of telephonyListeners) listener(tenantId, what);
    },
  };
  const organizations: core.OrganizationDeps = { organizations: store.organizations, users: store.identities, clock, ids };
  const recordings = new BlobRecordingStore(
    new FileBlobStore(path.resolve(config.dataDir, "recordings")),
    ids,
    clock,
    store.recordingCatalog,
  );
  const recordingLibrary: core.RecordingLibraryDeps = { catalog: store.recordingCatalog, audio: recordings, clock };
  // Call recordings older than their tenant's retention go: a minute after the start, then every hour.
  const expire = () =>
    void core
      .expireRecordings(recordingLibrary)
      .then((count) => count > 0 && options.onInfo?.(`${count} call recordings past their retention deleted`))
      .catch(options.onError);
  const expiryTimers = [setTimeout(expire, 60_000), setInterval(expire, 3_600_000)];
  for (const timer of expiryTimers) timer.unref();
  const callRecords: core.CallRecordDeps = { calls: store.callRecords, clock, ids };
  const flows: core.FlowDeps = {
    autoAttendants: store.autoAttendants,
    voicemail: store.voicemail,
    queues: store.queues,
    users: store.identities,
    passwords: identity.passwords,
    phoneNumbers: store.phoneNumbers,
    recordings,
    clock,
    ids,
  };
  bot = new BotRuntime({
    conversation,
    verification,
    knowledge: store.knowledge,
    defaultSettings: defaultBotSettings,
    onError: options.onError,
  });

  return {
    identity,
    chat,
    conversation,
    customers,
    knowledge,
    attachments,
    verification,
    defaultBotSettings,
    hub,
    bot,
    queues,
    organizations,
    routing,
    routingLog: store.routing,
    metrics,
    telephony,
    callRecords,
    flows,
    recordings,
    recordingLibrary,
    liveCalls: new core.LiveCalls<core.CallTarget>(),
    onTelephonyChanged: (listener) => {
      telephonyListeners.add(listener);
      return () => telephonyListeners.delete(listener);
    },
    mailbox,
    async close() {
      for (const timer of expiryTimers) clearTimeout(timer);
      await bot?.idle();
      await routing?.flush();
      routing?.stop();
      email.close();
      await mailbox?.close();
    },
  };
}
