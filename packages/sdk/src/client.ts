import type {
  AccessToken,
  AddParticipantsRequest,
  AgentOrganization,
  AgentOrganizationInput,
  AgentState,
  ApiKey,
  Attachment,
  AutoAttendant,
  AutoAttendantInput,
  AutoAttendantPublish,
  BotSettings,
  CallEvent,
  CallRecord,
  CallRecordPage,
  Conversation,
  ConversationEvent,
  ConversationPage,
  ConversationStatus,
  CreateApiKeyRequest,
  CreatedApiKey,
  CreateIdentityRequest,
  CreateTenantRequest,
  CreateTenantResponse,
  CreateThreadRequest,
  CreateUserRequest,
  Customer,
  CustomerImportResult,
  CustomerInput,
  CustomerPage,
  EditMessageRequest,
  EntryPoint,
  EntryPointInput,
  EntryPointPatch,
  FaqEntry,
  FaqInput,
  Identity,
  IdentityKind,
  IdentityPage,
  IssueTokenRequest,
  LiveCall,
  LiveCallOutcome,
  LiveCallRecordingResult,
  Mailbox,
  MailboxInput,
  MailboxPatch,
  Message,
  MessagePage,
  Participant,
  ParticipantTarget,
  PhoneNumber,
  PhoneNumberInput,
  PhoneNumberPatch,
  Presence,
  Queue,
  QueueInput,
  QueuePatch,
  RecordingInfo,
  RecordingPage,
  RecordingRetention,
  RoutingLogEntry,
  SendMessageRequest,
  SignInRequest,
  SignInResponse,
  SipAccount,
  SipAccountInput,
  SipAccountPatch,
  SupervisorLive,
  Tenant,
  Thread,
  ThreadEvent,
  ThreadEventPage,
  ThreadPage,
  TransferRequest,
  TransferTarget,
  Trunk,
  TrunkInput,
  TrunkPatch,
  UpdateThreadRequest,
  UpdateUserRequest,
  UploadedRecording,
  User,
  VoicemailMessage,
  WidgetSession,
  WidgetSessionRequest,
  Worker,
  WorkerSettings,
} from "@switchboard/protocol";
import { type CallOptions, generateIdempotencyKey, HttpClient, type HttpOptions } from "./http.js";

/** Cursor paging (identities, threads): pass the previous page's `next` as `after`. */
export interface PageParams {
  after?: string;
  limit?: number;
}

export interface CustomerListParams extends PageParams {
  /** Matches name, email or external id. */
  query?: string;
}

export interface ConversationListParams extends PageParams {
  status?: ConversationStatus;
  /** The agent handling it (their identity id). */
  agentId?: string;
  entryPointId?: string;
  customerId?: string;
  queue?: string;
}

/** Sequence paging (messages, events): items with a sequence higher than `after`. */
export interface SequenceParams {
  after?: number;
  limit?: number;
}

/** What an agent may set; `wrap_up` is the server's to set after a conversation ends. */
export type SettablePresence = Exclude<Presence, "wrap_up">;

/** How a conversation ends: the wrap-up code comes from its queue's `wrapUpCodes`. */
export interface ResolveRequest {
  wrapUpCode?: string;
}

export type CallDirection = CallRecord["direction"];
export type CallResult = NonNullable<CallRecord["result"]>;
export type CallState = CallRecord["state"];

/** Filters of the call list (newest first); `since` and `until` bound the start time. */
export interface CallListParams extends PageParams {
  direction?: CallDirection;
  result?: CallResult;
  state?: CallState;
  /** Calls on one of the tenant's numbers. */
  numberId?: string;
  /** Calls that started at or after this time. */
  since?: Date | string;
  /** Calls that started before this time. */
  until?: Date | string;
}

export interface RecordingListParams extends PageParams {
  kind?: "call" | "message" | "upload";
  callId?: string;
  /** Recordings made before this time. */
  before?: Date | string;
}

/** Whose live view: an agent organization's instead of the caller's own. */
export interface SupervisorLiveParams {
  organizationId?: string;
}

export type SwitchboardClientOptions = HttpOptions;

const segment = encodeURIComponent;

/**
 * The typed REST client. Every method resolves with the server's answer or rejects with a
 * `SwitchboardError` (an HTTP error) or the `fetch` error (no answer).
 */
export class SwitchboardClient {
  readonly http: HttpClient;

  constructor(options: SwitchboardClientOptions) {
    this.http = new HttpClient(options);
  }

  readonly tenants = {
    /** Creates a tenant and its first API key; needs the platform operator key. */
    create: (request: CreateTenantRequest, options?: CallOptions): Promise<CreateTenantResponse> =>
      this.http.request({ method: "POST", path: "/v1/tenants", body: request, ...options }),
    /** The tenant the credential belongs to. */
    current: (options?: CallOptions): Promise<Tenant> => this.http.request({ method: "GET", path: "/v1/tenant", ...options }),
  };

  readonly auth = {
    /** Exchanges a user's email and password for an access token; sent without a credential. */
    signIn: (request: SignInRequest, options?: CallOptions): Promise<SignInResponse> =>
      this.http.request({ method: "POST", path: "/v1/auth/sign-in", body: request, anonymous: true, ...options }),
  };

