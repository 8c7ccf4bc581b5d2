import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Audio, DomainError } from "@switchboard/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  EspeakSynthesizer,
  type ProcessRunner,
  type ResolvedSpeechRequest,
  type SpeechRequest,
  type SpeechSynthesizer,
  spawnProcess,
} from "../synthesis/index.js";
import { decodeWav } from "../wav/index.js";
import { CachingSynthesizer } from "./caching-synthesizer.js";

/** The real espeak-ng, with its runs counted. */
function countedEspeak() {
  const counts = { runs: 0 };
  const runner: ProcessRunner = (command, args, options) => {
    counts.runs++;
    return spawnProcess(command, args, options);
  };
  return { counts, synthesizer: new EspeakSynthesizer({ runner }) };
}

/** A synthesizer whose audio is `length` samples of the text's length, failing while `failing` is set. */
class FixedSynthesizer implements SpeechSynthesizer {
  readonly engine = "fixed";
  runs = 0;
  failing = false;
  constructor(readonly length = 100) {}
  resolve(request: SpeechRequest): ResolvedSpeechRequest {
    return { text: request.text, voice: request.voice ?? "v", rate: request.rate ?? 1 };
  }
  async synthesize(request: SpeechRequest): Promise<Audio> {
    this.runs++;
    if (this.failing) throw new DomainError("speech.unavailable", "unavailable", "down");
    return new Int16Array(this.length).fill(request.text.length);
  }
}

describe("CachingSynthesizer", () => {
  it("renders 'Welcome to Northwind' once: the second request is a memory hit", async () => {
    const { counts, synthesizer } = countedEspeak();
    const cache = new CachingSynthesizer(synthesizer);
    const first = await cache.synthesize({ text: "Welcome to Northwind" });
    const second = await cache.synthesize({ text: "Welcome to  Northwind", voice: "en-us" });
    expect(counts.runs).toBe(1);
    expect(second).toEqual(first);
    expect(cache.stats).toMatchObject({ syntheses: 1, memoryHits: 1, memoryEntries: 1, memoryBytes: first.byteLength });
  });

  it("runs espeak-ng once for concurrent requests of the same text", async () => {
    const { counts, synthesizer } = countedEspeak();
    const cache = new CachingSynthesizer(synthesizer);
    const results = await Promise.all(Array.from({ length: 5 }, () => cache.synthesize({ text: "Please hold" })));
    expect(counts.runs).toBe(1);
    expect(cache.stats.joined).toBe(4);
    for (const audio of results) expect(audio).toEqual(results[0]);
  });

  it("keys by voice and rate", async () => {
    const { counts, synthesizer } = countedEspeak();
    const cache = new CachingSynthesizer(synthesizer);
    await cache.synthesize({ text: "Sales" });
    await cache.synthesize({ text: "Sales", voice: "en-gb" });
    await cache.synthesize({ text: "Sales", rate: 200 });
    expect(counts.runs).toBe(3);
    expect(cache.key({ text: "Sales" })).toMatch(/^[0-9a-f]{64}$/);
    expect(cache.key({ text: "Sales" })).toBe(cache.key({ text: " Sales", voice: "en-us", rate: 160 }));
  });

  it("gives each caller its own copy", async () => {
    const cache = new CachingSynthesizer(new FixedSynthesizer());
    const first = await cache.synthesize({ text: "abc" });
    first.fill(0);
    expect((await cache.synthesize({ text: "abc" }))[0]).toBe(3);
  });

  it("rejects invalid text without caching anything, and does not cache failures", async () => {
    const espeak = countedEspeak();
    await expect(new CachingSynthesizer(espeak.synthesizer).synthesize({ text: " " })).rejects.toMatchObject({
      code: "speech.invalid_text",
    });
    expect(espeak.counts.runs).toBe(0);

    const inner = new FixedSynthesizer();
    const cache = new CachingSynthesizer(inner);
    inner.failing = true;
    await expect(cache.synthesize({ text: "hi" })).rejects.toMatchObject({ code: "speech.unavailable" });
    inner.failing = false;
    await expect(cache.synthesize({ text: "hi" })).resolves.toHaveLength(100);
    expect(inner.runs).toBe(2);
  });

  it("stays within its memory budget, evicting the least recently used", async () => {
    const inner = new FixedSynthesizer(100); // 200 bytes each
    const cache = new CachingSynthesizer(inner, { maxMemoryBytes: 450 });
    for (const text of ["a", "b", "a", "c", "a", "b"]) await cache.synthesize({ text });
    // a, b kept; a hit; c evicts b; a hit; b again synthesized (evicting c).
    expect(inner.runs).toBe(4);
    expect(cache.stats).toMatchObject({ memoryHits: 2, memoryEntries: 2, memoryBytes: 400 });
  });

  describe("on disk", () => {
    let directory: string;
    beforeEach(async () => {
      directory = await mkdtemp(path.join(tmpdir(), "switchboard-speech-"));
    });
    afterEach(async () => {
      await rm(directory, { recursive: true, force: true });
    });

    it("keeps prompts across instances as WAV files named by their key", async () => {
      const first = countedEspeak();
      const cache = new CachingSynthesizer(first.synthesizer, { directory: path.join(directory, "prompts") });
      const audio = await cache.synthesize({ text: "Welcome to Northwind" });
      const file = path.join(directory, "prompts", `${cache.key({ text: "Welcome to Northwind" })}.wav`);
      expect(decodeWav(await readFile(file))).toEqual(audio);
      expect(await readdir(path.join(directory, "prompts"))).toHaveLength(1); // no temporary file left

      const second = countedEspeak();
      const restarted = new CachingSynthesizer(second.synthesizer, { directory: path.join(directory, "prompts") });
      expect(await restarted.synthesize({ text: "Welcome to Northwind" })).toEqual(audio);
      expect(second.counts.runs).toBe(0);
      expect(restarted.stats.diskHits).toBe(1);
    });

    it("synthesizes again over a file that does not decode", async () => {
      const inner = new FixedSynthesizer();
      const cache = new CachingSynthesizer(inner, { directory });
      await writeFile(path.join(directory, `${cache.key({ text: "hi" })}.wav`), "not a wav");
      expect(await cache.synthesize({ text: "hi" })).toHaveLength(100);
      expect(inner.runs).toBe(1);
      expect(decodeWav(await readFile(path.join(directory, `${cache.key({ text: "hi" })}.wav`)))).toHaveLength(100);
    });

    it("reports disk failures but still serves the prompt", async () => {
      const blocked = path.join(directory, "a-file");
      await writeFile(blocked, "");
      const errors: unknown[] = [];
      const inner = new FixedSynthesizer();
      const cache = new CachingSynthesizer(inner, {
        directory: path.join(blocked, "prompts"),
        onDiskError: (e) => errors.push(e),
      });
      expect(await cache.synthesize({ text: "hi" })).toHaveLength(100);
      expect(await cache.synthesize({ text: "hi" })).toHaveLength(100);
      expect(inner.runs).toBe(1);
      expect(errors.length).toBeGreaterThanOrEqual(1);
    });
  });
});
