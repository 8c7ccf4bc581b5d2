import { type CallLegMedia, type MediaEvent, SequentialIds } from "@switchboard/core";
import { MemoryRecordingStore } from "@switchboard/core/testing";
import { describe, expect, it } from "vitest";
import { FakeLegCall, manualMediaClock } from "../../../testing/fake-leg-call.js";
import { TestPromptRenderer } from "../../../testing/test-prompt-renderer.js";
import { SipLegMedia } from "../../call/sip-leg-media.js";
import { FRAME_SAMPLES, rms, sineTone, tonePower } from "../../rtp/audio/audio.js";
import { ManualScheduler } from "../../scheduler/scheduler.js";
import { RtpMediaMixer } from "./rtp-media-mixer.js";

function plane() {
  const scheduler = new ManualScheduler();
  const clock = manualMediaClock(scheduler);
  const recordings = new MemoryRecordingStore();
  const renderer = new TestPromptRenderer({ recordings, tenantId: "t1" });
  const events: MediaEvent[] = [];
  const leg = (id: string) => {
    const call = new FakeLegCall(clock);
    const media = new SipLegMedia({ call, legId: id, tenantId: "t1", renderer, recordings, scheduler });
    media.onEvent((event) => events.push(event));
    return { call, media };
  };
  const advance = async (ms: number) => {
    await settle();
    for (let t = 0; t < ms; t += 20) {
      scheduler.advance(20);
      await settle();
    }
  };
  const mixer = new RtpMediaMixer({ ids: new SequentialIds("conference") });
  return { leg, advance, events, mixer };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
/** Share of the power at `frequency`, frame by frame. */
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
const ofType = (events: MediaEvent[], type: MediaEvent["type"]) => events.filter((event) => event.type === type);

describe("RtpMediaMixer bridge", () => {
  it("each leg hears the other's frame of the same tick, silence when it says nothing", async () => {
    const { leg, advance, mixer, events } = plane();
    const a = leg("a");
    const b = leg("b");
    const bridge = mixer.bridge(a.media, b.media);
    expect(bridge.legIds).toEqual(["a", "b"]);
    const markA = a.call.media.ticks;
    const markB = b.call.media.ticks;
    const tone = sineTone(700, 400, 6000);
    a.call.media.say(tone);
    await advance(500);
    // No delay added, whatever order the clock runs the two legs in: B hears A's frames as they are.
    expect(b.call.media.heard(markB).subarray(0, tone.length)).toEqual(tone);
    expect(rms(a.call.media.heard(markA))).toBe(0);
    bridge.unbridge();
    expect(await bridge.ended).toBe("unbridged");
    a.call.media.say(tone);
    const after = b.call.media.ticks;
    await advance(200);
    expect(rms(b.call.media.heard(after))).toBe(0);
    expect(ofType(events, "bridge.started")).toHaveLength(2);
    expect(ofType(events, "bridge.ended")).toEqual([
      { type: "bridge.ended", legIds: ["a", "b"], reason: "unbridged" },
      { type: "bridge.ended", legIds: ["a", "b"], reason: "unbridged" },
    ]);
  });

  it("sends keys pressed as events on to the other side, not those heard as tones, and reports them all", async () => {
    const { leg, mixer, events } = plane();
    const a = leg("a");
    const b = leg("b");
    mixer.bridge(a.media, b.media);
    a.call.press("12");
    a.call.press("3", "inband");
    a.call.press("4", "info");
    expect(b.call.media.dtmfSent).toEqual(["1", "2", "4"]);
    expect(ofType(events, "key.pressed").map((event) => (event.type === "key.pressed" ? event.key : ""))).toEqual([
      "1",
      "2",
      "3",
      "4",
    ]);
    const quiet = new RtpMediaMixer({ forwardKeys: false });
    const c = leg("c");
    const d = leg("d");
    quiet.bridge(c.media, d.media);
    c.call.press("5");
    expect(d.call.media.dtmfSent).toEqual([]);
  });

  it("ends when a leg hangs up, and when a leg is bridged elsewhere", async () => {
    const { leg, mixer, advance } = plane();
    const a = leg("a");
    const b = leg("b");
    const c = leg("c");
    const first = mixer.bridge(a.media, b.media);
    const second = mixer.bridge(a.media, c.media);
    expect(await first.ended).toBe("unbridged");
    c.call.end();
    expect(await second.ended).toBe("hung-up");
    const late = mixer.bridge(a.media, c.media);
    expect(await late.ended).toBe("hung-up");
    await advance(20);
  });

  it("a prompt played to a bridged leg replaces what it hears from the bridge while it plays", async () => {
    const { leg, mixer, advance } = plane();
    const a = leg("a");
    const b = leg("b");
    mixer.bridge(a.media, b.media);
    a.call.media.say(sineTone(700, 1_000, 6000));
    const mark = b.call.media.ticks;
    const whisper = b.media.play([{ kind: "tone", frequencies: [1200], durationMs: 300 }]);
    await advance(600);
    expect(await whisper).toEqual({ ended: "finished" });
    const heard = b.call.media.heard(mark);
    expect(share(heard.subarray(0, 8 * 300), 1200)).toBeGreaterThan(0.95);
    expect(share(heard.subarray(8 * 320, 8 * 600), 700)).toBeGreaterThan(0.95);
  });

  it("a held leg hears its music and is not heard; resumed, the two hear each other again", async () => {
    const { leg, mixer, advance, events } = plane();
    const a = leg("a");
    const b = leg("b");
    mixer.bridge(a.media, b.media);
    await b.media.hold([{ kind: "tone", frequencies: [400], durationMs: 200 }]);
    a.call.media.say(sineTone(700, 400, 6000));
    b.call.media.say(sineTone(900, 400, 6000));
    let markA = a.call.media.ticks;
    let markB = b.call.media.ticks;
    await advance(400);
    expect(share(b.call.media.heard(markB), 400)).toBeGreaterThan(0.95);
    expect(rms(a.call.media.heard(markA))).toBe(0);
    await b.media.resume();
    a.call.media.say(sineTone(700, 400, 6000));
    b.call.media.say(sineTone(900, 400, 6000));
    markA = a.call.media.ticks;
    markB = b.call.media.ticks;
    await advance(400);
    expect(share(b.call.media.heard(markB), 700)).toBeGreaterThan(0.95);
    expect(share(a.call.media.heard(markA), 900)).toBeGreaterThan(0.95);
    expect(ofType(events, "hold.started")).toHaveLength(1);
    expect(ofType(events, "hold.ended")).toHaveLength(1);
  });

  it("refuses a leg it cannot carry, and a leg bridged with itself", () => {
    const { leg, mixer } = plane();
    const a = leg("a");
    const stranger = { id: "x" } as unknown as CallLegMedia;
    expect(() => mixer.bridge(a.media, stranger)).toThrow(expect.objectContaining({ code: "media.leg_not_mixable" }));
    expect(() => mixer.bridge(a.media, a.media)).toThrow(expect.objectContaining({ code: "media.bridge_same_leg" }));
  });
});

describe("RtpMediaMixer conference", () => {
  it("each member hears the sum of the others, not itself; members join and leave", async () => {
    const { leg, mixer, advance, events } = plane();
    const members = [leg("a"), leg("b"), leg("c")];
    const tones = [500, 800, 1100];
    const conference = mixer.conference();
    expect(conference.id).toBe("conference-000001");
    for (const member of members) conference.add(member.media);
    expect(conference.legIds).toEqual(["a", "b", "c"]);
    const marks = members.map((member) => member.call.media.ticks);
    members.forEach((member, i) => {
      member.call.media.say(sineTone(tones[i] as number, 400, 6000));
    });
    await advance(400);
    members.forEach((member, i) => {
      const heard = member.call.media.heard(marks[i]);
      const others = tones.filter((_, j) => j !== i);
      for (const frequency of others)
        expect(tonePower(heard, frequency), `${i} hears ${frequency}`).toBeGreaterThan(6000 ** 2 / 4);
      expect(tonePower(heard, tones[i] as number), `${i} does not hear itself`).toBeLessThan(1000);
    });

    conference.remove("b");
    members[2]?.call.end();
    expect(conference.legIds).toEqual(["a"]);
    const a = members[0];
    if (!a) throw new Error("no member a");
    const mark = a.call.media.ticks;
    members[1]?.call.media.say(sineTone(800, 200, 6000));
    await advance(200);
    expect(rms(a.call.media.heard(mark))).toBe(0);
    conference.close();
    expect(conference.legIds).toEqual([]);
    expect(() => conference.add(a.media)).toThrow(expect.objectContaining({ code: "media.conference_closed" }));
    expect(ofType(events, "conference.joined")).toHaveLength(3);
    expect(ofType(events, "conference.left").map((event) => (event.type === "conference.left" ? event.legId : ""))).toEqual([
      "b",
      "c",
      "a",
    ]);
  });

  it("clips the sum to 16 bits", async () => {
    const { leg, mixer, advance } = plane();
    const members = [leg("a"), leg("b"), leg("c")];
    const conference = mixer.conference();
    for (const member of members) conference.add(member.media);
    const loud = new Int16Array(FRAME_SAMPLES).fill(30_000);
    members[1]?.call.media.say(loud);
    members[2]?.call.media.say(loud);
    const mark = members[0]?.call.media.ticks ?? 0;
    await advance(20);
    expect([...(members[0]?.call.media.heard(mark) ?? [])].every((sample) => sample === 32_767)).toBe(true);
  });

  it("a muted member hears the others and is not heard; unmuted it is heard again", async () => {
    const { leg, mixer, advance } = plane();
    const [a, b, c] = [leg("a"), leg("b"), leg("c")];
    const conference = mixer.conference();
    for (const member of [a, b, c]) conference.add(member.media);
    conference.mute("b", true);
    expect(conference.isMuted("b")).toBe(true);
    const [markA, markB] = [a.call.media.ticks, b.call.media.ticks];
    b.call.media.say(sineTone(800, 200, 6000));
    c.call.media.say(sineTone(1100, 200, 6000));
    await advance(200);
    expect(tonePower(a.call.media.heard(markA), 800), "A does not hear muted B").toBeLessThan(1000);
    expect(tonePower(a.call.media.heard(markA), 1100), "A hears C").toBeGreaterThan(6000 ** 2 / 4);
    expect(tonePower(b.call.media.heard(markB), 1100), "muted B still hears C").toBeGreaterThan(6000 ** 2 / 4);
    conference.mute("b", false);
    const again = a.call.media.ticks;
    b.call.media.say(sineTone(800, 200, 6000));
    await advance(200);
    expect(tonePower(a.call.media.heard(again), 800), "A hears B once unmuted").toBeGreaterThan(6000 ** 2 / 4);
    expect(() => conference.mute("x", true)).toThrow(expect.objectContaining({ code: "media.not_in_conference" }));
  });

  it("sends keys a member presses as events on to every other member", () => {
    const { leg, mixer } = plane();
    const [a, b, c] = [leg("a"), leg("b"), leg("c")];
    const conference = mixer.conference();
    for (const member of [a, b, c]) conference.add(member.media);
    a.call.press("7");
    a.call.press("8", "inband");
    expect([a.call.media.dtmfSent, b.call.media.dtmfSent, c.call.media.dtmfSent]).toEqual([[], ["7"], ["7"]]);
    conference.remove("c");
    a.call.press("9");
    expect(c.call.media.dtmfSent).toEqual(["7"]);
  });

  it("records the mix of its members in real time, leaving out the muted, the held and the paused stretch", async () => {
    const { leg, mixer, advance } = plane();
    const [a, b] = [leg("a"), leg("b")];
    const conference = mixer.conference();
    conference.add(a.media);
    conference.add(b.media);
    const capture = conference.record();
    a.call.media.say(sineTone(500, 200, 6000));
    b.call.media.say(sineTone(900, 200, 6000));
    await advance(200);
    conference.mute("b", true);
    b.call.media.say(sineTone(900, 200, 6000));
    await advance(200);
    capture.pause();
    expect(capture.paused).toBe(true);
    a.call.media.say(sineTone(1300, 200, 6000));
    await advance(200);
    capture.resume();
    await advance(100);
    // Nobody's session asks for the mix while both hear a prompt: the capture fills that time with silence.
    void a.media.play([{ kind: "silence", durationMs: 200 }]);
    void b.media.play([{ kind: "silence", durationMs: 200 }]);
    await advance(200);
    await advance(100);
    const audio = capture.stop();
    expect(capture.stop()).toHaveLength(0);
    const part = (fromMs: number, toMs: number) => audio.subarray(fromMs * 8, toMs * 8);
    expect(audio.length / 8, "ms captured: 400 before the pause, 400 after").toBeGreaterThanOrEqual(780);
    expect(audio.length / 8).toBeLessThanOrEqual(820);
    expect(tonePower(part(0, 200), 500)).toBeGreaterThan(6000 ** 2 / 8);
    expect(tonePower(part(0, 200), 900)).toBeGreaterThan(6000 ** 2 / 8);
    expect(tonePower(part(200, 400), 900), "muted B is left out").toBeLessThan(1000);
    expect(tonePower(audio, 1300), "the paused stretch is left out").toBeLessThan(1000);
    expect(rms(part(520, 680)), "silence while both heard a prompt").toBe(0);
  });

  it("joining a conference ends the leg's bridge", async () => {
    const { leg, mixer } = plane();
    const a = leg("a");
    const b = leg("b");
    const bridge = mixer.bridge(a.media, b.media);
    mixer.conference().add(a.media);
    expect(await bridge.ended).toBe("unbridged");
  });
});
