/** Sortable unique ids (UUIDv7 in production); injected so the core stays free of randomness. */
export interface IdGenerator {
  next(): string;
}

/** Deterministic ids for tests: `prefix-000001`, `prefix-000002`, ... (sortable). */
export class SequentialIds implements IdGenerator {
  private n = 0;
  constructor(private readonly prefix = "id") {}
  next(): string {
    this.n += 1;
    return `${this.prefix}-${String(this.n).padStart(6, "0")}`;
  }
}
