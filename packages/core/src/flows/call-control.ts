import type { CallConnection } from "../calls/connection.js";
import type { DialTarget } from "../calls/dialer.js";
import { controlLiveCall, type LiveCalls } from "../calls/live-calls.js";
import type { Principal } from "../identity/model.js";
import { DomainError, type FieldIssue } from "../kernel/domain-error.js";
import type { FlowDeps } from "./deps.js";
import type { CallTarget } from "./model.js";
import { checkCallTarget, checkTargetsExist } from "./validate.js";

/*
 * Controlling a connected call through the API (the agent desktop, a supervisor, an integration): the
 * targets of transfers and participants are the flows' own `CallTarget`s, so "transfer to the Support
 * queue" and "redirect to the Support queue" are the same thing. People and numbers are dialled (blind,
 * after a consultation, or as a participant); queues, auto attendants and mailboxes take the caller back
 * into the flows (blind only).
 */

export type LiveCallControl = CallConnection<CallTarget>;

/** The connected call the principal may control (see `controlLiveCall`). */
export function liveCall(calls: LiveCalls<CallTarget>, principal: Principal, callId: string): LiveCallControl {
  return controlLiveCall(calls, principal, callId);
}

/** A person or a number, as the dialer takes it; undefined for targets that are flows. */
export function dialTargetOf(target: CallTarget): DialTarget | undefined {
  if (target.kind === "person") return { kind: "extension", extension: target.extension };
  if (target.kind === "external_number") return { kind: "number", e164: target.number };
  return undefined;
}

export type TransferMode = "blind" | "consult";

/**
 * Transfers the caller: blind (to a person, a number, or back into the flows at a queue, attendant or
 * mailbox) or by consulting a person or number first (`answered`: the agent now talks to the target and
 * completes, cancels or merges the consultation).
 */
export async function transferLiveCall(
  deps: Pick<FlowDeps, "queues" | "autoAttendants" | "voicemail">,
  call: LiveCallControl,
  target: CallTarget,
  mode: TransferMode,
): Promise<"succeeded" | "failed" | "answered"> {
  await checkTarget(deps, call.tenantId, target);
  const dial = dialTargetOf(target);
  if (mode === "consult") {
    if (!dial) throw notDialable("Only a person or a number can be consulted.");
    return call.consult(dial);
  }
  if (dial) return call.transfer(dial);
  await call.handOff(target);
  return "succeeded";
}

/** Rings a person or a number and adds them to the call once they answer (an expert). */
export async function addLiveCallParticipant(
  deps: Pick<FlowDeps, "queues" | "autoAttendants" | "voicemail">,
  call: LiveCallControl,
  target: CallTarget,
): Promise<"answered" | "failed"> {
  await checkTarget(deps, call.tenantId, target);
  const dial = dialTargetOf(target);
  if (!dial) throw notDialable("Only a person or a number can join a call.");
  return call.addParticipant(dial);
}

async function checkTarget(
  deps: Pick<FlowDeps, "queues" | "autoAttendants" | "voicemail">,
  tenantId: string,
  target: CallTarget,
): Promise<void> {
  const issues: FieldIssue[] = [];
  checkCallTarget(target, "target", issues);
  if (issues.length === 0 && target.kind === "disconnect") {
    issues.push({ field: "target.kind", message: "a call is hung up, not transferred to a disconnect" });
  }
  if (issues.length === 0) {
    await checkTargetsExist(
      [{ field: "target", target }],
      {
        queue: async (id) => (await deps.queues.getQueue(tenantId, id)) !== undefined,
        autoAttendant: async (id) => (await deps.autoAttendants.getAutoAttendant(tenantId, id)) !== undefined,
        mailbox: async (id) => (await deps.voicemail.getMailbox(tenantId, id)) !== undefined,
      },
      issues,
    );
  }
  if (issues.length > 0) throw new DomainError("call.target_invalid", "invalid", "The target is not valid.", issues);
}

const notDialable = (message: string) =>
  new DomainError("call.target_not_dialable", "invalid", message, [
    { field: "target.kind", message: "person or external_number" },
  ]);
