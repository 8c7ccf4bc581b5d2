import { createHash } from "node:crypto";
import { createMemoryStores, transparentDigest } from "@switchboard/core/testing";
import { beforeEach, describe, expect, it } from "vitest";
import type { Principal } from "../identity/model.js";
import { ManualClock } from "../kernel/clock.js";
import { DomainError } from "../kernel/domain-error.js";
import { SequentialIds } from "../kernel/ids.js";
import { cidrContains, isValidCidr, parseIp } from "./cidr.js";
import type { TelephonyDeps } from "./deps.js";
import {
  createPhoneNumber,
  deletePhoneNumber,
  getPhoneNumber,
  listPhoneNumbers,
  readDialled,
  routeIncomingNumber,
  updatePhoneNumber,
} from "./phone-numbers.js";
import { createSipAccount, deleteSipAccount, resetSipAccountPassword, sipHa1, updateSipAccount } from "./sip-accounts.js";
import { createTrunk, deleteTrunk, getTrunk, trunksAllowing, updateTrunk } from "./trunks.js";

const ACME = "tenant-acme";
const GLOBEX = "tenant-globex";
const admin: Principal = { kind: "api_key", tenantId: ACME, apiKeyId: "key-1" };
const globexAdmin: Principal = { kind: "api_key", tenantId: GLOBEX, apiKeyId: "key-2" };
const agent: Principal = { kind: "identity", tenantId: ACME, identityId: "i-1", scopes: ["chat", "voip"], role: "agent" };
const supervisor: Principal = { ...agent, role: "supervisor" };

/** `kind:code [fields]` of a failure, or "ok". */
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (e: unknown) =>
      e instanceof DomainError
        ? `${e.kind}:${e.code}${e.fields.length ? ` [${e.fields.map((f) => f.field).join(",")}]` : ""}`
        : String(e),
  );

describe("IP addresses and CIDR blocks", () => {
  it("accepts IPv4 and IPv6 addresses and blocks, and refuses the rest", () => {
    for (const good of [
      "192.0.2.1",
      "192.0.2.0/24",
      "0.0.0.0/0",
      "10.0.0.0/8",
      "::1",
      "::",
      "::/0",
      "2001:db8::/32",
      "2001:0db8:0000:0000:0000:ff00:0042:8329",
      "fe80::1:2:3:4/64",
      "::ffff:192.0.2.1",
      "::ffff:192.0.2.0/120",
      "1:2:3:4:5:6:7::",
    ]) {
      expect(isValidCidr(good), good).toBe(true);
    }
    for (const bad of [
      "",
      "192.0.2",
      "192.0.2.256",
      "192.0.2.01",
      "192.0.2.1/33",
      "192.0.2.1/",
      "192.0.2.1/08",
      "192.0.2.1/-1",
      "1.2.3.4.5",
      "example.com",
      "2001:db8::/129",
      "2001:db8:::1",
      "1::2::3",
      "1:2:3:4:5:6:7:8:9",
      "1:2:3:4:5:6:7:8::",
      "12345::",
      "fe80::1%eth0",
      "1.2.3.4::",
      " 10.0.0.1",
    ]) {
      expect(isValidCidr(bad), bad).toBe(false);
    }
    expect([...(parseIp("2001:db8::ff00:42:8329") ?? [])]).toEqual([
      0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0xff, 0x00, 0x00, 0x42, 0x83, 0x29,
    ]);
  });

  it("tells whether an address lies in a block, IPv4-mapped IPv6 addresses as IPv4", () => {
    expect(cidrContains("192.0.2.0/24", "192.0.2.77")).toBe(true);
    expect(cidrContains("192.0.2.0/24", "192.0.3.1")).toBe(false);
    expect(cidrContains("192.0.2.128/25", "192.0.2.127")).toBe(false);
    expect(cidrContains("192.0.2.128/25", "192.0.2.200")).toBe(true);
    expect(cidrContains("192.0.2.9", "192.0.2.9")).toBe(true);
    expect(cidrContains("192.0.2.9", "192.0.2.10")).toBe(false);
    expect(cidrContains("0.0.0.0/0", "203.0.113.1")).toBe(true);
    expect(cidrContains("192.0.2.0/24", "::ffff:192.0.2.5")).toBe(true);
    expect(cidrContains("::ffff:192.0.2.0/120", "192.0.2.5")).toBe(true);
    expect(cidrContains("2001:db8::/32", "2001:db8:1234::1")).toBe(true);
    expect(cidrContains("2001:db8::/33", "2001:db8:8000::1")).toBe(false);
    expect(cidrContains("::1", "::1")).toBe(true);
    expect(cidrContains("::/0", "192.0.2.1")).toBe(false);
    expect(cidrContains("192.0.2.0/24", "2001:db8::1")).toBe(false);
    expect(cidrContains("192.0.2.0/24", "not an address")).toBe(false);
    expect(cidrContains("garbage", "192.0.2.1")).toBe(false);
  });
});

