import type { PhoneNumber, SipAccount, SipBinding, Trunk } from "./model.js";

/** The tenants' phone numbers. */
export interface PhoneNumberStore {
  /** Fails with `phone_number.taken` when any tenant has the number, `tenant.not_found` for an unknown tenant. */
  createPhoneNumber(number: PhoneNumber): Promise<PhoneNumber>;
  /** Replaces everything but `createdAt`; fails with `phone_number.not_found` or `phone_number.taken`. */
  updatePhoneNumber(number: PhoneNumber): Promise<PhoneNumber>;
  deletePhoneNumber(tenantId: string, id: string): Promise<boolean>;
  getPhoneNumber(tenantId: string, id: string): Promise<PhoneNumber | undefined>;
  /** By number, across tenants on purpose: an incoming call names only the number it is for. */
  findByE164(e164: string): Promise<PhoneNumber | undefined>;
  /** By number. */
  listPhoneNumbers(tenantId: string): Promise<readonly PhoneNumber[]>;
}

/** The tenants' SIP trunks. */
export interface TrunkStore {
  /** Fails with `trunk.name_taken` when the tenant has a trunk of that name, `tenant.not_found` for an unknown tenant. */
  createTrunk(trunk: Trunk): Promise<Trunk>;
  /** Replaces everything but `createdAt`; fails with `trunk.not_found` or `trunk.name_taken`. */
  updateTrunk(trunk: Trunk): Promise<Trunk>;
  deleteTrunk(tenantId: string, id: string): Promise<boolean>;
  getTrunk(tenantId: string, id: string): Promise<Trunk | undefined>;
  /** By name. */
  listTrunks(tenantId: string): Promise<readonly Trunk[]>;
  /** Every tenant's trunks, by tenant then name: the SIP server matches a request's source address against them. */
  listAllTrunks(): Promise<readonly Trunk[]>;
}

/** Agents' SIP phone accounts. */
export interface SipAccountStore {
  /**
   * Fails with `sip_account.username_taken` (any tenant), `sip_account.extension_taken` (this tenant),
   * or `tenant.not_found`.
   */
  createSipAccount(account: SipAccount): Promise<SipAccount>;
  /** Replaces everything but `createdAt`; fails with `sip_account.not_found` or either `*_taken`. */
  updateSipAccount(account: SipAccount): Promise<SipAccount>;
  deleteSipAccount(tenantId: string, id: string): Promise<boolean>;
  getSipAccount(tenantId: string, id: string): Promise<SipAccount | undefined>;
  /** By username, across tenants on purpose: a REGISTER names only the username (the account names the tenant). */
  findByUsername(username: string): Promise<SipAccount | undefined>;
  findByExtension(tenantId: string, extension: string): Promise<SipAccount | undefined>;
  /** The phone linked to the console user; of several, the one with the first extension (as `listSipAccounts` orders). */
  findByUser(tenantId: string, userId: string): Promise<SipAccount | undefined>;
  /** By extension. */
  listSipAccounts(tenantId: string): Promise<readonly SipAccount[]>;
}

/**
 * The registrar's location service: where registered phones' bindings are kept (in memory for tests, the
 * database in the server, so registrations survive a restart and every node sees them). A registrar changes
 * the bindings of one address of record all at once (RFC 3261 §10.3 step 7: a REGISTER succeeds or fails as
 * a whole), so the port is a read and a replace of one AOR's set; the registrar serializes its own changes
 * per AOR. Expired bindings are not removed by the store: the registrar filters them by `expiresAt` and
 * removes them (see its `resume`).
 */
export interface SipLocationStore {
  /** Bindings of an address of record, in the order last written; expired ones possibly included. */
  bindings(aor: string): Promise<readonly SipBinding[]>;
  /** Sets the bindings of an address of record, all or nothing (an empty list removes it). */
  replace(aor: string, bindings: readonly SipBinding[]): Promise<void>;
  /** Addresses of record with at least one binding, expired ones possibly included (for sweeps and tests). */
  addresses(): Promise<readonly string[]>;
}

/** The hash SIP digest authentication is built on (RFC 2617/3261: MD5). */
export interface DigestHash {
  /** MD5 of the UTF-8 text, as 32 lowercase hex digits. */
  md5(text: string): string;
}