  readonly users = {
    list: async (options?: CallOptions): Promise<User[]> =>
      (await this.http.request<{ items: User[] }>({ method: "GET", path: "/v1/users", ...options })).items,
    create: (request: CreateUserRequest, options?: CallOptions): Promise<User> =>
      this.http.request({ method: "POST", path: "/v1/users", body: request, ...options }),
    /**
     * Renames a user, changes their role, or moves them to an agent organization (in-house with
     * `organizationId: null`); fields left out stay (admins). An admin belongs to no organization.
     */
    update: (userId: string, request: UpdateUserRequest, options?: CallOptions): Promise<User> =>
      this.http.request({ method: "PATCH", path: `/v1/users/${segment(userId)}`, body: request, ...options }),
  };

  /**
   * Agent organizations (admins): teams the business outsources agents to. A user's `organizationId` and
   * a queue's `organizationIds` name them; a user of one sees only the queues assigned to it.
   */
  readonly organizations = {
    list: async (options?: CallOptions): Promise<AgentOrganization[]> =>
      (await this.http.request<{ items: AgentOrganization[] }>({ method: "GET", path: "/v1/organizations", ...options })).items,
    create: (request: AgentOrganizationInput, options?: CallOptions): Promise<AgentOrganization> =>
      this.http.request({ method: "POST", path: "/v1/organizations", body: request, ...options }),
    get: (organizationId: string, options?: CallOptions): Promise<AgentOrganization> =>
      this.http.request({ method: "GET", path: `/v1/organizations/${segment(organizationId)}`, ...options }),
    rename: (organizationId: string, request: AgentOrganizationInput, options?: CallOptions): Promise<AgentOrganization> =>
      this.http.request({ method: "PATCH", path: `/v1/organizations/${segment(organizationId)}`, body: request, ...options }),
    /** Rejects with `organization.in_use` (409) while a user belongs to it. */
    delete: (organizationId: string, options?: CallOptions): Promise<void> =>
      this.http.request({ method: "DELETE", path: `/v1/organizations/${segment(organizationId)}`, ...options }),
  };

  readonly apiKeys = {
    list: async (options?: CallOptions): Promise<ApiKey[]> =>
      (await this.http.request<{ items: ApiKey[] }>({ method: "GET", path: "/v1/api-keys", ...options })).items,
    create: (request: CreateApiKeyRequest, options?: CallOptions): Promise<CreatedApiKey> =>
      this.http.request({ method: "POST", path: "/v1/api-keys", body: request, ...options }),
    /** Revokes a key; resolves with it, `revokedAt` set. */
    revoke: (apiKeyId: string, options?: CallOptions): Promise<ApiKey> =>
      this.http.request({ method: "DELETE", path: `/v1/api-keys/${segment(apiKeyId)}`, ...options }),
  };

  readonly identities = {
    create: (request: CreateIdentityRequest, options?: CallOptions): Promise<Identity> =>
      this.http.request({ method: "POST", path: "/v1/identities", body: request, ...options }),
    list: (params: PageParams & { kind?: IdentityKind } = {}, options?: CallOptions): Promise<IdentityPage> =>
      this.http.request({
        method: "GET",
        path: "/v1/identities",
        query: { after: params.after, limit: params.limit, kind: params.kind },
        ...options,
      }),
    /** Every identity, fetching pages of `limit` as the iteration goes. */
    all: (params: Omit<PageParams, "after"> = {}, options?: CallOptions): AsyncGenerator<Identity, void, undefined> =>
      cursorPages((after) => this.identities.list({ ...params, after }, options)),
    get: (identityId: string, options?: CallOptions): Promise<Identity> =>
      this.http.request({ method: "GET", path: `/v1/identities/${segment(identityId)}`, ...options }),
    delete: (identityId: string, options?: CallOptions): Promise<void> =>
      this.http.request({ method: "DELETE", path: `/v1/identities/${segment(identityId)}`, ...options }),
    /** Issues an access token that acts as the identity (for a browser or the real-time socket). */
    issueToken: (identityId: string, request: IssueTokenRequest, options?: CallOptions): Promise<AccessToken> =>
      this.http.request({
        method: "POST",
        path: `/v1/identities/${segment(identityId)}/tokens`,
        body: request,
        ...options,
      }),
  };

  readonly widget = {
    /**
     * Starts a web chat visitor's session at an entry point, or resumes the one `sessionSecret` names; also
     * renews its token. Sent without a credential: the browser's `Origin` must be allowed by the entry point.
     */
    createSession: (request: WidgetSessionRequest, options?: CallOptions): Promise<WidgetSession> =>
      this.http.request({ method: "POST", path: "/v1/widget/sessions", body: request, anonymous: true, ...options }),
  };

  readonly entryPoints = {
    list: async (options?: CallOptions): Promise<EntryPoint[]> =>
      (await this.http.request<{ items: EntryPoint[] }>({ method: "GET", path: "/v1/entry-points", ...options })).items,
    create: (request: EntryPointInput, options?: CallOptions): Promise<EntryPoint> =>
      this.http.request({ method: "POST", path: "/v1/entry-points", body: request, ...options }),
    get: (entryPointId: string, options?: CallOptions): Promise<EntryPoint> =>
      this.http.request({ method: "GET", path: `/v1/entry-points/${segment(entryPointId)}`, ...options }),
    update: (entryPointId: string, request: EntryPointPatch, options?: CallOptions): Promise<EntryPoint> =>
      this.http.request({ method: "PATCH", path: `/v1/entry-points/${segment(entryPointId)}`, body: request, ...options }),
    delete: (entryPointId: string, options?: CallOptions): Promise<void> =>
      this.http.request({ method: "DELETE", path: `/v1/entry-points/${segment(entryPointId)}`, ...options }),
  };

