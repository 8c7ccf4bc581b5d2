import type { IdentityStore } from "../identity/ports.js";
import type { Clock } from "../kernel/clock.js";
import type { IdGenerator } from "../kernel/ids.js";
import type { DigestHash, PhoneNumberStore, SipAccountStore, TrunkStore } from "./ports.js";

export type TelephonyConfigKind = "phone_numbers" | "trunks" | "sip_accounts";

export interface TelephonyDeps {
  readonly phoneNumbers: PhoneNumberStore;
  readonly trunks: TrunkStore;
  readonly sipAccounts: SipAccountStore;
  /** Where a SIP account's `userId` is checked. */
  readonly users: Pick<IdentityStore, "getUser">;
  readonly digest: DigestHash;
  /**
   * The deployment's SIP realm (default `switchboard`): HA1s are computed for it, so the registrar must
   * challenge with the same realm; changing it means resetting every SIP account's password.
   */
  readonly sipRealm?: string;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Told when a tenant's numbers, trunks or SIP accounts change (the SIP server may cache them). */
  readonly onTelephonyChanged?: (tenantId: string, what: TelephonyConfigKind) => void;
}
