import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { concat, mix, silence, sineTone, whiteNoise } from "../audio/audio.js";
import { decodeG711, encodeG711 } from "../g711/g711.js";
import { DTMF_DIGITS, type DtmfDigit } from "./digits.js";
import { DtmfDetector } from "./goertzel-detector.js";
import { parseTelephoneEvent, TelephoneEventReceiver, telephoneEventPlan } from "./telephone-event.js";
import { dtmfTones } from "./tones.js";

function detect(samples: Int16Array, chunk = 160): DtmfDigit[] {
  const detector = new DtmfDetector();
  const found: DtmfDigit[] = [];
  for (let i = 0; i < samples.length; i += chunk) found.push(...detector.process(samples.subarray(i, i + chunk)));
  return found;
}

/** What the line does to audio: G.711 coding. */
const throughG711 = (samples: Int16Array) => decodeG711("PCMU", encodeG711("PCMU", samples));

describe("in-band DTMF detection (Goertzel)", () => {
  it("hears every key once, through µ-law, whatever the chunking", () => {
    const keys = DTMF_DIGITS.join("");
    const audio = throughG711(concat(silence(100), dtmfTones(keys)));
    expect(detect(audio).join("")).toBe(keys);
    expect(detect(audio, 7).join("")).toBe(keys);
    expect(detect(audio, 1000).join("")).toBe(keys);
  });

  it("hears repeated keys separated by a pause, and a long press once", () => {
    expect(detect(dtmfTones("5555", { durationMs: 60, gapMs: 60 })).join("")).toBe("5555");
    expect(detect(dtmfTones("8", { durationMs: 2000 })).join("")).toBe("8");
  });

  it("hears keys in white noise at 15 dB SNR, and weak keys down to -30 dBFS", () => {
    const keys = "159#";
    const tones = dtmfTones(keys, { amplitude: 4000 });
    // Uniform noise of peak a has power a²/3; the two tones together have 2 × 4000²/2.
    const noiseAmplitude = Math.sqrt((3 * 4000 ** 2) / 10 ** 1.5);
    const noisy = mix(tones, whiteNoise(tones.length / 8, noiseAmplitude, 11));
    expect(detect(throughG711(noisy)).join("")).toBe(keys);
    expect(detect(throughG711(dtmfTones(keys, { amplitude: 1000 }))).join("")).toBe(keys);
  });

  it("hears keys just above the minimum level and not just below: the quiet-block shortcut cuts nothing audible", () => {
    // Default minimum -36 dBFS per tone; a sine of peak A is 20·log10(A / 32767) dBFS.
    const peak = (dbfs: number) => Math.round(32767 * 10 ** (dbfs / 20));
    expect(detect(dtmfTones("2580", { amplitude: peak(-35.5) })).join("")).toBe("2580");
    expect(detect(dtmfTones("2580", { amplitude: peak(-36.5) }))).toEqual([]);
    // One tone at the limit, the other 7 dB weaker (within the twist bound, but below the level): refused.
    expect(detect(dtmfTones("2", { amplitude: peak(-35.5), twistDb: -7 }))).toEqual([]);
  });

  it("accepts twist within bounds and refuses it beyond", () => {
    expect(detect(dtmfTones("3", { twistDb: 6 })).join("")).toBe("3");
    expect(detect(dtmfTones("3", { twistDb: -6 })).join("")).toBe("3");
    expect(detect(dtmfTones("3", { twistDb: 12 }))).toEqual([]);
    expect(detect(dtmfTones("3", { twistDb: -12 }))).toEqual([]);
  });

  it("stays silent on noise, single tones, music-like chords, too-weak and too-short keys", () => {
    expect(detect(whiteNoise(2000, 8000, 5))).toEqual([]);
    expect(detect(sineTone(440, 1000))).toEqual([]);
    expect(detect(sineTone(697, 1000))).toEqual([]);
    expect(detect(mix(sineTone(440, 1000, 5000), sineTone(554, 1000, 5000), sineTone(659, 1000, 5000)))).toEqual([]);
    expect(detect(mix(dtmfTones("1", { durationMs: 1000 }), whiteNoise(1200, 20000, 9)))).toEqual([]);
    expect(detect(dtmfTones("1", { amplitude: 300 }))).toEqual([]);
    expect(detect(dtmfTones("1", { durationMs: 20 }))).toEqual([]);
  });
});

