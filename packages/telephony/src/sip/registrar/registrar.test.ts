import { describe, expect, it } from "vitest";
import { MemorySipNetwork } from "../../../testing/memory-sip-network.js";
import { ManualScheduler } from "../../scheduler/scheduler.js";
import { DigestAuthenticator } from "../auth/digest-authenticator.js";
import { digestHa1 } from "../message/digest.js";
import type { SipRequest, SipResponse } from "../message/model.js";
import { contactHeaders } from "../message/name-addr.js";
import { parseSipMessage } from "../message/parse.js";
import type { Source } from "../transaction/model.js";
import { addressOfRecord } from "./address-of-record.js";
import { MemoryLocationService } from "./location-service.js";
import { Registrar, type RegistrarEvent } from "./registrar.js";

const REALM = "switchboard";
const ACCOUNTS: Record<string, string> = { "1001": "secret-1001", "1002": "secret-1002" };

function setup(options: { minExpires?: number; maxExpires?: number; maxContacts?: number; auth?: boolean } = {}) {
  const scheduler = new ManualScheduler();
  const network = new MemorySipNetwork();
  const location = new MemoryLocationService();
  const authenticator = new DigestAuthenticator({
    realm: REALM,
    lookup: (username, realm) => {
      const password = ACCOUNTS[username];
      return password === undefined ? undefined : digestHa1(username, realm, password);
    },
    clock: () => scheduler.now(),
  });
  const registrar = new Registrar({
    location,
    scheduler,
    ...(options.auth === false ? {} : { authenticator }),
    ...(options.minExpires === undefined ? {} : { minExpires: options.minExpires }),
    ...(options.maxExpires === undefined ? {} : { maxExpires: options.maxExpires }),
    ...(options.maxContacts === undefined ? {} : { maxContacts: options.maxContacts }),
  });
  const events: RegistrarEvent[] = [];
  registrar.onEvent((event) => events.push(event));
  const server = network.userAgent("10.0.0.1", 5060, { scheduler, onRegister: (r, s) => registrar.handle(r, s) });
  const phone = network.userAgent("192.168.1.20", 5060, { scheduler, contactUser: "1001" });
  const summary = () => events.map((e) => `${e.kind} ${e.binding.contact}`);
  return { scheduler, network, location, registrar, events, server, phone, summary };
}

/** A REGISTER as a phone would write it, for the cases a well-behaved client never produces. */
function registerText(lines: { contact?: string[]; expires?: string; callId?: string; cseq?: number; to?: string }): SipRequest {
  const contacts = (lines.contact ?? []).map((c) => `Contact: ${c}\r\n`).join("");
  const text =
    "REGISTER sip:10.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 192.168.1.30:5060;branch=z9hG4bK" +
    `${Math.random().toString(36).slice(2)}\r\nMax-Forwards: 70\r\nFrom: <sip:1002@10.0.0.1>;tag=x\r\n` +
    `To: ${lines.to ?? "<sip:1002@10.0.0.1>"}\r\nCall-ID: ${lines.callId ?? "call-1"}\r\nCSeq: ${lines.cseq ?? 1} REGISTER\r\n` +
    `${contacts}${lines.expires === undefined ? "" : `Expires: ${lines.expires}\r\n`}Content-Length: 0\r\n\r\n`;
  const parsed = parseSipMessage(Buffer.from(text));
  if (!parsed.ok || parsed.message.type !== "request") throw new Error("bad test request");
  return parsed.message;
}

const NATTED: Source = { protocol: "udp", address: "203.0.113.50", port: 40123 };

const contactsOf = (response: SipResponse) => {
  const contacts = contactHeaders(response);
  return Array.isArray(contacts) ? contacts.map((c) => `${c.uri} ${c.params.get("expires")}`) : [];
};

