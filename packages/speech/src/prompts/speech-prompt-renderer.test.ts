import { type Audio, DomainError, type Prompt } from "@switchboard/core";
import { MemoryRecordingStore } from "@switchboard/core/testing";
import { describe, expect, it } from "vitest";
import { EspeakSynthesizer, type ProcessRunner, spawnProcess } from "../synthesis/index.js";
import { CachingSynthesizer } from "../synthesis-cache/index.js";
import { digitWords } from "./digit-words.js";
import { SpeechPromptRenderer } from "./speech-prompt-renderer.js";

/** The real espeak-ng behind a cache, with its runs counted. */
function cachedEspeak() {
  const counts = { runs: 0 };
  const runner: ProcessRunner = (command, args, options) => {
    counts.runs++;
    return spawnProcess(command, args, options);
  };
  return { counts, synthesizer: new CachingSynthesizer(new EspeakSynthesizer({ runner })) };
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

/** Runs of 10 ms frames louder than -50 dBFS, separated by at least `gapMs` of quiet. */
function soundBursts(audio: Audio, gapMs = 150): number {
  let bursts = 0;
  let quietFrames = Number.POSITIVE_INFINITY;
  for (let start = 0; start + 80 <= audio.length; start += 80) {
    let sum = 0;
    for (let i = start; i < start + 80; i++) sum += (audio[i] as number) ** 2;
    const loud = Math.sqrt(sum / 80) > 104;
    if (loud && quietFrames * 10 >= gapMs) bursts++;
    quietFrames = loud ? 0 : quietFrames + 1;
  }
  return bursts;
}

/** Power of one frequency (Goertzel), normalized by length. */
function power(audio: Audio, frequency: number): number {
  const coefficient = 2 * Math.cos((2 * Math.PI * frequency) / 8000);
  let [s1, s2] = [0, 0];
  for (const sample of audio) [s1, s2] = [sample + coefficient * s1 - s2, s1];
  return (s1 * s1 + s2 * s2 - coefficient * s1 * s2) / audio.length ** 2;
}

describe("SpeechPromptRenderer", () => {
  it("speaks speech prompts with the synthesizer", async () => {
    const { synthesizer } = cachedEspeak();
    const renderer = new SpeechPromptRenderer({ synthesizer });
    const audio = await renderer.render({ kind: "speech", text: "Welcome to Northwind" });
    expect(audio).toEqual(await synthesizer.synthesize({ text: "Welcome to Northwind" }));
    expect(audio.length / 8000).toBeGreaterThan(0.5);
  });

  it("reads digits one by one, each word synthesized once", async () => {
    const { counts, synthesizer } = cachedEspeak();
    const renderer = new SpeechPromptRenderer({ synthesizer });
    const audio = await renderer.render({ kind: "digits", digits: "12#" });
    const words = await Promise.all(["one", "two", "pound"].map((text) => synthesizer.synthesize({ text })));
    expect(audio).toEqual(Int16Array.from(words.flatMap((word) => [...word])));
    expect(soundBursts(audio)).toBe(3);
    expect(counts.runs).toBe(3);

    await renderer.render({ kind: "digits", digits: "2112 #1" });
    expect(counts.runs).toBe(3);
  });

  it("names keys as a caller would hear them", () => {
    expect(digitWords("0*#9")).toEqual(["zero", "star", "pound", "nine"]);
    expect(digitWords("+1 (555) 010-0")).toEqual(["plus", "one", "five", "five", "five", "zero", "one", "zero", "zero"]);
    expect(digitWords("ad")).toEqual(["A", "D"]);
  });

  it("rejects digits that are not keys", async () => {
    const renderer = new SpeechPromptRenderer({ synthesizer: cachedEspeak().synthesizer });
    expect(await codeOf(renderer.render({ kind: "digits", digits: "12x" }))).toBe("prompt.invalid_digits");
    expect(await codeOf(renderer.render({ kind: "digits", digits: " - " }))).toBe("prompt.invalid_digits");
    expect(await codeOf(renderer.render({ kind: "digits", digits: "1".repeat(65) }))).toBe("prompt.invalid_digits");
  });

  it("generates tones at their frequencies, faded in and out", async () => {
    const renderer = new SpeechPromptRenderer({ synthesizer: cachedEspeak().synthesizer });
    const beep = await renderer.render({ kind: "tone", frequencies: [1_000], durationMs: 500 });
    expect(beep).toHaveLength(4_000);
    expect(power(beep, 1_000)).toBeGreaterThan(1_000 * power(beep, 1_500));
    expect(Math.abs(beep[0] as number)).toBe(0);
    expect(Math.max(...beep.subarray(0, 8).map(Math.abs))).toBeLessThan(500); // the first millisecond is quiet
    expect(Math.max(...beep.map(Math.abs))).toBeGreaterThan(6_500);
    expect(beep.at(-1)).toBe(0);

    const ringBack = await renderer.render({ kind: "tone", frequencies: [440, 480], durationMs: 2_000 });
    expect(power(ringBack, 440)).toBeGreaterThan(100 * power(ringBack, 1_000));
    expect(power(ringBack, 480)).toBeGreaterThan(100 * power(ringBack, 1_000));
    expect(Math.max(...ringBack.map(Math.abs))).toBeLessThanOrEqual(14_000);
  });

  it("generates silence", async () => {
    const renderer = new SpeechPromptRenderer({ synthesizer: cachedEspeak().synthesizer });
    expect(await renderer.render({ kind: "silence", durationMs: 250 })).toEqual(new Int16Array(2_000));
    expect(await renderer.render({ kind: "silence", durationMs: 0 })).toHaveLength(0);
  });

  it.each<[Prompt, string]>([
    [{ kind: "tone", frequencies: [], durationMs: 100 }, "prompt.invalid_tone"],
    [{ kind: "tone", frequencies: [4_000], durationMs: 100 }, "prompt.invalid_tone"],
    [{ kind: "tone", frequencies: [Number.NaN], durationMs: 100 }, "prompt.invalid_tone"],
    [{ kind: "tone", frequencies: [440], durationMs: -1 }, "prompt.invalid_duration"],
    [{ kind: "silence", durationMs: 3_600_000 }, "prompt.invalid_duration"],
    [{ kind: "speech", text: "" }, "speech.invalid_text"],
    [{ kind: "video" } as unknown as Prompt, "prompt.unsupported"],
  ])("rejects %j with %s", async (prompt, code) => {
    const renderer = new SpeechPromptRenderer({ synthesizer: cachedEspeak().synthesizer });
    expect(await codeOf(renderer.render(prompt))).toBe(code);
  });

  describe("recordings", () => {
    const synthesizer = cachedEspeak().synthesizer;

    it("plays a tenant's recording, with the tenant fixed per renderer", async () => {
      const recordings = new MemoryRecordingStore();
      const audio = Int16Array.of(1, 2, 3);
      const { id } = await recordings.save({ tenantId: "northwind", audio });
      const base = new SpeechPromptRenderer({ synthesizer, recordings });
      expect(await base.forTenant("northwind").render({ kind: "recording", recordingId: id })).toEqual(audio);
      // Another tenant does not see it.
      expect(await codeOf(base.forTenant("contoso").render({ kind: "recording", recordingId: id }))).toBe("recording.not_found");
      expect(await codeOf(base.render({ kind: "recording", recordingId: id }))).toBe("prompt.no_tenant");
    });

    it("asks a tenant function at each render", async () => {
      const recordings = new MemoryRecordingStore();
      const { id } = await recordings.save({ tenantId: "contoso", audio: Int16Array.of(9) });
      let current: string | undefined = "contoso";
      const renderer = new SpeechPromptRenderer({ synthesizer, recordings, tenant: () => current });
      expect(await renderer.render({ kind: "recording", recordingId: id })).toEqual(Int16Array.of(9));
      current = undefined;
      expect(await codeOf(renderer.render({ kind: "recording", recordingId: id }))).toBe("prompt.no_tenant");
    });

    it("is prompt.unsupported without a recording store", async () => {
      const renderer = new SpeechPromptRenderer({ synthesizer, tenant: "northwind" });
      expect(await codeOf(renderer.render({ kind: "recording", recordingId: "r1" }))).toBe("prompt.unsupported");
    });
  });
});
