import type { Trunk } from "@switchboard/protocol";
import { describe, expect, it } from "vitest";
import {
  formFromTrunk,
  inboundSummary,
  inputFromForm,
  newTrunkForm,
  outboundSummary,
  parseAllowList,
  validateForm,
} from "./trunk-form.js";

const trunk: Trunk = {
  id: "trk_1",
  name: "Carrier",
  inbound: { allowList: ["203.0.113.0/24", "2001:db8:10::/48"], digest: { username: "in-user", hasPassword: true } },
  outbound: {
    host: "sip.carrier.example",
    port: 5080,
    transport: "tcp",
    digest: { username: "acct-123", hasPassword: true },
    callerIdPolicy: { kind: "fixed", e164: "+15550100" },
  },
  byoc: true,
  enabled: true,
  createdAt: "2025-01-01T00:00:00.000Z",
  updatedAt: "2025-01-01T00:00:00.000Z",
};

describe("trunk form", () => {
  it("reads the allow list one block per line, dropping blanks and repeats", () => {
    expect(parseAllowList(" 192.0.2.0/24\n\n198.51.100.7 \r\n192.0.2.0/24\n")).toEqual(["192.0.2.0/24", "198.51.100.7"]);
  });

  it("round-trips a trunk without sending any password it did not get", () => {
    const form = formFromTrunk(trunk);
    expect(form.allowList).toBe("203.0.113.0/24\n2001:db8:10::/48");
    expect(form.inboundPassword).toBe("");
    expect(validateForm(form, trunk)).toEqual({});
    expect(inputFromForm(form)).toEqual({
      name: "Carrier",
      enabled: true,
      byoc: true,
      inbound: { allowList: ["203.0.113.0/24", "2001:db8:10::/48"], digest: { username: "in-user" } },
      outbound: {
        host: "sip.carrier.example",
        port: 5080,
        transport: "tcp",
        digest: { username: "acct-123" },
        callerIdPolicy: { kind: "fixed", e164: "+15550100" },
      },
    });
  });

  it("sends a password once typed, and asks for one where none is kept", () => {
    const form = { ...formFromTrunk(trunk), inboundPassword: "a new secret" };
    expect(inputFromForm(form).inbound?.digest).toEqual({ username: "in-user", password: "a new secret" });
    // The stored hash binds the username: a new username needs its password.
    expect(validateForm({ ...formFromTrunk(trunk), inboundUsername: "other" }, trunk)).toEqual({
      "inbound.digest.password": "A new username needs its password.",
    });
    const fresh = {
      ...newTrunkForm(),
      name: "PBX",
      inboundDigest: true,
      inboundUsername: "pbx",
      outbound: true,
      outboundDigest: true,
    };
    expect(validateForm(fresh)).toEqual({
      "inbound.digest.password": "Enter the password the carrier sends.",
      "outbound.host": "Enter the carrier's SIP host.",
      "outbound.digest.username": "Enter your account's username.",
      "outbound.digest.password": "Enter your account's password.",
    });
  });

  it("sends no outbound part or digest when switched off, and checks the port", () => {
    const form = { ...newTrunkForm(), name: "Office PBX", allowList: "192.0.2.10" };
    expect(inputFromForm(form)).toEqual({
      name: "Office PBX",
      enabled: true,
      byoc: false,
      inbound: { allowList: ["192.0.2.10"], digest: null },
      outbound: null,
    });
    expect(validateForm({ ...form, outbound: true, host: "pbx.example", port: "70000" })).toEqual({
      "outbound.port": "A port is 1 to 65535.",
    });
    expect(validateForm({ ...form, name: " " }).name).toBe("Give the trunk a name.");
  });

  it("sums up what reaches the trunk and where calls leave", () => {
    expect(inboundSummary(trunk)).toBe("2 address blocks, with a password");
    expect(inboundSummary({ ...trunk, inbound: { allowList: ["192.0.2.1"], digest: null } })).toBe("192.0.2.1");
    expect(inboundSummary({ ...trunk, inbound: { allowList: [], digest: null } })).toBe("No inbound calls");
    expect(outboundSummary(trunk)).toBe("sip.carrier.example:5080 (TCP)");
    expect(outboundSummary({ ...trunk, outbound: null })).toBe("No outbound calls");
  });
});
