import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { SAMPLE_RATE } from "@switchboard/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { splitAtPauses } from "./decoder-audio.js";
import { renderVoicemail, VOICEMAIL_SENTENCES, wordErrors } from "./dictation-corpus.js";
import { parseCtmLine } from "./pocketsphinx-process.js";
import { POCKETSPHINX_MODEL_DIRECTORY } from "./pocketsphinx-recognizer.js";
import { PocketsphinxTranscriber } from "./pocketsphinx-transcriber.js";
import { CORPUS_VOICES, type CorpusVoice, lineNoise, throughTelephoneChannel } from "./recognition-corpus.js";

const tone = (seconds: number, amplitude = 8_000) =>
  Int16Array.from({ length: Math.round(seconds * SAMPLE_RATE) }, (_, i) => Math.round(amplitude * Math.sin(i / 3)));

/** Tones of the given lengths (seconds) with silences of the given lengths between them. */
function speechAndPauses(...parts: number[]): Int16Array {
  const out = new Int16Array(Math.round(parts.reduce((a, b) => a + b, 0) * SAMPLE_RATE));
  let at = 0;
  parts.forEach((seconds, i) => {
    if (i % 2 === 0) out.set(tone(seconds), at);
    at += Math.round(seconds * SAMPLE_RATE);
  });
  return out;
}

describe("splitAtPauses", () => {
  it("keeps audio up to the longest piece (10 s) whole, and has nothing to cut in nothing", () => {
    expect(splitAtPauses(speechAndPauses(4, 1, 5))).toEqual([{ from: 0, to: 10 * SAMPLE_RATE }]);
    expect(splitAtPauses(new Int16Array(0))).toEqual([]);
  });

  it("cuts long speech in the middle of its longest pause in the second half of each piece", () => {
    // 8 s, pause 0.4 s, 5 s, pause 1 s, 4 s, pause 0.5 s, 9 s: 27.9 s in all.
    const audio = speechAndPauses(8, 0.4, 5, 1, 4, 0.5, 9);
    const pieces = splitAtPauses(audio, { maxPieceSeconds: 20 });
    expect(pieces.map((p) => [p.from / SAMPLE_RATE, p.to / SAMPLE_RATE])).toEqual([
      [0, 13.9],
      [13.9, 27.9],
    ]);
    // Shorter pieces: the pause in the second half wins over a longer one in the first.
    expect(splitAtPauses(audio).map((p) => p.to / SAMPLE_RATE)).toEqual([8.2, 13.9, 18.65, 27.9]);
  });

  it("cuts speech without a pause at its quietest 10 ms, so that no piece is too long", () => {
    const audio = tone(45);
    audio.fill(0, 18 * SAMPLE_RATE, 18 * SAMPLE_RATE + 40); // a dip too short to be a pause
    const pieces = splitAtPauses(audio, { maxPieceSeconds: 20 });
    expect(pieces[0]).toEqual({ from: 0, to: 18 * SAMPLE_RATE });
    expect(pieces.at(-1)?.to).toBe(audio.length);
    for (const piece of pieces) expect(piece.to - piece.from).toBeLessThanOrEqual(20 * SAMPLE_RATE);
  });
});

describe("dictation helpers", () => {
  it("counts word errors: substitutions, deletions and insertions, ignoring case and punctuation", () => {
    expect(wordErrors("Please call me back.", "please call me back")).toEqual({ errors: 0, words: 4 });
    expect(wordErrors("please call me back", "please all me back now")).toEqual({ errors: 2, words: 4 });
    expect(wordErrors("it's about my order", "about my order")).toEqual({ errors: 1, words: 4 });
    expect(wordErrors("call me", "")).toEqual({ errors: 2, words: 2 });
  });

  it("reads the decoder's CTM lines", () => {
    expect(parseCtmLine("u0-1 1 0.41 0.17 get 0.185")).toEqual({
      utterance: "u0-1",
      start: 0.41,
      duration: 0.17,
      word: "get",
      confidence: 0.185,
    });
    expect(parseCtmLine("u0-1 S 0 T -5281 A -4102 L -1179 0 -189 -337 <sil> 34")).toBeNull();
    expect(parseCtmLine("")).toBeNull();
  });
});

