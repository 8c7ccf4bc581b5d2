import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { DomainError, SAMPLE_RATE } from "@switchboard/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EspeakSynthesizer } from "../synthesis/index.js";
import { MU_LAW_TABLE } from "../wav/g711.js";
import { DECODER_SAMPLE_RATE, findSpeech, toDecoderAudio } from "./decoder-audio.js";
import { POCKETSPHINX_MODEL_DIRECTORY, PocketsphinxRecognizer } from "./pocketsphinx-recognizer.js";
import { formatAccuracyReport, measureAccuracy, ratio } from "./recognition-accuracy.js";
import { type CorpusUtterance, lineNoise, muLawEncode, renderCorpus, throughTelephoneChannel } from "./recognition-corpus.js";

const tone = (seconds: number, amplitude = 8_000) =>
  Int16Array.from({ length: Math.round(seconds * SAMPLE_RATE) }, (_, i) => Math.round(amplitude * Math.sin(i / 3)));
const grammar = { choices: [{ id: "1", phrases: ["sales"] }] };

describe("µ-law test channel", () => {
  it("encodes every code's value back to that code", () => {
    for (let code = 0; code < 256; code++) {
      const value = MU_LAW_TABLE[code] as number;
      // Zero has two codes (0x7F and 0xFF); the encoder picks the positive one.
      expect(muLawEncode(value)).toBe(value === 0 ? 0xff : code);
    }
  });

  it("adds silence around the speech, and noise at the asked level", () => {
    const speech = tone(1);
    expect(throughTelephoneChannel(speech, { leadingSilenceMs: 300, trailingSilenceMs: 500 })).toHaveLength(
      8_000 + 2_400 + 4_000,
    );
    const noisy = throughTelephoneChannel(speech, { snrDb: 20, leadingSilenceMs: 1_000, trailingSilenceMs: 0 });
    let sum = 0;
    for (let i = 0; i < 8_000; i++) sum += (noisy[i] as number) ** 2;
    const noiseDb = 20 * Math.log10(Math.sqrt(sum / 8_000) / (8_000 / Math.SQRT2));
    expect(noiseDb).toBeGreaterThan(-21);
    expect(noiseDb).toBeLessThan(-19);
  });
});

describe("toDecoderAudio", () => {
  it("cuts the audio to the speech with 200 ms each side, at 16 kHz", () => {
    const audio = new Int16Array(3 * SAMPLE_RATE);
    audio.set(tone(1), SAMPLE_RATE);
    expect(findSpeech(audio)).toEqual({ from: SAMPLE_RATE - 1_600, to: 2 * SAMPLE_RATE + 1_600 });
    expect(toDecoderAudio(audio)).toHaveLength(((1_000 + 400) * DECODER_SAMPLE_RATE) / 1000);
  });

  it("has no digital silence left, and is the same every time", () => {
    const audio = new Int16Array(SAMPLE_RATE);
    audio.set(tone(0.5), 2_000);
    const once = toDecoderAudio(audio);
    expect(once?.slice(0, 100).some((sample) => sample !== 0)).toBe(true);
    expect(toDecoderAudio(audio)).toEqual(once);
  });

  it("finds no speech in silence or a faint hiss", () => {
    expect(toDecoderAudio(new Int16Array(8_000))).toBeNull();
    expect(toDecoderAudio(lineNoise(1_000, -60))).toBeNull();
    expect(toDecoderAudio(new Int16Array(0))).toBeNull();
  });
});

