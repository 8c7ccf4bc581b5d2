import type { Dialer, DialFailure } from "../calls/dialer.js";
import type { Clock } from "../kernel/clock.js";
import type { IdGenerator } from "../kernel/ids.js";
import type { RoutingEngine } from "../routing/engine.js";
import type { RoutingEvent } from "../routing/events.js";
import type { ExceptionKind, ExitTarget } from "../routing/model.js";
import { type CallTarget, isCallTarget } from "./model.js";
import type { CallRouter, QueuedCall, QueueOutcome } from "./ports.js";

/** How the server runs commands on a tenant's routing engine (one at a time, events persisted and delivered). */
export interface RoutingLane {
  /** Runs the command in the tenant's lane and carries out its events (including handing them to `CallRouting.handle`). */
  run(tenantId: string, command: (engine: RoutingEngine) => RoutingEvent[]): Promise<void>;
  /** The tenant's engine for reading (position, stats); undefined before it was loaded. */
  engine(tenantId: string): RoutingEngine | undefined;
}

export interface CallRoutingDeps {
  readonly lane: RoutingLane;
  readonly dialer: Dialer;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly onError: (error: unknown) => void;
}

/** Answers in a row the expected wait is averaged over, per queue. */
const RECENT_ANSWERS = 20;
/** Ringing stops this long before the offer expires, so an answer is never later than the offer. */
const ANSWER_MARGIN_MS = 250;

/**
 * Phone calls in the routing engine's line (CQ, RT for calls): a waiting call is a `voice` job whose
 * subject is the call id. When the engine offers it to an agent, the agent's desktops registered for calls
 * and their desk phone ring for the offer's alert time; picking up accepts the offer (the call is then the agent's, against their capacity),
 * rejecting it declines it, not answering lets it expire. A revoked offer (another agent answered first
 * in attendant mode, the caller hung up, a timeout fired) stops the ringing. Exceptions that take the
 * job out of routing end the wait with the queue's redirect target.
 */
export class CallRouting implements CallRouter {
  /** Waiting calls by job id. */
  private readonly calls = new Map<string, WaitingCall>();
  /** Recent waits of answered calls, per queue, in ms. */
  private readonly waits = new Map<string, number[]>();

  constructor(private readonly deps: CallRoutingDeps) {}

  async enqueue(call: { tenantId: string; callId: string; queueId: string; caller: string }): Promise<QueuedCall> {
    const jobId = this.deps.ids.next();
    const waiting = new WaitingCall(this, call.tenantId, jobId, call.queueId, call.callId, call.caller, this.deps.clock.now());
    // Registered first: the enqueue's own events (an offer at once, an overflow) are handled while it runs.
    this.calls.set(jobId, waiting);
    try {
      await this.deps.lane.run(call.tenantId, (engine) =>
        engine.enqueue({
          id: jobId,
          subject: call.callId,
          channel: "voice",
          queueId: call.queueId,
          reason: `phone call from ${call.caller}`,
        }),
      );
    } catch (error) {
      this.calls.delete(jobId);
      waiting.settle({ kind: "failed", reason: error instanceof Error ? error.message : String(error), waitedMs: 0 });
    }
    return waiting;
  }

  /** Every routing event of a tenant, as the server's lane carries them out; only call jobs' matter here. */
  handle(tenantId: string, event: RoutingEvent): void {
    const jobId = "jobId" in event.data ? event.data.jobId : undefined;
    const call = jobId === undefined ? undefined : this.calls.get(jobId);
    if (!call || call.tenantId !== tenantId) return;
    switch (event.type) {
      case "offer.issued":
        void this.ring(call, event.data.offerId, event.data.workerId, event.data.expiresAt).catch(this.deps.onError);
        break;
      case "offer.declined":
      case "offer.expired":
      case "offer.revoked":
        call.stopRinging(event.data.offerId);
        break;
      case "job.queued":
        if (event.data.previousQueueId !== null && call.exception !== undefined) {
          call.moved({
            exception: call.exception,
            from: event.data.previousQueueId,
            to: event.data.queueId,
            waitedMs: call.waited(this.deps.clock),
          });
        }
        call.queueId = event.data.queueId;
        call.exception = undefined;
        break;
      case "job.exception":
        call.exception = event.data.kind;
        break;
      case "job.redirected":
        this.calls.delete(call.jobId);
        call.settle(redirection(event.data.target, call.exception, call.waited(this.deps.clock)));
        break;
      case "job.cancelled":
      case "job.completed":
        this.calls.delete(call.jobId);
        call.settle({ kind: "failed", reason: "the call left routing", waitedMs: call.waited(this.deps.clock) });
        break;
      default:
        break;
    }
  }

  /** Rings the agent (desktop and phone) for the offer; answered is accepted, refused is declined, unanswered expires. */
  private async ring(call: WaitingCall, offerId: string, workerId: string, expiresAt: Date): Promise<void> {
    const { lane, dialer, clock } = this.deps;
    const stop = call.startRinging(offerId);
    const outcome = await dialer.dial(
      { kind: "agent", workerId },
      {
        tenantId: call.tenantId,
        callId: call.callId,
        callerId: call.caller,
        ringTimeoutMs: Math.max(1_000, expiresAt.getTime() - clock.now().getTime() - ANSWER_MARGIN_MS),
        abandon: stop,
        offer: { id: offerId, queueId: call.queueId },
      },
    );
    call.stopRinging(offerId);
    if (!outcome.ok) {
      // No answer: the engine expires the offer itself; cancelled: the offer already ended.
      if (outcome.failure !== "no-answer" && outcome.failure !== "cancelled") {
        await this.decline(call, offerId, workerId, `the agent's devices: ${describeFailure(outcome.failure)}`);
      }
      return;
    }
    try {
      await lane.run(call.tenantId, (engine) => engine.accept(offerId, workerId));
    } catch {
      // Too late: the offer expired, another agent answered, or the caller is gone.
      await outcome.leg.hangup("the call was no longer waiting");
      return;
    }
    const waitedMs = call.waited(clock);
    const recent = this.waits.get(call.queueId) ?? [];
    recent.push(waitedMs);
    if (recent.length > RECENT_ANSWERS) recent.shift();
    this.waits.set(call.queueId, recent);
    call.settle({
      kind: "answered",
      leg: outcome.leg,
      workerId,
      ...(outcome.extension === undefined ? {} : { extension: outcome.extension }),
      waitedMs,
    });
  }

