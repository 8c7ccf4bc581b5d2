import * as core from "@switchboard/core";

/**
 * Keeps call records as calls go: the call and its legs ringing, answered and ended, the media events of
 * every leg on the call's timeline, the recordings made on it. The SIP side reports facts as they happen
 * and never waits for the database; writes for one call run in the order they were reported, and a
 * failed write is logged, never allowed to disturb the call.
 */
export class CallLog {
  private readonly active = new Map<string, CallEntry>();
  /** Ended calls whose last writes are still going. */
  private readonly finishing = new Set<CallEntry>();

  constructor(
    private readonly deps: core.CallRecordDeps,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** A call starts ringing: its record is written, with the caller's leg. */
  start(input: core.StartCallInput & { readonly id: string }): CallEntry {
    const entry: CallEntry = new CallEntry(this.deps, input.tenantId, input.id, this.onError, () => {
      this.active.delete(input.id);
      this.finishing.add(entry);
      void entry.settled().then(() => this.finishing.delete(entry));
    });
    this.active.set(input.id, entry);
    entry.write(() => core.startCall(this.deps, input));
    return entry;
  }

  /** The call in progress with this id (a dialled leg names the call it belongs to). */
  find(callId: string): CallEntry | undefined {
    return this.active.get(callId);
  }

  get activeCalls(): number {
    return this.active.size;
  }

  /**
   * Resolves once every write reported so far is done, those of calls that ended meanwhile included: what
   * shutting down waits for before the database closes, so that the calls it ended keep their records.
   */
  async drain(): Promise<void> {
    for (let round = 0; round < 10; round++) {
      const entries = [...this.active.values(), ...this.finishing];
      const before = entries.map((entry) => entry.writes);
      await Promise.all(entries.map((entry) => entry.settled()));
      // A hang-up's last writes come a moment after it: done once a turn of the loop has queued nothing more.
      await new Promise((resolve) => setImmediate(resolve));
      const after = [...this.active.values(), ...this.finishing];
      if (after.length === entries.length && after.every((entry, i) => entry === entries[i] && entry.writes === before[i]))
        return;
    }
  }
}

type TimelineEvent = { readonly type: string; readonly data: unknown; readonly at: Date };

/**
 * One call in progress, as its record sees it. Timeline events are written in batches: those reported
 * while the call's previous write is in flight go in the next one, as one statement and one transaction
 * (a call's prompts, keys and bridges come in bursts; one write each was most of a call's cost).
 */
export class CallEntry {
  private chain: Promise<unknown> = Promise.resolve();
  /** Writes queued since the call started. */
  writes = 0;
  private over = false;
  /** Events reported and not yet written; a write for them is queued when this is not empty. */
  private timeline: TimelineEvent[] = [];

  constructor(
    private readonly deps: core.CallRecordDeps,
    readonly tenantId: string,
    readonly callId: string,
    private readonly onError: (error: unknown) => void,
    private readonly forget: () => void,
  ) {}

  /** Queues a write after the ones before it. */
  write(step: () => Promise<unknown>): void {
    this.writes++;
    this.chain = this.chain.then(step).catch(this.onError);
  }

  /** Resolves once the writes queued so far are done (failed ones are logged). */
  settled(): Promise<void> {
    return this.chain.then(() => undefined);
  }

  answered(): void {
    this.write(() => core.answerCall(this.deps, this.tenantId, this.callId));
  }

  legAdded(leg: core.NewLegInput): void {
    this.write(() => core.addCallLeg(this.deps, this.tenantId, this.callId, leg));
  }

  legAnswered(legId: string): void {
    this.write(() => core.answerCallLeg(this.deps, this.tenantId, this.callId, legId));
  }

  legEnded(legId: string, reason: core.CallEndCause): void {
    this.write(() => core.endCallLeg(this.deps, this.tenantId, this.callId, legId, reason));
  }

  /** A media event of one of the call's legs, on the call's timeline; a recording is also listed on the call. */
  mediaEvent(event: core.MediaEvent): void {
    const { type, ...data } = event;
    this.note(type, data);
    if (event.type === "record.ended" && event.outcome.recording) this.recorded(event.outcome.recording.id);
  }

  /** What happened on the call's connection (transfers, participants, recording), on its timeline. */
  connectionEvent(event: core.ConnectionEvent): void {
    const { type, ...data } = event;
    this.note(type, data);
    if (event.type === "recording.stopped" && event.recordingId) this.recorded(event.recordingId);
  }

  /** A recording made on the call is listed on it. */
  private recorded(recordingId: string): void {
    this.write(() => core.addCallRecording(this.deps, this.tenantId, this.callId, recordingId).then(() => undefined));
  }

  /** Something that happened on the call besides media (a transfer, the flow's end). */
  note(type: string, data: unknown): void {
    if (this.timeline.length === 0) {
      // The first event since the last batch: its write takes every event reported until it runs.
      this.write(() => {
        const batch = this.timeline;
        this.timeline = [];
        return this.deps.calls.appendCallEvents(this.tenantId, this.callId, batch);
      });
    }
    this.timeline.push({ type, data, at: this.deps.clock.now() });
  }

  /** The call is over; resolves once every write of the call is done. */
  ended(result: core.CallResult, cause: core.CallEndCause): Promise<void> {
    if (!this.over) {
      this.over = true;
      this.write(() => core.endCall(this.deps, this.tenantId, this.callId, { result, cause }));
      this.forget();
    }
    return this.chain.then(() => undefined);
  }
}
