import type { Dialer, DialOptions } from "./dialer.js";
import type { CallLegMedia, MediaMixer, TransferRequest } from "./media.js";

export interface ConnectDeps {
  readonly dialer: Dialer;
  readonly mixer: MediaMixer;
}

/** How a connection ended. */
export type ConnectEnd = { readonly transfers: number };

/**
 * Keeps a caller talking to a party until one of them hangs up, and follows blind transfers the party
 * asks for (a phone's transfer key): the caller hears hold music while the target rings; when the target
 * answers, the party that asked is hung up and the caller talks to the target, who may transfer again;
 * when it does not, the caller is back with the party that asked. Whoever hangs up last is hung up too.
 */
export async function connectParties(
  caller: CallLegMedia,
  party: CallLegMedia,
  deps: ConnectDeps,
  dial: Omit<DialOptions, "abandon">,
): Promise<ConnectEnd> {
  let current = party;
  let transfers = 0;
  for (;;) {
    const bridge = deps.mixer.bridge(caller, current);
    let stopListening: () => void = () => undefined;
    const transfer = new Promise<TransferRequest>((resolve) => {
      stopListening = current.onTransferRequest(resolve);
    });
    const next = await Promise.race([bridge.ended.then(() => undefined), transfer]);
    stopListening();
    if (next === undefined) break;
    bridge.unbridge();
    await caller.hold();
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
  }
  await Promise.all([caller.hangup("the other party hung up"), current.hangup("the other party hung up")]);
  return { transfers };
}