  readonly customers = {
    list: (params: CustomerListParams = {}, options?: CallOptions): Promise<CustomerPage> =>
      this.http.request({
        method: "GET",
        path: "/v1/customers",
        query: { query: params.query, after: params.after, limit: params.limit },
        ...options,
      }),
    create: (request: CustomerInput, options?: CallOptions): Promise<Customer> =>
      this.http.request({ method: "POST", path: "/v1/customers", body: request, ...options }),
    get: (customerId: string, options?: CallOptions): Promise<Customer> =>
      this.http.request({ method: "GET", path: `/v1/customers/${segment(customerId)}`, ...options }),
    /** Imports customers from CSV text: a header row (name, email, phone, externalId; other columns become attributes). */
    importCsv: (csv: string, options?: CallOptions): Promise<CustomerImportResult> =>
      this.http.request({
        method: "POST",
        path: "/v1/customers/import",
        raw: { data: new TextEncoder().encode(csv), contentType: "text/csv" },
        ...options,
      }),
    importJson: (rows: CustomerInput[], options?: CallOptions): Promise<CustomerImportResult> =>
      this.http.request({ method: "POST", path: "/v1/customers/import", body: rows, ...options }),
  };

  readonly knowledge = {
    faqs: async (options?: CallOptions): Promise<FaqEntry[]> =>
      (await this.http.request<{ items: FaqEntry[] }>({ method: "GET", path: "/v1/knowledge/faqs", ...options })).items,
    createFaq: (request: FaqInput, options?: CallOptions): Promise<FaqEntry> =>
      this.http.request({ method: "POST", path: "/v1/knowledge/faqs", body: request, ...options }),
    updateFaq: (faqId: string, request: FaqInput, options?: CallOptions): Promise<FaqEntry> =>
      this.http.request({ method: "PUT", path: `/v1/knowledge/faqs/${segment(faqId)}`, body: request, ...options }),
    deleteFaq: (faqId: string, options?: CallOptions): Promise<void> =>
      this.http.request({ method: "DELETE", path: `/v1/knowledge/faqs/${segment(faqId)}`, ...options }),
    botSettings: (options?: CallOptions): Promise<BotSettings> =>
      this.http.request({ method: "GET", path: "/v1/knowledge/bot-settings", ...options }),
    saveBotSettings: (settings: BotSettings, options?: CallOptions): Promise<BotSettings> =>
      this.http.request({ method: "PUT", path: "/v1/knowledge/bot-settings", body: settings, ...options }),
  };

  readonly conversations = {
    /** An admin lists the tenant's conversations; a customer, their own. Newest first. */
    list: (params: ConversationListParams = {}, options?: CallOptions): Promise<ConversationPage> =>
      this.http.request({
        method: "GET",
        path: "/v1/conversations",
        query: {
          status: params.status,
          agentId: params.agentId,
          entryPointId: params.entryPointId,
          customerId: params.customerId,
          queue: params.queue,
          after: params.after,
          limit: params.limit,
        },
        ...options,
      }),
    /** What happened in the conversation, in order (staff only). */
    timeline: async (conversationId: string, options?: CallOptions): Promise<ConversationEvent[]> =>
      (
        await this.http.request<{ items: ConversationEvent[] }>({
          method: "GET",
          path: `/v1/conversations/${segment(conversationId)}/timeline`,
          query: { limit: 200 },
          ...options,
        })
      ).items,
    get: (conversationId: string, options?: CallOptions): Promise<Conversation> =>
      this.http.request({ method: "GET", path: `/v1/conversations/${segment(conversationId)}`, ...options }),
    /**
     * What routing did with the conversation and why, oldest first (job queued, offers and how each ended,
     * exceptions, redirects; the first 500): for supervisors and admins.
     */
    routingLog: async (conversationId: string, options?: CallOptions): Promise<RoutingLogEntry[]> =>
      (
        await this.http.request<{ items: RoutingLogEntry[] }>({
          method: "GET",
          path: `/v1/conversations/${segment(conversationId)}/routing`,
          ...options,
        })
      ).items,
    /**
     * Ends the conversation (the customer closing the chat, its agent with a wrap-up code, or an admin).
     * Always sends a JSON body (`{}` without a code): servers of every version accept that.
     */
    resolve: (conversationId: string, request: ResolveRequest = {}, options?: CallOptions): Promise<Conversation> =>
      this.http.request({
        method: "POST",
        path: `/v1/conversations/${segment(conversationId)}/resolve`,
        body: request,
        ...options,
      }),
    /** Sends the conversation on to a queue or to an agent (exactly one of `queueId`, `workerId`), with a note. */
    transfer: (conversationId: string, request: TransferRequest, options?: CallOptions): Promise<Conversation> =>
      this.http.request({
        method: "POST",
        path: `/v1/conversations/${segment(conversationId)}/transfer`,
        body: request,
        ...options,
      }),
  };

  readonly agent = {
    /** The signed-in agent as a worker: presence, load, pending offers, assigned conversations and their queues. */
    me: (options?: CallOptions): Promise<AgentState> => this.http.request({ method: "GET", path: "/v1/agent/me", ...options }),
    setPresence: (presence: SettablePresence, options?: CallOptions): Promise<void> =>
      this.http.request({ method: "PUT", path: "/v1/agent/presence", body: { presence }, ...options }),
  };