describe("Registrar", () => {
  it("registers a phone through the digest challenge; its contact, source and expiry are then known", async () => {
    const t = setup();
    const registration = t.phone.registration({
      registrar: "sip:10.0.0.1",
      credentials: { username: "1001", password: "secret-1001" },
      expires: 600,
    });
    const done = registration.register();
    await t.network.settle();
    const outcome = await done;
    expect(outcome).toMatchObject({ ok: true, expires: 600 });
    expect(t.network.log.map((d) => (d.message.type === "request" ? d.message.method : d.message.status))).toEqual([
      "REGISTER",
      401,
      "REGISTER",
      200,
    ]);
    const [first, second] = t.network.log.filter((d) => d.message.type === "request").map((d) => d.message as SipRequest);
    // One Call-ID for the registration, the CSeq growing (RFC 3261 §10.2.4).
    expect(second?.headers.get("Call-ID")).toBe(first?.headers.get("Call-ID"));
    expect([first?.headers.get("CSeq"), second?.headers.get("CSeq")]).toEqual(["1 REGISTER", "2 REGISTER"]);
    const contacts = await t.registrar.contacts("sip:1001@10.0.0.1:5060;transport=udp");
    expect(contacts).toMatchObject([
      {
        uri: "sip:1001@192.168.1.20:5060",
        destination: { protocol: "udp", host: "192.168.1.20", port: 5060 },
        expiresInSeconds: 600,
        q: 1,
        binding: { aor: "sip:1001@10.0.0.1", username: "1001", callId: first?.headers.get("Call-ID") },
      },
    ]);
    expect(t.summary()).toEqual(["registered sip:1001@192.168.1.20:5060"]);
    expect(registration.registered).toBe(true);
  });

  it("answers a wrong password with 401 again (and the phone gives up), an account registering another AOR with 403", async () => {
    const t = setup();
    const wrong = t.phone.registration({ registrar: "sip:10.0.0.1", credentials: { username: "1001", password: "nope" } });
    const failed = wrong.register();
    await t.network.settle();
    expect(await failed).toMatchObject({ ok: false, status: 401 });
    const theft = t.phone.registration({
      registrar: "sip:10.0.0.1",
      aor: "sip:1002@10.0.0.1",
      credentials: { username: "1001", password: "secret-1001" },
    });
    const refused = theft.register();
    await t.network.settle();
    expect(await refused).toMatchObject({ ok: false, status: 403 });
    expect(t.events).toEqual([]);
  });

  it("remembers where a NATed phone really is: calls go to the source address, not the private Contact", async () => {
    const t = setup({ auth: false });
    const response = await t.registrar.handle(
      registerText({ contact: ["<sip:1002@192.168.1.30:5060>"], expires: "300" }),
      NATTED,
    );
    expect(response.status).toBe(200);
    const [contact] = await t.registrar.contacts("sip:1002@10.0.0.1");
    expect(contact?.uri).toBe("sip:1002@192.168.1.30:5060");
    expect(contact?.destination).toEqual({ protocol: "udp", host: "203.0.113.50", port: 40123 });
  });

  it("keeps several contacts per AOR, lists them all with their remaining time, and expires each on its own", async () => {
    const t = setup({ auth: false });
    const first = await t.registrar.handle(
      registerText({ contact: ["<sip:1002@192.168.1.30>;expires=120", "<sip:1002@192.168.1.31>;q=0.5"], expires: "600" }),
      NATTED,
    );
    expect(contactsOf(first)).toEqual(["sip:1002@192.168.1.30 120", "sip:1002@192.168.1.31 600"]);
    t.scheduler.advance(30_000);
    const second = await t.registrar.handle(
      registerText({ contact: ["<sip:1002@10.9.9.9>"], expires: "300", callId: "call-2" }),
      NATTED,
    );
    expect(contactsOf(second)).toEqual(["sip:1002@192.168.1.30 90", "sip:1002@192.168.1.31 570", "sip:1002@10.9.9.9 300"]);
    expect((await t.registrar.contacts("sip:1002@10.0.0.1")).map((c) => c.uri)).toEqual([
      "sip:1002@10.9.9.9",
      "sip:1002@192.168.1.30",
      "sip:1002@192.168.1.31",
    ]);
    t.scheduler.advance(90_000);
    await Promise.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(t.summary().slice(3)).toEqual(["expired sip:1002@192.168.1.30"]);
    expect((await t.location.bindings("sip:1002@10.0.0.1")).map((b) => b.contact)).toEqual([
      "sip:1002@192.168.1.31",
      "sip:1002@10.9.9.9",
    ]);
  });

  it("refreshes a binding (same contact, later CSeq), which moves its expiry and its timer", async () => {
    const t = setup({ auth: false });
    await t.registrar.handle(registerText({ contact: ["<sip:1002@192.168.1.30>"], expires: "100" }), NATTED);
    t.scheduler.advance(80_000);
    const refreshed = await t.registrar.handle(
      registerText({ contact: ["<sip:1002@192.168.1.30>"], expires: "100", cseq: 2 }),
      NATTED,
    );
    expect(contactsOf(refreshed)).toEqual(["sip:1002@192.168.1.30 100"]);
    t.scheduler.advance(50_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await t.registrar.contacts("sip:1002@10.0.0.1")).toHaveLength(1);
    t.scheduler.advance(50_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await t.registrar.contacts("sip:1002@10.0.0.1")).toHaveLength(0);
    expect(t.events.map((e) => (e.kind === "registered" ? `registered ${e.refreshed}` : e.kind))).toEqual([
      "registered false",
      "registered true",
      "expired",
    ]);
  });

  it("refuses too brief an interval with 423 and Min-Expires; a registering phone retries with it", async () => {
    const open = setup({ auth: false, minExpires: 60 });
    const brief = await open.registrar.handle(registerText({ contact: ["<sip:1002@192.168.1.30>"], expires: "30" }), NATTED);
    expect(brief.status).toBe(423);
    expect(brief.headers.get("Min-Expires")).toBe("60");
    const t = setup({ minExpires: 60 });
    const registration = t.phone.registration({
      registrar: "sip:10.0.0.1",
      credentials: { username: "1001", password: "secret-1001" },
      expires: 20,
    });
    const done = registration.register();
    await t.network.settle();
    expect(await done).toMatchObject({ ok: true, expires: 60 });
    // The retry reuses the challenge it answered (RFC 3261 §22.1): no second 401.
    expect(t.network.log.filter((d) => d.message.type === "response").map((d) => (d.message as SipResponse).status)).toEqual([
      401, 423, 200,
    ]);
  });

  it("shortens what exceeds the maximum, takes the default when nothing is said, and treats 0 as removal", async () => {
    const t = setup({ auth: false, maxExpires: 1800 });
    const long = await t.registrar.handle(registerText({ contact: ["<sip:1002@192.168.1.30>"], expires: "86400" }), NATTED);
    expect(contactsOf(long)).toEqual(["sip:1002@192.168.1.30 1800"]);
    const unsaid = await t.registrar.handle(registerText({ contact: ["<sip:1002@192.168.1.31>"], cseq: 2 }), NATTED);
    expect(contactsOf(unsaid)).toEqual(["sip:1002@192.168.1.30 1800", "sip:1002@192.168.1.31 1800"]);
    const removed = await t.registrar.handle(
      registerText({ contact: ["<sip:1002@192.168.1.30>;expires=0"], cseq: 3, expires: "3600" }),
      NATTED,
    );
    expect(contactsOf(removed)).toEqual(["sip:1002@192.168.1.31 1800"]);
    expect(t.summary()).toContain("unregistered sip:1002@192.168.1.30");
  });

  it("Contact: * with Expires: 0 removes every binding; a wildcard otherwise is a 400", async () => {
    const t = setup({ auth: false });
    await t.registrar.handle(registerText({ contact: ["<sip:1002@192.168.1.30>", "<sip:1002@192.168.1.31>"] }), NATTED);
    const withoutZero = await t.registrar.handle(registerText({ contact: ["*"], expires: "60", cseq: 2 }), NATTED);
    expect(withoutZero.status).toBe(400);
    const mixed = await t.registrar.handle(registerText({ contact: ["*", "<sip:1002@1.2.3.4>"], expires: "0", cseq: 2 }), NATTED);
    expect(mixed.status).toBe(400);
    const wildcard = await t.registrar.handle(registerText({ contact: ["*"], expires: "0", cseq: 2 }), NATTED);
    expect(wildcard.status).toBe(200);
    expect(wildcard.headers.getAll("Contact")).toEqual([]);
    expect(await t.registrar.contacts("sip:1002@10.0.0.1")).toEqual([]);
    expect(t.events.filter((e) => e.kind === "unregistered")).toHaveLength(2);
  });

  it("refuses an out-of-order REGISTER (same Call-ID, CSeq not higher) with 500 and changes nothing", async () => {
    const t = setup({ auth: false });
    await t.registrar.handle(registerText({ contact: ["<sip:1002@192.168.1.30>"], cseq: 5 }), NATTED);
    const stale = await t.registrar.handle(
      registerText({ contact: ["<sip:1002@192.168.1.31>", "<sip:1002@192.168.1.30>;expires=0"], cseq: 5 }),
      NATTED,
    );
    expect(stale.status).toBe(500);
    expect((await t.registrar.contacts("sip:1002@10.0.0.1")).map((c) => c.uri)).toEqual(["sip:1002@192.168.1.30"]);
    const wildcard = await t.registrar.handle(registerText({ contact: ["*"], expires: "0", cseq: 4 }), NATTED);
    expect(wildcard.status).toBe(500);
    // Another Call-ID (the phone rebooted) may change it whatever its CSeq.
    const rebooted = await t.registrar.handle(registerText({ contact: ["*"], expires: "0", cseq: 1, callId: "call-9" }), NATTED);
    expect(rebooted.status).toBe(200);
  });

  it("answers a query (no Contact) with the current bindings, and refuses what does not parse", async () => {
    const t = setup({ auth: false });
    await t.registrar.handle(registerText({ contact: ["<sip:1002@192.168.1.30>"] }), NATTED);
    const query = await t.registrar.handle(registerText({ cseq: 2 }), NATTED);
    expect(contactsOf(query)).toEqual(["sip:1002@192.168.1.30 3600"]);
    expect(query.headers.get("Date")).toMatch(/GMT$/);
    expect((await t.registrar.handle(registerText({ contact: ["<sip:x@1.2.3.4>"], expires: "soon" }), NATTED)).status).toBe(400);
    expect((await t.registrar.handle(registerText({ contact: ["<sip:x@1.2.3.4>;expires=-1"] }), NATTED)).status).toBe(400);
    expect((await t.registrar.handle(registerText({ contact: ["<sip:x@1.2.3.4>;q=2"] }), NATTED)).status).toBe(400);
    expect((await t.registrar.handle(registerText({ to: "<tel:+15550100>" }), NATTED)).status).toBe(404);
  });

  it("keeps at most maxContacts per AOR, dropping the soonest to expire", async () => {
    const t = setup({ auth: false, maxContacts: 2 });
    await t.registrar.handle(registerText({ contact: ["<sip:1002@10.0.0.10>"], expires: "100" }), NATTED);
    await t.registrar.handle(registerText({ contact: ["<sip:1002@10.0.0.11>"], expires: "200", cseq: 2 }), NATTED);
    const third = await t.registrar.handle(registerText({ contact: ["<sip:1002@10.0.0.12>"], expires: "300", cseq: 3 }), NATTED);
    expect(contactsOf(third).map((c) => c.split(" ")[0])).toEqual(["sip:1002@10.0.0.11", "sip:1002@10.0.0.12"]);
    expect(t.events.at(-1)).toMatchObject({
      kind: "unregistered",
      reason: "evicted",
      binding: { contact: "sip:1002@10.0.0.10" },
    });
  });

  it("the phone refreshes before expiry and unregisters on request", async () => {
    const t = setup();
    const registration = t.phone.registration({
      registrar: "sip:10.0.0.1",
      credentials: { username: "1001", password: "secret-1001" },
      expires: 120,
    });
    const done = registration.register();
    await t.network.settle();
    await done;
    const registers = () => t.network.log.filter((d) => d.message.type === "request" && d.message.method === "REGISTER").length;
    expect(registers()).toBe(2);
    t.scheduler.advance(60_000);
    await t.network.settle();
    // The refresh answers the cached challenge at once: one REGISTER, one 200.
    expect(registers()).toBe(3);
    // Once the nonce is stale (5 minutes), the registrar says so and the phone takes a fresh one.
    for (let i = 0; i < 5; i++) {
      t.scheduler.advance(60_000);
      await t.network.settle();
    }
    expect(registers()).toBe(9);
    const stale = t.network.log.filter((d) => d.message.type === "response" && d.message.status === 401).at(-1);
    expect(stale?.message.headers.get("WWW-Authenticate")).toContain("stale=TRUE");
    expect(t.events.map((e) => (e.kind === "registered" ? `registered ${e.refreshed}` : e.kind))).toEqual([
      "registered false",
      "registered true",
      "registered true",
      "registered true",
      "registered true",
      "registered true",
      "registered true",
    ]);
    const gone = registration.unregister();
    await t.network.settle();
    expect(await gone).toMatchObject({ ok: true, expires: 0 });
    expect(await t.registrar.contacts("sip:1001@10.0.0.1")).toEqual([]);
    expect(registration.registered).toBe(false);
    t.scheduler.advance(600_000);
    await t.network.settle();
    expect(registers()).toBe(10);
  });

  it("without onRegister a user agent answers REGISTER with 405 and leaves it out of Allow", async () => {
    const network = new MemorySipNetwork();
    const scheduler = new ManualScheduler();
    network.userAgent("10.0.0.1", 5060, { scheduler });
    const phone = network.userAgent("10.0.0.2", 5060, { scheduler });
    const registration = phone.registration({ registrar: "sip:10.0.0.1", aor: "sip:1001@10.0.0.1" });
    const done = registration.register();
    await network.settle();
    const outcome = await done;
    expect(outcome).toMatchObject({ ok: false, status: 405 });
    if (!outcome.ok) expect(outcome.response?.headers.getAll("Allow")).not.toContain("REGISTER");
    const t = setup();
    const options = t.phone.request("OPTIONS", "sip:10.0.0.1");
    await t.network.settle();
    expect(((await options) as SipResponse).headers.getAll("Allow")).toContain("REGISTER");
  });

  it("keeps every AOR under one domain when told to, whatever host the phone wrote", async () => {
    const location = new MemoryLocationService();
    const registrar = new Registrar({ location, scheduler: new ManualScheduler(), domain: "Switchboard" });
    await registrar.handle(registerText({ contact: ["<sip:1002@192.168.1.30>"] }), NATTED);
    expect(await location.addresses()).toEqual(["sip:1002@switchboard"]);
    expect(await registrar.contacts("sip:1002@switchboard")).toHaveLength(1);
    expect(await registrar.contacts("sip:1002@127.0.0.1:5060")).toHaveLength(1);
    registrar.close();
  });

  it("after a restart (a new registrar on the same store) reaches the phone, expires it on time, and drops what expired meanwhile", async () => {
    // One wall clock across both processes, as the server's `Date.now`; each process has its own scheduler.
    const WALL = 1_767_225_600_000;
    const before = new ManualScheduler();
    const location = new MemoryLocationService();
    const first = new Registrar({ location, scheduler: before, clock: () => WALL + before.now() });
    await first.handle(registerText({ contact: ["<sip:1002@192.168.1.30>"], expires: "600" }), NATTED);
    await first.handle(registerText({ contact: ["<sip:1003@192.168.1.40>"], expires: "60", to: "<sip:1003@10.0.0.1>" }), NATTED);
    expect((await location.bindings("sip:1002@10.0.0.1"))[0]?.expiresAt).toBe(WALL + 600_000);
    first.close();

    // Down for two minutes: 1003's binding expired with nobody to time it.
    const after = new ManualScheduler();
    const second = new Registrar({ location, scheduler: after, clock: () => WALL + 120_000 + after.now() });
    const events: RegistrarEvent[] = [];
    second.onEvent((event) => events.push(event));
    expect(await second.contacts("sip:1003@10.0.0.1")).toEqual([]);
    expect(await second.contacts("sip:1002@10.0.0.1")).toMatchObject([
      { uri: "sip:1002@192.168.1.30", destination: { host: "203.0.113.50", port: 40123 }, expiresInSeconds: 480 },
    ]);
    await second.resume();
    expect(events.map((e) => `${e.kind} ${e.binding.aor}`)).toEqual(["expired sip:1003@10.0.0.1"]);
    expect(await location.addresses()).toEqual(["sip:1002@10.0.0.1"]);
    // The new process times the binding it found, as if it had made it.
    after.advance(479_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await location.addresses()).toEqual(["sip:1002@10.0.0.1"]);
    after.advance(1_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await location.addresses()).toEqual([]);
    expect(events.map((e) => `${e.kind} ${e.binding.aor}`)).toEqual(["expired sip:1003@10.0.0.1", "expired sip:1002@10.0.0.1"]);
    second.close();
  });

  it("reports a store that fails to remove an expired binding, and never reports it as a contact", async () => {
    const scheduler = new ManualScheduler();
    const memory = new MemoryLocationService();
    let failing = false;
    const location = {
      bindings: (aor: string) => memory.bindings(aor),
      addresses: () => memory.addresses(),
      replace: async (aor: string, bindings: Parameters<MemoryLocationService["replace"]>[1]) => {
        if (failing) throw new Error("the database is down");
        await memory.replace(aor, bindings);
      },
    };
    const errors: unknown[] = [];
    const registrar = new Registrar({ location, scheduler, onError: (error) => errors.push(error) });
    await registrar.handle(registerText({ contact: ["<sip:1002@192.168.1.30>"], expires: "60" }), NATTED);
    failing = true;
    scheduler.advance(60_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toMatchObject([{ message: "the database is down" }]);
    expect(await memory.addresses()).toEqual(["sip:1002@10.0.0.1"]);
    expect(await registrar.contacts("sip:1002@10.0.0.1")).toEqual([]);
    // The next start's resume removes it.
    failing = false;
    await registrar.resume();
    expect(await memory.addresses()).toEqual([]);
    registrar.close();
  });

  it("canonicalizes addresses of record", () => {
    expect(addressOfRecord("sip:%31001@Example.COM:5070;transport=tcp?x=y")).toBe("sip:1001@example.com");
    expect(addressOfRecord("sips:alice@example.com")).toBe("sips:alice@example.com");
    expect(addressOfRecord("sip:example.com")).toBeUndefined();
    expect(addressOfRecord("tel:+15550100")).toBeUndefined();
  });
});
