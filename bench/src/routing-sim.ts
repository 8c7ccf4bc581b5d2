/**
 * Runs a router through a workload on a simulated clock: jobs arrive, agents answer their offers after
 * a few (simulated) seconds, accept or now and then decline, and complete their jobs after the
 * handle time; wrap-ups end when the router says (its `nextDeadline`). Only the router's calls are
 * timed, in wall-clock milliseconds; simulated time passes instantly.
 */
import type { BenchRouter, OfferMade, RouterResult } from "./routing-routers.js";
import { Random, type Workload } from "./routing-workload.js";

export interface SimResult {
  readonly router: string;
  readonly jobs: number;
  readonly assignments: number;
  readonly offers: number;
  readonly declines: number;
  /** Wall time spent inside the router's calls. */
  readonly routerMs: number;
  readonly calls: number;
  /** Wall time of each `enqueue` that offered the job at once (a worker was available): job.queued → offer.issued. */
  readonly enqueueToOffer: Float64Array;
  /** Wall time of every call. */
  readonly callMs: Float64Array;
  readonly simulatedMs: number;
  /** Jobs still unfinished at the end (should be none). */
  readonly leftover: number;
}

const DECLINE_SHARE = 0.03;
const ANSWER_MS = { min: 1000, max: 6000 };

type SimEvent =
  | { readonly at: number; readonly seq: number; readonly kind: "answer"; readonly offer: OfferMade; readonly accept: boolean }
  | { readonly at: number; readonly seq: number; readonly kind: "complete"; readonly jobId: string };

/** A binary min-heap of simulated events by time, then insertion order. */
class EventHeap {
  private readonly items: SimEvent[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): SimEvent | undefined {
    return this.items[0];
  }
  push(event: SimEvent): void {
    const items = this.items;
    items.push(event);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as SimEvent;
      if (p.at < event.at || (p.at === event.at && p.seq < event.seq)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = event;
  }
  pop(): SimEvent | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= items.length) break;
      const r = l + 1;
      let c = l;
      const li = items[l] as SimEvent;
      const ri = items[r];
      if (ri && (ri.at < li.at || (ri.at === li.at && ri.seq < li.seq))) c = r;
      const ci = items[c] as SimEvent;
      if (last.at < ci.at || (last.at === ci.at && last.seq < ci.seq)) break;
      items[i] = ci;
      i = c;
    }
    items[i] = last;
    return top;
  }
}

export function simulate(
  router: BenchRouter,
  workload: Workload,
  onProgress?: (arrived: number, assignments: number, simulatedMs: number, routerMs: number) => void,
): SimResult {
  const random = new Random(workload.seed + 1);
  const start = 1_767_225_600_000; // 2026-01-01, simulated
  const arrivals = workload.arrivals;
  const handleMs = new Map(arrivals.map((a) => [a.id, a.handleMs]));
  const events = new EventHeap();
  const liveOffers = new Set<string>();
  const enqueueToOffer: number[] = [];
  const callMs: number[] = [];
  let seq = 0;
  let now = start;
  let routerMs = 0;
  let assignments = 0;
  let offers = 0;
  let declines = 0;
  let next = 0;
  const progressEvery = Math.max(1, Math.floor(arrivals.length / 10));

  router.load(workload.queues, workload.workers, start);

  const timed = (call: () => RouterResult): RouterResult => {
    const t0 = performance.now();
    const result = call();
    const ms = performance.now() - t0;
    routerMs += ms;
    callMs.push(ms);
    router.afterCall?.();
    return result;
  };

  const absorb = (result: RouterResult) => {
    for (const id of result.ended) liveOffers.delete(id);
    assignments += result.assigned;
    for (const offer of result.offered) {
      offers += 1;
      liveOffers.add(offer.offerId);
      const accept = random.next() >= DECLINE_SHARE;
      events.push({ at: now + random.int(ANSWER_MS.min, ANSWER_MS.max), seq: ++seq, kind: "answer", offer, accept });
    }
  };

  for (;;) {
    const t0 = performance.now();
    const deadline = router.nextDeadline();
    routerMs += performance.now() - t0;
    const arrival = arrivals[next];
    const arrivalAt = arrival ? start + arrival.at : Number.POSITIVE_INFINITY;
    const simAt = Math.min(arrivalAt, events.peek()?.at ?? Number.POSITIVE_INFINITY);
    if (deadline !== null && deadline <= simAt) {
      now = Math.max(now, deadline);
      absorb(timed(() => router.tick(now)));
      continue;
    }
    if (simAt === Number.POSITIVE_INFINITY) break;
    now = simAt;
    if (arrival && arrivalAt <= (events.peek()?.at ?? Number.POSITIVE_INFINITY)) {
      next += 1;
      const t1 = performance.now();
      const result = router.enqueue(arrival, now);
      const ms = performance.now() - t1;
      routerMs += ms;
      callMs.push(ms);
      router.afterCall?.();
      if (result.offered.some((o) => o.jobId === arrival.id)) enqueueToOffer.push(ms);
      absorb(result);
      if (next % progressEvery === 0) onProgress?.(next, assignments, now - start, routerMs);
      continue;
    }
    const event = events.pop() as SimEvent;
    if (event.kind === "complete") {
      absorb(timed(() => router.complete(event.jobId, now)));
      continue;
    }
    const { offer } = event;
    if (!liveOffers.delete(offer.offerId)) continue; // revoked meanwhile
    if (event.accept) {
      const result = timed(() => router.accept(offer.offerId, offer.workerId, now));
      if (result.assigned > 0) {
        events.push({ at: now + (handleMs.get(offer.jobId) ?? 60_000), seq: ++seq, kind: "complete", jobId: offer.jobId });
      }
      absorb(result);
    } else {
      declines += 1;
      absorb(timed(() => router.decline(offer.offerId, offer.workerId, now)));
    }
  }

  return {
    router: router.name,
    jobs: arrivals.length,
    assignments,
    offers,
    declines,
    routerMs,
    calls: callMs.length,
    enqueueToOffer: Float64Array.from(enqueueToOffer),
    callMs: Float64Array.from(callMs),
    simulatedMs: now - start,
    leftover: router.liveJobs(),
  };
}