  readonly offers = {
    /** Takes the offered work: resolves with the conversation, which the agent now takes part in. */
    accept: (offerId: string, options?: CallOptions): Promise<Conversation> =>
      this.http.request({ method: "POST", path: `/v1/offers/${segment(offerId)}/accept`, ...options }),
    decline: (offerId: string, options?: CallOptions): Promise<void> =>
      this.http.request({ method: "POST", path: `/v1/offers/${segment(offerId)}/decline`, ...options }),
  };

  readonly queues = {
    list: async (options?: CallOptions): Promise<Queue[]> =>
      (await this.http.request<{ items: Queue[] }>({ method: "GET", path: "/v1/queues", ...options })).items,
    create: (request: QueueInput, options?: CallOptions): Promise<Queue> =>
      this.http.request({ method: "POST", path: "/v1/queues", body: request, ...options }),
    get: (queueId: string, options?: CallOptions): Promise<Queue> =>
      this.http.request({ method: "GET", path: `/v1/queues/${segment(queueId)}`, ...options }),
    update: (queueId: string, request: QueuePatch, options?: CallOptions): Promise<Queue> =>
      this.http.request({ method: "PATCH", path: `/v1/queues/${segment(queueId)}`, body: request, ...options }),
    delete: (queueId: string, options?: CallOptions): Promise<void> =>
      this.http.request({ method: "DELETE", path: `/v1/queues/${segment(queueId)}`, ...options }),
  };

  readonly workers = {
    /** The tenant's agents as workers (transfer targets, staffing). */
    list: async (options?: CallOptions): Promise<Worker[]> =>
      (await this.http.request<{ items: Worker[] }>({ method: "GET", path: "/v1/workers", ...options })).items,
    /** Sets an agent's routing settings (capacity, skills, queues); the worker id is the agent's identity id. */
    update: (workerId: string, settings: WorkerSettings, options?: CallOptions): Promise<Worker> =>
      this.http.request({ method: "PUT", path: `/v1/workers/${segment(workerId)}`, body: settings, ...options }),
  };

  readonly supervisor = {
    /**
     * Queues and agents right now (supervisors and admins); `supervisor.live` frames bring the same live.
     * With `organizationId`, an agent organization's view (its queues and agents), for an in-house viewer.
     */
    live: (params: SupervisorLiveParams = {}, options?: CallOptions): Promise<SupervisorLive> =>
      this.http.request({
        method: "GET",
        path: "/v1/supervisor/live",
        query: { organizationId: params.organizationId },
        ...options,
      }),
  };

