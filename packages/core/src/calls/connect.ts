import type { Dialer, DialOptions } from "./dialer.js";
import type { CallLegMedia, MediaMixer, TransferRequest } from "./media.js";

/**
 * Where a party can park a call (a blind transfer to the park code): the caller waits in an orbit, with
 * music, until someone dials the orbit (or it rings back the parker). See flows/parking.ts.
 */
export interface CallParking {
  isParkCode(extension: string): boolean;
  /** Parks the caller (the parking now owns the leg); the orbit, or undefined when every orbit is taken. */
  park(
    caller: CallLegMedia,
    parker: { tenantId: string; callId: string; extension: string | undefined },
  ): Promise<string | undefined>;
}

export interface ConnectDeps {
  readonly dialer: Dialer;
  readonly mixer: MediaMixer;
  /** Without it, a transfer to the park code is dialled like any extension. */
  readonly parking?: CallParking;
}

/** How a connection ended: with the number of transfers, and the orbit when the call was parked (it lives on there). */
export type ConnectEnd = { readonly transfers: number; readonly parked?: string };

/**
 * Keeps a caller talking to a party until one of them hangs up, plays the caller hold music while the
 * party has the call on hold (a phone's hold key), and follows blind transfers the party asks for (a
 * phone's transfer key): the caller hears hold music while the target rings; when the target
 * answers, the party that asked is hung up and the caller talks to the target, who may transfer again;
 * when it does not, the caller is back with the party that asked. A transfer to the park code parks the
 * caller instead (the party hears the orbit) and ends the connection. Whoever hangs up last is hung up too.
 */
export async function connectParties(
  caller: CallLegMedia,
  party: CallLegMedia,
  deps: ConnectDeps,
  dial: Omit<DialOptions, "abandon">,
  /** The party's extension, when it is a phone of the tenant (a parked call rings it back). */
  partyExtension?: string,
): Promise<ConnectEnd> {
  let current = party;
  let currentExtension = partyExtension;
  let transfers = 0;
  for (;;) {
    const bridge = deps.mixer.bridge(caller, current);
    let stopListening: () => void = () => undefined;
    const transfer = new Promise<TransferRequest>((resolve) => {
      stopListening = current.onTransferRequest(resolve);
    });
    // The party's hold key: the caller hears hold music until the party takes the call back.
    const stopHolding = current.onEvent((event) => {
      if (event.type !== "party.held") return;
      void (event.held ? caller.hold() : caller.resume()).catch(() => undefined);
    });
    const next = await Promise.race([bridge.ended.then(() => undefined), transfer]);
    stopListening();
    stopHolding();
    if (next === undefined) break;
    bridge.unbridge();
    await caller.hold();
    if (next.target.kind === "extension" && deps.parking?.isParkCode(next.target.extension)) {
      const orbit = await deps.parking.park(caller, {
        tenantId: dial.tenantId,
        callId: dial.callId,
        extension: currentExtension,
      });
      if (orbit !== undefined) {
        // The parker hears where the call waits before its phone lets go.
        await current.play([
          { kind: "speech", text: "Parked on" },
          { kind: "digits", digits: orbit },
        ]);
        await next.settle("succeeded");
        await current.hangup("parked");
        return { transfers, parked: orbit };
      }
      await next.settle("failed");
      await caller.resume();
      continue;
    }
    const outcome = await deps.dialer.dial(next.target, { ...dial, abandon: caller.ended });
    if (!outcome.ok) {
      await next.settle("failed");
      // The caller hung up while the target rang: nothing is left to connect.
      if (outcome.failure === "cancelled") break;
      await caller.resume();
      continue;
    }
    await next.settle("succeeded");
    transfers += 1;
    await current.hangup("transferred");
    await caller.resume();
    current = outcome.leg;
    currentExtension = next.target.kind === "extension" ? next.target.extension : undefined;
  }
  await Promise.all([caller.hangup("the other party hung up"), current.hangup("the other party hung up")]);
  return { transfers };
}
