import type { Audio, Prompt, PromptRenderer, RecordingStore } from "@switchboard/core";
import { concat, mix, SAMPLE_RATE, silence, sineTone } from "../src/index.js";

export interface TestPromptRendererOptions {
  /** Where `recording` prompts come from. */
  readonly recordings?: RecordingStore;
  readonly tenantId?: string;
}

/** Speech and digits are rendered as tones that tests can tell apart by frequency and length. */
export const TEST_SPEECH_HZ = 600;
export const TEST_DIGIT_HZ = 850;
/** What the test renderer plays for the hold music. */
export const TEST_MUSIC_HZ = 300;
/** Length of one spoken word, or one read digit. */
export const TEST_WORD_MS = 200;

/**
 * A `PromptRenderer` without text-to-speech, for tests: tones and silences as asked (a tone of several
 * frequencies splits the level among them), each word of speech 200 ms of 600 Hz, each digit 200 ms of 850 Hz,
 * recordings from a `RecordingStore`. It logs what it rendered.
 */
export class TestPromptRenderer implements PromptRenderer {
  readonly rendered: Prompt[] = [];

  constructor(private readonly options: TestPromptRendererOptions = {}) {}

  async render(prompt: Prompt): Promise<Audio> {
    this.rendered.push(prompt);
    switch (prompt.kind) {
      case "tone": {
        const amplitude = 8000 / Math.max(1, prompt.frequencies.length);
        const tones = prompt.frequencies.map((frequency) => sineTone(frequency, prompt.durationMs, amplitude));
        return tones.length === 0 ? silence(prompt.durationMs) : mix(...tones);
      }
      case "silence":
        return silence(prompt.durationMs);
      case "speech": {
        const words = prompt.text.split(/\s+/).filter((word) => word !== "").length;
        return sineTone(TEST_SPEECH_HZ, words * TEST_WORD_MS, 8000);
      }
      case "digits":
        return concat(...[...prompt.digits].map(() => sineTone(TEST_DIGIT_HZ, TEST_WORD_MS, 8000)));
      case "recording": {
        const audio = await this.options.recordings?.audio(this.options.tenantId ?? "", prompt.recordingId);
        if (audio === undefined) throw new Error(`no recording ${prompt.recordingId}`);
        return audio;
      }
      case "music":
        // Hold music: a 300 Hz note and a rest, two seconds that loop.
        return concat(sineTone(TEST_MUSIC_HZ, 1_000, 6000), silence(1_000));
    }
  }
}

/** Milliseconds of audio in `samples`. */
export const durationMsOf = (samples: Int16Array): number => (samples.length * 1000) / SAMPLE_RATE;