  /**
   * Telephony (admins): the tenant's phone numbers, SIP trunks and phones (SIP accounts); and its call
   * records (supervisors and admins). Passwords go in and never come back: a trunk says `hasPassword`.
   */
  readonly telephony = {
    phoneNumbers: {
      list: async (options?: CallOptions): Promise<PhoneNumber[]> =>
        (await this.http.request<{ items: PhoneNumber[] }>({ method: "GET", path: "/v1/phone-numbers", ...options })).items,
      /** Rejects with `phone_number.invalid_e164` (field `e164`) for a number that is not E.164. */
      create: (request: PhoneNumberInput, options?: CallOptions): Promise<PhoneNumber> =>
        this.http.request({ method: "POST", path: "/v1/phone-numbers", body: request, ...options }),
      get: (phoneNumberId: string, options?: CallOptions): Promise<PhoneNumber> =>
        this.http.request({ method: "GET", path: `/v1/phone-numbers/${segment(phoneNumberId)}`, ...options }),
      update: (phoneNumberId: string, request: PhoneNumberPatch, options?: CallOptions): Promise<PhoneNumber> =>
        this.http.request({ method: "PATCH", path: `/v1/phone-numbers/${segment(phoneNumberId)}`, body: request, ...options }),
      /** Releases the number. */
      delete: (phoneNumberId: string, options?: CallOptions): Promise<void> =>
        this.http.request({ method: "DELETE", path: `/v1/phone-numbers/${segment(phoneNumberId)}`, ...options }),
    },
    trunks: {
      list: async (options?: CallOptions): Promise<Trunk[]> =>
        (await this.http.request<{ items: Trunk[] }>({ method: "GET", path: "/v1/trunks", ...options })).items,
      create: (request: TrunkInput, options?: CallOptions): Promise<Trunk> =>
        this.http.request({ method: "POST", path: "/v1/trunks", body: request, ...options }),
      get: (trunkId: string, options?: CallOptions): Promise<Trunk> =>
        this.http.request({ method: "GET", path: `/v1/trunks/${segment(trunkId)}`, ...options }),
      /** Each part given replaces that part; a digest without `password` keeps the stored one (same username). */
      update: (trunkId: string, request: TrunkPatch, options?: CallOptions): Promise<Trunk> =>
        this.http.request({ method: "PATCH", path: `/v1/trunks/${segment(trunkId)}`, body: request, ...options }),
      /** Refused while a number arrives on the trunk. */
      delete: (trunkId: string, options?: CallOptions): Promise<void> =>
        this.http.request({ method: "DELETE", path: `/v1/trunks/${segment(trunkId)}`, ...options }),
    },
    sipAccounts: {
      list: async (options?: CallOptions): Promise<SipAccount[]> =>
        (await this.http.request<{ items: SipAccount[] }>({ method: "GET", path: "/v1/sip-accounts", ...options })).items,
      create: (request: SipAccountInput, options?: CallOptions): Promise<SipAccount> =>
        this.http.request({ method: "POST", path: "/v1/sip-accounts", body: request, ...options }),
      get: (sipAccountId: string, options?: CallOptions): Promise<SipAccount> =>
        this.http.request({ method: "GET", path: `/v1/sip-accounts/${segment(sipAccountId)}`, ...options }),
      /** The extension, display name or user; the username stays, the password has `resetPassword`. */
      update: (sipAccountId: string, request: SipAccountPatch, options?: CallOptions): Promise<SipAccount> =>
        this.http.request({ method: "PATCH", path: `/v1/sip-accounts/${segment(sipAccountId)}`, body: request, ...options }),
      delete: (sipAccountId: string, options?: CallOptions): Promise<void> =>
        this.http.request({ method: "DELETE", path: `/v1/sip-accounts/${segment(sipAccountId)}`, ...options }),
      /** Sets a new password (at least 8 characters); the phone must log in with it again. */
      resetPassword: (sipAccountId: string, password: string, options?: CallOptions): Promise<SipAccount> =>
        this.http.request({
          method: "POST",
          path: `/v1/sip-accounts/${segment(sipAccountId)}/password`,
          body: { password },
          ...options,
        }),
    },
    calls: {
      /** One page of call records, newest first, with their legs. */
      list: (params: CallListParams = {}, options?: CallOptions): Promise<CallRecordPage> =>
        this.http.request({
          method: "GET",
          path: "/v1/calls",
          query: {
            direction: params.direction,
            result: params.result,
            state: params.state,
            numberId: params.numberId,
            since: isoOf(params.since),
            until: isoOf(params.until),
            after: params.after,
            limit: params.limit,
          },
          ...options,
        }),
      /** Every call matching the filters, newest first, fetching pages as the iteration goes. */
      all: (params: Omit<CallListParams, "after"> = {}, options?: CallOptions): AsyncGenerator<CallRecord, void, undefined> =>
        cursorPages((after) => this.telephony.calls.list({ ...params, after }, options)),
      get: (callId: string, options?: CallOptions): Promise<CallRecord> =>
        this.http.request({ method: "GET", path: `/v1/calls/${segment(callId)}`, ...options }),
      /** One page of the call's timeline: events with a sequence above `after`, in order. */
      events: async (callId: string, params: SequenceParams = {}, options?: CallOptions): Promise<CallEvent[]> =>
        (
          await this.http.request<{ items: CallEvent[] }>({
            method: "GET",
            path: `/v1/calls/${segment(callId)}/events`,
            query: { after: params.after, limit: params.limit },
            ...options,
          })
        ).items,
      /** The whole timeline from `after` (default: the start), a page of `limit` (default 500) at a time. */
      allEvents: async (callId: string, params: SequenceParams = {}, options?: CallOptions): Promise<CallEvent[]> => {
        const limit = params.limit ?? 500;
        const events: CallEvent[] = [];
        let after = params.after ?? 0;
        for (;;) {
          const page = await this.telephony.calls.events(callId, { after, limit }, options);
          events.push(...page);
          const last = page.at(-1)?.sequence;
          // A short page is the last; a server that does not move forward would loop forever.
          if (page.length < limit || last === undefined || last <= after) return events;
          after = last;
        }
      },
      /**
       * Where a recording downloads (WAV). The request needs the `Authorization` header, so a bare
       * `<audio src>` cannot use it: in a browser, fetch it with `recording` and play a Blob URL.
       */
      recordingUrl: (callId: string, recordingId: string): string =>
        this.http.url(`/v1/calls/${segment(callId)}/recordings/${segment(recordingId)}`),
      /** A recording made on the call, as a WAV Blob (8 kHz, 16-bit mono). */
      recording: (callId: string, recordingId: string, options?: CallOptions): Promise<Blob> =>
        this.http.download({
          method: "GET",
          path: `/v1/calls/${segment(callId)}/recordings/${segment(recordingId)}`,
          accept: "audio/wav, application/problem+json",
          ...options,
        }),
    },
    /**
     * Connected calls while they last (the agents on the call, supervisors and admins): hold, mute,
     * transfers, participants, recording. A call not connected now answers 404 `call.not_connected`.
     */
    liveCalls: {
      get: (callId: string, options?: CallOptions): Promise<LiveCall> =>
        this.http.request({ method: "GET", path: `/v1/calls/${segment(callId)}/live`, ...options }),
      /** Hangs up everyone. */
      hangup: (callId: string, options?: CallOptions): Promise<void> =>
        this.http.request({ method: "DELETE", path: `/v1/calls/${segment(callId)}/live`, ...options }),
      /** The caller hears hold music (`true`) or is taken back. */
      hold: (callId: string, held: boolean, options?: CallOptions): Promise<LiveCall> =>
        this.http.request({ method: "POST", path: `/v1/calls/${segment(callId)}/hold`, body: { held }, ...options }),
      mute: (callId: string, legId: string, muted: boolean, options?: CallOptions): Promise<LiveCall> =>
        this.http.request({
          method: "POST",
          path: `/v1/calls/${segment(callId)}/parties/${segment(legId)}/mute`,
          body: { muted },
          ...options,
        }),
      /** Rings a person or number; they join the call once they answer (`failed`: they did not). */
      addParticipant: (callId: string, target: ParticipantTarget, options?: CallOptions): Promise<LiveCallOutcome> =>
        this.http.request({ method: "POST", path: `/v1/calls/${segment(callId)}/parties`, body: { target }, ...options }),
      removeParticipant: (callId: string, legId: string, options?: CallOptions): Promise<void> =>
        this.http.request({ method: "DELETE", path: `/v1/calls/${segment(callId)}/parties/${segment(legId)}`, ...options }),
      /** Blind (default) to any target but a hang-up, or `consult` a person or number first. */
      transfer: (
        callId: string,
        target: TransferTarget,
        mode: "blind" | "consult" = "blind",
        options?: CallOptions,
      ): Promise<LiveCallOutcome> =>
        this.http.request({
          method: "POST",
          path: `/v1/calls/${segment(callId)}/transfer`,
          body: { target, mode },
          ...options,
        }),
      /** Ends a consultation: the target takes the call, or it is cancelled, or all three talk. */
      consultation: (callId: string, action: "complete" | "cancel" | "merge", options?: CallOptions): Promise<LiveCallOutcome> =>
        this.http.request({ method: "POST", path: `/v1/calls/${segment(callId)}/consultation`, body: { action }, ...options }),
      /** Starts (after the consent announcement unless `consent: false`), pauses, resumes or stops recording. */
      record: (
        callId: string,
        action: "start" | "pause" | "resume" | "stop",
        params: { consent?: boolean } = {},
        options?: CallOptions,
      ): Promise<LiveCallRecordingResult> =>
        this.http.request({
          method: "POST",
          path: `/v1/calls/${segment(callId)}/recording`,
          body: { action, ...params },
          ...options,
        }),
    },
  };

