import type {
  AttachmentDeps,
  BotSettings,
  ChatDeps,
  ConversationDeps,
  CustomerDeps,
  IdentityDeps,
  KnowledgeDeps,
} from "@switchboard/core";
import type { Authenticator } from "./auth.js";

/** What the HTTP routes need: the core's dependencies, wired by the composition root. */
export interface RouteContext {
  readonly identity: IdentityDeps;
  readonly chat: ChatDeps;
  readonly conversation: ConversationDeps;
  readonly customers: CustomerDeps;
  readonly knowledge: KnowledgeDeps;
  readonly attachments: AttachmentDeps;
  /** The bot settings a tenant has until it saves its own. */
  readonly defaultBotSettings: BotSettings;
  readonly authenticator: Authenticator;
}
