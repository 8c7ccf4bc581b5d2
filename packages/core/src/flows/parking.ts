import { type CallParking, connectParties } from "../calls/connection.js";
import type { Dialer } from "../calls/dialer.js";
import type { CallLegMedia, MediaMixer } from "../calls/media.js";
import type { FlowTimers } from "./ports.js";
import { FLOW_PROMPTS } from "./prompts.js";

export interface ParkingLotOptions {
  readonly dialer: Dialer;
  readonly mixer: MediaMixer;
  readonly timers: FlowTimers;
  /** What a phone transfers a call to, to park it (default `70`). */
  readonly parkCode?: string;
  /** The orbits, each an extension that picks up what waits there (default `71` to `79`). */
  readonly orbits?: readonly string[];
  /** How long a call waits before it rings back the parker (default 60 s). */
  readonly returnAfterMs?: number;
  /** How long the parker's phone rings on a return (default 20 s). */
  readonly ringBackMs?: number;
  /** Returns before the caller is told nobody came back and hung up (default 3). */
  readonly maxReturns?: number;
  readonly onEvent?: (event: ParkingEvent) => void;
}

export type ParkingEvent =
  | { readonly type: "call.parked"; readonly tenantId: string; readonly callId: string; readonly orbit: string }
  | { readonly type: "call.picked_up"; readonly tenantId: string; readonly callId: string; readonly orbit: string }
  | { readonly type: "call.returned"; readonly tenantId: string; readonly callId: string; readonly answered: boolean };

interface Parked {
  readonly caller: CallLegMedia;
  readonly tenantId: string;
  readonly callId: string;
  readonly orbit: string;
  readonly parkerExtension: string | undefined;
  returns: number;
  cancel: () => void;
}

/**
 * Park and pickup (TEL6): a party blind-transfers a call to the park code; the call waits in the first
 * free orbit of the tenant with hold music, and the party hears the orbit before its phone lets go. Any
 * phone of the tenant dialling the orbit picks the call up. Unclaimed after `returnAfterMs`, it rings
 * the parker back; unanswered, it waits again, up to `maxReturns` times, then the caller is told and the
 * call ends. Kept in memory: a parked call lives on this node's media anyway.
 */
export class ParkingLot implements CallParking {
  private readonly parked = new Map<string, Parked>();
  private readonly parkCode: string;
  private readonly orbits: readonly string[];

  constructor(private readonly options: ParkingLotOptions) {
    this.parkCode = options.parkCode ?? "70";
    this.orbits = options.orbits ?? ["71", "72", "73", "74", "75", "76", "77", "78", "79"];
  }

  isParkCode(extension: string): boolean {
    return extension === this.parkCode;
  }

  isOrbit(extension: string): boolean {
    return this.orbits.includes(extension);
  }

  /** The orbits of the tenant with a call waiting. */
  occupied(tenantId: string): string[] {
    return this.orbits.filter((orbit) => this.parked.has(key(tenantId, orbit)));
  }

  async park(
    caller: CallLegMedia,
    parker: { tenantId: string; callId: string; extension: string | undefined },
  ): Promise<string | undefined> {
    const orbit = this.orbits.find((o) => !this.parked.has(key(parker.tenantId, o)));
    if (orbit === undefined) return undefined;
    const entry: Parked = {
      caller,
      tenantId: parker.tenantId,
      callId: parker.callId,
      orbit,
      parkerExtension: parker.extension,
      returns: 0,
      cancel: () => undefined,
    };
    this.wait(entry);
    await caller.hold();
    void caller.ended.then(() => this.release(entry));
    this.options.onEvent?.({ type: "call.parked", tenantId: entry.tenantId, callId: entry.callId, orbit });
    return orbit;
  }

  /** The call waiting in the orbit, now the picker's (off hold once connected); undefined when none waits. */
  pickUp(tenantId: string, orbit: string): { caller: CallLegMedia; callId: string } | undefined {
    const entry = this.parked.get(key(tenantId, orbit));
    if (!entry) return undefined;
    this.release(entry);
    this.options.onEvent?.({ type: "call.picked_up", tenantId, callId: entry.callId, orbit });
    return { caller: entry.caller, callId: entry.callId };
  }

  private wait(entry: Parked): void {
    this.parked.set(key(entry.tenantId, entry.orbit), entry);
    const sleep = this.options.timers.sleep(this.options.returnAfterMs ?? 60_000);
    entry.cancel = sleep.cancel;
    void sleep.done.then(() => this.ringBack(entry));
  }

  private release(entry: Parked): void {
    entry.cancel();
    if (this.parked.get(key(entry.tenantId, entry.orbit)) === entry) this.parked.delete(key(entry.tenantId, entry.orbit));
  }

  /** Nobody picked it up: the parker's phone rings; unanswered, the call waits again (or, at last, ends). */
  private async ringBack(entry: Parked): Promise<void> {
    if (this.parked.get(key(entry.tenantId, entry.orbit)) !== entry) return;
    this.release(entry);
    const { caller } = entry;
    const answered =
      entry.parkerExtension === undefined
        ? undefined
        : await this.options.dialer.dial(
            { kind: "extension", extension: entry.parkerExtension },
            {
              tenantId: entry.tenantId,
              callId: entry.callId,
              callerId: `parked ${entry.orbit}`,
              ringTimeoutMs: this.options.ringBackMs ?? 20_000,
              abandon: caller.ended,
            },
          );
    this.options.onEvent?.({
      type: "call.returned",
      tenantId: entry.tenantId,
      callId: entry.callId,
      answered: answered?.ok === true,
    });
    if (answered?.ok) {
      await caller.resume();
      await connectParties(
        caller,
        answered.leg,
        { dialer: this.options.dialer, mixer: this.options.mixer, parking: this },
        { tenantId: entry.tenantId, callId: entry.callId },
        entry.parkerExtension,
      );
      return;
    }
    if (answered && !answered.ok && answered.failure === "cancelled") return;
    entry.returns += 1;
    const orbitFree = !this.parked.has(key(entry.tenantId, entry.orbit));
    if (entry.returns < (this.options.maxReturns ?? 3) && orbitFree) {
      this.wait(entry);
      return;
    }
    await caller.resume();
    await caller.play([FLOW_PROMPTS.cannotConnect]);
    await caller.hangup("nobody picked up the parked call");
  }
}

const key = (tenantId: string, orbit: string) => `${tenantId}\u0000${orbit}`;