  /**
   * Auto attendants (admins): every change is published as a new version, validated first; calls in
   * progress keep the version they started on, and earlier versions stay readable.
   */
  readonly autoAttendants = {
    list: async (options?: CallOptions): Promise<AutoAttendant[]> =>
      (await this.http.request<{ items: AutoAttendant[] }>({ method: "GET", path: "/v1/auto-attendants", ...options })).items,
    /** Rejects with `auto_attendant.invalid` naming the fields at fault (`businessHours.menu.options.2.key`). */
    create: (request: AutoAttendantInput, options?: CallOptions): Promise<AutoAttendant> =>
      this.http.request({ method: "POST", path: "/v1/auto-attendants", body: request, ...options }),
    /** The current version. */
    get: (autoAttendantId: string, options?: CallOptions): Promise<AutoAttendant> =>
      this.http.request({ method: "GET", path: `/v1/auto-attendants/${segment(autoAttendantId)}`, ...options }),
    /** A version as it was published. */
    version: (autoAttendantId: string, version: number, options?: CallOptions): Promise<AutoAttendant> =>
      this.http.request({
        method: "GET",
        path: `/v1/auto-attendants/${segment(autoAttendantId)}/versions/${segment(String(version))}`,
        ...options,
      }),
    /**
     * Publishes the whole configuration as the next version. With `expectedVersion`, rejects with 409
     * `auto_attendant.version_conflict` when another change was published since that version.
     */
    publish: (autoAttendantId: string, request: AutoAttendantPublish, options?: CallOptions): Promise<AutoAttendant> =>
      this.http.request({ method: "PUT", path: `/v1/auto-attendants/${segment(autoAttendantId)}`, body: request, ...options }),
    /** Refused (409 `auto_attendant.in_use`) while a number, another attendant or a queue sends calls to it. */
    delete: (autoAttendantId: string, options?: CallOptions): Promise<void> =>
      this.http.request({ method: "DELETE", path: `/v1/auto-attendants/${segment(autoAttendantId)}`, ...options }),
  };

  /**
   * Voicemail: mailboxes (admins; a user sees their own personal mailbox) and their messages (admins, and
   * the owner of a personal mailbox). A PIN goes in and never comes back: a mailbox says `hasPin`.
   */
  readonly mailboxes = {
    /** Every mailbox for admins; one's own personal mailbox for anyone else. */
    list: async (options?: CallOptions): Promise<Mailbox[]> =>
      (await this.http.request<{ items: Mailbox[] }>({ method: "GET", path: "/v1/mailboxes", ...options })).items,
    create: (request: MailboxInput, options?: CallOptions): Promise<Mailbox> =>
      this.http.request({ method: "POST", path: "/v1/mailboxes", body: request, ...options }),
    get: (mailboxId: string, options?: CallOptions): Promise<Mailbox> =>
      this.http.request({ method: "GET", path: `/v1/mailboxes/${segment(mailboxId)}`, ...options }),
    /** Fields given replace the mailbox's; `pin: null` removes the PIN. */
    update: (mailboxId: string, request: MailboxPatch, options?: CallOptions): Promise<Mailbox> =>
      this.http.request({ method: "PATCH", path: `/v1/mailboxes/${segment(mailboxId)}`, body: request, ...options }),
    /** Deletes the mailbox and its messages. */
    delete: (mailboxId: string, options?: CallOptions): Promise<void> =>
      this.http.request({ method: "DELETE", path: `/v1/mailboxes/${segment(mailboxId)}`, ...options }),
    /** The mailbox's messages, oldest first. */
    messages: async (mailboxId: string, options?: CallOptions): Promise<VoicemailMessage[]> =>
      (
        await this.http.request<{ items: VoicemailMessage[] }>({
          method: "GET",
          path: `/v1/mailboxes/${segment(mailboxId)}/messages`,
          ...options,
        })
      ).items,
    getMessage: (messageId: string, options?: CallOptions): Promise<VoicemailMessage> =>
      this.http.request({ method: "GET", path: `/v1/voicemail-messages/${segment(messageId)}`, ...options }),
    /** Marks a message heard, or new again. */
    markMessage: (messageId: string, heard: boolean, options?: CallOptions): Promise<VoicemailMessage> =>
      this.http.request({ method: "PATCH", path: `/v1/voicemail-messages/${segment(messageId)}`, body: { heard }, ...options }),
    deleteMessage: (messageId: string, options?: CallOptions): Promise<void> =>
      this.http.request({ method: "DELETE", path: `/v1/voicemail-messages/${segment(messageId)}`, ...options }),
    /**
     * Where a message's audio downloads (WAV). The request needs the `Authorization` header, so a bare
     * `<audio src>` cannot use it: in a browser, fetch it with `messageAudio` and play a Blob URL.
     */
    messageAudioUrl: (messageId: string): string => this.http.url(`/v1/voicemail-messages/${segment(messageId)}/audio`),
    /** A message's audio, as a WAV Blob (8 kHz, 16-bit mono). */
    messageAudio: (messageId: string, options?: CallOptions): Promise<Blob> =>
      this.http.download({
        method: "GET",
        path: `/v1/voicemail-messages/${segment(messageId)}/audio`,
        accept: "audio/wav, application/problem+json",
        ...options,
      }),
  };

