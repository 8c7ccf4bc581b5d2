import type { ChatDeps } from "../chat/deps.js";
import type { CustomerStore } from "../customers/ports.js";
import type { IdentityDeps } from "../identity/deps.js";
import type { ConversationEventPublisher, ConversationStore, EntryPointStore } from "./ports.js";

export interface ConversationDeps {
  readonly chat: ChatDeps;
  readonly identity: IdentityDeps;
  readonly conversations: ConversationStore;
  readonly entryPoints: EntryPointStore;
  readonly customers: Pick<CustomerStore, "getCustomer">;
  readonly events: ConversationEventPublisher;
  /** How long a widget visitor's access token lives, in minutes (the widget renews it with its session). */
  readonly widgetTokenMinutes: number;
}
