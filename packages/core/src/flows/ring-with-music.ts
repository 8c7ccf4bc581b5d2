import type { Dialer, DialOptions, DialOutcome, DialTarget } from "../calls/dialer.js";
import { type CallLegMedia, hasEnded, type Prompt } from "../calls/media.js";

/**
 * Puts the caller through to a phone or a number: `intro` is said, then the caller hears music while the
 * target rings. The dial's outcome (the answered leg, or why there is none), or `hung-up` when the caller
 * left first (the phone stops ringing; one answered just then is hung up).
 */
export async function ringWithMusic(
  leg: CallLegMedia,
  dialer: Dialer,
  target: DialTarget,
  intro: Prompt,
  options: Omit<DialOptions, "abandon">,
): Promise<DialOutcome | "hung-up"> {
  const introduced = await leg.play([intro]);
  if (introduced.ended === "hung-up") return "hung-up";
  await leg.hold();
  // The caller may give up while the phone rings: it stops ringing.
  const answered = await dialer.dial(target, { ...options, abandon: leg.ended });
  if (!answered.ok && answered.failure === "cancelled") return "hung-up";
  if (answered.ok && (await hasEnded(leg))) {
    await answered.leg.hangup("the caller hung up");
    return "hung-up";
  }
  await leg.resume();
  return answered;
}
