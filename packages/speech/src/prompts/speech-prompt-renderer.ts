import { type Audio, DomainError, notFound, type Prompt, type PromptRenderer, type RecordingStore } from "@switchboard/core";
import type { SpeechSynthesizer } from "../synthesis/index.js";
import { digitWords } from "./digit-words.js";
import { renderSilence, renderTone } from "./generated-audio.js";
import { holdMusic } from "./hold-music.js";

/**
 * Whose recordings a `recording` prompt names: a tenant id, fixed for the renderer, or a function asked
 * at each render (for instance reading the tenant of the call being handled from an AsyncLocalStorage).
 */
export type TenantSource = string | (() => string | undefined);

export interface SpeechPromptRendererOptions {
  /** Speaks `speech` and `digits` prompts. Pass a `CachingSynthesizer`: prompts repeat all day. */
  readonly synthesizer: SpeechSynthesizer;
  /** Where `recording` prompts come from. Without it they fail with `prompt.unsupported`. */
  readonly recordings?: RecordingStore;
  /** The tenant the recordings belong to. Needed only for `recording` prompts. */
  readonly tenant?: TenantSource;
}

/**
 * Renders every kind of prompt to telephone audio (8 kHz mono 16-bit).
 *
 * The core's `PromptRenderer.render(prompt)` takes no tenant, yet recordings belong to one. Two ways to
 * build it, both cheap, use whichever fits where the server knows the tenant:
 *
 * - one renderer per tenant: `base.forTenant(tenantId)` (or `tenant: tenantId`) when a call's flow is
 *   set up for its tenant. Renderers share the synthesizer, so they share its cache.
 * - one renderer for the process: `tenant: () => currentCall.getStore()?.tenantId`, asked at each render.
 *
 * Everything but `recording` is the same for all tenants. Errors are `DomainError`s: the synthesizer's
 * (`speech.*`), `prompt.invalid_digits`, `prompt.invalid_tone`, `prompt.invalid_duration`,
 * `recording.not_found`, `prompt.no_tenant` and `prompt.unsupported`.
 */
export class SpeechPromptRenderer implements PromptRenderer {
  readonly #options: SpeechPromptRendererOptions;

  constructor(options: SpeechPromptRendererOptions) {
    this.#options = options;
  }

  /** The same renderer (same synthesizer, same recording store) for one tenant's recordings. */
  forTenant(tenantId: string): SpeechPromptRenderer {
    return new SpeechPromptRenderer({ ...this.#options, tenant: tenantId });
  }

  async render(prompt: Prompt): Promise<Audio> {
    switch (prompt.kind) {
      case "speech":
        return this.#options.synthesizer.synthesize({ text: prompt.text, voice: prompt.voice });
      case "digits":
        return this.#renderDigits(prompt.digits, prompt.voice);
      case "tone":
        return renderTone(prompt.frequencies, prompt.durationMs);
      case "silence":
        return renderSilence(prompt.durationMs);
      case "recording":
        return this.#renderRecording(prompt.recordingId);
      case "music":
        return holdMusic();
      default: {
        // A kind the core adds fails to compile here until it is rendered; at run time it is reported.
        const unknown: never = prompt;
        throw unsupported(`There is no way to render a prompt of kind "${String((unknown as { kind?: unknown }).kind)}".`);
      }
    }
  }

  /**
   * Each key is spoken on its own and the words are joined, with the synthesizer's 100 ms of silence on
   * each side making a 200 ms gap: the steady pace at which people read numbers back, and only a dozen
   * words for the cache to hold, whatever the numbers.
   */
  async #renderDigits(digits: string, voice: string | undefined): Promise<Audio> {
    const words = digitWords(digits);
    const spoken = await Promise.all(words.map((text) => this.#options.synthesizer.synthesize({ text, voice })));
    const out = new Int16Array(spoken.reduce((length, audio) => length + audio.length, 0));
    let offset = 0;
    for (const audio of spoken) {
      out.set(audio, offset);
      offset += audio.length;
    }
    return out;
  }

  async #renderRecording(recordingId: string): Promise<Audio> {
    const { recordings, tenant } = this.#options;
    if (!recordings) throw unsupported("Recordings cannot be played: no recording store was given to the prompt renderer.");
    const tenantId = typeof tenant === "function" ? tenant() : tenant;
    if (!tenantId) {
      throw new DomainError(
        "prompt.no_tenant",
        "invalid",
        "A recording prompt was rendered without knowing whose recording it is.",
      );
    }
    const audio = await recordings.audio(tenantId, recordingId);
    if (!audio) throw notFound("recording", recordingId);
    return audio;
  }
}

const unsupported = (message: string) => new DomainError("prompt.unsupported", "unavailable", message);
