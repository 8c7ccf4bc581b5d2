import type { MediaEvent, Prompt } from "@switchboard/core";
import { MemoryRecordingStore } from "@switchboard/core/testing";
import { describe, expect, it } from "vitest";
import { FakeLegCall, manualMediaClock } from "../../testing/fake-leg-call.js";
import { TEST_SPEECH_HZ, TestPromptRenderer } from "../../testing/test-prompt-renderer.js";
import { concat, dbfs, FRAME_SAMPLES, rms, silence, sineTone, tonePower, whiteNoise } from "../rtp/audio/audio.js";
import { ManualScheduler } from "../scheduler/scheduler.js";
import { SipLegMedia } from "./sip-leg-media.js";

/** A leg over a fake call, on a manual timeline shared by the media clock and the collect timers. */
function setup(options: { holdMusic?: readonly Prompt[] } = {}) {
  const scheduler = new ManualScheduler();
  const clock = manualMediaClock(scheduler);
  const call = new FakeLegCall(clock);
  const recordings = new MemoryRecordingStore();
  const renderer = new TestPromptRenderer({ recordings, tenantId: "t1" });
  const leg = new SipLegMedia({
    call,
    legId: "leg-1",
    tenantId: "t1",
    callId: "call-1",
    renderer,
    recordings,
    scheduler,
    ...(options.holdMusic ? { holdMusic: options.holdMusic } : {}),
  });
  const events: MediaEvent[] = [];
  leg.onEvent((event) => events.push(event));
  /** Moves time in 20 ms steps, letting promises (rendering, saving) settle between ticks. */
  const advance = async (ms: number) => {
    await settle();
    for (let t = 0; t < ms; t += 20) {
      scheduler.advance(Math.min(20, ms - t));
      await settle();
    }
  };
  return { scheduler, call, leg, events, recordings, renderer, advance };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
const speech = (text: string): Prompt => ({ kind: "speech", text });
const types = (events: MediaEvent[]) => events.map((event) => event.type);
/** Share of the signal's power at `frequency`, frame by frame (so that a tone switched on and off still counts whole). */
const share = (samples: Int16Array, frequency: number) => {
  let tone = 0;
  let total = 0;
  for (let offset = 0; offset + FRAME_SAMPLES <= samples.length; offset += FRAME_SAMPLES) {
    const frame = samples.subarray(offset, offset + FRAME_SAMPLES);
    tone += tonePower(frame, frequency);
    total += rms(frame) ** 2;
  }
  return total === 0 ? 0 : tone / total;
};

describe("SipLegMedia play", () => {
  it("renders the prompts in order and plays them back to back, then settles finished", async () => {
    const { leg, call, events, renderer, advance } = setup();
    const outcome = leg.play([speech("one two"), { kind: "silence", durationMs: 100 }, speech("three")]);
    await advance(1_000);
    expect(await outcome).toEqual({ ended: "finished" });
    expect(renderer.rendered.map((p) => p.kind)).toEqual(["speech", "silence", "speech"]);
    const heard = call.media.heard();
    // 400 ms of speech, 100 ms of silence, 200 ms of speech: loud frames where the prompts were.
    const loud = [];
    for (let offset = 0; offset < heard.length; offset += FRAME_SAMPLES) {
      loud.push(rms(heard.subarray(offset, offset + FRAME_SAMPLES)) > 1000 ? 1 : 0);
    }
    const first = loud.indexOf(1);
    expect(loud.slice(first, first + 36).join("")).toBe(`${"1".repeat(20)}${"0".repeat(5)}${"1".repeat(10)}0`);
    expect(share(heard, TEST_SPEECH_HZ)).toBeGreaterThan(0.9);
    expect(events).toEqual([{ type: "play.ended", legId: "leg-1", outcome: { ended: "finished" } }]);
  });

  it("is interrupted by one of its keys, which stays buffered for the next collect", async () => {
    const { leg, call, events, advance } = setup();
    const outcome = leg.play([speech("a long menu of many words")], { interruptKeys: "123" });
    await advance(200);
    call.press("9");
    await advance(100);
    call.press("2");
    expect(await outcome).toEqual({ ended: "interrupted", key: "2" });
    const mark = call.media.ticks;
    await advance(200);
    expect(rms(call.media.heard(mark))).toBe(0);
    expect(leg.bufferedKeys).toBe("92");
    expect(await leg.collect({ maxDigits: 2 })).toEqual({ digits: "92", ended: "max-digits" });
    expect(types(events)).toEqual(["key.pressed", "key.pressed", "play.ended", "collect.ended"]);
  });

  it("an operation started while another runs stops it", async () => {
    const { leg, advance } = setup();
    const playing = leg.play([speech("hello there")]);
    await advance(100);
    const collecting = leg.collect({ maxDigits: 4, firstKeyTimeoutMs: 500 });
    expect(await playing).toEqual({ ended: "stopped" });
    leg.stop();
    expect(await collecting).toEqual({ digits: "", ended: "stopped" });
  });

  it("rejects when a prompt cannot be rendered, and frees the leg", async () => {
    const { leg, advance } = setup();
    const rejected = expect(leg.play([{ kind: "recording", recordingId: "missing" }])).rejects.toThrow(/no recording/);
    await advance(20);
    await rejected;
    const next = leg.collect({ maxDigits: 1, firstKeyTimeoutMs: 100 });
    await advance(200);
    expect(await next).toEqual({ digits: "", ended: "no-input" });
  });
});

describe("SipLegMedia collect", () => {
  it("ends on the terminator, which is not part of the digits; later keys stay buffered", async () => {
    const { leg, call, advance } = setup();
    const outcome = leg.collect({ maxDigits: 10 });
    call.press("12#34");
    expect(await outcome).toEqual({ digits: "12", ended: "terminator", terminator: "#" });
    expect(leg.bufferedKeys).toBe("34");
    leg.flushKeys();
    expect(leg.bufferedKeys).toBe("");
    await advance(20);
  });

  it("times out waiting for the first key (no-input) and between keys (inter-key-timeout)", async () => {
    const { leg, call, advance } = setup();
    const none = leg.collect({ maxDigits: 4, firstKeyTimeoutMs: 1_000 });
    await advance(980);
    expect(leg.bufferedKeys).toBe("");
    await advance(40);
    expect(await none).toEqual({ digits: "", ended: "no-input" });

    const some = leg.collect({ maxDigits: 4, firstKeyTimeoutMs: 1_000, interKeyTimeoutMs: 500 });
    await advance(900);
    call.press("5");
    await advance(400);
    call.press("6");
    await advance(480);
    expect(leg.bufferedKeys).toBe("");
    await advance(40);
    expect(await some).toEqual({ digits: "56", ended: "inter-key-timeout" });
  });

  it("ends at the total timeout however fast the keys come", async () => {
    const { leg, call, advance } = setup();
    const outcome = leg.collect({ maxDigits: 20, totalTimeoutMs: 1_000 });
    for (let i = 0; i < 9; i++) {
      call.press(String(i));
      await advance(100);
    }
    await advance(120);
    expect(await outcome).toEqual({ digits: "012345678", ended: "total-timeout" });
  });

  it("uses buffered keys first, and buffers at most 32", async () => {
    const { leg, call } = setup();
    call.press("1234567890".repeat(4));
    expect(leg.bufferedKeys).toHaveLength(32);
    expect(await leg.collect({ maxDigits: 3 })).toEqual({ digits: "123", ended: "max-digits" });
    expect(leg.bufferedKeys).toHaveLength(29);
  });
});

describe("SipLegMedia record", () => {
  it("beeps, records what the party says, stops after the silence and saves it", async () => {
    const { leg, call, recordings, events, advance } = setup();
    const outcome = leg.record({ silenceTimeoutMs: 1_000 });
    await advance(300);
    // The beep: 250 ms of 1 kHz.
    const beep = call.media.heard();
    expect(share(beep, 1000)).toBeGreaterThan(0.9);
    expect(rms(beep)).toBeGreaterThan(3000);
    // Recording began with the tick after the beep: two silent frames so far, eight more, then speech.
    call.media.pause(8);
    call.media.say(sineTone(300, 600, 6000));
    await advance(3_000);
    const result = await outcome;
    expect(result.ended).toBe("silence");
    expect(result.recording).toMatchObject({ tenantId: "t1", callId: "call-1" });
    const audio = await recordings.audio("t1", result.recording?.id ?? "");
    // 200 ms of silence before, 600 ms of speech, 200 ms of silence kept after it.
    expect(audio?.length).toBe(8 * 1_000);
    expect(result.durationMs).toBe(1_000);
    expect(share(audio ?? new Int16Array(), 300)).toBeGreaterThan(0.9);
    expect(dbfs((audio ?? new Int16Array()).subarray(8 * 200, 8 * 800))).toBeGreaterThan(-20);
    expect(types(events)).toEqual(["record.ended"]);
  });

  it("saves nothing when nothing was heard (max duration), and ignores a click", async () => {
    const { leg, call, recordings, advance } = setup();
    const outcome = leg.record({ beep: false, maxDurationMs: 1_000 });
    call.media.say(concat(silence(200), whiteNoise(20, 20_000), silence(200), whiteNoise(300, 30)));
    await advance(1_100);
    expect(await outcome).toEqual({ durationMs: 1_000, ended: "max-duration" });
    expect(recordings.recordings).toHaveLength(0);
  });

  it("stops on a stop key (not kept, not buffered), and keeps the audio when the party hangs up", async () => {
    const { leg, call, recordings, advance } = setup();
    const byKey = leg.record({ beep: false });
    call.media.say(sineTone(400, 400, 6000));
    await advance(500);
    call.press("1#");
    const result = await byKey;
    expect(result).toMatchObject({ ended: "key", key: "#", durationMs: 500 });
    expect(leg.bufferedKeys).toBe("1");
    expect(recordings.recordings).toHaveLength(1);

    const byHangup = leg.record({ beep: false });
    call.media.say(sineTone(400, 300, 6000));
    await advance(400);
    call.end();
    expect(await byHangup).toMatchObject({ ended: "hung-up", durationMs: 400, recording: { id: "recording-2" } });
  });

  it("the beep can be cut short by a stop key: nothing recorded", async () => {
    const { leg, call, advance } = setup();
    const outcome = leg.record();
    await advance(100);
    call.press("*");
    expect(await outcome).toEqual({ durationMs: 0, ended: "key", key: "*" });
    const mark = call.media.ticks;
    await advance(200);
    expect(rms(call.media.heard(mark))).toBe(0);
  });
});

describe("SipLegMedia hold, keys out, hang-up", () => {
  it("plays the hold music looped until resume; a prompt played meanwhile takes precedence", async () => {
    const music: Prompt[] = [
      { kind: "tone", frequencies: [500], durationMs: 100 },
      { kind: "silence", durationMs: 100 },
    ];
    const { leg, call, events, advance } = setup({ holdMusic: music });
    await leg.hold();
    expect(leg.onHold).toBe(true);
    let mark = call.media.ticks;
    await advance(1_000);
    const held = call.media.heard(mark);
    expect(share(held, 500)).toBeGreaterThan(0.9);
    // Five periods of 100 ms tone and 100 ms silence: half the time loud.
    expect(rms(held)).toBeGreaterThan(3000);
    const prompt = leg.play([speech("one")]);
    await advance(260);
    expect(await prompt).toEqual({ ended: "finished" });
    await leg.resume();
    mark = call.media.ticks;
    await advance(400);
    expect(rms(call.media.heard(mark))).toBe(0);
    expect(types(events)).toEqual(["hold.started", "play.ended", "hold.ended"]);
  });

  it("sends keys and reports them", async () => {
    const { leg, call, events } = setup();
    await leg.sendDtmf("12x#");
    expect(call.media.dtmfSent).toEqual(["12#"]);
    expect(events).toEqual([{ type: "dtmf.sent", legId: "leg-1", digits: "12#" }]);
  });

  it("hang-up by the platform settles the running operation as hung-up and ends with its reason", async () => {
    const { leg, call, events } = setup();
    const collecting = leg.collect({ maxDigits: 4 });
    await leg.hangup("flow finished");
    expect(await collecting).toEqual({ digits: "", ended: "hung-up" });
    expect(await leg.ended).toEqual({ by: "platform", reason: "flow finished" });
    expect(call.hangups).toBe(1);
    expect(await leg.play([speech("too late")])).toEqual({ ended: "hung-up" });
    expect(types(events)).toEqual(["collect.ended", "leg.ended", "play.ended"]);
  });

  it("reports who ended the leg and the SIP status when it never answered", async () => {
    const { leg, call, events } = setup();
    const playing = leg.play([speech("hello")]);
    call.end({ by: "remote", cause: "cancel", status: 487 });
    expect(await playing).toEqual({ ended: "hung-up" });
    expect(await leg.ended).toEqual({ by: "party", status: 487, reason: "cancel" });
    expect(events.at(-1)).toEqual({ type: "leg.ended", legId: "leg-1", cause: { by: "party", status: 487, reason: "cancel" } });
  });
});
