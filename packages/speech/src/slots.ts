/**
 * At most `size` tasks at once: for the external processes (espeak-ng renderings, pocketsphinx decodings)
 * that each take a core for their duration, on a machine whose cores also carry the media plane. A burst
 * (a campaign starting, a cold cache, many messages left at once) waits its turn instead.
 */
export class Slots {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(size: number) {
    this.#free = size;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    }
  }
}
