import { createHash } from "node:crypto";
import * as core from "@switchboard/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASES, type RunningServer, startServer } from "../testing/harness.js";

interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
  body: any;
}

const md5 = (text: string) => createHash("md5").update(text).digest("hex");
const INBOUND_PASSWORD = "carrier-in-secret";
const OUTBOUND_PASSWORD = "carrier-out-secret";
const PHONE_PASSWORD = "phone-secret-1";
const NEW_PHONE_PASSWORD = "phone-secret-2";

describe.each(DATABASES)("telephony API on %s", (database) => {
  let running: RunningServer;
  let acmeKey: string;
  let agentToken: string;
  let supervisorToken: string;
  let tenantId: string;
  /** Every response body this suite saw: none may carry a password or an HA1. */
  const seen: string[] = [];

  const api = async (path: string, init: { method?: string; token?: string; body?: unknown } = {}): Promise<Reply> => {
    const response = await fetch(`${running.baseUrl}${path}`, {
      method: init.method ?? "GET",
      headers: {
        authorization: `Bearer ${init.token ?? running.apiKey}`,
        ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    const text = await response.text();
    seen.push(text);
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const post = (path: string, body: unknown, token?: string) => api(path, { method: "POST", body, ...(token ? { token } : {}) });
  const patch = (path: string, body: unknown, token?: string) =>
    api(path, { method: "PATCH", body, ...(token ? { token } : {}) });
  const del = (path: string, token?: string) => api(path, { method: "DELETE", ...(token ? { token } : {}) });
  const problem = (reply: Reply) => ({
    status: reply.status,
    code: reply.body?.code,
    fields: reply.body?.errors?.map((e: { field: string }) => e.field),
  });

  async function signedIn(role: "agent" | "supervisor") {
    const email = `${role}.${Math.random().toString(36).slice(2)}@demo.example`;
    await running.admin.users.create({ email, displayName: role, role, password: "a long password" });
    return (await running.client("").auth.signIn({ tenant: "demo", email, password: "a long password" })).token;
  }

  beforeAll(async () => {
    running = await startServer(database);
    const acme = await running.platform.tenants.create({ slug: "acme", name: "Acme" });
    acmeKey = acme.apiKey.key;
    agentToken = await signedIn("agent");
    supervisorToken = await signedIn("supervisor");
    tenantId = (await running.admin.tenants.current()).id;
  });
  afterAll(async () => {
    await running?.close();
  });

  describe("phone numbers", () => {
    it("are created, read, listed, changed and deleted", async () => {
      const created = await post("/v1/phone-numbers", {
        e164: "+15550111",
        label: "Sales",
        entry: { kind: "flow", flow: "demo" },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        e164: "+15550111",
        label: "Sales",
        entry: { kind: "flow", flow: "demo" },
        trunkId: null,
      });
      const id = created.body.id;
      expect((await api(`/v1/phone-numbers/${id}`)).body).toEqual(created.body);
      expect((await api("/v1/phone-numbers")).body.items.map((n: { id: string }) => n.id)).toContain(id);
      const changed = await patch(`/v1/phone-numbers/${id}`, { label: "Support", entry: { kind: "flow", flow: "support" } });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ e164: "+15550111", label: "Support", entry: { flow: "support" } });
      expect(await running.server.store.phoneNumbers.findByE164("+15550111")).toMatchObject({ tenantId, label: "Support" });
      expect((await del(`/v1/phone-numbers/${id}`)).status).toBe(204);
      expect(problem(await api(`/v1/phone-numbers/${id}`))).toMatchObject({ status: 404, code: "phone_number.not_found" });
      expect(problem(await del(`/v1/phone-numbers/${id}`))).toMatchObject({ status: 404, code: "phone_number.not_found" });
    });

    it("answer invalid input with problems naming the code and the field", async () => {
      const entry = { kind: "flow", flow: "demo" };
      expect(problem(await post("/v1/phone-numbers", { e164: "5550100", entry }))).toEqual({
        status: 400,
        code: "phone_number.invalid_e164",
        fields: ["e164"],
      });
      expect(problem(await post("/v1/phone-numbers", { e164: "+15550112", entry: { kind: "flow", flow: "" } }))).toEqual({
        status: 400,
        code: "phone_number.invalid_entry",
        fields: ["entry.flow"],
      });
      expect(problem(await post("/v1/phone-numbers", { e164: "+15550112", entry, trunkId: "trunk-nope" }))).toEqual({
        status: 400,
        code: "trunk.not_found",
        fields: ["trunkId"],
      });
      expect(problem(await post("/v1/phone-numbers", { e164: "+15550112", entry: { kind: "voicemail" } }))).toMatchObject({
        status: 400,
        code: "request.invalid",
      });
      expect((await post("/v1/phone-numbers", { e164: "+15550112", entry })).status).toBe(201);
      expect(problem(await post("/v1/phone-numbers", { e164: "+15550112", entry }))).toMatchObject({
        status: 409,
        code: "phone_number.taken",
      });
      // One number, one tenant: another tenant cannot have it either.
      expect(problem(await post("/v1/phone-numbers", { e164: "+15550112", entry }, acmeKey))).toMatchObject({
        status: 409,
        code: "phone_number.taken",
      });
    });
  });

  describe("trunks", () => {
    it("keep credentials but show only that a password is set", async () => {
      const created = await post("/v1/trunks", {
        name: "Carrier",
        inbound: { allowList: ["192.0.2.0/24", "2001:db8::/32"], digest: { username: "carrier", password: INBOUND_PASSWORD } },
        outbound: {
          host: "sip.carrier.example",
          transport: "tcp",
          digest: { username: "acme", password: OUTBOUND_PASSWORD },
          callerIdPolicy: { kind: "fixed", e164: "+15550111" },
        },
        byoc: true,
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        name: "Carrier",
        inbound: { allowList: ["192.0.2.0/24", "2001:db8::/32"], digest: { username: "carrier", hasPassword: true } },
        outbound: {
          host: "sip.carrier.example",
          port: 5060,
          transport: "tcp",
          digest: { username: "acme", hasPassword: true },
          callerIdPolicy: { kind: "fixed", e164: "+15550111" },
        },
        byoc: true,
        enabled: true,
      });
      const id = created.body.id;
      const stored = await running.server.store.trunks.getTrunk(tenantId, id);
      expect(stored?.inbound.digest?.ha1).toBe(md5(`carrier:switchboard:${INBOUND_PASSWORD}`));
      expect(stored?.outbound?.digest?.password).toBe(OUTBOUND_PASSWORD);

      // A change that leaves the passwords out keeps them.
      const changed = await patch(`/v1/trunks/${id}`, {
        inbound: { allowList: ["198.51.100.7"], digest: { username: "carrier" } },
        outbound: { host: "sip2.carrier.example", digest: { username: "acme2" } },
        enabled: false,
      });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({
        inbound: { allowList: ["198.51.100.7"], digest: { username: "carrier", hasPassword: true } },
        outbound: { host: "sip2.carrier.example", transport: "udp", digest: { username: "acme2", hasPassword: true } },
        enabled: false,
      });
      const after = await running.server.store.trunks.getTrunk(tenantId, id);
      expect(after?.inbound.digest).toEqual(stored?.inbound.digest);
      expect(after?.outbound?.digest?.password).toBe(OUTBOUND_PASSWORD);
      expect((await api(`/v1/trunks/${id}`)).body).toEqual(changed.body);
      expect((await api("/v1/trunks")).body.items.map((t: { id: string }) => t.id)).toContain(id);
    });

    it("answer invalid input with problems naming the code and the field", async () => {
      expect(problem(await post("/v1/trunks", { name: "t", inbound: { allowList: ["10.0.0.0/8", "10.0.0.300/8"] } }))).toEqual({
        status: 400,
        code: "trunk.invalid_cidr",
        fields: ["inbound.allowList.1"],
      });
      expect(problem(await post("/v1/trunks", { name: "t", outbound: { host: "not a host" } }))).toEqual({
        status: 400,
        code: "trunk.invalid_host",
        fields: ["outbound.host"],
      });
      expect(
        problem(await post("/v1/trunks", { name: "t", outbound: { host: "h.example", digest: { username: "u" } } })),
      ).toEqual({
        status: 400,
        code: "trunk.password_required",
        fields: ["outbound.digest.password"],
      });
      expect(
        problem(
          await post("/v1/trunks", { name: "t", outbound: { host: "h.example", callerIdPolicy: { kind: "fixed", e164: "1" } } }),
        ),
      ).toEqual({ status: 400, code: "trunk.invalid_caller_id", fields: ["outbound.callerIdPolicy.e164"] });
      expect((await post("/v1/trunks", { name: "dup" })).status).toBe(201);
      expect(problem(await post("/v1/trunks", { name: "dup" }))).toMatchObject({ status: 409, code: "trunk.name_taken" });
    });

    it("cannot be deleted while a number arrives on them", async () => {
      const trunk = (await post("/v1/trunks", { name: "byoc", byoc: true, inbound: { allowList: ["203.0.113.0/24"] } })).body;
      const number = (
        await post("/v1/phone-numbers", { e164: "+15550113", entry: { kind: "flow", flow: "demo" }, trunkId: trunk.id })
      ).body;
      expect(number.trunkId).toBe(trunk.id);
      expect(problem(await del(`/v1/trunks/${trunk.id}`))).toMatchObject({ status: 409, code: "trunk.in_use" });
      await patch(`/v1/phone-numbers/${number.id}`, { trunkId: null });
      expect((await del(`/v1/trunks/${trunk.id}`)).status).toBe(204);
      expect(problem(await api(`/v1/trunks/${trunk.id}`))).toMatchObject({ status: 404, code: "trunk.not_found" });
    });
  });

  describe("SIP accounts", () => {
    it("keep only the HA1 of the password, and reset it", async () => {
      const user = (await running.admin.users.list())[0];
      const created = await post("/v1/sip-accounts", {
        username: "sam.desk",
        extension: "2001",
        displayName: "Sam's desk phone",
        userId: user?.id,
        password: PHONE_PASSWORD,
      });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        username: "sam.desk",
        extension: "2001",
        displayName: "Sam's desk phone",
        userId: user?.id,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const id = created.body.id;
      const stored = await running.server.store.sipAccounts.findByUsername("sam.desk");
      expect(stored).toMatchObject({ tenantId, extension: "2001", ha1: md5(`sam.desk:switchboard:${PHONE_PASSWORD}`) });
      expect(await running.server.store.sipAccounts.findByExtension(tenantId, "2001")).toEqual(stored);

      const reset = await post(`/v1/sip-accounts/${id}/password`, { password: NEW_PHONE_PASSWORD });
      expect(reset.status).toBe(200);
      expect(reset.body).toMatchObject({ id, username: "sam.desk" });
      expect((await running.server.store.sipAccounts.findByUsername("sam.desk"))?.ha1).toBe(
        md5(`sam.desk:switchboard:${NEW_PHONE_PASSWORD}`),
      );
      const moved = await patch(`/v1/sip-accounts/${id}`, { extension: "2002", displayName: "Sam" });
      expect(moved.body).toMatchObject({ extension: "2002", displayName: "Sam" });
      expect((await api(`/v1/sip-accounts/${id}`)).body).toEqual(moved.body);
      expect((await api("/v1/sip-accounts")).body.items.map((a: { id: string }) => a.id)).toContain(id);
      expect((await del(`/v1/sip-accounts/${id}`)).status).toBe(204);
      expect(await running.server.store.sipAccounts.findByUsername("sam.desk")).toBeUndefined();
      expect(problem(await api(`/v1/sip-accounts/${id}`))).toMatchObject({ status: 404, code: "sip_account.not_found" });
    });

    it("answer invalid input with problems naming the code and the field", async () => {
      const input = { username: "kim", extension: "3001", password: PHONE_PASSWORD };
      expect(problem(await post("/v1/sip-accounts", { ...input, username: "kim lee" }))).toEqual({
        status: 400,
        code: "sip_account.invalid_username",
        fields: ["username"],
      });
      expect(problem(await post("/v1/sip-accounts", { ...input, extension: "3" }))).toEqual({
        status: 400,
        code: "sip_account.invalid_extension",
        fields: ["extension"],
      });
      expect(problem(await post("/v1/sip-accounts", { ...input, password: "short" }))).toEqual({
        status: 400,
        code: "sip_account.weak_password",
        fields: ["password"],
      });
      expect(problem(await post("/v1/sip-accounts", { ...input, userId: "user-nope" }))).toEqual({
        status: 400,
        code: "user.not_found",
        fields: ["userId"],
      });
      expect((await post("/v1/sip-accounts", input)).status).toBe(201);
      expect(problem(await post("/v1/sip-accounts", { ...input, extension: "3002" }))).toMatchObject({
        status: 409,
        code: "sip_account.username_taken",
      });
      // Usernames are unique in the deployment (the registrar finds the tenant by them); extensions per tenant.
      expect(problem(await post("/v1/sip-accounts", { ...input, extension: "3002" }, acmeKey))).toMatchObject({
        status: 409,
        code: "sip_account.username_taken",
      });
      expect(problem(await post("/v1/sip-accounts", { ...input, username: "lee" }))).toMatchObject({
        status: 409,
        code: "sip_account.extension_taken",
      });
      expect((await post("/v1/sip-accounts", { ...input, username: "acme.kim" }, acmeKey)).status).toBe(201);
    });
  });

  describe("call records", () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 9, minute));
    let callIds: string[];

    beforeAll(async () => {
      const calls = running.server.store.callRecords;
      const base = {
        tenantId: "",
        from: "+15551234",
        to: "+15550100",
        numberId: null,
        trunkId: null,
        entry: "demo",
        answeredAt: null,
        hangupCause: null,
        recordingIds: [],
        legs: [],
      } satisfies Partial<core.CallRecord>;
      const specs: [core.CallDirection, core.CallResult | null, number][] = [
        ["inbound", "completed", 1],
        ["inbound", "missed", 2],
        ["outbound", "failed", 3],
        ["inbound", "abandoned", 4],
        ["internal", null, 5],
      ];
      callIds = [];
      for (const [i, [direction, result, minute]] of specs.entries()) {
        const id = `call-${database}-${i}`;
        callIds.push(id);
        await calls.createCall({
          ...base,
          id,
          tenantId,
          direction,
          state: result === null ? "answered" : "ended",
          result,
          startedAt: at(minute),
          endedAt: result === null ? null : at(minute + 1),
          durationMs: result === null ? null : 60_000,
          hangupCause: result === null ? null : { by: "caller", reason: "BYE" },
          legs: [
            {
              id: `leg-${database}-${i}`,
              callId: id,
              role: "caller",
              party: "sip:+15551234@192.0.2.10",
              sipCallId: `sip-${i}@192.0.2.10`,
              protocol: "udp",
              startedAt: at(minute),
              answeredAt: null,
              endedAt: null,
              endReason: null,
            },
          ],
        });
      }
      const deps = running.server.domain.callRecords;
      const first = callIds[0] as string;
      await core.addCallLeg(deps, tenantId, first, {
        role: "agent",
        party: "sip:1001@10.0.0.5",
        sipCallId: "agent-1",
        protocol: "tcp",
      });
      await core.recordCallEvent(deps, tenantId, first, "play.ended", {
        legId: `leg-${database}-0`,
        outcome: { ended: "finished" },
      });
      await core.recordCallEvent(deps, tenantId, first, "collect.ended", { outcome: { digits: "5", ended: "max-digits" } });
      await core.recordCallEvent(deps, tenantId, first, "bridge.started", { legIds: ["a", "b"] });
    });

    const idsOf = (reply: Reply) => reply.body.items.map((c: { id: string }) => c.id);

    it("are listed newest first, filtered and paged", async () => {
      const [c0, c1, c2, c3, c4] = callIds;
      const all = await api("/v1/calls");
      expect(all.status).toBe(200);
      expect(idsOf(all)).toEqual([c4, c3, c2, c1, c0]);
      expect(all.body.next).toBeNull();
      expect(idsOf(await api("/v1/calls?direction=inbound"))).toEqual([c3, c1, c0]);
      expect(idsOf(await api("/v1/calls?result=missed"))).toEqual([c1]);
      expect(idsOf(await api("/v1/calls?state=answered"))).toEqual([c4]);
      const range = `since=${encodeURIComponent(at(2).toISOString())}&until=${encodeURIComponent(at(4).toISOString())}`;
      expect(idsOf(await api(`/v1/calls?${range}`))).toEqual([c2, c1]);
      expect(idsOf(await api(`/v1/calls?direction=inbound&${range}`))).toEqual([c1]);
      const page1 = await api("/v1/calls?limit=2");
      expect(idsOf(page1)).toEqual([c4, c3]);
      const page2 = await api(`/v1/calls?limit=2&after=${encodeURIComponent(page1.body.next)}`);
      expect(idsOf(page2)).toEqual([c2, c1]);
      const page3 = await api(`/v1/calls?limit=2&after=${encodeURIComponent(page2.body.next)}`);
      expect(idsOf(page3)).toEqual([c0]);
      expect(page3.body.next).toBeNull();
      expect(problem(await api("/v1/calls?after=garbage"))).toMatchObject({ status: 400, code: "page.invalid_cursor" });
      expect(problem(await api("/v1/calls?since=yesterday"))).toMatchObject({ status: 400, code: "request.invalid" });
      expect(problem(await api("/v1/calls?direction=sideways"))).toMatchObject({ status: 400, code: "request.invalid" });
    });

    it("are read with their legs, and their timeline in order", async () => {
      const first = callIds[0] as string;
      const call = await api(`/v1/calls/${first}`);
      expect(call.status).toBe(200);
      expect(call.body).toMatchObject({
        id: first,
        direction: "inbound",
        from: "+15551234",
        to: "+15550100",
        entry: "demo",
        state: "ended",
        result: "completed",
        hangupCause: { by: "caller", reason: "BYE" },
        startedAt: at(1).toISOString(),
        endedAt: at(2).toISOString(),
        durationMs: 60_000,
        recordingIds: [],
      });
      expect(call.body.legs.map((l: { role: string; protocol: string }) => [l.role, l.protocol])).toEqual([
        ["caller", "udp"],
        ["agent", "tcp"],
      ]);
      const events = await api(`/v1/calls/${first}/events`);
      expect(events.body.items.map((e: { sequence: number; type: string }) => [e.sequence, e.type])).toEqual([
        [1, "play.ended"],
        [2, "collect.ended"],
        [3, "bridge.started"],
      ]);
      expect(events.body.items[1].data).toEqual({ outcome: { digits: "5", ended: "max-digits" } });
      expect((await api(`/v1/calls/${first}/events?after=1&limit=1`)).body.items.map((e: { type: string }) => e.type)).toEqual([
        "collect.ended",
      ]);
      expect(problem(await api("/v1/calls/call-nope"))).toMatchObject({ status: 404, code: "call.not_found" });
      expect(problem(await api("/v1/calls/call-nope/events"))).toMatchObject({ status: 404, code: "call.not_found" });
    });

    it("are for supervisors and admins: an agent is refused", async () => {
      const first = callIds[0] as string;
      expect((await api("/v1/calls", { token: supervisorToken })).body.items).toHaveLength(5);
      expect((await api(`/v1/calls/${first}`, { token: supervisorToken })).status).toBe(200);
      expect((await api(`/v1/calls/${first}/events`, { token: supervisorToken })).status).toBe(200);
      for (const path of ["/v1/calls", `/v1/calls/${first}`, `/v1/calls/${first}/events`]) {
        expect(problem(await api(path, { token: agentToken }))).toMatchObject({ status: 403, code: "auth.supervisor_required" });
      }
    });
  });

  it("refuses agents and supervisors every configuration request", async () => {
    const anyId = "0190a000-0000-7000-8000-000000000000";
    const requests: [string, string, unknown?][] = [
      ["GET", "/v1/phone-numbers"],
      ["POST", "/v1/phone-numbers", { e164: "+15550199", entry: { kind: "flow", flow: "demo" } }],
      ["GET", `/v1/phone-numbers/${anyId}`],
      ["PATCH", `/v1/phone-numbers/${anyId}`, { label: "x" }],
      ["DELETE", `/v1/phone-numbers/${anyId}`],
      ["GET", "/v1/trunks"],
      ["POST", "/v1/trunks", { name: "x" }],
      ["GET", `/v1/trunks/${anyId}`],
      ["PATCH", `/v1/trunks/${anyId}`, { name: "x" }],
      ["DELETE", `/v1/trunks/${anyId}`],
      ["GET", "/v1/sip-accounts"],
      ["POST", "/v1/sip-accounts", { username: "x", extension: "99", password: PHONE_PASSWORD }],
      ["GET", `/v1/sip-accounts/${anyId}`],
      ["PATCH", `/v1/sip-accounts/${anyId}`, { displayName: "x" }],
      ["POST", `/v1/sip-accounts/${anyId}/password`, { password: NEW_PHONE_PASSWORD }],
      ["DELETE", `/v1/sip-accounts/${anyId}`],
    ];
    for (const token of [agentToken, supervisorToken]) {
      for (const [method, path, body] of requests) {
        const reply = await api(path, { method, token, ...(body === undefined ? {} : { body }) });
        expect({ method, path, ...problem(reply) }).toMatchObject({ method, path, status: 403, code: "auth.admin_required" });
      }
    }
  });

  it("never shows one tenant's numbers, trunks, SIP accounts or calls to another", async () => {
    const number = (await post("/v1/phone-numbers", { e164: "+15550177", entry: { kind: "flow", flow: "demo" } })).body;
    const trunk = (await post("/v1/trunks", { name: "private", inbound: { allowList: ["192.0.2.1"] } })).body;
    const account = (await post("/v1/sip-accounts", { username: "private.phone", extension: "4001", password: PHONE_PASSWORD }))
      .body;
    const call = await core.startCall(running.server.domain.callRecords, {
      tenantId,
      direction: "inbound",
      from: "+15551234",
      to: "+15550177",
      numberId: number.id,
    });
    const cases: [string, string, string, unknown?][] = [
      ["GET", `/v1/phone-numbers/${number.id}`, "phone_number.not_found"],
      ["PATCH", `/v1/phone-numbers/${number.id}`, "phone_number.not_found", { label: "mine now" }],
      ["DELETE", `/v1/phone-numbers/${number.id}`, "phone_number.not_found"],
      ["GET", `/v1/trunks/${trunk.id}`, "trunk.not_found"],
      ["PATCH", `/v1/trunks/${trunk.id}`, "trunk.not_found", { name: "mine now" }],
      ["DELETE", `/v1/trunks/${trunk.id}`, "trunk.not_found"],
      ["GET", `/v1/sip-accounts/${account.id}`, "sip_account.not_found"],
      ["PATCH", `/v1/sip-accounts/${account.id}`, "sip_account.not_found", { displayName: "mine now" }],
      ["POST", `/v1/sip-accounts/${account.id}/password`, "sip_account.not_found", { password: "hijacked password" }],
      ["DELETE", `/v1/sip-accounts/${account.id}`, "sip_account.not_found"],
      ["GET", `/v1/calls/${call.id}`, "call.not_found"],
      ["GET", `/v1/calls/${call.id}/events`, "call.not_found"],
    ];
    for (const [method, path, code, body] of cases) {
      const reply = await api(path, { method, token: acmeKey, ...(body === undefined ? {} : { body }) });
      expect({ method, path, ...problem(reply) }).toMatchObject({ method, path, status: 404, code });
    }
    // A number of another tenant's trunk cannot be made.
    expect(
      problem(
        await post("/v1/phone-numbers", { e164: "+15550178", entry: { kind: "flow", flow: "demo" }, trunkId: trunk.id }, acmeKey),
      ),
    ).toEqual({ status: 400, code: "trunk.not_found", fields: ["trunkId"] });
    const acmeLists = await Promise.all(
      ["/v1/phone-numbers", "/v1/trunks", "/v1/sip-accounts", "/v1/calls"].map((p) => api(p, { token: acmeKey })),
    );
    const acmeIds = acmeLists.flatMap((l) => l.body.items.map((i: { id: string }) => i.id));
    for (const id of [number.id, trunk.id, account.id, call.id]) expect(acmeIds).not.toContain(id);
    // Nothing changed.
    expect((await api(`/v1/phone-numbers/${number.id}`)).body).toEqual(number);
    expect((await api(`/v1/sip-accounts/${account.id}`)).body).toEqual(account);
    expect((await running.server.store.sipAccounts.findByUsername("private.phone"))?.ha1).toBe(
      md5(`private.phone:switchboard:${PHONE_PASSWORD}`),
    );
  });

  it("documents the routes in OpenAPI", async () => {
    const openapi = await (await fetch(`${running.baseUrl}/openapi.json`)).json();
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining([
        "/v1/phone-numbers",
        "/v1/phone-numbers/{id}",
        "/v1/trunks",
        "/v1/trunks/{id}",
        "/v1/sip-accounts",
        "/v1/sip-accounts/{id}",
        "/v1/sip-accounts/{id}/password",
        "/v1/calls",
        "/v1/calls/{id}",
        "/v1/calls/{id}/events",
      ]),
    );
    const responses = JSON.stringify([
      openapi.paths["/v1/sip-accounts/{id}"].get.responses,
      openapi.paths["/v1/trunks/{id}"].get.responses,
      openapi.components?.schemas?.SipAccount,
      openapi.components?.schemas?.Trunk,
    ]);
    expect(responses).not.toMatch(/"(ha1|password)"/);
  });

  // Last: it looks at every response the suite received.
  it("never sent a password or an HA1 in any response", async () => {
    expect(seen.length).toBeGreaterThan(50);
    const secrets = [INBOUND_PASSWORD, OUTBOUND_PASSWORD, PHONE_PASSWORD, NEW_PHONE_PASSWORD];
    const ha1s = (await running.server.store.sipAccounts.listSipAccounts(tenantId)).map((a) => a.ha1);
    const trunkHa1s = (await running.server.store.trunks.listTrunks(tenantId)).flatMap((t) => t.inbound.digest?.ha1 ?? []);
    expect(ha1s.length + trunkHa1s.length).toBeGreaterThan(0);
    for (const body of seen) {
      for (const secret of [...secrets, ...ha1s, ...trunkHa1s]) expect(body).not.toContain(secret);
      expect(body).not.toMatch(/"(ha1|password)"\s*:/);
    }
  });
});