describe("PocketsphinxTranscriber without pocketsphinx", () => {
  let fakeModel: string;
  let options: { acousticModel: string; languageModel: string; dictionary: string };
  beforeAll(async () => {
    fakeModel = await mkdtemp(path.join(tmpdir(), "fake-model-"));
    await writeFile(path.join(fakeModel, "mdef"), "");
    options = {
      acousticModel: fakeModel,
      languageModel: path.join(fakeModel, "lm.bin"),
      dictionary: path.join(fakeModel, "words.dict"),
    };
    await writeFile(options.languageModel, "");
    await writeFile(options.dictionary, "hello HH AH L OW\n");
  });
  afterAll(() => rm(fakeModel, { recursive: true, force: true }));

  it("fails with speech.transcription_unavailable when the program is missing", async () => {
    const transcriber = new PocketsphinxTranscriber({ ...options, binary: "/no/such/pocketsphinx_batch" });
    await expect(transcriber.transcribe(tone(1))).rejects.toMatchObject({
      code: "speech.transcription_unavailable",
      kind: "unavailable",
      message: expect.stringMatching(/not installed \(Debian package pocketsphinx\)/),
    });
  });

  it("fails the same way when a model is missing", async () => {
    const transcriber = new PocketsphinxTranscriber({ ...options, languageModel: "/no/such/lm.bin" });
    await expect(transcriber.transcribe(tone(1))).rejects.toMatchObject({
      code: "speech.transcription_unavailable",
      message: expect.stringMatching(/pocketsphinx-en-us/),
    });
  });

  it("fails a transcription whose decoder dies or hangs", async () => {
    const exits = path.join(fakeModel, "exits");
    await writeFile(exits, "#!/bin/sh\necho 'FATAL: \"fake.c\", line 1: cannot' >&2\nexit 3\n", { mode: 0o755 });
    await expect(new PocketsphinxTranscriber({ ...options, binary: exits }).transcribe(tone(1))).rejects.toMatchObject({
      code: "speech.transcription_unavailable",
      message: expect.stringMatching(/exited \(status 3\): FATAL: "fake.c", line 1: cannot/),
    });

    const hangs = path.join(fakeModel, "hangs");
    await writeFile(hangs, "#!/bin/sh\nexec sleep 30\n", { mode: 0o755 });
    const hanging = new PocketsphinxTranscriber({ ...options, binary: hangs, timeoutMs: 200, timeoutMsPerSecond: 100 });
    await expect(hanging.transcribe(tone(1))).rejects.toMatchObject({
      code: "speech.transcription_unavailable",
      message: expect.stringMatching(/did not answer within 300 ms/),
    });
  });

  it("decodes a long message piece by piece, in order, without holding the event loop for long", async () => {
    // A stand-in decoder: hears "hello" in every utterance of its control file, sure at 0.9.
    const hello = path.join(fakeModel, "hello");
    await writeFile(
      hello,
      [
        "#!/bin/sh",
        'while [ $# -gt 0 ]; do case "$1" in -ctl) ctl=$2;; -hypseg) out=$2;; esac; shift 2; done',
        'exec 3>"$out"',
        'while read file start end id; do echo "$id S 0 T -9 A -8 L -1 0 -1 0 <s> 5 -7 -1 hello 80 -1 0 </s> 90 90" >&3; echo "$id 1 0.05 0.75 hello 0.900" >&3; done < "$ctl"',
      ].join("\n"),
      { mode: 0o755 },
    );
    // Three minutes of speech in 4 s stretches with 0.5 s pauses: its pieces are brought to 16 kHz one per turn.
    const message = speechAndPauses(...Array.from({ length: 80 }, (_, i) => (i % 2 === 0 ? 4 : 0.5)));
    let longestTurn = 0;
    let last = performance.now();
    const watch = setInterval(() => {
      longestTurn = Math.max(longestTurn, performance.now() - last);
      last = performance.now();
    }, 2);
    const dictation = await new PocketsphinxTranscriber({ ...options, binary: hello })
      .dictate(message)
      .finally(() => clearInterval(watch));
    expect(dictation.pieces).toBeGreaterThanOrEqual(18);
    expect(dictation.transcript).toEqual({ text: Array(dictation.pieces).fill("hello").join(" "), confidence: 0.9 });
    expect(dictation.words[0]).toEqual({ word: "hello", start: 0.05, duration: 0.75, confidence: 0.9 });
    // The whole message at once would hold it about 0.6 s; a piece of at most 10 s, about 35 ms.
    expect(longestTurn).toBeLessThan(250);
  });

  it("answers undefined for silence without running anything", async () => {
    const transcriber = new PocketsphinxTranscriber({ ...options, binary: "/no/such/pocketsphinx_batch" });
    await expect(transcriber.transcribe(new Int16Array(5 * SAMPLE_RATE))).resolves.toBeUndefined();
    await expect(transcriber.transcribe(new Int16Array(0))).resolves.toBeUndefined();
  });

  it("rejects audio that is not 16-bit samples or is longer than ten minutes", async () => {
    const transcriber = new PocketsphinxTranscriber(options);
    await expect(transcriber.transcribe(new Float32Array(8) as unknown as Int16Array)).rejects.toMatchObject({
      code: "speech.invalid_audio",
    });
    await expect(transcriber.transcribe(new Int16Array(601 * SAMPLE_RATE))).rejects.toMatchObject({
      code: "speech.invalid_audio",
    });
  });
});

