import { DomainError, SAMPLE_RATE } from "@switchboard/core";
import { describe, expect, it } from "vitest";
import { EspeakSynthesizer } from "./espeak-synthesizer.js";
import { type ProcessRunner, spawnProcess } from "./process-runner.js";
import { MAX_SPEECH_TEXT_LENGTH } from "./speech-synthesizer.js";

// These run the real espeak-ng (Debian package espeak-ng; `npm test` installs it).

const seconds = (audio: Int16Array) => audio.length / SAMPLE_RATE;

function rms(samples: Int16Array, from = 0, to = samples.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += (samples[i] as number) ** 2;
  return Math.sqrt(sum / Math.max(1, to - from));
}

/** Runs the real program, counting the runs and the most at once. */
function countingRunner() {
  const counts = { runs: 0, running: 0, mostAtOnce: 0, lastArgs: [] as readonly string[] };
  const runner: ProcessRunner = async (command, args, options) => {
    counts.runs++;
    counts.running++;
    counts.lastArgs = args;
    counts.mostAtOnce = Math.max(counts.mostAtOnce, counts.running);
    try {
      return await spawnProcess(command, args, options);
    } finally {
      counts.running--;
    }
  };
  return { counts, runner };
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

describe("EspeakSynthesizer", () => {
  it("says 'Welcome to Northwind' as 8 kHz speech of plausible length, trimmed", async () => {
    const audio = await new EspeakSynthesizer().synthesize({ text: "Welcome to Northwind" });
    expect(audio).toBeInstanceOf(Int16Array);
    expect(seconds(audio)).toBeGreaterThan(0.5);
    expect(seconds(audio)).toBeLessThan(4);
    // Speech energy: well above silence over the whole prompt (espeak-ng speaks at about -20 dBFS).
    expect(20 * Math.log10(rms(audio) / 32768)).toBeGreaterThan(-35);
    // 100 ms of silence before the speech (espeak-ng has none) and after it (espeak-ng pauses 300 ms).
    const tenMs = SAMPLE_RATE / 100;
    const firstLoud = Array.from({ length: Math.floor(audio.length / tenMs) }, (_, i) =>
      rms(audio, i * tenMs, (i + 1) * tenMs),
    ).findIndex((level) => level > 100);
    expect(firstLoud * 10).toBeGreaterThanOrEqual(90);
    expect(firstLoud * 10).toBeLessThanOrEqual(110);
    expect(rms(audio, audio.length - 400)).toBeLessThan(100);
  });

  it("speaks faster at a higher rate and in another voice", async () => {
    const synthesizer = new EspeakSynthesizer();
    const text = "Your call is important to us. Please stay on the line.";
    const normal = await synthesizer.synthesize({ text });
    const fast = await synthesizer.synthesize({ text, rate: 300 });
    expect(seconds(fast)).toBeLessThan(seconds(normal) * 0.75);
    const british = await synthesizer.synthesize({ text, voice: "en-gb" });
    expect(seconds(british)).toBeGreaterThan(1);
  });

  it("passes text on standard input: text that looks like options or shell is spoken", async () => {
    const { counts, runner } = countingRunner();
    const audio = await new EspeakSynthesizer({ runner }).synthesize({ text: "-v xx --help; $(reboot)" });
    expect(seconds(audio)).toBeGreaterThan(0.5);
    expect(counts.lastArgs).toEqual(["--stdout", "-v", "en-us", "-s", "160", "-b", "1", "--stdin"]);
  });

  it("rejects empty and too long text before running anything", async () => {
    const { counts, runner } = countingRunner();
    const synthesizer = new EspeakSynthesizer({ runner });
    expect(await codeOf(synthesizer.synthesize({ text: "" }))).toBe("speech.invalid_text");
    expect(await codeOf(synthesizer.synthesize({ text: " \n\t " }))).toBe("speech.invalid_text");
    expect(await codeOf(synthesizer.synthesize({ text: "a".repeat(MAX_SPEECH_TEXT_LENGTH + 1) }))).toBe("speech.invalid_text");
    expect(await codeOf(synthesizer.synthesize({ text: "hello", voice: "--help" }))).toBe("speech.invalid_voice");
    expect(await codeOf(synthesizer.synthesize({ text: "hello", rate: 5 }))).toBe("speech.invalid_rate");
    expect(counts.runs).toBe(0);
  });

  it("normalizes whitespace so that equal prompts resolve equal", () => {
    const synthesizer = new EspeakSynthesizer();
    expect(synthesizer.resolve({ text: "  Press\n one\tfor sales " })).toEqual({
      text: "Press one for sales",
      voice: "en-us",
      rate: 160,
    });
  });

  it("reports a voice espeak-ng does not have as speech.invalid_voice", async () => {
    expect(await codeOf(new EspeakSynthesizer().synthesize({ text: "hello", voice: "xx-nope" }))).toBe("speech.invalid_voice");
  });

  it("is speech.unavailable when espeak-ng is missing or fails", async () => {
    const missing = new EspeakSynthesizer({ binary: "/nonexistent/espeak-ng" }).synthesize({ text: "hello" });
    await expect(missing).rejects.toMatchObject({ code: "speech.unavailable", kind: "unavailable" });
    await expect(missing).rejects.toThrow(/not installed/);
    expect(await codeOf(new EspeakSynthesizer({ binary: "false" }).synthesize({ text: "hello" }))).toBe("speech.unavailable");
    // A program that exits 0 but writes no WAV.
    expect(await codeOf(new EspeakSynthesizer({ binary: "true" }).synthesize({ text: "hello" }))).toBe("speech.unavailable");
  });

  it("runs at most maxConcurrency programs at once", async () => {
    const { counts, runner } = countingRunner();
    const synthesizer = new EspeakSynthesizer({ runner, maxConcurrency: 1 });
    await Promise.all(["one", "two", "three", "four"].map((text) => synthesizer.synthesize({ text })));
    expect(counts.runs).toBe(4);
    expect(counts.mostAtOnce).toBe(1);
  });
});
