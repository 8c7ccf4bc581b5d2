import type { CallTarget } from "./model.js";
import { FLOW_PROMPTS } from "./prompts.js";
import type { StepContext } from "./step-context.js";

/** Rings a number outside (through the tenant's outbound trunk); whoever answers talks with the caller. */
export async function callExternalNumber(step: StepContext, e164: string): Promise<CallTarget | null> {
  const { leg, deps } = step;
  const outcome = await step.ring({ kind: "number", e164 }, deps.externalRingMs ?? 30_000);
  if (outcome === "hung-up") {
    step.report({ kind: "external_number", e164, result: "caller_hung_up" });
    return null;
  }
  if (outcome === "failed") {
    step.report({ kind: "external_number", e164, result: "failed" });
    await leg.play([FLOW_PROMPTS.numberUnavailable]);
    await leg.hangup("the number could not be reached");
    return null;
  }
  step.report({ kind: "external_number", e164, result: "answered" });
  return step.talk({ leg: outcome });
}
