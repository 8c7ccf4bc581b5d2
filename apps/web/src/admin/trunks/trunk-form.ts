import type { CallerIdPolicy, Trunk, TrunkInput } from "@switchboard/protocol";

/**
 * What the trunk editor edits. Passwords start empty and are sent only when typed: the server never returns
 * one (a trunk says `hasPassword`), and a digest sent without a password keeps the stored one.
 */
export interface TrunkForm {
  name: string;
  enabled: boolean;
  byoc: boolean;
  /** CIDR blocks or addresses, one per line. */
  allowList: string;
  inboundDigest: boolean;
  inboundUsername: string;
  inboundPassword: string;
  outbound: boolean;
  host: string;
  port: string;
  transport: "udp" | "tcp";
  outboundDigest: boolean;
  outboundUsername: string;
  outboundPassword: string;
  callerId: CallerIdPolicy["kind"];
  callerIdNumber: string;
}

export function newTrunkForm(): TrunkForm {
  return {
    name: "",
    enabled: true,
    byoc: false,
    allowList: "",
    inboundDigest: false,
    inboundUsername: "",
    inboundPassword: "",
    outbound: false,
    host: "",
    port: "5060",
    transport: "udp",
    outboundDigest: false,
    outboundUsername: "",
    outboundPassword: "",
    callerId: "pass-through",
    callerIdNumber: "",
  };
}

export function formFromTrunk(trunk: Trunk): TrunkForm {
  const out = trunk.outbound;
  return {
    name: trunk.name,
    enabled: trunk.enabled,
    byoc: trunk.byoc,
    allowList: trunk.inbound.allowList.join("\n"),
    inboundDigest: trunk.inbound.digest !== null,
    inboundUsername: trunk.inbound.digest?.username ?? "",
    inboundPassword: "",
    outbound: out !== null,
    host: out?.host ?? "",
    port: String(out?.port ?? 5060),
    transport: out?.transport ?? "udp",
    outboundDigest: out?.digest != null,
    outboundUsername: out?.digest?.username ?? "",
    outboundPassword: "",
    callerId: out?.callerIdPolicy.kind ?? "pass-through",
    callerIdNumber: out?.callerIdPolicy.kind === "fixed" ? out.callerIdPolicy.e164 : "",
  };
}

/** The allow list's lines: trimmed, blank lines dropped, each block once. */
export function parseAllowList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== ""),
    ),
  ];
}

/** Which stored passwords a form may leave empty: the inbound one only for the same username (its hash binds it). */
export function keepsPassword(form: TrunkForm, trunk: Trunk | undefined): { inbound: boolean; outbound: boolean } {
  const inbound = trunk?.inbound.digest;
  return {
    inbound: inbound != null && inbound.username === form.inboundUsername.trim(),
    outbound: trunk?.outbound?.digest != null,
  };
}

/** The request body: every part, so a PATCH replaces the trunk's settings with what the form shows. */
export function inputFromForm(form: TrunkForm): TrunkInput {
  const digest = (username: string, password: string) => ({ username: username.trim(), ...(password ? { password } : {}) });
  const callerIdPolicy: CallerIdPolicy =
    form.callerId === "fixed" ? { kind: "fixed", e164: form.callerIdNumber.trim() } : { kind: form.callerId };
  return {
    name: form.name.trim(),
    enabled: form.enabled,
    byoc: form.byoc,
    inbound: {
      allowList: parseAllowList(form.allowList),
      digest: form.inboundDigest ? digest(form.inboundUsername, form.inboundPassword) : null,
    },
    outbound: form.outbound
      ? {
          host: form.host.trim(),
          port: Number(form.port.trim()),
          transport: form.transport,
          digest: form.outboundDigest ? digest(form.outboundUsername, form.outboundPassword) : null,
          callerIdPolicy,
        }
      : null,
  };
}

/**
 * What keeps the form from being saved, by the field names the server uses (so its errors land in the same
 * places). Formats the server checks better (CIDR blocks, host names, E.164, password length) are left to it.
 */
export function validateForm(form: TrunkForm, trunk?: Trunk): Record<string, string> {
  const errors: Record<string, string> = {};
  const keeps = keepsPassword(form, trunk);
  if (form.name.trim() === "") errors.name = "Give the trunk a name.";
  if (form.inboundDigest) {
    if (form.inboundUsername.trim() === "") errors["inbound.digest.username"] = "Enter the username the carrier sends.";
    if (form.inboundPassword === "" && !keeps.inbound) {
      errors["inbound.digest.password"] = trunk?.inbound.digest
        ? "A new username needs its password."
        : "Enter the password the carrier sends.";
    }
  }
  if (form.outbound) {
    if (form.host.trim() === "") errors["outbound.host"] = "Enter the carrier's SIP host.";
    const port = Number(form.port.trim());
    if (!/^\d+$/.test(form.port.trim()) || port < 1 || port > 65535) errors["outbound.port"] = "A port is 1 to 65535.";
    if (form.outboundDigest) {
      if (form.outboundUsername.trim() === "") errors["outbound.digest.username"] = "Enter your account's username.";
      if (form.outboundPassword === "" && !keeps.outbound) errors["outbound.digest.password"] = "Enter your account's password.";
    }
    if (form.callerId === "fixed" && form.callerIdNumber.trim() === "") {
      errors["outbound.callerIdPolicy.e164"] = "Enter the number to present.";
    }
  }
  return errors;
}

/** One line on what reaches the trunk: "2 address blocks and a password", "Anywhere, with a password". */
export function inboundSummary(trunk: Trunk): string {
  const blocks = trunk.inbound.allowList.length;
  const from = blocks === 0 ? "" : blocks === 1 ? (trunk.inbound.allowList[0] ?? "") : `${blocks} address blocks`;
  if (trunk.inbound.digest) return from ? `${from}, with a password` : "Anywhere, with a password";
  return from || "No inbound calls";
}

/** "sip.carrier.example:5060 (UDP)", or that calls do not leave through it. */
export function outboundSummary(trunk: Trunk): string {
  const out = trunk.outbound;
  if (!out) return "No outbound calls";
  return `${out.host}:${out.port} (${out.transport.toUpperCase()})`;
}
