import type { SipBinding, SipLocationStore } from "@switchboard/core";

/**
 * The location service of a single process: a map (tests, tools). The server keeps bindings in the
 * database (the store's `SipLocationStore`), so registrations survive a restart.
 */
export class MemoryLocationService implements SipLocationStore {
  private readonly map = new Map<string, readonly SipBinding[]>();

  async bindings(aor: string): Promise<readonly SipBinding[]> {
    return this.map.get(aor) ?? [];
  }

  async replace(aor: string, bindings: readonly SipBinding[]): Promise<void> {
    if (bindings.length === 0) this.map.delete(aor);
    else this.map.set(aor, [...bindings]);
  }

  async addresses(): Promise<readonly string[]> {
    return [...this.map.keys()];
  }
}
