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
  created_at: string;
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
}
