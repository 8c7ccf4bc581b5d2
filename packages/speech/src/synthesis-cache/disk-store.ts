import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Audio } from "@switchboard/core";
import { decodeWav, encodeWav } from "../wav/index.js";

/**
 * Synthesized prompts on disk, one 8 kHz 16-bit WAV per cache key (`<sha256>.wav`), so that a restart
 * or a second server sharing the directory does not synthesize them again, and an operator can listen
 * to any of them. Files are written under a temporary name and renamed, so that a reader never sees half
 * a file; one that does not decode anyway (a disk error, a hand edit) is treated as absent.
 */
export class DiskStore {
  readonly #directory: string;
  #ready: Promise<unknown> | undefined;

  constructor(directory: string) {
    this.#directory = directory;
  }

  /** The audio under `key`, or undefined when there is none (or none readable). */
  async read(key: string): Promise<Audio | undefined> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(this.#file(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
    try {
      return decodeWav(bytes);
    } catch {
      return undefined;
    }
  }

  async write(key: string, audio: Audio): Promise<void> {
    const file = this.#file(key);
    const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      this.#ready ??= mkdir(this.#directory, { recursive: true });
      await this.#ready;
      await writeFile(temporary, encodeWav(audio));
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      this.#ready = undefined; // the directory may have been removed: create it again next time
      throw error;
    }
  }

  #file(key: string): string {
    return path.join(this.#directory, `${key}.wav`);
  }
}
