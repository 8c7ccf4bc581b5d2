/** A typed list of callbacks; a throwing listener does not keep the others from hearing the event. */
export class Listeners<T> {
  private readonly list = new Set<(value: T) => void>();

  add(listener: (value: T) => void): () => void {
    this.list.add(listener);
    return () => this.list.delete(listener);
  }

  emit(value: T): void {
    for (const listener of [...this.list]) {
      try {
        listener(value);
      } catch {
        // Listeners are the application's code: its failure must not break the protocol state machine.
      }
    }
  }

  clear(): void {
    this.list.clear();
  }
}
