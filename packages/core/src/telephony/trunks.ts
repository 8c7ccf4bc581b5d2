import { requireAdmin } from "../identity/authorize.js";
import type { Principal } from "../identity/model.js";
import { DomainError, type FieldIssue, notFound } from "../kernel/domain-error.js";
import { cidrContains, isValidCidr, parseIp } from "./cidr.js";
import type { TelephonyDeps } from "./deps.js";
import {
  type CallerIdPolicy,
  DEFAULT_SIP_REALM,
  type InboundDigest,
  isE164,
  MIN_SIP_PASSWORD_LENGTH,
  type OutboundDigest,
  type SipTransportKind,
  type Trunk,
  type TrunkInbound,
  type TrunkOutbound,
} from "./model.js";
import { sipHa1 } from "./sip-accounts.js";

/** Credentials as an admin gives them: a password, or none to keep the one the trunk has. */
export interface DigestInput {
  readonly username: string;
  readonly password?: string;
}

export interface TrunkInput {
  readonly name: string;
  readonly inbound?: { readonly allowList?: readonly string[]; readonly digest?: DigestInput | null };
  readonly outbound?: {
    readonly host: string;
    readonly port?: number;
    readonly transport?: SipTransportKind;
    readonly digest?: DigestInput | null;
    readonly callerIdPolicy?: CallerIdPolicy;
  } | null;
  readonly byoc?: boolean;
  readonly enabled?: boolean;
}

/** Each part given replaces that part (`inbound` and `outbound` as a whole); passwords left out are kept. */
export type TrunkPatch = Partial<TrunkInput>;

