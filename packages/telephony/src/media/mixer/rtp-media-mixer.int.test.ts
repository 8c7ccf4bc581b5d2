import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loudMs, toneShare } from "../../../testing/audio-checks.js";
import { type MediaTestServer, startMediaTestServer } from "../../../testing/media-test-server.js";
import { type DialOptions, SipTestClient, type TestCall } from "../../../testing/sip-test-client.js";
import type { Call } from "../../call/call.js";
import type { SipLegMedia } from "../../call/sip-leg-media.js";
import { sineTone, tonePower } from "../../rtp/audio/audio.js";
import { RtpMediaMixer } from "./rtp-media-mixer.js";

/**
 * Bridges and conferences of test-client calls through Switchboard over real UDP on loopback: each client call
 * plays a tone of its own, and what each one receives shows whose audio reached it.
 */
let server: MediaTestServer;
let client: SipTestClient;
const mixer = new RtpMediaMixer();

beforeAll(async () => {
  // Switchboard accepts both laws, so each caller gets the one it offers.
  server = await startMediaTestServer({ codecs: ["PCMU", "PCMA"] });
  client = await SipTestClient.start();
});

afterAll(async () => {
  await client.close();
  await server.close();
});

async function caller(options: DialOptions = {}): Promise<{ test: TestCall; leg: SipLegMedia }> {
  const test = await client.call(server.uri("+15550100"), options);
  const [outcome, leg] = await Promise.all([test.answered, server.nextLeg()]);
  expect(outcome?.ok).toBe(true);
  return { test, leg };
}

const mark = (test: TestCall) => Math.round(test.receivedSeconds * 8000);
const since = (test: TestCall, from: number) => test.recording().subarray(from);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const codecOf = (leg: SipLegMedia) => (leg.call as Call).media.audio?.codec;

describe("RtpMediaMixer on loopback", () => {
  it("bridges a PCMU caller and a PCMA caller: each hears the other's tone, keys go across as events", async () => {
    const a = await caller({ codecs: ["PCMU"] });
    const b = await caller({ codecs: ["PCMA"] });
    expect([codecOf(a.leg), codecOf(b.leg)]).toEqual(["PCMU", "PCMA"]);
    const bridge = mixer.bridge(a.leg, b.leg);
    const [markA, markB] = [mark(a.test), mark(b.test)];
    await Promise.all([a.test.play(sineTone(700, 600, 8000)), b.test.play(sineTone(1100, 600, 8000))]);
    await pause(150);
    const heardByB = since(b.test, markB);
    const heardByA = since(a.test, markA);
    console.log(
      `bridge: B heard ${loudMs(heardByB)} ms, ${(100 * toneShare(heardByB, 700)).toFixed(1)}% at A's 700 Hz; ` +
        `A heard ${loudMs(heardByA)} ms, ${(100 * toneShare(heardByA, 1100)).toFixed(1)}% at B's 1100 Hz`,
    );
    expect(toneShare(heardByB, 700)).toBeGreaterThan(0.9);
    expect(toneShare(heardByA, 1100)).toBeGreaterThan(0.9);
    expect(Math.abs(loudMs(heardByB) - 600)).toBeLessThanOrEqual(40);

    const keysB = b.test.dtmf.length;
    const quiet = mark(b.test);
    await a.test.sendDtmf("5", { mode: "rfc4733" });
    const keys = await b.test.waitForDtmf(keysB + 1);
    expect(keys.slice(keysB)).toEqual([{ digit: "5", source: "rfc4733" }]);
    await pause(300);
    // The key crossed as an event, not as a tone in the audio.
    expect(loudMs(since(b.test, quiet), 100)).toBe(0);
    expect(b.test.dtmf).toHaveLength(keysB + 1);

    await a.test.hangup();
    expect(await bridge.ended).toBe("hung-up");
    await b.leg.hangup();
  });

  it("mixes a conference of three: each hears the two others, not itself", async () => {
    const members = [await caller(), await caller({ codecs: ["PCMA"] }), await caller()];
    const tones = [500, 800, 1300];
    const conference = mixer.conference();
    for (const member of members) conference.add(member.leg);
    const marks = members.map((member) => mark(member.test));
    await Promise.all(members.map((member, i) => member.test.play(sineTone(tones[i] as number, 600, 6000))));
    await pause(150);
    members.forEach((member, i) => {
      const heard = since(member.test, marks[i] as number);
      const powers = tones.map((frequency) => tonePower(heard, frequency));
      console.log(`member ${i} hears ${tones.map((f, j) => `${f} Hz: ${(powers[j] as number).toExponential(1)}`).join(", ")}`);
      tones.forEach((_, j) => {
        if (j === i) expect(powers[j], `member ${i} hears itself`).toBeLessThan(1e4);
        else expect(powers[j], `member ${i} hears member ${j}`).toBeGreaterThan(1e6);
      });
    });
    conference.close();
    await Promise.all(members.map((member) => member.leg.hangup()));
  });

  it("a held caller hears the music and not the other party, who does not hear it either", async () => {
    const a = await caller();
    const b = await caller();
    mixer.bridge(a.leg, b.leg);
    await b.leg.hold([
      { kind: "tone", frequencies: [400], durationMs: 300 },
      { kind: "silence", durationMs: 100 },
    ]);
    const [markA, markB] = [mark(a.test), mark(b.test)];
    await Promise.all([a.test.play(sineTone(700, 800, 8000)), b.test.play(sineTone(1100, 800, 8000))]);
    await pause(100);
    const heardByB = since(b.test, markB);
    console.log(
      `hold: B heard ${(100 * toneShare(heardByB, 400)).toFixed(1)}% music, ${(100 * toneShare(heardByB, 700)).toFixed(1)}% of A; ` +
        `A heard ${loudMs(since(a.test, markA))} ms`,
    );
    expect(toneShare(heardByB, 400)).toBeGreaterThan(0.9);
    expect(toneShare(heardByB, 700)).toBeLessThan(0.01);
    expect(loudMs(since(a.test, markA), 100)).toBe(0);

    await b.leg.resume();
    await pause(100);
    const after = mark(b.test);
    await a.test.play(sineTone(700, 400, 8000));
    await pause(100);
    expect(toneShare(since(b.test, after), 700)).toBeGreaterThan(0.9);
    await Promise.all([a.leg.hangup(), b.leg.hangup()]);
  });
});
