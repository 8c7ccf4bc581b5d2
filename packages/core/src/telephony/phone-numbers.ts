import type { DialledTarget } from "../calls/dialer.js";
import { CALL_TARGET_KINDS, isCallTarget } from "../flows/model.js";
import { requireAdmin } from "../identity/authorize.js";
import type { Principal } from "../identity/model.js";
import { DomainError, type FieldIssue, notFound } from "../kernel/domain-error.js";
import { checkTarget } from "../routing/config.js";
import type { TelephonyDeps } from "./deps.js";
import { EXTENSION_PATTERN, isE164, type NumberEntry, type PhoneNumber } from "./model.js";

export interface PhoneNumberInput {
  readonly e164: string;
  readonly label?: string;
  readonly entry: NumberEntry;
  readonly trunkId?: string | null;
}

export type PhoneNumberPatch = Partial<PhoneNumberInput>;

const FLOW_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,99}$/;

async function check(deps: TelephonyDeps, tenantId: string, n: Omit<PhoneNumber, "id" | "createdAt" | "updatedAt">) {
  if (!isE164(n.e164)) {
    throw new DomainError("phone_number.invalid_e164", "invalid", `${n.e164} is not an E.164 number (+ and up to 15 digits).`, [
      { field: "e164", message: "a plus and 2 to 15 digits, the first not 0, e.g. +15550100" },
    ]);
  }
  if (n.entry.kind === "flow" && !FLOW_NAME.test(n.entry.flow)) {
    throw new DomainError("phone_number.invalid_entry", "invalid", "The flow name is not valid.", [
      { field: "entry.flow", message: "1-100 letters, digits, dots, dashes and underscores" },
    ]);
  }
  if (n.entry.kind !== "flow") {
    const issues: FieldIssue[] = [];
    if (isCallTarget(n.entry)) checkTarget(n.entry, "entry", issues);
    else issues.push({ field: "entry.kind", message: `flow, or one of ${CALL_TARGET_KINDS.join(", ")}` });
    if (issues.length > 0) {
      throw new DomainError("phone_number.invalid_entry", "invalid", "What answers the number is not valid.", issues);
    }
  }
  if (n.trunkId !== null && !(await deps.trunks.getTrunk(tenantId, n.trunkId))) {
    throw new DomainError("trunk.not_found", "invalid", `The tenant has no trunk with id ${n.trunkId}.`, [
      { field: "trunkId", message: "no such trunk" },
    ]);
  }
}

const changed = (deps: TelephonyDeps, tenantId: string) => deps.onTelephonyChanged?.(tenantId, "phone_numbers");

/** Maps a number to the tenant (admins); the number must be free in the whole deployment. */
export async function createPhoneNumber(
  deps: TelephonyDeps,
  principal: Principal,
  input: PhoneNumberInput,
): Promise<PhoneNumber> {
  const { tenantId } = requireAdmin(principal);
  const fields = {
    tenantId,
    e164: input.e164,
    label: (input.label ?? "").trim(),
    entry: input.entry,
    trunkId: input.trunkId ?? null,
  };
  await check(deps, tenantId, fields);
  const now = deps.clock.now();
  const number = await deps.phoneNumbers.createPhoneNumber({ ...fields, id: deps.ids.next(), createdAt: now, updatedAt: now });
  changed(deps, tenantId);
  return number;
}

export async function getPhoneNumber(deps: TelephonyDeps, principal: Principal, id: string): Promise<PhoneNumber> {
  const { tenantId } = requireAdmin(principal);
  const number = await deps.phoneNumbers.getPhoneNumber(tenantId, id);
  if (!number) throw notFound("phone_number", id);
  return number;
}

export async function listPhoneNumbers(deps: TelephonyDeps, principal: Principal): Promise<readonly PhoneNumber[]> {
  const { tenantId } = requireAdmin(principal);
  return deps.phoneNumbers.listPhoneNumbers(tenantId);
}

export async function updatePhoneNumber(
  deps: TelephonyDeps,
  principal: Principal,
  id: string,
  patch: PhoneNumberPatch,
): Promise<PhoneNumber> {
  const existing = await getPhoneNumber(deps, principal, id);
  const merged: PhoneNumber = {
    ...existing,
    ...(patch.e164 !== undefined ? { e164: patch.e164 } : {}),
    ...(patch.label !== undefined ? { label: patch.label.trim() } : {}),
    ...(patch.entry !== undefined ? { entry: patch.entry } : {}),
    ...(patch.trunkId !== undefined ? { trunkId: patch.trunkId } : {}),
    updatedAt: deps.clock.now(),
  };
  await check(deps, existing.tenantId, merged);
  const number = await deps.phoneNumbers.updatePhoneNumber(merged);
  changed(deps, existing.tenantId);
  return number;
}

export async function deletePhoneNumber(deps: TelephonyDeps, principal: Principal, id: string): Promise<void> {
  const { tenantId } = requireAdmin(principal);
  if (!(await deps.phoneNumbers.deletePhoneNumber(tenantId, id))) throw notFound("phone_number", id);
  changed(deps, tenantId);
}

/**
 * The one rule for what a dialled string means, for incoming calls and transfers alike. Visual separators
 * (spaces, dots, dashes, parentheses) are dropped; `+` and digits is an E.164 number. Bare digits dialled from
 * a phone of the tenant are an extension when they have 2 to 8 digits (the length of extensions), else a
 * number with a plus put in front; from a trunk (a carrier cannot dial extensions) they are always a number.
 */
export function readDialled(dialled: string, from: "phone" | "trunk"): DialledTarget | undefined {
  const cleaned = dialled.replace(/[\s().-]/g, "");
  if (cleaned.startsWith("+")) return isE164(cleaned) ? { kind: "number", e164: cleaned } : undefined;
  if (!/^\d+$/.test(cleaned)) return undefined;
  if (from === "phone" && EXTENSION_PATTERN.test(cleaned)) return { kind: "extension", extension: cleaned };
  return isE164(`+${cleaned}`) ? { kind: "number", e164: `+${cleaned}` } : undefined;
}

/**
 * The number a call from a trunk is for, in whichever tenant has it (the SIP server, before any tenant is
 * known); undefined when no tenant has it. Takes the number as dialled (`readDialled`): `+15550100` or `15550100`.
 */
export async function routeIncomingNumber(
  deps: Pick<TelephonyDeps, "phoneNumbers">,
  dialled: string,
): Promise<PhoneNumber | undefined> {
  const target = readDialled(dialled, "trunk");
  return target?.kind === "number" ? deps.phoneNumbers.findByE164(target.e164) : undefined;
}
