import type { AttachmentStore } from "../attachments/ports.js";
import type { IdentityStore } from "../identity/ports.js";
import type { Clock } from "../kernel/clock.js";
import type { IdGenerator } from "../kernel/ids.js";
import type { ChatStore, ThreadEventPublisher } from "./ports.js";

export interface ChatDeps {
  readonly chat: ChatStore;
  readonly identities: Pick<IdentityStore, "getIdentity">;
  /** To attach uploaded files to messages. */
  readonly attachmentStore: Pick<AttachmentStore, "getAttachment">;
  readonly publisher: ThreadEventPublisher;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}