// The real decoder on synthetic voicemail. Needs the Debian packages pocketsphinx and pocketsphinx-en-us
// (the transcriber) and flite (the test voices); `npm test` installs them.
const MODEL = path.join(POCKETSPHINX_MODEL_DIRECTORY, "en-us", "mdef");
const LANGUAGE_MODEL = path.join(POCKETSPHINX_MODEL_DIRECTORY, "en-us.lm.bin");
const BINARY = "/usr/bin/pocketsphinx_batch";
const missing = [BINARY, MODEL, LANGUAGE_MODEL, "/usr/bin/flite"].filter((file) => !existsSync(file));
const skip = missing.length > 0 && !process.env.CI;
if (skip)
  console.warn(
    `Skipping the transcription accuracy test: ${missing.join(" and ")} not installed (apt-get install pocketsphinx pocketsphinx-en-us flite).`,
  );

describe.skipIf(skip)("PocketsphinxTranscriber on telephone speech", () => {
  /** flite's US male and female voices: espeak-ng's formant voices are out of the model's reach (see the README). */
  const voices = ["flite kal", "flite slt"].map((name) => CORPUS_VOICES.find((v) => v.name === name) as CorpusVoice);
  const messages = new Map<string, Int16Array>();
  const transcriber = new PocketsphinxTranscriber({ maxConcurrency: 2 });
  beforeAll(async () => {
    for (const voice of voices) messages.set(voice.name, throughTelephoneChannel(await renderVoicemail(voice)));
  }, 60_000);
  afterAll(() => transcriber.close());

  it("transcribes a voicemail message of six sentences with at most 45% of the words wrong", async () => {
    const said = VOICEMAIL_SENTENCES.join(" ");
    const results = await Promise.all(
      voices.map(async (voice) => {
        const audio = messages.get(voice.name) as Int16Array;
        const dictation = await transcriber.dictate(audio);
        return {
          voice: voice.name,
          seconds: audio.length / SAMPLE_RATE,
          dictation,
          ...wordErrors(said, dictation.transcript?.text ?? ""),
        };
      }),
    );
    for (const r of results) {
      console.log(
        `${r.voice}: ${r.seconds.toFixed(1)} s in ${r.dictation.pieces} pieces, WER ${((100 * r.errors) / r.words).toFixed(1)}% (${r.errors}/${r.words}), confidence ${r.dictation.transcript?.confidence.toFixed(2)}, ${(r.dictation.decoderMs / r.seconds).toFixed(0)} ms per second of audio (two at once)\n  "${r.dictation.transcript?.text}"`,
      );
    }
    // Measured: 34.9% (kal) and 41.3% (slt), 38.1% together; see the README.
    const errors = results.reduce((sum, r) => sum + r.errors, 0);
    const words = results.reduce((sum, r) => sum + r.words, 0);
    expect(errors / words).toBeLessThanOrEqual(0.45);
    for (const r of results) {
      expect(r.errors / r.words).toBeLessThanOrEqual(0.5);
      expect(r.dictation.pieces).toBeGreaterThanOrEqual(3);
      expect(r.dictation.transcript?.confidence).toBeGreaterThan(0);
      expect(r.dictation.transcript?.confidence).toBeLessThanOrEqual(1);
    }
  }, 120_000);

  it("answers a clear message with its transcript, and line noise with none", async () => {
    const kal = messages.get("flite kal") as Int16Array;
    const transcript = await transcriber.transcribe(kal.subarray(0, 4 * SAMPLE_RATE));
    expect(transcript?.text).toMatch(/call/);
    await expect(transcriber.transcribe(lineNoise(8_000, -35))).resolves.toBeUndefined();
  }, 60_000);
});
