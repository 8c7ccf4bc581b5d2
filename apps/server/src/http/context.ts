import type {
  AttachmentDeps,
  BotSettings,
  CallRecordDeps,
  CallTarget,
  ChatDeps,
  ConversationDeps,
  CustomerDeps,
  FlowDeps,
  IdentityDeps,
  KnowledgeDeps,
  LiveCalls,
  OrganizationDeps,
  QueueDeps,
  RecordingLibraryDeps,
  RoutingStateStore,
  TelephonyDeps,
} from "@switchboard/core";
import type { BlobRecordingStore } from "../adapters/blob-recording-store.js";
import type { Routing } from "../routing/routing.js";
import type { Authenticator } from "./auth.js";

/** What the HTTP routes need: the core's dependencies, wired by the composition root. */
export interface RouteContext {
  readonly identity: IdentityDeps;
  readonly chat: ChatDeps;
  readonly conversation: ConversationDeps;
  readonly customers: CustomerDeps;
  readonly knowledge: KnowledgeDeps;
  readonly attachments: AttachmentDeps;
  readonly queues: QueueDeps;
  readonly organizations: OrganizationDeps;
  readonly routing: Routing;
  /** The routing log, for the "why" of a conversation's routing. */
  readonly routingLog: Pick<RoutingStateStore, "listEventsAbout">;
  /** The bot settings a tenant has until it saves its own. */
  readonly defaultBotSettings: BotSettings;
  /** Numbers, trunks and SIP accounts; call records. */
  readonly telephony: TelephonyDeps;
  readonly callRecords: CallRecordDeps;
  /** Auto attendants, mailboxes and voicemail messages. */
  readonly flows: FlowDeps;
  /** The recordings' catalog and retention. */
  readonly recordingLibrary: RecordingLibraryDeps;
  /** Calls connected now, to control them. */
  readonly liveCalls: LiveCalls<CallTarget>;
  /** Recordings made on calls, as WAV. */
  readonly recordings: Pick<BlobRecordingStore, "wav" | "save">;
  readonly authenticator: Authenticator;
}
