import type { ChatStore, StoredThreadEvent, ThreadEvent } from "@switchboard/core";
import { threadEventView } from "../http/views.js";

/** What a connection needs of its socket: sending text, and closing. */
export interface FrameSink {
  send(frame: string): void;
  close(code: number, reason: string): void;
}

const FILL_PAGE = 200;

/**
 * One client's WebSocket, as the hub sees it. For each thread it keeps the highest stored sequence it
 * has sent. A live event that is not the next one is preceded by the missed events, read from the
 * store; an event at or below the mark is dropped. So, per thread, the client gets every stored event
 * exactly once and in order: after a resume, across reordered publishes, and when live delivery and
 * replay overlap.
 */
export class RealtimeConnection {
  private readonly sent = new Map<string, number>();
  /** Threads whose catch-up is running; their live events wait behind it. */
  private readonly catchingUp = new Map<string, Promise<void>>();
  /** Set while a resume loads its points: live stored events wait behind it. */
  private gate: Promise<void> | undefined;
  private closed = false;

  constructor(
    readonly id: string,
    readonly tenantId: string,
    readonly identityId: string,
    private readonly sink: FrameSink,
    private readonly store: Pick<ChatStore, "listEvents">,
    private readonly onError: (error: unknown) => void,
    /** Whether this connection's identity sees the live supervisor view (supervisors and admins). */
    readonly supervises = false,
    /**
     * The agent organization whose view it gets (only its queues and agents); null: in-house or admin, all.
     * The hub changes it when the user moves.
     */
    public organizationId: string | null = null,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  markClosed(): void {
    this.closed = true;
  }

  sendFrame(frame: string): void {
    if (!this.closed) this.sink.send(frame);
  }

  /** Delivers an event that has just happened; `frame` is the event already serialized (shared by all recipients). */
  deliver(event: ThreadEvent, frame: string): void {
    if (this.closed) return;
    if (event.type === "chat.typing") {
      this.sink.send(frame);
      return;
    }
    const pending = this.catchingUp.get(event.threadId) ?? this.gate;
    if (pending) {
      this.chain(
        event.threadId,
        pending.then(() => this.deliverStored(event, frame)),
      );
      return;
    }
    const last = this.sent.get(event.threadId);
    if (last === undefined || event.sequence === last + 1) {
      this.sent.set(event.threadId, event.sequence);
      this.sink.send(frame);
    } else if (event.sequence > last + 1) {
      this.chain(event.threadId, this.deliverStored(event, frame));
    }
  }

  /**
   * Resumes the threads `loadPoints` names, each after the sequence given: sends what is stored
   * after it, then continues live. Live events that arrive while the points load wait for them.
   */
  async resume(loadPoints: () => Promise<ReadonlyMap<string, number>>): Promise<void> {
    let open = (): void => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    this.gate = gate;
    try {
      const points = await loadPoints();
      for (const [threadId, after] of points) {
        const last = this.sent.get(threadId);
        if (last === undefined || last < after) this.sent.set(threadId, after);
        const pending = this.catchingUp.get(threadId) ?? gate;
        this.chain(
          threadId,
          pending.then(() => this.fill(threadId, Number.POSITIVE_INFINITY)),
        );
      }
    } finally {
      if (this.gate === gate) this.gate = undefined;
      open();
    }
  }

  /** Resolves when every catch-up under way has finished (tests and graceful shutdown). */
  async settled(): Promise<void> {
    while (this.catchingUp.size > 0) await Promise.all(this.catchingUp.values());
  }

  private async deliverStored(event: ThreadEvent, frame: string): Promise<void> {
    if (this.sent.has(event.threadId)) await this.fill(event.threadId, event.sequence - 1);
    const last = this.sent.get(event.threadId);
    if ((last === undefined || event.sequence === last + 1) && !this.closed) {
      this.sent.set(event.threadId, event.sequence);
      this.sink.send(frame);
    }
  }

  /** Sends stored events after the thread's mark, up to `untilSequence`, page by page. */
  private async fill(threadId: string, untilSequence: number): Promise<void> {
    for (;;) {
      const last = this.sent.get(threadId) ?? 0;
      if (last >= untilSequence || this.closed) return;
      const limit = Math.min(FILL_PAGE, untilSequence - last);
      const events: readonly StoredThreadEvent[] = await this.store.listEvents(this.tenantId, threadId, last, limit);
      for (const e of events) {
        if (e.sequence !== (this.sent.get(threadId) ?? 0) + 1 || this.closed) return;
        this.sent.set(threadId, e.sequence);
        this.sink.send(JSON.stringify(threadEventView(e)));
      }
      if (events.length < limit) return;
    }
  }

  private chain(threadId: string, work: Promise<void>): void {
    const guarded = work.catch(this.onError).finally(() => {
      if (this.catchingUp.get(threadId) === guarded) this.catchingUp.delete(threadId);
    });
    this.catchingUp.set(threadId, guarded);
  }
}
