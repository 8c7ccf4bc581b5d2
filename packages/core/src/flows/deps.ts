import type { RecordingStore } from "../calls/media.js";
import type { IdentityStore, PasswordHasher } from "../identity/ports.js";
import type { Clock } from "../kernel/clock.js";
import type { IdGenerator } from "../kernel/ids.js";
import type { QueueStore } from "../queues/ports.js";
import type { PhoneNumberStore } from "../telephony/ports.js";
import type { AutoAttendantStore, VoicemailStore } from "./ports.js";

/** What the admin's use cases of call flows need: auto attendants, mailboxes and their messages. */
export interface FlowDeps {
  readonly autoAttendants: AutoAttendantStore;
  readonly voicemail: VoicemailStore;
  /** Where a target's queue is checked to exist, and which queues point at an attendant or mailbox. */
  readonly queues: Pick<QueueStore, "getQueue" | "listQueues">;
  /** Where a personal mailbox's owner is checked to be a user of the tenant. */
  readonly users: Pick<IdentityStore, "getUser">;
  /** Hashes mailbox PINs (scrypt in production): a PIN is never stored or returned. */
  readonly passwords: Pick<PasswordHasher, "hash">;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Numbers whose entry may name an attendant or mailbox (neither is deleted while one does); without it, not checked. */
  readonly phoneNumbers?: Pick<PhoneNumberStore, "listPhoneNumbers">;
  /**
   * Where voicemail audio is kept: a message's recording goes with the message, and a mailbox's messages'
   * with the mailbox. Without it, the audio stays. Deleting one that is not there is no error.
   */
  readonly recordings?: Pick<RecordingStore, "delete">;
}
