import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SipTestClient, sipText, type TestCall } from "../../testing/sip-test-client.js";
import { sineTone } from "../rtp/audio/audio.js";
import { MediaClock } from "../rtp/clock/media-clock.js";
import type { DtmfEvent } from "../rtp/dtmf/digits.js";
import { RtpPortPool } from "../rtp/socket/port-pool.js";
import type { IncomingLeg } from "../sip/leg/incoming-leg.js";
import type { TransportProtocol } from "../sip/transaction/model.js";
import { UserAgent } from "../sip/user-agent.js";
import { Call } from "./call.js";

/**
 * The agent under test: a user agent on loopback (UDP and TCP on one port) that rings, answers with SDP,
 * plays a 440 Hz tone for a second and listens for keys, except for the number `ringing`, which it never
 * answers (to be cancelled). The test client calls it over real sockets.
 */
interface Agent {
  readonly agent: UserAgent;
  readonly clock: MediaClock;
  readonly calls: Call[];
  readonly legs: IncomingLeg[];
  readonly digits: DtmfEvent[];
  readonly uri: (user: string, protocol?: TransportProtocol) => string;
}

let agent: Agent;
let client: SipTestClient;

async function startAgent(): Promise<Agent> {
  const clock = new MediaClock();
  const base = 20000 + 2 * Math.floor(Math.random() * 4000);
  const ports = new RtpPortPool({ host: "127.0.0.1", min: base, max: base + 99 });
  const calls: Call[] = [];
  const legs: IncomingLeg[] = [];
  const digits: DtmfEvent[] = [];
  const ua = await UserAgent.listen({
    host: "127.0.0.1",
    port: 0,
    onInvite: (leg) => {
      legs.push(leg);
      leg.onDtmf((event) => digits.push(event));
      if (leg.requestUri.startsWith("sip:ringing@")) {
        leg.ring();
        return;
      }
      void Call.answer(leg, { ports, clock, ring: true }).then((result) => {
        if (!result.ok) return;
        calls.push(result.call);
        void result.call.play(sineTone(440, 1000, 8000));
      });
    },
  });
  return {
    agent: ua,
    clock,
    calls,
    legs,
    digits,
    uri: (user, protocol = "udp") => `sip:${user}@127.0.0.1:${ua.port}${protocol === "tcp" ? ";transport=tcp" : ""}`,
  };
}

beforeAll(async () => {
  agent = await startAgent();
  client = await SipTestClient.start();
});

afterAll(async () => {
  const stats = agent.clock.stats();
  console.log(
    `agent RTP send clock: ${stats.ticks} ticks, interval mean ${stats.meanIntervalMs.toFixed(2)} ms, ` +
      `jitter p50 ${stats.jitterP50Ms.toFixed(2)} ms, p99 ${stats.jitterP99Ms.toFixed(2)} ms, max ${stats.jitterMaxMs.toFixed(2)} ms, ` +
      `skipped ${stats.skipped}`,
  );
  await client.close();
  await agent.agent.close();
  agent.clock.stop();
});

const until = async (check: () => boolean, timeoutMs = 5_000) => {
  const started = Date.now();
  while (!check() && Date.now() - started < timeoutMs) await new Promise((resolve) => setTimeout(resolve, 10));
  return check();
};

async function answeredCall(protocol: TransportProtocol): Promise<{ test: TestCall; call: Call }> {
  const before = agent.calls.length;
  const test = await client.call(agent.uri("+15550100", protocol), { protocol });
  const outcome = await test.answered;
  expect(outcome?.ok).toBe(true);
  expect(await until(() => agent.calls.length > before)).toBe(true);
  return { test, call: agent.calls[agent.calls.length - 1] as Call };
}