  /**
   * The tenant's recordings: recorded calls, callers' messages, uploaded audio for greetings and music.
   * Listing is for supervisors and admins; uploading, downloading by id, deleting and retention for admins.
   */
  readonly recordings = {
    list: (params: RecordingListParams = {}, options?: CallOptions): Promise<RecordingPage> =>
      this.http.request({
        method: "GET",
        path: "/v1/recordings",
        query: {
          kind: params.kind,
          callId: params.callId,
          before: isoOf(params.before),
          after: params.after,
          limit: params.limit,
        },
        ...options,
      }),
    get: (recordingId: string, options?: CallOptions): Promise<RecordingInfo> =>
      this.http.request({ method: "GET", path: `/v1/recordings/${segment(recordingId)}`, ...options }),
    delete: (recordingId: string, options?: CallOptions): Promise<void> =>
      this.http.request({ method: "DELETE", path: `/v1/recordings/${segment(recordingId)}`, ...options }),
    /** Days call recordings are kept; null: for ever. */
    retention: async (options?: CallOptions): Promise<number | null> =>
      (await this.http.request<RecordingRetention>({ method: "GET", path: "/v1/recording-retention", ...options })).retentionDays,
    setRetention: async (retentionDays: number | null, options?: CallOptions): Promise<number | null> =>
      (
        await this.http.request<RecordingRetention>({
          method: "PUT",
          path: "/v1/recording-retention",
          body: { retentionDays },
          ...options,
        })
      ).retentionDays,
    /** Uploads a WAV file (any rate, mono or stereo, PCM, float, µ-law or A-law); name the result as `{ kind: "recording", recordingId: id }`. */
    upload: (file: Blob, options?: CallOptions): Promise<UploadedRecording> =>
      this.http.request({ method: "POST", path: "/v1/recordings", raw: { data: file, contentType: "audio/wav" }, ...options }),
    /** A recording as a WAV Blob (8 kHz, 16-bit mono). */
    audio: (recordingId: string, options?: CallOptions): Promise<Blob> =>
      this.http.download({
        method: "GET",
        path: `/v1/recordings/${segment(recordingId)}/audio`,
        accept: "audio/wav, application/problem+json",
        ...options,
      }),
  };

  readonly attachments = {
    /**
     * Where an attachment downloads, with the access token in the query, so that an `<img src>` or a link works
     * where no `Authorization` header can be set.
     */
    url: (attachmentId: string, token: string): string => this.http.url(`/v1/attachments/${segment(attachmentId)}`, { token }),
  };

  readonly chat = {
    createThread: (request: CreateThreadRequest, options?: CallOptions): Promise<Thread> =>
      this.http.request({ method: "POST", path: "/v1/chat/threads", body: request, ...options }),
    listThreads: (params: PageParams = {}, options?: CallOptions): Promise<ThreadPage> =>
      this.http.request({
        method: "GET",
        path: "/v1/chat/threads",
        query: { after: params.after, limit: params.limit },
        ...options,
      }),
    /** Every thread visible to the credential, fetching pages as the iteration goes. */
    allThreads: (params: Omit<PageParams, "after"> = {}, options?: CallOptions): AsyncGenerator<Thread, void, undefined> =>
      cursorPages((after) => this.chat.listThreads({ ...params, after }, options)),
    /** The operations on one thread; makes no request by itself. */
    thread: (threadId: string): ThreadClient => new ThreadClient(this.http, threadId),
  };
}

/** The operations on one chat thread, from `client.chat.thread(threadId)`. */
export class ThreadClient {
  readonly threadId: string;
  readonly #http: HttpClient;
  readonly #path: string;

  constructor(http: HttpClient, threadId: string) {
    this.#http = http;
    this.threadId = threadId;
    this.#path = `/v1/chat/threads/${segment(threadId)}`;
  }

