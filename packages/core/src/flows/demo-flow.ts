import { connectParties } from "../calls/connection.js";
import type { Dialer } from "../calls/dialer.js";
import type { CallLegMedia, Key, MediaMixer, Prompt } from "../calls/media.js";
import { ringWithMusic } from "./ring-with-music.js";

/** What the demo flow needs besides the caller's leg. */
export interface DemoFlowDeps {
  readonly dialer: Dialer;
  readonly mixer: MediaMixer;
}

export interface DemoFlowContext {
  readonly tenantId: string;
  readonly callId: string;
  /** The caller as presented (shown to the agent whose phone rings). */
  readonly caller: string;
  /** The extension `0` rings (default 1001, the demo agent's phone). */
  readonly operatorExtension?: string;
  /** How long the agent's phone rings (default 30 s). */
  readonly ringTimeoutMs?: number;
}

/** How the demo call ended, for the call record. */
export type DemoFlowEnd = "caller-hung-up" | "no-input" | "transferred" | "no-agent";

const say = (text: string): Extract<Prompt, { kind: "speech" }> => ({ kind: "speech", text });

export const DEMO_PROMPTS = {
  greeting: say("Welcome to the Switchboard demo."),
  menu: say(
    "Press any key and I will read it back. Press star to record a message and hear it played back. Press zero to talk to an agent.",
  ),
  youPressed: say("You pressed"),
  recordInstructions: say("Record your message after the beep. Press pound when you are done."),
  youSaid: say("Here is your message."),
  nothingHeard: say("I did not hear anything."),
  transferring: say("Please hold while I connect you to an agent."),
  noAgent: say("Sorry, no agent can take your call right now. Goodbye."),
  goodbye: say("Thank you for trying Switchboard. Goodbye."),
} as const;

const ALL_KEYS = "0123456789*#ABCD";
/** Silences in a row before the demo says goodbye. */
const MAX_SILENCES = 3;

/**
 * The demo number's flow, proving the telephony engine end to end: a spoken greeting, then any key is
 * read back, `*` records a message and plays it back, `0` rings the operator extension and bridges the
 * caller to whoever answers (or says that nobody can, and hangs up). Written only against the media
 * ports, so it runs the same on a SIP call and in a unit test.
 */
export async function runDemoFlow(leg: CallLegMedia, deps: DemoFlowDeps, context: DemoFlowContext): Promise<DemoFlowEnd> {
  let pending: Key | undefined;
  let silences = 0;
  const first = await leg.play([DEMO_PROMPTS.greeting, DEMO_PROMPTS.menu], { interruptKeys: ALL_KEYS });
  if (first.ended === "hung-up") return "caller-hung-up";
  for (;;) {
    const input = await leg.collect({ maxDigits: 1, terminators: "", firstKeyTimeoutMs: 10_000 });
    if (input.ended === "hung-up") return "caller-hung-up";
    pending = input.digits[0] as Key | undefined;
    if (pending === undefined) {
      silences += 1;
      if (silences >= MAX_SILENCES) {
        await leg.play([DEMO_PROMPTS.goodbye]);
        await leg.hangup("no input");
        return "no-input";
      }
      const again = await leg.play([DEMO_PROMPTS.menu], { interruptKeys: ALL_KEYS });
      if (again.ended === "hung-up") return "caller-hung-up";
      continue;
    }
    silences = 0;
    if (pending === "0") return transfer(leg, deps, context);
    const done = pending === "*" ? await recordAndPlayBack(leg) : await readBack(leg, pending);
    if (done === "hung-up") return "caller-hung-up";
  }
}

async function readBack(leg: CallLegMedia, key: Key): Promise<"ok" | "hung-up"> {
  const outcome = await leg.play([DEMO_PROMPTS.youPressed, { kind: "digits", digits: key }], { interruptKeys: ALL_KEYS });
  return outcome.ended === "hung-up" ? "hung-up" : "ok";
}

async function recordAndPlayBack(leg: CallLegMedia): Promise<"ok" | "hung-up"> {
  const intro = await leg.play([DEMO_PROMPTS.recordInstructions]);
  if (intro.ended === "hung-up") return "hung-up";
  leg.flushKeys();
  const recorded = await leg.record({ beep: true, maxDurationMs: 30_000, silenceTimeoutMs: 3_000, stopKeys: "#" });
  if (recorded.ended === "hung-up") return "hung-up";
  const playback: Prompt[] = recorded.recording
    ? [DEMO_PROMPTS.youSaid, { kind: "recording", recordingId: recorded.recording.id }]
    : [DEMO_PROMPTS.nothingHeard];
  const outcome = await leg.play([...playback, DEMO_PROMPTS.menu], { interruptKeys: ALL_KEYS });
  return outcome.ended === "hung-up" ? "hung-up" : "ok";
}

async function transfer(leg: CallLegMedia, deps: DemoFlowDeps, context: DemoFlowContext): Promise<DemoFlowEnd> {
  const answered = await ringWithMusic(
    leg,
    deps.dialer,
    { kind: "extension", extension: context.operatorExtension ?? "1001" },
    DEMO_PROMPTS.transferring,
    {
      tenantId: context.tenantId,
      callId: context.callId,
      callerId: context.caller,
      ringTimeoutMs: context.ringTimeoutMs ?? 30_000,
    },
  );
  if (answered === "hung-up") return "caller-hung-up";
  if (!answered.ok) {
    await leg.play([DEMO_PROMPTS.noAgent]);
    await leg.hangup(`no agent: ${answered.failure}`);
    return "no-agent";
  }
  // Talking to the agent, who may pass the caller on with the phone's transfer key.
  await connectParties(leg, answered.leg, deps, { tenantId: context.tenantId, callId: context.callId, callerId: context.caller });
  return "transferred";
}
