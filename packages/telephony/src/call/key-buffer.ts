import type { Key } from "@switchboard/core";

/**
 * Keys pressed while no `collect` runs, kept for the next one: a caller who knows the menu types ahead, and a
 * key that interrupted a prompt is the first digit of the answer. Bounded so that a stuck key or a flood of
 * events cannot grow it; once full, later keys are dropped (the first ones typed are the ones that count).
 */
export class KeyBuffer {
  private readonly keys: Key[] = [];

  constructor(readonly capacity = 32) {}

  get size(): number {
    return this.keys.length;
  }

  /** False when the buffer was full and the key was dropped. */
  push(key: Key): boolean {
    if (this.keys.length >= this.capacity) return false;
    this.keys.push(key);
    return true;
  }

  shift(): Key | undefined {
    return this.keys.shift();
  }

  clear(): void {
    this.keys.length = 0;
  }

  toString(): string {
    return this.keys.join("");
  }
}