describe.each(["udp", "tcp"] as const)("a call over %s on loopback", (protocol) => {
  it("is answered with 180 then 200 and plays the agent's 440 Hz tone, which the client hears", async () => {
    const { test, call } = await answeredCall(protocol);
    expect(test.provisional).toContain(180);
    await test.waitForAudio(0.9);
    const heard = test.measure(440);
    console.log(
      `${protocol}: client received ${test.receivedSeconds.toFixed(2)} s of audio, ${heard.dbfs.toFixed(1)} dBFS, ` +
        `${(100 * heard.toneShare).toFixed(1)}% of its power at 440 Hz`,
    );
    // A -12 dBFS sine, nearly all of whose power sits at 440 Hz: audio, not just packets.
    expect(heard.dbfs).toBeGreaterThan(-20);
    expect(heard.toneShare).toBeGreaterThan(0.8);
    expect(call.media.audio?.codec).toBe("PCMU");
    await test.hangup();
    expect(await call.ended).toEqual({ by: "remote", cause: "bye" });
  });

  it("carries keys to the agent as RFC 4733 events, and does not listen for tones when events were negotiated", async () => {
    const { test, call } = await answeredCall(protocol);
    expect(call.media.stats.inbandDtmf).toBe(false);
    const before = agent.digits.length;
    await test.sendDtmf("159#", { mode: "rfc4733" });
    await test.sendDtmf("*307", { mode: "inband" });
    expect(await until(() => agent.digits.length - before >= 4)).toBe(true);
    // The tones went out after the events; give them the time a detection would take before checking none came.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(agent.digits.slice(before)).toEqual([..."159#"].map((digit) => ({ digit, source: "rfc4733" })));
    await test.hangup();
    expect(await call.ended).toEqual({ by: "remote", cause: "bye" });
  });

  it("hears keys sent as in-band tones from a caller that offers no telephone-event", async () => {
    const before = agent.calls.length;
    const test = await client.call(agent.uri("+15550100", protocol), { protocol, telephoneEvent: false });
    expect((await test.answered)?.ok).toBe(true);
    expect(await until(() => agent.calls.length > before)).toBe(true);
    const call = agent.calls[agent.calls.length - 1] as Call;
    expect(call.media.audio?.telephoneEvent).toBeUndefined();
    expect(call.media.stats.inbandDtmf).toBe(true);
    const digits = agent.digits.length;
    await test.sendDtmf("*307");
    expect(await until(() => agent.digits.length - digits >= 4)).toBe(true);
    expect(agent.digits.slice(digits)).toEqual([..."*307"].map((digit) => ({ digit, source: "inband" })));
    // The agent hangs up this time.
    await call.hangup();
    expect(await test.ended).toEqual({ by: "remote", cause: "bye" });
  });
});

describe("call control on loopback", () => {
  it("CANCEL before the answer gives 487", async () => {
    const before = agent.legs.length;
    const test = await client.call(agent.uri("ringing"));
    expect(await until(() => agent.legs.length > before && test.provisional.includes(180))).toBe(true);
    test.cancel();
    expect(await test.answered).toMatchObject({ ok: false, status: 487 });
    const leg = agent.legs[agent.legs.length - 1] as IncomingLeg;
    expect(await leg.ended).toEqual({ by: "remote", cause: "cancel" });
  });

  it("re-INVITE puts the agent on hold (it stops sending) and resumes it", async () => {
    const { test, call } = await answeredCall("udp");
    const holds: boolean[] = [];
    call.onHold((held) => holds.push(held));
    const hold = await test.hold();
    expect(hold.ok).toBe(true);
    expect(call.media.direction).toBe("recvonly");
    expect(test.call.media.direction).toBe("sendonly");
    const sentWhileHeld = call.media.stats.rtp.packetsSent;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(call.media.stats.rtp.packetsSent).toBe(sentWhileHeld);
    const resume = await test.resume();
    expect(resume.ok).toBe(true);
    expect(call.media.direction).toBe("sendrecv");
    expect(await until(() => call.media.stats.rtp.packetsSent > sentWhileHeld)).toBe(true);
    expect(holds).toEqual([true, false]);
    await test.hangup();
  });

  it("answers malformed requests with 400, over UDP and TCP, and keeps serving", async () => {
    const cases = [
      "Max-Forwards: lots\n",
      "Not a header line\n",
      "CSeq: 2 OPTIONS\n",
      "To: <sip:agent@127.0.0.1;tag=unterminated\n",
    ];
    for (const protocol of ["udp", "tcp"] as const) {
      // Over UDP a datagram shorter than its Content-Length is malformed; over TCP the rest may still come.
      const all = protocol === "udp" ? [...cases, "Content-Length: 500\n"] : cases;
      for (const [index, extra] of all.entries()) {
        const callId = `malformed-${protocol}-${index}-${Math.random()}`;
        const text =
          `OPTIONS ${agent.uri("agent")} SIP/2.0\nVia: ${client.via(protocol)}\nFrom: <sip:probe@127.0.0.1>;tag=p\n` +
          `To: <sip:agent@127.0.0.1>\nCall-ID: ${callId}\nCSeq: 1 OPTIONS\n${extra}\n`;
        // Over TCP the stream needs its Content-Length framing to be readable at all.
        const withLength =
          protocol === "tcp" && !extra.startsWith("Content-Length") ? text.replace(/\n\n$/, "\nContent-Length: 0\n\n") : text;
        await client.sendRaw(sipText(withLength), { protocol, host: "127.0.0.1", port: agent.agent.port });
        const response = await client.responseTo(callId);
        expect(response?.status, `${protocol} ${extra}`).toBe(400);
      }
    }
    await client.sendRaw(Buffer.from([0, 1, 2, 3, 255]), { protocol: "udp", host: "127.0.0.1", port: agent.agent.port });
    const ping = await client.agent.request("OPTIONS", agent.uri("agent"));
    expect(ping !== "timeout" && ping !== "error" && ping.status).toBe(200);
    const { test } = await answeredCall("udp");
    await test.hangup();
  });
});
