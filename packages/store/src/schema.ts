/**
 * The tables as Kysely sees them. Both dialects share these types: timestamps are ISO-8601 text
 * (`toISOString()`, so they sort as text), JSON is text, ids are text chosen by the caller.
 */

export interface TenantsTable {
  id: string;
  slug: string;
  name: string;
  created_at: string;
}

export interface UsersTable {
  id: string;
  tenant_id: string;
  email: string;
  display_name: string;
  role: string;
  password_hash: string;
  identity_id: string;
  /** The user's agent organization; null: in-house. */
  organization_id: string | null;
  created_at: string;
}

/** A tenant's agent organizations (outsourced teams). */
export interface OrganizationsTable {
  id: string;
  tenant_id: string;
  /** Unique in the tenant. */
  name: string;
  created_at: string;
}

/** The organizations assigned to each queue; a queue with none is in-house only. */
export interface QueueOrganizationsTable {
  tenant_id: string;
  queue_id: string;
  organization_id: string;
}

export interface ApiKeysTable {
  id: string;
  tenant_id: string;
  name: string;
  prefix: string;
  secret_hash: string;
  created_at: string;
  revoked_at: string | null;
}

export interface IdentitiesTable {
  id: string;
  tenant_id: string;
  kind: string;
  display_name: string;
  external_id: string | null;
  /** JSON object of strings. */
  metadata: string;
  created_at: string;
}

export interface ThreadsTable {
  id: string;
  tenant_id: string;
  topic: string;
  /** JSON object of strings, keys sorted, so equal metadata is equal text. */
  metadata: string;
  created_by: string | null;
  created_at: string;
  /** Sequence of the thread's latest event; every change bumps it in its transaction. */
  last_sequence: number;
}

export interface ThreadParticipantsTable {
  tenant_id: string;
  thread_id: string;
  identity_id: string;
  display_name: string;
  joined_sequence: number;
  last_read_sequence: number;
}

export interface MessagesTable {
  id: string;
  tenant_id: string;
  thread_id: string;
  sequence: number;
  sender_id: string;
  sender_display_name: string;
  content: string;
  /** JSON object of strings, keys sorted. */
  metadata: string;
  idempotency_key: string | null;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
  /** JSON `{ attachments, quickReplies, card }`; null when the message has none (and for messages from before 0002). */
  extras: string | null;
}

/** The outbox: every stored thread event, written in the transaction of its change. */
export interface ThreadEventsTable {
  tenant_id: string;
  thread_id: string;
  sequence: number;
  type: string;
  /** The event's data as JSON. */
  data: string;
  created_at: string;
}

/** Deployment-wide values the server keeps, such as generated signing secrets. */
export interface SettingsTable {
  name: string;
  value: string;
}

export interface AttachmentsTable {
  id: string;
  tenant_id: string;
  thread_id: string;
  uploader_id: string;
  file_name: string;
  content_type: string;
  size: number;
  created_at: string;
}

export interface CustomersTable {
  id: string;
  tenant_id: string;
  name: string;
  /** Lowercase. */
  email: string | null;
  phone: string | null;
  external_id: string | null;
  /** JSON object of strings, keys sorted. */
  attributes: string;
  /** Name, email and external id, lowercased, one per line: what the list's `query` searches. */
  search_text: string;
  created_at: string;
  updated_at: string;
}

export interface FaqEntriesTable {
  id: string;
  tenant_id: string;
  question: string;
  answer: string;
  /** JSON array of strings. */
  alternatives: string;
  created_at: string;
  updated_at: string;
}

export interface BotSettingsTable {
  tenant_id: string;
  /** The tenant's `BotSettings` as JSON. */
  settings: string;
  updated_at: string;
}

export interface EntryPointsTable {
  id: string;
  tenant_id: string;
  name: string;
  channel: string;
  bot_identity_id: string | null;
  greeting: string;
  /** JSON `BusinessHours`; null when always open. */
  business_hours: string | null;
  after_hours_message: string;
  handoff_queue: string;
  /** JSON array of origins. */
  allowed_origins: string;
  /** 0 or 1 (SQLite has no booleans). */
  enabled: number;
  created_at: string;
  updated_at: string;
}

