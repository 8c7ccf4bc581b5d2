import type { CallTarget } from "../flows/model.js";

/**
 * Telephony configuration as the tenant sets it up: the phone numbers that reach it, the SIP trunks that
 * carry its calls, and its agents' SIP phone accounts. The SIP server reads these through the stores.
 */

/** E.164: a plus, then up to 15 digits, not starting with 0 (`+15550100`). */
export const E164_PATTERN = /^\+[1-9]\d{1,14}$/;
export const isE164 = (text: string): boolean => E164_PATTERN.test(text);

/**
 * What answers a number: a built-in flow by name (`demo`), or any call target: an auto attendant, a call
 * queue, a person, a shared voicemail, an external number (a forward), or a hang-up.
 */
export type NumberEntry = { readonly kind: "flow"; readonly flow: string } | CallTarget;

export interface PhoneNumber {
  readonly id: string;
  readonly tenantId: string;
  /** Unique across the deployment: one number belongs to one tenant. */
  readonly e164: string;
  readonly label: string;
  readonly entry: NumberEntry;
  /** The tenant's own (BYOC) trunk the number arrives on; null: the platform's carrier. */
  readonly trunkId: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export type SipTransportKind = "udp" | "tcp";

/** What the called party sees as the caller on an outbound call. */
export type CallerIdPolicy =
  /** The caller id of the call that is being bridged out, unchanged. */
  | { readonly kind: "pass-through" }
  | { readonly kind: "fixed"; readonly e164: string }
  /** One of the tenant's own numbers (the one the call came in on, else its first). */
  | { readonly kind: "tenant-number" };

/** Credentials a carrier proves itself with (we challenge). Only HA1 = MD5(username:realm:password) is kept. */
export interface InboundDigest {
  readonly username: string;
  readonly ha1: string;
}

/**
 * Credentials we answer a carrier's challenge with. The password is kept because a challenge needs it
 * (its nonce and realm are the carrier's); it is never returned by the API.
 */
export interface OutboundDigest {
  readonly username: string;
  readonly password: string;
}

export interface TrunkInbound {
  /** Source addresses (CIDR, IPv4 or IPv6; a bare address is a /32 or /128) whose calls the trunk accepts. */
  readonly allowList: readonly string[];
  /** When set, calls must also pass a digest challenge. */
  readonly digest: InboundDigest | null;
}

export interface TrunkOutbound {
  readonly host: string;
  readonly port: number;
  readonly transport: SipTransportKind;
  readonly digest: OutboundDigest | null;
  readonly callerIdPolicy: CallerIdPolicy;
}

/** A SIP trunk: how calls come in from (and go out to) a carrier or a PBX. */
export interface Trunk {
  readonly id: string;
  readonly tenantId: string;
  /** Unique in the tenant. */
  readonly name: string;
  readonly inbound: TrunkInbound;
  /** Null: the trunk only brings calls in. */
  readonly outbound: TrunkOutbound | null;
  /** The tenant's own carrier ("bring your own carrier"), rather than one the platform provides. */
  readonly byoc: boolean;
  readonly enabled: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** An agent's SIP phone login for the registrar. */
export interface SipAccount {
  readonly id: string;
  readonly tenantId: string;
  /** Unique across the deployment: the registrar knows the tenant by it. */
  readonly username: string;
  /** Unique in the tenant: what a flow dials to reach the phone. */
  readonly extension: string;
  readonly displayName: string;
  /** The console user the phone belongs to, if any. */
  readonly userId: string | null;
  /** MD5(username:realm:password) for the deployment's SIP realm; the password itself is never kept. */
  readonly ha1: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export const SIP_USERNAME_PATTERN = /^[a-zA-Z0-9._-]{1,64}$/;
export const EXTENSION_PATTERN = /^\d{2,8}$/;
export const MIN_SIP_PASSWORD_LENGTH = 8;
export const DEFAULT_SIP_REALM = "switchboard";

/** Where a phone's REGISTER really came from: the address a NATed phone is reachable at (RFC 5626's flow, lite). */
export interface SipBindingSource {
  readonly protocol: SipTransportKind;
  readonly address: string;
  readonly port: number;
}

/**
 * One contact of a SIP address of record (RFC 3261 §10.3): where a registered phone is called. Not tenant
 * data by itself: the AOR is `sip:<username>@<realm>`, and usernames are unique across tenants.
 */
export interface SipBinding {
  /** Canonical address of record (`sip:1001@switchboard`). */
  readonly aor: string;
  /** The Contact URI as the phone registered it; distinct among one AOR's bindings. */
  readonly contact: string;
  readonly callId: string;
  readonly cseq: number;
  /**
   * On the registrar's clock, in milliseconds: wall time (epoch ms) wherever the bindings outlive the
   * process or are shared by nodes, as in the server; tests may use a manual clock.
   */
  readonly expiresAt: number;
  /** On the same clock. */
  readonly registeredAt: number;
  /** Preference among the contacts of one AOR, 0 to 1 (the Contact's `q`). */
  readonly q?: number;
  readonly source: SipBindingSource;
  /** The account that registered it. */
  readonly username?: string;
  /** RFC 5626 `+sip.instance`, when the phone sent one. */
  readonly instance?: string;
  readonly userAgent?: string;
}
