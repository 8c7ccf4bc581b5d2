import { createHash } from "node:crypto";
import type { Audio } from "@switchboard/core";
import type { ResolvedSpeechRequest, SpeechRequest, SpeechSynthesizer } from "../synthesis/index.js";
import { ByteLru } from "./byte-lru.js";
import { DiskStore } from "./disk-store.js";

export interface CachingSynthesizerOptions {
  /** Memory the cached audio may take (default 32 MiB: about 35 minutes of 8 kHz speech). */
  readonly maxMemoryBytes?: number;
  /** A directory to keep synthesized prompts in across restarts (default: memory only). */
  readonly directory?: string;
  /**
   * Told about disk failures (a full disk, a directory without write access). They never fail a
   * synthesis: the prompt is served from memory or synthesized again. Default: ignored.
   */
  readonly onDiskError?: (error: unknown) => void;
}

export interface SynthesisCacheStats {
  readonly memoryHits: number;
  readonly diskHits: number;
  /** Requests that joined a synthesis already running for the same text. */
  readonly joined: number;
  readonly syntheses: number;
  readonly memoryBytes: number;
  readonly memoryEntries: number;
}

/**
 * Synthesizes each prompt once. Call flows speak the same few sentences all day ("Welcome to Northwind",
 * the menu, the digits), so the audio is kept by what it depends on (engine, voice, rate, normalized text)
 * in memory, within a byte budget, and optionally on disk. Requests for a text whose synthesis is already
 * running wait for that run instead of starting another: the first call of a campaign does not start a
 * hundred identical espeak-ng processes.
 *
 * Each caller gets its own copy of the audio, so that no caller can alter what the next one hears.
 */
export class CachingSynthesizer implements SpeechSynthesizer {
  readonly #inner: SpeechSynthesizer;
  readonly #memory: ByteLru<Audio>;
  readonly #disk: DiskStore | undefined;
  readonly #onDiskError: (error: unknown) => void;
  readonly #running = new Map<string, Promise<Audio>>();
  readonly #counts = { memoryHits: 0, diskHits: 0, joined: 0, syntheses: 0 };

  constructor(inner: SpeechSynthesizer, options: CachingSynthesizerOptions = {}) {
    this.#inner = inner;
    this.#memory = new ByteLru(options.maxMemoryBytes ?? 32 * 1024 * 1024, (audio) => audio.byteLength);
    this.#disk = options.directory === undefined ? undefined : new DiskStore(options.directory);
    this.#onDiskError = options.onDiskError ?? (() => {});
  }

  get engine(): string {
    return this.#inner.engine;
  }

  get stats(): SynthesisCacheStats {
    return { ...this.#counts, memoryBytes: this.#memory.bytes, memoryEntries: this.#memory.size };
  }

  resolve(request: SpeechRequest): ResolvedSpeechRequest {
    return this.#inner.resolve(request);
  }

  /** The cache key of a request: a SHA-256 hex digest, also the file name on disk. */
  key(request: SpeechRequest): string {
    const { text, voice, rate } = this.resolve(request);
    return createHash("sha256")
      .update(JSON.stringify([this.engine, voice, rate, text]))
      .digest("hex");
  }

  async synthesize(request: SpeechRequest): Promise<Audio> {
    const resolved = this.resolve(request);
    const key = this.key(resolved);
    const cached = this.#memory.get(key);
    if (cached) {
      this.#counts.memoryHits++;
      return cached.slice();
    }
    let running = this.#running.get(key);
    if (running) this.#counts.joined++;
    else {
      running = this.#load(key, resolved).finally(() => this.#running.delete(key));
      this.#running.set(key, running);
    }
    return (await running).slice();
  }

  async #load(key: string, request: ResolvedSpeechRequest): Promise<Audio> {
    const stored = await this.#disk?.read(key).catch((error: unknown) => {
      this.#onDiskError(error);
      return undefined;
    });
    if (stored) {
      this.#counts.diskHits++;
      this.#memory.set(key, stored);
      return stored;
    }
    this.#counts.syntheses++;
    const audio = await this.#inner.synthesize(request);
    this.#memory.set(key, audio);
    await this.#disk?.write(key, audio).catch(this.#onDiskError);
    return audio;
  }
}
