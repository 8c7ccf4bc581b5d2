import dgram from "node:dgram";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SipTestClient } from "../../testing/sip-test-client.js";
import { runSipp, sippAvailable } from "../../testing/sipp.js";
import { sineTone } from "../rtp/audio/audio.js";
import { MediaClock } from "../rtp/clock/media-clock.js";
import type { DtmfEvent } from "../rtp/dtmf/digits.js";
import { RtpPortPool } from "../rtp/socket/port-pool.js";
import { UserAgent } from "../sip/user-agent.js";
import { Call } from "./call.js";

/** sipp (Debian's sip-tester) drives our user agent: an independent implementation checks ours. */
describe.skipIf(!sippAvailable())("sipp against the user agent", () => {
  let agent: UserAgent;
  const clock = new MediaClock();
  const digits: DtmfEvent[] = [];
  const calls: Call[] = [];

  beforeAll(async () => {
    const base = 24000 + 2 * Math.floor(Math.random() * 3000);
    const ports = new RtpPortPool({ host: "127.0.0.1", min: base, max: base + 199 });
    agent = await UserAgent.listen({
      host: "127.0.0.1",
      port: 0,
      onInvite: (leg) => {
        leg.onDtmf((event) => digits.push(event));
        void Call.answer(leg, { ports, clock, ring: true }).then((result) => {
          if (!result.ok) return;
          calls.push(result.call);
          void result.call.play(sineTone(440, 3000, 6000));
        });
      },
    });
  });

  afterAll(async () => {
    await agent.close();
    clock.stop();
  });

  it("completes sipp's uac scenario (INVITE, 100, 180, 200, ACK, BYE) with zero failed calls", async () => {
    const run = await runSipp({ scenario: "uac", target: `127.0.0.1:${agent.port}`, calls: 20, rate: 50, pauseMs: 200 });
    console.log(
      `sipp uac: ${run.successfulCalls} successful, ${run.failedCalls} failed, exit ${run.exitCode}, ${run.millis.toFixed(0)} ms`,
    );
    if (run.exitCode !== 0) console.log(run.output.slice(-3000));
    expect(run.exitCode).toBe(0);
    expect(run.failedCalls).toBe(0);
    expect(run.successfulCalls).toBe(20);
    expect(agent.activeLegs).toBe(0);
  });

  it("completes sipp's uac_pcap scenario (PCMA audio, an RFC 2833 key) and hears the key", async () => {
    const before = digits.length;
    const run = await runSipp({ scenario: "uac_pcap", target: `127.0.0.1:${agent.port}`, calls: 1, timeoutSeconds: 40 });
    console.log(
      `sipp uac_pcap: ${run.successfulCalls} successful, ${run.failedCalls} failed, exit ${run.exitCode}, ${run.millis.toFixed(0)} ms`,
    );
    if (run.exitCode !== 0) console.log(run.output.slice(-3000));
    expect(run.exitCode).toBe(0);
    expect(run.failedCalls).toBe(0);
    const heard = digits.slice(before);
    console.log(`keys heard from sipp: ${heard.map((d) => `${d.digit}/${d.source}`).join(" ")}`);
    expect(heard.filter((d) => d.source === "rfc4733").map((d) => d.digit)).toEqual(["1"]);
    const call = calls[calls.length - 1];
    expect(call?.media.audio?.codec).toBe("PCMA");
    expect(call?.media.stats.rtp.packetsReceived).toBeGreaterThan(100);
  }, 60_000);

  it("our client completes a call with sipp's uac scenario's counterpart, sipp -sn uas", async () => {
    const probe = dgram.createSocket("udp4");
    const port = await new Promise<number>((resolve) => probe.bind(0, "127.0.0.1", () => resolve(probe.address().port)));
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const sipp = runSipp({ scenario: "uas", target: "", calls: 1, extraArgs: ["-p", String(port)] });
    const client = await SipTestClient.start();
    try {
      // No wait for sipp to be listening: the INVITE is retransmitted over UDP until it is.
      const test = await client.call(`sip:service@127.0.0.1:${port}`);
      const outcome = await test.answered;
      expect(outcome?.ok).toBe(true);
      expect(test.provisional).toContain(180);
      expect(test.call.media.audio?.codec).toBe("PCMU");
      await test.hangup();
      const run = await sipp;
      console.log(`sipp uas: ${run.successfulCalls} successful, ${run.failedCalls} failed, exit ${run.exitCode}`);
      if (run.exitCode !== 0) console.log(run.output.slice(-3000));
      expect(run.exitCode).toBe(0);
      expect(run.failedCalls).toBe(0);
    } finally {
      await client.close();
    }
  });
});
