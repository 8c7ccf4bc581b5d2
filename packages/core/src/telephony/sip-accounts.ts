import { requireAdmin } from "../identity/authorize.js";
import type { Principal } from "../identity/model.js";
import { DomainError, notFound } from "../kernel/domain-error.js";
import type { TelephonyDeps } from "./deps.js";
import { DEFAULT_SIP_REALM, EXTENSION_PATTERN, MIN_SIP_PASSWORD_LENGTH, SIP_USERNAME_PATTERN, type SipAccount } from "./model.js";
import type { DigestHash } from "./ports.js";

/** HA1 of SIP digest authentication (RFC 2617 §3.2.2.2): MD5 of `username:realm:password`, lowercase hex. */
export const sipHa1 = (hash: DigestHash, username: string, realm: string, password: string): string =>
  hash.md5(`${username}:${realm}:${password}`);

export interface SipAccountInput {
  readonly username: string;
  readonly extension: string;
  readonly displayName?: string;
  readonly userId?: string | null;
  readonly password: string;
}

/** The username stays (the HA1 binds it); the password changes through `resetSipAccountPassword`. */
export type SipAccountPatch = Partial<Pick<SipAccountInput, "extension" | "displayName" | "userId">>;

function checkPassword(password: string): void {
  if (password.length < MIN_SIP_PASSWORD_LENGTH) {
    throw new DomainError(
      "sip_account.weak_password",
      "invalid",
      `A password has at least ${MIN_SIP_PASSWORD_LENGTH} characters.`,
      [{ field: "password", message: `at least ${MIN_SIP_PASSWORD_LENGTH} characters` }],
    );
  }
}

function checkExtension(extension: string): void {
  if (!EXTENSION_PATTERN.test(extension)) {
    throw new DomainError("sip_account.invalid_extension", "invalid", "An extension is 2 to 8 digits.", [
      { field: "extension", message: "2 to 8 digits" },
    ]);
  }
}

async function checkUser(deps: TelephonyDeps, tenantId: string, userId: string | null): Promise<void> {
  if (userId !== null && !(await deps.users.getUser(tenantId, userId))) {
    throw new DomainError("user.not_found", "invalid", `The tenant has no user with id ${userId}.`, [
      { field: "userId", message: "no such user" },
    ]);
  }
}

const ha1For = (deps: TelephonyDeps, username: string, password: string) =>
  sipHa1(deps.digest, username, deps.sipRealm ?? DEFAULT_SIP_REALM, password);

const changed = (deps: TelephonyDeps, tenantId: string) => deps.onTelephonyChanged?.(tenantId, "sip_accounts");

/** A SIP phone login (admins). Only the HA1 of the password is kept. */
export async function createSipAccount(deps: TelephonyDeps, principal: Principal, input: SipAccountInput): Promise<SipAccount> {
  const { tenantId } = requireAdmin(principal);
  if (!SIP_USERNAME_PATTERN.test(input.username)) {
    throw new DomainError(
      "sip_account.invalid_username",
      "invalid",
      "A SIP username is 1-64 letters, digits, dots, dashes or underscores.",
      [{ field: "username", message: "1-64 of a-z, A-Z, 0-9, '.', '_', '-'" }],
    );
  }
  checkExtension(input.extension);
  checkPassword(input.password);
  const userId = input.userId ?? null;
  await checkUser(deps, tenantId, userId);
  const now = deps.clock.now();
  const account = await deps.sipAccounts.createSipAccount({
    id: deps.ids.next(),
    tenantId,
    username: input.username,
    extension: input.extension,
    displayName: (input.displayName ?? "").trim() || input.username,
    userId,
    ha1: ha1For(deps, input.username, input.password),
    createdAt: now,
    updatedAt: now,
  });
  changed(deps, tenantId);
  return account;
}

export async function getSipAccount(deps: TelephonyDeps, principal: Principal, id: string): Promise<SipAccount> {
  const { tenantId } = requireAdmin(principal);
  const account = await deps.sipAccounts.getSipAccount(tenantId, id);
  if (!account) throw notFound("sip_account", id);
  return account;
}

export async function listSipAccounts(deps: TelephonyDeps, principal: Principal): Promise<readonly SipAccount[]> {
  const { tenantId } = requireAdmin(principal);
  return deps.sipAccounts.listSipAccounts(tenantId);
}

export async function updateSipAccount(
  deps: TelephonyDeps,
  principal: Principal,
  id: string,
  patch: SipAccountPatch,
): Promise<SipAccount> {
  const existing = await getSipAccount(deps, principal, id);
  if (patch.extension !== undefined) checkExtension(patch.extension);
  if (patch.userId !== undefined) await checkUser(deps, existing.tenantId, patch.userId);
  const account = await deps.sipAccounts.updateSipAccount({
    ...existing,
    extension: patch.extension ?? existing.extension,
    displayName: patch.displayName !== undefined ? patch.displayName.trim() || existing.username : existing.displayName,
    userId: patch.userId !== undefined ? patch.userId : existing.userId,
    updatedAt: deps.clock.now(),
  });
  changed(deps, existing.tenantId);
  return account;
}

/** Sets a new password: the phone must register with it from now on. */
export async function resetSipAccountPassword(
  deps: TelephonyDeps,
  principal: Principal,
  id: string,
  password: string,
): Promise<SipAccount> {
  const existing = await getSipAccount(deps, principal, id);
  checkPassword(password);
  const account = await deps.sipAccounts.updateSipAccount({
    ...existing,
    ha1: ha1For(deps, existing.username, password),
    updatedAt: deps.clock.now(),
  });
  changed(deps, existing.tenantId);
  return account;
}

export async function deleteSipAccount(deps: TelephonyDeps, principal: Principal, id: string): Promise<void> {
  const { tenantId } = requireAdmin(principal);
  if (!(await deps.sipAccounts.deleteSipAccount(tenantId, id))) throw notFound("sip_account", id);
  changed(deps, tenantId);
}