describe("RFC 4733 telephone events", () => {
  const packets = (digit: DtmfDigit, timestamp: number, firstSequence: number) =>
    telephoneEventPlan(digit).map((p, i) => ({
      sequenceNumber: (firstSequence + i) & 0xffff,
      timestamp,
      payload: p.payload,
      marker: p.marker,
    }));

  it("plans a press as a marked first packet, growing updates and three end packets", () => {
    const plan = telephoneEventPlan("7", { durationMs: 100 });
    expect(plan.map((p) => parseTelephoneEvent(p.payload))).toEqual([
      { event: 7, end: false, volume: 10, duration: 160 },
      { event: 7, end: false, volume: 10, duration: 320 },
      { event: 7, end: false, volume: 10, duration: 480 },
      { event: 7, end: false, volume: 10, duration: 640 },
      { event: 7, end: true, volume: 10, duration: 800 },
      { event: 7, end: true, volume: 10, duration: 800 },
      { event: 7, end: true, volume: 10, duration: 800 },
    ]);
    expect(plan.map((p) => p.marker)).toEqual([true, false, false, false, false, false, false]);
  });

  it("reports each press once, despite redundant end packets and sequence wrap", () => {
    const receiver = new TelephoneEventReceiver();
    const stream = [...packets("1", 1000, 65533), ...packets("1", 2600, 4), ...packets("#", 4200, 11)];
    const notices = stream.flatMap((p) => receiver.receive(p));
    expect(notices.map((n) => `${n.type}:${n.digit}`)).toEqual(["start:1", "end:1", "start:1", "end:1", "start:#", "end:#"]);
    expect(notices[1]).toMatchObject({ durationMs: 100 });
  });

  it("notices a press whose first packets were lost, and ignores late packets of a finished one", () => {
    const receiver = new TelephoneEventReceiver();
    const first = packets("4", 8000, 100);
    const second = packets("6", 9600, 107);
    const arrivals = [...first.slice(3), ...second.slice(0, 2), first[0], ...second.slice(2)];
    const notices = arrivals.flatMap((p) => (p ? receiver.receive(p) : []));
    expect(notices.filter((n) => n.type === "start").map((n) => n.digit)).toEqual(["4", "6"]);
  });

  it("treats the segments of a long press as one press (RFC 4733 §2.5.1.3)", () => {
    const receiver = new TelephoneEventReceiver();
    const segment = (timestamp: number, sequence: number, duration: number, end: boolean) => ({
      sequenceNumber: sequence,
      timestamp,
      payload: Buffer.from([9, end ? 0x80 : 0, duration >> 8, duration & 0xff]),
    });
    const notices = [segment(0, 1, 65535, false), segment(65535, 2, 160, false), segment(65535, 3, 800, true)].flatMap((p) =>
      receiver.receive(p),
    );
    expect(notices.map((n) => n.type)).toEqual(["start", "end"]);
  });

  it("reads sipp's captured RFC 2833 presses", () => {
    const receiver = new TelephoneEventReceiver();
    const digits: string[] = [];
    for (const name of ["1", "5", "star", "pound"]) {
      let pcap: Buffer;
      try {
        pcap = readFileSync(`/usr/share/sip-tester/dtmf_2833_${name}.pcap`);
      } catch {
        return; // sip-tester not installed: covered by the synthetic cases above.
      }
      for (let offset = 24; offset + 16 <= pcap.length; ) {
        const length = pcap.readUInt32LE(offset + 8);
        const frame = pcap.subarray(offset + 16, offset + 16 + length);
        offset += 16 + length;
        const rtp = frame.subarray(14 + 20 + 8);
        const notices = receiver.receive({
          sequenceNumber: rtp.readUInt16BE(2),
          timestamp: rtp.readUInt32BE(4),
          payload: rtp.subarray(12),
        });
        for (const n of notices) if (n.type === "start") digits.push(n.digit);
      }
    }
    expect(digits.join("")).toBe("15*#");
  });
});
