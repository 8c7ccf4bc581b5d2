import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loudMs, toneShare } from "../../testing/audio-checks.js";
import { type MediaTestServer, startMediaTestServer } from "../../testing/media-test-server.js";
import { SipTestClient, type TestCall } from "../../testing/sip-test-client.js";
import { TEST_SPEECH_HZ } from "../../testing/test-prompt-renderer.js";
import { sineTone } from "../rtp/audio/audio.js";
import type { SipLegMedia } from "./sip-leg-media.js";

/**
 * The flow-facing leg media over real SIP and RTP on loopback: Switchboard's side answers with `SipLegMedia`,
 * the test client is the caller who listens, presses keys (RFC 4733) and speaks (a test tone).
 */
let server: MediaTestServer;
let client: SipTestClient;

beforeAll(async () => {
  server = await startMediaTestServer();
  client = await SipTestClient.start();
});

afterAll(async () => {
  const stats = server.clock.stats();
  console.log(
    `Switchboard RTP send clock: ${stats.ticks} ticks, jitter p50 ${stats.jitterP50Ms.toFixed(2)} ms, ` +
      `p99 ${stats.jitterP99Ms.toFixed(2)} ms, max ${stats.jitterMaxMs.toFixed(2)} ms, skipped ${stats.skipped}`,
  );
  await client.close();
  await server.close();
});

async function connect(): Promise<{ test: TestCall; leg: SipLegMedia }> {
  const test = await client.call(server.uri("+15550100"));
  const [outcome, leg] = await Promise.all([test.answered, server.nextLeg()]);
  expect(outcome?.ok).toBe(true);
  return { test, leg };
}

/** Samples the client received so far: a mark to measure what came after. */
const mark = (test: TestCall) => Math.round(test.receivedSeconds * 8000);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("SipLegMedia on loopback", () => {
  it("play is interrupted by an RFC 4733 key, which the following collect gets, ended by the terminator", async () => {
    const { test, leg } = await connect();
    const start = mark(test);
    const playing = leg.play([{ kind: "speech", text: "press a key now or wait for the next menu option please" }], {
      interruptKeys: "0123456789",
    });
    await pause(400);
    await test.sendDtmf("5", { mode: "rfc4733" });
    expect(await playing).toEqual({ ended: "interrupted", key: "5" });
    const interrupted = mark(test);
    const heard = test.recording().subarray(start, interrupted);
    expect(toneShare(heard, TEST_SPEECH_HZ)).toBeGreaterThan(0.9);
    // Eleven words would take 2.2 s: the key cut it short.
    expect(loudMs(heard)).toBeLessThan(1_000);

    const collecting = leg.collect({ maxDigits: 6, terminators: "#" });
    await test.sendDtmf("7#", { mode: "rfc4733" });
    expect(await collecting).toEqual({ digits: "57", ended: "terminator", terminator: "#" });
    await pause(200);
    expect(loudMs(test.recording().subarray(interrupted + 800))).toBe(0);
    await test.hangup();
    expect(await leg.ended).toEqual({ by: "party", reason: "bye" });
  });

  it("collect ends on the inter-key timeout", async () => {
    const { test, leg } = await connect();
    const started = performance.now();
    const collecting = leg.collect({ maxDigits: 5, firstKeyTimeoutMs: 2_000, interKeyTimeoutMs: 400 });
    await test.sendDtmf("12", { mode: "rfc4733" });
    expect(await collecting).toEqual({ digits: "12", ended: "inter-key-timeout" });
    // Two keys of 100 ms with 100 ms gaps, then the 400 ms wait.
    expect(performance.now() - started).toBeLessThan(1_500);
    await leg.hangup("done");
    expect(await test.ended).toEqual({ by: "remote", cause: "bye" });
    expect(await leg.ended).toEqual({ by: "platform", reason: "done" });
  });

  it("records after a beep until silence, and the recording played back is heard by the caller", async () => {
    const { test, leg } = await connect();
    const start = mark(test);
    const recording = leg.record({ silenceTimeoutMs: 600 });
    await test.waitForAudio(start / 8000 + 0.35);
    const beep = test.recording().subarray(start);
    expect(toneShare(beep, 1000)).toBeGreaterThan(0.9);
    expect(loudMs(beep)).toBeGreaterThanOrEqual(240);
    await test.play(sineTone(440, 800, 8000));
    const outcome = await recording;
    expect(outcome.ended).toBe("silence");
    expect(outcome.recording).toMatchObject({ tenantId: "t1" });
    const id = outcome.recording?.id ?? "";
    const saved = (await server.recordings.audio("t1", id)) ?? new Int16Array();
    console.log(`recorded ${outcome.durationMs} ms, ${loudMs(saved)} ms of it loud`);
    expect(Math.abs(loudMs(saved) - 800)).toBeLessThanOrEqual(40);
    expect(toneShare(saved, 440)).toBeGreaterThan(0.9);

    const before = mark(test);
    expect(await leg.play([{ kind: "recording", recordingId: id }])).toEqual({ ended: "finished" });
    await pause(150);
    const played = test.recording().subarray(before);
    console.log(`caller heard the recording: ${loudMs(played)} ms loud, ${(100 * toneShare(played, 440)).toFixed(1)}% at 440 Hz`);
    expect(Math.abs(loudMs(played) - 800)).toBeLessThanOrEqual(40);
    expect(toneShare(played, 440)).toBeGreaterThan(0.9);
    await test.hangup();
  });
});
