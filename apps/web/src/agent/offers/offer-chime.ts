/**
 * The sound of an incoming offer, made with the Web Audio API (no audio file): two soft rising notes.
 * Browsers let a page play sound only after the user interacted with it, so the chime is armed on the
 * first click or key press, and `armed` says whether it can play yet.
 */
export class OfferChime {
  #context: AudioContext | undefined;

  get armed(): boolean {
    return this.#context?.state === "running";
  }

  /** Call from a user gesture (a click, a key): creates or resumes the audio context. */
  arm(): Promise<void> {
    const AudioContextImpl = globalThis.AudioContext as typeof AudioContext | undefined;
    if (!AudioContextImpl) return Promise.resolve();
    this.#context ??= new AudioContextImpl();
    return this.#context.state === "suspended" ? this.#context.resume() : Promise.resolve();
  }

  play(): void {
    const context = this.#context;
    if (context?.state !== "running") return;
    const start = context.currentTime + 0.02;
    // A major sixth up (A5 → F#6): noticeable, not alarming; repeated once, quieter.
    for (const [offset, frequency, peak] of [
      [0, 880, 0.16],
      [0.16, 1480, 0.14],
      [0.6, 880, 0.08],
      [0.76, 1480, 0.07],
    ] as const) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = "sine";
      oscillator.frequency.value = frequency;
      const t = start + offset;
      gain.gain.setValueAtTime(0, t);
      gain.gain.linearRampToValueAtTime(peak, t + 0.012);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.42);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(t);
      oscillator.stop(t + 0.45);
    }
  }

  dispose(): void {
    void this.#context?.close().catch(() => {});
    this.#context = undefined;
  }
}
