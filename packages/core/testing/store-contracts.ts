import { type AttachmentStoreFixture, attachmentStoreContract } from "./attachment-store.contract.js";
import { type AutoAttendantStoreFixture, autoAttendantStoreContract } from "./auto-attendant-store.contract.js";
import { type CallRecordStoreFixture, callRecordStoreContract } from "./call-record-store.contract.js";
import { type ChatStoreFixture, chatStoreContract } from "./chat-store.contract.js";
import { type ConversationStoreFixture, conversationStoreContract } from "./conversation-store.contract.js";
import { type CustomerStoreFixture, customerStoreContract } from "./customer-store.contract.js";
import { type EntryPointStoreFixture, entryPointStoreContract } from "./entry-point-store.contract.js";
import { type IdentityStoreFixture, identityStoreContract } from "./identity-store.contract.js";
import { type KnowledgeStoreFixture, knowledgeStoreContract } from "./knowledge-store.contract.js";
import { type OrganizationStoreFixture, organizationStoreContract } from "./organization-store.contract.js";
import { type PhoneNumberStoreFixture, phoneNumberStoreContract } from "./phone-number-store.contract.js";
import { type QueueStoreFixture, queueStoreContract } from "./queue-store.contract.js";
import { type RecordingCatalogFixture, recordingCatalogContract } from "./recording-catalog.contract.js";
import { type RoutingStateStoreFixture, routingStateStoreContract } from "./routing-state-store.contract.js";
import { type SipAccountStoreFixture, sipAccountStoreContract } from "./sip-account-store.contract.js";
import { type TrunkStoreFixture, trunkStoreContract } from "./trunk-store.contract.js";
import { type VerificationStoreFixture, verificationStoreContract } from "./verification-store.contract.js";
import { type VoicemailStoreFixture, voicemailStoreContract } from "./voicemail-store.contract.js";
import { type WorkerStoreFixture, workerStoreContract } from "./worker-store.contract.js";

/** Every store of one implementation, fresh and empty (migrated), sharing one database; `close` releases it. */
export interface StoreFixture
  extends IdentityStoreFixture,
    ChatStoreFixture,
    AttachmentStoreFixture,
    CustomerStoreFixture,
    KnowledgeStoreFixture,
    EntryPointStoreFixture,
    ConversationStoreFixture,
    VerificationStoreFixture,
    QueueStoreFixture,
    WorkerStoreFixture,
    RoutingStateStoreFixture,
    PhoneNumberStoreFixture,
    TrunkStoreFixture,
    SipAccountStoreFixture,
    CallRecordStoreFixture,
    OrganizationStoreFixture,
    AutoAttendantStoreFixture,
    VoicemailStoreFixture,
    RecordingCatalogFixture {}

/** Runs every store contract against one implementation; `make` is called once per test. */
export function storeContracts(name: string, make: () => Promise<StoreFixture>): void {
  identityStoreContract(name, make);
  chatStoreContract(name, make);
  attachmentStoreContract(name, make);
  customerStoreContract(name, make);
  knowledgeStoreContract(name, make);
  entryPointStoreContract(name, make);
  conversationStoreContract(name, make);
  verificationStoreContract(name, make);
  queueStoreContract(name, make);
  workerStoreContract(name, make);
  routingStateStoreContract(name, make);
  phoneNumberStoreContract(name, make);
  trunkStoreContract(name, make);
  sipAccountStoreContract(name, make);
  callRecordStoreContract(name, make);
  organizationStoreContract(name, make);
  autoAttendantStoreContract(name, make);
  voicemailStoreContract(name, make);
  recordingCatalogContract(name, make);
}
