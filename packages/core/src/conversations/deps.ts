import type { ChatDeps } from "../chat/deps.js";
import type { CustomerStore } from "../customers/ports.js";
import type { IdentityDeps } from "../identity/deps.js";
import type { QueueStore } from "../queues/ports.js";
import type { ConversationEventPublisher, ConversationStore, EntryPointStore } from "./ports.js";

export interface ConversationDeps {
  readonly chat: ChatDeps;
  readonly identity: IdentityDeps;
  readonly conversations: ConversationStore;
  readonly entryPoints: EntryPointStore;
  readonly customers: Pick<CustomerStore, "getCustomer">;
  /** The queues a user of an agent organization may see, and so their conversations. */
  readonly queues: Pick<QueueStore, "listQueues">;
  readonly events: ConversationEventPublisher;
  /** How long a widget visitor's access token lives, in minutes (the widget renews it with its session). */
  readonly widgetTokenMinutes: number;
}
