import { MemoryAttachmentStore } from "./memory-attachment-store.js";
import { MemoryAutoAttendantStore } from "./memory-auto-attendant-store.js";
import { MemoryCallRecordStore } from "./memory-call-record-store.js";
import { MemoryChatStore } from "./memory-chat-store.js";
import { MemoryConversationStore } from "./memory-conversation-store.js";
import { MemoryCustomerStore } from "./memory-customer-store.js";
import { MemoryEntryPointStore } from "./memory-entry-point-store.js";
import { MemoryIdentityStore } from "./memory-identity-store.js";
import { MemoryKnowledgeStore } from "./memory-knowledge-store.js";
import { MemoryOrganizationStore } from "./memory-organization-store.js";
import { MemoryPhoneNumberStore } from "./memory-phone-number-store.js";
import { MemoryQueueStore } from "./memory-queue-store.js";
import { MemoryRecordingCatalog } from "./memory-recording-catalog.js";
import { MemoryRoutingStateStore } from "./memory-routing-state-store.js";
import { MemorySipAccountStore } from "./memory-sip-account-store.js";
import { MemoryTrunkStore } from "./memory-trunk-store.js";
import { MemoryVerificationStore } from "./memory-verification-store.js";
import { MemoryVoicemailStore } from "./memory-voicemail-store.js";
import { MemoryWorkerStore } from "./memory-worker-store.js";
import type { StoreFixture } from "./store-contracts.js";

/**
 * Every in-memory store, wired like one database: rows of the new stores must name a tenant of
 * `identities` (the SQL tables' foreign key). For unit tests of use cases, and the contracts' `make`.
 */
export function createMemoryStores(): StoreFixture {
  // Users name an organization and organizations count their users: each store reaches the other lazily.
  const identities: MemoryIdentityStore = new MemoryIdentityStore({
    organizations: { getOrganization: (tenantId, id) => organizations.getOrganization(tenantId, id) },
  });
  const options = { tenants: identities };
  const organizations = new MemoryOrganizationStore({ ...options, users: identities });
  return {
    identities,
    organizations,
    chat: new MemoryChatStore(),
    attachments: new MemoryAttachmentStore(options),
    customers: new MemoryCustomerStore(options),
    knowledge: new MemoryKnowledgeStore(options),
    entryPoints: new MemoryEntryPointStore(options),
    conversations: new MemoryConversationStore(options),
    verifications: new MemoryVerificationStore(options),
    queues: new MemoryQueueStore({ ...options, organizations }),
    workers: new MemoryWorkerStore(options),
    routing: new MemoryRoutingStateStore(options),
    phoneNumbers: new MemoryPhoneNumberStore(options),
    trunks: new MemoryTrunkStore(options),
    sipAccounts: new MemorySipAccountStore(options),
    callRecords: new MemoryCallRecordStore(options),
    autoAttendants: new MemoryAutoAttendantStore(options),
    voicemail: new MemoryVoicemailStore(options),
    recordingCatalog: new MemoryRecordingCatalog(options),
    close: async () => {},
  };
}
