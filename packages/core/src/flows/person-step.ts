import type { CallTarget, FlowResult } from "./model.js";
import { FLOW_PROMPTS } from "./prompts.js";
import type { StepContext } from "./step-context.js";
import { personalMailbox } from "./voicemail-step.js";

type PersonResult = Extract<FlowResult, { kind: "person" }>["result"];

/** Rings the person's phones; when nobody answers, their voicemail (or a word that they are not available). */
export async function callPerson(step: StepContext, extension: string): Promise<CallTarget | null> {
  const { leg, deps, context } = step;
  const entry = await deps.directory.find(context.tenantId, extension);
  const report = (result: PersonResult) => step.report({ kind: "person", extension, result });
  const outcome = await step.ring({ kind: "extension", extension }, deps.personRingMs ?? 20_000);
  if (outcome === "hung-up") {
    report("caller_hung_up");
    return null;
  }
  if (outcome !== "failed") {
    report("answered");
    return step.talk({ leg: outcome, extension });
  }
  const mailbox = await personalMailbox(step, entry);
  if (mailbox) {
    report("voicemail");
    return { kind: "voicemail", mailboxId: mailbox.id };
  }
  report("unavailable");
  await leg.play([FLOW_PROMPTS.personUnavailable, FLOW_PROMPTS.goodbye]);
  await leg.hangup("nobody answered");
  return null;
}