describe("telephony configuration", () => {
  let deps: TelephonyDeps;
  let changes: string[];
  let agentUserId: string;

  beforeEach(async () => {
    const stores = createMemoryStores();
    const clock = new ManualClock("2026-03-01T09:00:00Z");
    await stores.identities.createTenant({ id: ACME, slug: "acme", name: "Acme", createdAt: clock.now() });
    await stores.identities.createTenant({ id: GLOBEX, slug: "globex", name: "Globex", createdAt: clock.now() });
    const user = await stores.identities.createUser({
      id: "user-1",
      tenantId: ACME,
      email: "ada@acme.test",
      displayName: "Ada",
      role: "agent",
      passwordHash: "x",
      identity: {
        id: "identity-1",
        tenantId: ACME,
        kind: "agent",
        displayName: "Ada",
        externalId: null,
        metadata: {},
        createdAt: clock.now(),
      },
      createdAt: clock.now(),
    });
    agentUserId = user.id;
    changes = [];
    deps = {
      phoneNumbers: stores.phoneNumbers,
      trunks: stores.trunks,
      sipAccounts: stores.sipAccounts,
      users: stores.identities,
      digest: transparentDigest,
      clock,
      ids: new SequentialIds(),
      onTelephonyChanged: (tenantId, what) => changes.push(`${tenantId}:${what}`),
    };
  });

  describe("dialled strings (readDialled)", () => {
    it("reads 2 to 8 bare digits from a phone as an extension and anything longer, or with a plus, as a number", () => {
      expect(readDialled("1001", "phone")).toEqual({ kind: "extension", extension: "1001" });
      expect(readDialled("71", "phone")).toEqual({ kind: "extension", extension: "71" });
      expect(readDialled("15550100", "phone")).toEqual({ kind: "extension", extension: "15550100" });
      expect(readDialled("+15550100", "phone")).toEqual({ kind: "number", e164: "+15550100" });
      expect(readDialled("1 (555) 010-0123", "phone")).toEqual({ kind: "number", e164: "+15550100123" });
      expect(readDialled("+1.555.010.0123", "phone")).toEqual({ kind: "number", e164: "+15550100123" });
    });

    it("reads bare digits from a trunk as a number whatever their length (carriers cannot dial extensions)", () => {
      expect(readDialled("15550100", "trunk")).toEqual({ kind: "number", e164: "+15550100" });
      expect(readDialled("+15550100", "trunk")).toEqual({ kind: "number", e164: "+15550100" });
      expect(readDialled("1001", "trunk")).toEqual({ kind: "number", e164: "+1001" });
    });

    it("refuses what is neither", () => {
      for (const from of ["phone", "trunk"] as const) {
        expect(readDialled("", from)).toBeUndefined();
        expect(readDialled("sales", from)).toBeUndefined();
        expect(readDialled("+0123456", from)).toBeUndefined();
        expect(readDialled("+1234567890123456", from)).toBeUndefined();
        expect(readDialled("12*34", from)).toBeUndefined();
      }
      expect(readDialled("0123456789", "trunk")).toBeUndefined();
    });
  });

  describe("phone numbers", () => {
    it("maps a number to the tenant and routes incoming calls to it, dialled with or without the plus", async () => {
      const number = await createPhoneNumber(deps, admin, {
        e164: "+15550100",
        label: " Demo ",
        entry: { kind: "flow", flow: "demo" },
      });
      expect(number).toMatchObject({ tenantId: ACME, e164: "+15550100", label: "Demo", trunkId: null });
      expect(await routeIncomingNumber(deps, "+15550100")).toEqual(number);
      expect(await routeIncomingNumber(deps, "15550100")).toEqual(number);
      expect(await routeIncomingNumber(deps, "+15550199")).toBeUndefined();
      expect(await routeIncomingNumber(deps, "sip:junk")).toBeUndefined();
      expect(changes).toEqual([`${ACME}:phone_numbers`]);
    });

    it("validates the number, the flow and the trunk, with codes and fields", async () => {
      const entry = { kind: "flow", flow: "demo" } as const;
      for (const e164 of ["15550100", "+0123", "+1", "+1234567890123456", "+1 555 0100", ""]) {
        expect(await failure(createPhoneNumber(deps, admin, { e164, entry }))).toBe("invalid:phone_number.invalid_e164 [e164]");
      }
      expect(await failure(createPhoneNumber(deps, admin, { e164: "+15550100", entry: { kind: "flow", flow: "" } }))).toBe(
        "invalid:phone_number.invalid_entry [entry.flow]",
      );
      expect(await failure(createPhoneNumber(deps, admin, { e164: "+15550100", entry, trunkId: "trunk-nope" }))).toBe(
        "invalid:trunk.not_found [trunkId]",
      );
      const globexTrunk = await createTrunk(deps, globexAdmin, { name: "theirs" });
      expect(await failure(createPhoneNumber(deps, admin, { e164: "+15550100", entry, trunkId: globexTrunk.id }))).toBe(
        "invalid:trunk.not_found [trunkId]",
      );
      const mine = await createTrunk(deps, admin, { name: "byoc", byoc: true });
      expect(await createPhoneNumber(deps, admin, { e164: "+15550100", entry, trunkId: mine.id })).toMatchObject({
        trunkId: mine.id,
      });
    });

    it("keeps a number in one tenant, and hides it from the others", async () => {
      const entry = { kind: "flow", flow: "demo" } as const;
      const number = await createPhoneNumber(deps, admin, { e164: "+15550100", entry });
      expect(await failure(createPhoneNumber(deps, globexAdmin, { e164: "+15550100", entry }))).toBe(
        "conflict:phone_number.taken",
      );
      expect(await failure(getPhoneNumber(deps, globexAdmin, number.id))).toBe("not_found:phone_number.not_found");
      expect(await failure(updatePhoneNumber(deps, globexAdmin, number.id, { label: "x" }))).toBe(
        "not_found:phone_number.not_found",
      );
      expect(await failure(deletePhoneNumber(deps, globexAdmin, number.id))).toBe("not_found:phone_number.not_found");
      expect(await listPhoneNumbers(deps, globexAdmin)).toEqual([]);
      expect(await listPhoneNumbers(deps, admin)).toEqual([number]);
    });

    it("changes what answers a number, and deletes it", async () => {
      const number = await createPhoneNumber(deps, admin, { e164: "+15550100", entry: { kind: "flow", flow: "demo" } });
      const changed = await updatePhoneNumber(deps, admin, number.id, {
        entry: { kind: "flow", flow: "support" },
        label: "Support",
      });
      expect(changed).toMatchObject({ e164: "+15550100", label: "Support", entry: { flow: "support" } });
      expect(await failure(updatePhoneNumber(deps, admin, number.id, { e164: "nope" }))).toBe(
        "invalid:phone_number.invalid_e164 [e164]",
      );
      await deletePhoneNumber(deps, admin, number.id);
      expect(await routeIncomingNumber(deps, "+15550100")).toBeUndefined();
      expect(await failure(deletePhoneNumber(deps, admin, number.id))).toBe("not_found:phone_number.not_found");
    });

    it("is for admins only", async () => {
      const entry = { kind: "flow", flow: "demo" } as const;
      for (const who of [agent, supervisor]) {
        expect(await failure(createPhoneNumber(deps, who, { e164: "+15550100", entry }))).toBe("forbidden:auth.admin_required");
        expect(await failure(listPhoneNumbers(deps, who))).toBe("forbidden:auth.admin_required");
      }
      expect(await failure(listPhoneNumbers(deps, { kind: "platform" }))).toBe("forbidden:auth.tenant_required");
    });
  });

  describe("trunks", () => {
    it("keeps inbound credentials as an HA1 for the realm and outbound ones as given", async () => {
      const trunk = await createTrunk({ ...deps, sipRealm: "sip.acme.test" }, admin, {
        name: " Carrier ",
        inbound: { allowList: ["192.0.2.0/24", " 2001:db8::/32 "], digest: { username: "carrier", password: "in-secret-1" } },
        outbound: { host: "sip.carrier.example", digest: { username: "acme", password: "out-secret" } },
      });
      expect(trunk).toMatchObject({
        name: "Carrier",
        inbound: {
          allowList: ["192.0.2.0/24", "2001:db8::/32"],
          digest: { username: "carrier", ha1: "md5(carrier:sip.acme.test:in-secret-1)" },
        },
        outbound: {
          host: "sip.carrier.example",
          port: 5060,
          transport: "udp",
          digest: { username: "acme", password: "out-secret" },
          callerIdPolicy: { kind: "pass-through" },
        },
        byoc: false,
        enabled: true,
      });
      expect(changes).toEqual([`${ACME}:trunks`]);
    });

    it("validates allow lists, hosts, ports, caller ids and credentials, with codes and fields", async () => {
      expect(
        await failure(createTrunk(deps, admin, { name: "t", inbound: { allowList: ["10.0.0.0/8", "10.0.0.0/33", "x"] } })),
      ).toBe("invalid:trunk.invalid_cidr [inbound.allowList.1,inbound.allowList.2]");
      expect(await failure(createTrunk(deps, admin, { name: " " }))).toBe("invalid:trunk.invalid_name [name]");
      expect(await failure(createTrunk(deps, admin, { name: "t", outbound: { host: "bad host" } }))).toBe(
        "invalid:trunk.invalid_host [outbound.host]",
      );
      expect(await failure(createTrunk(deps, admin, { name: "t", outbound: { host: "h.example", port: 0 } }))).toBe(
        "invalid:trunk.invalid_port [outbound.port]",
      );
      expect(
        await failure(
          createTrunk(deps, admin, { name: "t", outbound: { host: "h", callerIdPolicy: { kind: "fixed", e164: "555" } } }),
        ),
      ).toBe("invalid:trunk.invalid_caller_id [outbound.callerIdPolicy.e164]");
      expect(await failure(createTrunk(deps, admin, { name: "t", inbound: { digest: { username: "u" } } }))).toBe(
        "invalid:trunk.password_required [inbound.digest.password]",
      );
      expect(
        await failure(createTrunk(deps, admin, { name: "t", inbound: { digest: { username: "u", password: "short" } } })),
      ).toBe("invalid:trunk.weak_password [inbound.digest.password]");
      expect(
        await failure(createTrunk(deps, admin, { name: "t", inbound: { digest: { username: "a:b", password: "long enough" } } })),
      ).toBe("invalid:trunk.invalid_digest [inbound.digest.username]");
      expect(await failure(createTrunk(deps, admin, { name: "t", outbound: { host: "h", digest: { username: "u" } } }))).toBe(
        "invalid:trunk.password_required [outbound.digest.password]",
      );
      expect(await createTrunk(deps, admin, { name: "ipv6", outbound: { host: "2001:db8::5" } })).toMatchObject({
        outbound: { host: "2001:db8::5" },
      });
      await createTrunk(deps, admin, { name: "t" });
      expect(await failure(createTrunk(deps, admin, { name: "t" }))).toBe("conflict:trunk.name_taken");
    });

    it("keeps passwords an update leaves out, and needs a new one for a new inbound username", async () => {
      const trunk = await createTrunk(deps, admin, {
        name: "carrier",
        inbound: { allowList: ["192.0.2.1"], digest: { username: "in", password: "in-secret-1" } },
        outbound: { host: "a.example", digest: { username: "out", password: "out-secret" } },
      });
      const updated = await updateTrunk(deps, admin, trunk.id, {
        inbound: { allowList: ["192.0.2.2"], digest: { username: "in" } },
        outbound: { host: "b.example", transport: "tcp", digest: { username: "out2" } },
      });
      expect(updated.inbound).toEqual({ allowList: ["192.0.2.2"], digest: trunk.inbound.digest });
      expect(updated.outbound).toMatchObject({
        host: "b.example",
        transport: "tcp",
        digest: { username: "out2", password: "out-secret" },
      });
      expect(await failure(updateTrunk(deps, admin, trunk.id, { inbound: { digest: { username: "other" } } }))).toBe(
        "invalid:trunk.password_required [inbound.digest.password]",
      );
      const cleared = await updateTrunk(deps, admin, trunk.id, { outbound: null, inbound: { allowList: [] }, enabled: false });
      expect(cleared).toMatchObject({
        outbound: null,
        inbound: { allowList: [], digest: null },
        enabled: false,
        name: "carrier",
      });
      expect(await updateTrunk(deps, admin, trunk.id, { name: "renamed" })).toMatchObject({ name: "renamed", enabled: false });
    });

    it("refuses to delete a trunk numbers arrive on, and hides trunks from other tenants", async () => {
      const trunk = await createTrunk(deps, admin, { name: "byoc", byoc: true });
      const number = await createPhoneNumber(deps, admin, {
        e164: "+15550100",
        entry: { kind: "flow", flow: "demo" },
        trunkId: trunk.id,
      });
      expect(await failure(deleteTrunk(deps, admin, trunk.id))).toBe("conflict:trunk.in_use");
      expect(await failure(getTrunk(deps, globexAdmin, trunk.id))).toBe("not_found:trunk.not_found");
      expect(await failure(deleteTrunk(deps, globexAdmin, trunk.id))).toBe("not_found:trunk.not_found");
      await updatePhoneNumber(deps, admin, number.id, { trunkId: null });
      await deleteTrunk(deps, admin, trunk.id);
      expect(await failure(getTrunk(deps, admin, trunk.id))).toBe("not_found:trunk.not_found");
      expect(await failure(createTrunk(deps, agent, { name: "x" }))).toBe("forbidden:auth.admin_required");
    });

    it("finds the enabled trunks whose allow list has a source address", async () => {
      const a = await createTrunk(deps, admin, { name: "a", inbound: { allowList: ["192.0.2.0/24"] } });
      await createTrunk(deps, admin, { name: "off", inbound: { allowList: ["192.0.2.0/24"] }, enabled: false });
      const b = await createTrunk(deps, globexAdmin, { name: "b", inbound: { allowList: ["198.51.100.7", "2001:db8::/32"] } });
      const all = await deps.trunks.listAllTrunks();
      expect(trunksAllowing(all, "192.0.2.9").map((t) => t.id)).toEqual([a.id]);
      expect(trunksAllowing(all, "::ffff:198.51.100.7").map((t) => t.id)).toEqual([b.id]);
      expect(trunksAllowing(all, "2001:db8::1").map((t) => t.id)).toEqual([b.id]);
      expect(trunksAllowing(all, "203.0.113.1")).toEqual([]);
    });
  });

  describe("SIP accounts", () => {
    it("computes HA1 = MD5(username:realm:password) and never keeps the password", async () => {
      const md5 = { md5: (text: string) => createHash("md5").update(text).digest("hex") };
      // RFC 2617's example.
      expect(sipHa1(md5, "Mufasa", "testrealm@host.com", "Circle Of Life")).toBe("939e7578ed9e3c518a452acee763bce9");
      const account = await createSipAccount({ ...deps, digest: md5 }, admin, {
        username: "ada",
        extension: "1001",
        displayName: "Ada's phone",
        userId: agentUserId,
        password: "phone-secret",
      });
      expect(account).toMatchObject({ username: "ada", extension: "1001", userId: agentUserId, displayName: "Ada's phone" });
      expect(account.ha1).toBe(createHash("md5").update("ada:switchboard:phone-secret").digest("hex"));
      expect(JSON.stringify(account)).not.toContain("phone-secret");
      expect(await deps.sipAccounts.findByUsername("ada")).toEqual(account);
      expect(await deps.sipAccounts.findByExtension(ACME, "1001")).toEqual(account);
      expect(changes).toEqual([`${ACME}:sip_accounts`]);
    });

    it("validates usernames, extensions, passwords and users, with codes and fields", async () => {
      const input = { username: "ada", extension: "1001", password: "long enough" };
      expect(await failure(createSipAccount(deps, admin, { ...input, username: "ada lovelace" }))).toBe(
        "invalid:sip_account.invalid_username [username]",
      );
      expect(await failure(createSipAccount(deps, admin, { ...input, username: "a".repeat(65) }))).toBe(
        "invalid:sip_account.invalid_username [username]",
      );
      for (const extension of ["1", "123456789", "10a", ""]) {
        expect(await failure(createSipAccount(deps, admin, { ...input, extension }))).toBe(
          "invalid:sip_account.invalid_extension [extension]",
        );
      }
      expect(await failure(createSipAccount(deps, admin, { ...input, password: "short" }))).toBe(
        "invalid:sip_account.weak_password [password]",
      );
      expect(await failure(createSipAccount(deps, admin, { ...input, userId: "user-nope" }))).toBe(
        "invalid:user.not_found [userId]",
      );
      expect(await failure(createSipAccount(deps, globexAdmin, { ...input, userId: agentUserId }))).toBe(
        "invalid:user.not_found [userId]",
      );
      const ada = await createSipAccount(deps, admin, input);
      expect(ada.displayName).toBe("ada");
      expect(await failure(createSipAccount(deps, admin, { ...input, extension: "1002" }))).toBe(
        "conflict:sip_account.username_taken",
      );
      expect(await failure(createSipAccount(deps, globexAdmin, { ...input, extension: "1002" }))).toBe(
        "conflict:sip_account.username_taken",
      );
      expect(await failure(createSipAccount(deps, admin, { ...input, username: "bob" }))).toBe(
        "conflict:sip_account.extension_taken",
      );
      expect(await createSipAccount(deps, globexAdmin, { ...input, username: "gus" })).toMatchObject({ extension: "1001" });
    });

    it("resets the password (a new HA1), changes the extension, and deletes, only in the tenant", async () => {
      const ada = await createSipAccount(deps, admin, { username: "ada", extension: "1001", password: "first password" });
      const reset = await resetSipAccountPassword(deps, admin, ada.id, "second password");
      expect(reset.ha1).toBe("md5(ada:switchboard:second password)");
      expect(await failure(resetSipAccountPassword(deps, admin, ada.id, "short"))).toBe(
        "invalid:sip_account.weak_password [password]",
      );
      expect(await failure(resetSipAccountPassword(deps, globexAdmin, ada.id, "long enough"))).toBe(
        "not_found:sip_account.not_found",
      );
      const moved = await updateSipAccount(deps, admin, ada.id, { extension: "2002", displayName: "Ada", userId: agentUserId });
      expect(moved).toMatchObject({ extension: "2002", displayName: "Ada", userId: agentUserId, ha1: reset.ha1 });
      expect(await failure(updateSipAccount(deps, admin, ada.id, { extension: "x" }))).toBe(
        "invalid:sip_account.invalid_extension [extension]",
      );
      expect(await failure(deleteSipAccount(deps, globexAdmin, ada.id))).toBe("not_found:sip_account.not_found");
      await deleteSipAccount(deps, admin, ada.id);
      expect(await deps.sipAccounts.findByUsername("ada")).toBeUndefined();
      expect(await failure(createSipAccount(deps, agent, { username: "x", extension: "11", password: "long enough" }))).toBe(
        "forbidden:auth.admin_required",
      );
    });
  });
});
