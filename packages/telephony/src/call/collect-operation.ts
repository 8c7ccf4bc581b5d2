import type { CollectOptions, CollectOutcome, Key } from "@switchboard/core";
import type { TimerHandle } from "../scheduler/scheduler.js";
import { type Halt, Operation, type OperationHost } from "./operation.js";

const FIRST_KEY_TIMEOUT_MS = 5_000;
const INTER_KEY_TIMEOUT_MS = 3_000;

/**
 * Collects keys: first those already buffered (typed ahead, or the key that interrupted a prompt), then those
 * pressed. It ends on a terminator (not part of the digits), on `maxDigits`, when the first key or the next
 * one is too long in coming, or at the total timeout. Keys after the end stay buffered for the next collect.
 * Timers run on the injected scheduler, so tests drive them without waiting.
 */
export class CollectOperation extends Operation<CollectOutcome> {
  private digits = "";
  private keyTimer: TimerHandle | undefined;
  private totalTimer: TimerHandle | undefined;
  private readonly terminators: string;

  constructor(
    host: OperationHost,
    private readonly options: CollectOptions,
  ) {
    super(host);
    this.terminators = options.terminators ?? "#";
  }

  start(): void {
    if (this.options.totalTimeoutMs !== undefined) {
      this.totalTimer = this.host.scheduler.schedule(this.options.totalTimeoutMs, () => this.finish("total-timeout"));
    }
    for (let key = this.host.keys.shift(); key !== undefined; key = this.over ? undefined : this.host.keys.shift()) {
      this.accept(key);
    }
    if (!this.over) this.arm();
  }

  halt(reason: Halt): void {
    this.finish(reason);
  }

  override key(key: Key): boolean {
    this.accept(key);
    if (!this.over) this.arm();
    return true;
  }

  protected override cleanup(): void {
    this.keyTimer?.cancel();
    this.totalTimer?.cancel();
  }

  private accept(key: Key): void {
    if (this.terminators.includes(key)) {
      this.finish("terminator", key);
      return;
    }
    this.digits += key;
    if (this.digits.length >= this.options.maxDigits) this.finish("max-digits");
  }

  /** (Re)starts the wait for the next key: the first key's timeout until one came, the inter-key one after. */
  private arm(): void {
    this.keyTimer?.cancel();
    const first = this.digits.length === 0;
    const delay = first
      ? (this.options.firstKeyTimeoutMs ?? FIRST_KEY_TIMEOUT_MS)
      : (this.options.interKeyTimeoutMs ?? INTER_KEY_TIMEOUT_MS);
    this.keyTimer = this.host.scheduler.schedule(delay, () => this.finish(first ? "no-input" : "inter-key-timeout"));
  }

  private finish(ended: CollectOutcome["ended"], terminator?: Key): void {
    if (!this.end()) return;
    const outcome: CollectOutcome = { digits: this.digits, ended, ...(terminator === undefined ? {} : { terminator }) };
    this.settle(outcome, { type: "collect.ended", legId: this.host.legId, outcome });
  }
}