  get(options?: CallOptions): Promise<Thread> {
    return this.#http.request({ method: "GET", path: this.#path, ...options });
  }

  update(request: UpdateThreadRequest, options?: CallOptions): Promise<Thread> {
    return this.#http.request({ method: "PATCH", path: this.#path, body: request, ...options });
  }

  async participants(options?: CallOptions): Promise<Participant[]> {
    const page = await this.#http.request<{ items: Participant[] }>({
      method: "GET",
      path: `${this.#path}/participants`,
      ...options,
    });
    return page.items;
  }

  addParticipants(request: AddParticipantsRequest, options?: CallOptions): Promise<void> {
    return this.#http.request({ method: "POST", path: `${this.#path}/participants`, body: request, ...options });
  }

  removeParticipant(identityId: string, options?: CallOptions): Promise<void> {
    return this.#http.request({
      method: "DELETE",
      path: `${this.#path}/participants/${segment(identityId)}`,
      ...options,
    });
  }

  /**
   * Sends a message. Without an `idempotencyKey` one is generated, so the request is retried safely
   * after a network error (when retries are enabled): the server answers a repeat with the first message.
   */
  send(message: string | SendMessageRequest, options?: CallOptions): Promise<Message> {
    const request = typeof message === "string" ? { content: message } : message;
    const body: SendMessageRequest = { ...request, idempotencyKey: request.idempotencyKey ?? generateIdempotencyKey() };
    return this.#http.request({
      method: "POST",
      path: `${this.#path}/messages`,
      body,
      idempotent: true,
      ...options,
    });
  }

  /** One page of messages with a sequence higher than `after`, oldest first. */
  messages(params: SequenceParams = {}, options?: CallOptions): Promise<MessagePage> {
    return this.#http.request({
      method: "GET",
      path: `${this.#path}/messages`,
      query: { after: params.after, limit: params.limit },
      ...options,
    });
  }

  /** Every message after `after` (default: from the start), fetching pages of `limit` as the iteration goes. */
  allMessages(params: SequenceParams = {}, options?: CallOptions): AsyncGenerator<Message, void, undefined> {
    return sequencePages(params.after ?? 0, (after) => this.messages({ ...params, after }, options));
  }

  message(messageId: string, options?: CallOptions): Promise<Message> {
    return this.#http.request({ method: "GET", path: `${this.#path}/messages/${segment(messageId)}`, ...options });
  }

  edit(messageId: string, request: EditMessageRequest, options?: CallOptions): Promise<Message> {
    return this.#http.request({
      method: "PATCH",
      path: `${this.#path}/messages/${segment(messageId)}`,
      body: request,
      ...options,
    });
  }

  delete(messageId: string, options?: CallOptions): Promise<void> {
    return this.#http.request({
      method: "DELETE",
      path: `${this.#path}/messages/${segment(messageId)}`,
      ...options,
    });
  }

  /**
   * Uploads a file to the thread (an image or a PDF); send it with `send({ content, attachmentIds: [id] })`.
   * The content type defaults to the blob's own.
   */
  uploadAttachment(file: Blob, fileName: string, options: CallOptions & { contentType?: string } = {}): Promise<Attachment> {
    const { contentType = file.type || "application/octet-stream", ...call } = options;
    return this.#http.request({
      method: "POST",
      path: `${this.#path}/attachments`,
      query: { fileName },
      raw: { data: file, contentType },
      ...call,
    });
  }

  /** Marks everything up to `sequence` as read by the caller. */
  markRead(sequence: number, options?: CallOptions): Promise<void> {
    return this.#http.request({ method: "POST", path: `${this.#path}/read`, body: { sequence }, ...options });
  }

  /** Tells the other participants the caller is typing (the socket's `typing()` does the same without HTTP). */
  typing(options?: CallOptions): Promise<void> {
    return this.#http.request({ method: "POST", path: `${this.#path}/typing`, ...options });
  }

  /** One page of the thread's stored events with a sequence higher than `after`. */
  events(params: SequenceParams = {}, options?: CallOptions): Promise<ThreadEventPage> {
    return this.#http.request({
      method: "GET",
      path: `${this.#path}/events`,
      query: { after: params.after, limit: params.limit },
      ...options,
    });
  }

  /** Every stored event after `after`, fetching pages as the iteration goes: to catch up without a socket. */
  allEvents(params: SequenceParams = {}, options?: CallOptions): AsyncGenerator<ThreadEvent, void, undefined> {
    return sequencePages(params.after ?? 0, (after) => this.events({ ...params, after }, options));
  }
}

const isoOf = (at: Date | string | undefined): string | undefined => (at instanceof Date ? at.toISOString() : at);

async function* cursorPages<T>(
  fetchPage: (after: string | undefined) => Promise<{ items: T[]; next: string | null }>,
): AsyncGenerator<T, void, undefined> {
  let after: string | undefined;
  do {
    const page = await fetchPage(after);
    yield* page.items;
    after = page.next ?? undefined;
  } while (after !== undefined);
}

async function* sequencePages<T>(
  from: number,
  fetchPage: (after: number) => Promise<{ items: T[]; next: number | null }>,
): AsyncGenerator<T, void, undefined> {
  let after: number | null = from;
  while (after !== null) {
    const page: { items: T[]; next: number | null } = await fetchPage(after);
    yield* page.items;
    // A server that answered `next` without moving forward would loop forever.
    after = page.next !== null && page.next > after ? page.next : null;
  }
}
