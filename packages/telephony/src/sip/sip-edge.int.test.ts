import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SipTestClient } from "../../testing/sip-test-client.js";
import { Call } from "../call/call.js";
import { sineTone } from "../rtp/audio/audio.js";
import { MediaClock } from "../rtp/clock/media-clock.js";
import { RtpPortPool } from "../rtp/socket/port-pool.js";
import { type AccessEvent, InboundAccess } from "./access/inbound-access.js";
import { DigestAuthenticator } from "./auth/digest-authenticator.js";
import type { IncomingLeg } from "./leg/incoming-leg.js";
import type { IncomingRefer } from "./leg/refer-subscription.js";
import { digestHa1 } from "./message/digest.js";
import { MemoryLocationService } from "./registrar/location-service.js";
import { Registrar, type RegistrarEvent } from "./registrar/registrar.js";
import { parseSipUri } from "./uri/uri.js";
import { UserAgent } from "./user-agent.js";

/**
 * The SIP edge wired as the server wires it, on loopback with real UDP and TCP: one InboundAccess (the
 * carrier's trunk allows 127.0.0.1 only), one DigestAuthenticator shared by the registrar and the user
 * agent, a Registrar on an in-memory location service. Calls to `1001` go to the phone registered for
 * sip:1001@127.0.0.1 (signalling passed through, so media flows between the two clients); other numbers are
 * answered with media and take transfers to the registered phone.
 */
const PASSWORD = "phone-1001-secret";
const REALM = "switchboard";

let server: UserAgent;
let registrar: Registrar;
let clock: MediaClock;
const accessEvents: AccessEvent[] = [];
const registrarEvents: RegistrarEvent[] = [];
const answered: IncomingLeg[] = [];
const refers: IncomingRefer[] = [];

async function toPhone(uri: string, offer: string | undefined) {
  const [contact] = await registrar.contacts(uri);
  if (!contact) return undefined;
  return server.invite(contact.uri, { destination: contact.destination, ...(offer === undefined ? {} : { sdp: offer }) });
}

beforeAll(async () => {
  clock = new MediaClock();
  const base = 24000 + 2 * Math.floor(Math.random() * 3000);
  const ports = new RtpPortPool({ host: "127.0.0.1", min: base, max: base + 49 });
  const access = new InboundAccess({ trunks: [{ id: "carrier", allow: ["127.0.0.1/32"] }] });
  access.onEvent((event) => accessEvents.push(event));
  const authenticator = new DigestAuthenticator({
    realm: REALM,
    lookup: (username, realm) => (username === "1001" ? digestHa1(username, realm, PASSWORD) : undefined),
  });
  registrar = new Registrar({ location: new MemoryLocationService(), authenticator });
  registrar.onEvent((event) => registrarEvents.push(event));
  server = await UserAgent.listen({
    host: "127.0.0.1",
    port: 0,
    access,
    authenticator,
    onRegister: (request, source) => registrar.handle(request, source),
    onInvite: async (leg) => {
      const user = parseSipUri(leg.requestUri)?.user;
      if (user === "1001") {
        const out = await toPhone(`sip:1001@127.0.0.1`, leg.offer);
        if (!out) return leg.reject(480);
        const outcome = await out.answered;
        if (!outcome.ok) return leg.reject(outcome.status);
        leg.onEnded(() => void out.hangup());
        out.onEnded(() => void leg.hangup());
        await leg.answer(outcome.response.body.toString("utf8"));
        return;
      }
      const result = await Call.answer(leg, { ports, clock });
      if (!result.ok) return;
      answered.push(leg);
      leg.onRefer(async (refer) => {
        refers.push(refer);
        const out = await toPhone(refer.target.uri, result.call.media.offer());
        if (!out) return refer.reject(404);
        refer.subscription.trackLeg(out);
      });
    },
  });
});

afterAll(async () => {
  registrar.close();
  await server.close();
  clock.stop();
});

const serverUri = (user: string, protocol: "udp" | "tcp" = "udp") =>
  `sip:${user}@127.0.0.1:${server.port}${protocol === "tcp" ? ";transport=tcp" : ""}`;

describe.each(["udp", "tcp"] as const)("the SIP edge over %s", (protocol) => {
  it("registers a phone with digest, and a call to its AOR reaches it (media flowing end to end)", async () => {
    const phone = await SipTestClient.start({ product: "phone" });
    const caller = await SipTestClient.start({ product: "carrier" });
    try {
      phone.acceptCalls({ play: sineTone(440, 600, 8000) });
      const registered = await phone.register(`sip:127.0.0.1:${server.port}`, {
        username: "1001",
        password: PASSWORD,
        expires: 300,
        protocol,
      });
      expect(registered).toMatchObject({ ok: true, expires: 300 });
      const [contact] = await registrar.contacts("sip:1001@127.0.0.1");
      expect(contact?.destination.protocol).toBe(protocol);
      // Over TCP the phone's source port is its connection's, not its listening port: calls reuse that flow.
      if (protocol === "tcp") expect(contact?.destination.port).not.toBe(phone.port);

      const call = await caller.call(serverUri("1001", protocol), { protocol });
      const outcome = await call.answered;
      expect(outcome?.ok).toBe(true);
      expect(phone.incomingLegs[0]?.requestUri).toBe(contact?.uri);
      await call.waitForAudio(0.3);
      expect(call.measure(440).toneShare).toBeGreaterThan(0.8);
      await call.hangup();

      const unregistered = await phone.unregister();
      expect(unregistered).toMatchObject({ ok: true, expires: 0 });
      expect(await registrar.contacts("sip:1001@127.0.0.1")).toEqual([]);
      expect(registrarEvents.slice(-2).map((event) => event.kind)).toEqual(["registered", "unregistered"]);
    } finally {
      await caller.close();
      await phone.close();
    }
  });

  it("transfers an established call with REFER to the registered phone, reporting progress", async () => {
    const phone = await SipTestClient.start({ product: "phone" });
    const caller = await SipTestClient.start({ product: "carrier" });
    try {
      phone.acceptCalls();
      await phone.register(`sip:127.0.0.1:${server.port}`, { username: "1001", password: PASSWORD, protocol });
      const call = await caller.call(serverUri("+15550100", protocol), { protocol });
      expect((await call.answered)?.ok).toBe(true);
      const transfer = call.refer("sip:1001@127.0.0.1", { referredBy: "sip:carrier@127.0.0.1" });
      expect(await transfer.accepted).toBe(202);
      expect(await transfer.outcome).toEqual({ kind: "succeeded", status: 200 });
      expect(transfer.progress.map((report) => report.status)).toEqual([100, 180, 200]);
      expect(refers.at(-1)?.referredBy?.uri).toBe("sip:carrier@127.0.0.1");
      expect(phone.incomingLegs).toHaveLength(1);
      await call.hangup();
      await phone.unregister();
    } finally {
      await caller.close();
      await phone.close();
    }
  });

  it("refuses a call from outside the allow list with 403", async () => {
    const stranger = await SipTestClient.start({ host: "127.0.0.2", product: "stranger" });
    try {
      const call = await stranger.call(serverUri("+15550100", protocol), { protocol });
      expect(await call.answered).toMatchObject({ ok: false, status: 403 });
      expect(accessEvents).toContainEqual({ kind: "forbidden", address: "127.0.0.2", method: "INVITE" });
    } finally {
      await stranger.close();
    }
  });
});
