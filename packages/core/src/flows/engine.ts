import type { CallConnection, CallParking, ConnectDeps, ConnectionEvent } from "../calls/connection.js";
import type { Dialer } from "../calls/dialer.js";
import { type CallLegMedia, hasEnded, type MediaMixer, type RecordingStore } from "../calls/media.js";
import type { SpeechRecognizer } from "../calls/recognition.js";
import type { Clock } from "../kernel/clock.js";
import type { IdGenerator } from "../kernel/ids.js";
import type { QueueStore } from "../queues/ports.js";
import { runAutoAttendant } from "./attendant-step.js";
import { callExternalNumber } from "./external-number-step.js";
import type { CallTarget, FlowResult, Mailbox, VoicemailMessage } from "./model.js";
import { callPerson } from "./person-step.js";
import type { AutoAttendantStore, CallRouter, Directory, FlowTimers, VoicemailStore } from "./ports.js";
import { waitInQueue } from "./queue-step.js";
import { createStepContext, type StepContext } from "./step-context.js";
import { depositVoicemail } from "./voicemail-step.js";
import type { VoicemailTranscription } from "./voicemail-transcription.js";

/** What the flow engine needs besides the caller's leg. Everything is a port: tests run it without sockets. */
export interface CallFlowDeps {
  readonly dialer: Dialer;
  readonly mixer: MediaMixer;
  readonly clock: Clock;
  readonly timers: FlowTimers;
  readonly ids: IdGenerator;
  readonly autoAttendants: Pick<AutoAttendantStore, "getAutoAttendant">;
  readonly queues: Pick<QueueStore, "getQueue">;
  readonly voicemail: VoicemailStore;
  readonly directory: Directory;
  readonly router: CallRouter;
  /** Park and pickup: a transfer to the park code parks the caller; without it, no parking. */
  readonly parking?: CallParking;
  /** Where call recordings are kept (a queue's recording, or one started through the API); without it, none. */
  readonly recordings?: RecordingStore;
  /** The connections of other calls, for attended transfers from a phone (REFER with Replaces). */
  readonly connections?: ConnectDeps["connections"];
  /** Each connected call (caller and agent), so the API can control it while it lasts. */
  readonly onConnected?: (connection: CallConnection<CallTarget>) => void;
  /** What happens on a connected call (transfers, participants, recording), for its timeline. */
  readonly onConnectionEvent?: (event: ConnectionEvent) => void;
  /** Spoken menu options and names; without it menus are keypad only. */
  readonly recognizer?: SpeechRecognizer;
  /** Checks a mailbox PIN against its stored hash. */
  readonly pins: { verify(pin: string, hash: string): Promise<boolean> };
  /** Each step's result, for reporting (AA and CQ results, voicemail, transfers). */
  readonly onResult?: (result: FlowResult) => void;
  /** Voicemail transcription; without it messages keep no transcript. */
  readonly transcription?: VoicemailTranscription;
  /** A message was left (notification, email): at once, or with its transcript once transcribed (never delaying the caller). */
  readonly onVoicemail?: (message: VoicemailMessage, mailbox: Mailbox) => void;
  /** How long a person's phone rings before their voicemail (default 20 s). */
  readonly personRingMs?: number;
  /** How long an external number rings (default 30 s). */
  readonly externalRingMs?: number;
}

export interface CallFlowContext {
  readonly tenantId: string;
  readonly callId: string;
  /** The caller as presented: shown on the phones that ring, kept with voicemail. */
  readonly caller: string;
}

/** Redirects in a row before the engine gives up: a loop of attendants pointing at each other. */
export const MAX_HOPS = 16;

/**
 * Runs a call through its flows from `start` until it ends: auto attendants, call queues, people,
 * external numbers, voicemail and hang-ups, each step handing the caller to the next target. Written
 * only against the ports (media, dialer, mixer, routing, stores, timers), so the same code runs a SIP
 * call and a unit test. A configuration read when the call reaches it stays the call's version.
 */
export async function runCallFlow(
  leg: CallLegMedia,
  start: CallTarget,
  deps: CallFlowDeps,
  context: CallFlowContext,
): Promise<CallFlowEnd> {
  const step = createStepContext(leg, deps, context);
  let next: CallTarget | null = start;
  for (let hops = 0; next !== null; hops++) {
    if (await hasEnded(leg)) return "ended";
    if (hops >= MAX_HOPS) {
      await step.giveUp();
      return "ended";
    }
    next = await runStep(step, next);
  }
  if (step.parked) return "parked";
  if (!(await hasEnded(leg))) await leg.hangup("the flow ended");
  return "ended";
}

/** `parked`: the caller waits in a parking orbit, alive; whoever holds the leg must not hang it up. */
export type CallFlowEnd = "ended" | "parked";

/** The step for each kind of target (each in its own module but the hang-up): the next target, or null (the call is over). */
function runStep(step: StepContext, target: CallTarget): Promise<CallTarget | null> {
  switch (target.kind) {
    case "auto_attendant":
      return runAutoAttendant(step, target.autoAttendantId);
    case "queue":
      return waitInQueue(step, target.queueId);
    case "person":
      return callPerson(step, target.extension);
    case "external_number":
      return callExternalNumber(step, target.number);
    case "voicemail":
      return depositVoicemail(step, target.mailboxId);
    case "disconnect":
      return disconnect(step, target.message);
  }
}

/** The target's message, if any, then the hang-up. */
async function disconnect(step: StepContext, message: string | undefined): Promise<null> {
  if (message) await step.leg.play([{ kind: "speech", text: message }]);
  await step.leg.hangup("disconnected by the flow");
  return null;
}