describe("PocketsphinxRecognizer without pocketsphinx", () => {
  let fakeModel: string;
  let dictionary: string;
  beforeAll(async () => {
    fakeModel = await mkdtemp(path.join(tmpdir(), "fake-model-"));
    await writeFile(path.join(fakeModel, "mdef"), "");
    dictionary = path.join(fakeModel, "words.dict");
    await writeFile(dictionary, "sales S EY L Z\n");
  });
  afterAll(() => rm(fakeModel, { recursive: true, force: true }));

  it("fails with speech.recognition_unavailable when the program is missing, so the flow falls back to the keypad", async () => {
    const recognizer = new PocketsphinxRecognizer({
      binary: "/no/such/pocketsphinx_batch",
      acousticModel: fakeModel,
      dictionary,
    });
    const error = await recognizer.recognize(tone(1), grammar).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: "speech.recognition_unavailable", kind: "unavailable" });
    expect((error as Error).message).toMatch(/not installed \(Debian package pocketsphinx\)/);
  });

  it("fails a decoding whose decoder dies or hangs, and starts a new decoder for the next one", async () => {
    const exits = path.join(fakeModel, "exits");
    await writeFile(exits, "#!/bin/sh\necho 'ERROR: \"fake.c\", line 1: cannot' >&2\nexit 3\n", { mode: 0o755 });
    const dying = new PocketsphinxRecognizer({ binary: exits, acousticModel: fakeModel, dictionary });
    for (let i = 0; i < 2; i++) {
      await expect(dying.recognize(tone(1), grammar)).rejects.toMatchObject({
        code: "speech.recognition_unavailable",
        message: expect.stringMatching(/exited \(status 3\): ERROR: "fake.c", line 1: cannot/),
      });
    }
    await dying.close();

    const hangs = path.join(fakeModel, "hangs");
    await writeFile(hangs, "#!/bin/sh\nexec sleep 30\n", { mode: 0o755 });
    const hanging = new PocketsphinxRecognizer({ binary: hangs, acousticModel: fakeModel, dictionary, timeoutMs: 300 });
    await expect(hanging.recognize(tone(1), grammar)).rejects.toMatchObject({
      code: "speech.recognition_unavailable",
      message: expect.stringMatching(/did not answer within 300 ms/),
    });
    await hanging.close();
  });

  it("fails the same way when the acoustic model is missing", async () => {
    const recognizer = new PocketsphinxRecognizer({ acousticModel: "/no/such/model", dictionary });
    await expect(recognizer.recognize(tone(1), grammar)).rejects.toMatchObject({
      code: "speech.recognition_unavailable",
      message: expect.stringMatching(/pocketsphinx-en-us/),
    });
  });

  it("answers null for silence without running anything", async () => {
    const recognizer = new PocketsphinxRecognizer({
      binary: "/no/such/pocketsphinx_batch",
      acousticModel: fakeModel,
      dictionary,
    });
    await expect(recognizer.recognize(new Int16Array(16_000), grammar)).resolves.toBeNull();
  });

  it("rejects audio that is not 16-bit samples or is far too long", async () => {
    const recognizer = new PocketsphinxRecognizer({ acousticModel: fakeModel, dictionary });
    await expect(recognizer.recognize(new Float32Array(8) as unknown as Int16Array, grammar)).rejects.toMatchObject({
      code: "speech.invalid_audio",
    });
    await expect(recognizer.recognize(new Int16Array(61 * SAMPLE_RATE), grammar)).rejects.toMatchObject({
      code: "speech.invalid_audio",
    });
  });
});

// The real decoder on synthetic telephone speech. Needs the Debian packages pocketsphinx and
// pocketsphinx-en-us (the recognizer), espeak-ng and flite (the test voices); `npm test` installs them.
const MODEL = path.join(POCKETSPHINX_MODEL_DIRECTORY, "en-us", "mdef");
const BINARY = "/usr/bin/pocketsphinx_batch";
const missing = [BINARY, MODEL].filter((file) => !existsSync(file));
const skip = missing.length > 0 && !process.env.CI;
if (skip)
  console.warn(
    `Skipping the speech recognition accuracy test: ${missing.join(" and ")} not installed (apt-get install pocketsphinx pocketsphinx-en-us).`,
  );

describe.skipIf(skip)("PocketsphinxRecognizer on telephone speech", () => {
  let corpus: CorpusUtterance[];
  const recognizer = new PocketsphinxRecognizer({ maxConcurrency: 2 });
  beforeAll(async () => {
    corpus = await renderCorpus();
  }, 60_000);
  afterAll(() => recognizer.close());

  it("recognizes a spoken menu option", async () => {
    const sales = corpus.find((u) => u.text === "sales" && u.voice.name === "flite kal") as CorpusUtterance;
    const recognition = await recognizer.recognize(throughTelephoneChannel(sales.audio), {
      choices: [
        { id: "1", phrases: ["sales"] },
        { id: "2", phrases: ["support", "technical support"] },
      ],
    });
    expect(recognition).toMatchObject({ choiceId: "1", text: "sales" });
    expect(recognition?.confidence).toBeGreaterThan(0.5);
    expect(recognition?.confidence).toBeLessThanOrEqual(1);
  });

  it("hears a name the dictionary lacks through espeak-ng's rules", async () => {
    const audio = await new EspeakSynthesizer({ voice: "en-us" }).synthesize({ text: "Okonkwo" });
    const decoding = await recognizer.decode(throughTelephoneChannel(audio), {
      choices: [
        { id: "okonkwo", phrases: ["Okonkwo"] },
        { id: "sales", phrases: ["sales"] },
      ],
    });
    expect(decoding.unknownWords).toEqual([]);
    expect(decoding.recognition?.choiceId).toBe("okonkwo");
  });

  it("hears at least 90% of menu options over G.711, clean and with noise at 20 dB SNR, and rejects what is not in the grammar", async () => {
    const report = await measureAccuracy(recognizer, corpus, { concurrency: 2 });
    console.log(`Speech recognition accuracy (espeak-ng and flite voices, G.711 µ-law):\n${formatAccuracyReport(report)}`);

    expect(ratio(report.overall.menu)).toBeGreaterThanOrEqual(0.9);
    for (const condition of report.byCondition) expect(ratio(condition.tally.menu)).toBeGreaterThanOrEqual(0.85);
    expect(ratio(report.overall.names)).toBeGreaterThanOrEqual(0.8);
    // A wrong choice is worse than none (the caller is asked again): few, whatever the threshold.
    const inGrammar = report.overall.menu.total + report.overall.names.total;
    expect(report.overall.wrong / inGrammar).toBeLessThanOrEqual(0.05);
    expect(ratio(report.overall.outOfGrammar)).toBeGreaterThanOrEqual(0.8);
    expect(report.silenceAndNoise.filter((s) => !s.rejected)).toEqual([]);
  }, 120_000);
});