  private async decline(call: WaitingCall, offerId: string, workerId: string, reason: string): Promise<void> {
    const offer = this.deps.lane.engine(call.tenantId)?.offer(offerId);
    if (!offer || offer.outcome !== null) return;
    await this.deps.lane.run(call.tenantId, (engine) => engine.decline(offerId, workerId, reason)).catch(() => undefined);
  }

  position(call: WaitingCall): number | null {
    return this.deps.lane.engine(call.tenantId)?.position(call.jobId) ?? null;
  }

  /** The average wait of the queue's recent answered calls, less what this caller already waited. */
  expectedWaitSeconds(call: WaitingCall): number | null {
    const recent = this.waits.get(call.queueId);
    if (!recent || recent.length === 0) return null;
    const average = recent.reduce((a, b) => a + b, 0) / recent.length;
    return Math.max(0, Math.round((average - call.waited(this.deps.clock)) / 1000));
  }

  async abandon(call: WaitingCall): Promise<void> {
    if (!this.calls.delete(call.jobId)) return;
    call.stopAllRinging();
    await this.deps.lane.run(call.tenantId, (engine) => engine.cancel(call.jobId, "the caller hung up")).catch(() => undefined);
  }

  async complete(call: WaitingCall): Promise<void> {
    this.calls.delete(call.jobId);
    const job = this.deps.lane.engine(call.tenantId)?.job(call.jobId);
    if (job?.status !== "assigned") return;
    await this.deps.lane.run(call.tenantId, (engine) => engine.complete(call.jobId, "the call ended")).catch(this.deps.onError);
  }
}

type QueueMove = { exception: ExceptionKind; from: string; to: string; waitedMs: number };

class WaitingCall implements QueuedCall {
  readonly outcome: Promise<QueueOutcome>;
  exception: ExceptionKind | undefined;
  private resolve: (outcome: QueueOutcome) => void = () => undefined;
  private settled = false;
  private readonly moveListeners: ((move: QueueMove) => void)[] = [];
  private readonly moves: QueueMove[] = [];
  /** What stops each ringing phone, by offer id. */
  private readonly ringing = new Map<string, () => void>();

  constructor(
    private readonly routing: CallRouting,
    readonly tenantId: string,
    readonly jobId: string,
    /** The queue it waits in now (a redirect to another queue moves it). */
    public queueId: string,
    readonly callId: string,
    readonly caller: string,
    private readonly since: Date,
  ) {
    this.outcome = new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  waited(clock: Clock): number {
    return Math.max(0, clock.now().getTime() - this.since.getTime());
  }

  settle(outcome: QueueOutcome): void {
    if (this.settled) return;
    this.settled = true;
    this.stopAllRinging();
    this.resolve(outcome);
  }

  startRinging(offerId: string): Promise<void> {
    return new Promise((resolve) => this.ringing.set(offerId, resolve));
  }

  stopRinging(offerId: string): void {
    this.ringing.get(offerId)?.();
    this.ringing.delete(offerId);
  }

  stopAllRinging(): void {
    for (const offerId of [...this.ringing.keys()]) this.stopRinging(offerId);
  }

  position(): number | null {
    return this.settled ? null : this.routing.position(this);
  }

  expectedWaitSeconds(): number | null {
    return this.settled ? null : this.routing.expectedWaitSeconds(this);
  }

  abandon(): Promise<void> {
    this.settled = true;
    return this.routing.abandon(this);
  }

  complete(): Promise<void> {
    return this.routing.complete(this);
  }

  /** Moves so far are told at once: an overflow can move the call while it is being queued. */
  onMoved(listener: (move: QueueMove) => void): void {
    this.moveListeners.push(listener);
    for (const move of this.moves) listener(move);
  }

  moved(move: QueueMove): void {
    this.moves.push(move);
    for (const listener of this.moveListeners) listener(move);
  }
}

/** A job that left routing, as the call's next step: chat-only targets become a hang-up. */
function redirection(target: ExitTarget, exception: ExceptionKind | undefined, waitedMs: number): QueueOutcome {
  let callTarget: CallTarget;
  if (isCallTarget(target)) callTarget = target;
  else if (target.kind === "end") callTarget = { kind: "disconnect", message: target.message };
  else callTarget = { kind: "disconnect", message: "Sorry, nobody can take your call right now. Please try again later." };
  return { kind: "redirected", exception: exception ?? "timeout", target: callTarget, waitedMs };
}

const describeFailure = (failure: DialFailure): string =>
  ({
    "not-registered": "no desktop or phone registered for calls",
    busy: "busy",
    "no-answer": "no answer",
    rejected: "rejected the call",
    unreachable: "unreachable",
    cancelled: "cancelled",
  })[failure];
