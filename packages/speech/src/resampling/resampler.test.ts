import { describe, expect, it } from "vitest";
import { Resampler, resample } from "./resampler.js";
import { downmix, floatToPcm16, pcm16ToFloat, toTelephoneAudio } from "./telephone-audio.js";

const sine = (frequency: number, rate: number, seconds: number, amplitude = 0.5): Float32Array =>
  Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => amplitude * Math.sin((2 * Math.PI * frequency * i) / rate));

/** RMS of the middle half: the edges hold the filter's start-up against the zeros outside the signal. */
function middleRms(samples: Float32Array): number {
  const from = Math.floor(samples.length / 4);
  const to = Math.floor((3 * samples.length) / 4);
  let sum = 0;
  for (let i = from; i < to; i++) sum += (samples[i] as number) ** 2;
  return Math.sqrt(sum / (to - from));
}

const db = (ratio: number) => 20 * Math.log10(ratio);
const sineRms = (amplitude: number) => amplitude / Math.SQRT2;

describe("Resampler", () => {
  it("turns one second of 22,050 Hz into one second of 8 kHz", () => {
    expect(resample(new Float32Array(22_050), 22_050, 8_000)).toHaveLength(8_000);
    expect(resample(new Float32Array(44_100), 44_100, 8_000)).toHaveLength(8_000);
    expect(resample(new Float32Array(0), 22_050, 8_000)).toHaveLength(0);
  });

  it("keeps a 1 kHz tone at its level when going from 22,050 Hz to 8 kHz", () => {
    const out = resample(sine(1_000, 22_050, 1), 22_050, 8_000);
    expect(Math.abs(db(middleRms(out) / sineRms(0.5)))).toBeLessThan(0.05);
    // And it is the same sine, in phase: the filter is centred on each output instant.
    const ideal = sine(1_000, 8_000, 1);
    for (let i = 2_000; i < 6_000; i++) expect(Math.abs((out[i] as number) - (ideal[i] as number))).toBeLessThan(1e-3);
  });

  it("keeps the telephone band (3 kHz) within half a decibel", () => {
    const out = resample(sine(3_000, 22_050, 1), 22_050, 8_000);
    expect(Math.abs(db(middleRms(out) / sineRms(0.5)))).toBeLessThan(0.5);
  });

  it("removes a 6 kHz tone before decimating instead of folding it to 2 kHz", () => {
    const out = resample(sine(6_000, 22_050, 1), 22_050, 8_000);
    expect(db(middleRms(out) / sineRms(0.5))).toBeLessThan(-90); // measured: about -110 dB
  });

  it.each([44_100, 48_000, 16_000, 11_025])("removes a tone above 4 kHz from %i Hz", (rate) => {
    const frequency = Math.min(5_000, rate / 2 - 500);
    const out = resample(sine(frequency, rate, 0.5), rate, 8_000);
    expect(db(middleRms(out) / sineRms(0.5))).toBeLessThan(-60);
  });

  it("upsamples without images: 1 kHz at 8 kHz to 16 kHz has no 7 kHz", () => {
    const out = resample(sine(1_000, 8_000, 1), 8_000, 16_000);
    const ideal = sine(1_000, 16_000, 1);
    for (let i = 4_000; i < 12_000; i++) expect(Math.abs((out[i] as number) - (ideal[i] as number))).toBeLessThan(1e-3);
  });

  it("handles rates whose ratio does not reduce (22,051 Hz) by rounding to fine phases", () => {
    const out = resample(sine(1_000, 22_051, 1), 22_051, 8_000);
    const ideal = sine(1_000, 8_000, 1);
    for (let i = 2_000; i < 6_000; i++) expect(Math.abs((out[i] as number) - (ideal[i] as number))).toBeLessThan(2e-3);
  });

  it("copies when the rates are equal", () => {
    const input = sine(440, 8_000, 0.1);
    const out = resample(input, 8_000, 8_000);
    expect(out).toEqual(input);
    expect(out).not.toBe(input);
  });

  it("rejects rates that are not positive integers", () => {
    expect(() => new Resampler(0, 8_000)).toThrow(RangeError);
    expect(() => new Resampler(22_050.5, 8_000)).toThrow(RangeError);
  });
});

describe("telephone audio", () => {
  it("averages channels", () => {
    expect([...downmix([Float32Array.of(0.5, -0.5), Float32Array.of(0.25, 0.5)])]).toEqual([0.375, 0]);
  });

  it("clips floats to 16 bits and converts back", () => {
    expect([...floatToPcm16(Float32Array.of(-1.2, -1, 0, 0.5, 1, 1.5))]).toEqual([-32768, -32768, 0, 16384, 32767, 32767]);
    expect([...pcm16ToFloat(Int16Array.of(-32768, 16384))]).toEqual([-1, 0.5]);
  });

  it("makes 8 kHz mono 16-bit audio of a stereo 44.1 kHz signal", () => {
    const left = sine(1_000, 44_100, 0.5);
    const audio = toTelephoneAudio([left, left], 44_100);
    expect(audio).toBeInstanceOf(Int16Array);
    expect(audio).toHaveLength(4_000);
  });
});