export interface ConversationsTable {
  id: string;
  tenant_id: string;
  thread_id: string;
  channel: string;
  entry_point_id: string;
  customer_identity_id: string;
  customer_id: string | null;
  /** 0 or 1. */
  verified: number;
  status: string;
  intent: string | null;
  queue: string;
  /** JSON `Handoff`, or null. */
  handoff: string | null;
  /** The bot's state as JSON (`null` included). */
  bot_state: string;
  created_at: string;
  updated_at: string;
  awaiting_since: string | null;
  resolved_at: string | null;
  /** The agent (identity) handling it; null before 0003. */
  agent_id: string | null;
  wrap_up_code: string | null;
  /** Sequence of the latest timeline event; a change that records an event bumps it in its transaction. */
  last_sequence: number;
}

/** The timeline outbox: every conversation event, written in the transaction of its change. */
export interface ConversationEventsTable {
  tenant_id: string;
  conversation_id: string;
  sequence: number;
  type: string;
  /** The event's data as JSON. */
  data: string;
  created_at: string;
}

export interface WidgetSessionsTable {
  id: string;
  tenant_id: string;
  entry_point_id: string;
  identity_id: string;
  secret_digest: string;
  created_at: string;
}

export interface VerificationChallengesTable {
  id: string;
  tenant_id: string;
  conversation_id: string;
  customer_id: string;
  code_digest: string;
  attempts: number;
  expires_at: string;
  locked_until: string | null;
  verified_at: string | null;
  created_at: string;
}

export interface QueuesTable {
  id: string;
  tenant_id: string;
  /** Unique in the tenant. */
  name: string;
  distribution: string;
  alert_seconds: number;
  wrap_up_seconds: number;
  /** JSON array of worker ids. */
  serial_order: string;
  /** JSON `{ threshold, target }`, or null. */
  overflow: string | null;
  /** JSON `{ seconds, target }`, or null. */
  timeout: string | null;
  /** JSON `{ when, target }`, or null. */
  no_agents: string | null;
  /** JSON array of strings. */
  wrap_up_codes: string;
  service_level_seconds: number;
  created_at: string;
  updated_at: string;
  /** JSON `CallQueueSettings`: what a phone caller waiting in the queue hears (0007; the defaults before). */
  call_settings: string;
}

/** An agent's routing record, keyed by (tenant, identity). */
export interface WorkersTable {
  tenant_id: string;
  identity_id: string;
  user_id: string;
  /** The `WorkerSettings` as JSON. */
  settings: string;
  presence: string;
  presence_since: string;
  updated_at: string;
}

/** The routing engine's saved state: one row per tenant. */
export interface RoutingStateTable {
  tenant_id: string;
  /** The engine's snapshot as JSON (`null` included); SQL null until the first save. */
  snapshot: string | null;
  /** When the snapshot was saved; null until then. */
  updated_at: string | null;
  /** Position of the tenant's latest routing event; an append bumps it in its transaction. */
  last_position: number;
}

/** The routing log: the engine's events per tenant, numbered 1, 2, ... in append order. */
export interface RoutingEventsTable {
  tenant_id: string;
  position: number;
  type: string;
  subject: string | null;
  /** The event's data as JSON. */
  data: string;
  at: string;
}

