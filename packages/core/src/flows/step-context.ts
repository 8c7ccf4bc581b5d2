import { CallConnection, type ConnectionOptions, type PartyInput } from "../calls/connection.js";
import type { DialTarget } from "../calls/dialer.js";
import type { CallLegMedia } from "../calls/media.js";
import type { CallFlowContext, CallFlowDeps } from "./engine.js";
import type { CallTarget, FlowResult } from "./model.js";
import { FLOW_PROMPTS } from "./prompts.js";
import { ringWithMusic } from "./ring-with-music.js";

/**
 * What every step of a call's flow works with: the caller's leg, the ports, the call, and the helpers the
 * steps share. A step is a function of this and its target that returns the next target (null: the call
 * is over, or lives on in a parking orbit).
 */
export interface StepContext {
  readonly leg: CallLegMedia;
  readonly deps: CallFlowDeps;
  readonly context: CallFlowContext;
  /** A step's result, for reporting (`onResult`). */
  report(result: FlowResult): void;
  /** Tells the caller the call cannot be connected, and hangs up. */
  giveUp(): Promise<null>;
  /** The caller hears music while the target rings; the answered leg, or why there is none. */
  ring(target: DialTarget, ringTimeoutMs: number): Promise<CallLegMedia | "failed" | "hung-up">;
  /**
   * Caller and party talk (a `CallConnection`: hold, transfers, park, participants, recording) until the call
   * ends; a transfer to a queue or an attendant hands the caller back: its target is the next step.
   */
  talk(party: PartyInput, options?: TalkOptions): Promise<CallTarget | null>;
}

export type TalkOptions = Pick<ConnectionOptions, "participantsAllowed" | "record">;

/** The steps' context for one call; `parked` turns true once a party parked the caller (it lives on in the orbit). */
export function createStepContext(
  leg: CallLegMedia,
  deps: CallFlowDeps,
  context: CallFlowContext,
): StepContext & { readonly parked: boolean } {
  let parked = false;
  return {
    leg,
    deps,
    context,
    get parked() {
      return parked;
    },
    report: (result) => deps.onResult?.(result),
    giveUp: async () => {
      await leg.play([FLOW_PROMPTS.cannotConnect]);
      await leg.hangup("the call could not be connected");
      return null;
    },
    ring: async (target, ringTimeoutMs) => {
      const { tenantId, callId, caller } = context;
      const options = { tenantId, callId, callerId: caller, ringTimeoutMs };
      const answered = await ringWithMusic(leg, deps.dialer, target, FLOW_PROMPTS.transferring, options);
      if (answered === "hung-up") return answered;
      return answered.ok ? answered.leg : "failed";
    },
    talk: async (party, options = {}) => {
      const end = await connect(leg, deps, context, party, options).done;
      if (end.parked !== undefined) parked = true;
      return end.next ?? null;
    },
  };
}

/** The caller's connection with the party who answered, handed to `onConnected` so the API can control it. */
function connect(
  leg: CallLegMedia,
  deps: CallFlowDeps,
  context: CallFlowContext,
  party: PartyInput,
  options: TalkOptions,
): CallConnection<CallTarget> {
  const identityOf = async (tenantId: string, extension: string) =>
    (await deps.directory.find(tenantId, extension))?.identityId ?? undefined;
  const connection = new CallConnection<CallTarget>(
    leg,
    party,
    { ...deps, identityOf },
    { tenantId: context.tenantId, callId: context.callId, callerId: context.caller },
    { ...options, ...(deps.onConnectionEvent ? { onEvent: deps.onConnectionEvent } : {}) },
  );
  deps.onConnected?.(connection);
  return connection;
}