const HOST_NAME =
  /^(?=.{1,253}$)[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const DIGEST_USERNAME = /^[^\s":\\]{1,128}$/;

const invalid = (code: string, message: string, fields: FieldIssue[]) => new DomainError(code, "invalid", message, fields);

function checkUsername(field: string, username: string): void {
  if (!DIGEST_USERNAME.test(username)) {
    throw invalid("trunk.invalid_digest", "A digest username is 1-128 characters without spaces, quotes or colons.", [
      { field, message: "1-128 characters, no spaces, quotes, colons or backslashes" },
    ]);
  }
}

function inboundOf(deps: TelephonyDeps, input: TrunkInput["inbound"], existing: TrunkInbound | undefined): TrunkInbound {
  const allowList = [...(input?.allowList ?? [])].map((c) => c.trim());
  const bad = allowList.flatMap((cidr, i) =>
    isValidCidr(cidr)
      ? []
      : [{ field: `inbound.allowList.${i}`, message: `${cidr} is not an IPv4 or IPv6 address or CIDR block` }],
  );
  if (bad.length > 0) throw invalid("trunk.invalid_cidr", "The allow list has entries that are not CIDR blocks.", bad);
  const given = input?.digest ?? null;
  let digest: InboundDigest | null = null;
  if (given) {
    checkUsername("inbound.digest.username", given.username);
    if (given.password !== undefined) {
      if (given.password.length < MIN_SIP_PASSWORD_LENGTH) {
        throw invalid("trunk.weak_password", `A password has at least ${MIN_SIP_PASSWORD_LENGTH} characters.`, [
          { field: "inbound.digest.password", message: `at least ${MIN_SIP_PASSWORD_LENGTH} characters` },
        ]);
      }
      digest = {
        username: given.username,
        ha1: sipHa1(deps.digest, given.username, deps.sipRealm ?? DEFAULT_SIP_REALM, given.password),
      };
    } else if (existing?.digest && existing.digest.username === given.username) {
      // HA1 binds the username: only the same username keeps it.
      digest = existing.digest;
    } else {
      throw invalid("trunk.password_required", "New inbound credentials need a password.", [
        { field: "inbound.digest.password", message: "required for a new username" },
      ]);
    }
  }
  return { allowList, digest };
}

function outboundOf(input: TrunkInput["outbound"], existing: TrunkOutbound | null | undefined): TrunkOutbound | null {
  if (!input) return null;
  const host = input.host.trim();
  if (!HOST_NAME.test(host) && !parseIp(host)) {
    throw invalid("trunk.invalid_host", `${host} is not a host name or an IP address.`, [
      { field: "outbound.host", message: "a host name or an IP address" },
    ]);
  }
  const port = input.port ?? 5060;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw invalid("trunk.invalid_port", "A port is 1 to 65535.", [{ field: "outbound.port", message: "1 to 65535" }]);
  }
  const callerIdPolicy = input.callerIdPolicy ?? { kind: "pass-through" };
  if (callerIdPolicy.kind === "fixed" && !isE164(callerIdPolicy.e164)) {
    throw invalid("trunk.invalid_caller_id", `${callerIdPolicy.e164} is not an E.164 number.`, [
      { field: "outbound.callerIdPolicy.e164", message: "a plus and 2 to 15 digits, e.g. +15550100" },
    ]);
  }
  const given = input.digest ?? null;
  let digest: OutboundDigest | null = null;
  if (given) {
    checkUsername("outbound.digest.username", given.username);
    const password = given.password ?? existing?.digest?.password;
    if (password === undefined || password === "") {
      throw invalid("trunk.password_required", "Outbound credentials need a password.", [
        { field: "outbound.digest.password", message: "required" },
      ]);
    }
    digest = { username: given.username, password };
  }
  return { host, port, transport: input.transport ?? "udp", digest, callerIdPolicy };
}

function nameOf(name: string): string {
  const trimmed = name.trim();
  if (trimmed === "" || trimmed.length > 100) {
    throw invalid("trunk.invalid_name", "A trunk needs a name of 1 to 100 characters.", [
      { field: "name", message: "1 to 100 characters" },
    ]);
  }
  return trimmed;
}

const changed = (deps: TelephonyDeps, tenantId: string) => deps.onTelephonyChanged?.(tenantId, "trunks");

export async function createTrunk(deps: TelephonyDeps, principal: Principal, input: TrunkInput): Promise<Trunk> {
  const { tenantId } = requireAdmin(principal);
  const now = deps.clock.now();
  const trunk = await deps.trunks.createTrunk({
    id: deps.ids.next(),
    tenantId,
    name: nameOf(input.name),
    inbound: inboundOf(deps, input.inbound, undefined),
    outbound: outboundOf(input.outbound, undefined),
    byoc: input.byoc ?? false,
    enabled: input.enabled ?? true,
    createdAt: now,
    updatedAt: now,
  });
  changed(deps, tenantId);
  return trunk;
}

export async function getTrunk(deps: TelephonyDeps, principal: Principal, id: string): Promise<Trunk> {
  const { tenantId } = requireAdmin(principal);
  const trunk = await deps.trunks.getTrunk(tenantId, id);
  if (!trunk) throw notFound("trunk", id);
  return trunk;
}

export async function listTrunks(deps: TelephonyDeps, principal: Principal): Promise<readonly Trunk[]> {
  const { tenantId } = requireAdmin(principal);
  return deps.trunks.listTrunks(tenantId);
}

export async function updateTrunk(deps: TelephonyDeps, principal: Principal, id: string, patch: TrunkPatch): Promise<Trunk> {
  const existing = await getTrunk(deps, principal, id);
  const trunk = await deps.trunks.updateTrunk({
    ...existing,
    name: patch.name !== undefined ? nameOf(patch.name) : existing.name,
    inbound: patch.inbound !== undefined ? inboundOf(deps, patch.inbound, existing.inbound) : existing.inbound,
    outbound: patch.outbound !== undefined ? outboundOf(patch.outbound, existing.outbound) : existing.outbound,
    byoc: patch.byoc ?? existing.byoc,
    enabled: patch.enabled ?? existing.enabled,
    updatedAt: deps.clock.now(),
  });
  changed(deps, existing.tenantId);
  return trunk;
}

/** Refused with `trunk.in_use` while a number arrives on the trunk. */
export async function deleteTrunk(deps: TelephonyDeps, principal: Principal, id: string): Promise<void> {
  const { tenantId } = requireAdmin(principal);
  const users = (await deps.phoneNumbers.listPhoneNumbers(tenantId)).filter((n) => n.trunkId === id);
  if (users.length > 0) {
    throw new DomainError(
      "trunk.in_use",
      "conflict",
      `Numbers arrive on this trunk (${users.map((n) => n.e164).join(", ")}); move or delete them first.`,
    );
  }
  if (!(await deps.trunks.deleteTrunk(tenantId, id))) throw notFound("trunk", id);
  changed(deps, tenantId);
}

/**
 * The enabled trunks whose allow list has the source address: the SIP server's first check of a request
 * from a carrier (`listAllTrunks()` across tenants, then this). Digest-only trunks are not matched here.
 */
export function trunksAllowing(trunks: readonly Trunk[], sourceIp: string): Trunk[] {
  return trunks.filter((t) => t.enabled && t.inbound.allowList.some((cidr) => cidrContains(cidr, sourceIp)));
}
