import { DEFAULT_RECORDING_CONSENT } from "../calls/connection.js";
import { hasEnded, type Prompt } from "../calls/media.js";
import type { ExceptionKind } from "../routing/model.js";
import type { CallQueueSettings, CallTarget, QueueResult } from "./model.js";
import type { QueuedCall, QueueOutcome } from "./ports.js";
import { waitAnnouncement } from "./prompts.js";
import type { StepContext, TalkOptions } from "./step-context.js";

const QUEUE_RESULT_OF: Record<ExceptionKind, QueueResult> = {
  overflow: "overflowed",
  timeout: "timed_out",
  no_agents: "no_agents",
};

/** An exception moved a waiting call from one queue to another. */
type QueueMove = { exception: ExceptionKind; from: string; to: string; waitedMs: number };

/**
 * The caller waits in the call queue (its greeting, then music and announcements) until an agent answers,
 * an exception sends the call on, or the caller hangs up.
 */
export async function waitInQueue(step: StepContext, queueId: string): Promise<CallTarget | null> {
  const { leg, deps, context } = step;
  const queue = await deps.queues.getQueue(context.tenantId, queueId);
  const started = deps.clock.now().getTime();
  const waited = () => deps.clock.now().getTime() - started;
  if (!queue) {
    reportQueue(step, queueId, "failed", 0);
    return step.giveUp();
  }
  const settings = queue.call;
  if (settings.greeting) {
    const greeted = await leg.play([settings.greeting]);
    if (greeted.ended === "hung-up") return abandoned(step, queueId, 0);
  }
  const queued = await deps.router.enqueue({
    tenantId: context.tenantId,
    callId: context.callId,
    queueId,
    caller: context.caller,
  });
  queued.onMoved((move) => followMove(step, move));
  await leg.hold(settings.music ? [settings.music] : undefined);
  const first = await waitForOutcome(step, queued, settings);
  // The queue the call waits in now: an exception may have moved it since it arrived.
  const last = queued.queueId;
  if (first === "hung-up") {
    await queued.abandon();
    return abandoned(step, last, waited());
  }
  if (!(await hasEnded(leg))) await leg.resume();
  const lastSettings = last === queueId ? settings : ((await deps.queues.getQueue(context.tenantId, last))?.call ?? settings);
  return afterQueue(step, last, first, queued.complete.bind(queued), lastSettings);
}

/** A call queue's result for reporting; no agent and no target unless given. */
function reportQueue(
  step: StepContext,
  queueId: string,
  result: QueueResult,
  waitedMs: number,
  { workerId = null, target = null }: { workerId?: string | null; target?: CallTarget | null } = {},
): void {
  step.report({ kind: "call_queue", queueId, result, waitedMs, workerId, target });
}

function abandoned(step: StepContext, queueId: string, waitedMs: number): null {
  reportQueue(step, queueId, "abandoned", waitedMs);
  return null;
}

/**
 * Moved to another queue by an exception: counted for this queue, the call waits on there, with the
 * other queue's music (its greeting is not said again: the caller is already waiting).
 */
function followMove(step: StepContext, move: QueueMove): void {
  reportQueue(step, move.from, QUEUE_RESULT_OF[move.exception], move.waitedMs, { target: { kind: "queue", queueId: move.to } });
  void step.deps.queues
    .getQueue(step.context.tenantId, move.to)
    .then((next) => (next?.call.music ? step.leg.hold([next.call.music]) : undefined))
    .catch(() => undefined);
}

/** How the wait ends, or the caller's hang-up; meanwhile the position and expected wait as the settings ask. */
async function waitForOutcome(step: StepContext, queued: QueuedCall, settings: CallQueueSettings) {
  const announce = settings.announceEverySeconds > 0 && (settings.announcePosition || settings.announceExpectedWait);
  const entertainment = announce
    ? announceWhileWaiting(step, settings.announceEverySeconds * 1000, () =>
        waitAnnouncement(
          settings.announcePosition ? queued.position() : null,
          settings.announceExpectedWait ? queued.expectedWaitSeconds() : null,
        ),
      )
    : undefined;
  const first = await Promise.race([queued.outcome, step.leg.ended.then(() => "hung-up" as const)]);
  await entertainment?.stop();
  return first;
}

async function afterQueue(
  step: StepContext,
  queueId: string,
  outcome: QueueOutcome,
  complete: () => Promise<void>,
  settings: CallQueueSettings,
): Promise<CallTarget | null> {
  if (outcome.kind === "answered") return answered(step, queueId, outcome, complete, settings);
  if (outcome.kind === "redirected") {
    reportQueue(step, queueId, QUEUE_RESULT_OF[outcome.exception], outcome.waitedMs, { target: outcome.target });
    return outcome.target;
  }
  reportQueue(step, queueId, "failed", outcome.waitedMs);
  return step.giveUp();
}

/** An agent answered: caller and agent talk (unless the caller hung up meanwhile), then the agent's job completes. */
async function answered(
  step: StepContext,
  queueId: string,
  outcome: Extract<QueueOutcome, { kind: "answered" }>,
  complete: () => Promise<void>,
  settings: CallQueueSettings,
): Promise<CallTarget | null> {
  if (await hasEnded(step.leg)) {
    await outcome.leg.hangup("the caller hung up");
    await complete();
    return abandoned(step, queueId, outcome.waitedMs);
  }
  reportQueue(step, queueId, "answered", outcome.waitedMs, { workerId: outcome.workerId });
  const next = await step.talk(
    { leg: outcome.leg, extension: outcome.extension, identityId: outcome.workerId },
    connectionOptions(settings),
  );
  await complete();
  return next;
}

/** The answered call's connection as the queue's settings ask: conference mode, recording with consent. */
function connectionOptions(settings: CallQueueSettings): TalkOptions {
  return {
    participantsAllowed: settings.conferenceMode,
    ...(settings.recording.enabled
      ? { record: { consent: settings.recording.consent ? [settings.recording.consent] : DEFAULT_RECORDING_CONSENT } }
      : {}),
  };
}

/** Every `everyMs` while the caller waits, what `say` gives (over the music); `stop` cuts it short. */
function announceWhileWaiting(step: StepContext, everyMs: number, say: () => Prompt[]): { stop(): Promise<void> } {
  let waiting = true;
  let cancel: () => void = () => undefined;
  let wake: () => void = () => undefined;
  const woken = new Promise<void>((resolve) => {
    wake = resolve;
  });
  const loop = (async () => {
    while (waiting) {
      const sleep = step.deps.timers.sleep(everyMs);
      cancel = sleep.cancel;
      await Promise.race([sleep.done, woken]);
      if (!waiting) return;
      const played = await step.leg.play(say());
      if (played.ended === "hung-up") return;
    }
  })();
  return {
    stop: async () => {
      waiting = false;
      cancel();
      wake();
      step.leg.stop();
      await loop;
    },
  };
}