export interface PhoneNumbersTable {
  id: string;
  tenant_id: string;
  /** Unique across tenants: one number belongs to one tenant. */
  e164: string;
  label: string;
  /** JSON `NumberEntry` (`{ kind: "flow", flow }`). */
  entry: string;
  trunk_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface TrunksTable {
  id: string;
  tenant_id: string;
  /** Unique in the tenant. */
  name: string;
  /** JSON `{ allowList, digest: { username, ha1 } | null }`. */
  inbound: string;
  /** JSON `{ host, port, transport, digest: { username, password } | null, callerIdPolicy }`, or null. */
  outbound: string | null;
  /** 0 or 1. */
  byoc: number;
  /** 0 or 1. */
  enabled: number;
  created_at: string;
  updated_at: string;
}

export interface SipAccountsTable {
  id: string;
  tenant_id: string;
  /** Unique across tenants. */
  username: string;
  /** Unique in the tenant. */
  extension: string;
  display_name: string;
  user_id: string | null;
  /** MD5(username:realm:password), hex. */
  ha1: string;
  created_at: string;
  updated_at: string;
}

export interface CallRecordsTable {
  id: string;
  tenant_id: string;
  direction: string;
  from_party: string;
  to_party: string;
  number_id: string | null;
  trunk_id: string | null;
  /** The flow's name. */
  entry: string | null;
  state: string;
  result: string | null;
  /** JSON `{ by, status?, reason }`, or null. */
  hangup_cause: string | null;
  started_at: string;
  answered_at: string | null;
  ended_at: string | null;
  duration_ms: number | null;
  /** JSON array of recording ids. */
  recording_ids: string;
  /** Sequence of the call's latest event; an append bumps it in its transaction. */
  last_sequence: number;
}

export interface CallLegsTable {
  id: string;
  tenant_id: string;
  call_id: string;
  role: string;
  party: string;
  sip_call_id: string;
  protocol: string;
  started_at: string;
  answered_at: string | null;
  ended_at: string | null;
  /** JSON `{ by, status?, reason }`, or null. */
  end_reason: string | null;
}

/** A call's timeline, numbered 1, 2, ... per call. */
export interface CallEventsTable {
  tenant_id: string;
  call_id: string;
  sequence: number;
  type: string;
  /** The event's data as JSON. */
  data: string;
  at: string;
}

/** The current version of each auto attendant. */
export interface AutoAttendantsTable {
  id: string;
  tenant_id: string;
  /** Unique in the tenant. */
  name: string;
  version: number;
  /** JSON of the settings but the name: voice, schedule, flows, operator, speech input, input policies. */
  config: string;
  created_at: string;
  /** When the current version was published. */
  updated_at: string;
}

/** Every published version of each auto attendant, the current one included. */
export interface AutoAttendantVersionsTable {
  tenant_id: string;
  auto_attendant_id: string;
  version: number;
  name: string;
  /** As `auto_attendants.config`. */
  config: string;
  created_at: string;
  /** When this version was published. */
  updated_at: string;
}

export interface MailboxesTable {
  id: string;
  tenant_id: string;
  /** Unique in the tenant. */
  name: string;
  /** Unique in the tenant when set; null: a shared mailbox. */
  owner_user_id: string | null;
  /** JSON announcement, or null. */
  greeting: string | null;
  max_message_seconds: number;
  pin_hash: string | null;
  /** JSON array of email addresses. */
  notify_emails: string;
  created_at: string;
  updated_at: string;
}

export interface VoicemailMessagesTable {
  id: string;
  tenant_id: string;
  mailbox_id: string;
  call_id: string;
  caller: string;
  recording_id: string;
  duration_ms: number;
  transcript: string | null;
  /** 0 or 1. */
  heard: number;
  created_at: string;
}

export interface RecordingsTable {
  id: string;
  tenant_id: string;
  /** `call`, `message` or `upload`. */
  kind: string;
  call_id: string | null;
  duration_ms: number;
  created_at: string;
}

export interface RecordingRetentionsTable {
  tenant_id: string;
  days: number;
}

/**
 * Registered phones' bindings (the registrar's location service), one row per contact of an address of
 * record. Times are numbers on the registrar's clock (epoch milliseconds in the server), not ISO text: the
 * registrar compares them as it wrote them.
 */
export interface SipBindingsTable {
  aor: string;
  contact: string;
  /** The binding's place in its AOR's list, from 0. */
  position: number;
  call_id: string;
  cseq: number;
  expires_at: number;
  registered_at: number;
  q: number | null;
  /** `udp` or `tcp`. */
  source_protocol: string;
  source_address: string;
  source_port: number;
  username: string | null;
  instance: string | null;
  user_agent: string | null;
}

export interface Database {
  tenants: TenantsTable;
  users: UsersTable;
  api_keys: ApiKeysTable;
  identities: IdentitiesTable;
  threads: ThreadsTable;
  thread_participants: ThreadParticipantsTable;
  messages: MessagesTable;
  thread_events: ThreadEventsTable;
  settings: SettingsTable;
  attachments: AttachmentsTable;
  customers: CustomersTable;
  faq_entries: FaqEntriesTable;
  bot_settings: BotSettingsTable;
  entry_points: EntryPointsTable;
  conversations: ConversationsTable;
  conversation_events: ConversationEventsTable;
  widget_sessions: WidgetSessionsTable;
  verification_challenges: VerificationChallengesTable;
  queues: QueuesTable;
  workers: WorkersTable;
  routing_state: RoutingStateTable;
  routing_events: RoutingEventsTable;
  phone_numbers: PhoneNumbersTable;
  trunks: TrunksTable;
  sip_accounts: SipAccountsTable;
  call_records: CallRecordsTable;
  call_legs: CallLegsTable;
  call_events: CallEventsTable;
  organizations: OrganizationsTable;
  queue_organizations: QueueOrganizationsTable;
  auto_attendants: AutoAttendantsTable;
  auto_attendant_versions: AutoAttendantVersionsTable;
  mailboxes: MailboxesTable;
  voicemail_messages: VoicemailMessagesTable;
  recordings: RecordingsTable;
  recording_retentions: RecordingRetentionsTable;
  sip_bindings: SipBindingsTable;
}
